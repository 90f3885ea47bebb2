"""Keras 0.3's ``AutoEncoder(encoder, decoder, output_reconstruction=True)``: the encoder then the decoder, or
only the encoder (the codes) when ``output_reconstruction`` is False."""

from __future__ import annotations

from lamina import serialization
from lamina.legacy.deprecation import warn_old_spelling
from lamina.legacy.layers.layer import Layer
from lamina.legacy.layers.merge import _input_shape_of, sublayers_from_config
from lamina.legacy.layers.translated import serializable


@serializable
class AutoEncoder(Layer):
    """Encoder and decoder are layers or ``containers.Sequential`` models; the input shape is the encoder's."""

    def __init__(self, encoder, decoder, output_reconstruction: bool = True, **kwargs):
        warn_old_spelling("AutoEncoder(encoder, decoder)", "Sequential([encoder, decoder])")
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.output_reconstruction = output_reconstruction
        if self._input_shape_arg is None:
            self._input_shape_arg = _input_shape_of(encoder)

    def call(self, x):
        codes = self.encoder(x)
        return self.decoder(codes) if self.output_reconstruction else codes

    def get_config(self):
        return {**super().get_config(), "encoder": serialization.serialize(self.encoder),
                "decoder": serialization.serialize(self.decoder), "output_reconstruction": self.output_reconstruction}

    @classmethod
    def from_config(cls, config):
        return cls(**sublayers_from_config(config, ("encoder", "decoder")))
