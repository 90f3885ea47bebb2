"""Cropping1D: remove entries at the start and end of the time axis."""

from __future__ import annotations

from lamina.layers.reshaping.base_cropping import BaseCropping


class Cropping1D(BaseCropping):
    """Crops a batch of sequences along the time axis (axis 1).

    Args:
        cropping: an int (the same amount at both ends) or a pair ``(start, end)`` of non-negative ints.

    Input shape: ``(batch_size, axis_to_crop, features)``.
    Output shape: ``(batch_size, cropped_axis, features)``.

    Example:
        >>> tuple(Cropping1D((1, 2))(np.zeros((2, 6, 3))).shape)
        (2, 3, 3)
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, **kwargs)
