"""Neural-network ops (``lamina.ops.nn``): activations, convolution, pooling, encodings, cross-entropies.

Names, arguments and defaults follow ``keras.ops.nn``. Image ops take ``data_format`` (default
``lamina.config.image_data_format()``) and Keras kernel layouts: ``spatial..., in_channels, out_channels``
for ``conv``, ``spatial..., out_channels, in_channels`` for ``conv_transpose``.
"""

from __future__ import annotations

from lamina import backend, config
from lamina.backend.common.dtypes import result_type
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops import core as core_ops
from lamina.ops import numpy as np_ops
from lamina.ops.op import op
from lamina.ops.spec import (
    broadcast_shapes,
    canonical_axis,
    dtype_of,
    float_rule,
    promoted_dtype,
    reduce_shape,
    same_rule,
    shape_of,
)

_nn = backend.nn

__all__ = [
    "relu", "relu6", "sigmoid", "sparse_sigmoid", "softplus", "softsign", "silu", "swish", "log_sigmoid",
    "leaky_relu", "hard_sigmoid", "hard_silu", "hard_swish", "elu", "selu", "gelu", "celu", "glu",
    "hard_tanh", "hard_shrink", "soft_shrink", "tanh_shrink", "squareplus", "sparse_plus", "threshold",
    "mish", "softmax", "log_softmax", "sparsemax", "conv", "conv_transpose", "depthwise_conv",
    "separable_conv", "max_pool", "average_pool", "one_hot", "multi_hot", "moments", "batch_normalization",
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy", "ctc_loss",
]


def _float_dtype(x) -> str:
    """The dtype of a float-valued op on ``x``: floats keep theirs, bools and ints become floatx."""
    return result_type(dtype_of(x), float)


# -- elementwise activations ----------------------------------------------------------------------
@op(same_rule)
def relu(x):
    """Rectified linear unit: ``max(x, 0)``."""
    return _nn.relu(x)


@op(float_rule)
def relu6(x):
    """ReLU capped at 6: ``clip(x, 0, 6)``."""
    return _nn.relu6(x)


@op(float_rule)
def sigmoid(x):
    """Logistic sigmoid: ``1 / (1 + exp(-x))``."""
    return _nn.sigmoid(x)


@op(float_rule)
def sparse_sigmoid(x):
    """Piecewise-linear sigmoid: ``clip((x + 1) / 2, 0, 1)``."""
    return _nn.sparse_sigmoid(x)


@op(float_rule)
def softplus(x):
    """Softplus: ``log(1 + exp(x))``."""
    return _nn.softplus(x)


@op(float_rule)
def softsign(x):
    """Softsign: ``x / (1 + |x|)``."""
    return _nn.softsign(x)


@op(float_rule)
def silu(x):
    """Sigmoid linear unit (swish): ``x * sigmoid(x)``."""
    return _nn.silu(x)


swish = silu


@op(float_rule)
def log_sigmoid(x):
    """Logarithm of the sigmoid, computed stably: ``-softplus(-x)``."""
    return _nn.log_sigmoid(x)


@op(float_rule)
def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: ``x`` for ``x >= 0``, ``negative_slope * x`` otherwise."""
    return _nn.leaky_relu(x, negative_slope)


@op(float_rule)
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: ``clip(x / 6 + 0.5, 0, 1)``."""
    return _nn.hard_sigmoid(x)


@op(float_rule)
def hard_silu(x):
    """Hard swish: ``x * hard_sigmoid(x)``."""
    return _nn.hard_silu(x)


hard_swish = hard_silu


@op(float_rule)
def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise."""
    return _nn.elu(x, alpha)


@op(float_rule)
def selu(x):
    """Scaled ELU with the self-normalising constants (alpha ~1.6733, scale ~1.0507)."""
    return _nn.selu(x)


@op(float_rule)
def gelu(x, approximate=True):
    """Gaussian error linear unit ``x * Phi(x)``; ``approximate`` uses the tanh formula."""
    return _nn.gelu(x, approximate)


@op(float_rule)
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: ``max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))``."""
    return _nn.celu(x, alpha)


@op(float_rule)
def hard_tanh(x):
    """``clip(x, -1, 1)``."""
    return _nn.hard_tanh(x)


@op(float_rule)
def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, 0 elsewhere."""
    return _nn.hard_shrink(x, threshold)


@op(float_rule)
def soft_shrink(x, threshold=0.5):
    """``x`` moved ``threshold`` towards zero, 0 where ``|x| <= threshold``."""
    return _nn.soft_shrink(x, threshold)


@op(float_rule)
def tanh_shrink(x):
    """``x - tanh(x)``."""
    return _nn.tanh_shrink(x)


@op(float_rule)
def squareplus(x, b=4):
    """Smooth ReLU ``(x + sqrt(x**2 + b)) / 2``."""
    return _nn.squareplus(x, b)


@op(float_rule)
def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1)**2 / 4`` between, ``x`` for ``x >= 1``."""
    return _nn.sparse_plus(x)


