"""Fine-tuning runs in Ultralytics classify format (results.csv + args.yaml).

Both runs first pretrain the same CNN (with BatchNorm) on digits 0-4 (SGD lr 0.01, 10 epochs; the weights stay
in memory, nothing is saved), then replace the 5-way head and fine-tune on 100 images of digits 5-9:

- fine-tune-high-lr: every layer trainable, SGD lr0 = 0.2 (20x the pretraining lr): the pretrained features
  are wrecked in the first epochs and validation accuracy falls to chance level.
- fine-tune-healthy: the two conv blocks frozen (Ultralytics freeze: 6 → model.0 ... model.5), lr0 = 0.001
  (0.1x the pretraining lr).

Training follows Ultralytics' BaseTrainer where it matters for the logs: SGD(nesterov=True) over three param
groups (biases, decayed weights, BatchNorm weights → lr/pg0..2), linear LR lambda with lrf, lr recorded at the
end of the epoch before scheduler.step(), validation of the ModelEMA weights (decay 0.9999, tau 2000), running
mean train loss, '%.6g' rows with a 1-based epoch and cumulative time.
"""
import copy
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import common as C
from .writers import UltralyticsResults, yaml_ordered

PRETRAIN_LR = 0.01
PRETRAIN_EPOCHS = 10
FT_TRAIN = 100


class ModelEMA:
    """ultralytics.utils.torch_utils.ModelEMA."""

    def __init__(self, model, decay=0.9999, tau=2000):
        self.ema = copy.deepcopy(model).eval()
        self.updates = 0
        self.decay = lambda x: decay * (1 - math.exp(-x / tau))
        for p in self.ema.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = self.decay(self.updates)
        msd = model.state_dict()
        for k, v in self.ema.state_dict().items():
            if v.dtype.is_floating_point:
                v *= d
                v += (1 - d) * msd[k].detach()


