"""JAX implementations of ``lamina.ops.math``.

Complex spectra cross the op boundary as ``(real, imag)`` pairs of float arrays, as in Keras 3. ``stft`` and
``istft`` follow torch's conventions (centred reflect padding, the window centred in ``fft_length``), so
both engines give the same numbers.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from lamina.backend.jax.numpy import _float, _float_pair, _tensor

# Periodic windows: w[n] = a - (1 - a) * cos(2 pi n / N).
_WINDOWS = {"hann": 0.5, "hamming": 0.54}


def logsumexp(x, axis=None, keepdims=False):
    return jax.scipy.special.logsumexp(_float(x), axis=axis, keepdims=keepdims)


def top_k(x, k, sorted=True):
    values, indices = jax.lax.top_k(_tensor(x), k)
    return values, indices.astype(jnp.int32)


def in_top_k(targets, predictions, k):
    predictions = _tensor(predictions)
    targets = _tensor(targets).astype(jnp.int32)
    at_target = jnp.take_along_axis(predictions, targets[..., None], axis=-1)
    if jnp.issubdtype(at_target.dtype, jnp.floating):
        # A NaN score ranks last, never in the top k.
        at_target = jnp.where(jnp.isnan(at_target), -jnp.inf, at_target)
    rank = 1 + jnp.sum(predictions > at_target, axis=-1)
    return rank <= k


def _segment_reduce(reduce, data, segment_ids, num_segments):
    """Reduce the rows of ``data`` that share a segment id; ids outside [0, num_segments) are dropped."""
    data, ids = _tensor(data), _tensor(segment_ids)
    rows = data.reshape((-1,) + tuple(data.shape[ids.ndim:]))
    ids = ids.reshape(-1)
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.size else 0
    return reduce(rows, ids, num_segments=num_segments)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment_reduce(jax.ops.segment_sum, data, segment_ids, num_segments)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment_reduce(jax.ops.segment_max, data, segment_ids, num_segments)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment_reduce(jax.ops.segment_min, data, segment_ids, num_segments)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment_reduce(jax.ops.segment_prod, data, segment_ids, num_segments)


def erf(x):
    return jax.scipy.special.erf(_float(x))


def erfc(x):
    return jax.scipy.special.erfc(_float(x))


def gammainc(x1, x2):
    return jax.scipy.special.gammainc(*_float_pair(x1, x2))


def cdist(x, y):
    x, y = _float_pair(x, y)
    return jnp.sqrt(jnp.sum(jnp.square(x[..., :, None, :] - y[..., None, :, :]), axis=-1))


def erfinv(x):
    return jax.scipy.special.erfinv(_float(x))


def rsqrt(x):
    return jax.lax.rsqrt(_float(x))


def logdet(x):
    return jnp.linalg.slogdet(_float(x))[1]


def extract_sequences(x, sequence_length, sequence_stride):
    x = _tensor(x)
    count = 1 + (x.shape[-1] - sequence_length) // sequence_stride
    index = np.arange(count)[:, None] * sequence_stride + np.arange(sequence_length)[None, :]
    return x[..., index]


def _complex(x):
    real, imag = _float_pair(*x)
    return jax.lax.complex(real, imag)


def _parts(z):
    return jnp.real(z), jnp.imag(z)


def fft(x):
    return _parts(jnp.fft.fft(_complex(x), axis=-1))


def fft2(x):
    return _parts(jnp.fft.fft2(_complex(x), axes=(-2, -1)))


def ifft2(x):
    return _parts(jnp.fft.ifft2(_complex(x), axes=(-2, -1)))


def rfft(x, fft_length=None):
    return _parts(jnp.fft.rfft(_float(x), n=fft_length, axis=-1))


def irfft(x, fft_length=None):
    return jnp.fft.irfft(_complex(x), n=fft_length, axis=-1)


def _frame_window(window, sequence_length, fft_length, dtype):
    """The window (ones when None) of ``sequence_length`` samples, zero-padded to ``fft_length``, centred."""
    if window is None:
        weights = jnp.ones(sequence_length, dtype=dtype)
    elif isinstance(window, str):
        a = _WINDOWS[window]
        weights = (a - (1 - a) * jnp.cos(2 * np.pi * jnp.arange(sequence_length, dtype=dtype) / sequence_length))
    else:
        weights = _tensor(window).astype(dtype)
    left = (fft_length - sequence_length) // 2
    return jnp.pad(weights, (left, fft_length - sequence_length - left))


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = _float(x)
    if center:
        pad = fft_length // 2
        x = jnp.pad(x, [(0, 0)] * (x.ndim - 1) + [(pad, pad)], mode="reflect")
    frames = extract_sequences(x, fft_length, sequence_stride)
    frames = frames * _frame_window(window, sequence_length, fft_length, x.dtype)
    return _parts(jnp.fft.rfft(frames, n=fft_length, axis=-1))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """Overlap-add of the windowed inverse frames, divided by the overlapped squared window."""
    frames = jnp.fft.irfft(_complex(x), n=fft_length, axis=-1)
    weights = _frame_window(window, sequence_length, fft_length, frames.dtype)
    count = frames.shape[-2]
    total = fft_length + sequence_stride * (count - 1)
    index = (np.arange(count)[:, None] * sequence_stride + np.arange(fft_length)[None, :]).reshape(-1)
    batch = frames.shape[:-2]
    signal = jnp.zeros(batch + (total,), frames.dtype).at[..., index].add(
        (frames * weights).reshape(batch + (-1,)))
    envelope = jnp.zeros((total,), frames.dtype).at[index].add(jnp.tile(weights * weights, count))
    signal = signal / jnp.where(envelope > 1e-11, envelope, 1.0)
    start = fft_length // 2 if center else 0
    if length is None:
        end = total - fft_length // 2 if center else total
    else:
        end = start + length
        if end > total:
            signal = jnp.pad(signal, [(0, 0)] * len(batch) + [(0, end - total)])
    return signal[..., start:end]


def view_as_complex(x):
    x = _tensor(x).astype(jnp.float32)
    return jax.lax.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = _float(x)
    return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
