"""Keras 1's ``Merge`` layer and ``merge`` function: one layer for every way of merging tensors, by ``mode``.

Each mode is a modern merging layer (``"sum"`` is ``Add``, ``"concat"`` is ``Concatenate(concat_axis)``,
``"cos"`` is ``Dot(dot_axes, normalize=True)``, a callable is a ``Lambda``). As in Keras 1, ``Merge`` may also
be given ``layers`` (layers or ``Sequential`` models, the branches): it is then called with one tensor per
branch and merges the branches' outputs, which is how a Keras 1 ``Sequential`` starts with ``Merge``
(``branch_input_shapes`` says what each branch takes). Keras 1's ``"cos"`` gave ``(batch, 1, 1)`` for
vectors: the legacy layer keeps that extra axis.

Saved, the branches are saved as layer entries, and a callable mode as its ``Lambda``'s config: a Python
lambda then loads only with safe mode off, as for a ``Lambda`` layer.
"""

from __future__ import annotations

from lamina import layers, ops, serialization
from lamina.legacy.deprecation import warn_old_spelling
from lamina.legacy.layers.layer import Layer
from lamina.legacy.layers.translated import serializable
from lamina.models.layer_entries import deserialize_layer
from lamina.serialization import keras1_arguments


def _combiner(mode, concat_axis, dot_axes, output_shape, arguments):
    if isinstance(mode, layers.Lambda):  # a callable mode read back from a config
        return mode
    if callable(mode):
        return layers.Lambda(mode, output_shape=output_shape, arguments=arguments)
    name, kwargs, _ = keras1_arguments.modern_arguments(
        "Merge", {"mode": mode, "concat_axis": concat_axis, "dot_axes": dot_axes})
    if name == "Merge":
        raise ValueError(f"Invalid value for argument `mode` of Merge. Expected one of "
                         f"{sorted(keras1_arguments.MERGE_MODES)} or a callable. Received: mode={mode!r}")
    return getattr(layers, name)(**kwargs)


def _input_shape_of(layer):
    """A branch's input shape without the batch axis (a built model's, else the one its constructor named)."""
    inputs = getattr(layer, "inputs", None)
    if inputs:
        return tuple(inputs[0].shape[1:])
    first = layer.layers[0] if getattr(layer, "layers", None) else layer
    return first._input_shape_arg


def sublayers_from_config(config: dict, keys: tuple) -> dict:
    """``config`` with the layer entries (or lists of them) at ``keys`` rebuilt as layers: how the Keras 1
    layers holding other layers (``Merge``'s branches, ``AutoEncoder``'s encoder, ...) load."""
    config = dict(config)
    for key in keys:
        value = config.get(key)
        if isinstance(value, list):
            config[key] = [deserialize_layer(entry) for entry in value]
        elif isinstance(value, dict) and "class_name" in value:
            config[key] = deserialize_layer(value)
    return config


@serializable
class Merge(Layer):
    """Keras 1's ``Merge(layers=None, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None, ...)``."""

    def __init__(self, layers=None, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None, output_mask=None,
                 arguments=None, node_indices=None, tensor_indices=None, name=None, **kwargs):
        combiner = _combiner(mode, concat_axis, dot_axes, output_shape, arguments)
        mode = combiner.function if combiner is mode else mode
        modern = "Lambda" if callable(mode) else keras1_arguments.MERGE_MODES.get(mode, mode)
        warn_old_spelling(f"{type(self).__name__}(mode={getattr(mode, '__name__', mode)!r})", modern)
        super().__init__(name=name, **kwargs)
        self.mode = mode
        self.concat_axis = concat_axis
        self.dot_axes = dot_axes
        self.combiner = combiner
        self.branches = list(layers or [])
        self.shared_layer = None  # Siamese: one layer applied to every input before merging

    @property
    def branch_input_shapes(self) -> list:
        """The input shape (without the batch axis) of each branch given as ``layers``."""
        return [_input_shape_of(branch) for branch in self.branches]

    def call(self, inputs):
        if self.branches:
            inputs = [branch(x) for branch, x in zip(self.branches, inputs)]
        if self.shared_layer is not None:
            inputs = [self.shared_layer(x) for x in inputs]
        merged = self.combiner(list(inputs))
        return ops.expand_dims(merged, 1) if self.mode == "cos" else merged  # Keras 1's extra axis

    def get_config(self):
        config = {**super().get_config(),
                  "mode": serialization.serialize(self.combiner) if callable(self.mode) else self.mode,
                  "concat_axis": self.concat_axis, "dot_axes": self.dot_axes}
        if self.branches:
            config["layers"] = serialization.serialize(self.branches)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**sublayers_from_config(config, ("layers", "mode")))


def merge(inputs, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None, output_mask=None, arguments=None,
          name=None):
    """Keras 1's functional ``merge([a, b], mode=...)``: ``Merge(mode=...)`` called on ``inputs``."""
    return Merge(mode=mode, concat_axis=concat_axis, dot_axes=dot_axes, output_shape=output_shape,
                 arguments=arguments, name=name)(list(inputs))
