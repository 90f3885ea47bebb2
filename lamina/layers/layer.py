"""Layer: the building brick. State is created in ``build``, computation lives in ``call``.

On torch every layer is also a ``torch.nn.Module`` (its Variables are the module's parameters).

``__call__`` has two paths. The fast path serves the common eager case (a built layer, one real tensor
of its compute dtype, no mask, nothing to record) with a few attribute checks before ``call``; a model or
other layer of layers takes it too while every layer inside it does (``_nested_calls_fast``). Everything
else goes through the full path: input conversion and autocasting, building on first use, InputSpec
checks, the ``training`` flag, masks, activity regularization, and, on symbolic inputs, recording a node
of the functional graph.
"""

from __future__ import annotations

import contextlib
import inspect
import math

from lamina import backend, constraints, dtype_policies, initializers, regularizers, tree
from lamina.backend.common import naming
from lamina.backend.common.masking import get_mask, set_mask
from lamina.backend.common.scopes import AutocastScope, autocast_dtype, name_scope
from lamina.backend.common.symbolic import SymbolicTensor, any_symbolic
from lamina.backend.common.variable import note_state_structure_change, state_structure_version
from lamina.layers import call_context
from lamina.layers.input_spec import assert_input_compatibility
from lamina.layers.shapes import as_shape_structure, is_shape, map_shapes, shapes_of
from lamina.ops.node import Node
from lamina.ops.operation import Operation, no_graph_recording, recording
from lamina.random import SeedGenerator
from lamina.utils.argument_validation import is_text_array

_Tensor = backend.Tensor
_call_state = call_context.state
_TRAINING_ONLY = {"training"}  # the one keyword argument the fast path takes
_fast_path_changes = [0]  # counts the times any layer's fast path opened or closed (see _nested_calls_fast)
_BASE_KWARGS = ("input_shape", "input_dim", "batch_size", "batch_input_shape")
_JSON_TYPES = (bool, int, float, str, type(None))
# The most elements one weight may hold (64 GiB of float32): a config asking for more (``Dense(units=2**40)``
# from a hostile file) is refused by ``add_weight`` before anything is allocated.
MAX_WEIGHT_ELEMENTS = 2**34


