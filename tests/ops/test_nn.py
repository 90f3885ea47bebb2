"""lamina.ops.nn against NumPy references: activations, convolutions, pooling, encodings, statistics, losses.

Convolution and pooling references are written out with explicit TF/Keras "same" padding (the odd extra
cell goes last), so asymmetric padding is checked, not assumed. Every op's shape rule is checked against
the eager result with an unknown batch dimension.
"""

import itertools
import math

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.backend import SymbolicTensor, convert_to_numpy

SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805
_erf = np.vectorize(math.erf)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(x))


def symbolic_like(x, batched=True):
    """A symbolic tensor standing for array ``x``, its first dimension unknown when ``batched``."""
    shape = np.shape(x)
    return SymbolicTensor((None,) + shape[1:] if batched else shape, np.asarray(x).dtype)


def assert_spec_matches(result, spec):
    """The shape rule's output equals the eager result's shape (batch unknown) and dtype."""
    assert spec.shape == (None,) + tuple(result.shape)[1:]
    assert spec.dtype == lamina.backend.standardize_dtype(result.dtype)


# -- elementwise activations ----------------------------------------------------------------------
ELEMENTWISE = [
    ("relu", {}, lambda x: np.maximum(x, 0)),
    ("relu6", {}, lambda x: np.clip(x, 0, 6)),
    ("sigmoid", {}, _sigmoid),
    ("sparse_sigmoid", {}, lambda x: np.clip((x + 1) / 2, 0, 1)),
    ("softplus", {}, _softplus),
    ("softsign", {}, lambda x: x / (1 + np.abs(x))),
    ("silu", {}, lambda x: x * _sigmoid(x)),
    ("swish", {}, lambda x: x * _sigmoid(x)),
    ("log_sigmoid", {}, lambda x: -np.log1p(np.exp(-x))),
    ("leaky_relu", {}, lambda x: np.where(x >= 0, x, 0.2 * x)),
    ("leaky_relu", {"negative_slope": 0.05}, lambda x: np.where(x >= 0, x, 0.05 * x)),
    ("hard_sigmoid", {}, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    ("hard_silu", {}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    ("hard_swish", {}, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    ("elu", {}, lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    ("elu", {"alpha": 0.5}, lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
    ("selu", {}, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1))),
    ("gelu", {}, lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))),
    ("gelu", {"approximate": False}, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    ("celu", {"alpha": 0.5}, lambda x: np.where(x > 0, x, 0.5 * (np.exp(x / 0.5) - 1))),
    ("hard_tanh", {}, lambda x: np.clip(x, -1, 1)),
    ("hard_shrink", {}, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    ("hard_shrink", {"threshold": 1.5}, lambda x: np.where(np.abs(x) > 1.5, x, 0)),
    ("soft_shrink", {"threshold": 1.0}, lambda x: np.where(x > 1, x - 1, np.where(x < -1, x + 1, 0))),
    ("tanh_shrink", {}, lambda x: x - np.tanh(x)),
    ("squareplus", {}, lambda x: (x + np.sqrt(x**2 + 4)) / 2),
    ("squareplus", {"b": 1}, lambda x: (x + np.sqrt(x**2 + 1)) / 2),
    ("sparse_plus", {}, lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4))),
    ("threshold", {"threshold": 0.5, "default_value": -2.0}, lambda x: np.where(x > 0.5, x, -2.0)),
    ("mish", {}, lambda x: x * np.tanh(_softplus(x))),
]


@pytest.mark.parametrize("name,kwargs,reference", ELEMENTWISE, ids=[f"{n}-{k}" for n, k, _ in ELEMENTWISE])
def test_elementwise_activation_matches_numpy(engine, rng, name, kwargs, reference):
    x = (rng.normal(size=(3, 8)) * 3).astype("float32")
    x[0, :4] = [-3.0, -1.0, 1.0, 3.0]  # breakpoints of the piecewise activations
    fn = getattr(ops.nn, name)
    result = fn(x, **kwargs)
    np.testing.assert_allclose(convert_to_numpy(result), reference(x.astype("float64")), rtol=1e-5, atol=1e-6)
    assert_spec_matches(result, fn(symbolic_like(x), **kwargs))
    assert getattr(ops, name) is fn


@pytest.mark.parametrize("name,kwargs", [(n, k) for n, k, _ in ELEMENTWISE])
def test_activation_dtypes(engine, name, kwargs):
    fn = getattr(ops.nn, name)
    for dtype in ("float64", "int32"):
        x = np.array([[-2, 0, 3]], dtype=dtype)
        result = fn(x, **kwargs)
        expected = dtype if dtype == "float64" or name == "relu" else "float32"  # relu alone keeps ints
        assert lamina.backend.standardize_dtype(result.dtype) == expected
        assert_spec_matches(result, fn(symbolic_like(x), **kwargs))


def test_keras_documented_values(engine):
    close = np.testing.assert_allclose
    close(convert_to_numpy(ops.hard_silu(np.array([-3.0, -1.0, 0.0, 1.0, 3.0]))),
          [0.0, -0.3333333, 0.0, 0.6666667, 3.0], atol=1e-6)
    close(convert_to_numpy(ops.softmax(np.array([-1.0, 0.0, 1.0]))), [0.09003057, 0.24472847, 0.66524096], atol=1e-7)
    close(convert_to_numpy(ops.log_softmax(np.array([-1.0, 0.0, 1.0]))), [-2.40760596, -1.40760596, -0.40760596],
          atol=1e-7)
    close(convert_to_numpy(ops.glu(np.array([-1.0, 0.0, 1.0, 1.0]))), [-0.73105858, 0.0], atol=1e-7)
    close(convert_to_numpy(ops.sparsemax(np.array([-1.0, 0.0, 1.0]))), [0.0, 0.0, 1.0])
    close(convert_to_numpy(ops.sparsemax(np.array([0.5, 0.2, -1.0]))), [0.65, 0.35, 0.0], atol=1e-7)
    close(convert_to_numpy(ops.sparse_plus(np.array([-1.0, 0.0, 1.0]))), [0.0, 0.25, 1.0])


# -- activations along an axis --------------------------------------------------------------------
def _np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 0, 1, (1, 2), (0, 2)])
def test_softmax_and_log_softmax(engine, rng, axis):
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    expected = _np_softmax(x.astype("float64"), axis)
    result = ops.softmax(x, axis=axis)
    np.testing.assert_allclose(convert_to_numpy(result), expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(convert_to_numpy(ops.log_softmax(x, axis=axis)), np.log(expected), rtol=1e-5, atol=1e-6)
    assert_spec_matches(result, ops.softmax(symbolic_like(x), axis=axis))


def _np_sparsemax(x, axis):
    x = np.moveaxis(x, axis, -1)
    z = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1)
    cumulative = np.cumsum(z, axis=-1)
    support = (1 + k * z > cumulative).sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, support - 1, axis=-1) - 1) / support
    return np.moveaxis(np.maximum(x - tau, 0), -1, axis)


