"""UpSampling1D: repeat each timestep of a sequence."""

from __future__ import annotations

from lamina.layers.reshaping.base_up_sampling import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    """Repeats each timestep ``size`` times along the time axis (axis 1).

    Args:
        size: the up-sampling factor (a positive int).

    Input shape: ``(batch_size, steps, features)``. Output shape: ``(batch_size, steps * size, features)``.

    Example:
        >>> ops.convert_to_numpy(UpSampling1D(2)(np.array([[[1.0], [2.0]]]))).tolist()
        [[[1.0], [1.0], [2.0], [2.0]]]
    """

    rank = 1

    def __init__(self, size: int = 2, **kwargs):
        super().__init__(size, **kwargs)
