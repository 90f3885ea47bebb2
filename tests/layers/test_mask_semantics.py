"""Mask semantics as Keras 3 defines them: merges OR their inputs' masks, a fully masked Softmax row is
zeros, the 1-D global poolings leave masked steps out, attention layers take ``compute_mask(inputs,
mask=...)``. Numbers are worked by hand; models with ``Embedding(mask_zero=True)`` check that eager calls,
``predict``, ``evaluate`` and ``fit`` agree (on JAX the last three run jitted steps)."""

import math

import numpy as np
import pytest
from layer_checks import assert_masked_paths_agree, to_numpy

from lamina import layers, ops
from lamina.models import Model

CL, CF = "channels_last", "channels_first"
SEQUENCES = [[3, 7, 1, 9, 2], [4, 8], [5, 1, 6], [2]]


# -- merges ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [layers.Add, layers.Subtract, layers.Multiply, layers.Average, layers.Maximum,
                                 layers.Minimum])
def test_merge_masks_are_ored(engine, cls):
    x = np.zeros((1, 2, 3), "float32")
    mask = cls().compute_mask([x, x], [[[True, False]], [[False, True]]])
    np.testing.assert_array_equal(to_numpy(mask), [[True, True]])
    mask = cls().compute_mask([x, x], [np.array([[True, False]]), np.array([[False, False]])])
    np.testing.assert_array_equal(to_numpy(mask), [[True, False]])
    # An input without a mask keeps every step, so nothing is masked.
    assert cls().compute_mask([x, x], [[[True, False]], None]) is None
    assert cls().compute_mask([x, x], None) is None


def test_merge_mask_needs_one_entry_per_input(engine):
    x = np.zeros((1, 2, 3), "float32")
    with pytest.raises(ValueError, match=r"\(Add\).*same length"):
        layers.Add().compute_mask([x, x], [[[True, False]]])


def test_concatenate_masks_are_ored_along_features(engine):
    x, z = np.zeros((1, 3, 2), "float32"), np.zeros((1, 3, 4), "float32")
    a, b = np.array([[True, False, False]]), np.array([[False, False, True]])
    np.testing.assert_array_equal(to_numpy(layers.Concatenate().compute_mask([x, z], [a, b])),
                                  [[True, False, True]])
    np.testing.assert_array_equal(to_numpy(layers.Concatenate().compute_mask([x, z], [a, None])),
                                  [[True, True, True]])
    np.testing.assert_array_equal(to_numpy(layers.Concatenate(axis=1).compute_mask([x, x], [a, None])),
                                  [[True, False, False, True, True, True]])