@op(float_rule)
def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, ``default_value`` elsewhere."""
    return _nn.threshold(x, threshold, default_value)


@op(float_rule)
def mish(x):
    """Mish: ``x * tanh(softplus(x))``."""
    return _nn.mish(x)


# -- activations along an axis --------------------------------------------------------------------
def _axis_rule(x, axis=-1):
    """Shape rule of a normalisation along ``axis`` (an int or a tuple of ints): same shape, float dtype."""
    shape = shape_of(x)
    for a in axis if isinstance(axis, (tuple, list)) else (axis,):
        canonical_axis(a, len(shape), "softmax")
    return SymbolicTensor(shape, _float_dtype(x))


@op(_axis_rule)
def softmax(x, axis=-1):
    """Softmax along ``axis`` (an int, or a tuple of axes normalised together)."""
    return _nn.softmax(x, axis)


@op(_axis_rule)
def log_softmax(x, axis=-1):
    """Log of the softmax along ``axis``, computed stably."""
    return _nn.log_softmax(x, axis)


@op(_axis_rule)
def sparsemax(x, axis=-1):
    """Sparsemax along ``axis``: the Euclidean projection onto the probability simplex."""
    return _nn.sparsemax(x, axis)


def _glu_rule(x, axis=-1):
    shape = list(shape_of(x))
    a = canonical_axis(axis, len(shape), "glu")
    if shape[a] is not None:
        if shape[a] % 2:
            raise ValueError(f"`glu`: the size of axis {axis} must be even. Received shape {tuple(shape)}.")
        shape[a] //= 2
    return SymbolicTensor(shape, _float_dtype(x))


@op(_glu_rule)
def glu(x, axis=-1):
    """Gated linear unit: ``x`` split in halves ``a, b`` along ``axis`` gives ``a * sigmoid(b)``."""
    return _nn.glu(x, axis)


# -- shared geometry of convolution and pooling ---------------------------------------------------
def _spatial_tuple(value, n: int, name: str, op_name: str) -> tuple:
    """An int or a sequence of ``n`` positive ints as an ``n``-tuple."""
    values = (value,) * n if isinstance(value, int) else tuple(value)
    if len(values) != n or not all(isinstance(v, int) and v > 0 for v in values):
        raise ValueError(
            f"`{op_name}`: `{name}` must be a positive int or a tuple of {n} positive ints. "
            f"Received: {name}={value}"
        )
    return values


def _padding_mode(padding, op_name: str) -> str:
    mode = str(padding).lower()
    if mode not in ("valid", "same"):
        raise ValueError(f'`{op_name}`: `padding` must be "valid" or "same". Received: padding={padding}')
    return mode


def _image_layout(x, data_format: str, op_name: str):
    """(batch, spatial dims, channels) of an image tensor of rank 3, 4 or 5."""
    shape = shape_of(x)
    if len(shape) not in (3, 4, 5):
        raise ValueError(
            f"`{op_name}` takes inputs of rank 3, 4 or 5 (1D, 2D or 3D data with batch and channel axes). "
            f"Received shape {shape}."
        )
    if data_format == "channels_last":
        return shape[0], shape[1:-1], shape[-1]
    return shape[0], shape[2:], shape[1]


def _image_shape(batch, spatial, channels, data_format: str) -> tuple:
    if data_format == "channels_last":
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


def _kernel_shape(kernel, n: int, name: str, op_name: str) -> tuple:
    shape = shape_of(kernel)
    if len(shape) != n + 2:
        raise ValueError(
            f"`{op_name}`: `{name}` must have rank {n + 2} (the input's rank) for {n}D data. "
            f"Received shape {shape}."
        )
    return shape


def _windowed(spatial, windows, strides, padding, dilation_rate, op_name: str) -> tuple:
    """Output spatial dims of a window sliding over ``spatial`` (None stays None)."""
    n = len(spatial)
    strides = _spatial_tuple(strides, n, "strides", op_name)
    dilation = _spatial_tuple(dilation_rate, n, "dilation_rate", op_name)
    padding = _padding_mode(padding, op_name)
    out = []
    for size, window, stride, rate in zip(spatial, windows, strides, dilation):
        if size is None or window is None:
            out.append(None)
            continue
        span = (window - 1) * rate + 1
        length = -(-size // stride) if padding == "same" else (size - span) // stride + 1
        if length <= 0:
            raise ValueError(
                f"`{op_name}`: a window of {span} does not fit in a spatial dimension of {size} with "
                f'padding="valid". Received spatial shape {tuple(spatial)}.'
            )
        out.append(length)
    return tuple(out)


def _check_channels(channels, expected, op_name: str, detail: str):
    if channels is not None and expected is not None and channels % expected:
        raise ValueError(f"`{op_name}`: {detail}. Received {channels} input channels and {expected}.")


# -- convolution ----------------------------------------------------------------------------------
def _conv_rule(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    data_format = config.standardize_data_format(data_format)
    batch, spatial, channels = _image_layout(inputs, data_format, "conv")
    kshape = _kernel_shape(kernel, len(spatial), "kernel", "conv")
    _check_channels(channels, kshape[-2], "conv",
                    "the input channels must be a multiple of the kernel's input channels (kernel.shape[-2])")
    out = _windowed(spatial, kshape[:-2], strides, padding, dilation_rate, "conv")
    return SymbolicTensor(_image_shape(batch, out, kshape[-1], data_format), promoted_dtype(inputs, kernel))


@op(_conv_rule)
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """1D/2D/3D convolution (grouped when the kernel has fewer input channels than ``inputs``).

    ``kernel`` has shape ``spatial... + (in_channels / groups, out_channels)``. "same" padding follows
    Keras: the output has ``ceil(size / stride)`` cells and an odd total pad puts the extra cell last.
    """
    return _nn.conv(inputs, kernel, strides, _padding_mode(padding, "conv"), data_format, dilation_rate)


# The convolution layers' ops (lamina's, not Keras API): the convolution and its bias in one engine call, so
# torch adds the bias inside the oneDNN kernel and takes its gradient from the same backward call instead of
# a separate add and sum (XLA fuses the add on JAX). ``bias`` is ``(out_channels,)`` or None.
def _check_bias(bias, out, data_format, op_name: str) -> SymbolicTensor:
    """``out`` (a biased op's output), once ``bias`` is checked to hold one value per output channel."""
    if bias is None:
        return out
    channels = out.shape[-1 if config.standardize_data_format(data_format) == "channels_last" else 1]
    shape = tuple(shape_of(bias))
    known = channels is not None and shape[:1] != (None,)
    if len(shape) != 1 or (known and shape[0] != channels):
        raise ValueError(f"`{op_name}`: bias must have shape ({channels},). Received {shape}.")
    return out


def _biased_conv_rule(inputs, kernel, bias, strides=1, padding="valid", data_format=None, dilation_rate=1,
                      relu=False):
    out = _conv_rule(inputs, kernel, strides, padding, data_format, dilation_rate)
    return _check_bias(bias, out, data_format, "biased_conv")


@op(_biased_conv_rule)
def biased_conv(inputs, kernel, bias, strides=1, padding="valid", data_format=None, dilation_rate=1, relu=False):
    """``conv(inputs, kernel, ...) + bias``, ``bias`` broadcast along the channel axis; with ``relu``, the
    ReLU of that, in the same engine call where the engine fuses it (oneDNN's post-op on torch's CPU)."""
    padding = _padding_mode(padding, "conv")
    return _nn.conv(inputs, kernel, strides, padding, data_format, dilation_rate, bias=bias, relu=relu)


def _biased_matmul_rule(inputs, kernel, bias):
    out = np_ops._matmul_rule(inputs, kernel)
    return _check_bias(bias, out, "channels_last", "biased_matmul")


@op(_biased_matmul_rule)
def biased_matmul(inputs, kernel, bias):
    """``matmul(inputs, kernel) + bias`` (``bias``: one value per output feature, or None): Dense's
    product, one engine call (torch's ``addmm``)."""
    return _nn.biased_matmul(inputs, kernel, bias)


def _depthwise_rule(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    data_format = config.standardize_data_format(data_format)
    batch, spatial, channels = _image_layout(inputs, data_format, "depthwise_conv")
    kshape = _kernel_shape(kernel, len(spatial), "kernel", "depthwise_conv")
    if channels is not None and kshape[-2] is not None and channels != kshape[-2]:
        raise ValueError(
            f"`depthwise_conv`: kernel.shape[-2] must equal the input channels. Received {kshape[-2]} "
            f"and {channels} input channels."
        )
    out = _windowed(spatial, kshape[:-2], strides, padding, dilation_rate, "depthwise_conv")
    out_channels = None if channels is None or kshape[-1] is None else channels * kshape[-1]
    return SymbolicTensor(_image_shape(batch, out, out_channels, data_format), promoted_dtype(inputs, kernel))


@op(_depthwise_rule)
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Convolve each input channel with its own filters; ``kernel`` is ``spatial... + (in, multiplier)``."""
    padding = _padding_mode(padding, "depthwise_conv")
    return _nn.conv(inputs, _grouped_kernel(kernel), strides, padding, data_format, dilation_rate)


def _grouped_kernel(kernel):
    """A depthwise kernel ``spatial... + (in, multiplier)`` as a grouped-conv kernel (one group per channel)."""
    *spatial, channels, multiplier = kernel.shape
    return backend.numpy.reshape(kernel, (*spatial, 1, channels * multiplier))


def _separable_rule(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                    dilation_rate=1):
    depthwise = _depthwise_rule(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return _conv_rule(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


@op(_separable_rule)
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """A depthwise convolution followed by a pointwise (1x1) convolution mixing channels."""
    padding = _padding_mode(padding, "separable_conv")
    depthwise = _nn.conv(inputs, _grouped_kernel(depthwise_kernel), strides, padding, data_format, dilation_rate)
    return _nn.conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


def _transposed_length(size, kernel, stride, rate, padding, output_padding):
    """Keras's output length of a transposed convolution along one spatial dim."""
    if size is None or kernel is None:
        return None
    span = (kernel - 1) * rate + 1
    if output_padding is None:
        return size * stride + (max(span - stride, 0) if padding == "valid" else 0)
    pad = span // 2 if padding == "same" else 0
    return (size - 1) * stride + span - 2 * pad + output_padding


def _conv_transpose_rule(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                         dilation_rate=1):
    data_format = config.standardize_data_format(data_format)
    batch, spatial, channels = _image_layout(inputs, data_format, "conv_transpose")
    n = len(spatial)
    kshape = _kernel_shape(kernel, n, "kernel", "conv_transpose")
    if channels is not None and kshape[-1] is not None and channels != kshape[-1]:
        raise ValueError(
            f"`conv_transpose`: kernel.shape[-1] must equal the input channels. Received {kshape[-1]} "
            f"and {channels} input channels."
        )
    padding = _padding_mode(padding, "conv_transpose")
    strides = _spatial_tuple(strides, n, "strides", "conv_transpose")
    dilation = _spatial_tuple(dilation_rate, n, "dilation_rate", "conv_transpose")
    extras = (None,) * n if output_padding is None else (
        (output_padding,) * n if isinstance(output_padding, int) else tuple(output_padding))
    out = tuple(_transposed_length(*dims, padding, extra)
                for dims, extra in zip(zip(spatial, kshape[:n], strides, dilation), extras))
    return SymbolicTensor(_image_shape(batch, out, kshape[-2], data_format), promoted_dtype(inputs, kernel))


@op(_conv_transpose_rule)
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1):
    """Transposed convolution (the gradient of ``conv``); ``kernel`` is ``spatial... + (out, in)``.

    Output lengths follow Keras: ``size * stride`` for "same", ``size * stride + max(window - stride, 0)``
    for "valid", or the explicit ``output_padding`` formula when it is given.
    """
    padding = _padding_mode(padding, "conv_transpose")
    return _nn.conv_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate)


