"""What the normalization layers share: axis checks and the learned scale (gamma) and offset (beta)."""

from __future__ import annotations

from lamina.layers.layer import Layer
from lamina.layers.weight_options import WeightOptions

_WEIGHTS = WeightOptions("beta", "gamma")


def check_axis(axis, layer_name: str, allow_list: bool = True):
    """``axis`` as an int or a tuple of ints, or a ValueError naming the layer."""
    is_int = isinstance(axis, int) and not isinstance(axis, bool)
    is_list = allow_list and isinstance(axis, (list, tuple)) and axis and all(
        isinstance(a, int) and not isinstance(a, bool) for a in axis)
    if not (is_int or is_list):
        expected = "an int or a list/tuple of ints" if allow_list else "an int"
        raise ValueError(f"Invalid value for argument `axis` of {layer_name}. Expected {expected}. "
                         f"Received: axis={axis!r}")
    return axis if is_int else tuple(axis)


def resolve_axes(axis, input_shape, layer, require_size: bool = True) -> list:
    """The non-negative axes ``axis`` names in inputs of ``input_shape``, checked to exist (and, with
    ``require_size``, to have a known size: the learned parameters take it)."""
    ndim = len(input_shape)
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"Layer '{layer.name}' ({type(layer).__name__}): axis {a} is out of bounds for inputs "
                             f"of rank {ndim}. Received input shape: {tuple(input_shape)}")
    axes = [a % ndim for a in axes]
    for a in axes:
        if require_size and input_shape[a] is None:
            raise ValueError(f"Layer '{layer.name}' ({type(layer).__name__}): axis {a} of the inputs must have a "
                             f"known size. Received input shape: {tuple(input_shape)}")
    return axes


class AffineNormalization(Layer):
    """Base of the layers that normalize and then apply a learned scale ``gamma`` and offset ``beta``.

    Args:
        center: whether to add the offset ``beta``.
        scale: whether to multiply by ``gamma``.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer, beta_constraint,
        gamma_constraint: how ``beta`` and ``gamma`` start, are penalized and are constrained.
    """

    def __init__(self, center=True, scale=True, beta_initializer="zeros", gamma_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.center = bool(center)
        self.scale = bool(scale)
        _WEIGHTS.store(self, locals())
        self.gamma = None
        self.beta = None
        self.supports_masking = True

    def _add_gamma(self, shape):
        self.gamma = _WEIGHTS.add(self, "gamma", shape)

    def _add_beta(self, shape):
        self.beta = _WEIGHTS.add(self, "beta", shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "center": self.center,
            "scale": self.scale,
            **_WEIGHTS.config(self),
        })
        return config
