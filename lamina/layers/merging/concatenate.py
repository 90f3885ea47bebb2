"""Concatenate: join a list of tensors along one axis."""

from __future__ import annotations

from lamina import ops
from lamina.layers.merging.base_merge import Merge


class Concatenate(Merge):
    """Concatenates a list of two or more tensors along ``axis``; all other dimensions must match.

    Args:
        axis: the axis to concatenate along (counted with the batch axis; default -1, the last).

    The output mask, when any input carries one, is the concatenation of the input masks (an input without
    a mask counts as all-true), each broadcast to its input's shape, reduced with OR over the last axis, as
    Keras does.

    Example:
        >>> tuple(Concatenate(axis=1)([np.zeros((2, 2, 5)), np.zeros((2, 1, 5))]).shape)
        (2, 3, 5)
    """

    _elementwise = False

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(f"Invalid type for argument `axis` of Concatenate. Expected an integer. Received: {axis!r}")
        self.axis = axis

    def _merge_function(self, inputs):
        return ops.concatenate(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shapes = self._input_shapes(input_shape)
        rank = len(shapes[0])
        mismatch = self._error(
            "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis "
            f"{self.axis}. Received shapes {shapes}"
        )
        if any(len(s) != rank for s in shapes):
            raise mismatch
        if not -rank <= self.axis < rank:
            raise self._error(f"axis={self.axis} is out of range for inputs of rank {rank}. Received shapes {shapes}")
        axis = self.axis % rank
        output = []
        for index, dims in enumerate(zip(*shapes, strict=True)):
            if index == axis:
                output.append(None if None in dims else sum(dims))
                continue
            known = {d for d in dims if d is not None}
            if len(known) > 1:
                raise mismatch
            output.append(known.pop() if known else None)
        return tuple(output)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        self._check_masks(inputs, mask)
        if all(m is None for m in mask):
            return None
        full = []
        for x, m in zip(inputs, mask, strict=True):
            ones = ops.ones_like(x, dtype="bool")
            if m is not None:
                m = ops.convert_to_tensor(m)
                while len(ops.shape(m)) < len(ops.shape(x)):
                    m = ops.expand_dims(m, -1)
                ones = ops.logical_and(ones, m)
            full.append(ones)
        return ops.any(ops.concatenate(full, axis=self.axis), axis=-1)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis: int = -1, **kwargs):
    """Functional form of `Concatenate`: ``concatenate([x1, x2], axis)`` is ``Concatenate(axis)([x1, x2])``."""
    return Concatenate(axis=axis, **kwargs)(inputs)
