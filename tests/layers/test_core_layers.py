"""Embedding, Masking, Lambda, Activation, Dropout, ActivityRegularization and Identity: numbers against
NumPy, masks and the ``training`` flag through models, config round trips, and constructor errors."""

import numpy as np
import pytest
from layer_checks import roundtrip, to_numpy

import lamina
from lamina import layers, ops, serialization
from lamina.backend.common.masking import get_mask
from lamina.models import Model, Sequential


class MaskedMean(layers.Layer):
    """Mean over axis 1 of the steps the mask keeps: reads the mask a previous layer attached."""

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.mean(inputs, axis=1)
        weights = ops.expand_dims(ops.cast(mask, ops.dtype(inputs)), -1)
        return ops.divide(ops.sum(ops.multiply(inputs, weights), axis=1), ops.sum(weights, axis=1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[2:])


def masked_mean_reference(values, keep):
    weights = keep[..., None].astype(values.dtype)
    return (values * weights).sum(axis=1) / weights.sum(axis=1)


# -- Embedding ------------------------------------------------------------------------------------
def test_embedding_looks_up_rows(engine, rng):
    table = rng.normal(size=(7, 3)).astype("float32")
    layer = layers.Embedding(7, 3, weights=table)
    assert layer.built and [w.name for w in layer.weights] == ["embeddings"]
    assert layer.embeddings.shape == (7, 3)
    for dtype in ("int32", "int64", "float32"):
        indices = np.array([[0, 6, 2], [3, 3, 1]], dtype=dtype)
        out = layer(indices)
        assert ops.dtype(out) == "float32"
        np.testing.assert_allclose(to_numpy(out), table[indices.astype("int64")], rtol=1e-6)
    assert get_mask(out) is None


def test_embedding_default_initializer_is_uniform_005(engine):
    layer = layers.Embedding(50, 40)
    layer.build()
    values = to_numpy(layer.embeddings)
    assert values.shape == (50, 40)
    assert np.abs(values).max() <= 0.05 and values.std() > 0.02


def test_embedding_shapes_and_symbolic_mask(engine):
    layer = layers.Embedding(10, 4, mask_zero=True)
    assert layer.compute_output_shape((None, 5)) == (None, 5, 4)
    inputs = layers.Input((5,), dtype="int32")
    out = layer(inputs)
    assert out.shape == (None, 5, 4) and out.dtype == "float32"
    assert get_mask(out).shape == (None, 5) and get_mask(out).dtype == "bool"


def test_embedding_mask_zero(engine):
    indices = np.array([[3, 1, 0, 0], [2, 0, 5, 0]], dtype="int32")
    out = layers.Embedding(6, 2, mask_zero=True)(indices)
    np.testing.assert_array_equal(to_numpy(get_mask(out)), indices != 0)


def test_embedding_weights_list_and_wrong_shape(engine):
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = layers.Embedding(3, 2, weights=[table])
    np.testing.assert_array_equal(to_numpy(layer(np.array([2, 0]))), table[[2, 0]])
    with pytest.raises(ValueError, match=r"weight shape \(3, 2\) is not compatible"):
        layers.Embedding(3, 2, weights=np.zeros((4, 2), "float32"))


def test_embedding_regularizer_in_losses(engine):
    table = np.array([[1.0, -2.0], [0.5, 0.0]], dtype="float32")
    layer = layers.Embedding(2, 2, weights=table, embeddings_regularizer=lamina.regularizers.L1L2(l1=0.1))
    np.testing.assert_allclose(float(to_numpy(layer.losses[0])), 0.1 * np.abs(table).sum(), rtol=1e-6)


def test_embedding_config_roundtrip(engine, rng):
    layer = layers.Embedding(9, 3, mask_zero=True, embeddings_initializer="glorot_uniform")
    indices = rng.integers(0, 9, size=(2, 4))
    expected = to_numpy(layer(indices))
    config = layer.get_config()
    assert config["input_dim"] == 9 and config["output_dim"] == 3 and config["mask_zero"] is True
    clone = roundtrip(layer)
    np.testing.assert_array_equal(to_numpy(clone(indices)), expected)
    assert clone.mask_zero


def test_embedding_input_length_is_accepted_with_a_warning(engine):
    with pytest.warns(UserWarning, match="input_length"):
        layer = layers.Embedding(4, 2, input_length=3)
    assert "input_length" not in layer.get_config()


@pytest.mark.parametrize("kwargs, message", [
    ({"input_dim": 0, "output_dim": 2}, r"`input_dim` of Embedding.*positive integer.*input_dim=0"),
    ({"input_dim": 4, "output_dim": 2.5}, r"`output_dim` of Embedding.*output_dim=2.5"),
    ({"input_dim": 4, "output_dim": 2, "lora_rank": 0}, r"`lora_rank` of Embedding.*lora_rank=0"),
    ({"input_dim": 4, "output_dim": 2, "embeddings_initializer": "nope"},
     r"`embeddings_initializer` of Embedding.*embeddings_initializer='nope'"),
])
def test_embedding_bad_arguments(engine, kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Embedding(**kwargs)


# -- Masking --------------------------------------------------------------------------------------
def test_masking_output_and_mask(engine, rng):
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    x[0, 1] = -1.0
    x[1, 3] = -1.0
    x[1, 0, 0] = -1.0  # only partly equal to mask_value: kept
    out = layers.Masking(mask_value=-1.0)(x)
    keep = np.any(x != -1.0, axis=-1)
    np.testing.assert_array_equal(to_numpy(get_mask(out)), keep)
    np.testing.assert_allclose(to_numpy(out), x * keep[..., None])


def test_masking_symbolic_and_config(engine):
    layer = layers.Masking(mask_value=2.0)
    out = layer(layers.Input((5, 3)))
    assert out.shape == (None, 5, 3) and get_mask(out).shape == (None, 5)
    assert roundtrip(layer).mask_value == 2.0
    with pytest.raises(ValueError, match=r"`mask_value` of Masking.*Received: mask_value='x'"):
        layers.Masking(mask_value="x")


# -- masks through models -------------------------------------------------------------------------
def _masked_model_reference(model, indices):
    embedding, dense = [layer for layer in model.layers if isinstance(layer, (layers.Embedding, layers.Dense))]
    table, kernel, bias = embedding.get_weights() + dense.get_weights()
    return masked_mean_reference(table[indices] @ kernel + bias, indices != 0)


def test_mask_flows_through_functional_model(engine):
    indices = np.array([[4, 2, 0, 0], [1, 1, 1, 3]], dtype="int32")
    inputs = layers.Input((4,), dtype="int32")
    hidden = layers.Dense(3)(layers.Embedding(5, 2, mask_zero=True)(inputs))
    assert get_mask(hidden).shape == (None, 4)
    model = Model(inputs, [hidden, MaskedMean()(hidden)])
    hidden_out, pooled = model(indices)
    np.testing.assert_array_equal(to_numpy(get_mask(hidden_out)), indices != 0)
    np.testing.assert_allclose(to_numpy(pooled), _masked_model_reference(model, indices), rtol=1e-5)


def test_mask_flows_through_sequential(engine):
    indices = np.array([[4, 2, 0, 0], [3, 0, 0, 0]], dtype="int32")
    pooling = MaskedMean()
    model = Sequential([layers.Embedding(5, 2, mask_zero=True), layers.Dense(3), layers.Activation("tanh"), pooling])
    out = model(indices)
    embedding, dense = model.layers[:2]
    table, kernel, bias = embedding.get_weights() + dense.get_weights()
    expected = masked_mean_reference(np.tanh(table[indices] @ kernel + bias), indices != 0)
    np.testing.assert_allclose(to_numpy(out), expected, rtol=1e-5)
    unmasked = np.tanh(table[indices] @ kernel + bias).mean(axis=1)
    assert not np.allclose(to_numpy(out), unmasked)  # the mask made a difference


# -- Dropout --------------------------------------------------------------------------------------
def test_dropout_inference_is_identity(engine, rng):
    x = rng.normal(size=(3, 5)).astype("float32")
    layer = layers.Dropout(0.5)
    np.testing.assert_array_equal(to_numpy(layer(x)), x)
    np.testing.assert_array_equal(to_numpy(layer(x, training=False)), x)
    assert layer.compute_output_shape((None, 5)) == (None, 5)


def test_dropout_training_drops_rate_fraction_and_rescales(engine):
    rate = 0.3
    out = to_numpy(layers.Dropout(rate, seed=7)(np.ones((200, 100), "float32"), training=True))
    dropped = out == 0.0
    assert abs(dropped.mean() - rate) < 0.02
    np.testing.assert_allclose(out[~dropped], 1.0 / (1.0 - rate), rtol=1e-6)


def test_dropout_seeded_reproducibility(engine):
    x = np.ones((8, 16), "float32")
    first, second = layers.Dropout(0.5, seed=3), layers.Dropout(0.5, seed=3)
    a1, a2 = to_numpy(first(x, training=True)), to_numpy(first(x, training=True))
    b1, b2 = to_numpy(second(x, training=True)), to_numpy(second(x, training=True))
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert not np.array_equal(a1, a2)  # the layer's seed generator moves on between calls


def test_dropout_noise_shape_drops_whole_slices(engine):
    out = to_numpy(layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=1)(np.ones((4, 5, 6), "float32"),
                                                                        training=True))
    np.testing.assert_array_equal(out, np.broadcast_to(out[:, :1, :], out.shape))
    assert 0 < (out == 0).mean() < 1


def test_dropout_rate_zero_and_one(engine):
    x = np.full((2, 3), 2.0, "float32")
    np.testing.assert_array_equal(to_numpy(layers.Dropout(0.0)(x, training=True)), x)
    np.testing.assert_array_equal(to_numpy(layers.Dropout(1.0)(x, training=True)), np.zeros_like(x))


def test_training_flag_reaches_dropout_in_sequential(engine):
    x = np.ones((4, 3), "float32")
    model = Sequential([layers.Dense(50, kernel_initializer="ones"), layers.Dropout(0.5, seed=2)])
    np.testing.assert_array_equal(to_numpy(model(x)), np.full((4, 50), 3.0))
    np.testing.assert_array_equal(to_numpy(model(x, training=False)), np.full((4, 50), 3.0))
    out = to_numpy(model(x, training=True))
    assert set(np.unique(out)) == {0.0, 6.0}


def test_training_flag_reaches_dropout_in_nested_models(engine):
    inner = Sequential([layers.Identity(), layers.Dropout(0.5, seed=5)])
    inputs = layers.Input((40,))
    model = Model(inputs, inner(inputs))
    x = np.ones((3, 40), "float32")
    np.testing.assert_array_equal(to_numpy(model(x)), x)
    assert set(np.unique(to_numpy(model(x, training=True)))) == {0.0, 2.0}


def test_dropout_config_roundtrip(engine):
    layer = layers.Dropout(0.25, noise_shape=(None, 1), seed=11)
    config = layer.get_config()
    assert (config["rate"], config["seed"], tuple(config["noise_shape"])) == (0.25, 11, (None, 1))
    clone = roundtrip(layer)
    x = np.ones((6, 4), "float32")
    np.testing.assert_array_equal(to_numpy(clone(x, training=True)), to_numpy(layer(x, training=True)))


@pytest.mark.parametrize("rate", [1.5, -0.1, "0.5", True])
def test_dropout_bad_rate(engine, rate):
    with pytest.raises(ValueError) as info:
        layers.Dropout(rate)
    assert str(info.value) == ("Invalid value for argument `rate` of Dropout. Expected a float between 0 and 1. "
                               f"Received: rate={rate!r}")


def test_dropout_bad_noise_shape(engine):
    with pytest.raises(ValueError, match=r"`noise_shape` of Dropout.*Received: noise_shape=\(2, 0\)"):
        layers.Dropout(0.5, noise_shape=(2, 0))


# -- ActivityRegularization -----------------------------------------------------------------------
def test_activity_regularization_adds_loss_per_batch_sample(engine, rng):
    x = rng.normal(size=(4, 3)).astype("float32")
    layer = layers.ActivityRegularization(l1=0.01, l2=0.02)
    np.testing.assert_array_equal(to_numpy(layer(x)), x)
    expected = (0.01 * np.abs(x).sum() + 0.02 * np.square(x).sum()) / 4
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(to_numpy(layer.losses[0])), expected, rtol=1e-5)
    layer(x)
    assert len(layer.losses) == 1  # each call replaces the previous call's loss


