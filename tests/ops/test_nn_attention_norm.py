"""ops.nn.dot_product_attention, layer_normalization and rms_normalization against NumPy and torch references,
their symbolic shapes and dtypes, and their errors."""

import numpy as np
import pytest
import torch

from lamina import ops
from lamina.backend import convert_to_numpy
from lamina.backend.common.symbolic import SymbolicTensor


def _floats(rng, *shape):
    return rng.standard_normal(shape).astype("float32")


def reference_attention(q, k, v, bias=None, mask=None, scale=None, is_causal=False, soft_cap=None):
    """NumPy attention on (B, T, N, H) arrays; masked logits get a large finite negative value."""
    heads, kv_heads = q.shape[2], k.shape[2]
    k, v = np.repeat(k, heads // kv_heads, axis=2), np.repeat(v, heads // kv_heads, axis=2)
    scale = q.shape[-1] ** -0.5 if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", q, k).astype("float64") * scale
    if soft_cap is not None:
        logits = soft_cap * np.tanh(logits / soft_cap)
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, bool) if mask is None else np.broadcast_to(mask, logits.shape)
    if is_causal:
        keep = keep & np.tril(np.ones(logits.shape[-2:], bool))
    logits = np.where(keep, logits, -1e30)
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    return np.einsum("bnts,bsnh->btnh", weights, v)


def check_symbolic(fn, *args, **kwargs):
    """The op's symbolic result has the eager result's shape and dtype; returns the eager result as NumPy."""
    eager = fn(*args, **kwargs)
    symbolic = fn(*(SymbolicTensor(a.shape, str(a.dtype)) if isinstance(a, np.ndarray) else a for a in args),
                  **kwargs)
    assert symbolic.shape == tuple(eager.shape) and symbolic.dtype == ops.dtype(eager)
    return convert_to_numpy(eager)


# -- dot_product_attention ----------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["plain", "scale", "causal", "bias", "mask", "mask_causal_bias", "gqa",
                                  "value_dim", "soft_cap"])
def test_dot_product_attention_matches_numpy(engine, rng, case):
    b, t, s, n, h = 2, 3, 4, 2, 5
    q, k, v = _floats(rng, b, t, n, h), _floats(rng, b, s, n, h), _floats(rng, b, s, n, h)
    kwargs = {}
    if case == "scale":
        kwargs["scale"] = 0.3
    if case in ("causal", "mask_causal_bias"):
        k, v = _floats(rng, b, t, n, h), _floats(rng, b, t, n, h)
        kwargs["is_causal"] = True
    if case in ("bias", "mask_causal_bias"):
        kwargs["bias"] = _floats(rng, 1, n, t, k.shape[1])
    if case in ("mask", "mask_causal_bias"):
        kwargs["mask"] = rng.random((b, 1, t, k.shape[1])) > 0.3
    if case == "gqa":
        q = _floats(rng, b, t, 4, h)
    if case == "value_dim":
        v = _floats(rng, b, s, n, 3)
    if case == "soft_cap":
        kwargs["attn_logits_soft_cap"] = 2.0
    out = check_symbolic(ops.dot_product_attention, q, k, v, **kwargs)
    expected = reference_attention(q, k, v, kwargs.get("bias"), kwargs.get("mask"), kwargs.get("scale"),
                                   kwargs.get("is_causal", False), kwargs.get("attn_logits_soft_cap"))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_dot_product_attention_matches_torch_sdpa(engine, rng):
    q, k, v = _floats(rng, 2, 5, 3, 4), _floats(rng, 2, 5, 3, 4), _floats(rng, 2, 5, 3, 4)
    expected = torch.nn.functional.scaled_dot_product_attention(
        *(torch.from_numpy(a).transpose(1, 2) for a in (q, k, v)), is_causal=True).transpose(1, 2).numpy()
    out = convert_to_numpy(ops.nn.dot_product_attention(q, k, v, is_causal=True))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_fully_masked_row_attends_uniformly(engine, rng):
    q, k, v = _floats(rng, 1, 2, 1, 3), _floats(rng, 1, 4, 1, 3), _floats(rng, 1, 4, 1, 3)
    mask = np.array([[True, False, True, True], [False] * 4])[None, None]
    out = convert_to_numpy(ops.dot_product_attention(q, k, v, mask=mask))
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out[0, 1, 0], v[0, :, 0].mean(0), rtol=1e-5, atol=1e-6)


def test_dot_product_attention_gradients_flow(engine, rng):
    q, k, v = _floats(rng, 1, 3, 2, 4), _floats(rng, 1, 3, 2, 4), _floats(rng, 1, 3, 2, 4)
    mask = np.tril(np.ones((3, 3), bool))
    if engine == "torch":
        qt = torch.tensor(q, requires_grad=True)
        ops.sum(ops.dot_product_attention(qt, k, v, mask=mask)).backward()
        grad = qt.grad.numpy()
    else:
        import jax
        grad = np.asarray(jax.grad(lambda x: ops.sum(ops.dot_product_attention(x, k, v, mask=mask)))(q))
    assert np.isfinite(grad).all() and np.abs(grad).sum() > 0


