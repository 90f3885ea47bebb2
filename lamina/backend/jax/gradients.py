"""Gradients asked for outside a train step (Keras 1/2's ``K.gradients``), by ``jax.value_and_grad``."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from lamina.backend.common.scopes import StatelessScope


def value_and_gradients(function, variables, arrays):
    """``function(*arrays)`` and the gradients of its sum with respect to each Variable in ``variables`` and
    each array in ``arrays`` (zeros where the value does not depend on it). The Variables are read through a
    ``StatelessScope``, so ``function`` stays pure; assignments made inside it are dropped.

    Returns ``(value, variable_gradients, array_gradients)``.
    """

    def pure(variable_values, array_values):
        with StatelessScope(list(zip(variables, variable_values))):
            value = function(*array_values)
        return jnp.sum(value), value

    (_, value), (variable_grads, array_grads) = jax.value_and_grad(pure, argnums=(0, 1), has_aux=True)(
        [v.value for v in variables], [jnp.asarray(a) for a in arrays])
    return value, list(variable_grads), list(array_grads)
