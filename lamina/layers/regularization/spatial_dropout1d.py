"""SpatialDropout1D: drops entire 1D feature maps (channels of a sequence)."""

from __future__ import annotations

from lamina.layers.regularization.base_spatial_dropout import BaseSpatialDropout


class SpatialDropout1D(BaseSpatialDropout):
    """Zeroes whole channels of ``(batch, steps, channels)`` inputs with probability ``rate`` during training,
    scaling the kept ones by ``1 / (1 - rate)``; outside training it returns its inputs.

    Args:
        rate: the fraction of channels to drop, between 0 and 1.
        seed: an int seed for reproducible drops.

    Call arguments:
        inputs: a 3D tensor ``(batch, steps, channels)``.
        training: whether to drop (True) or pass the inputs through (False).

    Example:
        >>> out = SpatialDropout1D(0.5, seed=1)(np.ones((2, 5, 4)), training=True)
        >>> # each (example, channel) column is all 0.0 or all 2.0
    """

    rank = 1

    def __init__(self, rate: float, seed: int | None = None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
