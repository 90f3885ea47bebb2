"""JAX implementations of ``lamina.random``.

Every function takes ``seed``: the engine seed array ``[seed, counter]`` that ``lamina.random`` draws (from
an int, a ``SeedGenerator`` or the global generator). Each call derives its own ``jax.random`` key from it,
so the result depends on the seed alone, and the derivation is traceable: a seed threaded through a jitted
step as an input gives the same numbers as the same seed passed eagerly.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp

from lamina.backend.jax.core import convert_to_tensor, engine_dtype
from lamina.backend.jax.numpy import _float, _tensor

SEED_DTYPE = "int64"
_SEED_STEP = (0, 1)


def make_seed_state(seed: int):
    """The initial state ``[seed, 0]`` of a seed generator."""
    return convert_to_tensor([seed, 0], dtype=SEED_DTYPE)


def split_seed_state(state) -> tuple:
    """``(seed, next_state)``: the state to draw with now, and the state with its counter moved on."""
    state = convert_to_tensor(state)
    return state, state + jnp.asarray(_SEED_STEP, dtype=state.dtype)


def set_engine_seed(seed: int) -> None:
    """JAX has no global random state to seed: every draw is keyed explicitly."""


def _key(seed):
    """The threefry key whose data is the ``[seed, counter]`` pair itself, as ``jax.random.key`` makes an
    int seed's key (and Keras keys its draws on JAX): threefry is keyed by both words, so nearby pairs give
    unrelated streams, and no hashing step (a fold_in: one more threefry in every compiled step) is needed."""
    seed = convert_to_tensor(seed)
    return jax.random.wrap_key_data(seed.astype(jnp.uint32), impl="threefry2x32")


def _work_dtype(dtype):
    """Sample in float32 (float64 when asked for it); narrower floats are cast afterwards."""
    return jnp.float64 if engine_dtype(dtype) == jnp.float64 else jnp.float32


@functools.partial(jax.jit, static_argnames=("sampler", "shape", "dtype"))
def _scaled_draw(seed, scale, offset, *, sampler, shape, dtype):
    """``sampler(key, shape) * scale + offset`` in the working dtype, cast to ``dtype``: one compiled function
    per sampler, shape and dtype (run eagerly, the key, the draw, the product and the sum would each compile,
    for every weight shape a model initialises); inside a traced step it is inlined."""
    sample = sampler(_key(seed), shape, _work_dtype(dtype))
    return (sample * scale + offset).astype(engine_dtype(dtype))


def _within_two_stddev(key, shape, dtype):
    return jax.random.truncated_normal(key, -2.0, 2.0, shape, dtype=dtype)


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    return _scaled_draw(seed, stddev, mean, sampler=jax.random.normal, shape=tuple(shape), dtype=dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype="float32", seed=None):
    return _scaled_draw(seed, maxval - minval, minval, sampler=jax.random.uniform, shape=tuple(shape), dtype=dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    """Normal samples kept within two standard deviations."""
    return _scaled_draw(seed, stddev, mean, sampler=_within_two_stddev, shape=tuple(shape), dtype=dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return jax.random.randint(_key(seed), tuple(shape), minval, maxval, dtype=engine_dtype(dtype))


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = _float(logits)
    samples = jax.random.categorical(_key(seed), logits, axis=-1, shape=(num_samples, logits.shape[0]))
    return samples.T.astype(engine_dtype(dtype))


def _kept(seed, keep: float, shape: tuple):
    """Bernoulli(``keep``) draws of ``shape`` from 16 random bits each (``keep`` resolved to 1/65536).

    ``jax.random.bernoulli`` draws 32 bits an element, and threefry is most of a dropout's cost on the CPU
    (0.44 ms for a (128, 512) mask, 0.26 ms from half the bits): an epoch of ``bench/char_cnn.py``, whose
    dropout masks (128, 400, 32) embeddings, took 2.85 s against 3.00 s. A dropout rate needs no finer steps
    than 1/65536.
    """
    size = math.prod(shape)
    words = jax.random.bits(_key(seed), ((size + 1) // 2,), jnp.uint32)
    halves = jax.lax.bitcast_convert_type(words, jnp.uint16).reshape(-1)[:size].reshape(shape)
    return halves.astype(jnp.int32) < round(keep * 65536)


def dropout(inputs, rate, noise_shape, seed=None):
    x = _tensor(inputs)
    keep = 1.0 - rate
    mask = _kept(seed, keep, tuple(noise_shape)).astype(x.dtype)
    if keep > 0:
        mask = mask / keep
    return x * mask


def shuffle(x, axis=0, seed=None):
    return jax.random.permutation(_key(seed), _tensor(x), axis=axis, independent=False)


def _shape_param(value, shape, work):
    """A distribution parameter broadcast to the sample shape, in the working dtype."""
    return jnp.broadcast_to(convert_to_tensor(value).astype(work), shape)


def gamma(shape, alpha, dtype="float32", seed=None):
    work, shape = _work_dtype(dtype), tuple(shape)
    sample = jax.random.gamma(_key(seed), _shape_param(alpha, shape, work), shape, dtype=work)
    return sample.astype(engine_dtype(dtype))


def beta(shape, alpha, beta, dtype="float32", seed=None):
    work, shape = _work_dtype(dtype), tuple(shape)
    sample = jax.random.beta(_key(seed), _shape_param(alpha, shape, work), _shape_param(beta, shape, work),
                             shape, dtype=work)
    return sample.astype(engine_dtype(dtype))


def binomial(shape, counts, probabilities, dtype="float32", seed=None):
    work, shape = _work_dtype(dtype), tuple(shape)
    sample = jax.random.binomial(_key(seed), _shape_param(counts, shape, work),
                                 _shape_param(probabilities, shape, work), shape, dtype=work)
    return sample.astype(engine_dtype(dtype))
