"""Torch implementations of ``lamina.ops.nn``: activations, convolution, pooling, encodings, losses' primitives.

Image ops take Keras layouts (channels last by default, kernels ``spatial..., in, out``) and run torch's
channels-first kernels on permuted views, so a channels-last tensor costs no copy on the way in.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lamina import config
from lamina.backend.common.conv_utils import conv_transpose_crops, dilated_windows, expand, pool_windows, same_pads
from lamina.backend.common.variable import Variable
from lamina.backend.torch import fused_conv, numpy, window_max_pool
from lamina.backend.torch.core import convert_to_tensor, to_torch_dtype
from lamina.backend.torch.numpy import _operands, _tensor


def _float(x):
    """``x`` as a floating tensor: bool and integer inputs become floatx, floats keep their dtype."""
    x = _tensor(x)
    if x.is_floating_point():
        return x
    return x.to(to_torch_dtype(config.floatx()))


def _widened(x):
    """``x`` in float32 when it is half precision, so reductions keep their accuracy."""
    return x.float() if x.dtype in (torch.float16, torch.bfloat16) else x


def _like(value, x):
    """``value`` (a scalar, array or tensor) as a tensor of ``x``'s dtype and device."""
    return convert_to_tensor(value).to(dtype=x.dtype, device=x.device)


# -- activations ----------------------------------------------------------------------------------
def relu(x):
    return torch.relu(_tensor(x))


def relu6(x):
    return F.relu6(_float(x))


def sigmoid(x):
    return torch.sigmoid(_float(x))


def sparse_sigmoid(x):
    return torch.clamp(0.5 * (_float(x) + 1.0), 0.0, 1.0)


def softplus(x):
    return F.softplus(_float(x))


def softsign(x):
    return F.softsign(_float(x))


def silu(x):
    return F.silu(_float(x))


def log_sigmoid(x):
    return F.logsigmoid(_float(x))


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(_float(x), negative_slope)


def hard_sigmoid(x):
    return F.hardsigmoid(_float(x))


def hard_silu(x):
    return F.hardswish(_float(x))


def elu(x, alpha=1.0):
    return F.elu(_float(x), alpha)


def selu(x):
    return F.selu(_float(x))


def gelu(x, approximate=True):
    return F.gelu(_float(x), approximate="tanh" if approximate else "none")


def celu(x, alpha=1.0):
    return F.celu(_float(x), alpha)


def glu(x, axis=-1):
    return F.glu(_float(x), dim=axis)


def hard_tanh(x):
    return F.hardtanh(_float(x))


def hard_shrink(x, threshold=0.5):
    return F.hardshrink(_float(x), threshold)


def soft_shrink(x, threshold=0.5):
    return F.softshrink(_float(x), threshold)


def tanh_shrink(x):
    return F.tanhshrink(_float(x))


def squareplus(x, b=4):
    x = _float(x)
    return 0.5 * (x + torch.sqrt(x * x + b))


def sparse_plus(x):
    x = _float(x)
    smooth = 0.25 * torch.square(x + 1.0)
    return torch.where(x <= -1.0, torch.zeros_like(x), torch.where(x >= 1.0, x, smooth))


def threshold(x, threshold, default_value):
    return F.threshold(_float(x), threshold, default_value)


def mish(x):
    return F.mish(_float(x))


def _along_axes(fn, x, axis):
    """Apply ``fn(x, dim)`` along one axis, or along several axes taken together as one."""
    if isinstance(axis, int):
        return fn(x, dim=axis)
    axes = sorted({a % x.ndim for a in axis})
    kept = [a for a in range(x.ndim) if a not in axes]
    order = kept + axes
    moved = x.permute(order)
    flat = fn(moved.reshape(*moved.shape[: len(kept)], -1), dim=-1)
    return flat.reshape(moved.shape).permute([order.index(a) for a in range(x.ndim)])


def softmax(x, axis=-1):
    return _along_axes(torch.softmax, _float(x), axis)


def log_softmax(x, axis=-1):
    return _along_axes(torch.log_softmax, _float(x), axis)


