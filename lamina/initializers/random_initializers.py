"""Random initializers: normal, uniform, truncated normal, variance scaling (Glorot, He, LeCun), orthogonal.

Seeding follows Keras 3: an int seed, or no seed (one is drawn from Python's ``random`` when the
initializer is made), gives the same values at every call; a ``SeedGenerator`` gives new values each call.
``set_random_seed`` makes the drawn seeds, and so whole models, reproducible.
"""

from __future__ import annotations

import math

from lamina import ops, random, serialization
from lamina.backend.common.dtypes import standardize_dtype
from lamina.initializers.initializer import Initializer

# Standard deviation of a unit normal truncated to [-2, 2]: dividing by it restores the intended variance.
_TRUNCATED_STDDEV = 0.87962566103423978


class RandomInitializer(Initializer):
    """Base of the random initializers: holds the seed and serializes the one it was given."""

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = random.make_default_seed()
        elif isinstance(seed, dict):
            seed = serialization.deserialize(seed)
        elif not isinstance(seed, (int, random.SeedGenerator)) or isinstance(seed, bool):
            raise ValueError("Invalid value for argument `seed`. Expected None, an int or a SeedGenerator. "
                             f"Received: seed={seed!r}")
        self.seed = seed

    def get_config(self) -> dict:
        return {"seed": serialization.serialize(self._init_seed)}


class RandomNormal(RandomInitializer):
    """Samples from a normal distribution.

    Args:
        mean: mean of the values.
        stddev: standard deviation of the values.
        seed: None, an int or a ``SeedGenerator``.

    Example:
        >>> tuple(ops.shape(RandomNormal(mean=0.0, stddev=1.0, seed=1)(shape=(2, 2))))
        (2, 2)
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return random.normal(shape, self.mean, self.stddev, dtype=standardize_dtype(dtype), seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class TruncatedNormal(RandomInitializer):
    """Samples from a normal distribution cut at two standard deviations from the mean.

    Args:
        mean: mean of the values.
        stddev: standard deviation of the normal before truncation.
        seed: None, an int or a ``SeedGenerator``.
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(shape, self.mean, self.stddev, dtype=standardize_dtype(dtype), seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(RandomInitializer):
    """Samples uniformly from ``[minval, maxval)``.

    Args:
        minval: lower bound.
        maxval: upper bound (excluded).
        seed: None, an int or a ``SeedGenerator``.
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        return random.uniform(shape, self.minval, self.maxval, dtype=standardize_dtype(dtype), seed=self.seed)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


def compute_fans(shape) -> tuple:
    """``(fan_in, fan_out)`` of a weight shape; a kernel ``(*spatial, in, out)`` counts its receptive field."""
    shape = tuple(shape)
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class VarianceScaling(RandomInitializer):
    """Samples with a variance of ``scale / n``, ``n`` being the fan-in, fan-out or their average.

    Args:
        scale: the scaling factor (positive).
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"``, ``"untruncated_normal"`` or ``"uniform"``.
        seed: None, an int or a ``SeedGenerator``.
    """

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal", seed=None):
        if scale <= 0.0:
            raise ValueError(f"Invalid value for argument `scale`. Expected a positive float. Received: scale={scale}")
        if mode not in self._MODES:
            raise ValueError(f"Invalid value for argument `mode`. Expected one of {self._MODES}. Received: mode={mode}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(f"Invalid value for argument `distribution`. Expected one of {self._DISTRIBUTIONS}. "
                             f"Received: distribution={distribution}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        dtype = standardize_dtype(dtype)
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return random.uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)
        if self.distribution == "truncated_normal":
            return random.truncated_normal(shape, 0.0, math.sqrt(variance) / _TRUNCATED_STDDEV, dtype=dtype,
                                           seed=self.seed)
        return random.normal(shape, 0.0, math.sqrt(variance), dtype=dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, **super().get_config()}


class _FixedVarianceScaling(VarianceScaling):
    """A named VarianceScaling preset: only the seed is configurable."""

    _PRESET = {}

    def __init__(self, seed=None):
        super().__init__(seed=seed, **self._PRESET)

    def get_config(self) -> dict:
        return {"seed": serialization.serialize(self._init_seed)}


class GlorotUniform(_FixedVarianceScaling):
    """Uniform on ``[-limit, limit]`` with ``limit = sqrt(6 / (fan_in + fan_out))`` (Glorot & Bengio, 2010)."""

    _PRESET = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


class GlorotNormal(_FixedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out))`` (Glorot & Bengio, 2010)."""

    _PRESET = {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal"}


class LecunUniform(_FixedVarianceScaling):
    """Uniform on ``[-limit, limit]`` with ``limit = sqrt(3 / fan_in)`` (LeCun et al., 1998)."""

    _PRESET = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


class LecunNormal(_FixedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(1 / fan_in)`` (LeCun et al., 1998)."""

    _PRESET = {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}


class HeUniform(_FixedVarianceScaling):
    """Uniform on ``[-limit, limit]`` with ``limit = sqrt(6 / fan_in)`` (He et al., 2015)."""

    _PRESET = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


class HeNormal(_FixedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(2 / fan_in)`` (He et al., 2015)."""

    _PRESET = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}


class OrthogonalInitializer(RandomInitializer):
    """A (semi-)orthogonal matrix times ``gain``, from the QR decomposition of a normal sample.

    Shapes of rank > 2 are flattened to ``(prod(shape[:-1]), shape[-1])`` first.

    Args:
        gain: the multiplier of the orthogonal matrix.
        seed: None, an int or a ``SeedGenerator``.
    """

    def __init__(self, gain: float = 1.0, seed=None):
        self.gain = gain
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal initializer needs a shape of rank >= 2. Received: shape={shape}")
        dtype = standardize_dtype(dtype)
        rows, cols = math.prod(shape[:-1]), shape[-1]
        sample = random.normal((max(rows, cols), min(rows, cols)), dtype=dtype, seed=self.seed)
        q, r = ops.linalg.qr(sample)
        # Fixing the signs of R's diagonal makes Q uniformly distributed over orthogonal matrices.
        q = ops.multiply(q, ops.sign(ops.diagonal(r)))
        if rows < cols:
            q = ops.transpose(q)
        return ops.multiply(ops.reshape(q, shape), self.gain)

    def get_config(self) -> dict:
        return {"gain": self.gain, **super().get_config()}