@pytest.mark.parametrize("shapes, message", [
    (((2, 3, 4), (2, 3, 4), (2, 3, 4)), "rank 4"),
    (((2, 3, 2, 4), (2, 5, 2, 3), (2, 5, 2, 3)), "same head size"),
    (((2, 3, 3, 4), (2, 5, 2, 4), (2, 5, 2, 4)), "multiple"),
    (((2, 3, 2, 4), (2, 5, 2, 4), (2, 6, 2, 4)), "agree"),
])
def test_dot_product_attention_rejects_bad_shapes(engine, shapes, message):
    args = [SymbolicTensor(s, "float32") for s in shapes]
    with pytest.raises(ValueError, match=f"dot_product_attention.*{message}.*Received query.shape"):
        ops.dot_product_attention(*args)


# -- layer_normalization / rms_normalization ---------------------------------------------------------
def numpy_layer_norm(x, gamma, beta, axes, epsilon, rms_scaling=False):
    mean = x.mean(axes, keepdims=True)
    variance = x.var(axes, keepdims=True)
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]
    scaled = (x if rms_scaling else x - mean) / np.sqrt(variance + epsilon)
    if gamma is not None:
        scaled = scaled * gamma.reshape(shape)
    if beta is not None and not rms_scaling:
        scaled = scaled + beta.reshape(shape)
    return scaled


@pytest.mark.parametrize("axis", [-1, (1, 2), (1,), (0, 2)])
@pytest.mark.parametrize("rms_scaling", [False, True])
def test_layer_normalization_matches_numpy(engine, rng, axis, rms_scaling):
    x = _floats(rng, 2, 3, 4) * 3 + 1
    axes = tuple(sorted(a % 3 for a in (axis if isinstance(axis, tuple) else (axis,))))
    gamma = _floats(rng, *(x.shape[a] for a in axes))
    beta = _floats(rng, *(x.shape[a] for a in axes))
    out = check_symbolic(ops.layer_normalization, x, gamma, beta, axis=axis, epsilon=1e-3, rms_scaling=rms_scaling)
    np.testing.assert_allclose(out, numpy_layer_norm(x, gamma, beta, axes, 1e-3, rms_scaling), rtol=1e-5, atol=1e-5)


def test_layer_normalization_matches_torch_and_defaults(engine, rng):
    x = _floats(rng, 3, 5)
    gamma, beta = _floats(rng, 5), _floats(rng, 5)
    expected = torch.nn.functional.layer_norm(torch.from_numpy(x), (5,), torch.from_numpy(gamma),
                                              torch.from_numpy(beta), 1e-5).numpy()
    out = ops.nn.layer_normalization(x, gamma, beta, epsilon=1e-5)
    np.testing.assert_allclose(convert_to_numpy(out), expected, rtol=1e-5, atol=1e-6)
    plain = convert_to_numpy(ops.layer_normalization(np.arange(5, dtype="float32")))
    np.testing.assert_allclose(plain, (np.arange(5) - 2) / np.sqrt(2 + 1e-7), rtol=1e-6)
    with pytest.raises(ValueError, match="layer_normalization.*unexpected arguments"):
        ops.layer_normalization(x, bogus=True)
    with pytest.raises(ValueError, match="layer_normalization.*axis 2 is out of range"):
        ops.layer_normalization(x, axis=2)


@pytest.mark.parametrize("axis, scale_shape", [(-1, (4,)), ((1, 2), (3, 4)), ((0,), (2,)), (-1, None), (-1, ())])
def test_rms_normalization_matches_numpy(engine, rng, axis, scale_shape):
    x = _floats(rng, 2, 3, 4)
    axes = tuple(a % 3 for a in (axis if isinstance(axis, tuple) else (axis,)))
    scale = None if scale_shape is None else np.asarray(_floats(rng, *scale_shape) if scale_shape else 2.5,
                                                         "float32")
    out = check_symbolic(ops.rms_normalization, x, scale, axis=axis, epsilon=1e-6)
    expected = x / np.sqrt((x ** 2).mean(axes, keepdims=True) + 1e-6)
    if scale is not None:
        expected = expected * (scale if scale.ndim == 0 else
                               scale.reshape([x.shape[a] if a in axes else 1 for a in range(3)]))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_normalization_ops_keep_half_precision(engine, rng):
    x = _floats(rng, 2, 8).astype("float16")
    for fn in (ops.layer_normalization, ops.rms_normalization):
        out = fn(x)
        assert ops.dtype(out) == "float16"
    expected = (x.astype("float32") - x.astype("float32").mean(-1, keepdims=True)) / np.sqrt(
        x.astype("float32").var(-1, keepdims=True) + 1e-7)
    np.testing.assert_allclose(convert_to_numpy(ops.layer_normalization(x)).astype("float32"), expected,
                               rtol=1e-2, atol=1e-2)
