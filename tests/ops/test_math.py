"""lamina.ops.math against NumPy references, and its shape rules against real results."""

import math as pymath

import numpy as np
import pytest
from spec_check import check_spec

from lamina.backend import SymbolicTensor, convert_to_numpy
from lamina.ops import math


def test_logsumexp(engine, rng):
    x = rng.normal(size=(3, 4)).astype("float32") * 50
    for axis, keepdims in [(None, False), (1, False), ((0, 1), True), (-2, True)]:
        ref = np.log(np.sum(np.exp(x.astype("float64")), axis=axis, keepdims=keepdims))
        out = math.logsumexp(x, axis=axis, keepdims=keepdims)
        np.testing.assert_allclose(convert_to_numpy(out), ref, rtol=1e-5)
        check_spec(out, math.logsumexp(SymbolicTensor(x.shape), axis=axis, keepdims=keepdims))
    assert math.logsumexp(SymbolicTensor((None, 4), "int32"), axis=-1).shape == (None,)
    check_spec(math.logsumexp(np.array([1, 2], "int32")), math.logsumexp(SymbolicTensor((2,), "int32")))


def test_logsumexp_does_not_overflow(engine):
    out = convert_to_numpy(math.logsumexp(np.array([1000.0, 1000.0], "float32")))
    np.testing.assert_allclose(out, 1000 + np.log(2), rtol=1e-6)


def test_top_k(engine, rng):
    x = rng.permutation(20).reshape(4, 5).astype("float32")
    values, indices = math.top_k(x, 3)
    ref_idx = np.argsort(-x, axis=-1)[:, :3]
    np.testing.assert_array_equal(convert_to_numpy(indices), ref_idx)
    np.testing.assert_array_equal(convert_to_numpy(values), np.take_along_axis(x, ref_idx, -1))
    check_spec((values, indices), math.top_k(SymbolicTensor((4, 5)), 3))
    assert [s.shape for s in math.top_k(SymbolicTensor((None, 5)), 2)] == [(None, 2), (None, 2)]
    with pytest.raises(ValueError, match="top_k"):
        math.top_k(SymbolicTensor((2, 5)), 6)


def test_top_k_unsorted_holds_the_same_set(engine, rng):
    x = rng.permutation(10).astype("float32")
    values, _ = math.top_k(x, 4, sorted=False)
    np.testing.assert_array_equal(np.sort(convert_to_numpy(values)), np.sort(x)[-4:])


def test_in_top_k(engine):
    predictions = np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4], [0.9, 0.05, 0.05], [np.nan, 0.2, 0.1]], "float32")
    targets = np.array([2, 1, 1, 0], "int32")
    # Ranks: 2; 2 (the tie with 0.3 counts as in); 2 (tie at 0.05); NaN is never in.
    np.testing.assert_array_equal(convert_to_numpy(math.in_top_k(targets, predictions, 1)), [False] * 4)
    np.testing.assert_array_equal(convert_to_numpy(math.in_top_k(targets, predictions, 2)), [True, True, True, False])
    check_spec(math.in_top_k(targets, predictions, 2),
                math.in_top_k(SymbolicTensor((4,), "int32"), SymbolicTensor((4, 3)), 2))
    with pytest.raises(ValueError, match="in_top_k"):
        math.in_top_k(SymbolicTensor((4, 1), "int32"), SymbolicTensor((4, 3)), 2)


def _segment_ref(data, ids, num, reduce, fill):
    out = np.full((num,) + data.shape[ids.ndim:], fill, data.dtype)
    rows = data.reshape((-1,) + data.shape[ids.ndim:])
    for i, row in zip(ids.reshape(-1), rows):
        if 0 <= i < num:
            out[i] = reduce(out[i], row)
    return out


@pytest.mark.parametrize("num_segments", [None, 3, 5])
def test_segment_sum_and_max(engine, rng, num_segments):
    data = rng.normal(size=(6, 2)).astype("float32")
    ids = np.array([0, 2, 0, 1, 2, 2], "int32")
    num = num_segments or 3
    total = math.segment_sum(data, ids, num_segments=num_segments)
    np.testing.assert_allclose(convert_to_numpy(total), _segment_ref(data, ids, num, np.add, 0), rtol=1e-6)
    largest = math.segment_max(data, ids, num_segments=num_segments)
    np.testing.assert_array_equal(convert_to_numpy(largest), _segment_ref(data, ids, num, np.maximum, -np.inf))
    spec = math.segment_sum(SymbolicTensor((6, 2)), SymbolicTensor((6,), "int32"), num_segments=num_segments)
    assert spec.shape == (num_segments, 2)
    if num_segments:
        check_spec(total, spec)


