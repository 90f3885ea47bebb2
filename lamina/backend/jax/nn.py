"""JAX implementations of ``lamina.ops.nn``: activations, convolution, pooling, encodings, losses' primitives.

Image ops take Keras layouts (channels last by default, kernels ``spatial..., in, out``) and hand XLA the
layout through explicit dimension numbers, so neither data format costs a transpose. Padding and cropping
come from ``lamina.backend.common.conv_utils``, shared with the torch engine.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from lamina import config
from lamina.backend.common.conv_utils import conv_transpose_crops, dilated_windows, expand, pool_windows, same_pads
from lamina.backend.jax.core import convert_to_tensor, engine_dtype
from lamina.backend.jax.numpy import _float, _operands, _tensor


def _widened(x):
    """``x`` in float32 when it is half precision, so reductions and log-space sums keep their accuracy."""
    return x.astype(jnp.float32) if x.dtype in (jnp.float16, jnp.bfloat16) else x


def _like(value, x):
    """``value`` (a scalar, array or tensor) as an array of ``x``'s dtype."""
    return convert_to_tensor(value).astype(x.dtype)


# -- activations ----------------------------------------------------------------------------------
def relu(x):
    return jax.nn.relu(_tensor(x))


def relu6(x):
    return jax.nn.relu6(_float(x))


def sigmoid(x):
    return jax.nn.sigmoid(_float(x))


def sparse_sigmoid(x):
    return jnp.clip(0.5 * (_float(x) + 1.0), 0.0, 1.0)


def softplus(x):
    return jax.nn.softplus(_float(x))


def softsign(x):
    return jax.nn.soft_sign(_float(x))


def silu(x):
    return jax.nn.silu(_float(x))


def log_sigmoid(x):
    return jax.nn.log_sigmoid(_float(x))


def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(_float(x), negative_slope)


def hard_sigmoid(x):
    return jax.nn.hard_sigmoid(_float(x))


def hard_silu(x):
    return jax.nn.hard_silu(_float(x))


def elu(x, alpha=1.0):
    return jax.nn.elu(_float(x), alpha)


def selu(x):
    return jax.nn.selu(_float(x))


def gelu(x, approximate=True):
    return jax.nn.gelu(_float(x), approximate=approximate)


def celu(x, alpha=1.0):
    return jax.nn.celu(_float(x), alpha)


def glu(x, axis=-1):
    return jax.nn.glu(_float(x), axis=axis)


def hard_tanh(x):
    return jax.nn.hard_tanh(_float(x))


def hard_shrink(x, threshold=0.5):
    x = _float(x)
    return jnp.where(jnp.abs(x) > threshold, x, 0.0)


def soft_shrink(x, threshold=0.5):
    x = _float(x)
    return jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0.0))


def tanh_shrink(x):
    x = _float(x)
    return x - jnp.tanh(x)


def squareplus(x, b=4):
    return jax.nn.squareplus(_float(x), b)


def sparse_plus(x):
    return jax.nn.sparse_plus(_float(x))


def threshold(x, threshold, default_value):
    x = _float(x)
    return jnp.where(x > threshold, x, default_value)


def mish(x):
    return jax.nn.mish(_float(x))


def _axes(axis):
    return axis if isinstance(axis, int) else tuple(axis)


def softmax(x, axis=-1):
    return jax.nn.softmax(_float(x), axis=_axes(axis))


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(_float(x), axis=_axes(axis))


def sparsemax(x, axis=-1):
    """Euclidean projection onto the simplex (Martins & Astudillo, 2016), along ``axis``."""
    x = _float(x)
    axis = axis % x.ndim
    ordered = jnp.flip(jnp.sort(x, axis=axis), axis=axis)
    cumulative = jnp.cumsum(ordered, axis=axis)
    ranks = jnp.arange(1, x.shape[axis] + 1, dtype=x.dtype)
    ranks = ranks.reshape([-1 if d == axis else 1 for d in range(x.ndim)])
    support = jnp.sum(1.0 + ranks * ordered > cumulative, axis=axis, keepdims=True, dtype=jnp.int32)
    tau = (jnp.take_along_axis(cumulative, support - 1, axis=axis) - 1.0) / support.astype(x.dtype)
    return jnp.maximum(x - tau, 0.0)


# -- layout ---------------------------------------------------------------------------------------
def _layout(x, data_format):
    """XLA's (batch, feature, spatial...) axis numbers of an image tensor in ``data_format``."""
    n = x.ndim - 2
    if config.standardize_data_format(data_format) == "channels_last":
        return (0, n + 1, *range(1, n + 1))
    return tuple(range(n + 2))


