"""Hugging Face Trainer: log the update-to-weight ratio ||dw|| / ||w|| as `update_ratio`.

Measured on the optimizer steps the Trainer logs (every `logging_steps`), printed as
`step=<global step> update_ratio=<r>` and written into `trainer_state.json`'s log_history, both of
which traindx reads. Hooks from transformers/src/transformers/trainer_callback.py (v4.44+):
on_pre_optimizer_step runs after gradient clipping and before the step, on_optimizer_step after it;
the CallbackHandler passes the `optimizer` among the keyword arguments.
Usage: Trainer(..., callbacks=[UpdateRatio()]).
"""
import torch
from transformers import TrainerCallback


class UpdateRatio(TrainerCallback):
    def __init__(self):
        self._params = None
        self._before = None

    def _logs_now(self, args, state):
        every = max(1, int(args.logging_steps)) if args.logging_steps >= 1 else 1
        return (state.global_step + 1) % every == 0  # global_step counts the step once it is done

    def on_pre_optimizer_step(self, args, state, control, optimizer=None, **kwargs):
        if optimizer is None or not self._logs_now(args, state):
            return
        self._params = [p for g in optimizer.param_groups for p in g["params"] if p.grad is not None]
        self._before = [p.detach().clone() for p in self._params]

    def on_optimizer_step(self, args, state, control, **kwargs):
        if not self._params:
            return
        with torch.no_grad():
            update = sum(float((p - b).pow(2).sum()) for p, b in zip(self._params, self._before)) ** 0.5
            weight = sum(float(p.pow(2).sum()) for p in self._params) ** 0.5
        ratio = update / (weight + 1e-12)
        step = state.global_step + 1
        if state.is_world_process_zero:
            print(f"step={step} update_ratio={ratio:.4e}", flush=True)
            state.log_history.append({"update_ratio": ratio, "step": step})
        self._params, self._before = None, None
