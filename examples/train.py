#!/usr/bin/env python3
"""Trains every example run in examples/runs/ for real (PyTorch on CPU) and writes its logs and config.

    /usr/bin/python3 examples/train.py            # all runs (2 worker processes)
    /usr/bin/python3 examples/train.py overfit    # only the named runs
    /usr/bin/python3 examples/train.py --jobs 1   # one process

Each run writes examples/runs/<name>/ (the folder is deleted first), then this script prints a summary per
run, writes examples/labels.json (which scenarios must / must not be flagged on each run) and refreshes the
summary block of examples/README.md. Metric values are deterministic (fixed seeds, one intra-op thread);
only wall-clock fields (HF *_runtime, Keras 'Ns - Nms/step', timm Time:, Ultralytics 'time') change.
"""
import argparse
import json
import multiprocessing as mp
import os
import shutil
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
RUNS = os.path.join(HERE, "runs")

SCENARIOS = ["lr-schedule", "early-stopping", "search-strategy", "large-batch", "ensemble", "update-ratio",
             "weight-averaging", "fine-tuning", "divergence"]


def _r(module, fn, **kw):
    return (module, fn, kw)


# name → (module, function, kwargs), formats, positives, negatives, notes
REGISTRY = [
    dict(name="step-decay", call=_r("run_schedule", "run", schedule="step", tb_run="step-decay-tb"),
         also=["step-decay-tb"],
         formats=["plain output.log", "Lightning CSVLogger lightning_logs/version_0/metrics.csv (+hparams.yaml)",
                  "Lightning CLI config.yaml"],
         positives=["lr-schedule"],
         negatives=["divergence", "update-ratio", "large-batch", "fine-tuning", "ensemble", "search-strategy",
                    "early-stopping"],
         notes="Digits CNN, SGD 0.1 (momentum 0.9, wd 5e-4), shift+noise augmentation, StepLR(step_size=15, "
               "gamma=0.1) for 45 epochs: LR 0.1 → 0.01 at epoch 16 and → 0.001 at epoch 31 (1-based in the "
               "plain log; the Lightning lr-SGD rows have no epoch cell, their step is 570/1140). Train loss "
               "falls abruptly at the first drop (0.975 → 0.779 epoch mean; val acc 0.921 → 0.940). Both log "
               "files are the same run, and so are the TensorBoard scalars in runs/step-decay-tb."),
    dict(name="cosine", call=_r("run_schedule", "run", schedule="cosine", tb_run="cosine-tb"),
         also=["cosine-tb"],
         formats=["plain output.log", "Lightning CSVLogger lightning_logs/version_0/metrics.csv (+hparams.yaml)",
                  "Lightning CLI config.yaml"],
         positives=[],
         negatives=["lr-schedule", "divergence", "update-ratio", "large-batch", "fine-tuning", "ensemble",
                    "search-strategy", "early-stopping"],
         notes="Same as step-decay with CosineAnnealingLR(T_max=45, eta_min=0). Careful: the last epochs have "
               "consecutive LR ratios ≤ 0.5 (cosine approaching 0: 4.9e-4 → 1.2e-4 at epochs 44→45); that is "
               "not a step schedule."),
    dict(name="overfit", call=_r("run_overfit", "run_hf_overfit"),
         formats=["HF Trainer console dicts train.log", "HF trainer_state.json",
                  "HF TrainingArguments training_args.json"],
         positives=["early-stopping"],
         negatives=["divergence", "lr-schedule", "large-batch", "fine-tuning", "update-ratio"],
         notes="150 training images, 3x512 MLP, AdamW 5e-4 linear decay, 60 epochs, eval every epoch, "
               "no EarlyStoppingCallback, load_best_model_at_end=false: eval_loss is lowest at epoch 15 and "
               "rises afterwards while train loss keeps falling. The HF config is training_args.json "
               "(config.json is the model config name in HF output dirs)."),
    dict(name="early-stopped", call=_r("run_overfit", "run_keras_early_stopping"),
         formats=["Keras CSVLogger training.log", "Keras fit(verbose=2) stdout output.log", "config.yaml"],
         positives=[],
         negatives=["early-stopping", "divergence", "lr-schedule", "large-batch", "fine-tuning", "update-ratio"],
         notes="Same data/model as overfit, Keras-style EarlyStopping(monitor=val_loss, patience=5, "
               "restore_best_weights=True): best val_loss at epoch 16 (0-based), stopped at 21, weights "
               "restored. 5 evals after the best are the configured patience, not waste: the evidence is the "
               "config (callbacks.early_stopping with restore_best_weights) and the Keras lines 'Epoch 22: "
               "early stopping' / 'Restoring model weights from the end of the best epoch: 17.' in output.log."),

    dict(name="update-ratio-high", call=_r("run_plain", "run_update_ratio", lr=0.25),
         formats=["plain output.log with update_ratio= and grad_norm= on step lines", "plain config.yaml",
                  "MLflow file store mlruns/0/<run_id>/ (the same run: metrics, params, tags, meta.yaml)"],
         positives=["update-ratio"],
         negatives=["divergence", "large-batch", "fine-tuning", "ensemble", "search-strategy", "lr-schedule"],
         notes="MLP 64-256-256-10, SGD lr 0.25 momentum 0.9 (25x the healthy run), 15 epochs. update_ratio = "
               "||w_after - w_before|| / ||w_before|| over all parameters at every 5th step (105 values): "
               "median ~1e-2, ~3e-2 in the first 20 logged steps. Final val acc is well below the healthy run."),
    dict(name="update-ratio-healthy", call=_r("run_plain", "run_update_ratio", lr=0.01),
         formats=["plain output.log with update_ratio= and grad_norm= on step lines", "plain config.yaml",
                  "MLflow file store mlruns/0/<run_id>/ (the same run: metrics, params, tags, meta.yaml)"],
         positives=[],
         negatives=["update-ratio", "divergence", "large-batch", "fine-tuning", "ensemble", "search-strategy",
                    "lr-schedule"],
         notes="Same as update-ratio-high with lr 0.01: update_ratio ~1e-3 throughout (never above 1e-2 nor "
               "below 1e-4)."),
    dict(name="large-batch", call=_r("run_timm", "run_large_batch", variant="unscaled"),
         formats=["timm summary.csv", "timm stdout output.log (Train:/Test: lines, every update)", "timm args.yaml"],
         positives=["large-batch"],
         negatives=["fine-tuning", "ensemble", "search-strategy", "update-ratio", "divergence", "lr-schedule"],
         notes="Batch 1024 on synthetic data (16384 train), lr 0.075 = the lr of the batch-128 recipe, not "
               "scaled (linear rule: 0.6; timm reference 0.1 x 1024/256 = 0.4), warmup_epochs 0, clip_grad "
               "null. No spikes here: the unscaled lr makes the first epochs slow instead (val top-1 after "
               "epochs 1-3 far below the healthy run). The config is the evidence. Cosine per update goes to 0 "
               "at the end (last LR ratios <= 0.5 and a final lr 0 in summary.csv): not a step schedule."),
    dict(name="large-batch-no-warmup", call=_r("run_timm", "run_large_batch", variant="no-warmup"),
         formats=["timm summary.csv", "timm stdout output.log (Train:/Test: lines, every update)", "timm args.yaml"],
         positives=["large-batch"],
         negatives=["fine-tuning", "ensemble", "search-strategy", "update-ratio", "lr-schedule"],
         notes="Batch 1024, lr 0.6 (linearly scaled from 0.075 at 128) with no warmup and no clipping: train "
               "loss spikes in the first epoch (update 14: 6.22 vs a trailing median ~2.1; again at update 22) "
               "then recovers. Cosine-to-zero tail as in large-batch. divergence is deliberately unlabelled "
               "(the spike recovers)."),
    dict(name="large-batch-healthy", call=_r("run_timm", "run_large_batch", variant="healthy"),
         formats=["timm summary.csv", "timm stdout output.log (Train:/Test: lines, every update)", "timm args.yaml"],
         positives=[],
         negatives=["large-batch", "divergence", "fine-tuning", "ensemble", "search-strategy", "update-ratio",
                    "lr-schedule"],
         notes="Batch 1024, lr 0.6 (scaled), warmup_epochs 3 (linear per update from 1e-5), clip_grad 1.0, "
               "cosine: no spike above 1.5x the trailing median."),
    dict(name="noisy-val", call=_r("run_timm", "run_noisy_val", ema=False),
         formats=["timm summary.csv", "timm stdout output.log", "timm args.yaml"],
         positives=["weight-averaging"],
         negatives=["divergence", "fine-tuning", "large-batch", "ensemble", "search-strategy", "update-ratio",
                    "lr-schedule"],
         notes="Digits CNN, constant lr 0.085 (sched none), 40 epochs, 200 validation images: eval_top1 (in "
               "percent, as timm writes it) jumps by 3-10 points between epochs until the end; no EMA "
               "(model_ema false)."),
    dict(name="ema", call=_r("run_timm", "run_noisy_val", ema=True),
         formats=["timm summary.csv (EMA metrics)", "timm stdout output.log (Test: and Test (EMA): lines)",
                  "timm args.yaml"],
         positives=[],
         negatives=["weight-averaging", "divergence", "fine-tuning", "large-batch", "ensemble", "search-strategy",
                    "update-ratio", "lr-schedule"],
         notes="The same training as noisy-val plus model_ema (decay 0.99 per update). summary.csv holds the "
               "EMA model's metrics (what timm does), which are smooth; the raw model's noisy numbers are only "
               "in output.log 'Test:' lines."),
    dict(name="fine-tune-high-lr", call=_r("run_ultra", "run_finetune", variant="high-lr"),
         formats=["Ultralytics classify results.csv", "Ultralytics args.yaml"],
         positives=["fine-tuning"],
         negatives=["large-batch", "ensemble", "search-strategy", "update-ratio", "lr-schedule"],
         notes="CNN pretrained on digits 0-4 (SGD lr 0.01; weights kept in memory, the .pt path in args.yaml "
               "is where Ultralytics would have it), new head, all layers fine-tuned on 100 images of digits "
               "5-9 with SGD lr0 0.2 (20x the pretraining lr), freeze null: accuracy at chance (~0.2) for the "
               "first 3 epochs, ends below the healthy run."),
    dict(name="fine-tune-healthy", call=_r("run_ultra", "run_finetune", variant="healthy"),
         formats=["Ultralytics classify results.csv", "Ultralytics args.yaml"],
         positives=[],
         negatives=["fine-tuning", "large-batch", "ensemble", "search-strategy", "update-ratio", "divergence",
                    "lr-schedule"],
         notes="Same pretraining; freeze: 6 (both conv blocks frozen), lr0 0.001 = 0.1x the pretraining lr."),
    dict(name="overfit-keras-tb", call=_r("run_overfit", "run_keras_overfit_tb"),
         formats=["TensorBoard TF2 event files logs/train/*.v2 + logs/validation/*.v2 (Keras TensorBoard callback)",
                  "Keras CSVLogger training.log", "config.yaml"],
         positives=["early-stopping"],
         negatives=["divergence", "lr-schedule", "large-batch", "fine-tuning", "update-ratio", "ensemble",
                    "search-strategy"],
         notes="Same data, model and optimizer as early-stopped (150 digits, 3x512 MLP, Adam 5e-4), 50 epochs "
               "with no EarlyStopping callback: val_loss is lowest at epoch 16 (0-based, 0.227, the epoch early-stopped "
               "restores) and is 0.276 (+21 %) at epoch 49 while the train loss falls 0.014 -> 0.0008. Logged by the Keras TensorBoard callback "
               "(TF2 tensor summaries with the scalars plugin: train/epoch_loss, epoch_accuracy, "
               "epoch_learning_rate; validation/epoch_loss, epoch_accuracy and evaluation_*_vs_iterations) "
               "and by CSVLogger."),
    dict(name="warmup-multistep", call=_r("run_detectron2", "run_warmup_multistep"),
         formats=["detectron2 output/metrics.json (JSONWriter)", "detectron2 output/config.yaml (cfg.dump)"],
         positives=["lr-schedule"],
         negatives=["divergence", "fine-tuning", "ensemble", "search-strategy", "update-ratio"],
         notes="Digits CNN, 1500 iterations of 32 images, SGD 0.1 (momentum 0.9, wd 1e-4), WarmupMultiStepLR: "
               "linear warmup from 0.001x over 100 iterations, then x0.1 at iterations 1000 and 1300 "
               "(lr 0.1 -> 0.01 -> 0.001). metrics.json holds lr (latest) and total_loss (median of 20) every "
               "20 iterations; the warmup ramp is not a drop, the two x0.1 steps are."),
] + [
    dict(name=f"seeds/seed-{k}", call=_r("run_groups", "run_seed", seed=k, stable=False), group="seeds")
    for k in range(5)
] + [
    dict(name=f"seeds-stable/seed-{k}", call=_r("run_groups", "run_seed", seed=k, stable=True), group="seeds-stable")
    for k in range(3)
] + [
    dict(name="sweep-grid", call=_r("run_groups", "run_sweep_grid"),
         formats=["W&B sweep.yaml", "trials/*/output.log (plain pipe style) + params.yaml"],
         positives=["search-strategy"],
         negatives=["divergence", "large-batch", "fine-tuning", "ensemble", "update-ratio"],
         notes="method: grid over 5 parameters (5x4x3x3x2 = 360 combinations); the first 4 grid points were "
               "trained for 5 epochs (trials/)."),
    dict(name="sweep-random", call=_r("run_groups", "run_sweep_random"),
         formats=["W&B sweep.yaml", "trials/*/output.log (plain pipe style) + params.yaml"],
         positives=[],
         negatives=["search-strategy", "divergence", "large-batch", "fine-tuning", "ensemble", "update-ratio"],
         notes="method: random with run_cap: 20 (log-uniform lr and weight decay); 3 sampled trials trained "
               "for 5 epochs."),
    dict(name="diverged", call=_r("run_plain", "run_diverged"),
         formats=["plain output.log", "plain config.yaml"],
         positives=["divergence"],
         negatives=["fine-tuning", "ensemble", "search-strategy", "large-batch", "update-ratio"],
         notes="LeakyReLU MLP, SGD lr 0.5 momentum 0.9, no clipping: loss 2.2 → 12 → 2.4e5 and loss=nan from "
               "epoch 2 step 15 on; every later line (train_loss, val_loss) is nan."),
]


