"""Preprocessing layers, as Keras groups them: numeric statistics, image resizing and augmentation, text and
category lookups."""

from lamina.layers.preprocessing.center_crop import CenterCrop
from lamina.layers.preprocessing.discretization import Discretization
from lamina.layers.preprocessing.normalization import Normalization
from lamina.layers.preprocessing.random_brightness import RandomBrightness
from lamina.layers.preprocessing.random_contrast import RandomContrast
from lamina.layers.preprocessing.random_crop import RandomCrop
from lamina.layers.preprocessing.random_flip import RandomFlip
from lamina.layers.preprocessing.random_rotation import RandomRotation
from lamina.layers.preprocessing.random_translation import RandomTranslation
from lamina.layers.preprocessing.random_zoom import RandomZoom
from lamina.layers.preprocessing.rescaling import Rescaling
from lamina.layers.preprocessing.resizing import Resizing

__all__ = [
    "CenterCrop",
    "Discretization",
    "Normalization",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
]

# Text and category lookups (host-side string work; see host_layer.py).
from lamina.layers.preprocessing.category_encoding import CategoryEncoding  # noqa: E402
from lamina.layers.preprocessing.character_vectorization import CharacterVectorization  # noqa: E402
from lamina.layers.preprocessing.hashing import Hashing  # noqa: E402
from lamina.layers.preprocessing.integer_lookup import IntegerLookup  # noqa: E402
from lamina.layers.preprocessing.string_lookup import StringLookup  # noqa: E402
from lamina.layers.preprocessing.text_vectorization import TextVectorization  # noqa: E402

__all__ += [
    "CategoryEncoding", "CharacterVectorization", "Hashing", "IntegerLookup", "StringLookup", "TextVectorization",
]
