"""timm-style runs (train.py of pytorch-image-models): args.yaml, summary.csv and the stdout log (output.log).

- large-batch:            batch 1024 on synthetic data, lr 0.075 = the lr of the batch-128 recipe (not scaled),
                          no warmup, no clipping.
- large-batch-no-warmup:  batch 1024, lr linearly scaled to 0.6, no warmup, no clipping → early loss spikes.
- large-batch-healthy:    batch 1024, lr 0.6 (scaled), 3 warmup epochs (per update), clip_grad 1.0.
- noisy-val:              digits CNN, constant lr 0.085, small val set (200): val top-1 jumps between epochs.
- ema:                    the same training with model_ema (decay 0.99); timm then reports the EMA model's
                          metrics in summary.csv (eval_*) and prints both 'Test:' and 'Test (EMA):'.
"""
import copy
import math
import os

import torch
import torch.nn.functional as F

from . import common as C
from .writers import PlainLog, TimmSummary, timm_args_yaml


class AverageMeter:
    def __init__(self):
        self.val = self.avg = self.sum = 0.0
        self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


class CosineLR:
    """timm CosineLRScheduler(t_initial, lr_min, warmup_t, warmup_lr_init, warmup_prefix=False, cycle_limit=1)
    stepped per update (t_in_epochs=False)."""

    def __init__(self, base_lr, t_initial, lr_min=0.0, warmup_t=0, warmup_lr_init=1e-5):
        self.base, self.t_initial, self.lr_min = base_lr, t_initial, lr_min
        self.warmup_t, self.warmup_lr_init = warmup_t, warmup_lr_init
        self.warmup_steps = (base_lr - warmup_lr_init) / warmup_t if warmup_t else 0.0

    def __call__(self, t):
        if t < self.warmup_t:
            return self.warmup_lr_init + t * self.warmup_steps
        if t < self.t_initial:
            return self.lr_min + 0.5 * (self.base - self.lr_min) * (1 + math.cos(math.pi * t / self.t_initial))
        return self.lr_min


def timm_args(**over):
    """A subset of timm train.py's argparse namespace with timm 1.0 defaults, overridden per run."""
    a = {
        "aa": None, "amp": False, "amp_dtype": "float16", "aug_repeats": 0, "aug_splits": 0, "batch_size": 128,
        "bce_loss": False, "bn_eps": None, "bn_momentum": None, "channels_last": False, "checkpoint_hist": 10,
        "class_map": "", "clip_grad": None, "clip_mode": "norm", "color_jitter": 0.4, "cooldown_epochs": 0,
        "crop_pct": None, "cutmix": 0.0, "data_dir": None, "dataset": "", "decay_epochs": 90,
        "decay_milestones": [90, 180, 270], "decay_rate": 0.1, "device": "cpu", "drop": 0.0, "drop_path": None,
        "epoch_repeats": 0.0, "epochs": 300, "eval_metric": "top1", "experiment": "", "grad_accum_steps": 1,
        "hflip": 0.5, "img_size": None, "initial_checkpoint": "", "input_size": None, "interpolation": "",
        "layer_decay": None, "log_interval": 50, "log_wandb": False, "lr": None, "lr_base": 0.1,
        "lr_base_scale": "", "lr_base_size": 256, "lr_cycle_decay": 0.5, "lr_cycle_limit": 1, "lr_cycle_mul": 1.0,
        "lr_k_decay": 1.0, "lr_noise": None, "lr_noise_pct": 0.67, "lr_noise_std": 1.0, "mean": None,
        "min_lr": 0, "mixup": 0.0, "model": "resnet50", "model_ema": False, "model_ema_decay": 0.9998,
        "model_ema_force_cpu": False, "model_ema_warmup": False, "momentum": 0.9, "num_classes": None,
        "opt": "sgd", "opt_betas": None, "opt_eps": None, "output": "", "patience_epochs": 10, "pin_mem": False,
        "pretrained": False, "pretrained_path": None, "recovery_interval": 0, "resume": "", "sched": "cosine",
        "sched_on_updates": False, "seed": 42, "smoothing": 0.1, "start_epoch": None, "std": None,
        "train_split": "train", "val_split": "validation", "validation_batch_size": None, "warmup_epochs": 5,
        "warmup_lr": 1e-05, "warmup_prefix": False, "weight_decay": 2e-05, "workers": 4,
    }
    for k in over:
        assert k in a, k
    a.update(over)
    return a


