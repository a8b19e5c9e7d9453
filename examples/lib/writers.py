"""Small writers that reproduce, byte for byte, the on-disk formats of the real framework writers.

We cannot install Lightning, Keras, transformers, timm or Ultralytics here, so each class below
re-implements only the part of the real writer that decides the bytes on disk, following the writer's
source (see ../shared/research/LOG_FORMATS.md for the facts and citations):

- PlainLog            hand-written print()-style logs, one line per event, '\n'
- LightningCSVLogger  lightning_logs/version_N/metrics.csv (csv.DictWriter, excel dialect → '\r\n',
                      header keys sorted (Lightning ≥ 2.2), sparse rows, empty missing cells, 'step' added
                      to every row, 'epoch' only on rows logged through the Trainer's logger connector)
                      + hparams.yaml (yaml.dump)
- KerasCSVLogger      keras.callbacks.CSVLogger: header 'epoch' + sorted(keys) frozen at epoch 0,
                      0-based epoch, 'NA' for missing values, '\r\n'
- HFTrainerLog        transformers Trainer: console dict lines as ProgressCallback prints them
                      (str(dict), epoch rounded to 2, total_flos dropped) and trainer_state.json
                      (json.dumps(asdict(state), indent=2, sort_keys=True) + '\n')
- TimmSummary         timm utils.update_summary → summary.csv (csv.DictWriter, '\r\n', header once)
- UltralyticsResults  ultralytics BaseTrainer.save_metrics → results.csv ('%.6g', 1-based epoch, '\n')
- MlflowFileStoreRun  mlflow FileStore: mlruns/<exp>/<run>/{meta.yaml, metrics/<key>, params/<key>, tags/<key>}
- Detectron2JSONWriter detectron2 JSONWriter → metrics.json (sorted-key JSON lines, 0-based iteration)

TensorBoard event files (TFRecord + protobuf) are written by lib/tbwriter.py.
"""
import csv
import io
import json
import os

import yaml


def _open(path, mode="w"):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    return open(path, mode, newline="", encoding="utf-8")


class PlainLog:
    """A print()-style training log: exactly one line per logged event, written as it happens."""

    def __init__(self, path):
        self.f = _open(path)

    def line(self, text):
        self.f.write(text + "\n")
        self.f.flush()

    def close(self):
        self.f.close()


class LightningCSVLogger:
    """lightning.pytorch.loggers.CSVLogger (2.2+) as driven by the Trainer.

    log_metrics(metrics, step) mirrors ExperimentWriter.log_metrics: the row is {**metrics, "step": step}.
    The Trainer's logger connector adds "epoch" (callers pass it explicitly for those rows);
    LearningRateMonitor calls logger.log_metrics directly, so its rows carry no epoch.
    save() leaves the file exactly as the incremental writer leaves it at the end of training: one header
    with all keys sorted, then all rows in logging order.
    """

    def __init__(self, save_dir, name="lightning_logs", version=0):
        self.log_dir = os.path.join(save_dir, name, f"version_{version}")
        self.metrics_file_path = os.path.join(self.log_dir, "metrics.csv")
        self.rows = []
        self.keys = []

    def log_metrics(self, metrics, step):
        row = dict(metrics)
        row["step"] = step
        for k in row:
            if k not in self.keys:
                self.keys.append(k)
        self.rows.append(row)

    def log_hyperparams(self, params):
        with _open(os.path.join(self.log_dir, "hparams.yaml")) as fp:
            yaml.dump(params, fp)

    def save(self):
        keys = sorted(self.keys)
        with _open(self.metrics_file_path) as f:
            w = csv.DictWriter(f, fieldnames=keys)
            w.writeheader()
            w.writerows(self.rows)


class KerasCSVLogger:
    """keras.callbacks.CSVLogger(filename, separator=',', append=False)."""

    def __init__(self, path):
        self.f = _open(path)
        self.keys = None
        self.writer = None

    def on_epoch_end(self, epoch, logs):
        if self.keys is None:
            self.keys = sorted(logs.keys())
            if not any(k.startswith("val_") for k in self.keys):
                self.keys = self.keys + ["val_" + k for k in self.keys]
            self.writer = csv.DictWriter(self.f, fieldnames=["epoch"] + self.keys)
            self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((k, logs.get(k, "NA")) for k in self.keys)
        self.writer.writerow(row)
        self.f.flush()

    def close(self):
        self.f.close()


