"""Wrapper: the base of layers that hold one other layer and change how it is applied."""

from __future__ import annotations

from lamina import serialization
from lamina.layers.layer import Layer


class Wrapper(Layer):
    """Holds ``layer``: builds it on the wrapper's first use and nests its config under ``"layer"``, so a
    subclass (``TimeDistributed``, ``SpectralNormalization``) only says how the wrapped layer is applied.
    Used as is, it applies ``layer`` unchanged.

    Args:
        layer: the layer to wrap.

    Example:
        >>> tuple(Wrapper(Dense(3))(np.ones((2, 4), "float32")).shape)
        (2, 3)
    """

    def __init__(self, layer: Layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Invalid value for argument `layer` of {type(self).__name__}. Expected a `Layer` instance. "
                f"Received: layer={layer!r}"
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(self._wrapped_shape(input_shape))

    def _wrapped_shape(self, input_shape):
        """The input shape the wrapped layer sees (a subclass may change it: TimeDistributed drops time)."""
        return input_shape

    def call(self, inputs, *args, **kwargs):
        return self.layer(inputs, *args, **kwargs)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "layer": serialization.serialize(self.layer)}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["layer"] = serialization.deserialize(config["layer"], kind="layer")
        return super().from_config(config)
