"""``keras.layers`` of Keras 0.3/1/2 in its module layout (``core``, ``convolutional``, ``recurrent``,
``embeddings``, ``normalization``, ``advanced_activations``, ``noise``, ``pooling``, ``wrappers``,
``containers``); every layer class is also importable from here, as ``from keras.layers import *`` gave.

Each old class is a thin subclass of the modern one translating its Keras 1/2 arguments (see
``translated``); layers Keras 3 lacks are built from modern layers and ops. All of them have Keras 0.3/1's
``get_output(train)``, ``get_input(train)``, ``previous`` and ``set_previous`` (``graph_access``).
"""

from lamina.layers import Input, InputLayer  # Keras 1 ``keras.layers.Input`` (``keras.engine.topology``)
from lamina.legacy.layers import (
    advanced_activations,
    containers,
    convolutional,
    core,
    embeddings,
    noise,
    normalization,
    pooling,
    recurrent,
    wrappers,
)
from lamina.legacy.layers.advanced_activations import *  # noqa: F403
from lamina.legacy.layers.convolutional import *  # noqa: F403
from lamina.legacy.layers.core import *  # noqa: F403
from lamina.legacy.layers.embeddings import *  # noqa: F403
from lamina.legacy.layers.merge import Merge, merge
from lamina.legacy.layers.noise import *  # noqa: F403
from lamina.legacy.layers.normalization import *  # noqa: F403
from lamina.legacy.layers.recurrent import *  # noqa: F403
from lamina.legacy.layers.wrappers import *  # noqa: F403

__all__ = ["Input", "InputLayer", "Merge", "advanced_activations",
           "containers", "convolutional", "core", "embeddings", "merge", "noise",
           "normalization", "pooling", "recurrent", "wrappers", *advanced_activations.__all__,
           *convolutional.__all__, *core.__all__, *embeddings.__all__, *noise.__all__, *normalization.__all__,
           *recurrent.__all__, *wrappers.__all__]
