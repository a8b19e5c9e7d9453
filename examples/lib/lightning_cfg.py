"""Lightning CLI configs as SaveConfigCallback writes them (jsonargparse dump, '# lightning.pytorch==<ver>')."""
from .writers import yaml_ordered

LIGHTNING_VERSION = "2.4.0"


def trainer_section(max_epochs, log_every_n_steps, callbacks, gradient_clip_val=None):
    return {
        "accelerator": "cpu",
        "strategy": "auto",
        "devices": 1,
        "num_nodes": 1,
        "precision": None,
        "logger": {
            "class_path": "lightning.pytorch.loggers.CSVLogger",
            "init_args": {"save_dir": ".", "name": "lightning_logs", "version": None, "prefix": "",
                          "flush_logs_every_n_steps": 100},
        },
        "callbacks": callbacks,
        "fast_dev_run": False,
        "max_epochs": max_epochs,
        "min_epochs": None,
        "max_steps": -1,
        "min_steps": None,
        "max_time": None,
        "limit_train_batches": None,
        "limit_val_batches": None,
        "limit_test_batches": None,
        "limit_predict_batches": None,
        "overfit_batches": 0.0,
        "val_check_interval": None,
        "check_val_every_n_epoch": 1,
        "num_sanity_val_steps": None,
        "log_every_n_steps": log_every_n_steps,
        "enable_checkpointing": None,
        "enable_progress_bar": None,
        "enable_model_summary": None,
        "accumulate_grad_batches": 1,
        "gradient_clip_val": gradient_clip_val,
        "gradient_clip_algorithm": None,
        "deterministic": True,
        "benchmark": None,
        "inference_mode": True,
        "use_distributed_sampler": True,
        "profiler": None,
        "detect_anomaly": False,
        "barebones": False,
        "plugins": None,
        "sync_batchnorm": False,
        "reload_dataloaders_every_n_epochs": 0,
        "default_root_dir": None,
    }


def lr_monitor(interval="epoch"):
    return {"class_path": "lightning.pytorch.callbacks.LearningRateMonitor",
            "init_args": {"logging_interval": interval, "log_momentum": False, "log_weight_decay": False}}


def sgd(lr, momentum, weight_decay):
    return {"class_path": "torch.optim.SGD",
            "init_args": {"lr": lr, "momentum": momentum, "dampening": 0.0, "weight_decay": weight_decay,
                          "nesterov": False, "maximize": False, "foreach": None, "differentiable": False,
                          "fused": None}}


def write_cli_config(path, *, seed, trainer, model, data, optimizer, lr_scheduler):
    cfg = {"seed_everything": seed, "trainer": trainer, "model": model, "data": data,
           "optimizer": optimizer, "lr_scheduler": lr_scheduler, "ckpt_path": None}
    yaml_ordered(path, cfg, header=f"# lightning.pytorch=={LIGHTNING_VERSION}\n")