def test_segment_ops_drop_out_of_range_ids_and_take_nd_ids(engine):
    data = np.arange(12, dtype="int32").reshape(2, 3, 2)
    ids = np.array([[0, 1, -1], [1, 0, 4]], "int32")
    total = math.segment_sum(data, ids, num_segments=2)
    np.testing.assert_array_equal(convert_to_numpy(total), _segment_ref(data, ids, 2, np.add, 0))
    largest = math.segment_max(data, ids, num_segments=3)
    ref = _segment_ref(data, ids, 3, np.maximum, np.iinfo("int32").min)
    np.testing.assert_array_equal(convert_to_numpy(largest), ref)
    check_spec(largest, math.segment_max(SymbolicTensor((2, 3, 2), "int32"), SymbolicTensor((2, 3), "int32"), 3))
    with pytest.raises(ValueError, match="prefix"):
        math.segment_sum(SymbolicTensor((2, 3)), SymbolicTensor((3,), "int32"))


def test_erf_erfinv_rsqrt(engine):
    x = np.linspace(-0.99, 0.99, 11).astype("float32")
    erf = convert_to_numpy(math.erf(x))
    np.testing.assert_allclose(erf, [pymath.erf(v) for v in x.astype("float64")], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(convert_to_numpy(math.erfinv(erf)), x, rtol=1e-4, atol=1e-5)
    positive = np.array([0.25, 1.0, 4.0, 9.0], "float32")
    np.testing.assert_allclose(convert_to_numpy(math.rsqrt(positive)), 1 / np.sqrt(positive), rtol=1e-6)
    for fn in (math.erf, math.erfinv, math.rsqrt):
        check_spec(fn(positive / 10), fn(SymbolicTensor((4,))))
        check_spec(fn(np.array([0, 1], "int32")), fn(SymbolicTensor((2,), "int32")))
    assert math.erf(SymbolicTensor((2,), "float64")).dtype == "float64"


def test_logdet(engine, rng):
    a = rng.normal(size=(2, 3, 3))
    spd = a @ np.swapaxes(a, -1, -2) + 3 * np.eye(3)
    out = math.logdet(spd)
    np.testing.assert_allclose(convert_to_numpy(out), np.linalg.slogdet(spd)[1], rtol=1e-10)
    check_spec(out, math.logdet(SymbolicTensor((2, 3, 3), "float64")))
    with pytest.raises(ValueError, match="logdet"):
        math.logdet(SymbolicTensor((3, 4)))


def test_extract_sequences(engine):
    x = np.arange(20, dtype="float32").reshape(2, 10)
    out = math.extract_sequences(x, 4, 3)
    ref = np.stack([x[:, i:i + 4] for i in range(0, 7, 3)], axis=1)
    np.testing.assert_array_equal(convert_to_numpy(out), ref)
    check_spec(out, math.extract_sequences(SymbolicTensor((2, 10)), 4, 3))
    assert math.extract_sequences(SymbolicTensor((None, None)), 4, 2).shape == (None, None, 4)
    with pytest.raises(ValueError, match="extract_sequences"):
        math.extract_sequences(x, 11, 1)


def test_fft_family(engine, rng):
    real, imag = rng.normal(size=(2, 3, 8)).astype("float32")
    z = real + 1j * imag
    for fn, ref in [(math.fft, np.fft.fft(z)), (math.fft2, np.fft.fft2(z)), (math.ifft2, np.fft.ifft2(z))]:
        out = fn((real, imag))
        np.testing.assert_allclose(convert_to_numpy(out[0]), ref.real, atol=1e-4)
        np.testing.assert_allclose(convert_to_numpy(out[1]), ref.imag, atol=1e-4)
        check_spec(out, fn((SymbolicTensor((3, 8)), SymbolicTensor((3, 8)))))
    with pytest.raises(ValueError, match="fft"):
        math.fft((SymbolicTensor((3, 8)), SymbolicTensor((3, 7))))


@pytest.mark.parametrize("fft_length", [None, 6, 12])
def test_rfft_irfft(engine, rng, fft_length):
    x = rng.normal(size=(2, 8)).astype("float32")
    ref = np.fft.rfft(x, n=fft_length)
    spectrum = math.rfft(x, fft_length=fft_length)
    np.testing.assert_allclose(convert_to_numpy(spectrum[0]), ref.real, atol=1e-4)
    np.testing.assert_allclose(convert_to_numpy(spectrum[1]), ref.imag, atol=1e-4)
    check_spec(spectrum, math.rfft(SymbolicTensor((2, 8)), fft_length=fft_length))
    back = math.irfft(spectrum, fft_length=fft_length)
    np.testing.assert_allclose(convert_to_numpy(back), np.fft.irfft(ref, n=fft_length), atol=1e-5)
    check_spec(back, math.irfft(tuple(SymbolicTensor(s.shape) for s in spectrum), fft_length=fft_length))


def _stft_ref(x, sequence_length, stride, fft_length, window, center):
    if center:
        pad = fft_length // 2
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(pad, pad)], mode="reflect")
    left = (fft_length - sequence_length) // 2
    full = np.zeros(fft_length)
    full[left:left + sequence_length] = window
    starts = range(0, x.shape[-1] - fft_length + 1, stride)
    frames = np.stack([x[..., s:s + fft_length] * full for s in starts], axis=-2)
    return np.fft.rfft(frames, axis=-1)


