"""Keras 1/2's global settings in ``K``: float type, epsilon, image layout ('th'/'tf' in Keras 1) and engine."""

from __future__ import annotations

from lamina import backend as _backend
from lamina import config as _config
from lamina.legacy.backend import learning_phase as _learning_phase

_ORDERINGS = {"th": "channels_first", "tf": "channels_last"}

epsilon = _config.epsilon
set_epsilon = _config.set_epsilon
floatx = _config.floatx
set_floatx = _config.set_floatx
image_data_format = _config.image_data_format
set_image_data_format = _config.set_image_data_format
backend = _backend.backend


def image_dim_ordering() -> str:
    """Keras 1's name of the image layout: ``'th'`` (channels first) or ``'tf'`` (channels last)."""
    return "th" if _config.image_data_format() == "channels_first" else "tf"


def set_image_dim_ordering(dim_ordering: str) -> None:
    """Set the image layout by its Keras 1 name, ``'th'`` or ``'tf'``."""
    if dim_ordering not in _ORDERINGS:
        raise ValueError(f"Invalid value for argument `dim_ordering`. Expected 'th' or 'tf'. "
                         f"Received: dim_ordering={dim_ordering!r}")
    _config.set_image_data_format(_ORDERINGS[dim_ordering])


def clear_session() -> None:
    """Forget layer names handed out so far and any fixed learning phase."""
    _backend.clear_session()
    _learning_phase.reset_learning_phase()


__all__ = ["epsilon", "set_epsilon", "floatx", "set_floatx", "image_data_format", "set_image_data_format",
           "image_dim_ordering", "set_image_dim_ordering", "backend", "clear_session"]