def keras_progbar_line(step, target, seconds, logs):
    """Keras 3 Progbar verbose=2 end-of-epoch line (keras/src/utils/progbar.py)."""
    numdigits = len(str(target))
    info = ("%" + str(numdigits) + "d/%d") % (step, target)
    info += f" - {seconds:.0f}s"
    per = seconds / max(step, 1)
    if per >= 1 or per == 0:
        info += f" - {per:.0f}s/step"
    elif per >= 1e-3:
        info += f" - {per * 1e3:.0f}ms/step"
    else:
        info += f" - {per * 1e6:.0f}us/step"
    for k, v in logs.items():
        info += f" - {k}:"
        info += f" {v:.4f}" if abs(v) > 1e-3 else f" {v:.4e}"
    return info


class HFTrainerLog:
    """transformers.Trainer logging: Trainer.log() + ProgressCallback.on_log + TrainerState.save_to_json."""

    def __init__(self, output_dir, console_path, *, train_batch_size, num_train_epochs, max_steps,
                 logging_steps, eval_steps=500, save_steps=500):
        self.output_dir = output_dir
        self.console = _open(console_path)
        self.state = {
            "best_global_step": None,
            "best_metric": None,
            "best_model_checkpoint": None,
            "epoch": 0,
            "eval_steps": eval_steps,
            "global_step": 0,
            "is_hyper_param_search": False,
            "is_local_process_zero": True,
            "is_world_process_zero": True,
            "log_history": [],
            "logging_steps": logging_steps,
            "max_steps": max_steps,
            "num_input_tokens_seen": 0,
            "num_train_epochs": num_train_epochs,
            "save_steps": save_steps,
            "stateful_callbacks": {
                "TrainerControl": {
                    "args": {"should_epoch_stop": False, "should_evaluate": False, "should_log": False,
                             "should_save": True, "should_training_stop": True},
                    "attributes": {},
                }
            },
            "total_flos": 0.0,
            "train_batch_size": train_batch_size,
            "trial_name": None,
            "trial_params": None,
        }

    def log(self, logs, epoch, global_step):
        logs = dict(logs)
        logs["epoch"] = epoch
        self.state["epoch"] = epoch
        self.state["global_step"] = global_step
        self.state["log_history"].append({**logs, "step": global_step})
        shallow = dict(logs)
        shallow.pop("total_flos", None)
        shallow["epoch"] = round(shallow["epoch"], 2)
        self.console.write(str(shallow) + "\n")
        self.console.flush()

    def save_state(self):
        with _open(os.path.join(self.output_dir, "trainer_state.json")) as f:
            f.write(json.dumps(self.state, indent=2, sort_keys=True) + "\n")

    def close(self):
        self.console.close()


class TimmSummary:
    """timm.utils.summary.update_summary: one row per epoch, header written at the first epoch."""

    def __init__(self, path):
        self.path = path
        _open(path).close()
        self.first = True

    def update(self, epoch, train_metrics, eval_metrics, lr=None):
        rowd = {"epoch": epoch}
        rowd.update([("train_" + k, v) for k, v in train_metrics.items()])
        if eval_metrics:
            rowd.update([("eval_" + k, v) for k, v in eval_metrics.items()])
        if lr is not None:
            rowd["lr"] = lr
        with _open(self.path, mode="a") as cf:
            dw = csv.DictWriter(cf, fieldnames=rowd.keys())
            if self.first:
                dw.writeheader()
                self.first = False
            dw.writerow(rowd)


def timm_args_yaml(path, args):
    """timm train.py: yaml.safe_dump(args.__dict__, default_flow_style=False) → keys sorted."""
    with _open(path) as f:
        f.write(yaml.safe_dump(args, default_flow_style=False))


class UltralyticsResults:
    """ultralytics BaseTrainer.save_metrics (current format): '%.6g' values, 1-based epoch, cumulative time."""

    def __init__(self, path):
        self.path = path
        if os.path.exists(path):
            os.remove(path)

    def save_metrics(self, epoch_index, elapsed, metrics):
        keys, vals = list(metrics.keys()), list(metrics.values())
        n = len(metrics) + 2
        exists = os.path.exists(self.path)
        s = "" if exists else (("%s," * n % ("epoch", "time", *keys)).rstrip(",") + "\n")
        with _open(self.path, "a") as f:
            f.write(s + ("%.6g," * n % (epoch_index + 1, elapsed, *vals)).rstrip(",") + "\n")


def yaml_sorted(path, data):
    """yaml.dump with PyYAML defaults (sorted keys, block style)."""
    with _open(path) as f:
        yaml.dump(data, f)


