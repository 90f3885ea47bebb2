"""Object (de)serialization in Keras 3's config format, and the registry of serializable classes.

A serialized object is ``{"module", "class_name", "config", "registered_name"}``. Built-in classes are
found by ``class_name`` in the module they belong to; user classes are registered with
``register_lamina_serializable`` (alias ``register_keras_serializable``) or passed in ``custom_objects``.
"""

from __future__ import annotations

import importlib
import inspect

from lamina.backend.common.naming import to_snake_case
from lamina.serialization import keras_names
from lamina.serialization.keras_names import lamina_module
from lamina.serialization.safe_mode import safe_mode_scope

_REGISTERED = {}  # "package>Name" -> class or function
_custom_scope = []


def register_lamina_serializable(package: str = "Custom", name: str | None = None):
    """Decorator: make a user class or function loadable by ``deserialize`` under ``package>name``."""

    def decorate(obj):
        key = f"{package}>{name or obj.__name__}"
        _REGISTERED[key] = obj
        obj._registered_name = key
        return obj

    return decorate


register_keras_serializable = register_lamina_serializable


def get_custom_objects() -> dict:
    """The live registry of user objects, ``"package>Name"`` -> object: what ``register_keras_serializable``
    fills. Adding an entry (``get_custom_objects()["MyLayer"] = MyLayer``) makes the name loadable."""
    return _REGISTERED


def get_registered_name(obj) -> str:
    return getattr(obj, "_registered_name", None) or getattr(obj, "__name__", type(obj).__name__)


