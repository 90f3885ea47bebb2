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
from typing import NamedTuple

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


class _KerasOnly(NamedTuple):
    """A config key Keras 3 writes for a feature lamina does not have."""

    default: object  # the value meaning "feature off": accepted, and dropped before the class sees it
    tunes: str | None = None  # a key this one only tunes: while that key is off, any value here is moot


_VARIANCE_SCALING = ("VarianceScaling", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal",
                     "LecunUniform")

# The one table of config keys that Keras 3.0 to 3.15 write and lamina's classes do not take, by
# (class name, key); class "*" is every class. A key at its default is dropped; any other value raises a
# ValueError naming the class, the key and the value: a file never silently loads as a different model.
_KERAS_ONLY_KEYS = {
    ("*", "quantization_config"): _KerasOnly(None),  # Dense, EinsumDense, Embedding (3.13+)
    ("*", "ragged"): _KerasOnly(False),  # InputLayer (3.9+)
    ("BatchNormalization", "renorm"): _KerasOnly(False),  # batch renormalization (3.14+)
    ("BatchNormalization", "renorm_clipping"): _KerasOnly(None, tunes="renorm"),
    ("BatchNormalization", "renorm_momentum"): _KerasOnly(0.99, tunes="renorm"),
    # fans computed over chosen kernel axes (3.15+)
    **{(name, key): _KerasOnly(None) for name in _VARIANCE_SCALING for key in ("input_axes", "output_axes")},
}

# Serialized classes Keras 3 writes that lamina has no counterpart for: quantized dtype policies and
# per-layer policy maps (what ``Model.quantize`` leaves in a config).
_KERAS_ONLY_CLASSES = frozenset({"QuantizedDTypePolicy", "QuantizedFloat8DTypePolicy", "Int4DTypePolicy",
                                 "GPTQDTypePolicy", "AWQDTypePolicy", "DTypePolicyMap"})


def _keras_only_rule(class_name: str, key: str) -> _KerasOnly | None:
    return _KERAS_ONLY_KEYS.get((class_name, key)) or _KERAS_ONLY_KEYS.get(("*", key))


def _describe(class_name: str, config: dict, owner: str | None) -> str:
    name = config.get("name") if isinstance(config.get("name"), str) else None
    described = f"{class_name} '{name}'" if name else class_name
    return f"{described} (the {owner})" if owner else described


def _unsupported(what: str, key: str, value, supported: str) -> ValueError:
    return ValueError(f"Cannot load {what}: its config sets `{key}={value!r}`, a Keras feature lamina does not "
                      f"have ({supported}).")


def _without_keras_only_keys(class_name: str, config: dict, owner: str | None) -> dict:
    """``config`` less the Keras-only keys at their defaults (or moot); raises on any other Keras-only value."""
    kept = {}
    for key, value in config.items():
        rule = _keras_only_rule(class_name, key)
        if rule is None:
            kept[key] = value
            continue
        tuned = rule.tunes and _keras_only_rule(class_name, rule.tunes)
        if value == rule.default or (tuned and config.get(rule.tunes, tuned.default) == tuned.default):
            continue
        raise _unsupported(_describe(class_name, config, owner), key, value,
                           f"lamina supports only `{key}={rule.default!r}`")
    return kept


def _check_keras_only(config, owner: str | None = None):
    """A copy of a (translated) config with Keras-only keys checked and dropped, every nested entry too.

    ``owner`` says where an entry sits (``"kernel_initializer of Dense 'dense'"``), for error messages.
    """
    if isinstance(config, list):
        return [_check_keras_only(item, owner) for item in config]
    if not isinstance(config, dict):
        return config
    class_name, inner = config.get("class_name"), config.get("config")
    if not (isinstance(class_name, str) and isinstance(inner, dict)):
        return {key: _check_keras_only(value, owner) for key, value in config.items()}
    what = _describe(class_name, inner, None)
    for key, value in inner.items():
        if isinstance(value, dict) and value.get("class_name") in _KERAS_ONLY_CLASSES:
            raise _unsupported(_describe(class_name, inner, owner), key, value,
                               f"no {value['class_name']}: lamina's dtype policies are float and mixed ones")
    checked = dict(config)
    checked["config"] = {key: _check_keras_only(value, f"{key} of {what}")
                         for key, value in _without_keras_only_keys(class_name, inner, owner).items()}
    return checked


def to_lamina(config):
    """A copy of a serialized config with every Keras module renamed to its lamina name, and Keras-only
    arguments left at their defaults dropped (any other value raises a ``ValueError``: see ``_KERAS_ONLY_KEYS``)."""
    return _check_keras_only(_translate(config, lamina_module))


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
