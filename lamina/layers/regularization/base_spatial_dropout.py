"""The shared base of SpatialDropout1D/2D/3D: Dropout with a noise shape that keeps or drops whole channels."""

from __future__ import annotations

from lamina import config
from lamina.layers.input_spec import InputSpec
from lamina.layers.regularization.dropout import Dropout


class BaseSpatialDropout(Dropout):
    """Dropout of entire feature maps of ``rank``-D data: one keep-or-drop draw per (example, channel).

    Adjacent positions of a feature map are strongly correlated in convolutional nets, so element-wise
    dropout barely regularizes them; dropping whole channels does.
    """

    rank: int = None

    def __init__(self, rate: float, seed: int | None = None, data_format: str | None = None, **kwargs):
        data_format = "channels_last" if self.rank == 1 else config.standardize_data_format(data_format)
        ones = (1,) * self.rank
        noise_shape = (None, *ones, None) if data_format == "channels_last" else (None, None, *ones)
        super().__init__(rate, noise_shape=noise_shape, seed=seed, **kwargs)
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["noise_shape"]
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config
