"""Models: the functional graph, Sequential, and the Model base.

``load_model``, ``save_model``, ``model_from_json`` and ``model_from_yaml`` (Keras' ``keras.models`` names) come from
``lamina.saving``, the floor above, which publishes them here when it is imported (``import lamina`` does).
"""

from lamina.models.functional import Functional
from lamina.models.model import Model
from lamina.models.sequential import Sequential
