"""GaussianNoise: adds zero-centred Gaussian noise to its inputs during training."""

from __future__ import annotations

import numbers

from lamina import ops, random
from lamina.layers.layer import Layer


class GaussianNoise(Layer):
    """Adds noise drawn from ``N(0, stddev**2)`` to its inputs during training (a regularizer, and a form of
    data augmentation for real-valued inputs); outside training it returns its inputs.

    Args:
        stddev: the standard deviation of the noise (non-negative).
        seed: an int seed for reproducible noise.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to add noise (True) or pass the inputs through (False).

    Example:
        >>> y = GaussianNoise(0.1, seed=1)(np.zeros((2, 3)), training=True)   # values around 0 +- 0.1
        >>> tuple(ops.shape(y))
        (2, 3)
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, numbers.Real) or not stddev >= 0:
            raise ValueError(
                "Invalid value for argument `stddev` of GaussianNoise. Expected a non-negative float. "
                f"Received: stddev={stddev}"
            )
        self.stddev = stddev
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            noise = random.normal(ops.shape(inputs), stddev=self.stddev, dtype=ops.dtype(inputs),
                                  seed=self.seed_generator)
            return inputs + noise
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