@pytest.mark.parametrize("axis", [-1, 1])
def test_sparsemax(engine, rng, axis):
    x = rng.normal(size=(4, 5, 3)).astype("float32")
    result = convert_to_numpy(ops.sparsemax(x, axis=axis))
    np.testing.assert_allclose(result, _np_sparsemax(x.astype("float64"), axis), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(result.sum(axis=axis), 1.0, rtol=1e-5)
    assert (result == 0).any()


@pytest.mark.parametrize("axis", [-1, 1])
def test_glu(engine, rng, axis):
    x = rng.normal(size=(2, 4, 6)).astype("float32")
    a, b = np.split(x.astype("float64"), 2, axis=axis)
    result = ops.glu(x, axis=axis)
    np.testing.assert_allclose(convert_to_numpy(result), a * _sigmoid(b), rtol=1e-5, atol=1e-7)
    assert_spec_matches(result, ops.glu(symbolic_like(x), axis=axis))
    with pytest.raises(ValueError, match="even"):
        ops.glu(SymbolicTensor((None, 5)))


# -- convolution ----------------------------------------------------------------------------------
def _expand(value, n):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


def _same_pads(sizes, spans, strides):
    """TF "same" padding: output ceil(size / stride); an odd total puts the extra cell after."""
    pads = []
    for size, span, stride in zip(sizes, spans, strides):
        total = max((-(-size // stride) - 1) * stride + span - size, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def np_conv(x, kernel, strides=1, padding="valid", dilation_rate=1):
    """Channels-last N-D (grouped) convolution, summed kernel tap by kernel tap, in float64."""
    x, kernel = x.astype("float64"), kernel.astype("float64")
    n = x.ndim - 2
    strides, dilation = _expand(strides, n), _expand(dilation_rate, n)
    spans = [(k - 1) * d + 1 for k, d in zip(kernel.shape[:n], dilation)]
    if padding == "same":
        x = np.pad(x, [(0, 0)] + _same_pads(x.shape[1:-1], spans, strides) + [(0, 0)])
    out = [(size - span) // s + 1 for size, span, s in zip(x.shape[1:-1], spans, strides)]
    c_in, c_out = kernel.shape[-2:]
    groups = x.shape[-1] // c_in
    per_group = c_out // groups
    result = np.zeros((x.shape[0], *out, c_out))
    for tap in np.ndindex(*kernel.shape[:n]):
        window = tuple(slice(t * d, t * d + (m - 1) * s + 1, s) for t, d, m, s in zip(tap, dilation, out, strides))
        patch = x[(slice(None),) + window]
        for g in range(groups):
            outs = slice(g * per_group, (g + 1) * per_group)
            result[..., outs] += patch[..., g * c_in:(g + 1) * c_in] @ kernel[tap][:, outs]
    return result


def _to_first(x):
    return np.moveaxis(x, -1, 1)


def _run_both_formats(fn, reference, x, *args, **kwargs):
    """Run ``fn`` on channels-last and channels-first input; both must match the channels-last reference."""
    last = fn(x, *args, data_format="channels_last", **kwargs)
    np.testing.assert_allclose(convert_to_numpy(last), reference, rtol=1e-4, atol=1e-5)
    first = fn(_to_first(x), *args, data_format="channels_first", **kwargs)
    np.testing.assert_allclose(convert_to_numpy(first), _to_first(reference), rtol=1e-4, atol=1e-5)
    return last


CONV_CASES = [  # spatial, kernel spatial, in, out, strides, padding, dilation
    ((7,), (3,), 2, 3, 2, "same", 1),
    ((8,), (4,), 2, 3, 2, "same", 1),
    ((9,), (3,), 2, 2, 1, "same", 2),
    ((9,), (2,), 3, 2, 3, "valid", 1),
    ((6, 7), (2, 3), 3, 4, (2, 1), "same", 1),
    ((5, 5), (4, 4), 2, 3, 2, "same", 1),
    ((5, 6), (2, 2), 2, 2, 2, "same", 1),
    ((7, 7), (3, 3), 2, 3, 1, "valid", 2),
    ((6, 5), (3, 2), 2, 3, (1, 2), "valid", 1),
    ((4, 5, 4), (2, 3, 2), 2, 3, 2, "same", 1),
    ((5, 4, 4), (3, 2, 2), 2, 2, 1, "valid", 1),
]


@pytest.mark.parametrize("spatial,ksize,c_in,c_out,strides,padding,dilation", CONV_CASES)
def test_conv_matches_numpy(engine, rng, spatial, ksize, c_in, c_out, strides, padding, dilation):
    x = rng.normal(size=(2, *spatial, c_in)).astype("float32")
    kernel = rng.normal(size=(*ksize, c_in, c_out)).astype("float32")
    expected = np_conv(x, kernel, strides, padding, dilation)
    result = _run_both_formats(ops.conv, expected, x, kernel, strides=strides, padding=padding,
                               dilation_rate=dilation)
    spec = ops.conv(symbolic_like(x), symbolic_like(kernel, batched=False), strides=strides, padding=padding,
                    data_format="channels_last", dilation_rate=dilation)
    assert_spec_matches(result, spec)


def test_conv_grouped(engine, rng):
    x = rng.normal(size=(2, 6, 6, 4)).astype("float32")
    kernel = rng.normal(size=(3, 3, 2, 6)).astype("float32")  # 2 groups of 2 input channels
    expected = np_conv(x, kernel, 2, "same")
    _run_both_formats(ops.conv, expected, x, kernel, strides=2, padding="same")


def test_conv_same_padding_puts_the_odd_cell_last(engine):
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype="float32").reshape(1, 5, 1)
    kernel = np.ones((2, 1, 1), dtype="float32")
    result = ops.conv(x, kernel, strides=2, padding="same", data_format="channels_last")
    np.testing.assert_allclose(convert_to_numpy(result).ravel(), [3.0, 7.0, 5.0])


def test_conv_uses_the_configured_data_format(engine, rng):
    x = rng.normal(size=(1, 2, 5, 5)).astype("float32")
    kernel = rng.normal(size=(3, 3, 2, 4)).astype("float32")
    lamina.config.set_image_data_format("channels_first")
    result = ops.conv(x, kernel)
    assert tuple(result.shape) == (1, 4, 3, 3)
    np.testing.assert_allclose(convert_to_numpy(result), _to_first(np_conv(np.moveaxis(x, 1, -1), kernel)),
                               rtol=1e-4, atol=1e-5)


def np_depthwise_conv(x, kernel, strides=1, padding="valid", dilation_rate=1):
    """Each input channel convolved alone with its ``multiplier`` filters: output channel ``c * m + j``."""
    outputs = [np_conv(x[..., c:c + 1], kernel[..., c:c + 1, :], strides, padding, dilation_rate)
               for c in range(x.shape[-1])]
    return np.concatenate(outputs, axis=-1)


@pytest.mark.parametrize("spatial,ksize,strides,padding,dilation", [
    ((7,), (3,), 2, "same", 1),
    ((6, 6), (2, 2), 2, "same", 1),
    ((7, 6), (3, 3), 1, "valid", 2),
    ((4, 4, 4), (2, 2, 2), 1, "same", 1),
])
def test_depthwise_and_separable_conv(engine, rng, spatial, ksize, strides, padding, dilation):
    x = rng.normal(size=(2, *spatial, 3)).astype("float32")
    depthwise = rng.normal(size=(*ksize, 3, 2)).astype("float32")
    pointwise = rng.normal(size=(*(1,) * len(spatial), 6, 4)).astype("float32")
    expected = np_depthwise_conv(x, depthwise, strides, padding, dilation)
    result = _run_both_formats(ops.depthwise_conv, expected, x, depthwise, strides=strides, padding=padding,
                               dilation_rate=dilation)
    assert_spec_matches(result, ops.depthwise_conv(symbolic_like(x), depthwise, strides, padding,
                                                   "channels_last", dilation))
    expected = np_conv(expected, pointwise)
    result = _run_both_formats(ops.separable_conv, expected, x, depthwise, pointwise, strides=strides,
                               padding=padding, dilation_rate=dilation)
    assert_spec_matches(result, ops.separable_conv(symbolic_like(x), depthwise, pointwise, strides, padding,
                                                   "channels_last", dilation))


def test_conv_transpose_hand_computed(engine):
    x = np.array([1.0, 2.0], dtype="float32").reshape(1, 2, 1)
    kernel = np.ones((3, 1, 1), dtype="float32")
    valid = ops.conv_transpose(x, kernel, strides=2, padding="valid", data_format="channels_last")
    same = ops.conv_transpose(x, kernel, strides=2, padding="same", data_format="channels_last")
    np.testing.assert_allclose(convert_to_numpy(valid).ravel(), [1.0, 1.0, 3.0, 2.0, 2.0])
    np.testing.assert_allclose(convert_to_numpy(same).ravel(), [1.0, 1.0, 3.0, 2.0])


CONV_TRANSPOSE_CASES = [  # spatial, kernel spatial, strides, padding, output_padding, dilation
    ((4,), (3,), 2, "same", None, 1),
    ((4,), (4,), 2, "same", None, 1),
    ((5,), (2,), 3, "same", None, 1),
    ((4,), (3,), 2, "valid", None, 1),
    ((4,), (2,), 3, "valid", None, 1),
    ((4,), (3,), 1, "same", None, 2),
    ((4,), (3,), 2, "same", 0, 1),
    ((4,), (4,), 2, "same", 1, 1),
    ((4,), (3,), 3, "valid", 2, 1),
    ((3, 4), (3, 2), (2, 1), "same", None, 1),
    ((3, 3), (4, 3), 2, "valid", None, 1),
    ((2, 3, 2), (2, 3, 3), 2, "same", None, 1),
]


@pytest.mark.parametrize("spatial,ksize,strides,padding,output_padding,dilation", CONV_TRANSPOSE_CASES)
def test_conv_transpose_is_the_adjoint_of_conv(engine, rng, spatial, ksize, strides, padding, output_padding,
                                               dilation):
    """<conv(x, K), z> == <x, conv_transpose(z, K)>: the transpose crops where conv pads."""
    kernel = rng.normal(size=(*ksize, 2, 3)).astype("float32")  # conv: 2 -> 3 channels; transpose: 3 -> 2
    z = rng.normal(size=(2, *spatial, 3)).astype("float32")
    kwargs = dict(strides=strides, padding=padding, dilation_rate=dilation)
    transposed = ops.conv_transpose(z, kernel, output_padding=output_padding, data_format="channels_last", **kwargs)
    spec = ops.conv_transpose(symbolic_like(z), kernel, output_padding=output_padding,
                              data_format="channels_last", **kwargs)
    assert_spec_matches(transposed, spec)
    transposed = convert_to_numpy(transposed).astype("float64")
    x = rng.normal(size=transposed.shape).astype("float32")
    forward = np_conv(x, kernel, strides, padding, dilation)
    assert forward.shape == z.shape
    np.testing.assert_allclose(np.sum(forward * z), np.sum(x * transposed), rtol=1e-4)
    first = ops.conv_transpose(_to_first(z), kernel, output_padding=output_padding, data_format="channels_first",
                               **kwargs)
    np.testing.assert_allclose(convert_to_numpy(first), _to_first(transposed), rtol=1e-4, atol=1e-5)


# -- pooling --------------------------------------------------------------------------------------
def np_pool(x, pool_size, strides, padding, reduce):
    """Channels-last pooling; "same" windows see only the cells inside the input."""
    n = x.ndim - 2
    pool_size = _expand(pool_size, n)
    strides = pool_size if strides is None else _expand(strides, n)
    x = x.astype("float64")
    if padding == "same":
        x = np.pad(x, [(0, 0)] + _same_pads(x.shape[1:-1], pool_size, strides) + [(0, 0)], constant_values=np.nan)
    out = [(size - p) // s + 1 for size, p, s in zip(x.shape[1:-1], pool_size, strides)]
    result = np.empty((x.shape[0], *out, x.shape[-1]))
    for index in np.ndindex(*out):
        window = x[(slice(None),) + tuple(slice(i * s, i * s + p) for i, s, p in zip(index, strides, pool_size))]
        result[(slice(None),) + index] = reduce(window.reshape(x.shape[0], -1, x.shape[-1]), axis=1)
    return result


POOL_CASES = [  # spatial, pool_size, strides, padding
    ((7,), 2, None, "same"),
    ((7,), 3, 2, "valid"),
    ((5, 6), (3, 3), (2, 2), "same"),
    ((5, 5), 3, 2, "same"),
    ((6, 6), 2, None, "same"),
    ((6, 5), (2, 3), 1, "valid"),
    ((4, 5, 4), 2, None, "same"),
    ((4, 4, 4), 2, 1, "valid"),
]


@pytest.mark.parametrize("spatial,pool_size,strides,padding", POOL_CASES)
@pytest.mark.parametrize("name,reduce", [("max_pool", np.nanmax), ("average_pool", np.nanmean)])
def test_pooling_matches_numpy(engine, rng, spatial, pool_size, strides, padding, name, reduce):
    x = rng.normal(size=(2, *spatial, 3)).astype("float32")
    fn = getattr(ops, name)
    expected = np_pool(x, pool_size, strides, padding, reduce)
    result = _run_both_formats(fn, expected, x, pool_size, strides=strides, padding=padding)
    assert_spec_matches(result, fn(symbolic_like(x), pool_size, strides, padding, "channels_last"))


# -- shape rule validation ------------------------------------------------------------------------
def test_image_op_shape_errors(engine):
    x = SymbolicTensor((None, 8, 8, 3))
    with pytest.raises(ValueError, match="rank 4"):
        ops.conv(x, SymbolicTensor((3, 3, 4)))
    with pytest.raises(ValueError, match="padding"):
        ops.conv(x, SymbolicTensor((3, 3, 3, 4)), padding="full")
    with pytest.raises(ValueError, match="does not fit"):
        ops.conv(x, SymbolicTensor((9, 9, 3, 4)), data_format="channels_last")
    with pytest.raises(ValueError, match="input channels"):
        ops.conv(x, SymbolicTensor((3, 3, 2, 4)), data_format="channels_last")
    with pytest.raises(ValueError, match="strides"):
        ops.max_pool(x, 2, strides=(1, 2, 3), data_format="channels_last")
    with pytest.raises(ValueError, match="rank 3, 4 or 5"):
        ops.average_pool(SymbolicTensor((None, 4)), 2)


# -- encodings ------------------------------------------------------------------------------------
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot(engine, axis):
    labels = np.array([[0, 2], [3, 1]], dtype="int32")
    expected = np.moveaxis(np.eye(4, dtype="float32")[labels], -1, axis)
    result = ops.one_hot(labels, 4, axis=axis)
    np.testing.assert_array_equal(convert_to_numpy(result), expected)
    spec = ops.one_hot(symbolic_like(labels), 4, axis=axis)
    assert spec.shape == tuple(None if d == 2 and i == (0 if axis else 1) else d for i, d in enumerate(result.shape))
    assert spec.dtype == "float32"


def test_one_hot_out_of_range_and_dtype(engine):
    result = ops.one_hot(np.array([1, -1, 5]), 3, dtype="int32")
    np.testing.assert_array_equal(convert_to_numpy(result), [[0, 1, 0], [0, 0, 0], [0, 0, 0]])
    assert lamina.backend.standardize_dtype(result.dtype) == "int32"


def test_multi_hot(engine):
    labels = np.array([[0, 3, 3], [1, 2, 0]], dtype="int32")
    result = ops.multi_hot(labels, num_classes=5)
    np.testing.assert_array_equal(convert_to_numpy(result), [[1, 0, 0, 1, 0], [1, 1, 1, 0, 0]])
    assert_spec_matches(result, ops.multi_hot(symbolic_like(labels), 5))
    np.testing.assert_array_equal(convert_to_numpy(ops.multi_hot(np.array([0, 4]), num_tokens=5)), [1, 0, 0, 0, 1])
    with pytest.raises(ValueError, match="num_classes"):
        ops.multi_hot(labels)


# -- statistics and normalization -----------------------------------------------------------------
@pytest.mark.parametrize("axes,keepdims", [([0], False), ([0, 2], True), (1, False)])
def test_moments(engine, rng, axes, keepdims):
    x = rng.normal(size=(4, 3, 5)).astype("float32")
    mean, variance = ops.moments(x, axes, keepdims=keepdims)
    np_axes = tuple(axes) if isinstance(axes, list) else axes
    np.testing.assert_allclose(convert_to_numpy(mean), x.mean(axis=np_axes, keepdims=keepdims), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(convert_to_numpy(variance), x.var(axis=np_axes, keepdims=keepdims), rtol=1e-5)
    spec_mean, spec_variance = ops.moments(symbolic_like(x, batched=False), axes, keepdims=keepdims)
    assert spec_mean.shape == tuple(mean.shape) and spec_variance.shape == tuple(variance.shape)


def test_moments_half_precision(engine):
    x = np.array([0, 1, 2, 3, 100], dtype="float16")
    mean, variance = ops.moments(x, axes=[0])
    assert lamina.backend.standardize_dtype(mean.dtype) == "float16"
    np.testing.assert_allclose(float(convert_to_numpy(mean)), 21.2, rtol=1e-3)
    np.testing.assert_allclose(float(convert_to_numpy(variance)), 1553.36, rtol=1e-3)


@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("affine", [True, False])
def test_batch_normalization(engine, rng, axis, affine):
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    size = x.shape[axis]
    mean, variance = rng.normal(size=size).astype("float32"), rng.uniform(0.5, 2, size=size).astype("float32")
    offset = rng.normal(size=size).astype("float32") if affine else None
    scale = rng.normal(size=size).astype("float32") if affine else None
    shape = [1, 1, 1]
    shape[axis] = size
    expected = (x - mean.reshape(shape)) / np.sqrt(variance.reshape(shape) + 1e-3)
    if affine:
        expected = expected * scale.reshape(shape) + offset.reshape(shape)
    result = ops.batch_normalization(x, mean, variance, axis, offset=offset, scale=scale)
    np.testing.assert_allclose(convert_to_numpy(result), expected, rtol=1e-5, atol=1e-5)
    assert_spec_matches(result, ops.batch_normalization(symbolic_like(x), mean, variance, axis, offset, scale))
    with pytest.raises(ValueError, match="variance"):
        ops.batch_normalization(symbolic_like(x), mean, np.ones(size + 1), axis)


# -- cross-entropies ------------------------------------------------------------------------------
EPS = 1e-7


def test_binary_crossentropy(engine, rng):
    target = np.array([[0, 1, 1, 0], [1, 0, 1, 1]], dtype="float32")
    output = np.array([[0.1, 0.9, 1.0, 0.0], [0.3, 0.6, 0.5, 0.999]], dtype="float32")
    clipped = np.clip(output.astype("float64"), EPS, 1 - EPS)
    expected = -(target * np.log(clipped) + (1 - target) * np.log(1 - clipped))
    result = ops.binary_crossentropy(target, output)
    np.testing.assert_allclose(convert_to_numpy(result), expected, rtol=1e-4, atol=1e-6)
    assert_spec_matches(result, ops.binary_crossentropy(symbolic_like(target), symbolic_like(output)))
    logits = rng.normal(size=(2, 4)).astype("float32") * 3
    probs = _sigmoid(logits.astype("float64"))
    expected = -(target * np.log(probs) + (1 - target) * np.log(1 - probs))
    np.testing.assert_allclose(convert_to_numpy(ops.binary_crossentropy(target, logits, from_logits=True)),
                               expected, rtol=1e-5)
    with pytest.raises(ValueError, match="same shape"):
        ops.binary_crossentropy(SymbolicTensor((None, 3)), SymbolicTensor((None, 4)))


@pytest.mark.parametrize("axis", [-1, 1])
def test_categorical_crossentropy(engine, rng, axis):
    labels = rng.integers(0, 4, size=(3, 5))
    target = np.moveaxis(np.eye(4, dtype="float32")[labels], -1, axis)
    raw = rng.uniform(0.0, 2.0, size=target.shape).astype("float32")
    raw[0, 0, 0] = 0.0
    probs = raw / raw.sum(axis=axis, keepdims=True)
    expected = -np.sum(target * np.log(np.clip(probs.astype("float64"), EPS, 1 - EPS)), axis=axis)
    result = ops.categorical_crossentropy(target, raw, axis=axis)
    np.testing.assert_allclose(convert_to_numpy(result), expected, rtol=1e-4)
    assert_spec_matches(result, ops.categorical_crossentropy(symbolic_like(target), symbolic_like(raw), axis=axis))
    logits = rng.normal(size=target.shape).astype("float32")
    expected = -np.sum(target * np.log(_np_softmax(logits.astype("float64"), axis)), axis=axis)
    result = ops.categorical_crossentropy(target, logits, from_logits=True, axis=axis)
    np.testing.assert_allclose(convert_to_numpy(result), expected, rtol=1e-5)


@pytest.mark.parametrize("trailing_one", [False, True])
def test_sparse_categorical_crossentropy(engine, rng, trailing_one):
    labels = rng.integers(0, 4, size=(5,)).astype("int32")
    target = labels[:, None] if trailing_one else labels
    logits = rng.normal(size=(5, 4)).astype("float32")
    log_probs = np.log(_np_softmax(logits.astype("float64"), -1))
    expected = -log_probs[np.arange(5), labels]
    result = ops.sparse_categorical_crossentropy(target, logits, from_logits=True)
    np.testing.assert_allclose(convert_to_numpy(result), expected, rtol=1e-5)
    assert_spec_matches(result, ops.sparse_categorical_crossentropy(symbolic_like(target), symbolic_like(logits)))
    probs = np.exp(log_probs).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(ops.sparse_categorical_crossentropy(target, probs)), expected,
                               rtol=1e-4)
    with pytest.raises(ValueError, match="class axis"):
        ops.sparse_categorical_crossentropy(SymbolicTensor((None, 3)), SymbolicTensor((None, 4)))


def test_sparse_categorical_crossentropy_along_axis(engine, rng):
    labels = rng.integers(0, 3, size=(2, 4))
    logits = rng.normal(size=(2, 3, 4)).astype("float32")
    log_probs = np.log(_np_softmax(logits.astype("float64"), 1))
    expected = -np.take_along_axis(log_probs, labels[:, None, :], axis=1)[:, 0, :]
    result = ops.sparse_categorical_crossentropy(labels, logits, from_logits=True, axis=1)
    np.testing.assert_allclose(convert_to_numpy(result), expected, rtol=1e-5)


# -- connectionist temporal classification --------------------------------------------------------
def _np_ctc_loss(labels, logits, blank):
    """-log of the total probability of every frame path that collapses to ``labels`` (brute force)."""
    probs = _np_softmax(logits.astype("float64"), -1)
    total = 0.0
    for path in itertools.product(range(probs.shape[1]), repeat=probs.shape[0]):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
        if collapsed == list(labels):
            total += np.prod(probs[np.arange(len(path)), path])
    return -np.log(total)


@pytest.mark.parametrize("mask_index", [0, 2])
def test_ctc_loss_matches_brute_force(engine, rng, mask_index):
    logits = rng.normal(size=(3, 4, 3)).astype("float32")
    labels = [c for c in range(3) if c != mask_index]  # the two non-blank classes
    a, b = labels
    target = np.array([[a, b, a], [b, a, a], [a, a, b]], dtype="int32")
    target_length = np.array([2, 1, 2], dtype="int32")
    output_length = np.array([4, 3, 4], dtype="int32")
    expected = [_np_ctc_loss(target[i, :target_length[i]], logits[i, :output_length[i]], mask_index)
                for i in range(3)]
    result = ops.ctc_loss(target, logits, target_length, output_length, mask_index=mask_index)
    np.testing.assert_allclose(convert_to_numpy(result), expected, rtol=1e-5)
    spec = ops.ctc_loss(symbolic_like(target), symbolic_like(logits), symbolic_like(target_length),
                        symbolic_like(output_length), mask_index=mask_index)
    assert_spec_matches(result, spec)