def sparsemax(x, axis=-1):
    """Euclidean projection onto the simplex (Martins & Astudillo, 2016), along ``axis``."""
    x = _float(x)
    ordered = torch.sort(x, dim=axis, descending=True).values
    cumulative = ordered.cumsum(dim=axis)
    ranks = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype, device=x.device)
    ranks = ranks.reshape([-1 if d == axis % x.ndim else 1 for d in range(x.ndim)])
    support = (1.0 + ranks * ordered > cumulative).sum(dim=axis, keepdim=True)
    tau = (cumulative.gather(axis, support - 1) - 1.0) / support.to(x.dtype)
    return torch.clamp(x - tau, min=0.0)


# -- layout and padding helpers -------------------------------------------------------------------
def _channels_first(x, data_format):
    """A channels-first view of ``x``, and whether the caller's layout was channels-last."""
    channels_last = config.standardize_data_format(data_format) == "channels_last"
    return (x.movedim(-1, 1) if channels_last else x), channels_last


def _restore_layout(y, channels_last: bool):
    return y.movedim(1, -1) if channels_last else y


def _pad_spatial(x, pads, value=0.0):
    """Pad the trailing spatial dims of a channels-first tensor by (before, after) pairs."""
    flat = [amount for before_after in reversed(pads) for amount in before_after]
    return F.pad(x, flat, value=value)


def _padded(x, windows, strides, padding):
    """``x`` and the symmetric padding torch should add, so that the result follows ``padding``.

    "same" padding that is symmetric is left to torch (no copy); asymmetric padding is applied here.
    """
    if padding == "valid":
        return x, 0
    pads = same_pads(x.shape[2:], windows, strides)
    if all(before == after for before, after in pads):
        return x, tuple(before for before, _ in pads)
    return _pad_spatial(x, pads), 0


# -- convolution ----------------------------------------------------------------------------------
_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _torch_kernel(kernel):
    """A Keras kernel ``(spatial..., a, b)`` as torch's ``(b, a, spatial...)``."""
    n = kernel.ndim - 2
    return kernel.permute(n + 1, n, *range(n))


def _bias(bias, x):
    """``bias`` as a tensor of ``x``'s dtype, or None."""
    if bias is None:
        return None
    bias = bias.value if isinstance(bias, Variable) else _tensor(bias)
    return bias if bias.dtype == x.dtype else bias.to(x.dtype)


def biased_matmul(inputs, kernel, bias=None):
    """``inputs @ kernel + bias`` for a 2-D ``kernel``: torch's ``linear`` (``addmm``: the bias is added
    in the GEMM, and its gradient comes from the same backward call). Products torch's linear does not
    take (ints, bool) are a matmul and an add. Dense calls it once per layer call, so a served one-row
    prediction spends as much time here as in the GEMV: the common case reads each operand once."""
    x = _tensor(inputs)
    if bias is None or not torch.is_floating_point(x):
        product = numpy.matmul(inputs, kernel)
        return product if bias is None else numpy.add(product, bias)
    x, kernel = _operands(x, kernel.value if isinstance(kernel, Variable) else kernel)
    if type(kernel) is torch.nn.Parameter and kernel.is_cpu and not torch.is_grad_enabled():
        weight = numpy._linear_layout(kernel)  # the cached (out, in) copy inference GEMMs prefer
    else:
        weight = kernel.t()
    return F.linear(x, weight, _bias(bias, x))


