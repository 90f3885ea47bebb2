"""The Keras 1/2 ``Layer`` base (``keras.layers.core.Layer``, ``keras.engine.topology.Layer``) for custom layers
written the old way, over the modern ``Layer``:

- ``build`` may assign ``self.trainable_weights = [W]`` (and ``self.non_trainable_weights``): the variables are
  tracked, so models train them;
- ``add_weight`` takes Keras 1's ``(shape, initializer, name, ...)`` or Keras 2's ``(name, shape, ...)`` order,
  and Keras 1 initializer names mean Keras 1's initializers;
- ``get_output_shape_for(input_shape)`` stands for ``compute_output_shape``; ``call(x, mask=None)`` gets the
  mask, ``compute_mask(input, input_mask)`` gives the output's;
- the constructor takes Keras 1's ``input_dim``, ``batch_input_shape`` and ``weights``.
"""

from __future__ import annotations

from lamina import layers
from lamina.legacy.deprecation import warn_old_spelling
from lamina.legacy.initializations import modern_initializer
from lamina.legacy.layers.graph_access import Keras1LayerAPI
from lamina.legacy.layers.initial_weights import InitialWeights
from lamina.serialization.keras1_arguments import INITIALIZERS, modern_arguments

_KERAS1_ADD_WEIGHT = ("shape", "initializer", "name", "trainable", "regularizer", "constraint")
_KERAS2_ADD_WEIGHT = ("name", "shape", "dtype", "initializer", "regularizer", "trainable", "constraint")


def _shape_from_get_output_shape_for(self, input_shape):
    return self.get_output_shape_for(input_shape)


class Layer(InitialWeights, Keras1LayerAPI, layers.Layer):
    """Base class of Keras 1/2 custom layers (see the module docstring)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_output_shape_for" in cls.__dict__ and "compute_output_shape" not in cls.__dict__:
            cls.compute_output_shape = _shape_from_get_output_shape_for

    def __init__(self, **kwargs):
        _, modern, renames = modern_arguments("Layer", kwargs)
        for old, new in renames:
            warn_old_spelling(f"Layer({old}=...)", f"Layer({new}=...)")
        weights = modern.pop("weights", None)
        super().__init__(**modern)
        self._keep_initial_weights(weights)

    def get_output_shape_for(self, input_shape):
        """Keras 1's name of ``compute_output_shape``."""
        return self.compute_output_shape(input_shape)

    def add_weight(self, *args, **kwargs):
        """A tracked variable; arguments in Keras 1's order ``(shape, initializer, name, trainable, regularizer,
        constraint)`` or, when the first is a name, Keras 2's ``(name, shape, dtype, initializer, ...)``."""
        order = _KERAS2_ADD_WEIGHT if args and isinstance(args[0], str) else _KERAS1_ADD_WEIGHT
        kwargs.update(zip(order, args))
        initializer = kwargs.get("initializer")
        if isinstance(initializer, str):
            kwargs["initializer"] = INITIALIZERS.get(initializer, initializer)
        elif initializer is not None:
            kwargs["initializer"] = modern_initializer(initializer)
        return super().add_weight(**kwargs)

    @property
    def trainable_weights(self) -> list:
        return layers.Layer.trainable_weights.fget(self)

    @trainable_weights.setter
    def trainable_weights(self, variables) -> None:
        self._keras1_set_weights_kind(variables, trainable=True)

    @property
    def non_trainable_weights(self) -> list:
        return layers.Layer.non_trainable_weights.fget(self)

    @non_trainable_weights.setter
    def non_trainable_weights(self, variables) -> None:
        self._keras1_set_weights_kind(variables, trainable=False)

    def _keras1_set_weights_kind(self, variables, trainable: bool) -> None:
        """Keras 1's ``self.trainable_weights = [W]``: track each variable as (non-)trainable."""
        for variable in variables:
            tracked = any(v is variable for v in self._trainable_variables + self._non_trainable_variables)
            for own in (self._trainable_variables, self._non_trainable_variables):
                own[:] = [v for v in own if v is not variable]
            variable.trainable = trainable
            (self._trainable_variables if trainable else self._non_trainable_variables).append(variable)
            if not tracked:
                self._register_variable(variable)


class MaskedLayer(Layer):
    """Keras 0.3's base of layers that pass masks on: a ``Layer`` with ``supports_masking = True``."""

    supports_masking = True

    def __init__(self, **kwargs):
        warn_old_spelling("MaskedLayer", "Layer with supports_masking = True")
        super().__init__(**kwargs)
