"""LoRA on Dense, EinsumDense, Conv2D and Embedding: enabling it leaves the outputs unchanged, the layer
computes with ``W + (alpha / rank) a @ b``, only the factors (and the bias) train, config and .keras files
carry it, and misuse is refused."""

import os

import numpy as np
import pytest
from layer_checks import roundtrip, to_numpy

import lamina
from lamina import layers
from lamina.models import Sequential


def _dense():
    return layers.Dense(3), (5,), lambda rng: rng.normal(size=(4, 5)).astype("float32")


def _einsum():
    return (layers.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d"), (2, 5),
            lambda rng: rng.normal(size=(4, 2, 5)).astype("float32"))


def _conv():
    return (layers.Conv2D(3, 2, data_format="channels_last"), (4, 4, 2),
            lambda rng: rng.normal(size=(4, 4, 4, 2)).astype("float32"))


def _embedding():
    return layers.Embedding(6, 3), (2,), lambda rng: rng.integers(0, 6, size=(4, 2)).astype("int32")


FACTORIES = {"Dense": _dense, "EinsumDense": _einsum, "Conv2D": _conv, "Embedding": _embedding}
TARGET = {"Dense": "kernel", "EinsumDense": "kernel", "Conv2D": "kernel", "Embedding": "embeddings"}


