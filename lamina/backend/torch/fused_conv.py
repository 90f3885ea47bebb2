"""``relu(conv2d(x, w) + b)`` in one oneDNN call on the CPU: the ReLU runs as a post-op on each output
block while it is still in cache, instead of a second pass over the whole activation.

For the first convolution of Keras' MNIST convnet (a (128, 26, 26, 32) output) the fused forward took
2.3 ms against 6.3 ms for the convolution and a separate ReLU. The backward is the one autograd would run:
ReLU's (``threshold_backward`` on the output) then the convolution's (``convolution_backward``), so
gradients are torch's own, and higher-order gradients differentiate through both.

Max pooling such an output (conv, ReLU, pool: the convnet's brick) differentiates through one node,
``max_pool_of_conv_relu``: ReLU and max commute, so the ReLU's backward can run on the pooled gradient
(a quarter of the size for 2x2 windows) instead of on the whole activation. An epoch of that convnet
(``bench/image_cnn.py``, one thread) took 2.62 s against 2.78 s without it. Where ``window_max_pool``
applies (channels-last, windows as wide as their strides) its kernels pool, and the ReLU's backward is
folded into their saved argmax: the node keeps one byte per pooled value instead of the activation, the
pooled values and int64 indices.
"""

from __future__ import annotations

import torch

from lamina.backend.torch import window_max_pool

_POINTWISE = getattr(torch.ops.mkldnn, "_convolution_pointwise", None) if torch.backends.mkldnn.is_available() \
    else None


def can_fuse_relu(x: torch.Tensor, spatial_dims: int) -> bool:
    """Whether ``conv2d_relu`` serves ``x``: a float32 2-D convolution on a CPU build with oneDNN."""
    return _POINTWISE is not None and spatial_dims == 2 and x.dtype == torch.float32 and x.device.type == "cpu"


def conv2d_relu(x, weight, bias, stride, padding, dilation, groups):
    """``relu(F.conv2d(x, weight, bias, stride, padding, dilation, groups))``, fused; ``padding`` symmetric."""
    arguments = (list(padding), list(stride), list(dilation), groups)
    if not torch.is_grad_enabled() or not any(t is not None and t.requires_grad for t in (x, weight, bias)):
        return _POINTWISE(x, weight, bias, *arguments, "relu", [], "")
    return _Conv2dReLU.apply(x, weight, bias, arguments)


def max_pool_of_conv_relu(x, pool_size, strides, padding, ceil_mode):
    """``F.max_pool2d(x, ...)`` as one autograd node with the convolution, when ``x`` is (a view with the
    layout of) a ``conv2d_relu`` output that autograd records; None otherwise.

    The convolution's own node stays in the graph for any other use of its output: gradients through
    both add up as they would through the separate nodes.
    """
    base = x._base if x._is_view() else x
    if not (torch.is_grad_enabled() and isinstance(base.grad_fn, _Conv2dReLU._backward_cls)
            and x.shape == base.shape and x.stride() == base.stride()
            and x.storage_offset() == base.storage_offset()):
        return None
    conv = base.grad_fn
    try:
        inputs, weight, bias, activation = conv.saved_tensors
    except RuntimeError:  # freed by a backward pass already: pooling still works, as torch's own does
        return None
    activation = activation.detach()
    if window_max_pool.applies(activation, pool_size, strides, padding, ceil_mode):
        return _Conv2dReLUWindowMaxPool.apply(inputs, weight, bias, activation, conv.arguments, tuple(pool_size))
    pool_arguments = (list(pool_size), list(strides), list(padding), [1, 1], ceil_mode)
    return _Conv2dReLUMaxPool.apply(inputs, weight, bias, activation, conv.arguments, pool_arguments)


def _convolution_backward(ctx, grad, x, weight):
    """The gradients of a convolution's input, weight and bias that ``ctx``'s node needs."""
    padding, stride, dilation, groups = ctx.arguments
    wanted = [ctx.needs_input_grad[0], ctx.needs_input_grad[1],
              ctx.bias_shape is not None and ctx.needs_input_grad[2]]
    return torch.ops.aten.convolution_backward(grad, x, weight, ctx.bias_shape, stride, padding, dilation, False,
                                               [0, 0], groups, wanted)


class _Conv2dReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, arguments):
        y = _POINTWISE(x, weight, bias, *arguments, "relu", [], "")
        ctx.save_for_backward(x, weight, bias, y)
        ctx.arguments = arguments
        ctx.bias_shape = None if bias is None else [weight.shape[0]]
        return y

    @staticmethod
    def backward(ctx, grad):
        x, weight, _, y = ctx.saved_tensors
        grad_x, grad_weight, grad_bias = _convolution_backward(ctx, torch.ops.aten.threshold_backward(grad, y, 0),
                                                               x, weight)
        return grad_x, grad_weight, grad_bias, None


class _Conv2dReLUMaxPool(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, activation, conv_arguments, pool_arguments):
        pooled, indices = torch.ops.aten.max_pool2d_with_indices(activation, *pool_arguments)
        ctx.save_for_backward(x, weight, activation, pooled, indices)
        ctx.arguments, ctx.pool_arguments = conv_arguments, pool_arguments
        ctx.bias_shape = None if bias is None else [weight.shape[0]]
        return pooled

    @staticmethod
    def backward(ctx, grad):
        x, weight, activation, pooled, indices = ctx.saved_tensors
        grad = torch.ops.aten.threshold_backward(grad, pooled, 0)  # ReLU's, where the pooled value is zero
        grad = torch.ops.aten.max_pool2d_with_indices_backward(grad, activation, *ctx.pool_arguments, indices)
        grad_x, grad_weight, grad_bias = _convolution_backward(ctx, grad, x, weight)
        return grad_x, grad_weight, grad_bias, None, None, None


class _Conv2dReLUWindowMaxPool(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, activation, conv_arguments, pool_size):
        pooled, code = window_max_pool.pool(activation, pool_size, relu=True)
        ctx.save_for_backward(x, weight, code)
        ctx.arguments, ctx.pool_size, ctx.activation_shape = conv_arguments, pool_size, activation.shape
        ctx.bias_shape = None if bias is None else [weight.shape[0]]
        return pooled

    @staticmethod
    def backward(ctx, grad):
        x, weight, code = ctx.saved_tensors
        grad = window_max_pool.scatter(grad, code, ctx.activation_shape, ctx.pool_size)  # ReLU's and the pool's
        grad_x, grad_weight, grad_bias = _convolution_backward(ctx, grad, x, weight)
        return grad_x, grad_weight, grad_bias, None, None, None
