"""``to_categorical`` and ``normalize``: the array helpers of ``keras.utils``."""

from __future__ import annotations

import numpy as np

from lamina import backend, ops


def to_categorical(x, num_classes: int | None = None):
    """One-hot encode integer class labels, the class axis last.

    A trailing axis of size 1 is dropped first (labels of shape ``(n, 1)`` give ``(n, num_classes)``).
    NumPy-like input gives a float64 NumPy array, as Keras does; an engine tensor gives an engine tensor.

    Args:
        x: integer labels from 0 to ``num_classes - 1``.
        num_classes: the number of classes; None infers ``max(x) + 1``.

    Example:
        >>> to_categorical([0, 2, 1], num_classes=3)
        array([[1., 0., 0.],
               [0., 0., 1.],
               [0., 1., 0.]])
    """
    if backend.is_tensor(x):
        if len(x.shape) > 1 and x.shape[-1] == 1:
            x = ops.squeeze(x, axis=-1)
        if num_classes is None:
            num_classes = int(backend.convert_to_numpy(ops.max(x))) + 1
        return ops.one_hot(x, num_classes)
    x = np.asarray(x, dtype="int64")
    shape = x.shape[:-1] if x.ndim > 1 and x.shape[-1] == 1 else x.shape
    flat = x.reshape(-1)
    if not num_classes:
        num_classes = int(flat.max()) + 1
    categorical = np.zeros((flat.size, num_classes))
    categorical[np.arange(flat.size), flat] = 1
    return categorical.reshape(shape + (num_classes,))


def normalize(x, axis: int = -1, order: int = 2):
    """``x`` divided by its ``order``-norm along ``axis`` (rows of norm 0 stay 0).

    A NumPy array gives a NumPy array; anything else goes through ``ops.nn.normalize``.

    Example:
        >>> normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
        array([[0.6, 0.8],
               [0. , 0. ]])
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis)
    return ops.nn.normalize(x, axis=axis, order=order)
