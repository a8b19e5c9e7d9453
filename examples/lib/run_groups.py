"""Multi-run groups with plain pipe-style logs ('ep 001 | lr ... | train_loss ... | val_acc ...'):

- seeds/seed-{0..4}:        one config, only `seed:` differs; 30 training images → final val accuracy varies a lot.
- seeds-stable/seed-{0..2}: one config, only `seed:` differs; 1200 training images → final val accuracy stable.
- sweep-grid:   W&B sweep.yaml, method: grid, 5 parameters, 360 combinations; the first 4 grid points trained.
- sweep-random: W&B sweep.yaml, method: random with run_cap: 20; 3 sampled trials trained.
"""
import itertools
import os
import statistics

import numpy as np
import torch
import torch.nn.functional as F

from . import common as C
from .writers import PlainLog, write_text


def train_pipe_log(out_dir, *, seed, n_train, epochs, lr, batch_size, hidden, dropout=0.0, weight_decay=0.0):
    C.seed_everything(seed)
    Xtr, ytr, Xva, yva = C.digits_split(n_train=n_train)
    model = C.MLP(hidden=hidden, dropout=dropout)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=weight_decay)
    log = PlainLog(os.path.join(out_dir, "output.log"))
    gen = torch.Generator().manual_seed(seed)
    hist = []
    for ep in range(epochs):
        tot = 0.0
        model.train()
        for idx in C.batches(n_train, min(batch_size, n_train), gen):
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        val_loss, val_acc, _, _, _ = C.eval_metrics(model, Xva, yva)
        log.line(f"ep {ep + 1:03d} | lr {lr:.2e} | train_loss {tot / n_train:.4f} | val_loss {val_loss:.4f} "
                 f"| val_acc {val_acc:.4f}")
        hist.append(val_acc)
    log.close()
    return hist


def _seed_config(seed, n_train, epochs, lr):
    return f"""\
# training config read by train_mlp.py
data: sklearn_digits
train_samples: {n_train}
model: mlp
hidden: [256, 256]
optimizer: sgd
lr: {lr}
momentum: 0.9
batch_size: 32
epochs: {epochs}
seed: {seed}
"""


def run_seed(out_dir, seed, stable):
    n_train, epochs, lr = (1200, 15, 0.05) if stable else (30, 40, 0.05)
    write_text(os.path.join(out_dir, "config.yaml"), _seed_config(seed, n_train, epochs, lr))
    hist = train_pipe_log(out_dir, seed=seed, n_train=n_train, epochs=epochs, lr=lr, batch_size=32,
                          hidden=(256, 256))
    return {"final_val_acc": round(hist[-1], 4), "best_val_acc": round(max(hist), 4)}


GRID = {"lr": [0.001, 0.003, 0.01, 0.03, 0.1], "batch_size": [16, 32, 64, 128], "hidden": [64, 128, 256],
        "dropout": [0.0, 0.2, 0.5], "weight_decay": [0.0, 0.0001]}
TRIAL_EPOCHS = 5


def _trial(out_dir, k, params):
    d = os.path.join(out_dir, "trials", f"trial-{k:03d}")
    os.makedirs(d, exist_ok=True)
    write_text(os.path.join(d, "params.yaml"), "# parameters the sweep agent passed to this trial\n" +
               "".join(f"{p}: {v}\n" for p, v in params.items()) + f"epochs: {TRIAL_EPOCHS}\n")
    hist = train_pipe_log(d, seed=0, n_train=1200, epochs=TRIAL_EPOCHS, lr=params["lr"],
                          batch_size=params["batch_size"], hidden=(params["hidden"],), dropout=params["dropout"],
                          weight_decay=params["weight_decay"])
    return round(hist[-1], 4)


def run_sweep_grid(out_dir, n_trials=4):
    timer = C.Timer()
    write_text(os.path.join(out_dir, "sweep.yaml"), """\
program: train.py
name: digits-mlp-grid
method: grid
metric:
  name: val_acc
  goal: maximize
parameters:
  lr:
    values: [0.001, 0.003, 0.01, 0.03, 0.1]
  batch_size:
    values: [16, 32, 64, 128]
  hidden:
    values: [64, 128, 256]
  dropout:
    values: [0.0, 0.2, 0.5]
  weight_decay:
    values: [0.0, 0.0001]
  epochs:
    value: 5
command:
  - ${env}
  - python
  - ${program}
  - ${args}
""")
    combos = list(itertools.product(*GRID.values()))
    accs = [_trial(out_dir, k, dict(zip(GRID, c))) for k, c in enumerate(combos[:n_trials])]
    return {"seconds": round(timer(), 1), "grid_combinations": len(combos), "swept_parameters": len(GRID),
            "trials_run": n_trials, "trial_final_val_acc": accs}


def run_sweep_random(out_dir, n_trials=3, seed=0):
    timer = C.Timer()
    write_text(os.path.join(out_dir, "sweep.yaml"), """\
program: train.py
name: digits-mlp-random
method: random
run_cap: 20
metric:
  name: val_acc
  goal: maximize
parameters:
  lr:
    distribution: log_uniform_values
    min: 0.0001
    max: 0.1
  batch_size:
    values: [16, 32, 64, 128]
  hidden:
    values: [64, 128, 256]
  dropout:
    distribution: uniform
    min: 0.0
    max: 0.5
  weight_decay:
    distribution: log_uniform_values
    min: 1.0e-06
    max: 0.001
  epochs:
    value: 5
early_terminate:
  type: hyperband
  min_iter: 2
command:
  - ${env}
  - python
  - ${program}
  - ${args}
""")
    rng = np.random.RandomState(seed)
    accs = []
    for k in range(n_trials):
        params = {"lr": float(f"{np.exp(rng.uniform(np.log(1e-4), np.log(0.1))):.6g}"),
                  "batch_size": int(rng.choice([16, 32, 64, 128])), "hidden": int(rng.choice([64, 128, 256])),
                  "dropout": float(f"{rng.uniform(0, 0.5):.4f}"),
                  "weight_decay": float(f"{np.exp(rng.uniform(np.log(1e-6), np.log(1e-3))):.4g}")}
        accs.append(_trial(out_dir, k, params))
    return {"seconds": round(timer(), 1), "run_cap": 20, "trials_run": n_trials, "trial_final_val_acc": accs}
