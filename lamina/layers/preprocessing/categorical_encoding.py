"""Encoding integer category indices as Keras' preprocessing layers output them: ``"int"`` (the indices),
``"one_hot"`` (a trailing axis of ``depth``; a trailing axis of size 1 is replaced), ``"multi_hot"`` (1 where
a category occurs in a sample) and ``"count"`` (how often it occurs)."""

from __future__ import annotations

from lamina import ops

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def check_output_mode(output_mode, layer: str) -> str:
    if output_mode not in OUTPUT_MODES:
        raise ValueError(f"Invalid value for argument `output_mode` of {layer}. Expected one of {OUTPUT_MODES}. "
                         f"Received: output_mode={output_mode!r}")
    return output_mode


def encoded_shape(input_shape, output_mode: str, depth) -> tuple:
    """The shape of ``encode(indices of input_shape, output_mode, depth)``."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if output_mode == "one_hot":
        keep = input_shape[:-1] if len(input_shape) > 1 and input_shape[-1] == 1 else input_shape
        return keep + (depth,)
    if len(input_shape) >= 2:
        return (input_shape[0],) + input_shape[2:] + (depth,)
    return (depth,)


def encode(indices, output_mode: str, depth: int, dtype: str):
    """``indices`` (integers in ``[0, depth)``) encoded by ``output_mode``, in ``dtype``."""
    if output_mode == "int":
        return ops.cast(indices, dtype)
    if len(indices.shape) == 0:
        indices = ops.expand_dims(indices, -1)
    if output_mode == "multi_hot":
        return ops.multi_hot(indices, depth, dtype=dtype)
    if output_mode == "one_hot":
        if len(indices.shape) > 1 and indices.shape[-1] == 1:
            indices = ops.squeeze(indices, -1)
        return ops.one_hot(indices, depth, dtype=dtype)
    return ops.sum(ops.one_hot(indices, depth, dtype=dtype), axis=1 if len(indices.shape) > 1 else 0)
