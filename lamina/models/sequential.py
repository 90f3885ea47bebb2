"""Sequential: a plain stack of layers, each feeding the next."""

from __future__ import annotations

from lamina import serialization, tree
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.backend.common.variable import note_state_structure_change
from lamina.layers.core.input_layer import InputLayer, as_input_dtype
from lamina.layers.layer import Layer
from lamina.models.model import Model


class Sequential(Model):
    """A model made of a list of layers called one after the other.

    Its input shape comes from an ``Input``/``InputLayer`` first layer, from the ``input_shape`` of its
    first layer, or from the first call. Once known, a functional graph over the layers gives the
    model its ``inputs``/``outputs`` and per-layer shapes; eager calls run the layers directly.

    Example:
        >>> model = Sequential([Input(shape=(16,)), Dense(8, activation="relu"), Dense(1)])
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._stack = []
        self._input_layer = None
        object.__setattr__(self, "_graph", None)
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    def add(self, layer, rebuild=True):
        """Append a layer (or an ``Input`` tensor, which becomes the model's input)."""
        if isinstance(layer, SymbolicTensor) and isinstance(getattr(layer._keras_history, "operation", None),
                                                             InputLayer):
            layer = layer._keras_history.operation
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Only instances of `lamina.layers.Layer` can be added to a Sequential model. Received: {layer!r} "
                f"(of type {type(layer).__name__})"
            )
        if isinstance(layer, InputLayer):
            if self._stack or self._input_layer is not None:
                raise ValueError(f"Sequential model '{self.name}' already has layers; an InputLayer must come first.")
            self._input_layer = layer
        else:
            if any(existing.name == layer.name for existing in self._stack):
                raise ValueError(
                    f"All layers added to a Sequential model should have unique names. Name '{layer.name}' is "
                    f"already the name of a layer in this model. Update the `name` argument to pass a unique name."
                )
            self._stack.append(layer)
            self._track_layer(layer, key=layer.name)
        if rebuild:
            self._rebuild()

    def pop(self, rebuild=True):
        """Remove and return the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        self._layers = [existing for existing in self._layers if existing is not layer]
        self._unregister_sublayer(layer)
        note_state_structure_change()
        object.__setattr__(self, "_graph", None)
        if rebuild:
            self._rebuild()
        return layer

    @property
    def layers(self) -> list:
        return list(self._stack)

    def _rebuild(self):
        """Build the functional view once the input shape is known."""
        if self._input_layer is None and self._stack and self._stack[0]._input_shape_arg is not None:
            first = self._stack[0]
            self._input_layer = InputLayer(shape=first._input_shape_arg, batch_size=first._batch_size_arg)
        if self._input_layer is None or not self._stack:
            object.__setattr__(self, "_graph", None)
            return
        self._build_graph(self._input_layer.output)

    def _build_graph(self, inputs):
        from lamina.models.functional import Functional

        outputs = inputs
        for layer in self._stack:
            outputs = layer(outputs)
        graph = Functional.__new__(Functional, inputs, outputs)
        Functional.__init__(graph, inputs, outputs, name=f"{self.name}_graph")
        object.__setattr__(self, "_graph", graph)  # a view over our own layers, not a sublayer
        self.built = True
        self._build_shapes = tuple(inputs.shape)
        self._update_fast_call()

    def build(self, input_shape=None):
        if self._graph is not None or input_shape is None:
            return
        input_shape = tuple(input_shape)
        self._input_layer = InputLayer(batch_shape=input_shape)
        self._build_graph(self._input_layer.output)

    def _maybe_build(self, args, kwargs):
        if not self.built and args:
            first = tree.flatten(args[0])[0]
            self.build((None,) + tuple(first.shape[1:]))

    def call(self, inputs, training=None, mask=None):
        single_input = self._graph is not None and len(self._graph.inputs) == 1
        if single_input and isinstance(inputs, (list, tuple)) and len(inputs) == 1:
            inputs = inputs[0]  # ``[x]`` for the one input, as Keras (which flattens the inputs) takes it
        outputs = inputs
        if single_input and not tree.is_nested(inputs):
            outputs = as_input_dtype(inputs, self._graph.inputs[0].dtype)
        for layer in self._stack:
            outputs = layer(outputs)
        return outputs

    @property
    def inputs(self):
        return self._graph.inputs if self._graph is not None else None

    @property
    def outputs(self):
        return self._graph.outputs if self._graph is not None else None

    @property
    def input_names(self) -> list:
        return self._graph.input_names if self._graph is not None else []

    @property
    def output_names(self) -> list:
        """The last layer's name once built (compile's dicts may key the output by it, as in Keras)."""
        return self._graph.output_names if self._graph is not None else []

    @property
    def input(self):
        return self._require_graph("input").input

    @property
    def output(self):
        return self._require_graph("output").output

    @property
    def input_shape(self):
        return self._require_graph("input_shape").input_shape

    @property
    def output_shape(self):
        return self._require_graph("output_shape").output_shape

    def _require_graph(self, attribute):
        if self._graph is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no defined {attribute} yet: give it an Input or call it on data."
            )
        return self._graph

    def compute_output_spec(self, inputs, training=None, mask=None):
        return self.call(inputs, training=training)

    def get_config(self) -> dict:
        """Keras 3's format: name, trainable, dtype, the layers (InputLayer first when known) and the
        batch shape the model was built for."""
        layers = []
        if self._input_layer is not None:
            layers.append(serialization.serialize(self._input_layer))
        layers.extend(serialization.serialize(layer) for layer in self._stack)
        config = Layer.get_config(self)
        config["layers"] = layers
        if self._graph is not None:
            config["build_input_shape"] = list(self._input_layer.batch_shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.models.layer_entries import deserialize_layer

        if isinstance(config, list):  # Keras 2 wrote the bare list of layers
            config = {"layers": config}
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            model.add(deserialize_layer(layer_config, custom_objects), rebuild=False)
        model._rebuild()
        if not model.built and config.get("build_input_shape"):
            model.build(tuple(config["build_input_shape"]))
        return model
