"""compile's loss / loss_weights / metrics structures, as Keras 3 maps them onto nested outputs.

Every expected value is computed with NumPy from the model's own predictions; the learning rate is 0 so that
fit's epoch logs equal evaluate's.
"""

import numpy as np
import pytest

import lamina
from lamina import layers


def _mse(y, p):
    return np.mean((y - p) ** 2)


def _mae(y, p):
    return np.mean(np.abs(y - p))


def _heads(names=("a", "b", "c")):
    inputs = lamina.Input((3,), name="x")
    return inputs, [layers.Dense(2, name=name)(inputs) for name in names]


def _data(rng, count):
    x = rng.standard_normal((8, 3)).astype("float32")
    ys = [rng.standard_normal((8, 2)).astype("float32") for _ in range(count)]
    return x, ys


def _fit_and_evaluate(model, x, y, **compile_args):
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=0.0), **compile_args)
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0).history
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    for key, values in history.items():
        np.testing.assert_allclose(values[0], logs[key], rtol=1e-5)
    return logs


def test_loss_list_on_a_single_output(engine, rng):
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(2)])
    x, (y,) = _data(rng, 1)
    p = model.predict(x, verbose=0)
    logs = _fit_and_evaluate(model, x, y, loss=["mse"], metrics=["mae"])
    assert set(logs) == {"loss", "mae"}
    np.testing.assert_allclose(logs["loss"], _mse(y, p), rtol=1e-5)
    np.testing.assert_allclose(logs["mae"], _mae(y, p), rtol=1e-5)
    # Several losses for one output are all applied (summed), with their weights.
    logs = _fit_and_evaluate(model, x, y, loss=["mse", "mae"], loss_weights=[2.0, 0.5])
    np.testing.assert_allclose(logs["loss"], 2.0 * _mse(y, p) + 0.5 * _mae(y, p), rtol=1e-5)


def test_single_output_keyed_by_its_layer_name(engine, rng):
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(2, name="head")])
    x, (y,) = _data(rng, 1)
    p = model.predict(x, verbose=0)
    assert model.output_names == ["head"]
    logs = _fit_and_evaluate(model, x, [y], loss={"head": "mae"}, loss_weights={"head": 3.0},
                             metrics={"head": ["mse"]})
    assert set(logs) == {"loss", "mse"}
    np.testing.assert_allclose(logs["loss"], 3.0 * _mae(y, p), rtol=1e-5)
    np.testing.assert_allclose(logs["mse"], _mse(y, p), rtol=1e-5)


def test_crossentropy_alias_resolves_from_the_shapes(engine, rng):
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(4, activation="softmax")])
    x = rng.standard_normal((8, 3)).astype("float32")
    labels = np.arange(8) % 4
    p = model.predict(x, verbose=0)
    logs = _fit_and_evaluate(model, x, labels, loss="crossentropy", metrics=["acc"])
    np.testing.assert_allclose(logs["loss"], -np.mean(np.log(p[np.arange(8), labels])), rtol=1e-4)
    np.testing.assert_allclose(logs["acc"], np.mean(p.argmax(1) == labels), rtol=1e-6)


def test_dict_loss_keyed_by_output_layer_names_for_list_outputs(engine, rng):
    inputs, (a, b) = _heads(("a", "b"))
    model = lamina.Model(inputs, [a, b])
    x, ys = _data(rng, 2)
    pa, pb = model.predict(x, verbose=0)
    logs = _fit_and_evaluate(model, x, ys, loss={"b": "mae", "a": "mse"}, loss_weights={"a": 0.25, "b": 3.0},
                             metrics={"a": "mae", "b": ["mse", "mae"]})
    assert list(logs) == ["loss", "a_loss", "b_loss", "a_mae", "b_mse", "b_mae"]
    np.testing.assert_allclose(logs["a_loss"], _mse(ys[0], pa), rtol=1e-5)
    np.testing.assert_allclose(logs["b_loss"], _mae(ys[1], pb), rtol=1e-5)
    np.testing.assert_allclose(logs["loss"], 0.25 * _mse(ys[0], pa) + 3.0 * _mae(ys[1], pb), rtol=1e-5)
    np.testing.assert_allclose(logs["a_mae"], _mae(ys[0], pa), rtol=1e-5)
    np.testing.assert_allclose(logs["b_mse"], _mse(ys[1], pb), rtol=1e-5)
    # Targets may also be a dict keyed by output name.
    by_name = model.evaluate(x, {"a": ys[0], "b": ys[1]}, verbose=0, return_dict=True)
    np.testing.assert_allclose(by_name["loss"], logs["loss"], rtol=1e-6)


def test_list_losses_weights_and_metrics_per_output(engine, rng):
    inputs, (a, b) = _heads(("a", "b"))
    model = lamina.Model(inputs, [a, b])
    x, ys = _data(rng, 2)
    pa, pb = model.predict(x, verbose=0)
    logs = _fit_and_evaluate(model, x, ys, loss=["mae", "mse"], loss_weights=[2.0, 0.5],
                             metrics=["mse", ["mae", lamina.metrics.MeanSquaredError(name="sq")]])
    assert set(logs) == {"loss", "a_loss", "b_loss", "a_mse", "b_mae", "b_sq"}
    np.testing.assert_allclose(logs["loss"], 2.0 * _mae(ys[0], pa) + 0.5 * _mse(ys[1], pb), rtol=1e-5)
    np.testing.assert_allclose(logs["b_sq"], _mse(ys[1], pb), rtol=1e-5)