def test_activity_regularization_loss_reaches_model(engine):
    x = np.full((2, 3), 2.0, "float32")
    model = Sequential([layers.Identity(), layers.ActivityRegularization(l2=0.5)])
    model(x)
    np.testing.assert_allclose([float(to_numpy(loss)) for loss in model.losses], [0.5 * 4.0 * 6 / 2])


def test_activity_regularization_config_and_errors(engine):
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    config = layer.get_config()
    assert (config["l1"], config["l2"]) == (0.1, 0.2) and "activity_regularizer" not in config
    clone = roundtrip(layer)
    assert (clone.l1, clone.l2) == (0.1, 0.2)
    with pytest.raises(ValueError, match=r"`l1`.*Received: l1='a'"):
        layers.ActivityRegularization(l1="a")
    with pytest.raises(ValueError, match="builds its own activity regularizer"):
        layers.ActivityRegularization(activity_regularizer="l2")


# -- Activation and Identity ----------------------------------------------------------------------
def test_activation_numbers(engine, rng):
    x = rng.normal(size=(2, 5)).astype("float32")
    np.testing.assert_allclose(to_numpy(layers.Activation("relu")(x)), np.maximum(x, 0))
    exp = np.exp(x - x.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(to_numpy(layers.Activation("softmax")(x)), exp / exp.sum(-1, keepdims=True),
                               rtol=1e-5)
    np.testing.assert_allclose(to_numpy(layers.Activation(None)(x)), x)
    np.testing.assert_allclose(to_numpy(layers.Activation(ops.tanh)(x)), np.tanh(x), rtol=1e-6)


def test_activation_config_and_errors(engine, rng):
    x = rng.normal(size=(2, 3)).astype("float32")
    clone = roundtrip(layers.Activation("sigmoid"))
    assert clone.get_config()["activation"] == "sigmoid"
    np.testing.assert_allclose(to_numpy(clone(x)), 1 / (1 + np.exp(-x)), rtol=1e-6)
    assert layers.Activation("relu").compute_output_shape((None, 3)) == (None, 3)
    with pytest.raises(ValueError, match="Unknown activation: 'nope'"):
        layers.Activation("nope")


def test_identity_passes_values_masks_and_dtypes(engine):
    indices = np.array([[1, 0, 2]], dtype="int32")
    out = layers.Identity()(layers.Embedding(3, 2, mask_zero=True)(indices))
    np.testing.assert_array_equal(to_numpy(get_mask(out)), indices != 0)
    symbolic = layers.Identity()(layers.Input((3,), dtype="int32"))
    assert symbolic.shape == (None, 3) and symbolic.dtype == "int32"
    np.testing.assert_array_equal(to_numpy(layers.Identity()(indices)), indices)
    assert roundtrip(layers.Identity(name="skip")).name == "skip"


# -- Lambda ---------------------------------------------------------------------------------------
def scale_rows(x, factor=1.0, mode="scale"):
    return ops.multiply(x, factor) if mode == "scale" else ops.add(x, factor)


def test_lambda_with_arguments_and_output_shape(engine, rng):
    x = rng.normal(size=(2, 3)).astype("float32")
    layer = layers.Lambda(scale_rows, output_shape=(3,), arguments={"factor": 3.0})
    np.testing.assert_allclose(to_numpy(layer(x)), 3.0 * x, rtol=1e-6)
    assert layer.compute_output_shape((None, 3)) == (None, 3)
    assert layer(layers.Input((3,))).shape == (None, 3)


def test_lambda_output_shape_forms(engine):
    concat = layers.Lambda(lambda x: ops.concatenate([x, x], axis=-1))
    assert concat.compute_output_shape((None, 4)) == (None, 8)  # inferred by a symbolic run
    by_function = layers.Lambda(lambda x: x, output_shape=lambda shape: shape[:1] + (7,))
    assert by_function(layers.Input((2,))).shape == (None, 7)
    several = layers.Lambda(lambda x: [x, x], output_shape=[(2,), [5]])
    assert [t.shape for t in several(layers.Input((2,)))] == [(None, 2), (None, 5)]
    argmax = layers.Lambda(lambda x: ops.argmax(x, axis=-1))(layers.Input((4,)))
    assert argmax.shape == (None,) and argmax.dtype == "int32"  # the function's own dtype


def test_lambda_shape_inference_failure_is_explained(engine):
    layer = layers.Lambda(lambda x: ops.multiply(x, float(x.shape[0])))  # batch size unknown symbolically
    with pytest.raises(NotImplementedError, match="Pass the `output_shape` argument"):
        layer(layers.Input((4,)))


def test_lambda_masks_and_training_reach_function(engine):
    seen = {}

    def record(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    indices = np.array([[1, 0]], dtype="int32")
    embedded = layers.Embedding(2, 2, mask_zero=True)(indices)
    layers.Lambda(record)(embedded, training=True)
    np.testing.assert_array_equal(to_numpy(seen["mask"]), [[True, False]])
    assert seen["training"] is True
    out = layers.Lambda(lambda x: x, mask=lambda inputs, mask: ops.logical_not(mask))(embedded)
    np.testing.assert_array_equal(to_numpy(get_mask(out)), [[False, True]])
    assert get_mask(layers.Lambda(lambda x: ops.add(x, 1.0))(embedded)) is None


def test_lambda_named_function_config_roundtrip(engine, rng):
    x = rng.normal(size=(2, 3)).astype("float32")
    layer = layers.Lambda(scale_rows, arguments={"factor": 2.0, "mode": "shift"}, output_shape=(3,))
    config = layer.get_config()
    assert config["function"] == {"module": __name__, "class_name": "function", "config": "scale_rows",
                                  "registered_name": "scale_rows"}
    assert config["output_shape"] == (3,) and config["arguments"] == {"factor": 2.0, "mode": "shift"}
    with pytest.raises(ValueError, match="Could not locate the function 'scale_rows'"):
        layers.Lambda.from_config(config)
    clone = layers.Lambda.from_config(config, custom_objects={"scale_rows": scale_rows})
    assert clone.function is scale_rows and clone.arguments["mode"] == "shift"
    np.testing.assert_allclose(to_numpy(clone(x)), x + 2.0, rtol=1e-6)
    assert layers.Lambda.from_config(config, safe_mode=False).function is scale_rows  # module import


def test_lambda_builtin_names_resolve(engine):
    layer = layers.Lambda(ops.abs)
    clone = layers.Lambda.from_config(layer.get_config())
    np.testing.assert_array_equal(to_numpy(clone(np.array([-1.0, 2.0], "float32"))), [1.0, 2.0])
    keras_config = {"module": "keras.src.ops.numpy", "class_name": "function", "config": "square",
                    "registered_name": "square"}
    clone = layers.Lambda.from_config({"function": keras_config, "arguments": {}})
    np.testing.assert_array_equal(to_numpy(clone(np.array([3.0], "float32"))), [9.0])


def test_lambda_python_lambda_needs_unsafe_mode(engine, rng):
    offset = 0.5
    layer = layers.Lambda(lambda x, k=2.0: ops.add(ops.multiply(x, k), offset),
                          output_shape=lambda shape: shape)
    config = layer.get_config()
    assert config["function"]["class_name"] == "__lambda__"
    assert config["function"]["config"]["closure"] == (0.5,)
    assert config["function"]["config"]["defaults"] == (2.0,)
    with pytest.raises(ValueError, match="Python lambda. Deserializing it is unsafe"):
        layers.Lambda.from_config(config)
    with pytest.raises(ValueError, match="Python lambda"):
        serialization.deserialize(serialization.serialize(layer), module_objects=vars(layers))
    x = rng.normal(size=(2, 3)).astype("float32")
    clone = layers.Lambda.from_config(config, safe_mode=False)
    np.testing.assert_allclose(to_numpy(clone(x)), 2.0 * x + 0.5, rtol=1e-6)
    assert clone.compute_output_shape((None, 3)) == (None, 3)
    with serialization.safe_mode_scope(False):
        clone = serialization.deserialize(serialization.serialize(layer), module_objects=vars(layers))
    np.testing.assert_allclose(to_numpy(clone(x)), 2.0 * x + 0.5, rtol=1e-6)
    with pytest.raises(ValueError, match="Python lambda"):
        layers.Lambda.from_config(config, safe_mode=True)


def test_lambda_body_may_use_lamina_names(engine, monkeypatch):
    config = layers.Lambda(lambda x: lamina.ops.negative(x)).get_config()
    clone = layers.Lambda.from_config(config, safe_mode=False)
    np.testing.assert_array_equal(to_numpy(clone(np.array([1.0], "float32"))), [-1.0])


@pytest.mark.parametrize("kwargs, message", [
    ({"function": 3}, r"`function` of Lambda. Expected a callable. Received: function=3"),
    ({"function": abs, "output_shape": 3}, r"`output_shape` of Lambda.*Received: output_shape=3"),
    ({"function": abs, "arguments": [1]}, r"`arguments` of Lambda. Expected a dict. Received: arguments=\[1\]"),
])
def test_lambda_bad_arguments(engine, kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Lambda(**kwargs)



# -- Embedding: indices out of range --------------------------------------------------------------
@pytest.mark.parametrize("bad", [5, -1])
def test_embedding_index_out_of_range_names_the_layer(engine, bad):
    layer = layers.Embedding(5, 2, name="words")
    indices = np.array([[1, bad, 0]], "int32")
    message = rf"Embedding layer 'words'.*input_dim=5.*Received index {bad}"
    with pytest.raises(ValueError, match=message):
        layer(indices)
    layer(np.zeros((1, 0), "int32"))  # an empty batch has nothing to check


@pytest.mark.parametrize("bad", [7, -2])
def test_embedding_index_out_of_range_in_predict_and_fit(engine, bad):
    model = Sequential([layers.Input((3,), dtype="int32"), layers.Embedding(5, 2, name="words"), layers.Flatten(),
                        layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.array([[1, 2, 3], [1, bad, 0]], "int32")
    y = np.zeros((2, 1), "float32")
    for run in (lambda: model.predict(x, verbose=0), lambda: model.evaluate(x, y, verbose=0),
                lambda: model.fit(x, y, verbose=0)):
        with pytest.raises(ValueError, match=rf"'words'.*input_dim=5.*Received index {bad}"):
            run()
