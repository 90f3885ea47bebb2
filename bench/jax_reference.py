"""The training loop a JAX user writes by hand, shared by the benchmarks' JAX references: plain jax, one
jitted step with donated state, RMSprop written out (rho 0.9, epsilon 1e-7, as Keras), loss and accuracy
kept on the device and read once per epoch. The epoch function's ``compiles()`` counts the step's traces."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np


def zeros(*shape):
    """float32 zeros (lamina turns on 64-bit types in JAX, so untyped zeros would be float64)."""
    return jnp.zeros(shape, jnp.float32)


def glorot(key, shape, fan_in: int, fan_out: int):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return jax.random.uniform(key, shape, jnp.float32, -limit, limit)


def dropout(x, rate: float, key):
    keep = jax.random.bernoulli(key, 1.0 - rate, x.shape)
    return jnp.where(keep, x / (1.0 - rate), 0.0)


def sparse_crossentropy(logits, y):
    log_probs = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(log_probs, y[:, None], axis=1))


def sigmoid_crossentropy(logits, y):
    return jnp.mean(jnp.maximum(logits, 0) - logits * y + jnp.log1p(jnp.exp(-jnp.abs(logits))))


def _correct(logits, y):
    if logits.shape[-1] == 1:
        return jnp.sum((logits > 0) == (y > 0.5))
    return jnp.sum(jnp.argmax(logits, -1) == y)


def epoch_function(params, forward, loss_fn, x, y, batch_size: int, learning_rate: float = 0.001):
    """A function running one shuffled epoch; returns (mean loss, accuracy).

    ``forward(params, x, key)`` returns logits in training mode; ``loss_fn(logits, y)`` is a batch mean.
    """

    def step(state, xb, yb, key):
        params, squares, totals = state

        def loss_of(p):
            logits = forward(p, xb, key)
            return loss_fn(logits, yb), logits

        (loss, logits), grads = jax.value_and_grad(loss_of, has_aux=True)(params)
        squares = jax.tree_util.tree_map(lambda s, g: 0.9 * s + 0.1 * g * g, squares, grads)
        params = jax.tree_util.tree_map(lambda p, g, s: p - learning_rate * g / (jnp.sqrt(s) + 1e-7),
                                        params, grads, squares)
        return params, squares, (totals[0] + loss * len(yb), totals[1] + _correct(logits, yb))

    jitted_step = jax.jit(step, donate_argnums=0)
    xj, yj = jnp.asarray(x), jnp.asarray(y)
    state = [params, jax.tree_util.tree_map(jnp.zeros_like, params)]
    key = jax.random.key(1)

    def epoch():
        nonlocal key
        key, perm_key = jax.random.split(key)
        order = jax.random.permutation(perm_key, len(xj))
        xs, ys = xj[order], yj[order]
        totals = (jnp.zeros((), jnp.float32), jnp.zeros((), jnp.int32))
        current = (state[0], state[1], totals)
        for start in range(0, len(xs), batch_size):
            key, step_key = jax.random.split(key)
            current = jitted_step(current, xs[start:start + batch_size], ys[start:start + batch_size], step_key)
        state[0], state[1] = current[0], current[1]
        return float(current[2][0]) / len(xs), float(current[2][1]) / len(xs)

    epoch.compiles = getattr(jitted_step, "_cache_size", lambda: None)  # how many shapes the step was traced for
    return epoch
