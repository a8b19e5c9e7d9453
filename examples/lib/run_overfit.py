"""Runs 3-4 on the same small problem (150 digits for training, a 3x512 MLP):

- overfit:       transformers-Trainer-style run for 60 epochs, no early stopping, no best-model restore.
                 Logs: train.log (ProgressCallback console dicts) + trainer_state.json (save_state layout).
                 Config: training_args.json (TrainingArguments.to_json_string()).
- early-stopped: Keras-style run with EarlyStopping(monitor='val_loss', patience=5, restore_best_weights=True).
                 Logs: training.log (CSVLogger) + output.log (fit(verbose=2) stdout). Config: config.yaml.
- overfit-keras-tb: the same Keras-style training with no EarlyStopping for 50 epochs, logged by the Keras
                 TensorBoard callback (TF2 writers: logs/train and logs/validation, epoch_* tags, step =
                 0-based epoch) and by CSVLogger (training.log). Config: config.yaml.
"""
import copy
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import common as C
from .tbwriter import TF2SummaryWriter
from .writers import HFTrainerLog, KerasCSVLogger, PlainLog, WallClock, keras_progbar_line, write_text

N_TRAIN = 150
HIDDEN = (512, 512, 512)
LR = 5e-4


def _hf_training_args(out_dir_name, seed, bs, eval_bs, epochs, logging_steps):
    # Field order of transformers.TrainingArguments (4.46), as to_dict()/to_json_string() emit it.
    a = {
        "output_dir": out_dir_name, "overwrite_output_dir": False, "do_train": True, "do_eval": True,
        "do_predict": False, "eval_strategy": "epoch", "prediction_loss_only": False,
        "per_device_train_batch_size": bs, "per_device_eval_batch_size": eval_bs,
        "per_gpu_train_batch_size": None, "per_gpu_eval_batch_size": None, "gradient_accumulation_steps": 1,
        "eval_accumulation_steps": None, "eval_delay": 0, "torch_empty_cache_steps": None,
        "learning_rate": LR, "weight_decay": 0.0, "adam_beta1": 0.9, "adam_beta2": 0.999,
        "adam_epsilon": 1e-08, "max_grad_norm": 1.0, "num_train_epochs": epochs, "max_steps": -1,
        "lr_scheduler_type": "linear", "lr_scheduler_kwargs": {}, "warmup_ratio": 0.0, "warmup_steps": 0,
        "log_level": "passive", "log_level_replica": "warning", "log_on_each_node": True,
        "logging_dir": f"{out_dir_name}/logs", "logging_strategy": "steps", "logging_first_step": False,
        "logging_steps": logging_steps, "logging_nan_inf_filter": True, "save_strategy": "no",
        "save_steps": 500, "save_total_limit": None, "save_safetensors": True, "save_on_each_node": False,
        "save_only_model": False, "restore_callback_states_from_checkpoint": False, "no_cuda": False,
        "use_cpu": True, "use_mps_device": False, "seed": seed, "data_seed": None, "jit_mode_eval": False,
        "use_ipex": False, "bf16": False, "fp16": False, "fp16_opt_level": "O1", "half_precision_backend": "auto",
        "bf16_full_eval": False, "fp16_full_eval": False, "tf32": None, "local_rank": 0, "ddp_backend": None,
        "tpu_num_cores": None, "tpu_metrics_debug": False, "debug": [], "dataloader_drop_last": False,
        "eval_steps": None, "dataloader_num_workers": 0, "dataloader_prefetch_factor": None, "past_index": -1,
        "run_name": out_dir_name, "disable_tqdm": False, "remove_unused_columns": True, "label_names": None,
        "load_best_model_at_end": False, "metric_for_best_model": None, "greater_is_better": None,
        "ignore_data_skip": False, "fsdp": [], "fsdp_min_num_params": 0,
        "fsdp_config": {"min_num_params": 0, "xla": False, "xla_fsdp_v2": False, "xla_fsdp_grad_ckpt": False},
        "fsdp_transformer_layer_cls_to_wrap": None,
        "accelerator_config": {"split_batches": False, "dispatch_batches": None, "even_batches": True,
                               "use_seedable_sampler": True, "non_blocking": False,
                               "gradient_accumulation_kwargs": None},
        "deepspeed": None, "label_smoothing_factor": 0.0, "optim": "adamw_torch", "optim_args": None,
        "adafactor": False, "group_by_length": False, "length_column_name": "length", "report_to": [],
        "ddp_find_unused_parameters": None, "ddp_bucket_cap_mb": None, "ddp_broadcast_buffers": None,
        "dataloader_pin_memory": True, "dataloader_persistent_workers": False, "skip_memory_metrics": True,
        "use_legacy_prediction_loop": False, "push_to_hub": False, "resume_from_checkpoint": None,
        "hub_model_id": None, "hub_strategy": "every_save", "hub_token": "<HUB_TOKEN>",
        "hub_private_repo": None, "hub_always_push": False, "gradient_checkpointing": False,
        "gradient_checkpointing_kwargs": None, "include_inputs_for_metrics": False, "include_for_metrics": [],
        "eval_do_concat_batches": True, "fp16_backend": "auto", "evaluation_strategy": None,
        "push_to_hub_model_id": None, "push_to_hub_organization": None, "push_to_hub_token": "<PUSH_TO_HUB_TOKEN>",
        "mp_parameters": "", "auto_find_batch_size": False, "full_determinism": False, "torchdynamo": None,
        "ray_scope": "last", "ddp_timeout": 1800, "torch_compile": False, "torch_compile_backend": None,
        "torch_compile_mode": None, "dispatch_batches": None, "split_batches": None,
        "include_tokens_per_second": False, "include_num_input_tokens_seen": False,
        "neftune_noise_alpha": None, "optim_target_modules": None, "batch_eval_metrics": False,
        "eval_on_start": False, "use_liger_kernel": False, "eval_use_gather_object": False,
        "average_tokens_across_devices": False,
    }
    return a