def _spatial_shape(x, layout) -> tuple:
    return tuple(x.shape[a] for a in layout[2:])


def _conv_general(x, kernel, layout, kernel_layout, strides, pads, lhs_dilation, dilation, groups=1):
    """``lax.conv_general_dilated`` on an image in ``layout`` and a kernel in ``kernel_layout`` (out, in, spatial)."""
    numbers = lax.ConvDimensionNumbers(layout, kernel_layout, layout)
    return lax.conv_general_dilated(x, kernel, strides, pads, lhs_dilation=lhs_dilation, rhs_dilation=dilation,
                                    dimension_numbers=numbers, feature_group_count=groups)


# -- convolution ----------------------------------------------------------------------------------
def biased_matmul(inputs, kernel, bias=None):
    """``inputs @ kernel + bias`` (XLA fuses the add)."""
    product = jnp.matmul(*_operands(inputs, kernel))
    return product if bias is None else product + _tensor(bias).astype(product.dtype)


def _biased(y, bias, layout):
    """``y`` plus a per-channel ``bias`` (None: none) along the feature axis of ``layout``; XLA fuses the add."""
    if bias is None:
        return y
    shape = [1] * y.ndim
    shape[layout[1]] = -1
    return y + jnp.reshape(_tensor(bias), shape).astype(y.dtype)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1, bias=None, relu=False):
    """Keras' ``conv``, plus an optional per-output-channel ``bias`` and, with ``relu``, a ReLU (XLA fuses
    both into the convolution's output)."""
    x, kernel = _operands(inputs, kernel)
    layout = _layout(x, data_format)
    n = x.ndim - 2
    strides, dilation = expand(strides, n), expand(dilation_rate, n)
    windows = dilated_windows(kernel.shape[:n], dilation)
    pads = [(0, 0)] * n if padding == "valid" else same_pads(_spatial_shape(x, layout), windows, strides)
    groups = x.shape[layout[1]] // kernel.shape[-2]
    y = _biased(_conv_general(x, kernel, layout, (n + 1, n, *range(n)), strides, pads, None, dilation, groups),
                bias, layout)
    return jax.nn.relu(y) if relu else y


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1, bias=None):
    """A stride-dilated input convolved with the flipped kernel (the padding is the window less the crop),
    plus an optional ``bias``."""
    x, kernel = _operands(inputs, kernel)
    layout = _layout(x, data_format)
    n = x.ndim - 2
    strides, dilation = expand(strides, n), expand(dilation_rate, n)
    windows = dilated_windows(kernel.shape[:n], dilation)
    crops = conv_transpose_crops(kernel.shape[:n], strides, dilation, padding, output_padding)
    pads = [(w - 1 - before, w - 1 - after) for w, (before, after) in zip(windows, crops)]
    flipped = jnp.flip(kernel, axis=tuple(range(n)))
    y = _conv_general(x, flipped, layout, (n, n + 1, *range(n)), (1,) * n, pads, strides, dilation)
    return _biased(y, bias, layout)


# -- pooling --------------------------------------------------------------------------------------
def _pool_geometry(x, pool_size, strides, padding, data_format):
    """Window, strides and padding over every axis of ``x`` (1 and no padding on batch and channels)."""
    layout = _layout(x, data_format)
    n = x.ndim - 2
    pool_size, strides = pool_windows(n, pool_size, strides)
    spatial_pads = [(0, 0)] * n if padding == "valid" else same_pads(_spatial_shape(x, layout), pool_size, strides)
    window, step, pads = [1] * x.ndim, [1] * x.ndim, [(0, 0)] * x.ndim
    for axis, size, stride, pad in zip(layout[2:], pool_size, strides, spatial_pads):
        window[axis], step[axis], pads[axis] = size, stride, pad
    return tuple(window), tuple(step), tuple(pads)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = _tensor(inputs)
    window, step, pads = _pool_geometry(x, pool_size, strides, padding, data_format)
    lowest = -jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min
    # A concrete (NumPy) identity lets JAX pick its differentiable max/add window reducers.
    return lax.reduce_window(x, x.dtype.type(lowest), lax.max, window, step, pads)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; with "same" padding the padded cells are left out of each window's count."""
    x = _float(inputs)
    window, step, pads = _pool_geometry(x, pool_size, strides, padding, data_format)
    zero = x.dtype.type(0)
    sums = lax.reduce_window(x, zero, lax.add, window, step, pads)
    if padding == "valid":
        return sums / math.prod(window)
    # Window counts depend only on the spatial dims: batch and channel axes (window 1, stride 1) stay 1.
    ones = jnp.ones([size if w > 1 or s > 1 else 1 for size, w, s in zip(x.shape, window, step)], dtype=x.dtype)
    return sums / lax.reduce_window(ones, zero, lax.add, window, step, pads)


