"""Lambda: wraps a function of the inputs as a layer, for quick stateless transformations.

Configs name a named function (Keras' ``{"class_name": "function", ...}`` form); a Python lambda is
saved as marshalled bytecode (base64), as Keras does. Loading that bytecode runs code from the config,
so ``from_config`` refuses it unless the caller opts out of safe mode: ``safe_mode=False`` per call, or
``lamina.config.enable_unsafe_deserialization()`` for the whole process.
"""

from __future__ import annotations

import base64
import builtins
import importlib
import inspect
import marshal
import types

from lamina import serialization
from lamina.layers.layer import Layer
from lamina.layers.shapes import as_shape_structure, is_shape
from lamina.serialization.safe_mode import in_safe_mode


def _is_lambda(fn) -> bool:
    return isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>"


def _with_batch(shapes, batch_size):
    """Prefix each shape in a structure of shapes (tuples of ints and None) with ``batch_size``."""
    if is_shape(shapes):
        return (batch_size,) + tuple(shapes)
    if isinstance(shapes, dict):
        return {key: _with_batch(value, batch_size) for key, value in shapes.items()}
    return [_with_batch(value, batch_size) for value in shapes]


def _first_shape(shapes) -> tuple:
    while not is_shape(shapes):
        shapes = next(iter(shapes.values())) if isinstance(shapes, dict) else shapes[0]
    return tuple(shapes)


