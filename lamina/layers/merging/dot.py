"""Dot: the per-sample dot product of two tensors along one axis of each."""

from __future__ import annotations

import math

from lamina import config, ops
from lamina.layers.merging.base_merge import Merge


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _l2_normalize(x, axis: int):
    """``x`` divided by its L2 norm along ``axis`` (norms below epsilon count as epsilon)."""
    norm = ops.sqrt(ops.sum(ops.square(x), axis=axis, keepdims=True))
    return ops.divide(x, ops.maximum(norm, config.epsilon()))


def _batch_dot(x, y, x_axis: int, y_axis: int):
    """For each sample ``b``: ``tensordot(x[b], y[b])`` over ``x_axis`` of x and ``y_axis`` of y.

    The result has x's remaining axes, then y's (batch excluded); a result of rank 1 becomes ``(batch, 1)``.
    """
    x = ops.moveaxis(x, x_axis, -1)
    y = ops.moveaxis(y, y_axis, 1)
    x_shape, y_shape = ops.shape(x), ops.shape(y)
    batch, depth, x_rest, y_rest = x_shape[0], x_shape[-1], x_shape[1:-1], y_shape[2:]
    x = ops.reshape(x, (batch, math.prod(x_rest), depth))
    y = ops.reshape(y, (batch, depth, math.prod(y_rest)))
    return ops.reshape(ops.matmul(x, y), (batch, *x_rest, *y_rest) if x_rest or y_rest else (batch, 1))


class Dot(Merge):
    """Computes the dot product of the samples of two tensors along one axis of each.

    Args:
        axes: an axis of both inputs, or a pair ``(axis_of_first, axis_of_second)``; axes count the batch
            axis as 0, which cannot be used. The two axes must have the same size.
        normalize: whether to L2-normalize both inputs along their dot axes first, which makes the
            output the cosine similarity of the samples.

    Output shape: the first input's shape without its dot axis, followed by the second's without its
    batch and dot axes; ``(batch_size, 1)`` when nothing else remains.

    Example:
        >>> tuple(Dot(axes=(1, 2))([np.ones((2, 5, 3)), np.ones((2, 4, 5))]).shape)
        (2, 3, 4)
    """

    _num_inputs = 2
    _elementwise = False

    def __init__(self, axes, normalize: bool = False, **kwargs):
        super().__init__(**kwargs)
        if not _is_int(axes):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(f"Invalid type for argument `axes` of Dot. Expected an int or a pair of ints. "
                                f"Received: axes={axes!r}")
            if len(axes) != 2 or not all(_is_int(a) for a in axes):
                raise ValueError(
                    "Invalid value for argument `axes` of Dot. Expected an integer or a pair of integers. "
                    f"Received: axes={axes!r}"
                )
            axes = tuple(axes)
        self.axes = axes
        self.normalize = bool(normalize)

    def _dot_axes(self, shapes) -> tuple:
        """The two dot axes as non-negative indices into the inputs of ``shapes``, checked."""
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        axes = []
        for axis, shape in zip(pair, shapes, strict=True):
            rank = len(shape)
            if rank < 2:
                raise self._error(f"Dot needs inputs of rank >= 2 (a batch axis and more). Received shapes {shapes}")
            if not -rank <= axis < rank or axis % rank == 0:
                raise self._error(
                    f"axes={self.axes} must name a non-batch axis (1..{rank - 1}) of an input of shape {shape}; "
                    "the batch axis 0 cannot be a dot axis."
                )
            axes.append(axis % rank)
        return tuple(axes)

    def _merge_function(self, inputs):
        x, y = inputs
        x_axis, y_axis = self._dot_axes([ops.shape(x), ops.shape(y)])
        if self.normalize:
            x, y = _l2_normalize(x, x_axis), _l2_normalize(y, y_axis)
        return _batch_dot(x, y, x_axis, y_axis)

    def compute_output_shape(self, input_shape):
        shapes = self._input_shapes(input_shape)
        batch = self._batch_size(shapes)
        (x_shape, y_shape), (x_axis, y_axis) = shapes, self._dot_axes(shapes)
        x_dim, y_dim = x_shape[x_axis], y_shape[y_axis]
        if x_dim is not None and y_dim is not None and x_dim != y_dim:
            raise self._error(
                f"Incompatible input shapes: axis values {x_dim} (at axis {x_axis}) != {y_dim} (at axis "
                f"{y_axis}). Received shapes {x_shape} and {y_shape}"
            )
        rest = [d for i, d in enumerate(x_shape) if i not in (0, x_axis)]
        rest += [d for i, d in enumerate(y_shape) if i not in (0, y_axis)]
        return (batch, *rest) if rest else (batch, 1)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def dot(inputs, axes=-1, normalize: bool = False, **kwargs):
    """Functional form of `Dot`: ``dot([x1, x2], axes)`` is ``Dot(axes, normalize)([x1, x2])``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
