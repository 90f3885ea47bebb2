"""Random ops with Keras 3 names (``lamina.random.normal``, ``dropout``, ...).

``seed`` is None (the global generator), an int (stateless: the same int gives the same values) or a
``SeedGenerator`` (each call draws the next seed). Float results default to ``floatx``.
"""

from __future__ import annotations

from lamina import backend, config
from lamina.backend.common import dtypes
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops.op import op
from lamina.ops.spec import same_rule, shape_of
from lamina.random.seed_generator import draw_seed

_random = backend.random


def _float_dtype(dtype, op_name: str) -> str:
    dtype = dtypes.standardize_dtype(dtype or config.floatx())
    if not dtypes.is_float(dtype):
        raise ValueError(f"`{op_name}` samples floats. Expected a float dtype. Received: dtype={dtype}")
    return dtype


def _int_dtype(dtype, op_name: str) -> str:
    dtype = dtypes.standardize_dtype(dtype)
    if not dtypes.is_int(dtype):
        raise ValueError(f"`{op_name}` samples integers. Expected an integer dtype. Received: dtype={dtype}")
    return dtype


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution with the given ``mean`` and ``stddev``."""
    return _random.normal(shape, mean, stddev, _float_dtype(dtype, "normal"), draw_seed(seed))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from the uniform distribution on ``[minval, maxval)``."""
    return _random.uniform(shape, minval, maxval, _float_dtype(dtype, "uniform"), draw_seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples restricted to ``mean ± 2 * stddev`` (values outside are redrawn)."""
    return _random.truncated_normal(shape, mean, stddev, _float_dtype(dtype, "truncated_normal"), draw_seed(seed))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers drawn uniformly from ``[minval, maxval)``."""
    if int(maxval) <= int(minval):
        raise ValueError(f"`randint` needs minval < maxval. Received: minval={minval}, maxval={maxval}")
    return _random.randint(shape, minval, maxval, _int_dtype(dtype, "randint"), draw_seed(seed))


def _categorical_rule(logits, num_samples, dtype="int32", seed=None):
    return SymbolicTensor((shape_of(logits)[0], num_samples), _int_dtype(dtype, "categorical"))


@op(_categorical_rule)
def categorical(logits, num_samples, dtype="int32", seed=None):
    """``num_samples`` class indices per row of ``logits`` (shape ``(batch, classes)``), drawn by softmax."""
    if len(shape_of(logits)) != 2:
        raise ValueError(f"`categorical`: `logits` must have rank 2 (batch_size, num_classes). "
                         f"Received: logits.shape={shape_of(logits)}")
    return _random.categorical(logits, int(num_samples), _int_dtype(dtype, "categorical"), draw_seed(seed))


@op(same_rule)
def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zero entries of ``inputs`` with probability ``rate`` and scale the rest by ``1 / (1 - rate)``.

    ``noise_shape`` (broadcastable to the input's shape; ``None`` entries take the input's size) lets whole
    slices drop together.
    """
    rate = float(rate)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"Invalid value for argument `rate` of `dropout`. Expected a float between 0 and 1. "
                         f"Received: rate={rate}")
    shape = shape_of(inputs)
    if noise_shape is None:
        noise_shape = shape
    else:
        noise_shape = tuple(dim if n is None else int(n) for n, dim in zip(noise_shape, shape))
    return _random.dropout(inputs, rate, noise_shape, draw_seed(seed))


@op(same_rule)
def shuffle(x, axis=0, seed=None):
    """``x`` with its slices along ``axis`` in a random order."""
    return _random.shuffle(x, axis, draw_seed(seed))


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from the Gamma distribution with concentration ``alpha`` and rate 1."""
    return _random.gamma(shape, alpha, _float_dtype(dtype, "gamma"), draw_seed(seed))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Number of successes in ``counts`` trials of success probability ``probabilities``."""
    return _random.binomial(shape, counts, probabilities, _float_dtype(dtype, "binomial"), draw_seed(seed))


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from the Beta distribution with concentrations ``alpha`` and ``beta``."""
    return _random.beta(shape, alpha, beta, _float_dtype(dtype, "beta"), draw_seed(seed))


__all__ = [
    "normal", "uniform", "truncated_normal", "randint", "categorical", "dropout", "shuffle", "gamma",
    "binomial", "beta",
]