def _json_ready(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_json_ready(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_ready(v) for k, v in value.items())
    return isinstance(value, _JSON_TYPES)


class Layer(backend.LayerBase, Operation):
    """Base class of all layers.

    Args:
        activity_regularizer: a regularizer applied to the layer's output; its value, divided by the
            batch size, is added to ``losses``.
        trainable: whether the layer's variables are trained.
        dtype: the dtype policy (``"float32"``, ``"mixed_float16"``, a ``DTypePolicy``).
        autocast: whether float inputs are cast to the compute dtype.
        name: a unique name; derived from the class name when omitted.
        input_shape, input_dim, batch_size: where the layer starts a ``Sequential`` model, the shape of
            its inputs (without the batch dimension).
    """

    _call_has_training = False
    _call_has_mask = False
    _default_training = None
    _called_eagerly = True  # False for layers a model's eager call never calls (InputLayer)
    runs_on_host = False  # True for the string layers run before the engine step (see HostLayer)

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        try:
            signature = inspect.signature(cls.__init__)
            bound = signature.bind(None, *args, **kwargs)
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            for parameter in list(signature.parameters.values())[:1]:
                arguments.pop(parameter.name, None)  # self
            for parameter in signature.parameters.values():
                if parameter.kind is inspect.Parameter.VAR_KEYWORD:
                    arguments.update(arguments.pop(parameter.name, {}))
                elif parameter.kind is inspect.Parameter.VAR_POSITIONAL and arguments.pop(parameter.name, ()):
                    raise TypeError("positional varargs cannot be captured by name")
            auto_config = arguments if _json_ready(arguments) else None
        except TypeError:
            auto_config = None
        object.__setattr__(instance, "_auto_config", auto_config)
        return instance

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        parameters = inspect.signature(cls.call).parameters
        cls._call_has_training = "training" in parameters
        cls._call_has_mask = "mask" in parameters
        if cls._call_has_training:
            default = parameters["training"].default
            cls._default_training = None if default is inspect.Parameter.empty else default
        if "build" in cls.__dict__:
            cls.build = _wrap_build(cls.__dict__["build"])

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True, name=None,
                 **kwargs):
        self._engine_init()
        unknown = set(kwargs) - set(_BASE_KWARGS)
        if unknown:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                f"{ {k: kwargs[k] for k in sorted(unknown)} }"
            )
        self._init_operation(name or naming.uniquify(naming.to_snake_case(type(self).__name__)))
        if not isinstance(self.name, str) or "/" in self.name:
            raise ValueError(f"Argument `name` must be a string without '/'. Received: name={self.name!r}")
        self._input_shape_arg = _input_shape_from_kwargs(kwargs)
        self._batch_size_arg = kwargs.get("batch_size")
        if kwargs.get("batch_input_shape") is not None:
            self._batch_size_arg = kwargs["batch_input_shape"][0]
        self._trainable = bool(trainable)
        self._dtype_policy = dtype_policies.get(dtype)
        self.autocast = autocast
        self._layers = []
        self._all_layers_cache = None  # (state structure version, _flatten_layers()): see _all_layers
        self._nested_fast_cache = None  # (state structure version, fast path changes, answer)
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._seed_generators = []
        self._losses = []
        self._loss_producer = False
        self.built = False
        self.input_spec = None
        self.supports_masking = getattr(self, "supports_masking", False)
        self._build_shapes = None
        self._fast_call = False
        self._fast_call_pending = False
        self._engine_compute_dtype = backend.core.engine_dtype(self._dtype_policy.compute_dtype)
        self.activity_regularizer = regularizers.get(activity_regularizer)

    # -- attribute tracking ----------------------------------------------------------------------
    def __setattr__(self, name, value):
        if isinstance(value, backend.Variable):
            self._track_variable(value)
            object.__setattr__(self, name, value)
            return
        if isinstance(value, Layer) and value is not self:
            self._track_layer(value)
        elif isinstance(value, (list, tuple)) and value and not name.startswith("_"):
            for index, item in enumerate(value):
                if isinstance(item, Layer):
                    self._track_layer(item, key=f"{name}_{index}")
        elif isinstance(value, SeedGenerator):
            if all(value is not known for known in self._seed_generators):
                self._seed_generators.append(value)
                note_state_structure_change()
        super().__setattr__(name, value)

    def _track_layer(self, layer, key=None):
        if not any(existing is layer for existing in self._layers):
            self._layers.append(layer)
            note_state_structure_change()
        if key is not None:
            self._register_sublayer(key, layer)

    def _track_variable(self, variable):
        if any(v is variable for v in self._trainable_variables + self._non_trainable_variables):
            return
        (self._trainable_variables if variable.trainable else self._non_trainable_variables).append(variable)
        self._register_variable(variable)
        note_state_structure_change()

    # -- weights ---------------------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none", name=None):
        """Create a Variable owned by this layer (Keras' defaults: glorot_uniform for floats, zeros else)."""
        shape = () if shape is None else tuple(shape)
        if any(isinstance(dim, int) and dim < 0 for dim in shape) or (
                all(isinstance(dim, int) for dim in shape) and math.prod(shape) > MAX_WEIGHT_ELEMENTS):
            raise ValueError(f"Layer '{self.name}' cannot create weight '{name}' of shape {shape}: each dimension "
                             f"must be >= 0 and a weight may hold at most {MAX_WEIGHT_ELEMENTS} elements.")
        dtype = dtype or self._dtype_policy.variable_dtype
        if initializer is None:
            initializer = "glorot_uniform" if backend.is_float_dtype(dtype) else "zeros"
        initializer = initializers.get(initializer)
        with name_scope(self.name):
            variable = backend.Variable(initializer, shape=shape, dtype=dtype, trainable=trainable,
                                        autocast=autocast, aggregation=aggregation, name=name)
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        self._track_variable(variable)
        return variable

    add_variable = add_weight

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        note_state_structure_change()
        for variable in self._trainable_variables:
            variable.trainable = value
        for layer in self._layers:
            layer.trainable = value

    @property
    def variables(self) -> list:
        """All variables, including random-seed state."""
        seeds = [g.state for layer in self._all_layers() for g in layer._seed_generators]
        return self.weights + [s for s in seeds if all(s is not w for w in self.weights)]

    @property
    def weights(self) -> list:
        """Own trainable then non-trainable variables, then each sublayer's, in Keras' order."""
        collected, seen = [], set()
        for layer in self._all_layers():
            for variable in layer._trainable_variables + layer._non_trainable_variables:
                if id(variable) not in seen:
                    seen.add(id(variable))
                    collected.append(variable)
        return collected

    @property
    def trainable_weights(self) -> list:
        return [v for v in self.weights if v.trainable] if self.trainable else []

    @property
    def non_trainable_weights(self) -> list:
        return [v for v in self.weights if not v.trainable] if self.trainable else self.weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self) -> list:
        return [backend.convert_to_numpy(v) for v in self.weights]

    def set_weights(self, weights) -> None:
        variables = self.weights
        if len(weights) != len(variables):
            raise ValueError(
                f"Layer {self.name} expects {len(variables)} weights, but received {len(weights)} weights. "
                f"Expected shapes: {[v.shape for v in variables]}"
            )
        for variable, value in zip(variables, weights):
            shape = tuple(getattr(value, "shape", ()))
            if shape != variable.shape:
                raise ValueError(
                    f"Layer {self.name} weight shape {variable.shape} is not compatible with provided "
                    f"weight shape {shape}."
                )
        for variable, value in zip(variables, weights):
            variable.assign(value)

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer isn't built. "
                "You can build it manually via: `layer.build(input_shape)`."
            )
        return int(sum(math.prod(v.shape) for v in self.weights))

    def _all_layers(self) -> list:
        """``_flatten_layers()``, kept until a layer is tracked or let go anywhere (the state structure
        version changes): each call of a model reads it, so it is not walked again per call. Do not
        modify the list."""
        version = state_structure_version()
        cached = self._all_layers_cache
        if cached is None or cached[0] != version:
            cached = (version, self._flatten_layers())
            self.__dict__["_all_layers_cache"] = cached
        return cached[1]

    def _flatten_layers(self, include_self=True):
        """This layer and all layers nested in it, depth first, each once."""
        found, seen, stack = [], set(), [self] if include_self else list(reversed(self._layers))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            found.append(layer)
            stack.extend(reversed(layer._layers))
        return found

    # -- dtypes ----------------------------------------------------------------------------------
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @property
    def dtype(self) -> str:
        """The variable dtype (``compute_dtype`` is what ``call`` computes in)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    # -- building --------------------------------------------------------------------------------
    def build(self, input_shape=None):
        """Create the layer's state for inputs of ``input_shape``. The default creates none."""

    def build_from_config(self, config):
        if config and not self.built:
            shape = config.get("input_shape")
            if shape is not None:
                self.build(as_shape_structure(shape))
            else:
                self.build(**{k: as_shape_structure(v) for k, v in config.get("shapes_dict", {}).items()})

    def get_build_config(self):
        if self._build_shapes is None:
            return None
        return {"input_shape": self._build_shapes}

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        if not args:
            self.build()
            return
        self.build(shapes_of(args[0]))

    def _after_build(self, input_shape):
        self.built = True
        if self._build_shapes is None and input_shape is not None:
            self._build_shapes = input_shape
        self._update_fast_call()

    def _build_at_init(self):
        """Mark a layer built at the end of its ``__init__``, as Keras does for layers without state
        (pooling, dropout, activations): only when ``build`` is not overridden, so a subclass that creates
        weights in ``build`` still gets it called. As for a layer built on first use, that first eager call
        takes the full path (input spec checked) and only then opens the fast path."""
        if type(self).build is Layer.build:
            self.built = True
            self._fast_call_pending = True

    def _update_fast_call(self):
        """Decide once whether eager calls may skip the full path (see the module docstring)."""
        overrides_mask = type(self).compute_mask is not Layer.compute_mask
        self._set_fast_call(
            self.built
            and self.activity_regularizer is None
            and not overrides_mask
            and not self._loss_producer
            and self._dtype_policy.compute_dtype == self._dtype_policy.variable_dtype
        )

    def _set_fast_call(self, fast) -> None:
        fast = bool(fast)
        if fast != self._fast_call:
            _fast_path_changes[0] += 1
        self._fast_call = fast

    def _nested_calls_fast(self) -> bool:
        """Whether every layer inside this one takes the fast path now: then this layer's full path would
        add nothing (no masks made, no losses to clear, no autocasting) and it may skip it too. Asked on every
        call; answered again only when a layer is tracked or let go, or a layer's fast path opens or closes
        (a sublayer leaves it when it first adds a loss)."""
        version, changes = state_structure_version(), _fast_path_changes[0]
        cached = self._nested_fast_cache
        if cached is None or cached[0] != version or cached[1] != changes:
            fast = all(layer._fast_call for layer in self._all_layers()[1:] if layer._called_eagerly)
            cached = self.__dict__["_nested_fast_cache"] = (version, changes, fast)
        return cached[2]

    # -- calling ---------------------------------------------------------------------------------
    def call(self, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement `call()`.")

    def __call__(self, *args, **kwargs):
        if self._fast_call and len(args) == 1 and (not kwargs or kwargs.keys() == _TRAINING_ONLY):
            x = args[0]
            if type(x) is _Tensor and x.dtype == self._engine_compute_dtype and get_mask(x) is None and (
                    not self._layers or self._nested_calls_fast()):
                # ``call(x)`` with ``training`` resolved as the full path resolves it; the layers inside a
                # layer of layers read it from the call context, which the full path would have entered.
                training = kwargs.get("training") if kwargs else None
                if training is None:
                    training = _call_state.training
                if training is None:
                    training = self._default_training
                try:
                    if self._layers:
                        with call_context.enter(training):
                            return self.call(x, training=training) if self._call_has_training else self.call(x)
                    return self.call(x, training=training) if self._call_has_training else self.call(x)
                except Exception:
                    assert_input_compatibility(self.input_spec, x, self.name)
                    raise
        return self._full_call(args, kwargs)

    def _full_call(self, args, kwargs):
        if any_symbolic(args) or (kwargs and any_symbolic(kwargs.values())):
            return self._symbolic_call(args, kwargs)
        args = self._convert_inputs(args)  # every array argument, as Keras (a cell's states too)
        if kwargs:
            kwargs = {key: self._convert_inputs(value) for key, value in kwargs.items()}
        inputs = args[0] if args else None
        previous_mask = tree.map_structure(get_mask, inputs) if inputs is not None else None
        has_mask = any(m is not None for m in tree.flatten(previous_mask))
        if self._call_has_mask and kwargs.get("mask") is None and has_mask:
            kwargs["mask"] = previous_mask
        training = kwargs.get("training")
        if training is None:
            training = _call_state.training
        if training is None:
            training = self._default_training
        if self._call_has_training:
            kwargs["training"] = training
        else:
            kwargs.pop("training", None)
        self._maybe_build(args, kwargs)
        assert_input_compatibility(self.input_spec, inputs, self.name)
        if self._fast_call_pending:
            self._fast_call_pending = False
            self._update_fast_call()
        if _call_state.depth == 0:
            for layer in self._all_layers():
                layer._losses.clear()
        with call_context.enter(training), self._autocast_scope():
            outputs = self.call(*args, **kwargs)
        if self.activity_regularizer is not None:
            for output in tree.flatten(outputs):
                self.add_loss(self.activity_regularizer(output) / output.shape[0])
        if self.supports_masking or type(self).compute_mask is not Layer.compute_mask:
            self._attach_output_mask(inputs, outputs, kwargs.get("mask", previous_mask))
        return outputs

    def _symbolic_call(self, args, kwargs):
        inputs = args[0] if args else None
        self._maybe_build(args, kwargs)
        assert_input_compatibility(self.input_spec, inputs, self.name)
        previous_mask = tree.map_structure(get_mask, inputs) if inputs is not None else None
        spec_kwargs = dict(kwargs)
        if self._call_has_mask and spec_kwargs.get("mask") is None and any(
            m is not None for m in tree.flatten(previous_mask)
        ):
            spec_kwargs["mask"] = previous_mask
        if not self._call_has_training:
            spec_kwargs.pop("training", None)
        spec_args = self._autocast_symbolic(args)  # every argument, as eager calls convert them all
        with no_graph_recording(), call_context.enter(kwargs.get("training")), self._autocast_scope():
            spec = self.compute_output_spec(*spec_args, **spec_kwargs)
        outputs = tree.map_structure(
            lambda s: SymbolicTensor(s.shape, s.dtype, sparse=getattr(s, "sparse", False)), spec
        )
        if recording():
            Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        if self.supports_masking or type(self).compute_mask is not Layer.compute_mask:
            with no_graph_recording():
                self._attach_output_mask(inputs, outputs, spec_kwargs.get("mask", previous_mask))
        return outputs

    def _autocast_scope(self):
        """Mixed precision: weights read in the compute dtype during ``call`` (Keras' AutocastScope); a
        full-precision layer called inside a mixed one reads its weights as stored."""
        policy = self._dtype_policy
        if self.autocast and policy.compute_dtype != policy.variable_dtype:
            return AutocastScope(policy.compute_dtype)
        if autocast_dtype() is not None:
            return AutocastScope(None)
        return contextlib.nullcontext()

    def _convert_inputs(self, inputs):
        """Turn arrays into tensors and cast float inputs to the compute dtype, keeping their masks. Arrays
        of strings stay on the host, for the string layers inside (no engine has string tensors)."""
        compute_dtype = self._dtype_policy.compute_dtype

        def convert(x):
            if is_text_array(x):
                return x
            if isinstance(x, _Tensor) or hasattr(x, "__array__") and not isinstance(x, backend.Variable):
                mask = get_mask(x)
                tensor = backend.convert_to_tensor(x)
                if self.autocast and backend.is_float_dtype(backend.core.get_dtype(tensor)):
                    if backend.core.get_dtype(tensor) != compute_dtype:
                        tensor = backend.core.cast(tensor, compute_dtype)
                if mask is not None and tensor is not x:
                    set_mask(tensor, mask)
                return tensor
            return x

        return tree.map_structure(convert, inputs)

    def _autocast_symbolic(self, inputs):
        """Symbolic stand-ins for ``inputs`` with float dtypes set to the compute dtype, as eager calls cast."""
        compute_dtype = self._dtype_policy.compute_dtype

        def cast(x):
            if not (self.autocast and isinstance(x, SymbolicTensor) and backend.is_float_dtype(x.dtype)
                    and x.dtype != compute_dtype):
                return x
            stand_in = SymbolicTensor(x.shape, compute_dtype, sparse=x.sparse)
            set_mask(stand_in, get_mask(x))
            return stand_in

        return tree.map_structure(cast, inputs)

    def _attach_output_mask(self, inputs, outputs, previous_mask):
        mask = self.compute_mask(inputs, previous_mask)
        if mask is None:
            return
        flat_outputs = tree.flatten(outputs)
        flat_masks = tree.flatten(mask) if tree.is_nested(mask) else [mask] * len(flat_outputs)
        for output, output_mask in zip(flat_outputs, flat_masks):
            set_mask(output, output_mask)

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs: by default the input mask passes through layers that support masking."""
        return previous_mask if self.supports_masking else None

    def compute_output_spec(self, *args, **kwargs):
        """Symbolic outputs: from ``compute_output_shape`` when a layer defines it, else by running
        ``call`` on the symbolic inputs (every op knows its output shape)."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = self.compute_output_shape(shapes_of(args[0]) if args else None)
            dtype = self._dtype_policy.compute_dtype
            if is_shape(shapes):
                return SymbolicTensor(shapes, dtype)
            return map_shapes(lambda s: SymbolicTensor(s, dtype), shapes)
        return self.call(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        """Output shape(s) for ``input_shape``; by default worked out by a symbolic run of ``call``."""
        inputs = map_shapes(lambda s: SymbolicTensor(s, self._dtype_policy.compute_dtype), input_shape)
        self._maybe_build((inputs,), {})
        with no_graph_recording():
            outputs = self.compute_output_spec(inputs)
        return tree.map_structure(lambda t: t.shape, outputs)

    # -- losses ----------------------------------------------------------------------------------
    def add_loss(self, loss):
        """Add a loss tensor (e.g. a regularization term) computed in ``call``."""
        self._losses.append(loss)
        if not self._loss_producer:
            self._loss_producer = True
            self._set_fast_call(False)

    @property
    def losses(self) -> list:
        """Losses added in the last call, plus the regularization terms of the variables, all layers deep."""
        collected = []
        for layer in self._all_layers():
            collected.extend(layer._losses)
            for variable in layer._trainable_variables + layer._non_trainable_variables:
                if variable.regularizer is not None:
                    collected.append(variable.regularizer(variable))
        return collected

    # -- graph access ----------------------------------------------------------------------------
    def _first_node(self, attribute):
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer {self.name} has never been called and thus has no defined {attribute}."
            )
        return self._inbound_nodes[0]

    @property
    def input(self):
        node = self._first_node("input")
        return node.call_args[0] if node.call_args else None

    @property
    def output(self):
        return self._first_node("output").output_structure

    # -- serialization ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": {"module": "lamina", "class_name": "DTypePolicy",
                      "config": self._dtype_policy.get_config(), "registered_name": None},
        }
        if type(self).get_config is Layer.get_config and self._auto_config:
            extra = {k: v for k, v in self._auto_config.items() if k not in config and k not in _BASE_KWARGS}
            config.update(extra)
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = dtype_policies.get(config["dtype"])
        try:
            return cls(**config)
        except TypeError as error:
            raise TypeError(
                f"Error when deserializing class '{cls.__name__}' using config={config}. Exception: {error}. "
                "A custom layer needs a `get_config()` returning its constructor arguments."
            ) from error

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    __str__ = __repr__

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other


def _wrap_build(build):
    """Make every ``build`` mark the layer built and remember its input shape, however it is called."""

    def wrapped(self, *args, **kwargs):
        result = build(self, *args, **kwargs)
        self._after_build(args[0] if args else (next(iter(kwargs.values())) if kwargs else None))
        return result

    wrapped.__wrapped__ = build
    wrapped.__doc__ = build.__doc__
    return wrapped


Layer.build = _wrap_build(Layer.build)


def _input_shape_from_kwargs(kwargs):
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"][1:])
    if kwargs.get("input_shape") is not None:
        return tuple(kwargs["input_shape"])
    if kwargs.get("input_dim") is not None:
        return (kwargs["input_dim"],)
    return None
