"""Layers, grouped as Keras groups them; every public layer class is importable from here.

Each group package lists its public names in ``__all__``; this module re-exports them all.
"""

from lamina import serialization as _serialization
from lamina.layers.activations import *  # noqa: F401,F403
from lamina.layers.attention import *  # noqa: F401,F403
from lamina.layers.convolutional import *  # noqa: F401,F403
from lamina.layers.core import *  # noqa: F401,F403
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.merging import *  # noqa: F401,F403
from lamina.layers.normalization import *  # noqa: F401,F403
from lamina.layers.pooling import *  # noqa: F401,F403
from lamina.layers.preprocessing import *  # noqa: F401,F403
from lamina.layers.recurrent import *  # noqa: F401,F403
from lamina.layers.regularization import *  # noqa: F401,F403
from lamina.layers.reshaping import *  # noqa: F401,F403


def serialize(layer) -> dict:
    """A layer's Keras-format config: ``{"module", "class_name", "config", "registered_name"}``."""
    return _serialization.serialize(layer)


def deserialize(config, custom_objects=None):
    """The layer a ``serialize`` config describes; custom classes come from ``custom_objects`` or the registry."""
    return _serialization.deserialize(config, custom_objects=custom_objects, module_objects=globals(), kind="layer")