GROUP_LABELS = [
    dict(name="seeds", positives=["ensemble"],
         negatives=["divergence", "large-batch", "fine-tuning", "search-strategy", "update-ratio", "lr-schedule"],
         formats=["plain output.log (pipe style) + config.yaml per seed-k/"],
         notes="Group of 5 sibling runs seed-0..seed-4 whose config.yaml files differ only in `seed:`. 30 "
               "training images, 40 epochs: final val_acc spread of several points (std > 1 pp). The finding "
               "is about the group, not one log."),
    dict(name="seeds-stable", positives=[],
         negatives=["ensemble", "divergence", "large-batch", "fine-tuning", "search-strategy", "update-ratio",
                    "lr-schedule"],
         formats=["plain output.log (pipe style) + config.yaml per seed-k/"],
         notes="Group of 3 sibling runs seed-0..seed-2, configs differ only in `seed:`; 1200 training images: "
               "final val_acc std well below 0.5 pp."),
]


# Labels for one log format of a run analysed on its own, without the run's other logs and config:
# a sibling folder written by the same training ("also" above) or a sub-folder of the run (whose own
# label covers the whole folder).
FORMAT_LABELS = [
    dict(name="step-decay-tb", positives=["lr-schedule"],
         negatives=["divergence", "update-ratio", "large-batch", "fine-tuning", "ensemble", "search-strategy",
                    "early-stopping"],
         formats=["TensorBoard event file (PyTorch SummaryWriter style: simple_value, no metadata)"],
         notes="Written by the step-decay training itself (the same run): its per-epoch scalars as a "
               "SummaryWriter('tb') script logs them (train/loss, train/acc, val/loss, val/acc, train/lr; "
               "global_step = 0-based epoch), without the run's output.log, metrics.csv or config. The LR drops "
               "0.1 -> 0.01 -> 0.001 at steps 15 and 30 are in train/lr; a TensorBoard step has no epoch."),
    dict(name="cosine-tb", positives=[],
         negatives=["lr-schedule", "divergence", "update-ratio", "large-batch", "fine-tuning", "ensemble",
                    "search-strategy", "early-stopping"],
         formats=["TensorBoard event file (PyTorch SummaryWriter style: simple_value, no metadata)"],
         notes="Written by the cosine training itself (the same run), same tags: smooth LR; the last ratios "
               "<= 0.5 are the cosine tail."),
    dict(name="overfit-keras-tb/logs", positives=["early-stopping"],
         negatives=["divergence", "lr-schedule", "large-batch", "fine-tuning", "update-ratio", "ensemble",
                    "search-strategy"],
         formats=["TensorBoard TF2 event files train/*.v2 + validation/*.v2 (tensor_content, plugin scalars)"],
         notes="The overfit-keras-tb run's TensorBoard folders alone (no CSV, no config)."),
    dict(name="update-ratio-high/mlruns", positives=["update-ratio"],
         negatives=["divergence", "large-batch", "fine-tuning", "ensemble", "search-strategy", "lr-schedule"],
         formats=["MLflow file store mlruns/0/<run_id>/ (metrics/train/{loss,grad_norm,update_ratio}, "
                  "metrics/val/{loss,acc}, metrics/lr, params/, tags/, meta.yaml)"],
         notes="The update-ratio-high run's MLflow store alone: the params/ files are its config (lr 0.25)."),
    dict(name="update-ratio-healthy/mlruns", positives=[],
         negatives=["update-ratio", "divergence", "large-batch", "fine-tuning", "ensemble", "search-strategy",
                    "lr-schedule"],
         formats=["MLflow file store mlruns/0/<run_id>/ (same keys)"],
         notes="The update-ratio-healthy run's MLflow store alone (lr 0.01)."),
]


