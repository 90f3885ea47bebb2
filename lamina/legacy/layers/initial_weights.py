"""Keras 1/2's ``weights=[...]`` constructor argument: the values are set once the layer has built its weights."""

from __future__ import annotations


class InitialWeights:
    """Mixin: ``_keep_initial_weights(weights)`` in ``__init__``; ``set_weights`` runs right after ``build``."""

    def _keep_initial_weights(self, weights) -> None:
        object.__setattr__(self, "_keras1_initial_weights", list(weights) if weights is not None else None)

    def _after_build(self, input_shape):
        super()._after_build(input_shape)
        weights = self.__dict__.get("_keras1_initial_weights")
        if weights is not None:
            object.__setattr__(self, "_keras1_initial_weights", None)
            self.set_weights(weights)
