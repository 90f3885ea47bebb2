"""``keras.layers.core`` of Keras 0.3/1/2: the core layers under their old names and arguments, the old
``Layer`` base, and the Keras 1 layers Keras 3 lacks (``MaxoutDense``, ``Highway``, ``TimeDistributedMerge``,
``AutoEncoder``, ``Merge``, ``Siamese``)."""

from __future__ import annotations

from lamina import layers as _modern
from lamina.legacy.layers.autoencoder import AutoEncoder
from lamina.legacy.layers.highway import Highway
from lamina.legacy.layers.layer import Layer, MaskedLayer
from lamina.legacy.layers.maxout_dense import MaxoutDense
from lamina.legacy.layers.merge import Merge, merge
from lamina.legacy.layers.siamese import Siamese
from lamina.legacy.layers.time_distributed_merge import TimeDistributedMerge
from lamina.legacy.layers.translated import legacy_layer

Dense = legacy_layer("Dense", _modern.Dense, __name__)
TimeDistributedDense = legacy_layer("TimeDistributedDense", _modern.Dense, __name__)
Activation = legacy_layer("Activation", _modern.Activation, __name__)
Dropout = legacy_layer("Dropout", _modern.Dropout, __name__)
SpatialDropout1D = legacy_layer("SpatialDropout1D", _modern.SpatialDropout1D, __name__)
SpatialDropout2D = legacy_layer("SpatialDropout2D", _modern.SpatialDropout2D, __name__)
SpatialDropout3D = legacy_layer("SpatialDropout3D", _modern.SpatialDropout3D, __name__)
Reshape = legacy_layer("Reshape", _modern.Reshape, __name__)
Permute = legacy_layer("Permute", _modern.Permute, __name__)
Flatten = legacy_layer("Flatten", _modern.Flatten, __name__)
RepeatVector = legacy_layer("RepeatVector", _modern.RepeatVector, __name__)
Lambda = legacy_layer("Lambda", _modern.Lambda, __name__)
Masking = legacy_layer("Masking", _modern.Masking, __name__)
ActivityRegularization = legacy_layer("ActivityRegularization", _modern.ActivityRegularization, __name__)

__all__ = ["Activation", "ActivityRegularization", "AutoEncoder", "Dense", "Dropout", "Flatten", "Highway",
           "Lambda", "Layer", "MaskedLayer", "Masking", "MaxoutDense", "Merge", "Permute", "RepeatVector",
           "Reshape", "Siamese", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "TimeDistributedDense",
           "TimeDistributedMerge", "merge"]