def run_hf_overfit(out_dir, seed=0, epochs=60, bs=16, eval_bs=64, logging_steps=5):
    timer = C.Timer()
    C.seed_everything(seed)
    Xtr, ytr, Xva, yva = C.digits_split(n_train=N_TRAIN)
    model = C.MLP(hidden=HIDDEN)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    n = len(ytr)
    steps_in_epoch = (n + bs - 1) // bs
    max_steps = epochs * steps_in_epoch
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: max(0.0, float(max_steps - s) / float(max(1, max_steps))))
    args = _hf_training_args(os.path.basename(out_dir), seed, bs, eval_bs, epochs, logging_steps)
    write_text(os.path.join(out_dir, "training_args.json"), json.dumps(args, indent=2))
    hf = HFTrainerLog(out_dir, os.path.join(out_dir, "train.log"), train_batch_size=bs,
                      num_train_epochs=epochs, max_steps=max_steps, logging_steps=logging_steps)
    gen = torch.Generator().manual_seed(seed)
    tr_loss = torch.zeros((), dtype=torch.float32)
    total_loss_scalar = 0.0
    last_logged = 0
    gs = 0
    hist = []
    for ep in range(epochs):
        for step, idx in enumerate(C.batches(n, bs, gen)):
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            tr_loss += loss.detach()
            gs += 1
            epoch_f = ep + (step + 1) / steps_in_epoch
            if gs % logging_steps == 0:
                s = tr_loss.item()
                total_loss_scalar += s
                tr_loss -= tr_loss
                hf.log({"loss": round(s / (gs - last_logged), 4), "grad_norm": gnorm.item(),
                        "learning_rate": sched.get_last_lr()[0]}, epoch_f, gs)
                last_logged = gs
        # eval_strategy="epoch"
        t0 = C.Timer()
        losses, sizes, logits = C.evaluate(model, Xva, yva, batch_size=eval_bs)
        all_losses = np.concatenate([np.repeat(l.numpy()[None], int(s)) for l, s in zip(losses, sizes)])
        acc = float((logits.argmax(1).numpy() == yva.numpy()).mean())
        metrics = {"eval_loss": all_losses.mean().item(), "eval_accuracy": acc}
        rt = t0()
        metrics.update({"eval_runtime": round(rt, 4), "eval_samples_per_second": round(len(yva) / rt, 3),
                        "eval_steps_per_second": round(len(sizes) / rt, 3)})
        hf.log(metrics, ep + 1.0, gs)
        hist.append({"epoch": ep + 1, "eval_loss": metrics["eval_loss"], "eval_accuracy": acc})
    total_loss_scalar += tr_loss.item()  # whatever was not logged yet (Trainer does the same)
    rt = timer()
    hf.log({"train_runtime": round(rt, 4), "train_samples_per_second": round(n * epochs / rt, 3),
            "train_steps_per_second": round(max_steps / rt, 3), "total_flos": 0.0,
            "train_loss": total_loss_scalar / gs}, float(epochs), gs)
    hf.save_state()
    hf.close()
    train_losses = [h["loss"] for h in hf.state["log_history"] if "loss" in h]
    best = min(hist, key=lambda h: h["eval_loss"])
    return {"seconds": round(timer(), 1), "epochs": epochs, "best_eval_loss_epoch": best["epoch"],
            "best_eval_loss": round(best["eval_loss"], 4), "final_eval_loss": round(hist[-1]["eval_loss"], 4),
            "rise_after_best_%": round(100 * (hist[-1]["eval_loss"] / best["eval_loss"] - 1), 1),
            "train_loss_at_best->final": f"{_train_at(hf, best['epoch']):.4f}->{train_losses[-1]:.4f}",
            "eval_acc_best_epoch/final": f"{best['eval_accuracy']:.4f}/{hist[-1]['eval_accuracy']:.4f}"}