# -- encodings and statistics ---------------------------------------------------------------------
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot rows; negative or out-of-range labels give all-zero rows."""
    if sparse:
        raise ValueError("`one_hot`: the jax engine has no sparse tensors. Received: sparse=True")
    x = _tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.integer):
        x = x.astype(jnp.int64)
    return jax.nn.one_hot(x, num_classes, dtype=engine_dtype(dtype or config.floatx()), axis=axis)


def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    """Multi-hot vectors: the one-hot rows of each sample's labels, combined with ``max``."""
    x = _tensor(inputs)
    encoded = one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return jnp.max(encoded, axis=1 if x.ndim > 1 else 0)


def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and (biased) variance over ``axes``; half-precision inputs are reduced in float32."""
    dtype = _float(x).dtype
    x = _widened(_float(x))
    dims = None if axes is None else expand(axes, 1)
    mean, variance = jnp.mean(x, axis=dims, keepdims=keepdims), jnp.var(x, axis=dims, keepdims=keepdims)
    return mean.astype(dtype), variance.astype(dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the vectors laid along ``axis``."""
    x = _float(x)
    shape = [1] * x.ndim
    shape[axis] = -1
    factor = lax.rsqrt(_like(variance, x) + epsilon)
    if scale is not None:
        factor = factor * _like(scale, x)
    shift = -_like(mean, x) * factor
    if offset is not None:
        shift = shift + _like(offset, x)
    return x * factor.reshape(shape) + shift.reshape(shape)


# -- cross-entropies ------------------------------------------------------------------------------
def _target_output(target, output):
    output = _float(output)
    return _tensor(target).astype(output.dtype), output


def _log_probabilities(output, from_logits, axis):
    """Log-probabilities along ``axis``: log-softmax of logits, or the log of rescaled, clipped probabilities."""
    if from_logits:
        return jax.nn.log_softmax(output, axis=axis)
    output = output / jnp.sum(output, axis=axis, keepdims=True)
    eps = config.epsilon()
    return jnp.log(jnp.clip(output, eps, 1.0 - eps))


