"""Attention, AdditiveAttention and MultiHeadAttention: numbers against NumPy and torch.nn.MultiheadAttention
(converted weights), masks (padded batches give the unpadded results), causal masks, returned scores,
dropout, shapes, training, config round trips and bad arguments."""

import numpy as np
import pytest
import torch
from layer_checks import (
    assert_one_step_lowers_loss,
    assert_symbolic_matches_eager,
    roundtrip,
    to_numpy,
)

from lamina import layers, ops
from lamina.backend.common.masking import get_mask
from lamina.models import Model


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def reference_dense_attention(scores, value, value_keep=None, causal=False):
    if value_keep is not None:
        scores = scores - 1e9 * ~value_keep[:, None, :]
    if causal:
        scores = scores - 1e9 * ~np.tril(np.ones(scores.shape[-2:], bool))
    weights = softmax(scores)
    return weights @ value, weights


@pytest.fixture
def qkv(rng):
    return (rng.standard_normal((2, 3, 4)).astype("float32"), rng.standard_normal((2, 5, 4)).astype("float32"),
            rng.standard_normal((2, 5, 4)).astype("float32"))


# -- Attention / AdditiveAttention ----------------------------------------------------------------
@pytest.mark.parametrize("score_mode", ["dot", "concat"])
def test_attention_matches_numpy(engine, qkv, score_mode):
    q, v, k = qkv
    layer = layers.Attention(use_scale=True, score_mode=score_mode)
    layer.build([q.shape, v.shape, k.shape])
    layer.scale.assign(np.float32(0.7))
    expected_names = ["scale"] + (["concat_score_weight"] if score_mode == "concat" else [])
    assert [w.name for w in layer.weights] == expected_names
    if score_mode == "dot":
        scores = 0.7 * q @ k.transpose(0, 2, 1)
    else:
        layer.concat_score_weight.assign(np.float32(1.3))
        scores = 1.3 * np.tanh(0.7 * (q[:, :, None] + k[:, None])).sum(-1)
    expected, weights = reference_dense_attention(scores, v, causal=False)
    out, scores_out = layer([q, v, k], return_attention_scores=True)
    np.testing.assert_allclose(to_numpy(out), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(scores_out), weights, rtol=1e-5, atol=1e-6)


def test_additive_attention_matches_numpy(engine, qkv):
    q, v, k = qkv
    layer = layers.AdditiveAttention()
    out = to_numpy(layer([q, v, k], use_causal_mask=True))
    assert [w.name for w in layer.weights] == ["scale"] and layer.scale.shape == (4,)
    scores = (to_numpy(layer.scale) * np.tanh(q[:, :, None] + k[:, None])).sum(-1)
    expected, _ = reference_dense_attention(scores, v, causal=True)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", [layers.Attention, layers.AdditiveAttention])
