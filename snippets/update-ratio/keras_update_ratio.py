"""Keras: print the update-to-weight ratio ||dw|| / ||w|| of every training batch as `update_ratio`.

Printed as `step=<optimizer iteration> update_ratio=<r>`, the pairs traindx reads from a captured
stdout. Run `fit(..., verbose=2)` so that the progress bar does not redraw over the lines. Hooks from
keras/src/callbacks/callback.py (Keras 3; also tf.keras 2): on_train_batch_begin / on_train_batch_end.
Usage: model.fit(..., callbacks=[UpdateRatio()], verbose=2).
"""
import numpy as np
import keras


class UpdateRatio(keras.callbacks.Callback):
    def on_train_batch_begin(self, batch, logs=None):
        self._before = [np.array(w.numpy(), dtype=np.float64) for w in self.model.trainable_weights]

    def on_train_batch_end(self, batch, logs=None):
        after = [np.array(w.numpy(), dtype=np.float64) for w in self.model.trainable_weights]
        update = sum(float(np.sum((a - b) ** 2)) for a, b in zip(after, self._before)) ** 0.5
        weight = sum(float(np.sum(a**2)) for a in after) ** 0.5
        step = int(self.model.optimizer.iterations.numpy())
        print(f"step={step} update_ratio={update / (weight + 1e-12):.4e}", flush=True)
