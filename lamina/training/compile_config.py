"""The ``compile()`` arguments as Keras 3 stores them in a ``.keras`` file's ``compile_config``: written
from a compiled model, and read back to compile a loaded one (lamina's files and Keras 3's alike)."""

from __future__ import annotations

import inspect
import warnings

from lamina import losses, metrics, optimizers, serialization
from lamina.serialization import keras_names

# Keras' compile_config keys, in its order.
_COMPILE_KEYS = ("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                 "steps_per_execution", "jit_compile")


def get_compile_config(model) -> dict | None:
    """The ``compile()`` arguments of ``model``, serialized as Keras 3 writes them; None when not compiled.

    Reads ``model._compile_config``: the dict of arguments that ``compile()`` records (the optimizer as
    the resolved instance, so that its current hyperparameters are saved; ``jit_compile="auto"`` as the
    boolean it resolved to, as Keras 3 writes it).
    """
    arguments = getattr(model, "_compile_config", None)
    if not getattr(model, "compiled", False) or arguments is None:
        return None
    arguments = {key: arguments.get(key) for key in _COMPILE_KEYS if key in arguments}
    if arguments.get("jit_compile") == "auto":  # Keras stores what "auto" resolved to
        arguments["jit_compile"] = bool(getattr(model, "jit_compile", False))
    return serialization.serialize(arguments)


def _resolve(value, family, custom_objects):
    """A compile argument from its serialized form: names stay names (``compile`` resolves them), configs
    become objects of ``family`` (``lamina.losses``, ...), and lists and per-output dicts are walked."""
    if isinstance(value, list):
        return [_resolve(item, family, custom_objects) for item in value]
    if not isinstance(value, dict):
        return value
    if "class_name" not in value:
        return {key: _resolve(item, family, custom_objects) for key, item in value.items()}
    if value["class_name"] == "function":  # Keras' form of a plain function: its (registered) name
        registered = value.get("registered_name") or ""
        return registered if ">" in registered else value["config"]
    return family.deserialize(value, custom_objects)


def compile_from_config(model, config: dict, custom_objects: dict | None = None) -> None:
    """Compile ``model`` from ``get_compile_config``'s output (lamina's or Keras 3's), and build its optimizer.

    As in Keras, a model whose class overrides ``compile`` is left uncompiled, with a warning: its
    ``compile`` may take other arguments.
    """
    from lamina.training.trainer import Trainer  # the trainer imports this module

    if getattr(type(model), "compile", None) is not Trainer.compile:
        warnings.warn(f"`compile()` was not called as part of model loading because model '{model.name}' "
                      "overrides `compile()`. Call `compile()` yourself.", stacklevel=3)
        return
    families = {"optimizer": optimizers, "loss": losses, "metrics": metrics, "weighted_metrics": metrics}
    accepted = inspect.signature(Trainer.compile).parameters
    config = keras_names.to_lamina(config)
    with serialization.custom_object_scope(custom_objects or {}):
        arguments = {key: _resolve(value, families[key], custom_objects) if key in families else value
                     for key, value in config.items() if key in accepted}
        model.compile(**arguments)
    optimizer = getattr(model, "optimizer", None)
    if model.built and optimizer is not None and not optimizer.built:
        optimizer.build(model.trainable_variables)