def test_dense_attention_masks_match_unpadded_examples(engine, rng, cls):
    q, v = rng.standard_normal((2, 3, 4)).astype("float32"), rng.standard_normal((2, 5, 4)).astype("float32")
    q_keep = np.array([[1, 1, 0], [1, 1, 1]], bool)
    v_keep = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)
    q_in, v_in = layers.Input((3, 4)), layers.Input((5, 4))
    out = cls()([layers.Masking(9.0)(q_in), layers.Masking(9.0)(v_in)])
    model = Model([q_in, v_in], out)
    padded = model([np.where(q_keep[..., None], q, 9.0).astype("float32"),
                    np.where(v_keep[..., None], v, 9.0).astype("float32")])
    assert get_mask(out) is not None and get_mask(out).shape == (None, 3)
    padded = to_numpy(padded)
    for i in range(2):
        single = to_numpy(model.layers[-1]([q[i:i + 1, q_keep[i]], v[i:i + 1, v_keep[i]]]))
        np.testing.assert_allclose(padded[i, q_keep[i]], single[0], rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(padded[i, ~q_keep[i]], 0.0)


def test_dense_attention_dropout_symbolic_and_training(engine, rng, qkv):
    q, v, _ = qkv
    layer = layers.Attention(dropout=0.5, seed=1)
    np.testing.assert_allclose(to_numpy(layer([q, v])), to_numpy(layer([q, v], training=False)))
    assert not np.allclose(to_numpy(layer([q, v], training=True)), to_numpy(layer([q, v])))
    q_in, v_in = layers.Input((3, 4)), layers.Input((5, 4))
    out, scores = layers.AdditiveAttention()([q_in, v_in], return_attention_scores=True)
    assert out.shape == (None, 3, 4) and scores.shape == (None, 3, 5)
    model = Model([q_in, v_in], layers.Dense(2)(layers.Attention(use_scale=True)([q_in, v_in])))
    assert_one_step_lowers_loss(model, [q, v], rng.standard_normal((2, 3, 2)).astype("float32"))


def test_dense_attention_bad_arguments(engine, qkv):
    q, v, _ = qkv
    with pytest.raises(ValueError, match="`score_mode` of Attention.*Received: score_mode='add'"):
        layers.Attention(score_mode="add")
    with pytest.raises(ValueError, match="`dropout` of AdditiveAttention.*Received: dropout=2"):
        layers.AdditiveAttention(dropout=2)
    with pytest.raises(ValueError, match="'att'.*list \\[query, value\\].*Received"):
        layers.Attention(name="att")(q)
    with pytest.raises(ValueError, match="'att2'.*same last dimension.*query=\\(2, 3, 4\\), key=\\(2, 5, 3\\)"):
        layers.Attention(name="att2")([q, v[..., :3]])


# -- MultiHeadAttention ---------------------------------------------------------------------------
def torch_mha_from(layer, dim):
    """A torch.nn.MultiheadAttention holding ``layer``'s weights (query/key/value/output all of size dim)."""
    qk, qb, kk, kb, vk, vb, ok, ob = layer.get_weights()
    ref = torch.nn.MultiheadAttention(dim, layer.num_heads, batch_first=True)
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.tensor(np.concatenate([w.reshape(dim, -1).T for w in (qk, kk, vk)])))
        ref.in_proj_bias.copy_(torch.tensor(np.concatenate([b.ravel() for b in (qb, kb, vb)])))
        ref.out_proj.weight.copy_(torch.tensor(ok.reshape(-1, dim).T))
        ref.out_proj.bias.copy_(torch.tensor(ob))
    return ref


