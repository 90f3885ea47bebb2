"""Math ops (``lamina.ops.math``, also at ``lamina.ops``): reductions, top-k, segment reductions,
special functions, framing and Fourier transforms.

Complex spectra are ``(real, imag)`` pairs of float tensors, as in Keras 3. ``qr`` and ``solve`` live in
``lamina.ops.linalg`` and are re-exported here because Keras lists them under both names.
"""

from __future__ import annotations

from lamina import backend
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops.linalg import qr, solve
from lamina.ops.op import op
from lamina.ops.spec import (
    broadcast_shapes,
    dtype_of,
    float_dtype,
    float_rule,
    matrix_shape,
    reduce_shape,
    shape_of,
)

_math = backend.math

__all__ = [
    "cdist", "erf", "erfc", "erfinv", "extract_sequences", "fft", "fft2", "gammainc", "ifft2", "in_top_k",
    "irfft", "istft", "logdet", "logsumexp", "qr", "rfft", "rsqrt", "segment_max", "segment_min",
    "segment_prod", "segment_sum", "solve", "stft", "top_k", "view_as_complex", "view_as_real",
]

_WINDOWS = ("hann", "hamming")
_REAL_OF = {"complex64": "float32", "complex128": "float64"}


# -- reductions and ranking ----------------------------------------------------------------------
def _logsumexp_rule(x, axis=None, keepdims=False):
    return SymbolicTensor(reduce_shape(shape_of(x), axis, keepdims, "logsumexp"), float_dtype(x))


@op(_logsumexp_rule)
def logsumexp(x, axis=None, keepdims: bool = False):
    """``log(sum(exp(x)))`` over ``axis`` (all axes when None), computed without overflow."""
    return _math.logsumexp(x, axis=axis, keepdims=keepdims)


def _top_k_rule(x, k, sorted=True):
    shape = shape_of(x)
    if not shape:
        raise ValueError(f"`top_k` expects a tensor of rank >= 1. Received shape {shape}.")
    if shape[-1] is not None and not 0 <= k <= shape[-1]:
        raise ValueError(f"`top_k`: k must be between 0 and the last dimension ({shape[-1]}). Received: k={k}")
    out = shape[:-1] + (k,)
    return SymbolicTensor(out, dtype_of(x)), SymbolicTensor(out, "int32")


@op(_top_k_rule)
def top_k(x, k: int, sorted: bool = True):
    """The ``k`` largest entries along the last axis and their int32 indices, largest first when ``sorted``."""
    return _math.top_k(x, k, sorted=sorted)


def _in_top_k_rule(targets, predictions, k):
    t_shape, p_shape = shape_of(targets), shape_of(predictions)
    if len(p_shape) != len(t_shape) + 1:
        raise ValueError(
            "`in_top_k` expects `predictions` of shape (..., num_classes) and `targets` of shape (...). "
            f"Received shapes targets={t_shape}, predictions={p_shape}."
        )
    return SymbolicTensor(p_shape[:-1], "bool")


@op(_in_top_k_rule)
def in_top_k(targets, predictions, k: int):
    """Whether each target's score is among the ``k`` largest of its row (ties count as in; NaN never)."""
    return _math.in_top_k(targets, predictions, k)


def _segment_rule(data, segment_ids, num_segments=None, sorted=False):
    d_shape, s_shape = shape_of(data), shape_of(segment_ids)
    prefix = d_shape[: len(s_shape)]
    if len(s_shape) > len(d_shape) or any(a is not None and b is not None and a != b for a, b in zip(prefix, s_shape)):
        raise ValueError(
            "Segment reductions expect `segment_ids` whose shape is a prefix of `data`'s shape. "
            f"Received shapes data={d_shape}, segment_ids={s_shape}."
        )
    return SymbolicTensor((num_segments,) + d_shape[len(s_shape):], dtype_of(data))


@op(_segment_rule)
def segment_sum(data, segment_ids, num_segments: int | None = None, sorted: bool = False):
    """Sum of the rows of ``data`` sharing a segment id: ``(num_segments,) + data.shape[ids.ndim:]``.

    ``num_segments`` defaults to ``max(segment_ids) + 1``; ids outside the range are dropped. ``sorted`` is
    a hint only.
    """
    return _math.segment_sum(data, segment_ids, num_segments=num_segments, sorted=sorted)


@op(_segment_rule)
def segment_max(data, segment_ids, num_segments: int | None = None, sorted: bool = False):
    """Maximum of the rows of ``data`` sharing a segment id; empty segments hold the dtype's lowest value
    (-inf for floats)."""
    return _math.segment_max(data, segment_ids, num_segments=num_segments, sorted=sorted)


@op(_segment_rule)
def segment_min(data, segment_ids, num_segments: int | None = None, sorted: bool = False):
    """Minimum of the rows of ``data`` sharing a segment id; empty segments hold the dtype's highest value
    (inf for floats)."""
    return _math.segment_min(data, segment_ids, num_segments=num_segments, sorted=sorted)


