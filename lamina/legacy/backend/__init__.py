"""Keras 1/2's backend, ``from keras import backend as K``, over ``lamina.ops`` on either engine.

``K.function([inputs..., K.learning_phase()], [outputs...])`` runs part of a lamina graph on NumPy arrays;
``K.gradients`` differentiates it through the engine's autograd. A ``K`` call on Variables alone builds graph
nodes that read them when the graph runs (``variable_reads``), as Keras 1/2's symbolic calls did. The rest
maps Keras 1/2's names and argument conventions (``axis``/``keepdims``, Keras 1's crossentropy argument
order, its ``hard_sigmoid``) onto the modern ops.
"""

from lamina.legacy.backend.config import *  # noqa: F403
from lamina.legacy.backend.gradients import *  # noqa: F403
from lamina.legacy.backend.graph import *  # noqa: F403
from lamina.legacy.backend.learning_phase import *  # noqa: F403
from lamina.legacy.backend.math import *  # noqa: F403
from lamina.legacy.backend.nn import *  # noqa: F403
from lamina.legacy.backend.shapes import *  # noqa: F403
from lamina.legacy.backend.variables import *  # noqa: F403
