"""Activation functions by Keras name, and ``get``/``serialize``/``deserialize`` to pass them around by name.

``get("relu")``, ``get(None)`` (linear) and ``get(my_function)`` all give a callable; ``serialize`` gives the
name a config stores, ``deserialize`` the function back. Lookups go through ``lamina.saving``'s registry, so
functions registered with ``register_lamina_serializable`` or passed in ``custom_objects`` work too.
"""

from __future__ import annotations

from lamina import serialization
from lamina.activations.activations import (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    swish,
    tanh,
    tanh_shrink,
    threshold,
)

ALL_OBJECTS = (
    relu, leaky_relu, relu6, softmax, log_softmax, sparsemax, elu, selu, celu, gelu, glu, softplus, softsign,
    sparse_plus, squareplus, silu, sigmoid, log_sigmoid, hard_sigmoid, hard_silu, sparse_sigmoid, tanh,
    hard_tanh, tanh_shrink, hard_shrink, soft_shrink, threshold, mish, exponential, linear,
)
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in ALL_OBJECTS}
ALL_OBJECTS_DICT.update(swish=silu, hard_swish=hard_silu)


def _name_of_function_config(config):
    """Keras 3 writes custom functions as ``{"class_name": "function", "config": name, ...}``: keep the name."""
    if isinstance(config, dict) and config.get("class_name") == "function":
        return config["config"]
    return config


def serialize(activation) -> str | dict:
    """The name of an activation function (or the config of a callable object) for a layer's config."""
    config = serialization.serialize(activation)
    if config == "<lambda>":
        raise ValueError(
            "A lambda activation cannot be serialized by name. Define it with `def` and register it with "
            f"`lamina.saving.register_lamina_serializable()`. Received: activation={activation!r}"
        )
    return config


def deserialize(config, custom_objects: dict | None = None):
    """The activation function named by ``config`` (a name, or a Keras function/object config)."""
    return serialization.deserialize(_name_of_function_config(config), custom_objects=custom_objects,
                                     module_objects=ALL_OBJECTS_DICT, kind="activation")


def get(identifier):
    """A callable activation from None (linear), a name, a config or a callable."""
    if identifier is None:
        return linear
    return serialization.get(_name_of_function_config(identifier), ALL_OBJECTS_DICT, "activation")


__all__ = sorted(ALL_OBJECTS_DICT) + ["ALL_OBJECTS", "ALL_OBJECTS_DICT", "serialize", "deserialize", "get"]