def _sequence_as_image(fn, inputs, kernel, strides, dilation_rate, **options):
    """``fn`` (conv or conv_transpose) on channels-last sequences ``(N, L, C)`` seen as images ``(N, 1, L, C)``.

    torch's kernels take channels-last images as they are (oneDNN's NHWC path, no copy), while a channels-last
    sequence would first be copied to ``(N, C, L)``: 1.5x the time of a forward and backward pass on CPU.
    """
    lifted = fn(inputs.unsqueeze(1), kernel.unsqueeze(0), (1, *expand(strides, 1)),
                dilation_rate=(1, *expand(dilation_rate, 1)), data_format="channels_last", **options)
    return lifted.squeeze(1)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1, bias=None, relu=False):
    """Keras' ``conv``, plus an optional per-output-channel ``bias`` and, with ``relu``, a ReLU.

    Channels-last inputs are viewed, not copied, as channels-first tensors with channels-last strides, the
    layout oneDNN convolves natively; its output is viewed back the same way. The bias is added inside the
    convolution, and its gradient comes from the convolution's own backward call (no separate add and sum);
    on the CPU a 2-D convolution applies the ReLU inside too (``fused_conv``).
    """
    inputs, kernel = _operands(inputs, kernel)
    x, channels_last = _channels_first(inputs, data_format)
    n = x.ndim - 2
    if n == 1 and channels_last:
        return _sequence_as_image(conv, inputs, kernel, strides, dilation_rate, padding=padding, bias=bias,
                                  relu=relu)
    strides, dilation = expand(strides, n), expand(dilation_rate, n)
    windows = dilated_windows(kernel.shape[:n], dilation)
    x, pad = _padded(x, windows, strides, padding)
    groups = x.shape[1] // kernel.shape[-2]
    if relu and fused_conv.can_fuse_relu(x, n):
        y = fused_conv.conv2d_relu(x, _torch_kernel(kernel), _bias(bias, x), strides, expand(pad, n), dilation,
                                   groups)
    else:
        y = _CONV[n](x, _torch_kernel(kernel), _bias(bias, x), stride=strides, padding=pad, dilation=dilation,
                     groups=groups)
        y = torch.relu(y) if relu else y
    return _restore_layout(y, channels_last)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1, bias=None):
    """Keras' ``conv_transpose``, plus an optional ``bias``; layouts and bias as for ``conv``."""
    inputs, kernel = _operands(inputs, kernel)
    x, channels_last = _channels_first(inputs, data_format)
    n = x.ndim - 2
    if n == 1 and channels_last:
        extra = None if output_padding is None else (0, *expand(output_padding, 1))
        return _sequence_as_image(conv_transpose, inputs, kernel, strides, dilation_rate, padding=padding,
                                  output_padding=extra, bias=bias)
    strides, dilation = expand(strides, n), expand(dilation_rate, n)
    crops = conv_transpose_crops(kernel.shape[:n], strides, dilation, padding, output_padding)
    symmetric = tuple(max(min(before, after), 0) for before, after in crops)
    rest = [(s - before, s - after) for s, (before, after) in zip(symmetric, crops)]
    grown = any(before > 0 or after > 0 for before, after in rest)  # cells torch does not produce: zeros
    bias = _bias(bias, x)
    y = _CONV_TRANSPOSE[n](x, _torch_kernel(kernel), None if grown else bias, stride=strides, padding=symmetric,
                           dilation=dilation)
    if any(before or after for before, after in rest):
        y = _pad_spatial(y, rest)
    if grown and bias is not None:
        y = y + bias.reshape(-1, *(1,) * n)  # the added cells get the bias too
    return _restore_layout(y, channels_last)