@pytest.mark.parametrize("return_scores", [False, True])
def test_mha_matches_torch_multihead_attention(engine, rng, return_scores):
    q, v = rng.standard_normal((2, 3, 8)).astype("float32"), rng.standard_normal((2, 5, 8)).astype("float32")
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, bias_initializer="random_normal")
    layer(q, v)
    assert [w.shape for w in layer.get_weights()] == [(8, 2, 4), (2, 4)] * 3 + [(2, 4, 8), (8,)]
    assert [w.name for w in layer.weights] == ["kernel", "bias"] * 4
    ref = torch_mha_from(layer, 8)
    v_keep = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    expected, weights = ref(torch.tensor(q), torch.tensor(v), torch.tensor(v),
                            key_padding_mask=torch.tensor(~v_keep), average_attn_weights=False)
    v_in = layers.Masking(0.0)(np.where(v_keep[..., None], v, 0.0).astype("float32"))
    result = layer(q, v_in, return_attention_scores=return_scores)
    out = result[0] if return_scores else result
    np.testing.assert_allclose(to_numpy(out), expected.detach().numpy(), rtol=1e-5, atol=1e-5)
    if return_scores:
        np.testing.assert_allclose(to_numpy(result[1]), weights.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_mha_causal_matches_torch(engine, rng):
    x = rng.standard_normal((2, 4, 6)).astype("float32")
    layer = layers.MultiHeadAttention(num_heads=3, key_dim=2)
    fast = to_numpy(layer(x, x, use_causal_mask=True))
    explicit, _ = layer(x, x, use_causal_mask=True, return_attention_scores=True)
    ref = torch_mha_from(layer, 6)
    expected, _ = ref(*(torch.tensor(x),) * 3, attn_mask=torch.ones(4, 4, dtype=torch.bool).triu(1))
    np.testing.assert_allclose(fast, expected.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(to_numpy(explicit), fast, rtol=1e-5, atol=1e-5)


def test_mha_value_dim_output_shape_and_attention_mask(engine, rng):
    q, v = rng.standard_normal((2, 3, 4)).astype("float32"), rng.standard_normal((2, 5, 6)).astype("float32")
    k = rng.standard_normal((2, 5, 7)).astype("float32")
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=5, output_shape=(2, 3), use_bias=False)
    mask = rng.random((2, 3, 5)) > 0.4
    out, scores = layer(q, v, key=k, attention_mask=mask, return_attention_scores=True)
    assert [w.shape for w in layer.get_weights()] == [(4, 2, 3), (7, 2, 3), (6, 2, 5), (2, 5, 2, 3)]
    wq, wk, wv, wo = layer.get_weights()
    qh, kh, vh = np.einsum("btd,dnh->bnth", q, wq), np.einsum("bsd,dnh->bnsh", k, wk), np.einsum("bsd,dnh->bnsh", v, wv)
    logits = np.where(mask[:, None], qh @ kh.transpose(0, 1, 3, 2) / np.sqrt(3), -1e9)
    expected = np.einsum("bnth,nhij->btij", softmax(logits) @ vh, wo)
    np.testing.assert_allclose(to_numpy(scores), softmax(logits), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(out), expected, rtol=1e-5, atol=1e-5)
    fast = layer(q, v, key=k, attention_mask=mask)
    np.testing.assert_allclose(to_numpy(fast), expected, rtol=1e-5, atol=1e-5)
    symbolic = layer(layers.Input((3, 4)), layers.Input((5, 6)), key=layers.Input((5, 7)))
    assert symbolic.shape == (None, 3, 2, 3)


def test_mha_attention_axes_on_rank_4(engine, rng):
    x = rng.standard_normal((2, 3, 4, 6)).astype("float32")
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=(2,))
    out, scores = layer(x, x, return_attention_scores=True)
    assert tuple(ops.shape(scores)) == (2, 3, 2, 4, 4)
    wq, bq, wk, bk, wv, bv, wo, bo = layer.get_weights()
    qh, kh, vh = (np.einsum("bitd,dnh->bitnh", x, w) + b for w, b in ((wq, bq), (wk, bk), (wv, bv)))
    logits = np.einsum("bitnh,bisnh->bints", qh, kh) / np.sqrt(3)
    expected = np.einsum("bitnh,nhd->bitd", np.einsum("bints,bisnh->bitnh", softmax(logits), vh), wo) + bo
    np.testing.assert_allclose(to_numpy(scores), softmax(logits), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(out), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(to_numpy(layer(x, x)), expected, rtol=1e-5, atol=1e-5)
    assert layer(layers.Input((3, 4, 6)), layers.Input((3, 4, 6))).shape == (None, 3, 4, 6)


def test_mha_padded_batch_matches_unpadded_examples(engine, rng):
    tokens = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 2]], "int32")
    inputs = layers.Input((5,), dtype="int32")
    embedded = layers.Embedding(10, 6, mask_zero=True)(inputs)
    out = layers.MultiHeadAttention(num_heads=2, key_dim=3)(embedded, embedded)
    assert get_mask(out) is not None
    model = Model(inputs, out)
    padded = to_numpy(model(tokens))
    for i, length in enumerate((3, 5)):
        single = to_numpy(model(tokens[i:i + 1, :length]))
        np.testing.assert_allclose(padded[i, :length], single[0], rtol=1e-5, atol=1e-5)
    assert np.isfinite(padded).all()


def test_mha_dropout_training_symbolic_and_config(engine, rng):
    x, y = rng.standard_normal((4, 3, 6)).astype("float32"), rng.standard_normal((4, 3, 6)).astype("float32")
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.5, seed=2)
    eager = assert_symbolic_matches_eager(layer, x)
    assert not np.allclose(to_numpy(layer(x, training=True)), eager)
    clone = roundtrip(layer)
    np.testing.assert_allclose(to_numpy(clone(x)), eager, rtol=1e-6, atol=1e-6)
    assert layer.get_build_config() == {"shapes_dict": {"query_shape": (None, 3, 6), "value_shape": (None, 3, 6),
                                                        "key_shape": (None, 3, 6)}}
    rebuilt = layers.MultiHeadAttention.from_config(layer.get_config())
    rebuilt.build_from_config(layer.get_build_config())
    assert rebuilt.built and len(rebuilt.weights) == 8
    inputs = layers.Input((3, 6))
    model = Model(inputs, layers.MultiHeadAttention(num_heads=2, key_dim=3)(inputs, inputs))
    assert_one_step_lowers_loss(model, x, y)


def test_mha_bad_arguments(engine, rng):
    with pytest.raises(ValueError, match="`num_heads` of MultiHeadAttention.*Received: num_heads=0"):
        layers.MultiHeadAttention(num_heads=0, key_dim=2)
    with pytest.raises(ValueError, match="`key_dim` of MultiHeadAttention.*Received: key_dim='4'"):
        layers.MultiHeadAttention(num_heads=2, key_dim="4")
    with pytest.raises(ValueError, match="`attention_axes` of MultiHeadAttention.*Received: attention_axes='x'"):
        layers.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes="x")
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=2, name="mha")
    with pytest.raises(ValueError, match="'mha'.*rank >= 3.*query=\\(2, 3, 4\\), value=\\(2, 4\\)"):
        layer(np.zeros((2, 3, 4), "float32"), np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match="'mha'.*attention_axes must name axes.*Received: attention_axes=\\(2,\\)"):
        layers.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes=2, name="mha")(np.zeros((2, 3, 4), "float32"))