def accuracy(output, target, topk=(1, 5)):
    maxk = min(max(topk), output.size(1))
    batch_size = target.size(0)
    _, pred = output.topk(maxk, 1, True, True)
    pred = pred.t()
    correct = pred.eq(target.reshape(1, -1).expand_as(pred))
    return [correct[:min(k, maxk)].reshape(-1).float().sum(0) * 100. / batch_size for k in topk]


def validate(model, X, y, bs, log, log_interval, log_suffix=""):
    losses_m, top1_m, top5_m, batch_time_m = AverageMeter(), AverageMeter(), AverageMeter(), AverageMeter()
    model.eval()
    last_idx = (len(y) + bs - 1) // bs - 1
    t = C.Timer()
    with torch.no_grad():
        for batch_idx, i in enumerate(range(0, len(y), bs)):
            inp, target = X[i:i + bs], y[i:i + bs]
            output = model(inp)
            loss = F.cross_entropy(output, target)
            acc1, acc5 = accuracy(output, target)
            losses_m.update(loss.item(), inp.size(0))
            top1_m.update(acc1.item(), output.size(0))
            top5_m.update(acc5.item(), output.size(0))
            batch_time_m.update(t())
            t = C.Timer()
            if batch_idx == last_idx or batch_idx % log_interval == 0:
                log.line(f"Test{log_suffix}: [{batch_idx:>4d}/{last_idx}]  "
                         f"Time: {batch_time_m.val:.3f} ({batch_time_m.avg:.3f})  "
                         f"Loss: {losses_m.val:>7.3f} ({losses_m.avg:>6.3f})  "
                         f"Acc@1: {top1_m.val:>7.3f} ({top1_m.avg:>7.3f})  "
                         f"Acc@5: {top5_m.val:>7.3f} ({top5_m.avg:>7.3f})")
    model.train()
    return {"loss": losses_m.avg, "top1": top1_m.avg, "top5": top5_m.avg}


