"""Helpers for examples/train.py: data, models, training utilities and log/config writers."""
