"""``keras.layers.convolutional`` of Keras 1/2: ``Convolution1D/2D/3D``, ``AtrousConvolution1D/2D``,
``Deconvolution2D``, ``SeparableConvolution2D`` taking ``nb_filter``, ``filter_length``, ``nb_row``/``nb_col``,
``border_mode``, ``subsample``, ``dim_ordering``, ...; Keras 2's ``Conv1D/2D/3D``; up-sampling, padding and cropping;
and, as Keras 0.3 placed them here, the pooling layers."""

from __future__ import annotations

from lamina import layers as _modern
from lamina.legacy.layers.pooling import *  # noqa: F403 (Keras 0.3 kept the pooling layers here)
from lamina.legacy.layers.pooling import __all__ as _pooling
from lamina.legacy.layers.translated import legacy_layer

Convolution1D = legacy_layer("Convolution1D", _modern.Conv1D, __name__)
Convolution2D = legacy_layer("Convolution2D", _modern.Conv2D, __name__)
Convolution3D = legacy_layer("Convolution3D", _modern.Conv3D, __name__)
AtrousConvolution1D = legacy_layer("AtrousConvolution1D", _modern.Conv1D, __name__)
AtrousConvolution2D = legacy_layer("AtrousConvolution2D", _modern.Conv2D, __name__)
Deconvolution2D = legacy_layer("Deconvolution2D", _modern.Conv2DTranspose, __name__)
SeparableConvolution2D = legacy_layer("SeparableConvolution2D", _modern.SeparableConv2D, __name__)
Conv1D = legacy_layer("Conv1D", _modern.Conv1D, __name__)
Conv2D = legacy_layer("Conv2D", _modern.Conv2D, __name__)
Conv3D = legacy_layer("Conv3D", _modern.Conv3D, __name__)
Conv2DTranspose = legacy_layer("Conv2DTranspose", _modern.Conv2DTranspose, __name__)
SeparableConv2D = legacy_layer("SeparableConv2D", _modern.SeparableConv2D, __name__)
UpSampling1D = legacy_layer("UpSampling1D", _modern.UpSampling1D, __name__)
UpSampling2D = legacy_layer("UpSampling2D", _modern.UpSampling2D, __name__)
UpSampling3D = legacy_layer("UpSampling3D", _modern.UpSampling3D, __name__)
ZeroPadding1D = legacy_layer("ZeroPadding1D", _modern.ZeroPadding1D, __name__)
ZeroPadding2D = legacy_layer("ZeroPadding2D", _modern.ZeroPadding2D, __name__)
ZeroPadding3D = legacy_layer("ZeroPadding3D", _modern.ZeroPadding3D, __name__)
Cropping1D = legacy_layer("Cropping1D", _modern.Cropping1D, __name__)
Cropping2D = legacy_layer("Cropping2D", _modern.Cropping2D, __name__)
Cropping3D = legacy_layer("Cropping3D", _modern.Cropping3D, __name__)

__all__ = _pooling + ["Convolution1D", "Convolution2D", "Convolution3D", "AtrousConvolution1D", "AtrousConvolution2D",
                      "Deconvolution2D", "SeparableConvolution2D", "Conv1D", "Conv2D", "Conv3D",
                      "Conv2DTranspose", "SeparableConv2D", "UpSampling1D", "UpSampling2D",
                      "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
                      "Cropping1D", "Cropping2D", "Cropping3D"]