@pytest.mark.parametrize("kind", FACTORIES)
def test_enable_lora_starts_unchanged_and_merges_the_factors(engine, rng, kind):
    layer, shape, make = FACTORIES[kind]()
    x = make(rng)
    before = to_numpy(layer(x))
    target = TARGET[kind]
    base = to_numpy(getattr(layer, target))
    layer.enable_lora(2, lora_alpha=3.0)
    a, b = getattr(layer, f"lora_{target}_a"), getattr(layer, f"lora_{target}_b")
    assert tuple(a.shape) == base.shape[:-1] + (2,) and tuple(b.shape) == (2, base.shape[-1])
    assert not np.any(to_numpy(b))
    np.testing.assert_allclose(to_numpy(layer(x)), before, rtol=1e-6)
    # Random factors: the effective weight is base + alpha / rank * a @ b.
    a_value = rng.normal(size=a.shape).astype("float32")
    b_value = rng.normal(size=b.shape).astype("float32")
    a.assign(a_value)
    b.assign(b_value)
    merged = base + 1.5 * (a_value @ b_value)
    np.testing.assert_allclose(to_numpy(getattr(layer, target)), merged, rtol=1e-5, atol=1e-5)
    reference = FACTORIES[kind]()[0]
    reference.build((None,) + shape)
    reference.set_weights([merged] + [w for w in layer.get_weights()[1:-2]])
    np.testing.assert_allclose(to_numpy(layer(x)), to_numpy(reference(x)), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("kind", FACTORIES)
def test_lora_trains_only_the_factors(engine, rng, kind):
    layer, shape, make = FACTORIES[kind]()
    x = make(rng)
    model = Sequential([layers.Input(shape, dtype=str(x.dtype)), layer, layers.Flatten(), layers.Dense(1)])
    target = TARGET[kind]
    layer.enable_lora(2)
    expected = [f"lora_{target}_a", f"lora_{target}_b"]
    assert [w.name for w in layer.trainable_weights] == (expected if kind == "Embedding" else ["bias"] + expected)
    assert [w.name for w in layer.non_trainable_weights] == [target]
    base = to_numpy(getattr(layer, f"_{target}"))
    before = to_numpy(model.predict(x, verbose=0))
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    model.fit(x, rng.normal(size=(4, 1)).astype("float32"), epochs=2, batch_size=4, verbose=0)
    np.testing.assert_array_equal(to_numpy(getattr(layer, f"_{target}")), base)
    assert np.any(to_numpy(getattr(layer, f"lora_{target}_b")))
    assert not np.allclose(to_numpy(model.predict(x, verbose=0)), before)


def test_lora_rank_argument_config_and_keras_file(engine, rng, tmp_path):
    x = rng.normal(size=(4, 5)).astype("float32")
    layer = layers.Dense(3, lora_rank=2, lora_alpha=4)
    model = Sequential([layers.Input((5,)), layer])
    assert layer.lora_enabled and [w.name for w in layer.trainable_weights] == ["bias", "lora_kernel_a",
                                                                               "lora_kernel_b"]
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (2, 4)
    assert "lora_rank" not in layers.Dense(3).get_config()
    layer.lora_kernel_b.assign(rng.normal(size=(2, 3)).astype("float32"))
    clone = roundtrip(layer)
    assert clone.lora_enabled
    np.testing.assert_allclose(to_numpy(clone(x)), to_numpy(layer(x)), rtol=1e-6)
    path = os.path.join(tmp_path, "lora.keras")
    model.save(path)
    loaded = lamina.saving.load_model(path)
    np.testing.assert_allclose(to_numpy(loaded(x)), to_numpy(model(x)), rtol=1e-6)


def test_lora_misuse_is_refused(engine):
    with pytest.raises(ValueError, match="`lora_rank` of Dense.*lora_rank=0"):
        layers.Dense(3, lora_rank=0)
    unbuilt = layers.Dense(3)
    with pytest.raises(ValueError, match="isn't built"):
        unbuilt.enable_lora(2)
    constrained = layers.Dense(3, kernel_constraint="non_neg")
    constrained.build((None, 4))
    with pytest.raises(ValueError, match="kernel_constraint"):
        constrained.enable_lora(2)
    layer = layers.Embedding(4, 2)
    layer.build()
    layer.enable_lora(1)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(1)


SNAKE = {"Dense": "dense", "EinsumDense": "einsum_dense", "Conv2D": "conv2d", "Embedding": "embedding"}


def _adapted_model(kind, rng, rank=2, alpha=3.0):
    """A Sequential holding one ``kind`` layer with LoRA enabled and random (non-zero) factors and bias."""
    layer, shape, make = FACTORIES[kind]()
    x = make(rng)
    model = Sequential([layers.Input(shape, dtype=str(x.dtype)), layer])
    layer.enable_lora(rank, lora_alpha=alpha)
    for variable in layer.trainable_weights:
        variable.assign(rng.normal(size=tuple(variable.shape)).astype("float32"))
    return model, layer, x


def _datasets(path):
    import h5py

    found = {}

    def visit(name, item):
        if isinstance(item, h5py.Dataset):
            found[name] = item[()]

    with h5py.File(path, "r") as h5file:
        h5file.visititems(visit)
    return found


def _merged_and_rest(layer):
    """Keras' stored values: the weight plus (alpha / rank) a @ b, then the bias when there is one."""
    target = TARGET[type(layer).__name__]
    a, b = (to_numpy(getattr(layer, f"lora_{target}_{s}")) for s in "ab")
    merged = to_numpy(getattr(layer, f"_{target}")) + (layer.lora_alpha / layer.lora_rank) * (a @ b)
    return [merged] + ([to_numpy(layer.bias)] if getattr(layer, "bias", None) is not None else [])


@pytest.mark.parametrize("kind", FACTORIES)
def test_lora_weights_file_holds_only_the_merged_weight_and_bias(engine, rng, tmp_path, kind):
    model, layer, _ = _adapted_model(kind, rng)
    path = os.path.join(tmp_path, "lora.weights.h5")
    model.save_weights(path)
    expected = _merged_and_rest(layer)
    stored = _datasets(path)
    group = f"layers/{SNAKE[kind]}/vars"
    # Keras 3.15.1: no lora_* datasets; "0" is the merged weight, "1" the bias (absent for Embedding).
    assert sorted(stored) == [f"{group}/{i}" for i in range(len(expected))]
    for index, value in enumerate(expected):
        assert stored[f"{group}/{index}"].shape == value.shape
        np.testing.assert_allclose(stored[f"{group}/{index}"], value, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", FACTORIES)
def test_lora_weights_load_into_adapted_and_plain_layers(engine, rng, tmp_path, kind):
    model, layer, x = _adapted_model(kind, rng)
    expected = to_numpy(model.predict(x, verbose=0))
    path = os.path.join(tmp_path, "lora.weights.h5")
    model.save_weights(path)
    merged = _merged_and_rest(layer)[0]
    target = TARGET[kind]
    # Into a LoRA layer with other (non-zero) factors: the weight takes the merged value, the factors reset.
    other, other_layer, _ = _adapted_model(kind, np.random.default_rng(1), rank=3, alpha=1.0)
    other.load_weights(path)
    np.testing.assert_allclose(to_numpy(getattr(other_layer, f"_{target}")), merged, rtol=1e-5, atol=1e-6)
    for suffix in "ab":
        assert not np.any(to_numpy(getattr(other_layer, f"lora_{target}_{suffix}")))
    np.testing.assert_allclose(to_numpy(other.predict(x, verbose=0)), expected, rtol=1e-4, atol=1e-5)
    # Into the same layer without LoRA (what Keras allows too).
    plain_layer, shape, _ = FACTORIES[kind]()
    plain = Sequential([layers.Input(shape, dtype=str(x.dtype)), plain_layer])
    plain.load_weights(path)
    np.testing.assert_allclose(to_numpy(getattr(plain_layer, target)), merged, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_numpy(plain.predict(x, verbose=0)), expected, rtol=1e-4, atol=1e-5)
    # And a plain layer's file loads into a LoRA layer.
    plain_path = os.path.join(tmp_path, "plain.weights.h5")
    plain.save_weights(plain_path)
    other.load_weights(plain_path)
    np.testing.assert_allclose(to_numpy(other.predict(x, verbose=0)), expected, rtol=1e-4, atol=1e-5)


def test_lora_mismatched_file_is_refused_and_skipped_layers_keep_their_factors(engine, rng, tmp_path):
    model, _, _ = _adapted_model("Dense", rng)
    path = os.path.join(tmp_path, "lora.weights.h5")
    model.save_weights(path)
    wrong = Sequential([layers.Input((5,)), layers.Dense(4, lora_rank=2)])
    wrong.layers[0].lora_kernel_b.assign(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"Layer 'dense.*shape \(5, 4\).*\(5, 3\)"):
        wrong.load_weights(path)
    with pytest.warns(UserWarning, match="Skipped loading"):
        wrong.load_weights(path, skip_mismatch=True)
    np.testing.assert_array_equal(to_numpy(wrong.layers[0].lora_kernel_b), np.ones((2, 4)))


@pytest.mark.parametrize("kind", FACTORIES)
def test_lora_keras_file_round_trip_predicts_the_same(engine, rng, tmp_path, kind):
    import zipfile

    model, layer, x = _adapted_model(kind, rng)
    expected = to_numpy(model.predict(x, verbose=0))
    path = os.path.join(tmp_path, "lora.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        archive.extract("model.weights.h5", tmp_path)
    assert len(_datasets(os.path.join(tmp_path, "model.weights.h5"))) == len(_merged_and_rest(layer))
    loaded = lamina.saving.load_model(path)
    loaded_layer = loaded.layers[0]
    assert loaded_layer.lora_enabled and (loaded_layer.lora_rank, loaded_layer.lora_alpha) == (2, 3.0)
    np.testing.assert_allclose(to_numpy(loaded.predict(x, verbose=0)), expected, rtol=1e-4, atol=1e-5)


def test_lora_legacy_h5_keeps_keras_2_order_with_the_factors(engine, rng, tmp_path):
    """Keras 3's legacy HDF5 writer stores every variable (trainable, then non-trainable) unmerged."""
    import h5py

    model, layer, x = _adapted_model("Dense", rng)
    path = os.path.join(tmp_path, "lora.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as h5file:
        names = [n.decode() if isinstance(n, bytes) else n for n in h5file[layer.name].attrs["weight_names"]]
    assert [name.split("/")[-1].removesuffix(":0") for name in names] == ["bias", "lora_kernel_a",
                                                                           "lora_kernel_b", "kernel"]
    other, _, _ = _adapted_model("Dense", np.random.default_rng(1))
    other.load_weights(path)
    np.testing.assert_allclose(to_numpy(other.predict(x, verbose=0)), to_numpy(model.predict(x, verbose=0)),
                               rtol=1e-5, atol=1e-6)
