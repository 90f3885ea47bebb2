"""AlphaDropout: dropout for self-normalizing (SELU) networks, keeping the inputs' mean and variance."""

from __future__ import annotations

from lamina import ops, random
from lamina.layers.regularization.dropout import Dropout
from lamina.utils.argument_validation import check_rate

# SELU's constants: dropped units are set to SELU's negative saturation value, -alpha * scale.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_SATURATION = -_SELU_ALPHA * _SELU_SCALE


class AlphaDropout(Dropout):
    """During training, sets each input to SELU's negative saturation value with probability ``rate`` and
    applies the affine map that restores zero mean and unit variance, so SELU networks stay normalized.
    Outside training it returns its inputs.

    Args:
        rate: the drop probability, in ``[0, 1)``.
        noise_shape: the shape of the keep-mask, broadcast against the input (``None`` entries take the
            input's size).
        seed: an int seed for reproducible drops.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to drop (True) or pass the inputs through (False).

    Example:
        >>> y = AlphaDropout(0.1, seed=1)(np.random.normal(size=(4, 100)), training=True)   # mean ~0, std ~1
        >>> tuple(ops.shape(y))
        (4, 100)
    """

    def __init__(self, rate: float, noise_shape=None, seed: int | None = None, **kwargs):
        check_rate(rate, "rate", "AlphaDropout", include_one=False)  # rate 1 leaves no unit to rescale
        super().__init__(rate, noise_shape=noise_shape, seed=seed, **kwargs)

    def call(self, inputs, training=False):
        if not (training and self.rate > 0):
            return inputs
        shape = ops.shape(inputs)
        noise_shape = shape if self.noise_shape is None else tuple(
            dim if n is None else n for n, dim in zip(self.noise_shape, shape, strict=False)
        )
        dtype = ops.dtype(inputs)
        kept = ops.cast(random.uniform(noise_shape, dtype=dtype, seed=self.seed_generator) >= self.rate, dtype)
        scale = ((1 - self.rate) * (1 + self.rate * _SATURATION**2)) ** -0.5
        shift = -scale * _SATURATION * self.rate
        return scale * (inputs * kept + _SATURATION * (1 - kept)) + shift
