"""UpSampling2D: enlarge images by integer factors, by repetition or interpolation."""

from __future__ import annotations

from lamina import ops
from lamina.backend import result_type
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.reshaping.base_up_sampling import BaseUpSampling

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


class UpSampling2D(BaseUpSampling):
    """Enlarges images ``size[0]`` times in height and ``size[1]`` times in width.

    ``"nearest"`` repeats rows and columns; the other interpolations resample the image with
    ``lamina.ops.image.resize`` (half-pixel centres, no antialiasing).

    Args:
        size: an int (the same factor on both axes) or a tuple of 2 positive ints.
        data_format: ``"channels_last"`` (``(batch_size, rows, cols, channels)``) or ``"channels_first"``
            (``(batch_size, channels, rows, cols)``); defaults to ``lamina.config.image_data_format()``.
        interpolation: ``"nearest"``, ``"bilinear"``, ``"bicubic"``, ``"lanczos3"`` or ``"lanczos5"``.

    Input shape: a 4D tensor laid out by ``data_format``. Output shape: the same, with
    ``rows * size[0]`` rows and ``cols * size[1]`` columns.

    Example:
        >>> tuple(UpSampling2D((2, 3), interpolation="bilinear")(np.ones((1, 2, 2, 3))).shape)
        (1, 4, 6, 3)
    """

    rank = 2

    def __init__(self, size=(2, 2), data_format: str | None = None, interpolation: str = "nearest", **kwargs):
        super().__init__(size, data_format=data_format, **kwargs)
        if interpolation not in INTERPOLATIONS:
            raise ValueError(
                f"Invalid value for argument `interpolation` of UpSampling2D. Expected one of {INTERPOLATIONS}. "
                f"Received: interpolation={interpolation!r}"
            )
        self.interpolation = interpolation

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        shape = ops.shape(inputs)
        rows, cols = (1, 2) if self.data_format == "channels_last" else (2, 3)
        size = (shape[rows] * self.size[0], shape[cols] * self.size[1])
        return ops.image.resize(inputs, size, interpolation=self.interpolation, data_format=self.data_format)

    def compute_output_spec(self, inputs):
        if self.interpolation == "nearest":
            return super().compute_output_spec(inputs)
        return SymbolicTensor(self.compute_output_shape(inputs.shape), result_type(inputs.dtype, float))

    def get_config(self) -> dict:
        return {**super().get_config(), "interpolation": self.interpolation}