def _run_one(entry):
    import importlib
    module, fn, kw = entry["call"]
    out_dir = os.path.join(RUNS, entry["name"])
    for d in [out_dir] + [os.path.join(RUNS, a) for a in entry.get("also", [])]:
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    mod = importlib.import_module("lib." + module)
    t0 = time.perf_counter()
    summary = getattr(mod, fn)(out_dir, **kw)
    summary.pop("seconds", None)
    summary["wall_seconds"] = round(time.perf_counter() - t0, 1)
    return entry["name"], summary


def write_labels():
    labels = []
    for e in [e for e in REGISTRY if "group" not in e] + FORMAT_LABELS + GROUP_LABELS:
        for s in e["positives"] + e["negatives"]:
            assert s in SCENARIOS, s
        assert not set(e["positives"]) & set(e["negatives"]), e["name"]
        labels.append({"run": "runs/" + e["name"], "positives": e["positives"], "negatives": e["negatives"],
                       "formats": e["formats"], "notes": e["notes"]})
    with open(os.path.join(HERE, "labels.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(labels, indent=2, ensure_ascii=False) + "\n")


def write_readme_summary(summaries, total):
    path = os.path.join(HERE, "README.md")
    if not os.path.exists(path):
        return
    text = open(path, encoding="utf-8").read()
    start, end = "<!-- summary:start -->", "<!-- summary:end -->"
    if start not in text or end not in text:
        return
    lines = [start, "", f"Last full regeneration: {total:.0f} s wall clock on this machine (2 worker processes).", ""]
    for e in REGISTRY:
        s = summaries.get(e["name"])
        if s is None:
            continue
        lines.append(f"- **{e['name']}** — " + "; ".join(f"{k}: {v}" for k, v in s.items()))
    for g in GROUP_LABELS:
        finals = [s["final_val_acc"] for n, s in summaries.items() if n.startswith(g["name"] + "/")]
        if len(finals) > 1:
            lines.append(f"- **{g['name']}** — final val_acc per seed: {finals}; mean {100 * statistics.mean(finals):.2f} %, "
                         f"std {100 * statistics.stdev(finals):.2f} pp, max-min {100 * (max(finals) - min(finals)):.2f} pp")
    lines += ["", end]
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + "\n".join(lines) + tail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    entries = [e for e in REGISTRY if not a.names or e["name"] in a.names or
               any(e["name"].startswith(n + "/") for n in a.names)]
    t0 = time.perf_counter()
    if a.jobs > 1 and len(entries) > 1:
        with mp.get_context("spawn").Pool(a.jobs) as pool:
            results = pool.map(_run_one, entries, chunksize=1)
    else:
        results = [_run_one(e) for e in entries]
    total = time.perf_counter() - t0
    summaries = dict(results)
    summary_path = os.path.join(RUNS, "summary.json")
    old = json.load(open(summary_path)) if os.path.exists(summary_path) else {}
    old.update(summaries)
    ordered = {e["name"]: old[e["name"]] for e in REGISTRY if e["name"] in old}
    with open(summary_path, "w", encoding="utf-8") as f:
        f.write(json.dumps(ordered, indent=2) + "\n")
    for name, s in results:
        print(f"== {name}")
        for k, v in s.items():
            print(f"   {k}: {v}")
    print(f"total wall time: {total:.1f} s")
    write_labels()
    if not a.names:
        write_readme_summary(ordered, total)


if __name__ == "__main__":
    main()