@op(_segment_rule)
def segment_prod(data, segment_ids, num_segments: int | None = None, sorted: bool = False):
    """Product of the rows of ``data`` sharing a segment id; empty segments hold 1."""
    return _math.segment_prod(data, segment_ids, num_segments=num_segments, sorted=sorted)


# -- special functions ---------------------------------------------------------------------------
@op(float_rule)
def erf(x):
    """The Gauss error function, elementwise."""
    return _math.erf(x)


@op(float_rule)
def erfc(x):
    """The complementary error function ``1 - erf(x)``, elementwise, accurate where ``erf(x)`` nears 1."""
    return _math.erfc(x)


@op(float_rule)
def erfinv(x):
    """The inverse error function, elementwise (defined on (-1, 1))."""
    return _math.erfinv(x)


@op(float_rule)
def rsqrt(x):
    """``1 / sqrt(x)``, elementwise."""
    return _math.rsqrt(x)


@op(float_rule)
def gammainc(x1, x2):
    """The regularized lower incomplete gamma function ``P(x1, x2)``, elementwise with broadcasting."""
    return _math.gammainc(x1, x2)


def _cdist_rule(x, y):
    x_shape, y_shape = shape_of(x), shape_of(y)
    if len(x_shape) < 2 or len(y_shape) < 2:
        raise ValueError(f"`cdist` expects inputs of rank >= 2. Received shapes x={x_shape}, y={y_shape}.")
    if None not in (x_shape[-1], y_shape[-1]) and x_shape[-1] != y_shape[-1]:
        raise ValueError(
            f"`cdist`: the last dimensions of `x` and `y` must match. Received shapes x={x_shape}, y={y_shape}."
        )
    batch = broadcast_shapes(x_shape[:-2], y_shape[:-2], op_name="cdist")
    return SymbolicTensor(batch + (x_shape[-2], y_shape[-2]), float_dtype(x, y))


@op(_cdist_rule)
def cdist(x, y):
    """Euclidean distances between the rows of ``x (..., P, M)`` and ``y (..., R, M)``: ``(..., P, R)``."""
    return _math.cdist(x, y)


def _logdet_rule(x):
    return SymbolicTensor(matrix_shape(x, "logdet", square=True)[:-2], float_dtype(x))


@op(_logdet_rule)
def logdet(x):
    """Log of the (absolute) determinant of square matrices; meant for Hermitian positive-definite ones."""
    return _math.logdet(x)


# -- framing -------------------------------------------------------------------------------------
def _num_frames(length, frame_length, stride, op_name):
    if length is None:
        return None
    if frame_length > length:
        raise ValueError(
            f"`{op_name}`: the frame length ({frame_length}) is longer than the signal ({length})."
        )
    return 1 + (length - frame_length) // stride


def _extract_sequences_rule(x, sequence_length, sequence_stride):
    shape = shape_of(x)
    if not shape:
        raise ValueError(f"`extract_sequences` expects a tensor of rank >= 1. Received shape {shape}.")
    frames = _num_frames(shape[-1], sequence_length, sequence_stride, "extract_sequences")
    return SymbolicTensor(shape[:-1] + (frames, sequence_length), dtype_of(x))


@op(_extract_sequences_rule)
def extract_sequences(x, sequence_length: int, sequence_stride: int):
    """Frames of ``sequence_length`` taken every ``sequence_stride`` along the last axis:
    ``(..., num_frames, sequence_length)``."""
    _extract_sequences_rule(x, sequence_length, sequence_stride)
    return _math.extract_sequences(x, sequence_length, sequence_stride)


# -- Fourier transforms --------------------------------------------------------------------------
def _pair_shape(x, op_name: str, min_rank: int = 1) -> tuple:
    """The shape shared by the ``(real, imag)`` parts of a complex argument."""
    if not isinstance(x, (list, tuple)) or len(x) != 2:
        raise ValueError(f"`{op_name}` expects a tuple (real, imag) of two tensors. Received: {x!r}")
    real, imag = shape_of(x[0]), shape_of(x[1])
    if real != imag or len(real) < min_rank:
        raise ValueError(
            f"`{op_name}` expects real and imaginary parts of one shape and rank >= {min_rank}. Received "
            f"shapes {real} and {imag}."
        )
    return real


def _pair_rule(op_name: str, min_rank: int):
    def rule(x):
        shape, dtype = _pair_shape(x, op_name, min_rank), float_dtype(*x)
        return SymbolicTensor(shape, dtype), SymbolicTensor(shape, dtype)

    return rule


@op(_pair_rule("fft", 1))
def fft(x):
    """Discrete Fourier transform along the last axis of ``x = (real, imag)``; returns ``(real, imag)``."""
    return _math.fft(x)


@op(_pair_rule("fft2", 2))
def fft2(x):
    """2-D discrete Fourier transform over the last two axes of ``x = (real, imag)``."""
    return _math.fft2(x)


@op(_pair_rule("ifft2", 2))
def ifft2(x):
    """Inverse 2-D discrete Fourier transform over the last two axes of ``x = (real, imag)``."""
    return _math.ifft2(x)