def timm_train(out_dir, *, model, model_name, data, args, sched, augment=None, ema_decay=None, seed=0):
    Xtr, ytr, Xva, yva = data
    timer = C.Timer()
    timm_args_yaml(os.path.join(out_dir, "args.yaml"), args)
    log = PlainLog(os.path.join(out_dir, "output.log"))
    summary = TimmSummary(os.path.join(out_dir, "summary.csv"))
    bs, epochs, lr0 = args["batch_size"], args["epochs"], args["lr"]
    vbs = args["validation_batch_size"] or bs
    opt = torch.optim.SGD(model.parameters(), lr=lr0, momentum=args["momentum"],
                          weight_decay=args["weight_decay"], nesterov=False)
    ema = copy.deepcopy(model) if ema_decay else None
    if ema is not None:
        for p in ema.parameters():
            p.requires_grad_(False)
    gen = torch.Generator().manual_seed(seed)
    n = len(ytr)
    updates_per_epoch = n // bs  # timm's train loader drops the last partial batch
    log.line(f"Model {model_name} created, param count:{sum(p.numel() for p in model.parameters())}")
    log.line(f"Scheduled epochs: {epochs}. LR stepped per {'update' if args['sched_on_updates'] else 'epoch'}.")

    def set_lr(v):
        for g in opt.param_groups:
            g["lr"] = v

    num_updates = 0
    set_lr(sched(0))
    best_metric, best_epoch = None, None
    hist, step_losses = [], []
    for epoch in range(epochs):
        losses_m, update_time_m, data_time_m = AverageMeter(), AverageMeter(), AverageMeter()
        t_upd = C.Timer()
        for update_idx, idx in enumerate(C.batches(n, bs, gen, drop_last=True)):
            last_batch = update_idx == updates_per_epoch - 1
            t_data = C.Timer()
            inp = augment(Xtr[idx], gen) if augment else Xtr[idx]
            target = ytr[idx]
            data_time_m.update(t_data())
            output = model(inp)
            loss = F.cross_entropy(output, target)
            losses_m.update(loss.item(), inp.size(0))
            step_losses.append(loss.item())
            opt.zero_grad()
            loss.backward()
            if args["clip_grad"] is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), args["clip_grad"])
            opt.step()
            num_updates += 1
            if ema is not None:
                with torch.no_grad():
                    for pe, pm in zip(ema.parameters(), model.parameters()):
                        pe.mul_(ema_decay).add_(pm.detach(), alpha=1.0 - ema_decay)
            update_time_m.update(t_upd())
            t_upd = C.Timer()
            if update_idx % args["log_interval"] == 0 or last_batch:
                lrl = [g["lr"] for g in opt.param_groups]
                lr = sum(lrl) / len(lrl)
                cnt = inp.size(0)
                log.line(f"Train: {epoch} [{update_idx:>4d}/{updates_per_epoch} "
                         f"({100. * (update_idx + 1) / updates_per_epoch:>3.0f}%)]  "
                         f"Loss: {losses_m.val:#.3g} ({losses_m.avg:#.3g})  "
                         f"Time: {update_time_m.val:.3f}s, {cnt / update_time_m.val:>7.2f}/s  "
                         f"({update_time_m.avg:.3f}s, {cnt / update_time_m.avg:>7.2f}/s)  "
                         f"LR: {lr:.3e}  "
                         f"Data: {data_time_m.val:.3f} ({data_time_m.avg:.3f})")
            if args["sched_on_updates"]:
                set_lr(sched(num_updates))
        eval_metrics = validate(model, Xva, yva, vbs, log, args["log_interval"])
        raw_top1 = eval_metrics["top1"]
        if ema is not None:
            eval_metrics = validate(ema, Xva, yva, vbs, log, args["log_interval"], log_suffix=" (EMA)")
        lrl = [g["lr"] for g in opt.param_groups]
        summary.update(epoch, {"loss": losses_m.avg}, eval_metrics, lr=sum(lrl) / len(lrl))
        if not args["sched_on_updates"]:
            set_lr(sched(epoch + 1))
        if best_metric is None or eval_metrics["top1"] > best_metric:
            best_metric, best_epoch = eval_metrics["top1"], epoch
        hist.append({"epoch": epoch, "train_loss": losses_m.avg, "top1": eval_metrics["top1"], "raw_top1": raw_top1})
    log.line(f"*** Best metric: {best_metric} (epoch {best_epoch})")
    log.close()
    return hist, step_losses, timer()


def _spikes(losses, window=10, factor=1.5):
    import statistics
    out = []
    for i in range(3, len(losses)):
        med = statistics.median(losses[max(0, i - window):i])
        if losses[i] > factor * med:
            out.append(f"update {i}: {losses[i]:.2f} ({losses[i] / med:.1f}x trailing median)")
    return out


N_SYN_TRAIN, N_SYN_VAL = 16384, 4096