def yaml_ordered(path, data, header=None):
    """YAML in the given key order (jsonargparse/Lightning CLI, Ultralytics, hand-written configs)."""
    with _open(path) as f:
        if header:
            f.write(header)
        f.write(yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True))


def write_text(path, text):
    with _open(path) as f:
        f.write(text)


def write_json(path, data, indent=2):
    with _open(path) as f:
        f.write(json.dumps(data, indent=indent) + "\n")


class WallClock:
    """Wall-clock stamps for formats that store absolute times (TensorBoard wall_time, MLflow timestamps):
    a fixed start time plus the real elapsed time, so file names stay the same between regenerations."""

    START = 1767225600  # 2026-01-01T00:00:00Z
    HOST = "digits-cpu"
    PID = 2417

    def __init__(self, start=START):
        import time
        self._perf = time.perf_counter
        self.start = start
        self.t0 = self._perf()

    def now(self):
        return self.start + (self._perf() - self.t0)

    def ms(self):
        return int(self.now() * 1000)


class MlflowFileStoreRun:
    """mlflow FileStore (mlflow/store/tracking/file_store.py) for one run of one experiment:

    mlruns/<exp>/meta.yaml, mlruns/<exp>/<run_id>/{meta.yaml, metrics/<key>, params/<key>, tags/<key>}.
    log_metric appends '<timestamp ms> <value> <step>\\n' (str(float), step int); a key with '/' is a path,
    so 'train/loss' lands in metrics/train/loss. A param file holds str(value) without a newline.
    meta.yaml files are yaml.safe_dump'ed (sorted keys); status 3 = FINISHED.
    """

    def __init__(self, mlruns_dir, *, experiment_id, experiment_name, run_id, run_name, start_ms, user,
                 source_name, artifact_root):
        self.exp_dir = os.path.join(mlruns_dir, experiment_id)
        self.run_dir = os.path.join(self.exp_dir, run_id)
        self.artifact_root = artifact_root.rstrip("/")
        exp_meta = {"artifact_location": f"{self.artifact_root}/{experiment_id}", "creation_time": start_ms,
                    "experiment_id": experiment_id, "last_update_time": start_ms, "lifecycle_stage": "active",
                    "name": experiment_name}
        with _open(os.path.join(self.exp_dir, "meta.yaml")) as f:
            f.write(yaml.safe_dump(exp_meta, default_flow_style=False))
        self.meta = {"artifact_uri": f"{self.artifact_root}/{experiment_id}/{run_id}/artifacts", "end_time": None,
                     "entry_point_name": "", "experiment_id": experiment_id, "lifecycle_stage": "active",
                     "run_id": run_id, "run_name": run_name, "run_uuid": run_id, "source_name": "",
                     "source_type": 4, "source_version": "", "start_time": start_ms, "status": 1, "tags": [],
                     "user_id": user}
        self._write_meta()
        for k, v in {"mlflow.runName": run_name, "mlflow.source.name": source_name, "mlflow.source.type": "LOCAL",
                     "mlflow.user": user}.items():
            self._put(os.path.join(self.run_dir, "tags", k), str(v))
        os.makedirs(os.path.join(self.run_dir, "artifacts"), exist_ok=True)

    def _write_meta(self):
        with _open(os.path.join(self.run_dir, "meta.yaml")) as f:
            f.write(yaml.safe_dump(self.meta, default_flow_style=False))

    @staticmethod
    def _put(path, text):
        with _open(path) as f:
            f.write(text)

    def log_param(self, key, value):
        self._put(os.path.join(self.run_dir, "params", *key.split("/")), str(value))

    def log_metric(self, key, value, step, timestamp_ms):
        with _open(os.path.join(self.run_dir, "metrics", *key.split("/")), "a") as f:
            f.write("%s %s %s\n" % (timestamp_ms, float(value), int(step)))

    def end(self, end_ms, status=3):
        self.meta.update(end_time=end_ms, status=status)
        self._write_meta()


class Detectron2JSONWriter:
    """detectron2.utils.events.JSONWriter: one json.dumps(scalars, sort_keys=True) line per written iteration,
    'iteration' 0-based; file opened in append mode and flushed after each write."""

    def __init__(self, path):
        self.f = _open(path, "a")

    def write(self, iteration, scalars):
        self.f.write(json.dumps({**scalars, "iteration": iteration}, sort_keys=True) + "\n")
        self.f.flush()

    def close(self):
        self.f.close()