def binary_crossentropy(target, output, from_logits=False):
    target, output = _target_output(target, output)
    if from_logits:
        return jnp.maximum(output, 0.0) - output * target + jnp.log1p(jnp.exp(-jnp.abs(output)))
    eps = config.epsilon()
    output = jnp.clip(output, eps, 1.0 - eps)
    return -(target * jnp.log(output) + (1.0 - target) * jnp.log1p(-output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _target_output(target, output)
    return -jnp.sum(target * _log_probabilities(output, from_logits, axis), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = _tensor(target)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, -1)
    axis = axis % output.ndim
    labels = jnp.expand_dims(target.astype(jnp.int32), axis)
    classes = jax.lax.broadcasted_iota(jnp.int32, output.shape, axis)
    # The label's log-probability picked by a select, not a gather: its gradient is a select too, where a
    # gather's is a scatter-add (a loop on the CPU, and longer to compile).
    picked = jnp.where(classes == labels, _log_probabilities(output, from_logits, axis), 0.0)
    return -jnp.sum(picked, axis=axis)


_LOG_ZERO = -1e5  # log of an unreachable CTC state: finite, so gradients stay finite (as in Keras on JAX)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Per-sample CTC loss of logits ``output`` (batch, time, classes) against padded label rows ``target``.

    The forward algorithm in log space, scanned over time: the labels are interleaved with blanks, and
    each state sums the paths from itself, its predecessor and (between different labels) the one before.
    Frames past a sample's ``output_length`` leave its states unchanged.
    """
    output = _float(output)
    log_probs = jax.nn.log_softmax(_widened(output), axis=-1)
    dtype = log_probs.dtype
    target = _tensor(target).astype(jnp.int32)
    target_length = _tensor(target_length).astype(jnp.int32)
    output_length = _tensor(output_length).astype(jnp.int32)
    batch, labels = target.shape
    states = 2 * labels + 1
    extended = jnp.full((batch, states), mask_index, dtype=jnp.int32).at[:, 1::2].set(target)
    skips = (extended != mask_index) & (extended != jnp.pad(extended, ((0, 0), (2, 0)))[:, :-2])
    skips = skips.at[:, :2].set(False)
    emissions = jnp.take_along_axis(log_probs, extended[:, None, :], axis=-1)  # (batch, time, states)
    log_zero = jnp.array(_LOG_ZERO, dtype=dtype)

    def shifted(alpha, by):
        return jnp.pad(alpha, ((0, 0), (by, 0)), constant_values=_LOG_ZERO)[:, :states]

    def step(alpha, frame):
        t, emission = frame
        paths = jnp.logaddexp(jnp.logaddexp(alpha, shifted(alpha, 1)),
                              jnp.where(skips, shifted(alpha, 2), log_zero))
        return jnp.where((t < output_length)[:, None], paths + emission, alpha), None

    first = jnp.where(jnp.arange(states) < 2, emissions[:, 0], log_zero)
    frames = (jnp.arange(1, log_probs.shape[1]), jnp.swapaxes(emissions[:, 1:], 0, 1))
    alpha, _ = lax.scan(step, first, frames)
    last = jnp.take_along_axis(alpha, 2 * target_length[:, None], axis=1)[:, 0]
    before_last = jnp.take_along_axis(alpha, jnp.maximum(2 * target_length - 1, 0)[:, None], axis=1)[:, 0]
    return -jnp.logaddexp(last, jnp.where(target_length > 0, before_last, log_zero)).astype(output.dtype)


# -- attention and layer-wise normalization -------------------------------------------------------
def _large_negative(dtype) -> float:
    """The logit given to masked positions: finite, so a fully masked row gets uniform weights, not NaN."""
    return -0.7 * float(jnp.finfo(dtype).max)


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention on (B, T, N, H) inputs; key/value heads repeat for grouped queries."""
    query, key, value = _float(query), _float(key), _float(value)
    heads, kv_heads = query.shape[2], key.shape[2]
    if heads != kv_heads:
        key, value = (jnp.repeat(t, heads // kv_heads, axis=2) for t in (key, value))
    scale = query.shape[-1] ** -0.5 if scale is None else scale
    logits = jnp.einsum("btnh,bsnh->bnts", query, key) * jnp.asarray(scale, query.dtype)
    if attn_logits_soft_cap is not None:
        logits = attn_logits_soft_cap * jnp.tanh(logits / attn_logits_soft_cap)
    if bias is not None:
        logits = logits + _like(bias, logits)
    keep = None if mask is None else jnp.asarray(mask, dtype=bool)
    if is_causal:
        causal = jnp.tril(jnp.ones((query.shape[1], key.shape[1]), dtype=bool))
        keep = causal if keep is None else keep & causal
    if keep is not None:
        logits = jnp.where(keep, logits, _large_negative(logits.dtype))
    weights = jax.nn.softmax(_widened(logits), axis=-1).astype(value.dtype)
    return jnp.einsum("bnts,bsnh->btnh", weights, value)


def _norm_parameter(value, x, axes):
    """A per-``axes`` parameter (shaped like those axes, or already of ``x``'s rank) broadcastable to ``x``."""
    value = _like(value, x)
    if value.ndim == x.ndim or value.ndim == 0:
        return value
    return value.reshape([x.shape[a] if a in axes else 1 for a in range(x.ndim)])


def layer_normalization(x, gamma=None, beta=None, axis=(-1,), epsilon=1e-7, rms_scaling=False):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta`` over ``axis`` (sorted non-negative axes); with
    ``rms_scaling`` (Keras' variant) ``x / sqrt(var + epsilon) * gamma``."""
    x = _float(x)
    wide = _widened(x)
    mean = jnp.mean(wide, axis=tuple(axis), keepdims=True)
    variance = jnp.mean(jnp.square(wide - mean), axis=tuple(axis), keepdims=True)
    inv = lax.rsqrt(variance + epsilon)
    if gamma is not None:
        inv = inv * _norm_parameter(gamma, wide, axis)
    if rms_scaling:
        return (wide * inv).astype(x.dtype)
    shift = -mean * inv
    if beta is not None:
        shift = shift + _norm_parameter(beta, wide, axis)
    return (wide * inv + shift).astype(x.dtype)


def rms_normalization(x, scale=None, axis=(-1,), epsilon=1e-7):
    """``x * rsqrt(mean(x ** 2) + epsilon) * scale`` over ``axis``."""
    x = _float(x)
    wide = _widened(x)
    out = wide * lax.rsqrt(jnp.mean(jnp.square(wide), axis=tuple(axis), keepdims=True) + epsilon)
    if scale is not None:
        out = out * _norm_parameter(scale, wide, axis)
    return out.astype(x.dtype)



# -- norms, image quality, complex numbers, patches -------------------------------------------------
def normalize(x, axis=-1, order=2, epsilon=1e-7):
    x = _float(x)
    if x.ndim == 0:
        x = x.reshape(1)
    axis = None if axis is None else (axis if isinstance(axis, int) else tuple(axis))
    norm = jnp.linalg.vector_norm(x, ord=order, axis=axis, keepdims=True)
    return x / jnp.maximum(norm, epsilon)


def psnr(x1, x2, max_val):
    x1, x2 = _operands(_float(x1), _float(x2))
    mse = jnp.mean(jnp.square(x1 - x2))
    return 20 * jnp.log10(_like(max_val, x1)) - 10 * jnp.log10(mse)


def polar(abs_, angle):
    abs_, angle = _operands(_float(abs_), _float(angle))
    return lax.complex(abs_ * jnp.cos(angle), abs_ * jnp.sin(angle))


def _window_origins(size, kernel, dilation, padding, stride):
    """Number of windows along one padded axis, and the slice each kernel offset reads from it."""
    count = (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    return count, [slice(k * dilation, k * dilation + stride * (count - 1) + 1, stride) for k in range(kernel)]


def unfold(x, kernel_size, dilation, padding, stride):
    """Columns ``(N, C * kH * kW, L)``: one strided slice of the padded input per kernel offset."""
    x = _tensor(x)
    n, c, h, w = x.shape
    x = jnp.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    rows, row_slices = _window_origins(h, kernel_size[0], dilation[0], padding[0], stride[0])
    cols, col_slices = _window_origins(w, kernel_size[1], dilation[1], padding[1], stride[1])
    blocks = jnp.stack([x[:, :, i, j] for i in row_slices for j in col_slices], axis=2)
    return blocks.reshape(n, c * len(row_slices) * len(col_slices), rows * cols)


def fold(x, output_size, kernel_size, dilation, padding, stride):
    """Sum columns ``(N, C * kH * kW, L)`` into ``(N, C, *output_size)``: one strided add per kernel offset."""
    x = _tensor(x)
    n, ckk, _ = x.shape
    (kh, kw), (ph, pw) = kernel_size, padding
    rows, row_slices = _window_origins(output_size[0], kh, dilation[0], ph, stride[0])
    cols, col_slices = _window_origins(output_size[1], kw, dilation[1], pw, stride[1])
    blocks = x.reshape(n, ckk // (kh * kw), kh, kw, rows, cols)
    out = jnp.zeros((n, ckk // (kh * kw), output_size[0] + 2 * ph, output_size[1] + 2 * pw), x.dtype)
    for i, row_slice in enumerate(row_slices):
        for j, col_slice in enumerate(col_slices):
            out = out.at[:, :, row_slice, col_slice].add(blocks[:, :, i, j])
    return out[:, :, ph:ph + output_size[0], pw:pw + output_size[1]]


# -- adaptive pooling -----------------------------------------------------------------------------
def _adaptive_bins(size: int, out: int):
    """PyTorch's (and Keras') bins: output ``i`` pools ``[floor(i * size / out), ceil((i + 1) * size / out))``.

    Returns the input index of each (bin, slot), ``(out, width)``, slots past a bin's end repeating its last
    index, and which slots are real. Shapes are static, so under ``jit`` this is all constants.
    """
    bounds = [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]
    width = max(end - start for start, end in bounds)
    index = np.array([[min(start + k, end - 1) for k in range(width)] for start, end in bounds])
    valid = np.array([[start + k < end for k in range(width)] for start, end in bounds])
    return index, valid


def _adaptive_pool(x, output_size, data_format, average: bool):
    """Pool one spatial axis at a time (a box's max or mean is the max or mean of its rows'): gather each
    bin's cells into a new axis, then reduce it."""
    for axis, out in zip(_layout(x, data_format)[2:], output_size, strict=True):
        index, valid = _adaptive_bins(x.shape[axis], out)
        cells = jnp.take(x, index.reshape(-1), axis=axis).reshape(x.shape[:axis] + index.shape + x.shape[axis + 1:])
        if not average:
            x = jnp.max(cells, axis=axis + 1)
            continue
        keep = valid.reshape(valid.shape + (1,) * (x.ndim - axis - 1))
        counts = valid.sum(axis=1).reshape((out,) + (1,) * (x.ndim - axis - 1))
        wide = _widened(cells)
        x = (jnp.sum(jnp.where(keep, wide, 0), axis=axis + 1) / counts).astype(x.dtype)
    return x


def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(_float(inputs), output_size, data_format, average=True)


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(_tensor(inputs), output_size, data_format, average=False)