# -- pooling --------------------------------------------------------------------------------------
_MAX_POOL = {2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {2: F.avg_pool2d, 3: F.avg_pool3d}


def _pooled_layout(inputs, pool_size, strides, data_format):
    """A channels-first view of ``inputs``, whether it was channels-last, and the windows and strides.

    Sequences pool as images ``(N, C, 1, L)``: torch's 1-D poolings have no channels-last kernel, while a
    channels-last image stays a strided view of the caller's tensor, as for ``conv``.
    """
    x, channels_last = _channels_first(inputs, data_format)
    pool_size, strides = pool_windows(x.ndim - 2, pool_size, strides)
    if x.ndim == 3:
        x, pool_size, strides = x.unsqueeze(2), (1, *pool_size), (1, *strides)
    return x, channels_last, pool_size, strides


def _restore_pooled(y, inputs, channels_last: bool):
    """The pooled ``y`` in the caller's layout and rank."""
    return _restore_layout(y.squeeze(2) if inputs.ndim == 3 else y, channels_last)


def _pool_padding(x, windows, strides, padding):
    """The symmetric padding and ``ceil_mode`` with which torch's pooling follows ``padding`` without a padded
    copy of ``x``, or None where it cannot.

    "same" pads one cell more after than before when the total is odd; torch's ``ceil_mode`` adds that
    partial window at the end where it gives Keras' ``ceil(size / stride)`` cells.
    """
    if padding == "valid":
        return 0, False
    pads = same_pads(x.shape[2:], windows, strides)
    symmetric = tuple(before for before, _ in pads)
    if all(before == after for before, after in pads):
        return symmetric, False
    for size, window, stride, (before, after) in zip(x.shape[2:], windows, strides, pads):
        ceil_cells = -(-(size + 2 * before - window) // stride) + 1
        if (ceil_cells - 1) * stride >= size + before:
            ceil_cells -= 1
        if after - before > 1 or 2 * before > window or ceil_cells != -(-size // stride):
            return None
    return symmetric, True


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    inputs = _tensor(inputs)
    x, channels_last, pool_size, strides = _pooled_layout(inputs, pool_size, strides, data_format)
    geometry = _pool_padding(x, pool_size, strides, padding)
    if geometry is None:
        lowest = float("-inf") if x.is_floating_point() else torch.iinfo(x.dtype).min
        x, geometry = _pad_spatial(x, same_pads(x.shape[2:], pool_size, strides), lowest), (0, False)
    pad, ceil_mode = geometry
    pad = expand(pad, x.ndim - 2)
    y = fused_conv.max_pool_of_conv_relu(x, pool_size, strides, pad, ceil_mode) if x.ndim == 4 \
        and x.requires_grad else None
    if y is None and window_max_pool.applies(x, pool_size, strides, pad, ceil_mode):
        y = window_max_pool.max_pool(x, pool_size)
    if y is None:
        y = _MAX_POOL[x.ndim - 2](x, pool_size, strides, padding=pad, ceil_mode=ceil_mode)
    return _restore_pooled(y, inputs, channels_last)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; with "same" padding the padded cells are left out of each window's count. Half
    precision averages in float32 (torch's CPU kernels lack some half-precision poolings)."""
    inputs = _float(inputs)
    x, channels_last, pool_size, strides = _pooled_layout(_widened(inputs), pool_size, strides, data_format)
    average = _AVG_POOL[x.ndim - 2]
    geometry = _pool_padding(x, pool_size, strides, padding)
    if geometry is None:
        pads = same_pads(x.shape[2:], pool_size, strides)
        ones = torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype, device=x.device)
        y = average(_pad_spatial(x, pads), pool_size, strides) / average(_pad_spatial(ones, pads), pool_size, strides)
    else:
        pad, ceil_mode = geometry
        y = average(x, pool_size, strides, padding=pad, ceil_mode=ceil_mode, count_include_pad=False)
    return _restore_pooled(y, inputs, channels_last).to(inputs.dtype)


# -- encodings and statistics ---------------------------------------------------------------------
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot rows; negative or out-of-range labels give all-zero rows, as on JAX."""
    if sparse:
        raise ValueError("`one_hot`: the torch engine has no sparse tensors. Received: sparse=True")
    x = _tensor(x)
    if x.is_floating_point() or x.dtype == torch.bool:
        x = x.to(torch.int64)
    classes = torch.arange(num_classes, device=x.device, dtype=x.dtype)
    encoded = (x.unsqueeze(-1) == classes).to(to_torch_dtype(dtype or config.floatx()))
    return encoded if axis in (-1, x.ndim) else encoded.movedim(-1, axis)


def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    """Multi-hot vectors: the one-hot rows of each sample's labels, combined with ``max``."""
    x = _tensor(inputs)
    encoded = one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return encoded.amax(dim=1 if x.ndim > 1 else 0)


def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and (biased) variance over ``axes``; half-precision inputs are reduced in float32."""
    dtype = _float(x).dtype
    x = _widened(_float(x))
    dims = tuple(range(x.ndim)) if axes is None else expand(axes, 1)
    variance, mean = torch.var_mean(x, dim=dims, correction=0, keepdim=keepdims)
    return mean.to(dtype), variance.to(dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the vectors laid along ``axis``."""
    x = _float(x)
    shape = [1] * x.ndim
    shape[axis] = -1
    factor = torch.rsqrt(_like(variance, x) + epsilon)
    if scale is not None:
        factor = factor * _like(scale, x)
    shift = -_like(mean, x) * factor
    if offset is not None:
        shift = shift + _like(offset, x)
    return torch.addcmul(shift.reshape(shape), x, factor.reshape(shape))


# -- cross-entropies ------------------------------------------------------------------------------
def _target_output(target, output):
    output = _float(output)
    return _tensor(target).to(output.dtype), output


def _log_probabilities(output, from_logits, axis):
    """Log-probabilities along ``axis``: log-softmax of logits, or the log of rescaled, clipped probabilities."""
    if from_logits:
        return torch.log_softmax(output, dim=axis)
    output = output / output.sum(dim=axis, keepdim=True)
    eps = config.epsilon()
    return torch.log(torch.clamp(output, eps, 1.0 - eps))


def binary_crossentropy(target, output, from_logits=False):
    target, output = _target_output(target, output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = config.epsilon()
    return F.binary_cross_entropy(torch.clamp(output, eps, 1.0 - eps), target, reduction="none")


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _target_output(target, output)
    return -(target * _log_probabilities(output, from_logits, axis)).sum(dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = _tensor(target)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = target.squeeze(-1)
    axis = axis % output.ndim
    labels = target.to(torch.int64).unsqueeze(axis)
    return -_log_probabilities(output, from_logits, axis).gather(axis, labels).squeeze(axis)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Per-sample CTC loss of logits ``output`` (batch, time, classes) against padded label rows ``target``."""
    output = _float(output)
    log_probs = torch.log_softmax(output, dim=-1).transpose(0, 1)
    return F.ctc_loss(log_probs, _tensor(target).long(), _tensor(output_length).long(),
                      _tensor(target_length).long(), blank=mask_index, reduction="none", zero_infinity=False)


# -- attention and layer-wise normalization -------------------------------------------------------
def _large_negative(dtype) -> float:
    """The logit given to masked positions: finite, so a fully masked row gets uniform weights, not NaN."""
    return -0.7 * torch.finfo(dtype).max


def _attention_bias(bias, mask, is_causal, queries, keys, like):
    """One additive float mask for (B, N, T, S) logits from ``bias``, the boolean ``mask`` and causality."""
    keep = None if mask is None else _tensor(mask).to(device=like.device, dtype=torch.bool)
    if is_causal:
        causal = torch.ones(queries, keys, dtype=torch.bool, device=like.device).tril()
        keep = causal if keep is None else keep & causal
    total = None if bias is None else _like(bias, like)
    if keep is None:
        return total
    zero = torch.zeros((), dtype=like.dtype, device=like.device)
    return torch.where(keep, zero if total is None else total, _large_negative(like.dtype))


def _explicit_attention(q, k, v, attn_mask, scale, soft_cap):
    """softmax(q k^T * scale [+ mask]) v on (B, N, T, H) tensors, with logits soft-capped."""
    logits = torch.matmul(q, k.transpose(-1, -2)) * scale
    logits = soft_cap * torch.tanh(logits / soft_cap)
    if attn_mask is not None:
        logits = logits + attn_mask
    return torch.matmul(torch.softmax(logits, dim=-1), v)


_NON_FLASH_KERNELS = [torch.nn.attention.SDPBackend.EFFICIENT_ATTENTION, torch.nn.attention.SDPBackend.CUDNN_ATTENTION,
                      torch.nn.attention.SDPBackend.MATH]


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention on (B, T, N, H) inputs through torch's fused kernel (never a flash kernel
    when ``flash_attention`` is False)."""
    q, k, v = (_float(t).transpose(1, 2) for t in (query, key, value))
    heads, kv_heads = q.shape[1], k.shape[1]
    scale = q.shape[-1] ** -0.5 if scale is None else float(scale)
    attn_mask = None
    if bias is not None or mask is not None:
        attn_mask = _attention_bias(bias, mask, is_causal, q.shape[2], k.shape[2], q)
        is_causal = False
    if attn_logits_soft_cap is not None:
        if heads != kv_heads:
            k, v = (t.repeat_interleave(heads // kv_heads, dim=1) for t in (k, v))
        if is_causal:
            attn_mask = _attention_bias(None, None, True, q.shape[2], k.shape[2], q)
        out = _explicit_attention(q, k, v, attn_mask, scale, float(attn_logits_soft_cap))
    elif flash_attention is False:  # any fused kernel but flash (``config.disable_flash_attention()``)
        with torch.nn.attention.sdpa_kernel(_NON_FLASH_KERNELS):
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=bool(is_causal),
                                                 scale=scale, enable_gqa=heads != kv_heads)
    else:
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=bool(is_causal), scale=scale,
                                             enable_gqa=heads != kv_heads)
    return out.transpose(1, 2)


def _norm_parameter(value, x, axes):
    """A per-``axes`` parameter (shaped like those axes, or already of ``x``'s rank) broadcastable to ``x``."""
    value = _like(value, x)
    if value.ndim == x.ndim or value.ndim == 0:
        return value
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]
    return value.reshape(shape)


def _trailing(x, axes, *params) -> bool:
    """Whether ``axes`` are the last axes of ``x`` and each parameter is None or shaped like them: the
    layout torch's fused normalization kernels take."""
    trailing = tuple(range(x.ndim - len(axes), x.ndim))
    shape = tuple(x.shape[a] for a in trailing)
    return tuple(axes) == trailing and all(p is None or tuple(_tensor(p).shape) == shape for p in params)


def layer_normalization(x, gamma=None, beta=None, axis=(-1,), epsilon=1e-7, rms_scaling=False):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta`` over ``axis`` (sorted non-negative axes); with
    ``rms_scaling`` (Keras' variant) ``x / sqrt(var + epsilon) * gamma``. Fused ``F.layer_norm`` when the
    axes are the trailing ones."""
    x = _float(x)
    if not rms_scaling and _trailing(x, axis, gamma, beta):
        shape = x.shape[x.ndim - len(axis):]
        weight = None if gamma is None else _like(gamma, x)
        bias = None if beta is None else _like(beta, x)
        return F.layer_norm(x, shape, weight, bias, epsilon)
    dtype = x.dtype
    wide = _widened(x)
    variance, mean = torch.var_mean(wide, dim=tuple(axis), correction=0, keepdim=True)
    inv = torch.rsqrt(variance + epsilon)
    if gamma is not None:
        inv = inv * _norm_parameter(gamma, wide, axis)
    if rms_scaling:
        return (wide * inv).to(dtype)
    shift = -mean * inv
    if beta is not None:
        shift = shift + _norm_parameter(beta, wide, axis)
    return (wide * inv + shift).to(dtype)


def rms_normalization(x, scale=None, axis=(-1,), epsilon=1e-7):
    """``x * rsqrt(mean(x ** 2) + epsilon) * scale`` over ``axis``; fused ``F.rms_norm`` on trailing axes."""
    x = _float(x)
    if _trailing(x, axis, scale):
        shape = x.shape[x.ndim - len(axis):]
        return F.rms_norm(x, shape, None if scale is None else _like(scale, x), epsilon)
    dtype = x.dtype
    wide = _widened(x)
    out = wide * torch.rsqrt(torch.mean(wide * wide, dim=tuple(axis), keepdim=True) + epsilon)
    if scale is not None:
        out = out * _norm_parameter(scale, wide, axis)
    return out.to(dtype)



# -- norms, image quality, complex numbers, patches -------------------------------------------------
def _norm_dims(x, axis):
    return tuple(range(x.ndim)) if axis is None else axis


def normalize(x, axis=-1, order=2, epsilon=1e-7):
    x = _float(x)
    if x.ndim == 0:
        x = x.reshape(1)
    norm = torch.linalg.vector_norm(x, ord=order, dim=_norm_dims(x, axis), keepdim=True)
    return x / norm.clamp_min(epsilon)


def psnr(x1, x2, max_val):
    x1, x2 = _operands(_float(x1), _float(x2))
    mse = torch.mean(torch.square(x1 - x2))
    return 20 * torch.log10(_like(max_val, x1)) - 10 * torch.log10(mse)


def polar(abs_, angle):
    abs_, angle = _operands(_float(abs_), _float(angle))
    abs_, angle = torch.broadcast_tensors(abs_, angle)
    return torch.polar(abs_, angle)


def unfold(x, kernel_size, dilation, padding, stride):
    return F.unfold(_tensor(x), kernel_size, dilation=dilation, padding=padding, stride=stride)


def fold(x, output_size, kernel_size, dilation, padding, stride):
    return F.fold(_tensor(x), output_size, kernel_size, dilation=dilation, padding=padding, stride=stride)


# -- adaptive pooling -----------------------------------------------------------------------------
_ADAPTIVE_AVG_POOL = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
_ADAPTIVE_MAX_POOL = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}


def adaptive_average_pool(inputs, output_size, data_format=None):
    x, channels_last = _channels_first(_float(inputs), data_format)
    return _restore_layout(_ADAPTIVE_AVG_POOL[x.ndim - 2](x, output_size), channels_last)


def adaptive_max_pool(inputs, output_size, data_format=None):
    x, channels_last = _channels_first(_tensor(inputs), data_format)
    return _restore_layout(_ADAPTIVE_MAX_POOL[x.ndim - 2](x, output_size), channels_last)
