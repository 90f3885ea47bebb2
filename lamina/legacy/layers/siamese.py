"""Keras 0.3's ``Siamese``: one shared layer applied to several inputs, the results merged by ``merge_mode``."""

from __future__ import annotations

from lamina import serialization
from lamina.legacy.layers.merge import Merge, sublayers_from_config
from lamina.legacy.layers.translated import serializable


@serializable
class Siamese(Merge):
    """``Siamese(layer, inputs=None, merge_mode="concat", concat_axis=1, dot_axes=-1)``: called with one tensor
    per input (after the optional ``inputs`` branches), applies ``layer`` to each and merges the results."""

    def __init__(self, layer, inputs=None, merge_mode="concat", concat_axis=1, dot_axes=-1, **kwargs):
        super().__init__(layers=inputs, mode=merge_mode, concat_axis=concat_axis, dot_axes=dot_axes, **kwargs)
        self.shared_layer = layer

    def get_config(self):
        config = super().get_config()
        inputs, merge_mode = config.pop("layers", None), config.pop("mode")
        return {**config, "layer": serialization.serialize(self.shared_layer), "inputs": inputs,
                "merge_mode": merge_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**sublayers_from_config(config, ("layer", "inputs", "merge_mode")))