def get_registered_object(name: str, custom_objects=None, module_objects=None):
    """Find ``name`` among custom objects (arguments, then active scopes), the registry and a module's names."""
    for scope in [custom_objects or {}] + list(reversed(_custom_scope)):
        if name in scope:
            return scope[name]
    if name in _REGISTERED:
        return _REGISTERED[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


class custom_object_scope:
    """Context in which ``deserialize`` also looks names up in ``custom_objects``."""

    def __init__(self, custom_objects: dict):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        _custom_scope.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _custom_scope.pop()


CustomObjectScope = custom_object_scope


def _public_module(obj) -> str:
    """Keras-style public module name: ``lamina.layers``, not ``lamina.layers.core.dense``."""
    module = type(obj).__module__ if not inspect.isclass(obj) and not inspect.isfunction(obj) else obj.__module__
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "lamina" else module


def serialized_class(obj) -> type:
    """The class ``obj`` is saved as: its own, or the base class named by its class's ``_serialized_as`` (a
    class that only translates arguments, as ``lamina.legacy``'s ``Convolution1D`` over ``Conv1D``)."""
    return vars(type(obj)).get("_serialized_as", type(obj))


def serialize(obj):
    """The JSON-ready config of ``obj`` (None, plain values and containers pass through)."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize(item) for item in obj]
    if isinstance(obj, dict):
        return {key: serialize(value) for key, value in obj.items()}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        registered = getattr(obj, "_registered_name", None)
        return registered or obj.__name__
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no `get_config()` method.")
    cls = serialized_class(obj)
    config = {
        "module": _public_module(cls),
        "class_name": cls.__name__,
        "config": obj.get_config(),
        "registered_name": getattr(cls, "_registered_name", None),
    }
    build_config = getattr(obj, "get_build_config", None)
    if build_config is not None:
        built = build_config()
        if built is not None:
            config["build_config"] = built
    return config


def _is_lamina_module(module) -> bool:
    """Whether a config's ``module`` names lamina's (or Keras' name for lamina's) own packages."""
    return isinstance(module, str) and any(module == root or module.startswith(root + ".")
                                           for root in ("lamina", "keras"))


def _from_lamina_module(module, class_name):
    """The class (or public function) ``class_name`` defined in lamina's ``module``, else None.

    A file names the module, so only lamina's own packages are ever imported, and only what lamina defines
    there is returned: a serializable class, or a public function (returned, never called). Anything else a
    lamina module happens to hold (an imported ``subprocess``, a private helper) stays out of reach.
    """
    if not _is_lamina_module(module) or not isinstance(class_name, str) or class_name.startswith("_"):
        return None
    try:
        found = getattr(importlib.import_module(lamina_module(module, class_name)), class_name, None)
    except ImportError:
        return None
    defined_in = getattr(found, "__module__", None) or ""
    if not (defined_in == "lamina" or defined_in.startswith("lamina.")):
        return None
    if inspect.isclass(found) and (hasattr(found, "from_config") or hasattr(found, "get_config")):
        return found
    return found if inspect.isfunction(found) else None


def _import_registering_module(name) -> None:
    """A class or function registered under a lamina module's name (``"lamina.legacy.layers>Highway"``) is
    registered when that module is imported: import it (lamina's own modules only), so a file naming it loads
    in a fresh process."""
    package, separator, _ = name.partition(">") if isinstance(name, str) else ("", "", "")
    if separator and name not in _REGISTERED and package.startswith("lamina."):
        try:
            importlib.import_module(package)
        except ImportError:
            pass


def deserialize(config, custom_objects=None, module_objects=None, kind="object"):
    """Rebuild an object from ``serialize``'s output (or from a plain class/function name)."""
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        _import_registering_module(config)
        found = get_registered_object(config, custom_objects, module_objects)
        if found is None:
            raise ValueError(f"Unknown {kind}: '{config}'. Please ensure you are using a lamina/Keras name, "
                             "or pass the object in `custom_objects`.")
        return found
    if isinstance(config, list):
        return [deserialize(item, custom_objects, module_objects, kind) for item in config]
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret serialized {kind}: {config!r}")
    if _is_lamina_module(config.get("module")) and config["module"].startswith("keras"):
        config = keras_names.to_lamina(config)  # a Keras config handed over directly, not read from a file
    class_name = config["class_name"]
    if class_name == "__lambda__":
        raise ValueError("Deserializing Python lambdas needs `safe_mode=False`.")
    cls = None
    _import_registering_module(config.get("registered_name") or class_name)
    if config.get("registered_name"):
        cls = get_registered_object(config["registered_name"], custom_objects)
    if cls is None:
        cls = get_registered_object(class_name, custom_objects, module_objects)
    if cls is None:
        cls = _from_lamina_module(config.get("module"), class_name)
    if cls is None:
        raise ValueError(f"Unknown {kind}: '{class_name}'. Please ensure it is registered with "
                         "`register_lamina_serializable` or passed in `custom_objects`.")
    inner = config.get("config", {})
    if inspect.isfunction(cls):
        return cls
    if hasattr(cls, "from_config"):
        with custom_object_scope(custom_objects or {}):
            obj = cls.from_config(inner)
    else:
        obj = cls(**inner)
    build_config = config.get("build_config")
    if build_config and hasattr(obj, "build_from_config"):
        obj.build_from_config(build_config)
    return obj


serialize_keras_object = serialize


def deserialize_keras_object(config, custom_objects: dict | None = None, safe_mode: bool = True, **kwargs):
    """Keras' name and signature for ``deserialize``: rebuild an object from its config. With
    ``safe_mode=False`` (or after ``config.enable_unsafe_deserialization()``) ``Lambda`` layers in it may load
    Python lambdas from bytecode. ``module_objects`` may be passed as in Keras."""
    with safe_mode_scope(safe_mode):
        return deserialize(config, custom_objects, module_objects=kwargs.get("module_objects"))


def get(identifier, module_objects: dict, kind: str, base_class=None):
    """Resolve a user-facing identifier: None, an instance, a class, a callable, a name or a config."""
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier, module_objects=module_objects, kind=kind)
        if inspect.isclass(obj):
            obj = obj()
        return obj
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier) or (base_class is not None and isinstance(identifier, base_class)):
        return identifier
    raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")


def catalog(kind: str, classes, base_class, aliases: dict | None = None, functions=(), snake_case: bool = True):
    """The lookup table and ``serialize``/``deserialize``/``get`` of a family of classes.

    Names accepted: each class name, its snake_case form (``"GlorotUniform"``, ``"glorot_uniform"``; left out
    when ``snake_case`` is False), the name of each of ``functions`` (for families such as losses whose
    functions are objects in their own right), and ``aliases``. Returns ``(ALL_OBJECTS, serialize,
    deserialize, get)`` for the family's package.
    """
    objects = {cls.__name__: cls for cls in classes}
    if snake_case:
        objects.update({to_snake_case(cls.__name__): cls for cls in classes})
    objects.update({fn.__name__: fn for fn in functions})
    objects.update(aliases or {})

    def serialize_member(obj):
        """The Keras-format config of ``obj``."""
        return serialize(obj)

    def deserialize_member(config, custom_objects=None):
        """An instance from ``serialize``'s output or a name."""
        obj = deserialize(config, custom_objects, module_objects=objects, kind=kind)
        return obj() if inspect.isclass(obj) else obj

    def get_member(identifier):
        """Resolve None, a name, a config dict, a class, an instance or a callable."""
        return get(identifier, objects, kind=kind, base_class=base_class)

    return objects, serialize_member, deserialize_member, get_member
