"""ActivityRegularization: adds an L1/L2 penalty on its input to the model's loss, passing it through."""

from __future__ import annotations

from lamina import regularizers
from lamina.layers.layer import Layer


class ActivityRegularization(Layer):
    """Returns its inputs and adds ``(l1 * sum(|x|) + l2 * sum(x ** 2)) / batch_size`` to ``losses``.

    Args:
        l1: the L1 factor (non-negative).
        l2: the L2 factor (non-negative).

    Input shape: any. Output shape: the same as the input.

    Example:
        >>> layer = ActivityRegularization(l1=0.01)
        >>> _ = layer(np.ones((2, 3)))
        >>> [round(float(loss), 4) for loss in layer.losses]   # 0.01 * 6 / 2
        [0.03]
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs):
        if "activity_regularizer" in kwargs:
            raise ValueError(
                "ActivityRegularization builds its own activity regularizer from `l1` and `l2`. "
                f"Received: activity_regularizer={kwargs['activity_regularizer']!r}"
            )
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config
