"""Keras 1's ``keras.initializations``: functions of a shape that return a new variable.

``initializations.get("glorot_uniform")((3, 4), name="W")`` is how Keras 1 custom layers made weights. Each
name means what it meant in Keras 1 (the numbers come from ``keras1_arguments.INITIALIZERS``: scale 0.05
for ``uniform``/``normal``, untruncated ``glorot_normal``/``he_normal``, gain 1.1 for ``orthogonal``); the
values are drawn by the modern initializers. Fans are computed the Keras 3 way (channels-last kernels), whatever
``dim_ordering`` says.
"""

from __future__ import annotations

import inspect

from lamina import backend, initializers
from lamina.serialization.keras1_arguments import INITIALIZERS


def _variable(initializer, shape, name):
    return backend.Variable(initializer, shape=tuple(shape), name=name)


def _named(keras1_name: str):
    def initialize(shape, name=None, dim_ordering="th"):
        return _variable(initializers.get(INITIALIZERS[keras1_name]), shape, name)

    initialize.__name__ = keras1_name
    initialize.__doc__ = f"A new variable of ``shape`` drawn as Keras 1's ``{keras1_name}``."
    return initialize


glorot_uniform = _named("glorot_uniform")
glorot_normal = _named("glorot_normal")
he_uniform = _named("he_uniform")
he_normal = _named("he_normal")
lecun_uniform = _named("lecun_uniform")
zero = _named("zero")
one = _named("one")


def uniform(shape, scale=0.05, name=None, dim_ordering="th"):
    """A new variable drawn uniformly from ``[-scale, scale]``."""
    return _variable(initializers.RandomUniform(-scale, scale), shape, name)


def normal(shape, scale=0.05, name=None, dim_ordering="th"):
    """A new variable drawn from a normal distribution of standard deviation ``scale``."""
    return _variable(initializers.RandomNormal(0.0, scale), shape, name)


def orthogonal(shape, scale=1.1, name=None, dim_ordering="th"):
    """A new variable holding a random orthogonal matrix times ``scale`` (Keras 1's default gain 1.1)."""
    return _variable(initializers.Orthogonal(gain=scale), shape, name)


def identity(shape, scale=1, name=None, dim_ordering="th"):
    """A new variable holding ``scale`` times the identity matrix."""
    return _variable(initializers.Identity(gain=scale), shape, name)


_FUNCTIONS = {fn.__name__: fn for fn in (uniform, normal, zero, one, glorot_uniform, glorot_normal, he_uniform,
                                         he_normal, lecun_uniform, orthogonal, identity)}


def get(identifier, **kwargs):
    """The Keras 1 initialization function named ``identifier`` (a callable is returned as it is)."""
    if callable(identifier):
        return identifier
    if identifier not in _FUNCTIONS:
        raise ValueError(f"Invalid initialization: {identifier!r}. Expected one of {sorted(_FUNCTIONS)}.")
    return _FUNCTIONS[identifier]


class Keras1Initializer(initializers.Initializer):
    """A Keras 1 initialization function (``fn(shape, name=None)`` returning a variable) as a modern
    initializer (``(shape, dtype)`` returning a tensor), so ``Dense(3, init=my_init)`` works."""

    def __init__(self, function):
        self.function = function

    def __call__(self, shape, dtype=None):
        value = self.function(tuple(shape))
        value = value.value if isinstance(value, backend.Variable) else value
        return backend.core.cast(backend.convert_to_tensor(value), dtype or backend.floatx())


def modern_initializer(value):
    """``value`` as a modern layer accepts it: Keras 1 functions (this module's, or a user's taking
    ``(shape, name=None)``) are wrapped; names, configs and modern initializers pass through."""
    if any(value is function for function in _FUNCTIONS.values()):
        return INITIALIZERS[value.__name__]
    if inspect.isfunction(value) and "dtype" not in inspect.signature(value).parameters:
        return Keras1Initializer(value)
    return value
