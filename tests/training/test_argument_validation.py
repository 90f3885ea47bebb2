"""Bad arguments and bad data are refused as Keras refuses them, naming the argument, what was expected and what
came — never an engine error from deep inside a step."""

import warnings

import numpy as np
import pytest

import lamina
from lamina import layers


def _dict_model():
    a = lamina.Input((2,), name="a")
    b = lamina.Input((3,), name="b")
    model = lamina.Model({"a": a, "b": b}, layers.Dense(1)(layers.Concatenate()([a, b])))
    model.compile(optimizer=lamina.optimizers.SGD(0.0), loss="mse")
    return model


def _dense_model():
    model = lamina.Sequential([lamina.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.parametrize("shape, problem", [((-1,), "non-negative"), ("abc", "expected a tuple"),
                                            ((2.5, 3), "non-negative ints"), ((None, -4), "non-negative")])
def test_input_refuses_bad_shapes_naming_shape(engine, shape, problem):
    with pytest.raises(ValueError, match=rf"argument `shape` of InputLayer.*{problem}.*Received: shape="):
        lamina.Input(shape=shape)
    with pytest.raises(ValueError, match="argument `batch_size` of InputLayer"):
        lamina.Input(shape=(2,), batch_size=-1)
    assert lamina.Input(shape=(3, None)).shape == (None, 3, None)
    assert lamina.Input(shape=np.int64(4), batch_size=2).shape == (2, 4)


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict", "predict_on_batch", "train_on_batch"])
def test_string_data_names_x_and_its_dtype(engine, method):
    model = _dense_model()
    x = np.array([["a", "b"], ["c", "d"]])
    y = np.zeros((2, 1), "float32")
    args = (x,) if method.startswith("predict") else (x, y)
    with pytest.raises(TypeError, match=r"`x` holds strings \(dtype <U1\).*Received: x of dtype <U1"):
        getattr(model, method)(*args, **({} if method.endswith("batch") else {"verbose": 0}))
    with pytest.raises(TypeError, match="`y` holds strings"):
        model.fit(np.zeros((2, 2), "float32"), np.array([["yes"], ["no"]], dtype=object), verbose=0)


def test_dict_inputs_missing_key_is_named_and_extra_key_ignored(engine, rng):
    model = _dict_model()
    x = {"a": rng.random((4, 2)).astype("float32"), "b": rng.random((4, 3)).astype("float32")}
    y = rng.random((4, 1)).astype("float32")
    with pytest.raises(ValueError, match=r"missing input\(s\) \['b'\]: it expects inputs named \['a', 'b'\]"):
        model.fit({"a": x["a"]}, y, verbose=0)
    expected = model.evaluate(x, y, verbose=0)
    with pytest.warns(UserWarning, match=r"ignores the input key\(s\) \['extra'\]"):
        with_extra = model.evaluate({**x, "extra": np.ones((4, 7), "float32")}, y, verbose=0)
    np.testing.assert_allclose(with_extra, expected, rtol=1e-6)
    with pytest.warns(UserWarning, match="ignores the input key"):
        with_extra = model.predict({**x, "extra": np.ones((4, 7), "float32")}, verbose=0)
    np.testing.assert_allclose(with_extra, model.predict(x, verbose=0), rtol=1e-6)


def test_dict_inputs_for_a_list_input_model_match_input_names(engine, rng):
    a = lamina.Input((2,), name="a")
    b = lamina.Input((3,), name="b")
    model = lamina.Model([a, b], layers.Concatenate()([a, b]))
    xa, xb = rng.random((2, 2)).astype("float32"), rng.random((2, 3)).astype("float32")
    np.testing.assert_allclose(model.predict({"b": xb, "a": xa, "unused": xa}, verbose=0),
                               np.concatenate([xa, xb], axis=1), rtol=1e-6)
    with pytest.raises(ValueError, match=r"missing input\(s\) \['a'\]"):
        model.predict({"b": xb}, verbose=0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(epochs=-3), r"argument `epochs` of fit. Expected an int >= 0. Received: epochs=-3"),
    (dict(batch_size=-2), r"argument `batch_size` of fit. Expected an int >= 1 or None. Received: batch_size=-2"),
    (dict(batch_size=0), r"Received: batch_size=0"),
    (dict(initial_epoch=-1), r"argument `initial_epoch` of fit"),
])
def test_fit_refuses_negative_counts(engine, kwargs, message):
    model = _dense_model()
    with pytest.raises(ValueError, match=message):
        model.fit(np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32"), verbose=0, **kwargs)


def test_evaluate_and_predict_refuse_negative_batch_size(engine):
    model = _dense_model()
    x = np.zeros((4, 2), "float32")
    with pytest.raises(ValueError, match="argument `batch_size` of evaluate"):
        model.evaluate(x, np.zeros((4, 1), "float32"), batch_size=-1, verbose=0)
    with pytest.raises(ValueError, match="argument `batch_size` of predict"):
        model.predict(x, batch_size=-1, verbose=0)


def test_validation_data_of_four_items_lists_the_accepted_formats(engine):
    model = _dense_model()
    x, y = np.zeros((4, 2), "float32"), np.zeros((4, 1), "float32")
    with pytest.raises(ValueError, match=r"`validation_data` of fit. Expected `\(x_val, y_val\)` or "
                                         r"`\(x_val, y_val, val_sample_weight\)`.*tuple of 4 items"):
        model.fit(x, y, validation_data=(x, y, None, None), verbose=0)
    # A list of two arrays is (x_val, y_val), as in Keras.
    history = model.fit(x, y, validation_data=[x, y], verbose=0)
    assert "val_loss" in history.history


def test_class_weight_mismatches_with_the_targets_are_reported(engine):
    model = lamina.Sequential([lamina.Input((2,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.zeros((4, 2), "float32")
    y = np.array([0, 1, 1, 0])
    with pytest.warns(UserWarning, match=r"names class\(es\) \[2\] that do not occur in the targets"):
        model.fit(x, y, class_weight={0: 1.0, 1: 2.0, 2: 3.0}, verbose=0)
    with pytest.warns(UserWarning, match=r"Class\(es\) \[1\] occur in the targets but have no entry"):
        model.fit(x, y, class_weight={0: 2.0}, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an exact match says nothing
        model.fit(x, y, class_weight={0: 1.0, 1: 2.0}, verbose=0)
