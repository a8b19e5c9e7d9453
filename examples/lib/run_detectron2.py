"""warmup-multistep: an iteration-based run logged the way detectron2's DefaultTrainer logs it.

The digits CNN (same augmentation as step-decay) trained for SOLVER.MAX_ITER iterations of IMS_PER_BATCH
images drawn from an endless stream of shuffled epochs (detectron2's TrainingSampler), SGD with momentum
and weight decay, and WarmupMultiStepLR as detectron2's build_lr_scheduler builds it: the LR at iteration i
is BASE_LR × warmup(i) × GAMMA^(number of STEPS ≤ i), linear warmup from WARMUP_FACTOR over WARMUP_ITERS.

Files in OUTPUT_DIR (output/):
- config.yaml: cfg.dump() (sorted keys, solver/test sections as detectron2 defaults name them)
- metrics.json: JSONWriter every 20 iterations (PeriodicWriter period 20, 0-based iteration 19, 39, ...):
  `lr` is the latest value (smoothing_hint False); `total_loss`, `loss_cls`, `time`, `data_time`,
  `rank_data_time` are medians over the last 20 iterations (window_size 20); `eta_seconds` from
  CommonMetricPrinter. Every TEST.EVAL_PERIOD iterations the evaluation's flattened results
  (`classification/top1`, a percentage) are put into the storage at that iteration, so they share its line.
"""
import os
import statistics
import time

import torch
import torch.nn.functional as F

from . import common as C
from .writers import Detectron2JSONWriter, yaml_sorted

BASE_LR = 0.1
IMS_PER_BATCH = 32
MAX_ITER = 1500
STEPS = (1000, 1300)
GAMMA = 0.1
WARMUP_ITERS = 100
WARMUP_FACTOR = 0.001
MOMENTUM = 0.9
WEIGHT_DECAY = 1e-4
EVAL_PERIOD = 300
WRITE_PERIOD = 20
WINDOW = 20
AUG_SHIFT, AUG_NOISE = 1, 0.3


def lr_at(it):
    if it < WARMUP_ITERS:
        alpha = it / WARMUP_ITERS
        warm = WARMUP_FACTOR * (1 - alpha) + alpha
    else:
        warm = 1.0
    return BASE_LR * warm * GAMMA ** sum(1 for s in STEPS if it >= s)


def _config(seed):
    return {
        "CUDNN_BENCHMARK": False,
        "DATALOADER": {"ASPECT_RATIO_GROUPING": False, "NUM_WORKERS": 0, "SAMPLER_TRAIN": "TrainingSampler"},
        "DATASETS": {"TEST": ["digits_val"], "TRAIN": ["digits_train"]},
        "INPUT": {"AUG_NOISE_STD": AUG_NOISE, "AUG_SHIFT": AUG_SHIFT},
        "MODEL": {"DEVICE": "cpu", "META_ARCHITECTURE": "DigitsCNNClassifier", "NUM_CLASSES": 10, "WEIGHTS": ""},
        "OUTPUT_DIR": "./output",
        "SEED": seed,
        "SOLVER": {
            "AMP": {"ENABLED": False},
            "BASE_LR": BASE_LR,
            "BIAS_LR_FACTOR": 1.0,
            "CHECKPOINT_PERIOD": 5000,
            "CLIP_GRADIENTS": {"CLIP_TYPE": "value", "CLIP_VALUE": 1.0, "ENABLED": False, "NORM_TYPE": 2.0},
            "GAMMA": GAMMA,
            "IMS_PER_BATCH": IMS_PER_BATCH,
            "LR_SCHEDULER_NAME": "WarmupMultiStepLR",
            "MAX_ITER": MAX_ITER,
            "MOMENTUM": MOMENTUM,
            "NESTEROV": False,
            "REFERENCE_WORLD_SIZE": 0,
            "STEPS": list(STEPS),
            "WARMUP_FACTOR": WARMUP_FACTOR,
            "WARMUP_ITERS": WARMUP_ITERS,
            "WARMUP_METHOD": "linear",
            "WEIGHT_DECAY": WEIGHT_DECAY,
            "WEIGHT_DECAY_BIAS": None,
            "WEIGHT_DECAY_NORM": 0.0,
        },
        "TEST": {"EVAL_PERIOD": EVAL_PERIOD},
        "VERSION": 2,
    }


def _stream(n, gen):
    """TrainingSampler: an endless sequence of shuffled epochs, cut into batches across epoch boundaries."""
    buf = []
    while True:
        while len(buf) < IMS_PER_BATCH:
            buf.extend(torch.randperm(n, generator=gen).tolist())
        yield torch.tensor(buf[:IMS_PER_BATCH])
        buf = buf[IMS_PER_BATCH:]


def run_warmup_multistep(out_dir, seed=0):
    timer = C.Timer()
    C.seed_everything(seed)
    Xtr, ytr, Xva, yva = C.digits_split(image=True)
    model = C.CNN()
    opt = torch.optim.SGD(model.parameters(), lr=lr_at(0), momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    out = os.path.join(out_dir, "output")
    os.makedirs(out, exist_ok=True)
    yaml_sorted(os.path.join(out, "config.yaml"), _config(seed))
    writer = Detectron2JSONWriter(os.path.join(out, "metrics.json"))
    gen = torch.Generator().manual_seed(seed)
    data = _stream(len(ytr), gen)
    hist = {k: [] for k in ("total_loss", "time", "data_time")}
    evals, lr_log, loss_log = [], [], []
    for it in range(MAX_ITER):
        for g in opt.param_groups:
            g["lr"] = lr_at(it)
        t0 = time.perf_counter()
        idx = next(data)
        x = C.augment(Xtr[idx], gen, AUG_SHIFT, AUG_NOISE)
        data_time = time.perf_counter() - t0
        loss = F.cross_entropy(model(x), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist["total_loss"].append(loss.item())
        hist["data_time"].append(data_time)
        if it >= 3:  # IterationTimer skips the first 3 iterations
            hist["time"].append(time.perf_counter() - t0)
        row = None
        if (it + 1) % WRITE_PERIOD == 0 or it == MAX_ITER - 1:
            med = {k: statistics.median(v[-WINDOW:]) for k, v in hist.items()}
            eta = statistics.median(hist["time"][-1000:]) * (MAX_ITER - it - 1)
            row = {"data_time": med["data_time"], "eta_seconds": eta, "loss_cls": med["total_loss"],
                   "lr": opt.param_groups[0]["lr"], "rank_data_time": med["data_time"], "time": med["time"],
                   "total_loss": med["total_loss"]}
            lr_log.append((it, row["lr"]))
            loss_log.append((it, row["total_loss"]))
        if (it + 1) % EVAL_PERIOD == 0:
            _, acc, _, _, _ = C.eval_metrics(model, Xva, yva)
            evals.append((it, round(100 * acc, 2)))
            if row is not None:
                row["classification/top1"] = 100 * acc
        if row is not None:
            writer.write(it, row)
    writer.close()

    def loss_near(i):
        return min(loss_log, key=lambda p: abs(p[0] - i))[1]

    return {"seconds": round(timer(), 1), "iterations": MAX_ITER,
            "lr_at": {i: f"{lr_at(i):.4g}" for i in (0, 50, WARMUP_ITERS, STEPS[0] - 1, STEPS[0], STEPS[1], MAX_ITER - 1)},
            "smoothed_total_loss_around_steps": {s: f"{loss_near(s - 1):.4f}->{loss_near(s + 39):.4f}" for s in STEPS},
            "val_top1_%_by_eval": evals, "final_total_loss": round(loss_log[-1][1], 4)}
