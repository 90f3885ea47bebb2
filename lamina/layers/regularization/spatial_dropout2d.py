"""SpatialDropout2D: drops entire 2D feature maps."""

from __future__ import annotations

from lamina.layers.regularization.base_spatial_dropout import BaseSpatialDropout


class SpatialDropout2D(BaseSpatialDropout):
    """Zeroes whole channels of 4D image inputs with probability ``rate`` during training, scaling the kept
    ones by ``1 / (1 - rate)``; outside training it returns its inputs.

    Args:
        rate: the fraction of channels to drop, between 0 and 1.
        data_format: ``"channels_last"`` (``(batch, rows, cols, channels)``) or ``"channels_first"``
            (``(batch, channels, rows, cols)``); defaults to ``lamina.config.image_data_format()``.
        seed: an int seed for reproducible drops.

    Call arguments:
        inputs: a 4D tensor.
        training: whether to drop (True) or pass the inputs through (False).

    Example:
        >>> out = SpatialDropout2D(0.5, seed=1)(np.ones((2, 3, 3, 4)), training=True)
        >>> # each (example, channel) map is all 0.0 or all 2.0
    """

    rank = 2

    def __init__(self, rate: float, data_format: str | None = None, seed: int | None = None, **kwargs):
        super().__init__(rate, seed=seed, data_format=data_format, **kwargs)
