"""Dropout: randomly zeroes a fraction of its inputs during training, to fight overfitting."""

from __future__ import annotations

from lamina import random
from lamina.layers.layer import Layer
from lamina.utils.argument_validation import check_rate


def _check_noise_shape(noise_shape):
    valid = isinstance(noise_shape, (tuple, list)) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in noise_shape
    )
    if not valid:
        raise ValueError(
            "Invalid value for argument `noise_shape` of Dropout. Expected None or a tuple of positive "
            f"integers and None. Received: noise_shape={noise_shape!r}"
        )
    return tuple(noise_shape)


class Dropout(Layer):
    """Sets inputs to 0 with probability ``rate`` during training and scales the rest by ``1 / (1 - rate)``.

    Outside training (``training`` falsy, the default for ``predict``/``evaluate``) it returns its inputs,
    so the expected sum of the outputs is the same in both modes.

    Args:
        rate: the fraction of inputs to drop, between 0 and 1.
        noise_shape: the shape of the binary keep-mask, broadcast against the input; e.g.
            ``(batch_size, 1, features)`` drops the same features at every timestep. ``None`` entries
            take the input's size.
        seed: an int seed for reproducible drops.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to drop (True) or pass the inputs through (False).

    Example:
        >>> layer = Dropout(0.5, seed=1)
        >>> y = layer(np.ones((2, 4)), training=True)   # about half 0.0, the rest 2.0
        >>> sorted(set(ops.convert_to_numpy(y).ravel().tolist())) in ([0.0, 2.0], [0.0], [2.0])
        True
    """

    def __init__(self, rate: float, noise_shape=None, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(rate, "rate", type(self).__name__)
        self.noise_shape = None if noise_shape is None else _check_noise_shape(noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate, noise_shape=self.noise_shape, seed=self.seed_generator)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