def pretrain(seed=0):
    C.seed_everything(seed)
    Xtr, ytr, Xva, yva = C.digits_split(classes=[0, 1, 2, 3, 4], image=True, n_train=600)
    m = C.CNN(classes=5, bn=True)
    opt = torch.optim.SGD(m.parameters(), lr=PRETRAIN_LR, momentum=0.9, weight_decay=5e-4)
    g = torch.Generator().manual_seed(seed)
    for _ in range(PRETRAIN_EPOCHS):
        for idx in C.batches(len(ytr), 32, g):
            loss = F.cross_entropy(m(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    _, acc, _, _, _ = C.eval_metrics(m, Xva, yva)
    return copy.deepcopy(m.state_dict()), acc


def ultra_args(name, *, lr0, freeze, epochs, batch, seed):
    # Ultralytics default.yaml key order (subset), as yaml_save writes vars(args).
    return {
        "task": "classify", "mode": "train", "model": "runs/classify/pretrain-digits-0-4/weights/best.pt",
        "data": "datasets/digits-5-9", "epochs": epochs, "time": None, "patience": 100, "batch": batch,
        "imgsz": 8, "save": True, "save_period": -1, "cache": False, "device": "cpu", "workers": 0,
        "project": None, "name": name, "exist_ok": False, "pretrained": True, "optimizer": "SGD",
        "verbose": True, "seed": seed, "deterministic": True, "single_cls": False, "rect": False,
        "cos_lr": False, "close_mosaic": 10, "resume": False, "amp": False, "fraction": 1.0, "profile": False,
        "freeze": freeze, "multi_scale": False, "dropout": 0.0, "val": True, "split": "val",
        "save_json": False, "conf": None, "iou": 0.7, "max_det": 300, "half": False, "dnn": False,
        "plots": True, "source": None, "lr0": lr0, "lrf": 0.01, "momentum": 0.937, "weight_decay": 0.0005,
        "warmup_epochs": 0.0, "warmup_momentum": 0.8, "warmup_bias_lr": 0.1, "box": 7.5, "cls": 0.5,
        "dfl": 1.5, "pose": 12.0, "kobj": 1.0, "nbs": batch, "hsv_h": 0.015, "hsv_s": 0.7, "hsv_v": 0.4,
        "degrees": 0.0, "translate": 0.1, "scale": 0.5, "shear": 0.0, "perspective": 0.0, "flipud": 0.0,
        "fliplr": 0.0, "mosaic": 1.0, "mixup": 0.0, "copy_paste": 0.0, "auto_augment": None, "erasing": 0.0,
        "cfg": None, "tracker": "botsort.yaml", "save_dir": f"runs/classify/{name}",
    }


def build_optimizer(model, lr, momentum, decay):
    g = [], [], []
    bn = tuple(v for k, v in nn.__dict__.items() if "Norm" in k)
    for module_name, module in model.named_modules():
        for param_name, param in module.named_parameters(recurse=False):
            fullname = f"{module_name}.{param_name}" if module_name else param_name
            if "bias" in fullname:
                g[2].append(param)
            elif isinstance(module, bn):
                g[1].append(param)
            else:
                g[0].append(param)
    opt = torch.optim.SGD(g[2], lr=lr, momentum=momentum, nesterov=True)
    opt.add_param_group({"params": g[0], "weight_decay": decay})
    opt.add_param_group({"params": g[1], "weight_decay": 0.0})
    return opt


def run_finetune(out_dir, variant, seed=0, epochs=15, batch=16):
    timer = C.Timer()
    lr0, freeze = {"high-lr": (0.2, None), "healthy": (0.001, 6)}[variant]
    state, pre_acc = pretrain(seed)
    t_train = C.Timer()  # Ultralytics' 'time' column counts from the start of this training
    name = os.path.basename(out_dir)
    args = ultra_args(name, lr0=lr0, freeze=freeze, epochs=epochs, batch=batch, seed=seed)
    yaml_ordered(os.path.join(out_dir, "args.yaml"), args)
    C.seed_everything(seed + 1)
    Xtr, ytr, Xva, yva = C.digits_split(classes=[5, 6, 7, 8, 9], image=True, n_train=FT_TRAIN)
    model = C.CNN(classes=5, bn=True)
    model.load_state_dict({k: v for k, v in state.items() if not k.startswith("head.")}, strict=False)
    if freeze:
        for i, layer in enumerate(model.features):
            if i < freeze:
                for p in layer.parameters():
                    p.requires_grad_(False)
    opt = build_optimizer(model, lr0, args["momentum"], args["weight_decay"])
    lf = lambda x: max(1 - x / epochs, 0) * (1.0 - args["lrf"]) + args["lrf"]
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lf)
    ema = ModelEMA(model)
    results = UltralyticsResults(os.path.join(out_dir, "results.csv"))
    gen = torch.Generator().manual_seed(seed + 1)
    hist = []
    for epoch in range(epochs):
        model.train()
        tloss = None
        for i, idx in enumerate(C.batches(len(ytr), batch, gen)):
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0)  # hard-coded in Ultralytics
            opt.step()
            ema.update(model)
            li = loss.detach()
            tloss = li if tloss is None else (tloss * i + li) / (i + 1)
        lr = {f"lr/pg{ir}": x["lr"] for ir, x in enumerate(opt.param_groups)}
        losses, sizes, logits = C.evaluate(ema.ema, Xva, yva, batch_size=batch * 2)
        top1 = (logits.argmax(1) == yva).float().mean().item()
        top5 = (logits.topk(5, 1).indices == yva[:, None]).any(1).float().mean().item()
        vloss = (losses.sum() / len(losses)).item()
        metrics = {"train/loss": round(float(tloss), 5), "metrics/accuracy_top1": top1,
                   "metrics/accuracy_top5": top5, "val/loss": round(vloss, 5), **lr}
        results.save_metrics(epoch, t_train(), metrics)
        hist.append((top1, vloss, float(tloss)))
        sched.step()
    return {"seconds": round(timer(), 1), "pretrain_val_acc(digits 0-4)": round(pre_acc, 4), "lr0": lr0,
            "frozen": f"model.0-{freeze - 1}" if freeze else "nothing",
            "val_top1_by_epoch": [round(h[0], 3) for h in hist],
            "val_loss_first_3": [round(h[1], 3) for h in hist[:3]], "final_top1": round(hist[-1][0], 4)}