def test_one_loss_for_every_output_and_a_single_weight_list(engine, rng):
    inputs, (a, b) = _heads(("a", "b"))
    model = lamina.Model(inputs, (a, b))
    x, ys = _data(rng, 2)
    pa, pb = model.predict(x, verbose=0)
    logs = _fit_and_evaluate(model, x, tuple(ys), loss="mse")
    np.testing.assert_allclose(logs["loss"], _mse(ys[0], pa) + _mse(ys[1], pb), rtol=1e-5)


def test_dict_outputs_with_dict_losses_metrics_and_weights(engine, rng):
    inputs, (a, b) = _heads(("dense_a", "dense_b"))
    model = lamina.Model(inputs, {"score": a, "extra": b})
    x, ys = _data(rng, 2)
    y = {"score": ys[0], "extra": ys[1]}
    predicted = model.predict(x, verbose=0)
    logs = _fit_and_evaluate(model, x, y, loss={"score": "mse", "extra": "mae"},
                             loss_weights={"score": 2.0, "extra": 1.0}, metrics={"extra": ["mse"]})
    assert set(logs) == {"loss", "score_loss", "extra_loss", "extra_mse"}
    expected = 2.0 * _mse(ys[0], predicted["score"]) + _mae(ys[1], predicted["extra"])
    np.testing.assert_allclose(logs["loss"], expected, rtol=1e-5)
    np.testing.assert_allclose(logs["extra_mse"], _mse(ys[1], predicted["extra"]), rtol=1e-5)
    # A loss for one output only: the other output is not trained and needs no target.
    logs = _fit_and_evaluate(model, x, {"score": ys[0]}, loss={"score": "mae"})
    np.testing.assert_allclose(logs["loss"], _mae(ys[0], predicted["score"]), rtol=1e-5)


def test_nested_list_outputs_with_nested_weights(engine, rng):
    inputs, (a, b, c) = _heads()
    model = lamina.Model(inputs, [[a, b], c])
    x, ys = _data(rng, 3)
    y = [[ys[0], ys[1]], ys[2]]
    (pa, pb), pc = model.predict(x, verbose=0)
    logs = _fit_and_evaluate(model, x, y, loss=[["mse", "mae"], "mse"], loss_weights=[[1.0, 2.0], 3.0],
                             metrics=["mae", None, "mae"])
    assert set(logs) == {"loss", "0/a_loss", "0/b_loss", "c_loss", "a_mae", "c_mae"}
    expected = _mse(ys[0], pa) + 2.0 * _mae(ys[1], pb) + 3.0 * _mse(ys[2], pc)
    np.testing.assert_allclose(logs["loss"], expected, rtol=1e-5)
    np.testing.assert_allclose(logs["0/b_loss"], _mae(ys[1], pb), rtol=1e-5)
    # A flat list of losses and weights, one per leaf, fits the nested outputs too.
    logs = _fit_and_evaluate(model, x, y, loss=["mae", "mae", "mse"], loss_weights=[0.5, 1.0, 1.0])
    expected = 0.5 * _mae(ys[0], pa) + _mae(ys[1], pb) + _mse(ys[2], pc)
    np.testing.assert_allclose(logs["loss"], expected, rtol=1e-5)


def test_repeated_metric_names_follow_keras(engine, rng):
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(2)])
    x, (y,) = _data(rng, 1)
    weights = np.linspace(0.5, 2.0, 8).astype("float32")
    p = model.predict(x, verbose=0)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae", "mae"], weighted_metrics=["mae"])
    logs = model.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "mae", "mae_1", "weighted_mae"]
    per_sample = np.abs(y - p).mean(axis=1)
    np.testing.assert_allclose(logs["mae_1"], per_sample.mean(), rtol=1e-5)
    np.testing.assert_allclose(logs["weighted_mae"], (per_sample * weights).sum() / weights.sum(), rtol=1e-5)


@pytest.mark.parametrize("compile_args, error, message", [
    (dict(loss={"a": "mse", "z": "mse"}), ValueError, r"Expected keys \['a', 'b'\] in loss dict"),
    (dict(loss=["mse", "mse", "mse"]), KeyError, r"The path: \(2,\) in the `loss` argument"),
    (dict(loss=["mse", "mae"], loss_weights=[1.0]), ValueError, "`loss_weights` must match the number of losses"),
    (dict(loss="mse", loss_weights="heavy"), ValueError, "Expected `loss_weights` argument to be a float"),
    (dict(loss="mse", metrics="mae"), ValueError, "Expected `metrics` argument to be a list, tuple, or dict"),
    (dict(loss="mse", metrics=["mae"]), ValueError, "it should have as many entries as the model has outputs"),
    (dict(loss="mse", metrics={"z": "mae"}), ValueError, "key 'z' does not correspond to any model output"),
    (dict(loss="mse", weighted_metrics=[1, 2]), ValueError, "to be metric objects"),
])
def test_structures_that_do_not_match_the_outputs_are_refused(engine, rng, compile_args, error, message):
    inputs, (a, b) = _heads(("a", "b"))
    model = lamina.Model(inputs, [a, b])
    x, ys = _data(rng, 2)
    with pytest.raises(error, match=message):
        model.compile(optimizer="sgd", **compile_args)
        model.fit(x, ys, verbose=0)


def test_targets_that_do_not_match_the_outputs_are_refused(engine, rng):
    inputs, (a, b, c) = _heads()
    model = lamina.Model(inputs, [a, b, c])
    model.compile(optimizer="sgd", loss="mse")
    x, ys = _data(rng, 2)
    with pytest.raises(ValueError, match="y_true and y_pred have different structures"):
        model.fit(x, ys, verbose=0)