def _rfft_rule(x, fft_length=None):
    shape = shape_of(x)
    if not shape:
        raise ValueError(f"`rfft` expects a tensor of rank >= 1. Received shape {shape}.")
    n = fft_length if fft_length is not None else shape[-1]
    bins = None if n is None else n // 2 + 1
    dtype = float_dtype(x)
    return SymbolicTensor(shape[:-1] + (bins,), dtype), SymbolicTensor(shape[:-1] + (bins,), dtype)


@op(_rfft_rule)
def rfft(x, fft_length: int | None = None):
    """Fourier transform of a real signal along its last axis: the ``fft_length // 2 + 1`` non-negative
    frequencies as ``(real, imag)``. The signal is cut or zero-padded to ``fft_length``."""
    return _math.rfft(x, fft_length=fft_length)


def _irfft_rule(x, fft_length=None):
    shape = _pair_shape(x, "irfft")
    n = fft_length if fft_length is not None else (None if shape[-1] is None else 2 * (shape[-1] - 1))
    return SymbolicTensor(shape[:-1] + (n,), float_dtype(*x))


@op(_irfft_rule)
def irfft(x, fft_length: int | None = None):
    """Inverse of ``rfft``: a real signal of ``fft_length`` samples (default ``2 * (bins - 1)``)."""
    return _math.irfft(x, fft_length=fft_length)


def _check_stft_args(op_name, sequence_length, fft_length, window):
    if isinstance(window, str) and window not in _WINDOWS:
        raise ValueError(
            f"`{op_name}`: invalid window. Expected one of {_WINDOWS}, a tensor or None. Received: window={window!r}"
        )
    if sequence_length > fft_length:
        raise ValueError(
            f"`{op_name}`: `sequence_length` must not exceed `fft_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}"
        )


def _stft_rule(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    _check_stft_args("stft", sequence_length, fft_length, window)
    shape = shape_of(x)
    if not shape:
        raise ValueError(f"`stft` expects a tensor of rank >= 1. Received shape {shape}.")
    length = shape[-1]
    if center and length is not None:
        length += 2 * (fft_length // 2)
    out = shape[:-1] + (_num_frames(length, fft_length, sequence_stride, "stft"), fft_length // 2 + 1)
    dtype = float_dtype(x)
    return SymbolicTensor(out, dtype), SymbolicTensor(out, dtype)


@op(_stft_rule)
def stft(x, sequence_length: int, sequence_stride: int, fft_length: int, window="hann", center: bool = True):
    """Short-time Fourier transform of real signals along the last axis: ``(real, imag)`` of shape
    ``(..., num_frames, fft_length // 2 + 1)``.

    Frames of ``sequence_length`` every ``sequence_stride`` samples are multiplied by ``window`` ("hann",
    "hamming", a tensor of ``sequence_length`` or None), centred in ``fft_length``; ``center`` pads the
    signal by ``fft_length // 2`` on both sides by reflection.
    """
    _check_stft_args("stft", sequence_length, fft_length, window)
    return _math.stft(x, sequence_length, sequence_stride, fft_length, window=window, center=center)


def _istft_rule(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    _check_stft_args("istft", sequence_length, fft_length, window)
    shape = _pair_shape(x, "istft", min_rank=2)
    if length is None and shape[-2] is not None:
        length = fft_length + sequence_stride * (shape[-2] - 1) - (2 * (fft_length // 2) if center else 0)
    return SymbolicTensor(shape[:-2] + (length,), float_dtype(*x))


@op(_istft_rule)
def istft(x, sequence_length: int, sequence_stride: int, fft_length: int, length: int | None = None,
          window="hann", center: bool = True):
    """Inverse of ``stft``: overlap-add of the inverse transforms of ``x = (real, imag)``, normalised by the
    summed squared window; ``length`` trims or pads the result."""
    _check_stft_args("istft", sequence_length, fft_length, window)
    return _math.istft(x, sequence_length, sequence_stride, fft_length, length=length, window=window, center=center)


# -- complex views -------------------------------------------------------------------------------
def _view_as_complex_rule(x):
    shape = shape_of(x)
    if not shape or shape[-1] != 2:
        raise ValueError(
            "`view_as_complex` expects a last dimension of size 2 (real, imaginary). "
            f"Received shape {shape}."
        )
    return SymbolicTensor(shape[:-1], "complex64")


@op(_view_as_complex_rule)
def view_as_complex(x):
    """A complex64 tensor from the ``(..., 2)`` pairs ``(real, imaginary)`` of ``x``."""
    _view_as_complex_rule(x)
    return _math.view_as_complex(x)


def _view_as_real_rule(x):
    dtype = float_dtype(x)
    return SymbolicTensor(shape_of(x) + (2,), _REAL_OF.get(dtype, dtype))


@op(_view_as_real_rule)
def view_as_real(x):
    """The ``(..., 2)`` pairs ``(real, imaginary)`` of a (complex) tensor."""
    return _math.view_as_real(x)