@pytest.mark.parametrize("window,center", [("hann", True), ("hamming", False), (None, True)])
def test_stft(engine, rng, window, center):
    x = rng.normal(size=(2, 50)).astype("float32")
    n = np.arange(12)
    weights = {"hann": 0.5 - 0.5 * np.cos(2 * np.pi * n / 12),
               "hamming": 0.54 - 0.46 * np.cos(2 * np.pi * n / 12), None: np.ones(12)}[window]
    out = math.stft(x, 12, 5, 16, window=window, center=center)
    ref = _stft_ref(x.astype("float64"), 12, 5, 16, weights, center)
    np.testing.assert_allclose(convert_to_numpy(out[0]), ref.real, atol=1e-4)
    np.testing.assert_allclose(convert_to_numpy(out[1]), ref.imag, atol=1e-4)
    check_spec(out, math.stft(SymbolicTensor((2, 50)), 12, 5, 16, window=window, center=center))


def test_stft_takes_a_window_tensor_and_istft_inverts_it(engine, rng):
    x = rng.normal(size=(3, 64)).astype("float32")
    window = np.hanning(16).astype("float32") + 0.1
    spectrum = math.stft(x, 16, 4, 16, window=window)
    ref = _stft_ref(x.astype("float64"), 16, 4, 16, window, True)
    np.testing.assert_allclose(convert_to_numpy(spectrum[0]), ref.real, atol=1e-4)
    back = math.istft(spectrum, 16, 4, 16, length=64, window=window)
    np.testing.assert_allclose(convert_to_numpy(back), x, atol=1e-4)
    check_spec(back, math.istft(tuple(SymbolicTensor(s.shape) for s in spectrum), 16, 4, 16, length=64))
    symbolic = tuple(SymbolicTensor(s.shape) for s in spectrum)
    check_spec(math.istft(spectrum, 16, 4, 16), math.istft(symbolic, 16, 4, 16))
    with pytest.raises(ValueError, match="window"):
        math.stft(x, 16, 4, 16, window="blackman")
    with pytest.raises(ValueError, match="fft_length"):
        math.stft(x, 32, 4, 16)


def test_qr_and_solve_are_exported(engine):
    from lamina.ops import linalg

    assert math.qr is linalg.qr and math.solve is linalg.solve


def test_erfc_gammainc_cdist(engine):
    x = np.array([-1.0, 0.0, 0.5, 3.0], "float32")
    ref = np.array([1 - pymath.erf(v) for v in x])
    np.testing.assert_allclose(convert_to_numpy(math.erfc(x)), ref, rtol=1e-5)
    check_spec(math.erfc(np.array([1, 2], "int32")), math.erfc(SymbolicTensor((2,), "int32")))
    # P(1, x) = 1 - exp(-x); P(2, x) = 1 - (1 + x) exp(-x)
    out = math.gammainc(np.array([1.0, 2.0], "float32"), np.array([0.5, 3.0], "float32"))
    np.testing.assert_allclose(convert_to_numpy(out), [1 - np.exp(-0.5), 1 - 4 * np.exp(-3.0)], rtol=1e-5)
    a, b = np.array([[0.0, 0.0], [3.0, 4.0]], "float32"), np.array([[0.0, 0.0], [1.0, 1.0], [3.0, 0.0]], "float32")
    ref = np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1))
    np.testing.assert_allclose(convert_to_numpy(math.cdist(a, b)), ref, rtol=1e-6)
    check_spec(math.cdist(a, b), math.cdist(SymbolicTensor((2, 2)), SymbolicTensor((3, 2))))


def test_segment_min_and_prod(engine):
    data, ids = np.array([3.0, 1.0, 2.0, 5.0], "float32"), np.array([0, 0, 2, 2], "int32")
    np.testing.assert_array_equal(convert_to_numpy(math.segment_min(data, ids, num_segments=3)), [1, np.inf, 2])
    np.testing.assert_array_equal(convert_to_numpy(math.segment_prod(data, ids, num_segments=3)), [3, 1, 10])


def test_view_as_complex_and_real(engine):
    pairs = np.array([[1.0, 2.0], [3.0, -4.0]], "float32")
    z = math.view_as_complex(pairs)
    np.testing.assert_array_equal(convert_to_numpy(z), [1 + 2j, 3 - 4j])
    check_spec(z, math.view_as_complex(SymbolicTensor((2, 2))))
    back = math.view_as_real(z)
    np.testing.assert_array_equal(convert_to_numpy(back), pairs)
    check_spec(back, math.view_as_real(SymbolicTensor((2,), "complex64")))
