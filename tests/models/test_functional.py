"""Functional models: many inputs and outputs, shared layers, nesting, intermediate outputs, raw ops."""

import numpy as np
import pytest

from lamina import layers, ops
from lamina.backend import convert_to_numpy
from lamina.models import Functional, Model


def dense_np(layer, x):
    kernel, bias = layer.get_weights()
    return x @ kernel + bias


def test_model_of_inputs_outputs_is_functional(engine):
    inputs = layers.Input(shape=(3,))
    model = Model(inputs, layers.Dense(2)(inputs))
    assert isinstance(model, Functional) and isinstance(model, Model)
    assert model.output_shape == (None, 2)


def test_two_inputs_two_outputs_match_numpy(engine, rng):
    a = layers.Input(shape=(3,), name="a")
    b = layers.Input(shape=(4,), name="b")
    da, db = layers.Dense(5, name="da"), layers.Dense(5, name="db")
    merged = ops.add(da(a), db(b))
    head1, head2 = layers.Dense(1, name="head1"), layers.Dense(2, name="head2")
    model = Model(inputs=[a, b], outputs=[head1(merged), head2(ops.relu(merged))])
    xa = rng.standard_normal((6, 3)).astype("float32")
    xb = rng.standard_normal((6, 4)).astype("float32")
    out1, out2 = model([xa, xb])
    hidden = dense_np(da, xa) + dense_np(db, xb)
    np.testing.assert_allclose(convert_to_numpy(out1), dense_np(head1, hidden), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(convert_to_numpy(out2), dense_np(head2, np.maximum(hidden, 0)), rtol=1e-5,
                               atol=1e-5)
    by_name = model({"a": xa, "b": xb})
    np.testing.assert_allclose(convert_to_numpy(by_name[0]), convert_to_numpy(out1), rtol=1e-6)
    assert [layer.name for layer in model.layers[:2]] == ["a", "b"]
    assert model.input_names == ["a", "b"]


def test_dict_inputs_and_outputs(engine, rng):
    x = layers.Input(shape=(2,), name="x")
    model = Model(inputs={"x": x}, outputs={"double": x * 2.0, "plus": x + 1.0})
    data = rng.standard_normal((3, 2)).astype("float32")
    out = model({"x": data})
    assert set(out) == {"double", "plus"}
    np.testing.assert_allclose(convert_to_numpy(out["double"]), data * 2, rtol=1e-6)
    np.testing.assert_allclose(convert_to_numpy(out["plus"]), data + 1, rtol=1e-6)


def test_shared_layer_called_twice(engine, rng):
    shared = layers.Dense(3, name="shared")
    a, b = layers.Input(shape=(4,)), layers.Input(shape=(4,))
    model = Model([a, b], ops.subtract(shared(a), shared(b)))
    assert len(shared._inbound_nodes) == 2
    assert len(model.weights) == 2
    xa = rng.standard_normal((2, 4)).astype("float32")
    xb = rng.standard_normal((2, 4)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(model([xa, xb])), dense_np(shared, xa) - dense_np(shared, xb),
                               rtol=1e-5, atol=1e-5)


def test_nested_model_as_layer(engine, rng):
    inner_in = layers.Input(shape=(3,))
    inner_dense = layers.Dense(2, activation="relu")
    inner = Model(inner_in, inner_dense(inner_in), name="inner")
    outer_in = layers.Input(shape=(3,))
    outer_dense = layers.Dense(1)
    outer = Model(outer_in, outer_dense(inner(outer_in)))
    assert [layer.name for layer in outer.layers][1] == "inner"
    assert len(outer.weights) == 4
    x = rng.standard_normal((5, 3)).astype("float32")
    expected = dense_np(outer_dense, np.maximum(dense_np(inner_dense, x), 0))
    np.testing.assert_allclose(convert_to_numpy(outer(x)), expected, rtol=1e-5, atol=1e-5)


def test_intermediate_output_model(engine, rng):
    inputs = layers.Input(shape=(3,))
    hidden = layers.Dense(4, name="hidden")
    model = Model(inputs, layers.Dense(1)(hidden(inputs)))
    probe = Model(model.input, model.get_layer("hidden").output)
    x = rng.standard_normal((2, 3)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(probe(x)), dense_np(hidden, x), rtol=1e-5, atol=1e-5)


def test_raw_ops_and_operators_in_graph(engine, rng):
    inputs = layers.Input(shape=(4,))
    doubled = inputs * 2.0
    joined = ops.concatenate([inputs, doubled], axis=-1)
    model = Model(inputs, ops.sum(joined, axis=-1))
    assert model.output_shape == (None,)
    x = rng.standard_normal((3, 4)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(model(x)), 3 * x.sum(-1), rtol=1e-5)


def test_functional_model_called_symbolically(engine):
    inputs = layers.Input(shape=(3,))
    model = Model(inputs, layers.Dense(2)(inputs))
    new_inputs = layers.Input(shape=(3,))
    out = model(new_inputs)
    assert out.shape == (None, 2)


def test_graph_disconnected_error(engine):
    a, b = layers.Input(shape=(2,)), layers.Input(shape=(2,))
    out = ops.add(a, b)
    with pytest.raises(ValueError, match="Graph disconnected"):
        Model(a, out)


def test_non_input_inputs_rejected(engine):
    a = layers.Input(shape=(2,))
    hidden = layers.Dense(2)(a)
    with pytest.raises(ValueError, match="must come from"):
        Model(hidden, layers.Dense(1)(hidden))


def test_wrong_number_of_inputs(engine):
    a, b = layers.Input(shape=(2,)), layers.Input(shape=(2,))
    model = Model([a, b], ops.add(a, b))
    with pytest.raises(ValueError, match="expects 2 input"):
        model([np.ones((1, 2), "float32")])


def test_get_layer(engine):
    inputs = layers.Input(shape=(2,))
    model = Model(inputs, layers.Dense(1, name="out")(inputs))
    assert model.get_layer("out") is model.layers[1]
    assert model.get_layer(index=1).name == "out"
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")


def test_duplicate_layer_names_rejected(engine):
    inputs = layers.Input(shape=(2,))
    x = layers.Dense(2, name="same")(inputs)
    with pytest.raises(ValueError, match="unique"):
        Model(inputs, layers.Dense(2, name="same")(x))


def test_subclassed_model(engine, rng):
    class TwoLayer(Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = layers.Dense(4, activation="relu")
            self.out = layers.Dense(1)

        def call(self, inputs):
            return self.out(self.hidden(inputs))

    model = TwoLayer()
    x = rng.standard_normal((3, 2)).astype("float32")
    y = convert_to_numpy(model(x))
    np.testing.assert_allclose(y, dense_np(model.out, np.maximum(dense_np(model.hidden, x), 0)), rtol=1e-5,
                               atol=1e-5)
    assert len(model.weights) == 4 and len(model.layers) == 2


@pytest.mark.parametrize("kind", ["functional", "sequential"])
def test_inputs_take_the_input_dtype_on_every_path(engine, kind):
    """Keras converts what is fed to an ``Input`` to its dtype: a bool one-hot batch reaches an LSTM (whose
    fused kernels refuse bool) as float32, and gives the numbers the float batch gives, in eager calls,
    predict, evaluate and fit."""
    import lamina

    hot = np.eye(3, dtype=bool)[np.array([[0, 1, 2, 1], [2, 2, 0, 1]])]
    if kind == "functional":
        inputs = layers.Input((4, 3))
        model = Model(inputs, layers.Dense(2)(layers.LSTM(5)(inputs)))
    else:
        model = lamina.Sequential([layers.Input((4, 3)), layers.LSTM(5), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    expected = convert_to_numpy(model(hot.astype("float32")))
    assert str(model(hot).dtype).endswith("float32")
    np.testing.assert_allclose(convert_to_numpy(model(hot)), expected, rtol=1e-6)
    np.testing.assert_allclose(model.predict(hot, verbose=0), expected, rtol=1e-6)
    target = np.zeros((2, 2), "float32")
    loss = model.evaluate(hot, target, verbose=0)
    np.testing.assert_allclose(loss, np.mean(expected ** 2), rtol=1e-5)
    history = model.fit(hot, target, epochs=1, verbose=0)
    np.testing.assert_allclose(history.history["loss"][0], loss, rtol=1e-5)
