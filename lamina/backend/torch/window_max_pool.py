"""Max pooling of channels-last float32 CPU tensors over windows as wide as their strides (Keras'
``MaxPooling2D`` default), with a one-byte argmax per output and a one-pass gradient.

torch's CPU max pooling writes an int64 index per output, and its backward fills the whole input gradient
with zeros before scattering into it. oneDNN, under Keras on TensorFlow, keeps a byte per output and writes
each gradient element once; so do the numba kernels here (``window_max_pool_kernels``). For Keras' MNIST
convnet on one thread (``bench/image_cnn.py``) an epoch took 2.01 s against 2.44 s with torch's pooling
(in-process A/B, six epochs each), and 1.25 s against 1.41 s on two threads.

Values and gradients are torch's: the first maximum of a window wins, a NaN wins over numbers, rows and
columns no window covers get zero gradient. The backward is differentiable again (its adjoint gathers by
the saved positions, in torch's ops), so higher-order gradients go through it.

The kernels run on as many threads as torch's intra-op pool has. numba's OpenMP layer shares torch's
OpenMP runtime, whose thread count numba's start-up resets: torch's is restored after each launch. A
process forked from one that ran them pools with torch's kernels (GNU OpenMP does not survive a fork).
"""

from __future__ import annotations

import os
import threading

import torch

_MAX_WINDOW = 255  # positions 0-254 fit in a byte beside window_max_pool_kernels.DROPPED (255)
_parallel_owner = None  # the process whose OpenMP runtime numba's parallel kernels have started in
_one_launch_at_a_time = threading.Lock()  # numba's fallback threading layer (workqueue) is not thread-safe


def applies(x: torch.Tensor, pool_size, strides, padding, ceil_mode: bool) -> bool:
    """Whether ``max_pool`` serves ``F.max_pool2d(x, pool_size, strides, padding, ceil_mode=ceil_mode)``:
    ``x`` a 4-D float32 CPU tensor stored channels-last, windows as wide as their strides, no padding.

    Windows one row high (sequences pool as one-row images) keep torch's kernels: in the char-CNN
    (``bench/char_cnn.py``) these gained 3% of an epoch (2.30 s against 2.37), less than the ~130 MB of
    resident memory that loading numba's LLVM costs a process that pools nothing else.
    """
    return (x.ndim == 4 and x.dtype == torch.float32 and x.device.type == "cpu"
            and tuple(strides) == tuple(pool_size) and not any(padding) and not ceil_mode
            and 1 < pool_size[0] and pool_size[0] * pool_size[1] <= _MAX_WINDOW
            and x.shape[2] >= pool_size[0] and x.shape[3] >= pool_size[1]
            and _channels_last(x).is_contiguous() and _parallel_owner in (None, os.getpid()))


def max_pool(x: torch.Tensor, pool_size) -> torch.Tensor:
    """``F.max_pool2d(x, pool_size)`` where ``applies``; differentiable to any order."""
    return _MaxPool.apply(x, tuple(pool_size))


def pool(x: torch.Tensor, pool_size, relu: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """``(pooled, code)``: the maxima, stored channels-last, and where in its window each one is (uint8,
    ``(N, H, W, C)``). With ``relu``, ``x`` is a ReLU's output and the code drops the gradient of maxima
    that are not positive, as ReLU's backward would."""
    batch, channels, rows, columns = x.shape
    shape = (batch, channels, rows // pool_size[0], columns // pool_size[1])
    pooled = torch.empty(shape, dtype=x.dtype, memory_format=torch.channels_last)
    code = torch.empty((batch, *shape[2:], channels), dtype=torch.uint8)
    _launch("pool", _channels_last(x), _channels_last(pooled), code, *pool_size, relu)
    return pooled, code


def scatter(grad: torch.Tensor, code: torch.Tensor, input_shape, pool_size) -> torch.Tensor:
    """The gradient of ``x`` in ``pool(x, pool_size)`` given the pooled one, ``grad``; differentiable."""
    return _Scatter.apply(grad, code, tuple(input_shape), tuple(pool_size))


def _channels_last(x: torch.Tensor) -> torch.Tensor:
    """The ``(N, H, W, C)`` view of an ``(N, C, H, W)`` tensor; contiguous when it is stored channels-last."""
    return x.permute(0, 2, 3, 1)


def _launch(kernel: str, *arguments) -> None:
    """Run one of the kernels on torch's intra-op thread count, on numpy views of the tensors given."""
    global _parallel_owner
    import numba

    from lamina.backend.torch import window_max_pool_kernels as kernels

    arrays = [a.numpy() if isinstance(a, torch.Tensor) else a for a in arguments]
    with _one_launch_at_a_time:
        threads = torch.get_num_threads()
        _parallel_owner = os.getpid()
        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
        getattr(kernels, kernel)(*arrays)
        if torch.get_num_threads() != threads:  # numba's first launch starts its threading layer, which resets it
            torch.set_num_threads(threads)


def _gather(values: torch.Tensor, code: torch.Tensor, pool_size) -> torch.Tensor:
    """``values`` at each window's maximum, zero where the code drops it: the adjoint of ``scatter``, in
    torch's own differentiable ops (it runs for higher-order gradients only)."""
    from lamina.backend.torch.window_max_pool_kernels import DROPPED

    batch, rows, columns, channels = code.shape
    window_rows, window_columns = pool_size
    windows = _channels_last(values)[:, :rows * window_rows, :columns * window_columns]
    windows = windows.reshape(batch, rows, window_rows, columns, window_columns, channels)
    windows = windows.permute(0, 1, 3, 5, 2, 4).reshape(batch, rows, columns, channels, -1)
    position = code.long()
    dropped = position == DROPPED
    picked = windows.gather(-1, position.masked_fill(dropped, 0).unsqueeze(-1)).squeeze(-1)
    return picked.masked_fill(dropped, 0).permute(0, 3, 1, 2)


class _MaxPool(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, pool_size):
        pooled, code = pool(x, pool_size)
        ctx.save_for_backward(code)
        ctx.input_shape, ctx.pool_size = x.shape, pool_size
        return pooled

    @staticmethod
    def backward(ctx, grad):
        (code,) = ctx.saved_tensors
        return scatter(grad, code, ctx.input_shape, ctx.pool_size), None


class _Scatter(torch.autograd.Function):
    @staticmethod
    def forward(ctx, grad, code, input_shape, pool_size):
        ctx.save_for_backward(code)
        ctx.pool_size = pool_size
        grad_input = torch.empty(input_shape, dtype=grad.dtype, memory_format=torch.channels_last)
        grad = grad.contiguous(memory_format=torch.channels_last)
        _launch("scatter", _channels_last(grad), code, _channels_last(grad_input), *pool_size)
        return grad_input

    @staticmethod
    def backward(ctx, grad_grad):
        (code,) = ctx.saved_tensors
        return _gather(grad_grad, code, ctx.pool_size), None, None, None
