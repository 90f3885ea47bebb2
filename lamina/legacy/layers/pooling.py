"""``keras.layers.pooling`` of Keras 1/2: pooling layers taking ``pool_length``, ``stride``, ``border_mode``,
``dim_ordering``."""

from __future__ import annotations

from lamina import layers as _modern
from lamina.legacy.layers.translated import legacy_layer

MaxPooling1D = legacy_layer("MaxPooling1D", _modern.MaxPooling1D, __name__)
MaxPooling2D = legacy_layer("MaxPooling2D", _modern.MaxPooling2D, __name__)
MaxPooling3D = legacy_layer("MaxPooling3D", _modern.MaxPooling3D, __name__)
AveragePooling1D = legacy_layer("AveragePooling1D", _modern.AveragePooling1D, __name__)
AveragePooling2D = legacy_layer("AveragePooling2D", _modern.AveragePooling2D, __name__)
AveragePooling3D = legacy_layer("AveragePooling3D", _modern.AveragePooling3D, __name__)
GlobalMaxPooling1D = legacy_layer("GlobalMaxPooling1D", _modern.GlobalMaxPooling1D, __name__)
GlobalMaxPooling2D = legacy_layer("GlobalMaxPooling2D", _modern.GlobalMaxPooling2D, __name__)
GlobalMaxPooling3D = legacy_layer("GlobalMaxPooling3D", _modern.GlobalMaxPooling3D, __name__)
GlobalAveragePooling1D = legacy_layer("GlobalAveragePooling1D", _modern.GlobalAveragePooling1D, __name__)
GlobalAveragePooling2D = legacy_layer("GlobalAveragePooling2D", _modern.GlobalAveragePooling2D, __name__)
GlobalAveragePooling3D = legacy_layer("GlobalAveragePooling3D", _modern.GlobalAveragePooling3D, __name__)

__all__ = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
           "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalAveragePooling3D"]