# -- softmax --------------------------------------------------------------------------------------
def test_softmax_fully_masked_row_is_zeros(engine):
    logits = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], "float32")
    mask = np.array([[True, True, False], [False, False, False]])
    e1, e2 = math.exp(1.0), math.exp(2.0)
    expected = [[e1 / (e1 + e2), e2 / (e1 + e2), 0.0], [0.0, 0.0, 0.0]]
    np.testing.assert_allclose(to_numpy(layers.Softmax()(logits, mask=mask)), expected, rtol=1e-6, atol=1e-7)
    # 0/1 masks keep where they are 1, as Keras.
    np.testing.assert_allclose(to_numpy(layers.Softmax()(logits, mask=mask.astype("float32"))), expected,
                               rtol=1e-6, atol=1e-7)
    # A mask of lower rank covers the leading axes: here whole rows.
    rows = to_numpy(layers.Softmax()(logits, mask=np.array([True, False])))
    np.testing.assert_allclose(rows[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-6)
    np.testing.assert_array_equal(rows[1], 0.0)


def test_softmax_mask_in_a_compiled_model(engine):
    logits, keep = layers.Input((3,)), layers.Input((3,), dtype="bool")
    model = Model([logits, keep], layers.Softmax()(logits, mask=keep))
    x = np.array([[0.0, math.log(3.0), 5.0], [1.0, 2.0, 3.0]], "float32")
    mask = np.array([[True, True, False], [False, False, False]])
    np.testing.assert_allclose(model.predict([x, mask], verbose=0), [[0.25, 0.75, 0.0], [0.0, 0.0, 0.0]],
                               rtol=1e-6, atol=1e-7)


def _attention_pooling(h):
    """Softmax over steps of a score per step (the propagated (batch, steps) mask), then the weighted sum."""
    weights = layers.Softmax(axis=1)(layers.Dense(1)(h))
    return layers.Flatten()(layers.Dot(axes=1)([weights, h]))


def _merged_branches(h):
    return layers.GlobalAveragePooling1D(data_format=CL)(layers.Add()([layers.Dense(3)(h), layers.Dense(3)(h)]))


def _concatenated_branches(h):
    return layers.GlobalMaxPooling1D(data_format=CL)(layers.Concatenate()([layers.Dense(2)(h), h]))


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("body", [_attention_pooling, _merged_branches, _concatenated_branches],
                         ids=["softmax", "add", "concatenate"])
def test_masked_models_agree_on_every_path(engine, rng, body, padding):
    inputs = layers.Input((None,), dtype="int32")
    model = Model(inputs, layers.Dense(1)(body(layers.Embedding(10, 4, mask_zero=True)(inputs))))
    y = rng.normal(size=(len(SEQUENCES), 1)).astype("float32")
    assert_masked_paths_agree(model, SEQUENCES, y, padding=padding)


# -- 1-D global pooling ---------------------------------------------------------------------------
X = np.array([[[1.0, 10.0], [3.0, -2.0], [np.nan, np.inf]],
              [[-4.0, 0.5], [8.0, 1.0], [2.0, 7.0]]], "float32")
KEEP = np.array([[True, True, False], [True, False, True]])


@pytest.mark.parametrize("data_format", [CL, CF])
def test_global_pooling_1d_leaves_masked_steps_out(engine, data_format):
    x = X if data_format == CL else np.swapaxes(X, 1, 2)
    average = layers.GlobalAveragePooling1D(data_format=data_format)(x, mask=KEEP)
    maximum = layers.GlobalMaxPooling1D(data_format=data_format)(x, mask=KEEP)
    # sum(x * mask) / sum(mask), by hand: the NaN and inf of the masked step never reach the result.
    np.testing.assert_allclose(to_numpy(average), [[2.0, 4.0], [-1.0, 3.75]], rtol=1e-6)
    np.testing.assert_allclose(to_numpy(maximum), [[3.0, 10.0], [2.0, 7.0]], rtol=1e-6)
    kept = layers.GlobalAveragePooling1D(data_format=data_format, keepdims=True)(x, mask=KEEP)
    assert tuple(kept.shape) == ((2, 1, 2) if data_format == CL else (2, 2, 1))


def test_global_pooling_1d_output_has_no_mask(engine):
    tokens = layers.Input((None,), dtype="int32")
    embedded = layers.Embedding(5, 2, mask_zero=True)(tokens)
    for pooling in (layers.GlobalAveragePooling1D(data_format=CL), layers.GlobalMaxPooling1D(data_format=CL)):
        assert getattr(pooling(embedded), "_keras_mask", None) is None
        assert pooling.compute_mask(embedded, ops.ones((2, 3), dtype="bool")) is None


# -- attention ------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [layers.Attention, layers.AdditiveAttention])
def test_attention_compute_mask_takes_keras_argument_name(engine, cls):
    q, v = np.ones((1, 2, 3), "float32"), np.ones((1, 4, 3), "float32")
    query_mask = np.array([[True, False]])
    np.testing.assert_array_equal(to_numpy(cls().compute_mask([q, v], mask=[query_mask, None])), query_mask)
    assert cls().compute_mask([q, v], mask=[None, np.array([[True, True, False, True]])]) is None
    assert cls().compute_mask([q, v], mask=None) is None
    assert cls().compute_mask([q, v]) is None