def _train_at(hf, epoch):
    v = [h["loss"] for h in hf.state["log_history"] if "loss" in h and h["epoch"] <= epoch + 1e-9]
    return v[-1]


def _keras_init(model):
    """Keras Dense defaults: glorot_uniform kernels, zero biases."""
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


def run_keras_early_stopping(out_dir, seed=0, max_epochs=100, bs=16, patience=5):
    timer = C.Timer()
    C.seed_everything(seed)
    Xtr, ytr, Xva, yva = C.digits_split(n_train=N_TRAIN)
    model = C.MLP(hidden=HIDDEN)
    _keras_init(model)
    opt = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-7)
    write_text(os.path.join(out_dir, "config.yaml"), f"""\
# Keras 3 training config read by train_keras.py (model.fit with callbacks)
seed: {seed}
data:
  dataset: sklearn_digits
  train_samples: {N_TRAIN}
  validation_samples: 597
model:
  type: mlp
  hidden_units: [512, 512, 512]
  activation: relu
optimizer:
  name: adam
  learning_rate: 0.0005
  epsilon: 1.0e-07
batch_size: {bs}
epochs: {max_epochs}
callbacks:
  early_stopping:
    monitor: val_loss
    mode: min
    patience: {patience}
    min_delta: 0.0
    restore_best_weights: true
  csv_logger:
    filename: training.log
""")
    csv_log = KerasCSVLogger(os.path.join(out_dir, "training.log"))
    out = PlainLog(os.path.join(out_dir, "output.log"))
    gen = torch.Generator().manual_seed(seed)
    n = len(ytr)
    nb = (n + bs - 1) // bs
    best, best_epoch, wait, best_weights, stopped = float("inf"), 0, 0, None, 0
    hist = []
    for epoch in range(max_epochs):
        t0 = C.Timer()
        out.line(f"Epoch {epoch + 1}/{max_epochs}")
        tot, correct = torch.zeros((), dtype=torch.float32), 0
        for idx in C.batches(n, bs, gen):
            o = model(Xtr[idx])
            loss = F.cross_entropy(o, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.detach() * len(idx)
            correct += (o.argmax(1) == ytr[idx]).sum().item()
        val_loss, val_acc, _, _, _ = C.eval_metrics(model, Xva, yva, batch_size=32)
        logs = {"accuracy": float(np.float32(correct / n)), "loss": (tot / n).item(), "val_accuracy": val_acc, "val_loss": val_loss}
        out.line(keras_progbar_line(nb, nb, t0(), logs))
        csv_log.on_epoch_end(epoch, logs)
        hist.append(dict(epoch=epoch, **logs))
        # keras.callbacks.EarlyStopping.on_epoch_end
        wait += 1
        if val_loss < best:
            best, best_epoch = val_loss, epoch
            best_weights = copy.deepcopy(model.state_dict())
            wait = 0
        elif wait >= patience and epoch > 0:
            stopped = epoch
            break
    csv_log.close()
    if stopped > 0:
        out.line(f"Epoch {stopped + 1}: early stopping")
    if best_weights is not None:
        out.line(f"Restoring model weights from the end of the best epoch: {best_epoch + 1}.")
        model.load_state_dict(best_weights)
    out.close()
    final_loss, final_acc, _, _, _ = C.eval_metrics(model, Xva, yva)
    return {"seconds": round(timer(), 1), "epochs_run": len(hist), "best_val_loss_epoch(0-based)": best_epoch,
            "stopped_epoch(0-based)": stopped, "best_val_loss": round(best, 4),
            "last_logged_val_loss": round(hist[-1]["val_loss"], 4),
            "restored_model_val_loss/acc": f"{final_loss:.4f}/{final_acc:.4f}"}


def run_keras_overfit_tb(out_dir, seed=0, epochs=50, bs=16):
    """Keras-style fit without EarlyStopping; TensorBoard(log_dir='logs', write_graph=False) + CSVLogger."""
    timer = C.Timer()
    C.seed_everything(seed)
    Xtr, ytr, Xva, yva = C.digits_split(n_train=N_TRAIN)
    model = C.MLP(hidden=HIDDEN)
    _keras_init(model)
    opt = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-7)
    write_text(os.path.join(out_dir, "config.yaml"), f"""\
# Keras 3 training config read by train_keras.py (model.fit with callbacks)
seed: {seed}
data:
  dataset: sklearn_digits
  train_samples: {N_TRAIN}
  validation_samples: 597
model:
  type: mlp
  hidden_units: [512, 512, 512]
  activation: relu
optimizer:
  name: adam
  learning_rate: 0.0005
  epsilon: 1.0e-07
batch_size: {bs}
epochs: {epochs}
callbacks:
  tensorboard:
    log_dir: logs
    histogram_freq: 0
    write_graph: false
    update_freq: epoch
  csv_logger:
    filename: training.log
""")
    csv_log = KerasCSVLogger(os.path.join(out_dir, "training.log"))
    clock = WallClock()
    logs_dir = os.path.join(out_dir, "logs")
    # TensorBoard.on_train_begin creates the train writer; the validation writer is created at its first use.
    train_w = TF2SummaryWriter(os.path.join(logs_dir, "train"), start_time=clock.now(), host=WallClock.HOST,
                               pid=WallClock.PID, uid=0)
    val_w = None
    gen = torch.Generator().manual_seed(seed)
    n = len(ytr)
    iterations = 0
    hist = []
    for epoch in range(epochs):
        tot, correct = torch.zeros((), dtype=torch.float32), 0
        for idx in C.batches(n, bs, gen):
            o = model(Xtr[idx])
            loss = F.cross_entropy(o, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            iterations += 1
            tot += loss.detach() * len(idx)
            correct += (o.argmax(1) == ytr[idx]).sum().item()
        val_loss, val_acc, _, _, _ = C.eval_metrics(model, Xva, yva, batch_size=32)
        if val_w is None:
            val_w = TF2SummaryWriter(os.path.join(logs_dir, "validation"), start_time=clock.now(),
                                     host=WallClock.HOST, pid=WallClock.PID, uid=1)
        # TensorBoard.on_test_end (validation inside fit): step = optimizer.iterations
        for name, v in (("accuracy", val_acc), ("loss", val_loss)):
            val_w.scalar(f"evaluation_{name}_vs_iterations", v, iterations, walltime=clock.now())
        logs = {"accuracy": float(np.float32(correct / n)), "loss": (tot / n).item(), "val_accuracy": val_acc,
                "val_loss": val_loss}
        csv_log.on_epoch_end(epoch, logs)
        # TensorBoard.on_epoch_end → _log_epoch_metrics: train logs + learning_rate, then val logs without 'val_'
        for name, v in (("accuracy", logs["accuracy"]), ("loss", logs["loss"]), ("learning_rate", LR)):
            train_w.scalar(f"epoch_{name}", v, epoch, walltime=clock.now())
        for name, v in (("accuracy", val_acc), ("loss", val_loss)):
            val_w.scalar(f"epoch_{name}", v, epoch, walltime=clock.now())
        hist.append(dict(epoch=epoch, **logs))
    csv_log.close()
    train_w.close()
    val_w.close()
    best = min(hist, key=lambda h: h["val_loss"])
    return {"seconds": round(timer(), 1), "epochs": epochs, "best_val_loss_epoch(0-based)": best["epoch"],
            "best_val_loss": round(best["val_loss"], 4), "final_val_loss": round(hist[-1]["val_loss"], 4),
            "rise_after_best_%": round(100 * (hist[-1]["val_loss"] / best["val_loss"] - 1), 1),
            "train_loss_at_best->final": f"{best['loss']:.4f}->{hist[-1]['loss']:.4f}",
            "val_acc_best/final": f"{best['val_accuracy']:.4f}/{hist[-1]['val_accuracy']:.4f}"}