# -- MultiHeadAttention: use_gate and sliding_window ----------------------------------------------
def reference_mha(layer, query, value, keep=None):
    """NumPy multi-head attention from ``layer``'s weights (query, key, [gate], value, output)."""
    weights = [to_numpy(w) for w in layer.weights]
    wq, bq, wk, bk = weights[:4]
    gate = None
    if layer.use_gate:
        wg, bg = weights[4:6]
        gate = 1 / (1 + np.exp(-(np.einsum("btd,dnh->btnh", query, wg) + bg)))
        weights = weights[:4] + weights[6:]
    wv, bv, wo, bo = weights[4:]
    q = np.einsum("btd,dnh->btnh", query, wq) + bq
    k = np.einsum("bsd,dnh->bsnh", value, wk) + bk
    v = np.einsum("bsd,dnh->bsnh", value, wv) + bv
    scores = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(layer.key_dim)
    if keep is not None:
        scores = np.where(keep[:, None], scores, -1e9)
    heads = np.einsum("bnts,bsnh->btnh", softmax(scores), v)
    if gate is not None:
        heads = heads * gate
    return np.einsum("btnh,nho->bto", heads, wo) + bo


def test_mha_use_gate_matches_numpy(engine, rng):
    query, value = rng.standard_normal((2, 3, 4)).astype("float32"), rng.standard_normal((2, 5, 6)).astype("float32")
    layer = layers.MultiHeadAttention(2, 3, value_dim=2, use_gate=True, bias_initializer="random_normal")
    out = to_numpy(layer(query, value))
    assert [w.path.split("/")[-2:] for w in layer.weights[4:6]] == [["gate", "kernel"], ["gate", "bias"]]
    assert tuple(layer.weights[4].shape) == (4, 2, 2)
    np.testing.assert_allclose(out, reference_mha(layer, query, value), rtol=1e-4, atol=1e-5)
    plain = layers.MultiHeadAttention(2, 3, value_dim=2)
    plain(query, value)
    assert len(plain.weights) == len(layer.weights) - 2
    config = layer.get_config()
    assert config["use_gate"] is True and roundtrip(layer).use_gate


@pytest.mark.parametrize("causal", [False, True])
def test_mha_sliding_window_matches_numpy(engine, rng, causal):
    x = rng.standard_normal((2, 6, 4)).astype("float32")
    layer = layers.MultiHeadAttention(2, 3, sliding_window=2)
    offsets = np.arange(6)[:, None] - np.arange(6)[None, :]
    keep = np.abs(offsets) < 2
    if causal:
        keep &= offsets >= 0
    out, scores = layer(x, x, use_causal_mask=causal, return_attention_scores=True)
    np.testing.assert_allclose(to_numpy(out), reference_mha(layer, x, x, np.broadcast_to(keep, (2, 6, 6))),
                               rtol=1e-4, atol=1e-5)
    assert np.all(to_numpy(scores)[..., ~keep] < 1e-6)
    fused = layer(x, x, use_causal_mask=causal)  # the fused kernel path (no scores) agrees
    np.testing.assert_allclose(to_numpy(fused), to_numpy(out), rtol=1e-5, atol=1e-5)
    inputs = layers.Input((6, 4))
    model = Model(inputs, layer(inputs, inputs, use_causal_mask=causal))
    np.testing.assert_allclose(model.predict(x, verbose=0), to_numpy(out), rtol=1e-5, atol=1e-5)
    assert roundtrip(layer).get_config()["sliding_window"] == 2


@pytest.mark.parametrize("kwargs, message", [
    (dict(sliding_window=0), r"`sliding_window` of MultiHeadAttention.*sliding_window=0"),
    (dict(use_gate="yes"), r"`use_gate` of MultiHeadAttention.*use_gate='yes'"),
    (dict(kernel_initializer="nope"), r"`kernel_initializer` of MultiHeadAttention.*kernel_initializer='nope'"),
])
def test_mha_new_bad_arguments(engine, kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.MultiHeadAttention(2, 3, **kwargs)