def _biased_conv_transpose_rule(inputs, kernel, bias, strides=1, padding="valid", output_padding=None,
                                data_format=None, dilation_rate=1):
    out = _conv_transpose_rule(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate)
    return _check_bias(bias, out, data_format, "biased_conv_transpose")


@op(_biased_conv_transpose_rule)
def biased_conv_transpose(inputs, kernel, bias, strides=1, padding="valid", output_padding=None,
                          data_format=None, dilation_rate=1):
    """``conv_transpose(inputs, kernel, ...) + bias``, ``bias`` broadcast along the channel axis."""
    padding = _padding_mode(padding, "conv_transpose")
    return _nn.conv_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate,
                              bias=bias)


# -- pooling --------------------------------------------------------------------------------------
def _pool_shape(inputs, pool_size, strides, padding, data_format, op_name) -> tuple:
    data_format = config.standardize_data_format(data_format)
    batch, spatial, channels = _image_layout(inputs, data_format, op_name)
    windows = _spatial_tuple(pool_size, len(spatial), "pool_size", op_name)
    out = _windowed(spatial, windows, windows if strides is None else strides, padding, 1, op_name)
    return _image_shape(batch, out, channels, data_format)


def _max_pool_rule(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return SymbolicTensor(_pool_shape(inputs, pool_size, strides, padding, data_format, "max_pool"),
                          dtype_of(inputs))


@op(_max_pool_rule)
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over windows of ``pool_size`` (``strides`` defaults to ``pool_size``)."""
    return _nn.max_pool(inputs, pool_size, strides, _padding_mode(padding, "max_pool"), data_format)


def _average_pool_rule(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return SymbolicTensor(_pool_shape(inputs, pool_size, strides, padding, data_format, "average_pool"),
                          _float_dtype(inputs))


@op(_average_pool_rule)
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; with "same" padding each window averages only the cells inside the input."""
    return _nn.average_pool(inputs, pool_size, strides, _padding_mode(padding, "average_pool"), data_format)


# -- encodings ------------------------------------------------------------------------------------
def _one_hot_rule(x, num_classes, axis=-1, dtype=None, sparse=False):
    shape = list(shape_of(x))
    shape.insert(canonical_axis(axis, len(shape) + 1, "one_hot"), num_classes)
    return SymbolicTensor(shape, dtype or config.floatx(), sparse=sparse)


@op(_one_hot_rule)
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encode integer labels along a new ``axis``; labels outside ``[0, num_classes)`` give zeros."""
    return _nn.one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse)


def _num_classes(num_classes, kwargs) -> int:
    """``num_classes``, also accepted under its older name ``num_tokens``."""
    num_classes = kwargs.pop("num_tokens", num_classes)
    if kwargs:
        raise TypeError(f"`multi_hot` got unexpected keyword arguments: {sorted(kwargs)}")
    if num_classes is None:
        raise ValueError("`multi_hot`: argument `num_classes` must be specified. Received: num_classes=None")
    return num_classes


def _multi_hot_rule(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    encoded = _one_hot_rule(inputs, _num_classes(num_classes, kwargs), axis, dtype, sparse)
    shape = encoded.shape
    shape = shape[:1] + shape[2:] if len(shape) > 2 else shape[1:]
    return SymbolicTensor(shape, encoded.dtype, sparse=sparse)


@op(_multi_hot_rule)
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encode a batch of label lists: ``(batch, k) -> (batch, num_classes)``, ``(k,) -> (num_classes,)``."""
    return _nn.multi_hot(inputs, _num_classes(num_classes, kwargs), axis=axis, dtype=dtype, sparse=sparse)


# -- statistics and normalization -----------------------------------------------------------------
def _moments_rule(x, axes, keepdims=False, synchronized=False):
    shape = reduce_shape(shape_of(x), axes, keepdims, "moments")
    dtype = _float_dtype(x)
    return SymbolicTensor(shape, dtype), SymbolicTensor(shape, dtype)


@op(_moments_rule)
def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance of ``x`` over ``axes``; ``synchronized`` matters only for multi-device training."""
    return _nn.moments(x, axes, keepdims=keepdims, synchronized=synchronized)


def _batch_normalization_rule(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    shape = shape_of(x)
    size = shape[canonical_axis(axis, len(shape), "batch_normalization")]
    for name, vector in (("mean", mean), ("variance", variance), ("offset", offset), ("scale", scale)):
        if vector is None:
            continue
        vshape = shape_of(vector)
        if len(vshape) != 1 or (None not in (size, vshape[0]) and vshape[0] != size):
            raise ValueError(
                f"`batch_normalization`: `{name}` must be a vector of length x.shape[axis] = {size}. "
                f"Received {name}.shape={vshape}."
            )
    return SymbolicTensor(shape, _float_dtype(x))


@op(_batch_normalization_rule)
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the vectors laid along ``axis``."""
    return _nn.batch_normalization(x, mean, variance, axis, offset=offset, scale=scale, epsilon=epsilon)


# -- cross-entropies ------------------------------------------------------------------------------
def _same_shapes(target, output, op_name: str) -> tuple:
    t, o = shape_of(target), shape_of(output)
    if len(t) != len(o) or any(a is not None and b is not None and a != b for a, b in zip(t, o)):
        raise ValueError(
            f"`{op_name}`: `target` and `output` must have the same shape. "
            f"Received: target.shape={t}, output.shape={o}"
        )
    return o


def _binary_crossentropy_rule(target, output, from_logits=False):
    return SymbolicTensor(_same_shapes(target, output, "binary_crossentropy"), _float_dtype(output))


@op(_binary_crossentropy_rule)
def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy; probabilities are clipped to ``[epsilon, 1 - epsilon]``."""
    return _nn.binary_crossentropy(target, output, from_logits=from_logits)


def _without_axis(shape, axis, op_name: str) -> tuple:
    if not shape:
        raise ValueError(f"`{op_name}`: `output` must have rank >= 1. Received output.shape={shape}")
    a = canonical_axis(axis, len(shape), op_name)
    return shape[:a] + shape[a + 1:]


def _categorical_crossentropy_rule(target, output, from_logits=False, axis=-1):
    shape = _same_shapes(target, output, "categorical_crossentropy")
    return SymbolicTensor(_without_axis(shape, axis, "categorical_crossentropy"), _float_dtype(output))


@op(_categorical_crossentropy_rule)
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy of one-hot (or soft) targets along ``axis``.

    Probabilities are rescaled to sum to one, then clipped to ``[epsilon, 1 - epsilon]``.
    """
    return _nn.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def _sparse_categorical_crossentropy_rule(target, output, from_logits=False, axis=-1):
    name = "sparse_categorical_crossentropy"
    o = shape_of(output)
    expected = _without_axis(o, axis, name)
    t = shape_of(target)
    if len(t) == len(o) and t[-1] == 1:
        t = t[:-1]
    if len(t) != len(expected) or any(a is not None and b is not None and a != b for a, b in zip(t, expected)):
        raise ValueError(
            f"`{name}`: `target` must have the shape of `output` without its class axis, {expected}. "
            f"Received: target.shape={shape_of(target)}, output.shape={o}"
        )
    return SymbolicTensor(expected, _float_dtype(output))


@op(_sparse_categorical_crossentropy_rule)
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy of integer class labels against probabilities (or logits) along ``axis``."""
    return _nn.sparse_categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def _ctc_loss_rule(target, output, target_length, output_length, mask_index=0):
    o, t = shape_of(output), shape_of(target)
    if len(o) != 3 or len(t) != 2:
        raise ValueError(
            "`ctc_loss`: `output` must be (batch, time, classes) and `target` (batch, labels). "
            f"Received: target.shape={t}, output.shape={o}"
        )
    return SymbolicTensor(o[:1], _float_dtype(output))


@op(_ctc_loss_rule)
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification loss per sample; ``output`` holds logits, ``mask_index`` the blank."""
    return _nn.ctc_loss(target, output, target_length, output_length, mask_index=mask_index)


# -- attention and layer-wise normalization -------------------------------------------------------
__all__ += ["dot_product_attention", "layer_normalization", "rms_normalization"]


def _dot_product_attention_rule(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                                flash_attention=None, attn_logits_soft_cap=None):
    q, k, v = shape_of(query), shape_of(key), shape_of(value)

    def differ(a, b):
        return a is not None and b is not None and a != b

    problem = None
    if not len(q) == len(k) == len(v) == 4:
        problem = "query, key and value must have rank 4 (B, T, N, H), (B, S, K, H), (B, S, K, H_v)"
    elif differ(q[0], k[0]) or differ(k[0], v[0]) or differ(k[1], v[1]) or differ(k[2], v[2]):
        problem = "key and value must agree on B, S and K, and share B with query"
    elif differ(q[3], k[3]):
        problem = "query and key must have the same head size H"
    elif None not in (q[2], k[2]) and q[2] % k[2]:
        problem = "the query heads N must be a multiple of the key/value heads K"
    if problem:
        raise ValueError(f"`dot_product_attention`: {problem}. Received query.shape={q}, key.shape={k}, "
                         f"value.shape={v}.")
    return SymbolicTensor((q[0], q[1], q[2], v[3]), result_type(promoted_dtype(query, key, value), float))


@op(_dot_product_attention_rule)
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """``softmax(query . key / sqrt(H) + bias) . value`` per head, on (B, T, N, H) queries and (B, S, K, H)
    keys/values (K dividing N: grouped-query attention). ``mask`` (True = attend) and ``bias`` broadcast to
    (B, N, T, S); ``is_causal`` lets query t see keys up to t. A fully masked row attends uniformly.
    ``flash_attention``: None lets the engine pick its fastest kernel, False keeps it off flash kernels; its
    default is ``config.is_flash_attention_enabled()``."""
    if flash_attention is None:
        flash_attention = config.is_flash_attention_enabled()
    return _nn.dot_product_attention(query, key, value, bias=bias, mask=mask, scale=scale, is_causal=is_causal,
                                     flash_attention=flash_attention, attn_logits_soft_cap=attn_logits_soft_cap)


def _normalized_axes(x, axis, op_name: str) -> tuple:
    ndim = len(shape_of(x))
    axes = axis if isinstance(axis, (list, tuple)) else (axis,)
    return tuple(sorted({canonical_axis(a, ndim, op_name) for a in axes}))


def _layer_normalization_rule(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    _normalized_axes(x, axis, "layer_normalization")
    return SymbolicTensor(shape_of(x), _float_dtype(x))


@op(_layer_normalization_rule)
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Normalize ``x`` to zero mean and unit variance over ``axis``, then scale by ``gamma`` and shift by
    ``beta`` (shaped like the normalized axes). ``rms_scaling=True`` divides by ``sqrt(var + epsilon)`` and
    scales only, as Keras does. ``epsilon`` defaults to ``lamina.config.epsilon()``."""
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise ValueError(f"`layer_normalization`: unexpected arguments {sorted(kwargs)}.")
    axes = _normalized_axes(x, axis, "layer_normalization")
    epsilon = config.epsilon() if epsilon is None else epsilon
    return _nn.layer_normalization(x, gamma, beta, axes, epsilon, rms_scaling)


def _rms_normalization_rule(x, scale=None, axis=-1, epsilon=None):
    _normalized_axes(x, axis, "rms_normalization")
    return SymbolicTensor(shape_of(x), _float_dtype(x))


@op(_rms_normalization_rule)
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """``x * rsqrt(mean(square(x), axis) + epsilon) * scale`` (Zhang & Sennrich's RMSNorm); ``epsilon``
    defaults to ``lamina.config.epsilon()``."""
    axes = _normalized_axes(x, axis, "rms_normalization")
    epsilon = config.epsilon() if epsilon is None else epsilon
    return _nn.rms_normalization(x, scale, axes, epsilon)



# -- norms, image quality, complex numbers --------------------------------------------------------
__all__ += ["ctc_decode", "depth_to_space", "fold", "normalize", "polar", "psnr", "space_to_depth", "unfold"]


def _normalize_rule(x, axis=-1, order=2, epsilon=None):
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"`normalize`: argument `order` must be an int >= 1. Received: order={order!r}")
    if axis is not None and shape_of(x):
        _normalized_axes(x, axis, "normalize")
    return SymbolicTensor(shape_of(x), _float_dtype(x))


@op(_normalize_rule)
def normalize(x, axis=-1, order: int = 2, epsilon: float | None = None):
    """``x`` divided by its ``order``-norm over ``axis`` (all axes when None), the norm floored at
    ``epsilon`` (default ``lamina.config.epsilon()``) so zero vectors stay zero."""
    _normalize_rule(x, axis, order, epsilon)
    epsilon = config.epsilon() if epsilon is None else epsilon
    return _nn.normalize(x, axis=axis, order=order, epsilon=epsilon)


def _psnr_rule(x1, x2, max_val):
    s1, s2 = shape_of(x1), shape_of(x2)
    if len(s1) != len(s2) or any(a is not None and b is not None and a != b for a, b in zip(s1, s2)):
        raise ValueError(f"`psnr`: `x1` and `x2` must have the same shape. Received shapes {s1} and {s2}.")
    return SymbolicTensor((), result_type(promoted_dtype(x1, x2), float))


@op(_psnr_rule)
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio in dB: ``20 log10(max_val) - 10 log10(mean((x1 - x2) ** 2))``."""
    _psnr_rule(x1, x2, max_val)
    return _nn.psnr(x1, x2, max_val)


_COMPLEX_OF = {"float64": "complex128"}


def _polar_rule(abs_, angle):
    dtype = result_type(promoted_dtype(abs_, angle), float)
    return SymbolicTensor(broadcast_shapes(shape_of(abs_), shape_of(angle), op_name="polar"),
                          _COMPLEX_OF.get(dtype, "complex64"))


@op(_polar_rule)
def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + i sin(angle))`` (complex128 from float64, else complex64)."""
    return _nn.polar(abs_, angle)


# -- patches and pixel shuffles ---------------------------------------------------------------------
def _pair(value, name: str, op_name: str, minimum: int = 1) -> tuple:
    """An int or a pair of ints (each >= ``minimum``) as a pair."""
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) and v >= minimum for v in pair):
        raise ValueError(
            f"`{op_name}`: `{name}` must be an int or a pair of ints >= {minimum}. Received: {name}={value!r}"
        )
    return pair


def _window_count(size, kernel, dilation, padding, stride):
    return None if size is None else (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def _unfold_args(kernel_size, dilation, padding, stride, op_name):
    return (_pair(kernel_size, "kernel_size", op_name), _pair(dilation, "dilation", op_name),
            _pair(padding, "padding", op_name, minimum=0), _pair(stride, "stride", op_name))


def _unfold_rule(x, kernel_size, dilation=1, padding=0, stride=1):
    shape = shape_of(x)
    if len(shape) != 4:
        raise ValueError(f"`unfold` expects a 4D input (N, C, H, W). Received: x.shape={shape}")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = _unfold_args(kernel_size, dilation, padding, stride, "unfold")
    n, c, h, w = shape
    rows, cols = _window_count(h, kh, dh, ph, sh), _window_count(w, kw, dw, pw, sw)
    return SymbolicTensor((n, None if c is None else c * kh * kw,
                           None if None in (rows, cols) else rows * cols), dtype_of(x))


@op(_unfold_rule)
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding local blocks of a channels-first batch ``(N, C, H, W)`` as columns: ``(N, C * kH * kW, L)``
    with ``L`` the number of windows (torch's ``unfold``/im2col layout)."""
    _unfold_rule(x, kernel_size, dilation, padding, stride)
    return _nn.unfold(x, *_unfold_args(kernel_size, dilation, padding, stride, "unfold"))


def _fold_rule(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    shape = shape_of(x)
    if len(shape) != 3:
        raise ValueError(f"`fold` expects a 3D input (N, C * kH * kW, L). Received: x.shape={shape}")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = _unfold_args(kernel_size, dilation, padding, stride, "fold")
    oh, ow = _pair(output_size, "output_size", "fold")
    n, ckk, length = shape
    if ckk is not None and ckk % (kh * kw):
        raise ValueError(f"`fold`: x.shape[1] ({ckk}) must be divisible by kH * kW ({kh * kw}).")
    windows = _window_count(oh, kh, dh, ph, sh) * _window_count(ow, kw, dw, pw, sw)
    if length is not None and length != windows:
        raise ValueError(f"`fold`: x.shape[2] ({length}) must equal the number of windows ({windows}) of "
                         f"output_size={output_size!r}.")
    return SymbolicTensor((n, None if ckk is None else ckk // (kh * kw), oh, ow), dtype_of(x))


@op(_fold_rule)
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Inverse layout of ``unfold``: sum the columns ``(N, C * kH * kW, L)`` back into ``(N, C, *output_size)``
    (overlapping windows add up)."""
    _fold_rule(x, output_size, kernel_size, dilation, padding, stride)
    return _nn.fold(x, _pair(output_size, "output_size", "fold"),
                    *_unfold_args(kernel_size, dilation, padding, stride, "fold"))


def _block_layout(x, block_size, data_format, op_name):
    """(data_format, (batch, height, width, channels)) of a 4D input to a pixel shuffle."""
    if not isinstance(block_size, int) or block_size < 2:
        raise ValueError(f"`{op_name}`: `block_size` must be an int of at least 2. Received: block_size={block_size!r}")
    data_format = config.standardize_data_format(data_format)
    shape = shape_of(x)
    if len(shape) != 4:
        raise ValueError(f"`{op_name}` requires a 4D input. Received: x.shape={shape}")
    b, h, w, c = shape if data_format == "channels_last" else (shape[0], shape[2], shape[3], shape[1])
    return data_format, (b, h, w, c)


def _scaled(dim, factor):
    return None if dim is None else int(dim * factor)


def _depth_to_space_rule(x, block_size, data_format="channels_last"):
    data_format, (b, h, w, c) = _block_layout(x, block_size, data_format, "depth_to_space")
    if c is not None and c % block_size ** 2:
        raise ValueError(f"`depth_to_space`: the channels ({c}) must be divisible by block_size**2 "
                         f"({block_size ** 2}).")
    spatial = (_scaled(h, block_size), _scaled(w, block_size))
    return SymbolicTensor(_image_shape(b, spatial, None if c is None else c // block_size ** 2, data_format),
                          dtype_of(x))


@op(_depth_to_space_rule)
def depth_to_space(x, block_size: int, data_format: str = "channels_last"):
    """Move blocks of channels into ``block_size x block_size`` spatial blocks (pixel shuffle).

    Channels-last reads each pixel's channels as ``(block_row, block_col, channel)`` (TensorFlow's order);
    channels-first as ``(channel, block_row, block_col)`` (torch's ``pixel_shuffle``)."""
    data_format, (_, h, w, c) = _block_layout(x, block_size, data_format, "depth_to_space")
    k, depth = block_size, c // block_size ** 2
    if data_format == "channels_last":
        x = np_ops.reshape(x, (-1, h, w, k, k, depth))
        return np_ops.reshape(np_ops.transpose(x, (0, 1, 3, 2, 4, 5)), (-1, h * k, w * k, depth))
    x = np_ops.reshape(x, (-1, depth, k, k, h, w))
    return np_ops.reshape(np_ops.transpose(x, (0, 1, 4, 2, 5, 3)), (-1, depth, h * k, w * k))


def _space_to_depth_rule(x, block_size, data_format="channels_last"):
    data_format, (b, h, w, c) = _block_layout(x, block_size, data_format, "space_to_depth")
    for name, size in (("height", h), ("width", w)):
        if size is not None and size % block_size:
            raise ValueError(f"`space_to_depth`: the {name} ({size}) must be divisible by block_size ({block_size}).")
    spatial = (None if h is None else h // block_size, None if w is None else w // block_size)
    return SymbolicTensor(_image_shape(b, spatial, _scaled(c, block_size ** 2), data_format), dtype_of(x))


@op(_space_to_depth_rule)
def space_to_depth(x, block_size: int, data_format: str = "channels_last"):
    """Inverse of ``depth_to_space``: each ``block_size x block_size`` spatial block becomes channels."""
    data_format, (_, h, w, c) = _block_layout(x, block_size, data_format, "space_to_depth")
    k = block_size
    if data_format == "channels_last":
        x = np_ops.reshape(x, (-1, h // k, k, w // k, k, c))
        return np_ops.reshape(np_ops.transpose(x, (0, 1, 3, 2, 4, 5)), (-1, h // k, w // k, c * k * k))
    x = np_ops.reshape(x, (-1, c, h // k, k, w // k, k))
    return np_ops.reshape(np_ops.transpose(x, (0, 1, 3, 5, 2, 4)), (-1, c * k * k, h // k, w // k))


# -- CTC decoding -----------------------------------------------------------------------------------
_CTC_STRATEGIES = ("greedy", "beam_search")
_NEG_INF = float("-inf")


def _ctc_decode_rule(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
                     merge_repeated=True, mask_index=0):
    if strategy not in _CTC_STRATEGIES:
        raise ValueError(f"`ctc_decode`: invalid strategy. Expected one of {_CTC_STRATEGIES}. "
                         f"Received: strategy={strategy!r}")
    shape = shape_of(inputs)
    if len(shape) != 3:
        raise ValueError(f"`ctc_decode` expects inputs (batch, time, classes). Received: inputs.shape={shape}")
    if strategy == "beam_search" and not 1 <= top_paths <= beam_width:
        raise ValueError(f"`ctc_decode`: beam search needs 1 <= top_paths <= beam_width. "
                         f"Received: top_paths={top_paths}, beam_width={beam_width}")
    paths = 1 if strategy == "greedy" else top_paths
    return (SymbolicTensor((paths, shape[0], shape[1]), "int32"),
            SymbolicTensor((shape[0], paths), result_type(dtype_of(inputs), "float32")))


@op(_ctc_decode_rule)
def ctc_decode(inputs, sequence_lengths, strategy: str = "greedy", beam_width: int = 100, top_paths: int = 1,
               merge_repeated: bool = True, mask_index: int | None = 0):
    """Decode CTC outputs ``(batch, time, classes)``: ``(paths, scores)`` with ``paths`` of shape
    ``(top_paths, batch, time)``, labels packed left and padded with -1.

    "greedy" takes the best class per frame, drops frames past ``sequence_lengths``, merges repeats (when
    ``merge_repeated``) and removes the blank ``mask_index`` (None: the last class); its score is minus the
    sum of the best logits. "beam_search" keeps the ``beam_width`` most probable label prefixes (summing
    every alignment of a prefix, under the softmax of ``inputs``) and returns the ``top_paths`` best with
    their log-probabilities; as in Keras it always merges repeats that no blank separates, whatever
    ``merge_repeated`` says.
    """
    _ctc_decode_rule(inputs, sequence_lengths, strategy, beam_width, top_paths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _ctc_beam_search_decode(inputs, sequence_lengths, beam_width, top_paths, mask_index)
    return _ctc_greedy_decode(inputs, sequence_lengths, merge_repeated, mask_index)


def _ctc_blank(classes: int, mask_index) -> int:
    """The blank class: ``mask_index`` (negative counts from the end), None meaning the last class."""
    return classes - 1 if mask_index is None else mask_index % classes


def _ctc_greedy_decode(inputs, sequence_lengths, merge_repeated, mask_index):
    """Best path per frame, with the frames past each length, repeats and blanks turned into -1 and the
    remaining labels moved to the front (a stable sort on their frame index)."""
    inputs = backend.core.cast(inputs, _ctc_decode_rule(inputs, sequence_lengths)[1].dtype)
    time, classes = shape_of(inputs)[1:]
    blank = _ctc_blank(classes, mask_index)
    frames = np_ops.expand_dims(np_ops.arange(time, dtype="int32"), 0)
    beyond = frames >= np_ops.expand_dims(backend.core.convert_to_tensor(sequence_lengths, dtype="int32"), -1)
    labels = np_ops.where(beyond, blank, np_ops.argmax(inputs, axis=-1))
    scores = np_ops.where(beyond, 0.0, np_ops.max(inputs, axis=-1))
    if merge_repeated:
        repeated = np_ops.pad(labels[:, 1:] == labels[:, :-1], ((0, 0), (1, 0)), constant_values=False)
        labels = np_ops.where(repeated, blank, labels)
    dropped = labels == blank
    order = np_ops.argsort(np_ops.where(dropped, time, frames), axis=-1)
    labels = np_ops.take_along_axis(np_ops.where(dropped, -1, labels), order, axis=-1)
    paths = np_ops.expand_dims(backend.core.cast(labels, "int32"), 0)
    return paths, -np_ops.sum(scores, axis=1, keepdims=True)


def _ctc_beam_search_decode(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    """Prefix beam search, one ``scan`` step per frame (frames past a sequence's length leave its beams as
    they are); the ``top_paths`` best beams come out, labels packed left and padded with -1."""
    dtype = _ctc_decode_rule(inputs, sequence_lengths)[1].dtype
    batch, time, classes = shape_of(inputs)
    blank = _ctc_blank(classes, mask_index)
    frames = np_ops.transpose(log_softmax(backend.core.cast(inputs, dtype)), (1, 0, 2))
    lengths = backend.core.convert_to_tensor(sequence_lengths, dtype="int32")
    # One live beam, the empty prefix (probability 1); the other slots are empty (probability 0).
    start = backend.core.cast(np_ops.where(np_ops.arange(beam_width) == 0, 0.0, _NEG_INF), dtype)
    beams = (np_ops.full((batch, beam_width, time), -1, dtype="int32"), np_ops.zeros((batch, beam_width), "int32"),
             np_ops.broadcast_to(start, (batch, beam_width)), np_ops.full((batch, beam_width), _NEG_INF, dtype))

    def step(beams, frame_at):
        frame, t = frame_at
        active = t < lengths
        moved = _ctc_beam_step(*beams, frame, blank)
        return tuple(np_ops.where(np_ops.reshape(active, (-1,) + (1,) * (len(shape_of(old)) - 1)), new, old)
                     for new, old in zip(moved, beams, strict=True)), None

    (paths, _, p_blank, p_emit), _ = core_ops.scan(step, beams, (frames, np_ops.arange(time, dtype="int32")))
    totals = np_ops.logaddexp(p_blank, p_emit)
    best = _ctc_best(totals, top_paths)
    scores = np_ops.take_along_axis(totals, best, axis=1)
    paths = np_ops.take_along_axis(paths, np_ops.expand_dims(best, -1), axis=1)
    paths = np_ops.where(np_ops.expand_dims(np_ops.isfinite(scores), -1), paths, -1)
    return np_ops.transpose(paths, (1, 0, 2)), scores


def _ctc_best(scores, k: int):
    """Indices of the ``k`` highest ``scores`` per row, best first; ties go to the lower index on every
    engine (a stable sort, where ``top_k`` leaves tie order to the engine)."""
    return np_ops.argsort(-scores, axis=-1)[:, :k]


def _ctc_beam_step(paths, lengths, p_blank, p_emit, frame, blank: int):
    """One frame of prefix beam search. A beam is a label prefix (``paths`` and ``lengths``) with the
    log-probabilities of its alignments ending in a blank (``p_blank``) and in its last label (``p_emit``).
    Each beam stays (reading a blank, or its last label again) or grows by one label; a growth that spells
    another beam is folded into that beam; the ``width`` most probable candidates survive."""
    batch, width, time = shape_of(paths)
    classes = shape_of(frame)[-1]
    total = np_ops.logaddexp(p_blank, p_emit)
    last = np_ops.take_along_axis(paths, np_ops.expand_dims(np_ops.maximum(lengths - 1, 0), -1), axis=-1)[..., 0]
    class_ids = np_ops.arange(classes, dtype="int32")
    # Growing by c: from every alignment, except those ending in c (reading c again repeats it).
    grow = np_ops.where(np_ops.expand_dims(last, -1) == class_ids, np_ops.expand_dims(p_blank, -1),
                        np_ops.expand_dims(total, -1)) + np_ops.expand_dims(frame, 1)
    grow = np_ops.where(class_ids == blank, _NEG_INF, grow)
    # child[b, j, k]: live beam j is beam k grown by j's last label.
    positions = np_ops.arange(time, dtype="int32")
    parents = np_ops.where(positions == np_ops.expand_dims(lengths - 1, -1), -1, paths)
    child = np_ops.all(np_ops.expand_dims(parents, 2) == np_ops.expand_dims(paths, 1), axis=-1)
    child = (child & (np_ops.expand_dims(lengths, 2) == np_ops.expand_dims(lengths, 1) + 1)
             & np_ops.expand_dims(np_ops.isfinite(total), 2))
    grow_by_last = np_ops.take_along_axis(np_ops.transpose(grow, (0, 2, 1)),
                                          np_ops.expand_dims(np_ops.maximum(last, 0), -1), axis=1)
    folded = np_ops.max(np_ops.where(child, grow_by_last, _NEG_INF), axis=-1)
    # A growth that spells a live beam was folded into it: drop it as a candidate of its own.
    last_one_hot = backend.core.cast(np_ops.expand_dims(last, -1) == class_ids, "float32")
    spelled = np_ops.matmul(np_ops.transpose(backend.core.cast(child, "float32"), (0, 2, 1)), last_one_hot) > 0
    grow = np_ops.where(spelled, _NEG_INF, grow)
    stay_blank = total + frame[:, blank:blank + 1]
    stay_emit = np_ops.logaddexp(p_emit + np_ops.take_along_axis(frame, np_ops.maximum(last, 0), axis=-1), folded)
    ends_blank = np_ops.concatenate([stay_blank, np_ops.full((batch, width * classes), _NEG_INF, dtype_of(frame))],
                                    axis=1)
    ends_emit = np_ops.concatenate([stay_emit, np_ops.reshape(grow, (batch, width * classes))], axis=1)
    chosen = _ctc_best(np_ops.logaddexp(ends_blank, ends_emit), width)
    grown = chosen >= width
    parent = np_ops.where(grown, (chosen - width) // classes, chosen)
    label = np_ops.where(grown, (chosen - width) % classes, -1)
    parent_lengths = np_ops.take_along_axis(lengths, parent, axis=1)
    paths = np_ops.take_along_axis(paths, np_ops.expand_dims(parent, -1), axis=1)
    written = np_ops.expand_dims(grown, -1) & (positions == np_ops.expand_dims(parent_lengths, -1))
    paths = np_ops.where(written, np_ops.expand_dims(label, -1), paths)
    return (paths, parent_lengths + backend.core.cast(grown, "int32"),
            np_ops.take_along_axis(ends_blank, chosen, axis=1), np_ops.take_along_axis(ends_emit, chosen, axis=1))


# -- adaptive pooling -----------------------------------------------------------------------------
__all__ += ["adaptive_average_pool", "adaptive_max_pool"]


def _adaptive_geometry(inputs, output_size, data_format, op_name: str):
    """The output shape, the output size per spatial dim, and the data format of an adaptive pooling."""
    data_format = config.standardize_data_format(data_format)
    batch, spatial, channels = _image_layout(inputs, data_format, op_name)
    out = _spatial_tuple(output_size, len(spatial), "output_size", op_name)
    return _image_shape(batch, out, channels, data_format), out, data_format


def _adaptive_average_pool_rule(inputs, output_size, data_format=None):
    shape = _adaptive_geometry(inputs, output_size, data_format, "adaptive_average_pool")[0]
    return SymbolicTensor(shape, _float_dtype(inputs))


@op(_adaptive_average_pool_rule)
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed spatial ``output_size`` whatever the input's: output cell ``i`` of a dim
    of length ``L`` averages inputs ``floor(i * L / out)`` to ``ceil((i + 1) * L / out) - 1`` (PyTorch's bins)."""
    _, output_size, data_format = _adaptive_geometry(inputs, output_size, data_format, "adaptive_average_pool")
    return _nn.adaptive_average_pool(inputs, output_size, data_format)


def _adaptive_max_pool_rule(inputs, output_size, data_format=None):
    shape = _adaptive_geometry(inputs, output_size, data_format, "adaptive_max_pool")[0]
    return SymbolicTensor(shape, dtype_of(inputs))


@op(_adaptive_max_pool_rule)
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed spatial ``output_size``, over the bins of ``adaptive_average_pool``."""
    _, output_size, data_format = _adaptive_geometry(inputs, output_size, data_format, "adaptive_max_pool")
    return _nn.adaptive_max_pool(inputs, output_size, data_format)
