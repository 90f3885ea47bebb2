"""The MLP training loop a JAX user writes by hand: plain jax, one jitted step with donated state,
RMSprop written out (rho 0.9, epsilon 1e-7, as Keras), dropout 0.2, accuracy kept on the device."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

BATCH = 128


def _init(key):
    sizes = [(784, 512), (512, 512), (512, 10)]
    params = []
    for fan_in, fan_out in sizes:
        key, sub = jax.random.split(key)
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        params.append((jax.random.uniform(sub, (fan_in, fan_out), jnp.float32, -limit, limit),
                       jnp.zeros((fan_out,), jnp.float32)))
    return params


def _forward(params, x, key):
    (w1, b1), (w2, b2), (w3, b3) = params
    h = jax.nn.relu(x @ w1 + b1)
    keep = jax.random.bernoulli(key, 0.8, h.shape)
    h = jnp.where(keep, h / 0.8, 0.0)
    h = jax.nn.relu(h @ w2 + b2)
    return h @ w3 + b3


def _loss(params, x, y, key):
    logits = _forward(params, x, key)
    log_probs = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(log_probs, y[:, None], axis=1)), logits


def _step(state, x, y, key):
    params, squares, totals = state
    (loss, logits), grads = jax.value_and_grad(_loss, has_aux=True)(params, x, y, key)
    squares = jax.tree_util.tree_map(lambda s, g: 0.9 * s + 0.1 * g * g, squares, grads)
    params = jax.tree_util.tree_map(lambda p, g, s: p - 0.001 * g / (jnp.sqrt(s) + 1e-7), params, grads, squares)
    correct = jnp.sum(jnp.argmax(logits, -1) == y)
    return params, squares, (totals[0] + loss * len(y), totals[1] + correct)


_step_donating = jax.jit(_step, donate_argnums=0)


def epoch_function(x, y):
    """A function running one shuffled epoch; returns (mean loss, accuracy)."""
    xj, yj = jnp.asarray(x), jnp.asarray(y.astype("int32"))
    params = _init(jax.random.key(0))
    state = [params, jax.tree_util.tree_map(jnp.zeros_like, params), None]
    key = jax.random.key(1)

    def epoch():
        nonlocal key
        key, perm_key = jax.random.split(key)
        order = jax.random.permutation(perm_key, len(xj))
        xs, ys = xj[order], yj[order]
        totals = (jnp.zeros((), jnp.float32), jnp.zeros((), jnp.int32))
        current = (state[0], state[1], totals)
        for start in range(0, len(xs), BATCH):
            key, step_key = jax.random.split(key)
            current = _step_donating(current, xs[start:start + BATCH], ys[start:start + BATCH], step_key)
        state[0], state[1] = current[0], current[1]
        return float(current[2][0]) / len(xs), float(current[2][1]) / len(xs)

    return epoch
