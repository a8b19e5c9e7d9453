"""Runs 1-2: the same CNN on digits with StepLR (step-decay) or CosineAnnealingLR (cosine).

Logs: a plain printed log (output.log) and the same run's Lightning CSVLogger file
(lightning_logs/version_0/metrics.csv, LearningRateMonitor(logging_interval='epoch') → 'lr-SGD').
The same training also logs its per-epoch scalars as a hand-written script does with PyTorch's
SummaryWriter (add_scalar, global_step = 0-based epoch; simple_value events, lib/tbwriter.py) into the
sibling run folder <name>-tb/tb/ (step-decay-tb, cosine-tb). They live in their own folder because a
TensorBoard step carries no epoch, and the rule tests on step-decay expect epoch-located drops.
Config: Lightning CLI config.yaml (class_path/init_args) as SaveConfigCallback writes it.
"""
import os

import torch
import torch.nn.functional as F

from . import common as C
from .lightning_cfg import lr_monitor, sgd, trainer_section, write_cli_config
from .tbwriter import SummaryWriter
from .writers import LightningCSVLogger, PlainLog, WallClock

EPOCHS = 45
BATCH = 32
LR = 0.1
MOMENTUM = 0.9
WD = 5e-4
STEP_SIZE = 15
GAMMA = 0.1
LOG_EVERY = 10      # Trainer(log_every_n_steps=10)
PRINT_EVERY = 10    # plain log: one step line every 10 batches
AUG_SHIFT = 1       # training augmentation: random ±1 pixel shift ...
AUG_NOISE = 0.3     # ... and Gaussian pixel noise (keeps the train loss off zero so the drops show)


def run(out_dir, schedule, seed=0, tb_run=None):
    timer = C.Timer()
    C.seed_everything(seed)
    Xtr, ytr, Xva, yva = C.digits_split(image=True)
    model = C.CNN()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WD)
    if schedule == "step":
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=STEP_SIZE, gamma=GAMMA)
        sched_cfg = {"class_path": "torch.optim.lr_scheduler.StepLR",
                     "init_args": {"step_size": STEP_SIZE, "gamma": GAMMA, "last_epoch": -1,
                                   "verbose": "deprecated"}}
    else:
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
        sched_cfg = {"class_path": "torch.optim.lr_scheduler.CosineAnnealingLR",
                     "init_args": {"T_max": EPOCHS, "eta_min": 0.0, "last_epoch": -1, "verbose": "deprecated"}}

    write_cli_config(
        os.path.join(out_dir, "config.yaml"), seed=seed,
        trainer=trainer_section(EPOCHS, LOG_EVERY, [lr_monitor("epoch")]),
        model={"class_path": "digits.DigitsCNN", "init_args": {"num_classes": 10}},
        data={"class_path": "digits.DigitsDataModule", "init_args": {"batch_size": BATCH, "n_train": 1200,
                                                             "aug_shift": AUG_SHIFT, "aug_noise_std": AUG_NOISE}},
        optimizer=sgd(LR, MOMENTUM, WD), lr_scheduler=sched_cfg)

    pl = LightningCSVLogger(out_dir)
    pl.log_hyperparams({"_instantiator": "lightning.pytorch.cli.instantiate_module", "aug_noise_std": AUG_NOISE,
                        "aug_shift": AUG_SHIFT, "batch_size": BATCH, "n_train": 1200, "num_classes": 10})
    log = PlainLog(os.path.join(out_dir, "output.log"))
    clock = WallClock()
    tb_dir = os.path.join(os.path.dirname(out_dir), tb_run, "tb") if tb_run else os.path.join(out_dir, "tb")
    tb = SummaryWriter(tb_dir, start_time=clock.now(), host=WallClock.HOST, pid=WallClock.PID)
    gen = torch.Generator().manual_seed(seed)
    n = len(ytr)
    nb = (n + BATCH - 1) // BATCH
    gs = 0
    hist = []
    for epoch in range(EPOCHS):
        lr = opt.param_groups[0]["lr"]
        pl.log_metrics({"lr-SGD": lr}, step=gs)          # LearningRateMonitor.on_train_epoch_start
        tot, cnt, correct = torch.zeros((), dtype=torch.float32), 0, 0
        for i, idx in enumerate(C.batches(n, BATCH, gen)):
            out = model(C.augment(Xtr[idx], gen, AUG_SHIFT, AUG_NOISE))
            loss = F.cross_entropy(out, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.detach() * len(idx)
            cnt += len(idx)
            correct += (out.argmax(1) == ytr[idx]).sum().item()
            if (gs + 1) % LOG_EVERY == 0:
                pl.log_metrics({"train_loss_step": loss.item(), "epoch": epoch}, step=gs)
            if (i + 1) % PRINT_EVERY == 0:
                log.line(f"Epoch [{epoch + 1}/{EPOCHS}] Step [{i + 1}/{nb}] loss={loss.item():.4f} lr={lr:.6g}")
            gs += 1
        val_loss, val_acc, _, _, _ = C.eval_metrics(model, Xva, yva, batch_size=64)
        train_loss = (tot / cnt).item()
        pl.log_metrics({"val_loss": val_loss, "val_acc": val_acc, "epoch": epoch}, step=gs - 1)
        pl.log_metrics({"train_loss_epoch": train_loss, "epoch": epoch}, step=gs - 1)
        log.line(f"Epoch [{epoch + 1}/{EPOCHS}] train_loss={train_loss:.4f} train_acc={correct / cnt:.4f} "
                 f"val_loss={val_loss:.4f} val_acc={val_acc:.4f} lr={lr:.6g}")
        for tag, v in (("train/loss", train_loss), ("train/acc", correct / cnt), ("val/loss", val_loss),
                       ("val/acc", val_acc), ("train/lr", lr)):
            tb.add_scalar(tag, v, epoch, walltime=clock.now())
        hist.append(dict(epoch=epoch, lr=lr, train_loss=train_loss, val_loss=val_loss, val_acc=val_acc))
        sched.step()
    pl.save()
    log.close()
    tb.close()
    return summarize(hist, timer())


def summarize(hist, seconds):
    drops = []
    for a, b in zip(hist, hist[1:]):
        if b["lr"] / a["lr"] <= 0.5:
            drops.append({"epoch": b["epoch"] + 1, "lr": f"{a['lr']:.3g}->{b['lr']:.3g}",
                          "train_loss": f"{a['train_loss']:.4f}->{b['train_loss']:.4f}",
                          "val_acc": f"{a['val_acc']:.4f}->{b['val_acc']:.4f}"})
    best = min(hist, key=lambda h: h["val_loss"])
    return {"seconds": round(seconds, 1), "lr_drops(ratio<=0.5, 1-based epoch)": drops,
            "best_val_loss_epoch": best["epoch"] + 1, "final_val_acc": round(hist[-1]["val_acc"], 4),
            "final_train_loss": round(hist[-1]["train_loss"], 4),
            "lr_first_last": f"{hist[0]['lr']:.3g} -> {hist[-1]['lr']:.3g}"}
