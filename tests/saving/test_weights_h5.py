"""``.weights.h5`` in Keras 3's layout: round trips, key layout, mismatches, atomic writes."""

import os

import h5py
import numpy as np
import pytest

from lamina import layers, ops, optimizers
from lamina.backend import convert_to_numpy
from lamina.models import Model, Sequential
from lamina.saving import load_weights, save_weights, weights_h5


def h5_datasets(path):
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.__setitem__(name, obj.shape) if isinstance(obj, h5py.Dataset) else None)
    return found


def h5_groups(path):
    found = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.append(name) if isinstance(obj, h5py.Group) else None)
    return found


def sequential():
    return Sequential([layers.Input(shape=(4,)), layers.Dense(3, name="first"), layers.Dense(2, name="second")])


def nested():
    inner_in = layers.Input(shape=(3,))
    inner = Model(inner_in, layers.Dense(4)(inner_in))
    x = layers.Input(shape=(3,))
    return Model(x, layers.Dense(1)(ops.relu(inner(x))))


def test_sequential_round_trip_and_keras_layout(engine, tmp_path, rng):
    model, other = sequential(), sequential()
    path = str(tmp_path / "seq.weights.h5")
    model.save_weights(path)
    # Keras names groups by class (dense, dense_1), not by layer name; the model's own group is "vars"
    assert h5_datasets(path) == {"layers/dense/vars/0": (4, 3), "layers/dense/vars/1": (3,),
                                 "layers/dense_1/vars/0": (3, 2), "layers/dense_1/vars/1": (2,)}
    assert "vars" in h5_groups(path)
    other.load_weights(path)
    x = rng.standard_normal((2, 4)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(other(x)), convert_to_numpy(model(x)), rtol=1e-6)
    with h5py.File(path, "r") as f:
        np.testing.assert_array_equal(f["layers/dense_1/vars/0"][()], model.layers[1].get_weights()[0])


def test_functional_nested_round_trip_and_layout(engine, tmp_path, rng):
    model, other = nested(), nested()
    path = str(tmp_path / "nested.weights.h5")
    save_weights(model, path)
    assert h5_datasets(path) == {
        "layers/functional/layers/dense/vars/0": (3, 4), "layers/functional/layers/dense/vars/1": (4,),
        "layers/dense/vars/0": (4, 1), "layers/dense/vars/1": (1,),
    }
    groups = h5_groups(path)
    assert "layers/input_layer/vars" in groups and "layers/functional/layers/input_layer/vars" in groups
    load_weights(other, path)
    x = rng.standard_normal((2, 3)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(other(x)), convert_to_numpy(model(x)), rtol=1e-6)


def test_layer_attributes_are_named_by_attribute(engine, tmp_path):
    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.proj = layers.Dense(2)
            self.heads = [layers.Dense(1), layers.Dense(1)]

        def call(self, x):
            y = self.proj(x)
            return self.heads[0](y) + self.heads[1](y)

    x = layers.Input(shape=(3,))
    model = Model(x, Block()(x))
    path = str(tmp_path / "block.weights.h5")
    model.save_weights(path)
    assert set(h5_datasets(path)) == {
        "layers/block/heads/dense/vars/0", "layers/block/heads/dense/vars/1",
        "layers/block/heads/dense_1/vars/0", "layers/block/heads/dense_1/vars/1",
        "layers/block/proj/vars/0", "layers/block/proj/vars/1",
    }


def test_mismatch_names_the_layer_and_loads_nothing(engine, tmp_path):
    path = str(tmp_path / "seq.weights.h5")
    sequential().save_weights(path)
    wider = Sequential([layers.Input(shape=(4,)), layers.Dense(3), layers.Dense(5, name="wide")])
    before = [w.copy() for w in wider.get_weights()]
    with pytest.raises(ValueError, match=r"Layer 'wide' \(path 'layers/dense_1'\).*\(3, 5\).*\(3, 2\)"):
        wider.load_weights(path)
    for old, new in zip(before, wider.get_weights()):
        np.testing.assert_array_equal(old, new)


def test_skip_mismatch_loads_the_rest(engine, tmp_path):
    source = sequential()
    path = str(tmp_path / "seq.weights.h5")
    source.save_weights(path)
    wider = Sequential([layers.Input(shape=(4,)), layers.Dense(3), layers.Dense(5, name="wide")])
    kept = wider.layers[1].get_weights()
    with pytest.warns(UserWarning, match="wide"):
        wider.load_weights(path, skip_mismatch=True)
    np.testing.assert_array_equal(wider.layers[0].get_weights()[0], source.layers[0].get_weights()[0])
    np.testing.assert_array_equal(wider.layers[1].get_weights()[0], kept[0])


def test_missing_layer_is_a_count_mismatch(engine, tmp_path):
    path = str(tmp_path / "one.weights.h5")
    Sequential([layers.Input(shape=(4,)), layers.Dense(3)]).save_weights(path)
    with pytest.raises(ValueError, match="expects 2 variables .* holds 0"):
        sequential().load_weights(path)


def test_failed_save_leaves_old_file_intact(engine, tmp_path, monkeypatch):
    model = sequential()
    path = str(tmp_path / "seq.weights.h5")
    model.save_weights(path)
    original = (tmp_path / "seq.weights.h5").read_bytes()
    calls = []

    def failing_write(h5file, group_path, variables, *rest):
        calls.append(group_path)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        original_write(h5file, group_path, variables, *rest)

    original_write = weights_h5._write_group
    monkeypatch.setattr(weights_h5, "_write_group", failing_write)
    with pytest.raises(RuntimeError, match="disk full"):
        sequential().save_weights(path)
    assert (tmp_path / "seq.weights.h5").read_bytes() == original
    assert os.listdir(tmp_path) == ["seq.weights.h5"]  # no temporary file left behind


def test_overwrite_false_and_extension_checks(engine, tmp_path):
    path = str(tmp_path / "seq.weights.h5")
    model = sequential()
    model.save_weights(path)
    with pytest.raises(FileExistsError):
        model.save_weights(path, overwrite=False)
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(str(tmp_path / "seq.npz"))


def test_optimizer_variables_saved_when_built(engine, tmp_path):
    def compiled():
        model = sequential()
        model.compile(optimizer=optimizers.SGD(momentum=0.5), loss="mse")
        model.optimizer.build(model.trainable_variables)
        return model

    model = compiled()
    model.optimizer.variables[2].assign(np.full((4, 3), 2.0, "float32"))  # the first kernel's momentum
    path = str(tmp_path / "seq.weights.h5")
    model.save_weights(path)
    assert h5_datasets(path)["optimizer/vars/2"] == (4, 3)
    other = compiled()
    other.load_weights(path)
    np.testing.assert_array_equal(convert_to_numpy(other.optimizer.variables[2]), np.full((4, 3), 2.0))
