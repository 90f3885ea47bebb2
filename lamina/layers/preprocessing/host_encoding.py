"""Categorical encodings on the host (NumPy), for the host layers (lookups, Hashing); ``categorical_encoding``
is the ops version for layers inside compiled steps. Keras' shape rules: ``one_hot`` adds a depth axis
(replacing a last axis of size 1); ``multi_hot`` and ``count`` replace the last axis by the depth (a rank-0 or
rank-1 input gives one vector). Negative indices (dropped mask tokens) count nowhere."""

from __future__ import annotations

import numpy as np


def encoded_shape(input_shape: tuple, output_mode: str, depth: int | None) -> tuple:
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)


def encode_indices(indices: np.ndarray, output_mode: str, depth: int, dtype: str) -> np.ndarray:
    """``indices`` (an int array) encoded as ``one_hot``, ``multi_hot`` or ``count`` over ``depth`` bins."""
    indices = np.asarray(indices, dtype="int64")
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices[..., 0]
        rows, out_shape = indices.reshape(-1, 1), indices.shape + (depth,)
    else:
        rows = indices.reshape(-1, indices.shape[-1] if indices.ndim else 1)
        out_shape = indices.shape[:-1] + (depth,)
    valid = (rows >= 0) & (rows < depth)
    cells = (np.arange(rows.shape[0])[:, None] * depth + rows)[valid]
    out = np.bincount(cells, minlength=rows.shape[0] * depth).reshape(rows.shape[0], depth).astype(dtype)
    if output_mode != "count":
        out = np.minimum(out, 1)
    return out.reshape(out_shape)
