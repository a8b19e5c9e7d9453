"""Plain printed logs ('Epoch [e/E] Step [i/N] key=value ...'):

- update-ratio-high / update-ratio-healthy: the same MLP with SGD(momentum=0.9) at lr 0.25 vs 0.01; every 5th
  step the log carries update_ratio = ||w_after - w_before|| / ||w_before|| over all parameters, measured from
  the parameters right before and right after optimizer.step(). The same run is also logged to an MLflow
  file store (mlruns/0/<run_id>/: metrics train/loss, train/grad_norm, train/update_ratio at every 5th step,
  val/loss, val/acc, lr at the end of each epoch, all against the global step; params; tags; meta.yaml).
- diverged: LeakyReLU MLP with SGD lr 0.5, momentum 0.9 and no clipping; the loss explodes and becomes nan.
"""
import math
import os
import random
import statistics
import uuid

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import common as C
from .writers import MlflowFileStoreRun, PlainLog, WallClock, write_text


def _config(path, *, seed, lr, epochs, activation, log_every, extra=""):
    write_text(path, f"""\
# training config read by train_mlp.py
seed: {seed}
data: sklearn_digits
train_samples: 1200
model: mlp
hidden: [256, 256]
activation: {activation}
optimizer: sgd
lr: {lr}
momentum: 0.9
weight_decay: 0.0
batch_size: 32
epochs: {epochs}
lr_scheduler: null
warmup_epochs: 0
grad_clip: null
log_every: {log_every}
{extra}""")


def run_update_ratio(out_dir, lr, seed=0, epochs=15, bs=32, log_every=5):
    timer = C.Timer()
    C.seed_everything(seed)
    Xtr, ytr, Xva, yva = C.digits_split()
    model = C.MLP(hidden=(256, 256))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    _config(os.path.join(out_dir, "config.yaml"), seed=seed, lr=lr, epochs=epochs, activation="relu",
            log_every=log_every, extra="log_update_ratio: true\n")
    log = PlainLog(os.path.join(out_dir, "output.log"))
    clock = WallClock()
    # mlflow.start_run(run_name=...) in the Default experiment; run ids are uuid4().hex (seeded here).
    run_id = uuid.UUID(int=random.Random(f"update-ratio-{lr}").getrandbits(128), version=4).hex
    ml = MlflowFileStoreRun(os.path.join(out_dir, "mlruns"), experiment_id="0", experiment_name="Default",
                            run_id=run_id, run_name=f"mlp-sgd-lr{lr:g}", start_ms=clock.ms(), user="trainer",
                            source_name="train_mlp.py", artifact_root="file:///home/trainer/digits/mlruns")
    for k, v in (("seed", seed), ("data", "sklearn_digits"), ("train_samples", 1200), ("model", "mlp"),
                 ("hidden", [256, 256]), ("optimizer", "sgd"), ("lr", lr), ("momentum", 0.9),
                 ("weight_decay", 0.0), ("batch_size", bs), ("epochs", epochs), ("lr_scheduler", None),
                 ("grad_clip", None), ("log_every", log_every)):
        ml.log_param(k, v)
    gen = torch.Generator().manual_seed(seed)
    n = len(ytr)
    nb = (n + bs - 1) // bs
    gs = 0
    ratios, hist = [], []
    for epoch in range(epochs):
        tot, correct = 0.0, 0
        for i, idx in enumerate(C.batches(n, bs, gen)):
            logged = (i + 1) % log_every == 0
            before = C.flat_params(model) if logged else None
            out = model(Xtr[idx])
            loss = F.cross_entropy(out, ytr[idx])
            opt.zero_grad()
            loss.backward()
            gn = C.grad_norm(model) if logged else None
            opt.step()
            gs += 1
            tot += loss.item() * len(idx)
            correct += (out.argmax(1) == ytr[idx]).sum().item()
            if logged:
                r = C.update_ratio(before, C.flat_params(model))
                ratios.append(r)
                for k, v in (("train/loss", loss.item()), ("train/grad_norm", gn), ("train/update_ratio", r)):
                    ml.log_metric(k, v, gs, clock.ms())
                log.line(f"Epoch [{epoch + 1}/{epochs}] Step [{i + 1}/{nb}] loss={loss.item():.4f} "
                         f"grad_norm={gn:.4f} update_ratio={r:.3e} lr={lr:g}")
        val_loss, val_acc, _, _, _ = C.eval_metrics(model, Xva, yva)
        log.line(f"Epoch [{epoch + 1}/{epochs}] train_loss={tot / n:.4f} train_acc={correct / n:.4f} "
                 f"val_loss={val_loss:.4f} val_acc={val_acc:.4f} lr={lr:g}")
        for k, v in (("val/loss", val_loss), ("val/acc", val_acc), ("lr", lr)):
            ml.log_metric(k, v, gs, clock.ms())
        hist.append((tot / n, val_loss, val_acc))
    log.close()
    ml.end(clock.ms())
    med = statistics.median
    first = ratios[:20]
    return {"seconds": round(timer(), 1), "logged_ratios": len(ratios),
            "update_ratio_median_all": f"{med(ratios):.2e}", "median_first_20_logged": f"{med(first):.2e}",
            "median_last_20_logged": f"{med(ratios[-20:]):.2e}", "max": f"{max(ratios):.2e}",
            "share_above_1e-2": round(sum(r > 1e-2 for r in ratios) / len(ratios), 2),
            "final_train_loss": round(hist[-1][0], 4), "final_val_acc": round(hist[-1][2], 4)}


