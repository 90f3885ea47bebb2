"""lamina.ops.core: conversion, casting, control flow, slicing and scattering, checked against NumPy."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.backend import SymbolicTensor

to_numpy = lamina.backend.convert_to_numpy


def _assert_same_spec(real, symbolic):
    assert real.dtype == symbolic.dtype or lamina.backend.standardize_dtype(real.dtype) == symbolic.dtype
    assert tuple(real.shape) == symbolic.shape


# -- conversion and casting -----------------------------------------------------------------------
def test_convert_to_tensor_and_back(engine):
    x = ops.convert_to_tensor([[1, 2], [3, 4]])
    assert ops.is_tensor(x) and not ops.is_tensor(np.ones(2))
    assert ops.dtype(x) == "int32"
    assert ops.shape(x) == (2, 2)
    np.testing.assert_array_equal(ops.convert_to_numpy(x), [[1, 2], [3, 4]])
    assert ops.dtype(ops.convert_to_tensor(np.ones(3), dtype="float16")) == "float16"


def test_convert_to_tensor_of_symbolic_is_identity(engine):
    x = SymbolicTensor((None, 3), "float32")
    assert ops.convert_to_tensor(x) is x
    cast = ops.convert_to_tensor(x, dtype="float16")
    assert cast.shape == (None, 3) and cast.dtype == "float16"
    assert ops.shape(x) == (None, 3) and ops.dtype(x) == "float32"


@pytest.mark.parametrize("dtype", ["int32", "float16", "bool", "float64"])
def test_cast(engine, dtype):
    data = np.array([[-1.5, 0.0, 2.7]], dtype="float32")
    result = ops.cast(data, dtype)
    np.testing.assert_array_equal(to_numpy(result), data.astype(dtype))
    _assert_same_spec(result, ops.cast(SymbolicTensor((1, 3), "float32"), dtype))


def test_saturate_cast_clips_to_target_range(engine):
    data = np.array([-1e10, -3.5, 200.7, 1e10], dtype="float32")
    np.testing.assert_array_equal(to_numpy(ops.saturate_cast(data, "uint8")), [0, 0, 200, 255])
    int32 = to_numpy(ops.saturate_cast(data, "int32"))
    assert int32[0] == np.iinfo("int32").min and int32[-1] > 2**31 - 200 and int32[1] == -3
    wide = np.array([-70000, 5, 70000], dtype="int32")
    np.testing.assert_array_equal(to_numpy(ops.saturate_cast(wide, "int16")), [-32768, 5, 32767])
    assert ops.saturate_cast(SymbolicTensor((None,), "float32"), "int8").dtype == "int8"


def test_stop_gradient_keeps_values_and_spec(engine):
    data = np.arange(4.0, dtype="float32")
    np.testing.assert_array_equal(to_numpy(ops.stop_gradient(data)), data)
    symbolic = ops.stop_gradient(SymbolicTensor((None, 4), "float16"))
    assert symbolic.shape == (None, 4) and symbolic.dtype == "float16"


# -- control flow ---------------------------------------------------------------------------------
def test_cond_picks_branch(engine):
    x = ops.convert_to_tensor(np.array([1.0, 2.0], dtype="float32"))
    assert to_numpy(ops.cond(ops.sum(x) > 2.0, lambda: x * 2.0, lambda: x)).tolist() == [2.0, 4.0]
    assert to_numpy(ops.cond(False, lambda: x * 2.0, lambda: x - 1.0)).tolist() == [0.0, 1.0]


def test_switch_clamps_index(engine):
    branches = [lambda a: a + 1.0, lambda a: a * 10.0]
    assert float(to_numpy(ops.switch(1, branches, 2.0))) == 20.0
    assert float(to_numpy(ops.switch(-3, branches, 2.0))) == 3.0
    assert float(to_numpy(ops.switch(7, branches, 2.0))) == 20.0


def test_scan_is_cumulative_sum(engine, rng):
    xs = rng.normal(size=(5, 3)).astype("float32")
    carry, ys = ops.scan(lambda c, x: (c + x, c + x), np.zeros(3, "float32"), xs)
    np.testing.assert_allclose(to_numpy(ys), np.cumsum(xs, axis=0), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(carry), xs.sum(0), rtol=1e-6)


def test_scan_reverse_keeps_order_of_outputs(engine, rng):
    xs = rng.normal(size=(6,)).astype("float32")
    carry, ys = ops.scan(lambda c, x: (c + x, c + x), np.float32(0.0), xs, reverse=True)
    np.testing.assert_allclose(to_numpy(ys), np.cumsum(xs[::-1])[::-1], rtol=1e-5)
    np.testing.assert_allclose(float(to_numpy(carry)), xs.sum(), rtol=1e-5)


def test_scan_with_length_and_nested_xs(engine):
    carry, ys = ops.scan(lambda c, _: (c * 2, c), 1, length=4)
    assert int(to_numpy(carry)) == 16 and to_numpy(ys).tolist() == [1, 2, 4, 8]
    xs = {"a": np.arange(3.0, dtype="float32"), "b": np.ones((3, 2), "float32")}
    carry, ys = ops.scan(lambda c, x: (c + x["a"], (x["a"], ops.sum(x["b"]))), 0.0, xs, unroll=2)
    assert to_numpy(ys[0]).tolist() == [0.0, 1.0, 2.0] and to_numpy(ys[1]).tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(ValueError, match="length"):
        ops.scan(lambda c, x: (c, x), 0.0, np.zeros(3), length=4)
    with pytest.raises(ValueError, match="xs"):
        ops.scan(lambda c, x: (c, x), 0.0)


@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan_matches_cumulative_ops(engine, rng, reverse):
    xs = rng.normal(size=(7, 2)).astype("float32")
    expected = np.cumsum(xs[::-1], axis=0)[::-1] if reverse else np.cumsum(xs, axis=0)
    np.testing.assert_allclose(to_numpy(ops.associative_scan(ops.add, xs, reverse=reverse)), expected, rtol=1e-5)
    running_product = ops.associative_scan(lambda a, b: ops.multiply(a, b), xs.T, axis=1)
    np.testing.assert_allclose(to_numpy(running_product), np.cumprod(xs.T, axis=1), rtol=1e-5)


def test_fori_loop_and_while_loop(engine):
    assert int(to_numpy(ops.fori_loop(0, 5, lambda i, v: v + i, 0))) == 10
    i, total = ops.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, t + i * i), (0, 0))
    assert (int(to_numpy(i)), int(to_numpy(total))) == (4, 14)
    assert int(to_numpy(ops.while_loop(lambda x: x < 100, lambda x: x * 3, 1))) == 243
    capped = ops.while_loop(lambda x: x < 100, lambda x: x * 3, 1, maximum_iterations=2)
    assert int(to_numpy(capped)) == 9
    as_list = ops.while_loop(lambda a, b: a < 3, lambda a, b: [a + 1, b - 1], [0, 0])
    assert isinstance(as_list, list) and [int(to_numpy(v)) for v in as_list] == [3, -3]


def test_map_and_vectorized_map(engine, rng):
    xs = rng.normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(to_numpy(ops.map(lambda x: ops.sum(x * x), xs)), (xs * xs).sum(1), rtol=1e-5)
    pair = ops.map(lambda x: (x[0], x[1] * 2.0), (xs, xs))
    np.testing.assert_allclose(to_numpy(pair[1]), xs * 2, rtol=1e-6)
    mapped = ops.vectorized_map(lambda x: ops.matmul(x, x), xs)
    np.testing.assert_allclose(to_numpy(mapped), (xs * xs).sum(1), rtol=1e-5)


# -- slicing and scattering -----------------------------------------------------------------------
def test_slice_and_slice_update_match_numpy(engine, rng):
    data = rng.normal(size=(4, 5, 3)).astype("float32")
    result = ops.slice(data, (1, 2, 0), (2, 3, 3))
    np.testing.assert_array_equal(to_numpy(result), data[1:3, 2:5, 0:3])
    _assert_same_spec(result, ops.slice(SymbolicTensor((4, 5, 3)), (1, 2, 0), (2, 3, 3)))

    updates = np.full((2, 2, 3), 7.0, "float32")
    expected = data.copy()
    expected[2:4, 0:2, :] = updates
    result = ops.slice_update(data, (2, 0, 0), updates)
    np.testing.assert_array_equal(to_numpy(result), expected)
    _assert_same_spec(result, ops.slice_update(SymbolicTensor((4, 5, 3)), (2, 0, 0), SymbolicTensor((2, 2, 3))))
    with pytest.raises(ValueError, match="one entry per input dimension"):
        ops.slice(data, (0, 0), (1, 1))


def test_scatter_adds_repeated_indices(engine):
    indices = np.array([[0, 1], [2, 2], [0, 1]])
    values = np.array([1.0, 2.0, 5.0], dtype="float32")
    expected = np.zeros((3, 3), "float32")
    np.add.at(expected, tuple(indices.T), values)
    result = ops.scatter(indices, values, (3, 3))
    np.testing.assert_array_equal(to_numpy(result), expected)
    _assert_same_spec(result, ops.scatter(SymbolicTensor((3, 2), "int32"), SymbolicTensor((3,)), (3, 3)))
    rows = ops.scatter(np.array([[1]]), np.ones((1, 4), "float32"), (3, 4))
    np.testing.assert_array_equal(to_numpy(rows), [[0.0] * 4, [1.0] * 4, [0.0] * 4])


def test_scatter_update_replaces(engine, rng):
    data = rng.normal(size=(3, 4)).astype("float32")
    expected = data.copy()
    expected[0, 3], expected[2, 1] = -1.0, -2.0
    result = ops.scatter_update(data, np.array([[0, 3], [2, 1]]), np.array([-1.0, -2.0], "float32"))
    np.testing.assert_array_equal(to_numpy(result), expected)
    rows = ops.scatter_update(data, np.array([[1]]), np.zeros((1, 4), "float32"))
    assert to_numpy(rows)[1].tolist() == [0.0] * 4 and np.array_equal(to_numpy(rows)[0], data[0])


def test_unstack(engine, rng):
    data = rng.normal(size=(2, 3, 4)).astype("float32")
    parts = ops.unstack(data, axis=1)
    assert len(parts) == 3
    for i, part in enumerate(parts):
        np.testing.assert_array_equal(to_numpy(part), data[:, i])
    symbolic = ops.unstack(SymbolicTensor((None, 3, 4)), axis=-2)
    assert [s.shape for s in symbolic] == [(None, 4)] * 3
    with pytest.raises(ValueError, match="num"):
        ops.unstack(data, num=5)
    with pytest.raises(ValueError, match="unknown dimension"):
        ops.unstack(SymbolicTensor((None, 3)))


# -- gradients (torch autograd) -------------------------------------------------------------------
@pytest.mark.engines("torch")
def test_gradients_flow_through_cond_and_scan(engine):
    import torch

    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = ops.cond(ops.sum(x) > 0, lambda: ops.sum(x * x), lambda: ops.sum(x))
    (grad,) = torch.autograd.grad(y, x)
    np.testing.assert_allclose(grad.numpy(), [2.0, 4.0, 6.0])

    # carry_t = carry_{t-1} * x_t, so d(prod x)/dx_i = prod(x) / x_i
    carry, _ = ops.scan(lambda c, xi: (c * xi, c), torch.tensor(1.0), x)
    (grad,) = torch.autograd.grad(carry, x)
    np.testing.assert_allclose(grad.numpy(), [6.0, 3.0, 2.0])

    value = ops.while_loop(lambda v: ops.sum(v) < 50, lambda v: v * 2.0, x)
    (grad,) = torch.autograd.grad(ops.sum(value), x)
    np.testing.assert_allclose(grad.numpy(), [16.0, 16.0, 16.0])  # 6 -> 12 -> 24 -> 48 -> 96


@pytest.mark.engines("torch")
def test_custom_gradient_and_stop_gradient(engine):
    import torch

    @ops.custom_gradient
    def clipped_identity(t):
        return t * 1.0, lambda upstream: upstream * 0.5

    x = torch.tensor([1.0, -2.0], requires_grad=True)
    (grad,) = torch.autograd.grad(ops.sum(clipped_identity(x)), x)
    np.testing.assert_allclose(grad.numpy(), [0.5, 0.5])
    y = ops.sum(x * ops.stop_gradient(x))
    (grad,) = torch.autograd.grad(y, x)
    np.testing.assert_allclose(grad.numpy(), [1.0, -2.0])
    updated = ops.slice_update(x, (1,), ops.multiply(x[:1], 3.0))
    (grad,) = torch.autograd.grad(ops.sum(updated), x)
    np.testing.assert_allclose(grad.numpy(), [4.0, 0.0])


def test_associative_scan_reverse_order_with_a_non_commutative_function(engine):
    mats = np.stack([np.eye(2) + i * np.array([[0.0, 1.0], [0.0, 0.0]]) + np.array([[0.0, 0.0], [i, 0.0]])
                     for i in range(1, 4)]).astype("float32")
    x, y, z = mats
    out = ops.convert_to_numpy(ops.associative_scan(lambda a, b: ops.matmul(a, b), mats, reverse=True))
    np.testing.assert_allclose(out, np.stack([(z @ y) @ x, z @ y, z]), rtol=1e-5)
    forward = ops.convert_to_numpy(ops.associative_scan(lambda a, b: ops.matmul(a, b), mats))
    np.testing.assert_allclose(forward, np.stack([x, x @ y, (x @ y) @ z]), rtol=1e-5)


def test_slice_takes_start_indices_of_mixed_integer_dtypes(engine):
    x = np.arange(12.0).reshape(3, 4)
    starts = [ops.convert_to_tensor(1, dtype="int64"), ops.convert_to_tensor(2, dtype="int32")]
    np.testing.assert_array_equal(to_numpy(ops.slice(x, starts, (2, 2))), x[1:3, 2:4])
    updated = ops.slice_update(x, starts, np.zeros((2, 2)))
    np.testing.assert_array_equal(to_numpy(updated)[1:3, 2:4], 0)
