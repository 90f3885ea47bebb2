"""Torch implementations of ``lamina.ops.math``.

Complex spectra cross the op boundary as ``(real, imag)`` pairs of float tensors, as in Keras 3.
"""

from __future__ import annotations

import torch

from lamina.backend.torch.numpy import _float, _float_pair, _tensor

_WINDOWS = {"hann": torch.hann_window, "hamming": torch.hamming_window}


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    if axis is None:
        axis = tuple(range(x.ndim))
    return torch.logsumexp(x, dim=axis, keepdim=keepdims)


def top_k(x, k, sorted=True):
    values, indices = torch.topk(_tensor(x), k, dim=-1, largest=True, sorted=sorted)
    return values, indices.to(torch.int32)


def in_top_k(targets, predictions, k):
    predictions = _tensor(predictions)
    at_target = predictions.gather(-1, _tensor(targets).long().unsqueeze(-1))
    if at_target.is_floating_point():
        # A NaN score ranks last, never in the top k.
        at_target = torch.where(torch.isnan(at_target), float("-inf"), at_target)
    rank = 1 + (predictions > at_target).sum(dim=-1)
    return rank <= k


def _lowest(dtype: torch.dtype):
    """The identity of ``max`` in ``dtype``: -inf for floats, the smallest integer otherwise."""
    if dtype.is_floating_point:
        return float("-inf")
    if dtype == torch.bool:
        return False
    return torch.iinfo(dtype).min


def _highest(dtype: torch.dtype):
    """The identity of ``min`` in ``dtype``: inf for floats, the largest integer otherwise."""
    if dtype.is_floating_point:
        return float("inf")
    if dtype == torch.bool:
        return True
    return torch.iinfo(dtype).max


# reduction -> (scatter_reduce name, identity of the reduction for a dtype)
_SEGMENT_REDUCTIONS = {"max": ("amax", _lowest), "min": ("amin", _highest), "prod": ("prod", lambda dtype: 1)}


def _segment_reduce(data, segment_ids, num_segments, reduction):
    """Reduce the rows of ``data`` that share a segment id; ids outside [0, num_segments) are dropped."""
    data, ids = _tensor(data), _tensor(segment_ids).long()
    rows = data.reshape((-1,) + tuple(data.shape[ids.ndim:]))
    ids = ids.reshape(-1)
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.numel() else 0
    # Out-of-range rows go to one extra bucket, cut off at the end.
    ids = torch.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    index = ids.reshape((-1,) + (1,) * (rows.ndim - 1)).expand_as(rows)
    shape = (num_segments + 1,) + tuple(rows.shape[1:])
    if reduction == "sum":
        out = torch.zeros(shape, dtype=rows.dtype, device=rows.device).scatter_add_(0, index, rows)
    else:
        name, identity = _SEGMENT_REDUCTIONS[reduction]
        out = torch.full(shape, identity(rows.dtype), dtype=rows.dtype, device=rows.device)
        out = out.scatter_reduce_(0, index, rows, reduce=name, include_self=True)
    return out[:num_segments]


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment_reduce(data, segment_ids, num_segments, "sum")


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment_reduce(data, segment_ids, num_segments, "max")


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment_reduce(data, segment_ids, num_segments, "min")


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment_reduce(data, segment_ids, num_segments, "prod")


def erf(x):
    return torch.erf(_float(x))


def erfc(x):
    return torch.special.erfc(_float(x))


def gammainc(x1, x2):
    return torch.special.gammainc(*_float_pair(x1, x2))


def cdist(x, y):
    # The direct formula, not torch's matrix-product shortcut, which loses precision for near points.
    return torch.cdist(*_float_pair(x, y), compute_mode="donot_use_mm_for_euclid_dist")


def erfinv(x):
    return torch.erfinv(_float(x))


def rsqrt(x):
    return torch.rsqrt(_float(x))


def logdet(x):
    return torch.linalg.slogdet(_float(x))[1]


def extract_sequences(x, sequence_length, sequence_stride):
    return _tensor(x).unfold(-1, sequence_length, sequence_stride)


def _complex(x) -> torch.Tensor:
    real, imag = _float_pair(*x)
    return torch.complex(real, imag)


def _parts(z: torch.Tensor):
    return z.real.contiguous(), z.imag.contiguous()


def fft(x):
    return _parts(torch.fft.fft(_complex(x), dim=-1))


def fft2(x):
    return _parts(torch.fft.fft2(_complex(x), dim=(-2, -1)))


def ifft2(x):
    return _parts(torch.fft.ifft2(_complex(x), dim=(-2, -1)))


def rfft(x, fft_length=None):
    return _parts(torch.fft.rfft(_float(x), n=fft_length, dim=-1))


def irfft(x, fft_length=None):
    return torch.fft.irfft(_complex(x), n=fft_length, dim=-1)


def _window(window, sequence_length, like: torch.Tensor):
    if window is None:
        return torch.ones(sequence_length, dtype=like.dtype, device=like.device)
    if isinstance(window, str):
        return _WINDOWS[window](sequence_length, periodic=True, dtype=like.dtype, device=like.device)
    return _tensor(window).to(like.dtype)


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = _float(x)
    batch = x.shape[:-1]
    spectrum = torch.stft(
        x.reshape(-1, x.shape[-1]), n_fft=fft_length, hop_length=sequence_stride, win_length=sequence_length,
        window=_window(window, sequence_length, x), center=center, pad_mode="reflect", return_complex=True,
    )
    spectrum = spectrum.transpose(-1, -2)  # torch: (batch, freq, frames); Keras: (batch, frames, freq)
    return _parts(spectrum.reshape(batch + spectrum.shape[-2:]))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    spectrum = _complex(x)
    batch = spectrum.shape[:-2]
    frames = spectrum.reshape((-1,) + spectrum.shape[-2:]).transpose(-1, -2)
    signal = torch.istft(
        frames, n_fft=fft_length, hop_length=sequence_stride, win_length=sequence_length,
        window=_window(window, sequence_length, spectrum.real), center=center, length=length,
    )
    return signal.reshape(batch + signal.shape[-1:])


def view_as_complex(x):
    x = _tensor(x).to(torch.float32)
    return torch.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = _float(x)
    if x.is_complex():
        return torch.view_as_real(x).clone()
    return torch.stack([x, torch.zeros_like(x)], dim=-1)