def run_diverged(out_dir, seed=0, lr=0.5, epochs=6, bs=32, log_every=5):
    timer = C.Timer()
    C.seed_everything(seed)
    Xtr, ytr, Xva, yva = C.digits_split()
    model = C.MLP(hidden=(256, 256), act=nn.LeakyReLU)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    _config(os.path.join(out_dir, "config.yaml"), seed=seed, lr=lr, epochs=epochs, activation="leaky_relu",
            log_every=log_every)
    log = PlainLog(os.path.join(out_dir, "output.log"))
    gen = torch.Generator().manual_seed(seed)
    n = len(ytr)
    nb = (n + bs - 1) // bs
    first_nonfinite, gs, peak = None, 0, 0.0
    hist = []
    for epoch in range(epochs):
        tot, correct = 0.0, 0
        for i, idx in enumerate(C.batches(n, bs, gen)):
            out = model(Xtr[idx])
            loss = F.cross_entropy(out, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            gs += 1
            v = loss.item()
            tot += v * len(idx)
            correct += (out.argmax(1) == ytr[idx]).sum().item()
            if math.isfinite(v):
                peak = max(peak, v)
            if (i + 1) % log_every == 0:
                if not math.isfinite(v) and first_nonfinite is None:
                    first_nonfinite = f"epoch {epoch + 1}, step {i + 1} (global {gs})"
                log.line(f"Epoch [{epoch + 1}/{epochs}] Step [{i + 1}/{nb}] loss={v:.4f} lr={lr:g}")
        val_loss, val_acc, _, _, _ = C.eval_metrics(model, Xva, yva)
        log.line(f"Epoch [{epoch + 1}/{epochs}] train_loss={tot / n:.4f} train_acc={correct / n:.4f} "
                 f"val_loss={val_loss:.4f} val_acc={val_acc:.4f} lr={lr:g}")
        hist.append((tot / n, val_loss, val_acc))
    log.close()
    return {"seconds": round(timer(), 1), "first_logged_nonfinite_loss": first_nonfinite,
            "largest_finite_loss": f"{peak:.3g}", "final_val_loss": f"{hist[-1][1]:.4f}", "final_val_acc": round(hist[-1][2], 4)}
