"""Engine-neutral geometry of convolution and pooling: Keras "same" padding and transposed-conv crops.

Plain Python on static shapes, so every engine pads and crops by the same numbers and agrees with Keras
(whose TensorFlow and JAX engines both follow XLA's conventions).
"""

from __future__ import annotations

from collections.abc import Sequence


def expand(value, n: int) -> tuple:
    """An int or a length-``n`` sequence as an ``n``-tuple."""
    return tuple(value) if isinstance(value, (tuple, list)) else (int(value),) * n


def dilated_windows(kernel_sizes: Sequence[int], dilation: Sequence[int]) -> list:
    """The span each kernel covers once its taps are ``dilation`` apart."""
    return [(k - 1) * d + 1 for k, d in zip(kernel_sizes, dilation)]


def pool_windows(n: int, pool_size, strides) -> tuple:
    """``pool_size`` and ``strides`` as ``n``-tuples; ``strides`` defaults to ``pool_size``."""
    pool_size = expand(pool_size, n)
    return pool_size, pool_size if strides is None else expand(strides, n)


def same_pads(sizes: Sequence[int], windows: Sequence[int], strides: Sequence[int]) -> list:
    """TF/Keras "same" padding per spatial dim as (before, after); the odd extra cell goes after.

    The output then has ``ceil(size / stride)`` cells along each dim.
    """
    pads = []
    for size, window, stride in zip(sizes, windows, strides):
        total = max((-(-size // stride) - 1) * stride + window - size, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _transpose_crop(kernel_size: int, stride: int, dilation: int, padding: str, output_padding) -> tuple:
    window = (kernel_size - 1) * dilation + 1
    if padding == "valid":
        extra = max(window, stride) - window if output_padding is None else output_padding
        return 0, -extra
    if output_padding is None:
        pad_total = stride + window - 2
    else:
        pad_total = window + window % 2 - 2 + output_padding
    before = min(pad_total // 2 + pad_total % 2, window - 1)
    return window - 1 - before, window - 1 - (pad_total - before)


def conv_transpose_crops(kernel_sizes: Sequence[int], strides: Sequence[int], dilation: Sequence[int],
                         padding: str, output_padding=None) -> list:
    """What to cut from each end of a full transposed convolution, per spatial dim (negative: zeros to add).

    The full transposed convolution of ``size`` cells has ``(size - 1) * stride + window`` cells. The cuts
    follow XLA/TensorFlow so results match Keras: for "same" the extra cell of an odd total goes to the end;
    ``output_padding`` (None, an int or one per dim) follows Keras's formula.
    """
    n = len(kernel_sizes)
    extras = (None,) * n if output_padding is None else expand(output_padding, n)
    return [_transpose_crop(k, s, d, padding, o) for k, s, d, o in zip(kernel_sizes, strides, dilation, extras)]
