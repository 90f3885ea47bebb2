"""The Keras 1/2 argument table and the old constructors that use it: translations, warnings, weights=."""

import warnings

import numpy as np
import pytest

import lamina
from lamina.legacy import initializations
from lamina.legacy.layers import convolutional, core, embeddings, normalization, recurrent
from lamina.serialization.keras1_arguments import keyword_arguments, modern_arguments
from tests.conftest import to_numpy


def test_table_translates_a_keras1_convolution(engine):
    name, kwargs, renames = modern_arguments("Convolution2D", keyword_arguments(
        "Convolution2D", (32, 3, 5), {"border_mode": "same", "subsample": (2, 2), "dim_ordering": "th"}))
    assert name == "Conv2D"
    assert kwargs == {"kernel_size": (3, 5), "filters": 32, "padding": "same", "strides": (2, 2),
                      "data_format": "channels_first"}
    assert ("border_mode", "padding") in renames and ("nb_row/nb_col", "kernel_size") in renames


def test_table_input_dim_and_length_become_input_shape(engine):
    assert modern_arguments("GRU", {"output_dim": 4, "input_dim": 3, "input_length": 5})[1] == {
        "units": 4, "input_shape": (5, 3)}
    assert modern_arguments("Embedding", {"input_dim": 10, "output_dim": 2, "input_length": 7})[1] == {
        "input_dim": 10, "output_dim": 2, "input_shape": (7,)}
    assert modern_arguments("Dense", {"output_dim": 2, "batch_input_shape": (8, 3)})[1] == {
        "units": 2, "input_shape": (3,), "batch_size": 8}


def test_table_translates_keras1_regularizer_configs(engine):
    kwargs = modern_arguments("Dense", {"W_regularizer": {"name": "WeightRegularizer", "l1": 0.0, "l2": 0.01},
                                        "W_constraint": {"name": "MaxNorm", "m": 2, "axis": 0}})[1]
    assert kwargs["kernel_regularizer"] == {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}}
    assert kwargs["kernel_constraint"] == {"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}}


def test_batchnormalization_modes_other_than_0_are_refused(engine):
    with pytest.raises(ValueError, match="mode"):
        modern_arguments("BatchNormalization", {"mode": 2})


def test_each_old_keyword_warns_naming_the_modern_spelling(engine):
    with pytest.warns(DeprecationWarning, match=r"Dense\(output_dim=...\).*Dense\(units=...\)"):
        layer = core.Dense(output_dim=3)
    assert layer.units == 3
    with pytest.warns(DeprecationWarning, match="Convolution1D.*Conv1D"):
        conv = convolutional.Convolution1D(8, 3, border_mode="same", subsample_length=2)
    assert (conv.filters, conv.padding) == (8, "same")


def test_modern_calls_through_the_legacy_classes_do_not_warn(engine):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        core.Dense(3, activation="relu")
        core.Dropout(0.5)
        embeddings.Embedding(10, 4)


def test_weights_in_the_constructor_are_set_once_built(engine):
    kernel = np.arange(6, dtype="float32").reshape(2, 3)
    with pytest.warns(DeprecationWarning):
        layer = core.Dense(3, input_dim=2, weights=[kernel, np.ones(3, "float32")])
    out = to_numpy(layer(np.array([[1.0, 1.0]], "float32")))
    np.testing.assert_allclose(out, [[4.0, 6.0, 8.0]])


def test_keras1_initializer_names_mean_keras1_initializers(engine):
    with pytest.warns(DeprecationWarning):
        layer = core.Dense(500, init="uniform", input_dim=40)
    layer.build((None, 40))
    kernel = to_numpy(layer.kernel)
    assert np.abs(kernel).max() <= 0.05 and np.abs(kernel).max() > 0.04
    square = to_numpy(initializations.get("orthogonal")((6, 6), name="q"))
    np.testing.assert_allclose(square @ square.T, 1.1**2 * np.eye(6), atol=1e-5)
    normal = to_numpy(initializations.glorot_normal((200, 300)))
    assert np.abs(normal).max() > 2 * np.sqrt(2.0 / 500)  # Keras 1's glorot_normal is not truncated


def test_a_keras1_init_function_is_accepted(engine):
    def my_init(shape, name=None):
        return initializations.normal(shape, scale=0.01, name=name)

    with pytest.warns(DeprecationWarning):
        layer = core.Dense(50, init=my_init, input_dim=50)
    layer.build((None, 50))
    assert 0.005 < to_numpy(layer.kernel).std() < 0.02


def test_recurrent_and_normalization_arguments(engine):
    with pytest.warns(DeprecationWarning):
        lstm = recurrent.LSTM(output_dim=4, inner_init="orthogonal", dropout_W=0.1, dropout_U=0.2,
                              consume_less="gpu", forget_bias_init="one")
    assert (lstm.cell.units, lstm.cell.dropout, lstm.cell.recurrent_dropout) == (4, 0.1, 0.2)
    with pytest.warns(DeprecationWarning):
        norm = normalization.BatchNormalization(mode=0, beta_init="zero", gamma_init="one", epsilon=1e-3)
    out = to_numpy(norm(np.array([[1.0, 2.0], [3.0, 6.0]], "float32"), training=True))
    np.testing.assert_allclose(out, [[-1.0, -1.0], [1.0, 1.0]], atol=1e-3)


def test_keras1_layer_classes_build_in_a_model(engine):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        model = lamina.Sequential([
            embeddings.Embedding(20, 8, input_length=10),
            convolutional.Convolution1D(nb_filter=4, filter_length=3, border_mode="valid", activation="relu"),
            convolutional.MaxPooling1D(pool_length=2),
            recurrent.GRU(5),
            core.Dense(1, activation="sigmoid"),
        ])
    out = model.predict(np.zeros((2, 10), "int32"), verbose=0)
    assert out.shape == (2, 1)