def run_large_batch(out_dir, variant, seed=0, epochs=10, bs=1024):
    lr, warmup, clip = {"unscaled": (0.075, 0, None), "no-warmup": (0.6, 0, None),
                        "healthy": (0.6, 3, 1.0)}[variant]
    C.seed_everything(seed)
    X, y = C.synthetic(N_SYN_TRAIN + N_SYN_VAL)
    data = (X[:N_SYN_TRAIN], y[:N_SYN_TRAIN], X[N_SYN_TRAIN:], y[N_SYN_TRAIN:])
    model = C.MLP(hidden=(512, 512, 512))
    upe = N_SYN_TRAIN // bs
    args = timm_args(batch_size=bs, lr=lr, epochs=epochs, warmup_epochs=warmup, clip_grad=clip,
                     sched="cosine", sched_on_updates=True, weight_decay=1e-4, momentum=0.9, opt="sgd",
                     model="mlp_512x3", num_classes=10, input_size=[64], dataset="synthetic_teacher",
                     data_dir="data/synthetic", seed=seed, log_interval=1, smoothing=0.0, hflip=0.0,
                     color_jitter=0.0, workers=0, output="runs/" + os.path.basename(out_dir),
                     experiment=os.path.basename(out_dir))
    sched = CosineLR(lr, epochs * upe, lr_min=0.0, warmup_t=warmup * upe, warmup_lr_init=1e-5)
    hist, losses, secs = timm_train(out_dir, model=model, model_name="mlp_512x3", data=data, args=args,
                                    sched=sched, seed=seed)
    early = losses[:len(losses) // 5]
    return {"seconds": round(secs, 1), "updates": len(losses), "lr": lr, "warmup_epochs": warmup, "clip_grad": clip,
            "max_loss_first_20%_updates": round(max(early), 3),
            "spikes(>1.5x trailing-10 median)": _spikes(losses) or "none",
            "val_top1_by_epoch": [round(h["top1"], 1) for h in hist],
            "final_train_loss": round(hist[-1]["train_loss"], 4)}


def osc_pairs(acc, zeta):
    """AUTOTRAINER-style count over the last 70% of evals of consecutive local extrema ≥ zeta apart."""
    a = acc[int(0.3 * len(acc)):]
    ext = [a[0]] + [a[i] for i in range(1, len(a) - 1) if (a[i] - a[i - 1]) * (a[i + 1] - a[i]) < 0] + [a[-1]]
    return sum(1 for i in range(1, len(ext)) if abs(ext[i] - ext[i - 1]) >= zeta)


def run_noisy_val(out_dir, ema, seed=0, epochs=40, bs=32, lr=0.085, n_val=200):
    C.seed_everything(seed)
    data = C.digits_split(image=True, n_val=n_val)
    model = C.CNN()
    args = timm_args(batch_size=bs, lr=lr, epochs=epochs, warmup_epochs=0, sched="none", weight_decay=5e-4,
                     momentum=0.9, opt="sgd", model="digits_cnn", num_classes=10, input_size=[1, 8, 8],
                     dataset="sklearn_digits", data_dir="data/digits", seed=seed, log_interval=10, smoothing=0.0,
                     hflip=0.0, color_jitter=0.0, workers=0, model_ema=bool(ema),
                     model_ema_decay=0.99 if ema else 0.9998, output="runs/" + os.path.basename(out_dir),
                     experiment=os.path.basename(out_dir))
    hist, losses, secs = timm_train(out_dir, model=model, model_name="digits_cnn", data=data, args=args,
                                    sched=lambda t: lr, augment=lambda x, g: C.augment(x, g, 1, 0.3),
                                    ema_decay=0.99 if ema else None, seed=seed)
    top1 = [h["top1"] / 100 for h in hist]
    tail = top1[int(0.3 * len(top1)):]
    diffs = [b - a for a, b in zip(tail, tail[1:])]
    import statistics
    return {"seconds": round(secs, 1), "evals": len(top1),
            "summary_eval_top1 (EMA model if ema)": [round(100 * v, 1) for v in top1],
            "oscillation_pairs>=3pp_last70%": osc_pairs(top1, 0.03),
            "std_of_epoch_to_epoch_change_last70%_pp": round(100 * statistics.pstdev(diffs), 2),
            "best-final_pp": round(100 * (max(top1) - top1[-1]), 1),
            "raw_model_oscillation_pairs": osc_pairs([h["raw_top1"] / 100 for h in hist], 0.03)}
