"""The name table between Keras 3 files and lamina classes, in one place.

In memory, lamina's configs name lamina modules (``"lamina.layers"``). Files are written with Keras 3's
names so that Keras reads them, and files from Keras are read by mapping its names back:

    ==============================  ===============================  ===========================
    Keras 3 module                  lamina module                    notes
    ==============================  ===============================  ===========================
    ``keras``                       ``lamina``                       DTypePolicy, Sequential
    ``keras.<package>``             ``lamina.<package>``             layers, initializers, ...
    ``keras.src.models.functional`` ``lamina.models``                class ``Functional``
    ``keras.src.models.sequential`` ``lamina.models``                class ``Sequential``
    ``keras.src.ops.<module>``      ``lamina.ops.<module>``          raw ops inside a graph
    ==============================  ===============================  ===========================

An op entry's class name is the CamelCase of the op's function name (``Add`` for ``ops.add``,
``GetItem`` for ``ops.get_item``), as Keras names its op classes.
"""

from __future__ import annotations

import importlib

from lamina.backend.common.naming import to_snake_case

_KERAS_OPS = "keras.src.ops."
_LAMINA_OPS = "lamina.ops."
_KERAS_MODEL_MODULES = {"Functional": "keras.src.models.functional", "Sequential": "keras"}


def op_class_name(function_name: str) -> str:
    """``get_item`` -> ``GetItem``: the class name Keras gives the op."""
    return "".join(part[:1].upper() + part[1:] for part in function_name.split("_"))


def is_op_module(module) -> bool:
    return isinstance(module, str) and (module.startswith(_LAMINA_OPS) or module.startswith(_KERAS_OPS)
                                        or module in ("lamina.ops", "keras.ops"))


def lamina_module(module: str, class_name: str | None = None) -> str:
    """The lamina module that holds what Keras' ``module`` names."""
    if module.startswith(_KERAS_OPS):
        return _LAMINA_OPS + module[len(_KERAS_OPS):]
    if module.startswith("keras.src.models"):
        return "lamina.models"
    if module == "keras":
        return "lamina.models" if class_name in ("Sequential", "Model", "Functional") else "lamina"
    if module.startswith("keras."):
        return "lamina." + module[len("keras."):]
    return module


def keras_module(module: str, class_name: str | None = None) -> str:
    """The Keras 3 module name for a lamina ``module``."""
    if module.startswith(_LAMINA_OPS):
        return _KERAS_OPS + module[len(_LAMINA_OPS):]
    if module == "lamina.models":
        return _KERAS_MODEL_MODULES.get(class_name, "keras.models")
    if module == "lamina":
        return "keras"
    if module.startswith("lamina."):
        return "keras." + module[len("lamina."):]
    return module


def _translate(config, rename):
    if isinstance(config, list):
        return [_translate(item, rename) for item in config]
    if not isinstance(config, dict):
        return config
    translated = {key: _translate(value, rename) for key, value in config.items()}
    if isinstance(config.get("module"), str) and "class_name" in config:
        translated["module"] = rename(config["module"], config["class_name"])
        if config["class_name"] == "Functional" and translated["module"].startswith("keras"):
            translated["registered_name"] = "Functional"  # Keras writes its non-exported class this way
    return translated


def to_keras(config):
    """A copy of a serialized config with every lamina module renamed to its Keras 3 name."""
    return _translate(config, keras_module)


# Arguments newer Keras releases write into layer configs that lamina's layers do not take: dropped on
# loading while they hold the value that means "feature off"; any other value is kept (and then rejected
# by the layer with a clear error, rather than silently ignored).
_KERAS_ONLY_DEFAULTS = {"quantization_config": None, "ragged": False}


def _drop_keras_only_defaults(config):
    if isinstance(config, list):
        return [_drop_keras_only_defaults(item) for item in config]
    if not isinstance(config, dict):
        return config
    cleaned = {key: _drop_keras_only_defaults(value) for key, value in config.items()}
    inner = cleaned.get("config")
    if "class_name" in cleaned and isinstance(inner, dict):
        cleaned["config"] = {key: value for key, value in inner.items()
                             if not (key in _KERAS_ONLY_DEFAULTS and value == _KERAS_ONLY_DEFAULTS[key])}
    return cleaned


def to_lamina(config):
    """A copy of a serialized config with every Keras module renamed to its lamina name (and Keras-only
    arguments left at their defaults dropped)."""
    return _drop_keras_only_defaults(_translate(config, lamina_module))


def find_op(module: str, class_name: str):
    """The lamina op function for an op entry (``keras.src.ops.numpy``/``Add`` -> ``lamina.ops.add``)."""
    from lamina import ops

    name = to_snake_case(class_name)
    candidates = [ops]
    if module not in ("lamina.ops", "keras.ops"):
        try:
            candidates.insert(0, importlib.import_module(lamina_module(module)))
        except ImportError:
            pass
    for candidate in candidates:
        function = getattr(candidate, name, None)
        if callable(function) and hasattr(function, "shape_rule"):
            return function
    raise ValueError(
        f"Unknown op in a functional model config: class '{class_name}' of module '{module}'. Expected an op "
        f"of lamina.ops named '{name}'."
    )
