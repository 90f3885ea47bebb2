"""Models: the functional graph, Sequential, and the Model base."""

from lamina.models.functional import Functional
from lamina.models.model import Model
from lamina.models.sequential import Sequential
from lamina.saving.keras_file import load_model, save_model  # noqa: E402,F401  (Keras 3: keras.models.load_model)
from lamina.saving.model_json import model_from_json  # noqa: E402,F401  (Keras 3: keras.models.model_from_json)