def _dump_function(fn) -> dict:
    """The config of a function: its bytecode for a lambda, its name for a named function."""
    if _is_lambda(fn):
        closure = tuple(cell.cell_contents for cell in fn.__closure__) if fn.__closure__ else None
        code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
        return {"class_name": "__lambda__", "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}
    if inspect.isfunction(fn) or inspect.isbuiltin(fn):
        return {"module": fn.__module__, "class_name": "function", "config": fn.__name__,
                "registered_name": serialization.get_registered_name(fn)}
    return serialization.serialize(fn)


def _load_lambda(config: dict, argument: str, unsafe: bool):
    if not unsafe:
        raise ValueError(
            f"The `{argument}` of this Lambda layer is a Python lambda. Deserializing it is unsafe: it runs "
            "code stored in the config. If you trust the source of the config, pass `safe_mode=False` to "
            "`from_config()` or `load_model()`, or call `lamina.config.enable_unsafe_deserialization()`."
        )
    try:
        code = marshal.loads(base64.b64decode(config["code"]))
    except (ValueError, EOFError, TypeError) as error:
        raise ValueError(
            f"Could not load the `{argument}` lambda of a Lambda layer: its bytecode was written by another "
            f"Python version or is corrupt. Received code of length {len(config['code'])}."
        ) from error
    import lamina  # the names a saved lambda body most often refers to

    namespace = {"__builtins__": builtins, "lamina": lamina, "keras": lamina, "ops": lamina.ops}
    closure = config.get("closure")
    cells = tuple(types.CellType(value) for value in closure) if closure is not None else None
    defaults = tuple(config["defaults"]) if config.get("defaults") is not None else None
    return types.FunctionType(code, namespace, code.co_name, defaults, cells)


def _public_function(name: str):
    """``lamina.activations``' or ``lamina.ops``' public function ``name`` (Keras' names for them too)."""
    from lamina import activations, ops

    if name in activations.ALL_OBJECTS_DICT:
        return activations.ALL_OBJECTS_DICT[name]
    found = None if name.startswith("_") else getattr(ops, name, None)
    if inspect.isfunction(found) and found.__module__.startswith("lamina.ops."):
        return found
    return None


def _load_named_function(config: dict, argument: str, unsafe: bool):
    """Resolve ``{"module", "class_name": "function", "config": name}``: custom objects and registered
    functions first, then the public functions of ``lamina.activations`` and ``lamina.ops``. Only with safe
    mode off is the named module imported and its attribute taken (a file could name any function there)."""
    name, module = config["config"], config.get("module") or ""
    if not isinstance(name, str) or not isinstance(module, str):
        raise ValueError(f"Invalid function entry for the `{argument}` of a Lambda layer: {config!r}")
    for key in (config.get("registered_name"), name):
        found = serialization.get_registered_object(key) if isinstance(key, str) else None
        if found is not None:
            return found
    found = _public_function(name)
    if found is None and unsafe and module:
        found = getattr(importlib.import_module(module), name, None)
    if found is None:
        hint = "" if unsafe else (" In safe mode only registered functions and those of `lamina.activations` and "
                                  "`lamina.ops` load; pass `safe_mode=False` for a file you trust.")
        raise ValueError(
            f"Could not locate the function '{name}' (module '{module}') for the `{argument}` of a Lambda layer. "
            "Register it with `@lamina.saving.register_lamina_serializable()` or pass it in `custom_objects`."
            + hint
        )
    return found


def _load_function(config, argument: str, unsafe: bool):
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        return _load_lambda(config["config"], argument, unsafe)
    if isinstance(config, dict) and config.get("class_name") == "function":
        return _load_named_function(config, argument, unsafe)
    return serialization.deserialize(config, kind="function")


def _load_argument(value):
    """Serialized objects in ``arguments`` are rebuilt; plain values (strings included) are kept."""
    if isinstance(value, dict) and "class_name" in value and "config" in value:
        return serialization.deserialize(value)
    return value


class Lambda(Layer):
    """Wraps ``function(inputs, **arguments)`` as a layer.

    Meant for simple, stateless expressions; a function that creates variables needs a subclassed
    layer instead. Saved configs keep a lambda's bytecode, which only loads with safe mode off.

    Args:
        function: the function to apply; it may take ``mask`` and ``training`` keyword arguments,
            which the layer then passes through.
        output_shape: the output shape without the batch dimension (a tuple, or a structure of them for
            several outputs), or a function of the full input shape returning the full output shape.
            When omitted the shape is found by running ``function`` on symbolic inputs.
        mask: None (no output mask), a function ``mask(inputs, previous_mask)``, or a fixed mask tensor.
        arguments: a dict of extra keyword arguments for ``function``.

    Example:
        >>> layer = Lambda(lambda x, k: x * k, arguments={"k": 2.0})
        >>> ops.convert_to_numpy(layer(np.ones((1, 2)))).tolist()
        [[2.0, 2.0]]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(f"Invalid value for argument `function` of Lambda. Expected a callable. "
                             f"Received: function={function!r}")
        if output_shape is not None and not callable(output_shape) and not isinstance(output_shape,
                                                                                      (tuple, list, dict)):
            raise ValueError(
                "Invalid value for argument `output_shape` of Lambda. Expected a tuple, a structure of tuples "
                f"or a callable. Received: output_shape={output_shape!r}"
            )
        if arguments is not None and not isinstance(arguments, dict):
            raise ValueError(f"Invalid value for argument `arguments` of Lambda. Expected a dict. "
                             f"Received: arguments={arguments!r}")
        self.function = function
        self._output_shape = output_shape if callable(output_shape) else as_shape_structure(output_shape)
        self.mask = mask
        self.arguments = dict(arguments or {})
        self.supports_masking = mask is not None
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):  # some builtins have no signature
            parameters = {}
        self._passes_mask = "mask" in parameters
        self._passes_training = "training" in parameters

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._passes_mask:
            kwargs["mask"] = mask
        if self._passes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def compute_output_spec(self, inputs, mask=None, training=None):
        if self._output_shape is not None:
            return super().compute_output_spec(inputs)
        try:
            return self.call(inputs, mask=mask, training=training)
        except Exception as error:
            raise NotImplementedError(
                f"Could not infer the output shape of Lambda layer '{self.name}' by running its function on "
                f"inputs of shape {getattr(inputs, 'shape', inputs)}: {error}. Pass the `output_shape` argument."
            ) from error

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        return _with_batch(self._output_shape, _first_shape(input_shape)[0])

    def get_config(self) -> dict:
        config = super().get_config()
        config["function"] = _dump_function(self.function)
        if self._output_shape is not None:
            config["output_shape"] = (_dump_function(self._output_shape) if callable(self._output_shape)
                                      else self._output_shape)
        if self.mask is not None:
            config["mask"] = _dump_function(self.mask) if callable(self.mask) else serialization.serialize(self.mask)
        config["arguments"] = serialization.serialize(self.arguments)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None, safe_mode: bool | None = None):
        """Rebuild from ``get_config``; a lambda loads only when safe mode is off (see the module docstring)."""
        unsafe = not (in_safe_mode() if safe_mode is None else safe_mode)
        config = dict(config)
        with serialization.custom_object_scope(custom_objects or {}):
            config["function"] = _load_function(config["function"], "function", unsafe)
            shape = config.get("output_shape")
            if isinstance(shape, dict) and shape.get("class_name") in ("__lambda__", "function"):
                config["output_shape"] = _load_function(shape, "output_shape", unsafe)
            if isinstance(config.get("mask"), (dict, str)):
                config["mask"] = _load_function(config["mask"], "mask", unsafe)
            config["arguments"] = {key: _load_argument(value) for key, value in (config.get("arguments") or {}).items()}
            return super().from_config(config)
