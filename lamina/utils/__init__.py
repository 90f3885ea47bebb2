"""Utilities (``keras.utils``): seeding, ``PyDataset``, ``Progbar``, array helpers, batch packing, and the
serialization registry's functions under their Keras names."""

from lamina.backend import clear_session, is_keras_tensor
from lamina.backend.common.dtypes import standardize_dtype
from lamina.config import disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled
from lamina.serialization import (
    CustomObjectScope,
    custom_object_scope,
    deserialize_keras_object,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
from lamina.utils.data_utils import pack_x_y_sample_weight, unpack_x_y_sample_weight
from lamina.utils.dataset_utils import (
    image_dataset_from_directory,
    split_dataset,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)
from lamina.utils.file_utils import get_file
from lamina.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from lamina.utils.numerical_utils import normalize, to_categorical
from lamina.utils.progbar import Progbar
from lamina.utils.py_dataset import PyDataset
from lamina.utils.rng_utils import set_random_seed
from lamina.utils.sequence_utils import pad_sequences

Sequence = PyDataset  # Keras' older name


__all__ = [
    "array_to_img", "clear_session", "custom_object_scope", "CustomObjectScope", "deserialize_keras_object",
    "disable_interactive_logging", "enable_interactive_logging", "get_custom_objects", "get_file",
    "get_registered_name", "get_registered_object", "image_dataset_from_directory", "img_to_array",
    "is_interactive_logging_enabled", "is_keras_tensor", "load_img", "normalize", "pack_x_y_sample_weight",
    "pad_sequences", "Progbar", "PyDataset", "register_keras_serializable", "save_img", "Sequence",
    "serialize_keras_object", "set_random_seed", "split_dataset", "standardize_dtype",
    "text_dataset_from_directory", "timeseries_dataset_from_array", "to_categorical", "unpack_x_y_sample_weight",
]
