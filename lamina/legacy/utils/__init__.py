"""Keras 1/2's ``keras.utils``: ``np_utils`` (``to_categorical``), ``generic_utils``, ``data_utils``."""

from lamina.legacy.utils import data_utils, generic_utils, np_utils
from lamina.legacy.utils.data_utils import get_file
from lamina.legacy.utils.generic_utils import CustomObjectScope, Progbar, custom_object_scope, get_custom_objects
from lamina.legacy.utils.np_utils import normalize, to_categorical

__all__ = ["np_utils", "generic_utils", "data_utils", "to_categorical", "normalize", "get_file", "Progbar",
           "CustomObjectScope", "custom_object_scope", "get_custom_objects"]
