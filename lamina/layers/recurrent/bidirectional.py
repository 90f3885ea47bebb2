"""Bidirectional: runs a recurrent layer forward and a twin backward over a sequence and merges the two."""

from __future__ import annotations

from lamina import ops, serialization
from lamina.layers.layer import Layer
from lamina.layers.shapes import shapes_of

MERGE_MODES = ("concat", "sum", "mul", "ave", None)
_SHARED_ATTRIBUTES = ("stateful", "return_sequences", "return_state")
_RECURRENT_ATTRIBUTES = ("go_backwards",) + _SHARED_ATTRIBUTES


def _copy_of(layer: Layer, name: str, **changes) -> Layer:
    """A fresh layer (new weights) from ``layer``'s config, renamed, with ``changes`` to its config."""
    config = serialization.serialize(layer)
    config["config"].update(name=name, **changes)
    return serialization.deserialize(config, kind="layer")


def _unwrap(outputs: tuple):
    """A lone merged output stands alone; several outputs stay a tuple, as Keras returns them."""
    return outputs[0] if len(outputs) == 1 else outputs


class Bidirectional(Layer):
    """Runs ``layer`` over the sequence and a backward twin over the reversed sequence, then merges them.

    The forward layer is a copy of ``layer`` (built from its config, so it has fresh weights, named
    ``forward_<name>``). The backward layer is ``backward_layer`` when given, else a copy of ``layer``
    with ``go_backwards`` flipped, named ``backward_<name>``. With ``return_sequences`` the backward
    outputs are flipped back in time before merging, so step ``t`` of both directions lines up. Weights
    are listed forward layer first, then backward layer.

    Args:
        layer: a recurrent layer (an ``RNN`` such as ``LSTM`` or ``GRU``, or any layer with
            ``go_backwards``, ``return_sequences`` and ``return_state`` attributes and a config).
        merge_mode: how the two outputs combine: ``"concat"`` (on the last axis), ``"sum"``, ``"mul"``,
            ``"ave"``, or None for the pair ``(forward, backward)``.
        weights: optional initial weights (forward then backward), set when the layer is built.
        backward_layer: the layer processing the sequence backwards; it must agree with ``layer`` on
            ``stateful``, ``return_sequences`` and ``return_state``, and differ on ``go_backwards``.

    Call arguments:
        sequences: a ``(batch, time, ...)`` tensor.
        initial_state: a list of state tensors: the first half goes to the forward layer, the second
            half to the backward layer.
        mask: a ``(batch, time)`` boolean mask, passed to both layers.
        training: passed to both layers.

    Output: the merged output (or ``(forward, backward)`` when ``merge_mode`` is None), followed, with
    ``return_state``, by the forward layer's final states and then the backward layer's.

    Example:
        >>> layer = Bidirectional(LSTM(4, return_sequences=True))
        >>> tuple(layer(np.ones((2, 5, 3))).shape)
        (2, 5, 8)
    """

    def __init__(self, layer: Layer, merge_mode: str | None = "concat", weights=None,
                 backward_layer: Layer | None = None, **kwargs):
        for argument, value in (("layer", layer), ("backward_layer", backward_layer)):
            if argument == "backward_layer" and value is None:
                continue
            if not isinstance(value, Layer) or not all(hasattr(value, a) for a in _RECURRENT_ATTRIBUTES):
                raise ValueError(
                    f"Invalid value for argument `{argument}` of Bidirectional. Expected a recurrent `Layer` "
                    f"(e.g. an LSTM) with attributes {_RECURRENT_ATTRIBUTES}. Received: {argument}={value!r}"
                )
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"Invalid value for argument `merge_mode` of Bidirectional. Expected one of {MERGE_MODES}. "
                f"Received: merge_mode={merge_mode!r}"
            )
        super().__init__(**kwargs)
        self.forward_layer = _copy_of(layer, "forward_" + layer.name.removeprefix("forward_"))
        if backward_layer is None:
            backward_layer = _copy_of(layer, "backward_" + layer.name.removeprefix("backward_"),
                                      go_backwards=not layer.go_backwards)
        self.backward_layer = backward_layer
        self._check_directions()
        for direction in (self.forward_layer, self.backward_layer):
            # Masked steps of returned sequences read zeros in both directions, so the merge is clean.
            if getattr(direction, "zero_output_for_mask", None) is not None:
                direction.zero_output_for_mask = direction.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = weights
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _check_directions(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                f"Bidirectional '{self.name}': the forward and backward layers must have different `go_backwards` "
                f"values. Received: forward go_backwards={forward.go_backwards}, backward "
                f"go_backwards={backward.go_backwards}"
            )
        for attribute in _SHARED_ATTRIBUTES:
            if getattr(forward, attribute) != getattr(backward, attribute):
                raise ValueError(
                    f"Bidirectional '{self.name}': the forward and backward layers must have the same "
                    f"`{attribute}`. Received: {getattr(forward, attribute)} (forward) and "
                    f"{getattr(backward, attribute)} (backward)"
                )

    def build(self, sequences_shape, initial_state_shape=None):
        for direction in (self.forward_layer, self.backward_layer):
            if not direction.built:
                direction.build(sequences_shape)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {}
        if self.forward_layer._call_has_training:
            kwargs["training"] = training
        if mask is not None and self.forward_layer._call_has_mask:
            kwargs["mask"] = mask
        forward_kwargs, backward_kwargs = dict(kwargs), dict(kwargs)
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_kwargs["initial_state"] = list(initial_state[:half])
            backward_kwargs["initial_state"] = list(initial_state[half:])
        forward = self.forward_layer(sequences, **forward_kwargs)
        backward = self.backward_layer(sequences, **backward_kwargs)
        states = ()
        if self.return_state:
            states = tuple(forward[1:]) + tuple(backward[1:])
            forward, backward = forward[0], backward[0]
        if self.return_sequences:
            backward = ops.flip(backward, axis=1)
        return _unwrap(self._merge(forward, backward) + states)

    def _merge(self, forward, backward) -> tuple:
        """The merged output as a 1-tuple, or ``(forward, backward)`` when ``merge_mode`` is None."""
        if self.merge_mode == "concat":
            return (ops.concatenate([forward, backward], axis=-1),)
        if self.merge_mode == "sum":
            return (ops.add(forward, backward),)
        if self.merge_mode == "mul":
            return (ops.multiply(forward, backward),)
        if self.merge_mode == "ave":
            return (ops.multiply(ops.add(forward, backward), 0.5),)
        return forward, backward

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shapes = self.forward_layer.compute_output_shape(sequences_shape)
        states = ()
        if self.return_state:
            shapes, states = shapes[0], tuple(tuple(s) for s in shapes[1:])
        shapes = tuple(shapes)
        if self.merge_mode == "concat":
            merged = (shapes[:-1] + (None if shapes[-1] is None else 2 * shapes[-1],),)
        elif self.merge_mode is None:
            merged = (shapes, shapes)
        else:
            merged = (shapes,)
        return _unwrap(merged + states + states)

    def compute_mask(self, inputs, previous_mask):
        mask = previous_mask[0] if isinstance(previous_mask, (list, tuple)) else previous_mask
        output_mask = mask if self.return_sequences else None
        masks = (output_mask,) * (1 if self.merge_mode else 2)
        if self.return_state:
            shapes = self.forward_layer.compute_output_shape(shapes_of(inputs))
            masks += (None,) * (2 * (len(shapes) - 1))
        return _unwrap(masks)

    @property
    def states(self):
        forward, backward = self.forward_layer.states, self.backward_layer.states
        return tuple(forward) + tuple(backward) if forward and backward else None

    def reset_state(self) -> None:
        """Zero both directions' states (stateful layers only)."""
        if not self.stateful:
            raise AttributeError(f"Bidirectional '{self.name}': `reset_state` needs a stateful layer.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    reset_states = reset_state

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "merge_mode": self.merge_mode,
            "layer": serialization.serialize(self.forward_layer),
            "backward_layer": serialization.serialize(self.backward_layer),
        }

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["layer"] = serialization.deserialize(config["layer"], kind="layer")
        if config.get("backward_layer") is not None:
            config["backward_layer"] = serialization.deserialize(config["backward_layer"], kind="layer")
        return super().from_config(config)
