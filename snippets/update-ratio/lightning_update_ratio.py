"""Lightning: log the update-to-weight ratio ||dw|| / ||w|| of every optimizer step as `update_ratio`.

traindx reads the `update_ratio` column Lightning's loggers write (CSVLogger's metrics.csv, TensorBoard,
W&B) and judges it against ~1e-3 (CS231n). Hooks as in lightning/pytorch/callbacks/callback.py
(Lightning 2.x): on_before_optimizer_step(trainer, pl_module, optimizer) runs after backward and
before the step; on_train_batch_end runs after it. Usage: Trainer(callbacks=[UpdateRatio()]).
Copying the weights costs one more copy of the trainable parameters in memory while it runs.
"""
import torch
from lightning.pytorch.callbacks import Callback


class UpdateRatio(Callback):
    def __init__(self):
        self._params = None
        self._before = None

    def on_before_optimizer_step(self, trainer, pl_module, optimizer):
        self._params = [p for g in optimizer.param_groups for p in g["params"] if p.grad is not None]
        self._before = [p.detach().clone() for p in self._params]

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        if not self._params:  # an accumulation step: the optimizer did not step
            return
        with torch.no_grad():
            update = sum(float((p - b).pow(2).sum()) for p, b in zip(self._params, self._before)) ** 0.5
            weight = sum(float(p.pow(2).sum()) for p in self._params) ** 0.5
        pl_module.log("update_ratio", update / (weight + 1e-12), on_step=True, on_epoch=False)
        self._params, self._before = None, None
