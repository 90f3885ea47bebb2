"""GaussianDropout: multiplies its inputs by 1-centred Gaussian noise during training."""

from __future__ import annotations

import math

from lamina import ops, random
from lamina.layers.layer import Layer
from lamina.utils.argument_validation import check_rate


class GaussianDropout(Layer):
    """Multiplies its inputs by noise drawn from ``N(1, rate / (1 - rate))`` during training: the same mean
    and variance as Dropout's scaled keep-mask, with a continuous distribution. Outside training it returns
    its inputs.

    Args:
        rate: the drop probability of the equivalent Dropout, in ``[0, 1)``.
        seed: an int seed for reproducible noise.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to apply the noise (True) or pass the inputs through (False).

    Example:
        >>> y = GaussianDropout(0.2, seed=1)(np.ones((2, 3)), training=True)   # values around 1 +- 0.5
        >>> tuple(ops.shape(y))
        (2, 3)
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(rate, "rate", "GaussianDropout", include_one=False)  # rate 1: infinite noise
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = random.normal(ops.shape(inputs), mean=1.0, stddev=stddev, dtype=ops.dtype(inputs),
                                  seed=self.seed_generator)
            return inputs * noise
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
