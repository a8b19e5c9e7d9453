"""Data, models and small training utilities shared by the example runs.

Everything runs on CPU with one intra-op thread so that a run gives the same numbers every time
(same torch build, same machine type). Randomness comes only from explicit seeds.
"""
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
try:
    torch.use_deterministic_algorithms(True)
except Exception:  # pragma: no cover - older torch
    pass

DATA_SEED = 1234  # fixes the train/val split of digits for every run


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


_DIGITS = None


def digits():
    """sklearn's 1797 8x8 digit images (bundled with sklearn, no download), scaled to [0, 1]."""
    global _DIGITS
    if _DIGITS is None:
        from sklearn.datasets import load_digits
        d = load_digits()
        X = (d.data / 16.0).astype(np.float32)
        y = d.target.astype(np.int64)
        perm = np.random.RandomState(DATA_SEED).permutation(len(y))
        _DIGITS = (X[perm], y[perm])
    return _DIGITS


def digits_split(n_train=1200, n_val=None, classes=None, image=False, train_offset=0):
    """Fixed split: the first n_train (after a fixed shuffle) for training, the last n_val for validation.

    classes: keep only these digits (labels re-mapped to 0..len(classes)-1).
    image: return tensors shaped (N, 1, 8, 8) for the CNN, else (N, 64).
    """
    X, y = digits()
    if classes is not None:
        keep = np.isin(y, classes)
        X, y = X[keep], y[keep]
        remap = {c: i for i, c in enumerate(classes)}
        y = np.array([remap[int(v)] for v in y], dtype=np.int64)
    n = len(y)
    n_val_all = n - 1200 if classes is None else n // 3
    val_X, val_y = X[n - n_val_all:], y[n - n_val_all:]
    if n_val is not None:
        val_X, val_y = val_X[:n_val], val_y[:n_val]
    tr_X, tr_y = X[train_offset:train_offset + n_train], y[train_offset:train_offset + n_train]
    assert train_offset + n_train <= n - n_val_all, "train and val overlap"
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a))
    Xtr, Xva = t(tr_X), t(val_X)
    if image:
        Xtr, Xva = Xtr.view(-1, 1, 8, 8), Xva.view(-1, 1, 8, 8)
    return Xtr, t(tr_y), Xva, t(val_y)


def synthetic(n, dim=64, classes=10, seed=7, noise=0.1):
    """Synthetic classification data: labels from a fixed random 2-layer 'teacher' net, plus label noise."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, dim, generator=g)
    W1 = torch.randn(dim, 128, generator=g) / math.sqrt(dim)
    W2 = torch.randn(128, classes, generator=g) / math.sqrt(128)
    y = (torch.tanh(X @ W1) @ W2).argmax(1)
    flip = torch.rand(n, generator=g) < noise
    y[flip] = torch.randint(0, classes, (int(flip.sum()),), generator=g)
    return X, y


class MLP(nn.Module):
    def __init__(self, d_in=64, hidden=(256, 256), classes=10, dropout=0.0, act=nn.ReLU):
        super().__init__()
        layers, d = [], d_in
        for h in hidden:
            layers += [nn.Linear(d, h), act()]
            if dropout:
                layers.append(nn.Dropout(dropout))
            d = h
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(d, classes)

    def forward(self, x):
        return self.head(self.features(x.flatten(1)))


class CNN(nn.Module):
    """Small CNN for 8x8 digits: two conv blocks (the 'backbone') and a 2-layer classifier."""

    def __init__(self, classes=10, bn=False):
        super().__init__()
        norm = (lambda c: nn.BatchNorm2d(c)) if bn else (lambda c: nn.Identity())
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), norm(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1), norm(64), nn.ReLU(),
            nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(64 * 4 * 4, 128), nn.ReLU(),
        )
        self.head = nn.Linear(128, classes)

    def forward(self, x):
        return self.head(self.features(x))


def batches(n, batch_size, gen, shuffle=True, drop_last=False):
    """Index batches of one epoch (like a DataLoader with a seeded sampler)."""
    order = torch.randperm(n, generator=gen) if shuffle else torch.arange(n)
    for i in range(0, n, batch_size):
        idx = order[i:i + batch_size]
        if drop_last and len(idx) < batch_size:
            break
        yield idx


@torch.no_grad()
def evaluate(model, X, y, batch_size=256):
    """Returns (per-batch mean losses as float32 tensor, batch sizes, predictions, logits)."""
    was = model.training
    model.eval()
    losses, sizes, logits = [], [], []
    for i in range(0, len(y), batch_size):
        out = model(X[i:i + batch_size])
        losses.append(F.cross_entropy(out, y[i:i + batch_size]))
        sizes.append(len(out))
        logits.append(out)
    model.train(was)
    logits = torch.cat(logits)
    return torch.stack(losses), torch.tensor(sizes, dtype=torch.float32), logits


def eval_metrics(model, X, y, batch_size=256):
    """Sample-weighted val loss (float32 like torchmetrics/Lightning), accuracy and top-5 accuracy."""
    losses, sizes, logits = evaluate(model, X, y, batch_size)
    loss = (losses * sizes).sum() / sizes.sum()
    acc = (logits.argmax(1) == y).float().mean()
    k = min(5, logits.shape[1])
    top5 = (logits.topk(k, 1).indices == y[:, None]).any(1).float().mean()
    return loss.item(), acc.item(), top5.item(), losses, sizes


def flat_params(model):
    return torch.cat([p.detach().reshape(-1) for p in model.parameters() if p.requires_grad])


def update_ratio(before, after):
    """||w_after - w_before|| / ||w_before|| over all trainable parameters."""
    return ((after - before).norm() / before.norm()).item()


def grad_norm(model):
    g = [p.grad.detach().reshape(-1) for p in model.parameters() if p.grad is not None]
    return torch.cat(g).norm().item() if g else 0.0


class Timer:
    def __init__(self):
        self.t0 = time.perf_counter()

    def __call__(self):
        return time.perf_counter() - self.t0


def ensure_dir(path):
    os.makedirs(path, exist_ok=True)
    return path


def augment(x, gen, shift=1, noise=0.0):
    """Training-time augmentation for (N,1,8,8) digits: random shift by up to `shift` pixels
    (zero padded) and additive Gaussian pixel noise, both drawn from `gen`."""
    n = x.shape[0]
    padded = F.pad(x, (shift, shift, shift, shift))
    dx = torch.randint(0, 2 * shift + 1, (n,), generator=gen)
    dy = torch.randint(0, 2 * shift + 1, (n,), generator=gen)
    windows = padded.unfold(2, 8, 1).unfold(3, 8, 1)  # (N, 1, 2s+1, 2s+1, 8, 8)
    out = windows[torch.arange(n), :, dy, dx]
    if noise:
        out = out + noise * torch.randn(out.shape, generator=gen)
    return out
