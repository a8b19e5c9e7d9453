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
    dict(name="step-decay", call=_r("run_schedule", "run", schedule="step"),
         formats=["plain output.log", "Lightning CSVLogger lightning_logs/version_0/metrics.csv (+hparams.yaml)",
                  "Lightning CLI config.yaml"],
         positives=["lr-schedule"],
         negatives=["divergence", "update-ratio", "large-batch", "fine-tuning", "ensemble", "search-strategy"],
         notes="SGD 0.1 (momentum 0.9) with StepLR(step_size=15, gamma=0.1) for 45 epochs: LR 0.1 → 0.01 at "
               "epoch 16 and → 0.001 at epoch 31 (1-based, plain log; Lightning rows use 0-based epoch 15/30). "
               "Train loss falls abruptly at the first drop. Both files are the same run."),
    dict(name="cosine", call=_r("run_schedule", "run", schedule="cosine"),
         formats=["plain output.log", "Lightning CSVLogger lightning_logs/version_0/metrics.csv (+hparams.yaml)",
                  "Lightning CLI config.yaml"],
         positives=[],
         negatives=["lr-schedule", "divergence", "update-ratio", "large-batch", "fine-tuning", "ensemble",
                    "search-strategy"],
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
               "restored. 5 evals after the best are expected patience, not waste."),
]


def _run_one(entry):
    import importlib
    module, fn, kw = entry["call"]
    out_dir = os.path.join(RUNS, entry["name"])
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    mod = importlib.import_module("lib." + module)
    t0 = time.perf_counter()
    summary = getattr(mod, fn)(out_dir, **kw)
    summary["wall_seconds"] = round(time.perf_counter() - t0, 1)
    return entry["name"], summary


def write_labels():
    labels = []
    for e in REGISTRY:
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
