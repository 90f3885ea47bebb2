"""The Layer contract: weights, building, freezing, training flag, losses, configs, errors."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops
from lamina.backend import convert_to_numpy
from lamina.backend.common.naming import to_snake_case


class Scale(layers.Layer):
    """A layer with one trainable and one non-trainable weight, recording the training flag it saw."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.seen_training = []

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

    def call(self, inputs, training=None):
        self.seen_training.append(training)
        return inputs * self.w * self.factor


class Outer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = Scale()

    def call(self, inputs):
        return self.inner(inputs)


def test_weights_order_and_counts(engine):
    layer = Scale()
    with pytest.raises(ValueError, match="isn't built"):
        layer.count_params()
    layer(np.ones((2, 3), "float32"))
    assert [v.name for v in layer.weights] == ["w", "count"]
    assert [v.name for v in layer.trainable_weights] == ["w"]
    assert [v.name for v in layer.non_trainable_weights] == ["count"]
    assert layer.count_params() == 4
    assert layer.weights[0].path == f"{layer.name}/w"


def test_get_and_set_weights_round_trip(engine):
    layer = Scale()
    layer.build((None, 3))
    layer.set_weights([np.array([1.0, 2.0, 3.0], "float32"), np.array(5.0, "float32")])
    w, count = layer.get_weights()
    np.testing.assert_allclose(w, [1, 2, 3])
    assert float(count) == 5.0
    out = convert_to_numpy(layer(np.ones((1, 3), "float32")))
    np.testing.assert_allclose(out, [[2, 4, 6]])
    with pytest.raises(ValueError, match=r"weight shape \(3,\) is not compatible with provided weight shape \(4,\)"):
        layer.set_weights([np.ones(4, "float32"), np.array(1.0, "float32")])
    with pytest.raises(ValueError, match="expects 2 weights, but received 1"):
        layer.set_weights([np.ones(3, "float32")])


def test_freezing_moves_weights_to_non_trainable(engine):
    outer = Outer()
    outer(np.ones((2, 3), "float32"))
    assert len(outer.trainable_weights) == 1
    outer.trainable = False
    assert outer.trainable_weights == []
    assert len(outer.non_trainable_weights) == 2
    assert outer.inner.trainable is False
    outer.trainable = True
    assert len(outer.trainable_weights) == 1


@pytest.mark.engines("torch")
def test_torch_module_sees_parameters_and_freezing():
    dense = layers.Dense(4)
    dense.build((None, 3))
    params = dict(dense.named_parameters())
    assert set(params) == {"kernel", "bias"}
    assert params["kernel"].shape == (3, 4)
    dense.trainable = False
    assert not any(p.requires_grad for p in dense.parameters())


def test_training_flag_flows_into_nested_layers(engine):
    outer = Outer()
    x = np.ones((2, 3), "float32")
    outer(x)
    outer(x, training=True)
    outer(x, training=False)
    assert outer.inner.seen_training == [None, True, False]


def test_training_flag_explicit_inner_value_wins(engine):
    class ForcesInference(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = Scale()

        def call(self, inputs, training=None):
            return self.inner(inputs, training=False)

    layer = ForcesInference()
    layer(np.ones((1, 2), "float32"), training=True)
    assert layer.inner.seen_training == [False]


def test_dense_forward_matches_numpy(engine, rng):
    dense = layers.Dense(5, activation="relu")
    x = rng.standard_normal((4, 3)).astype("float32")
    y = convert_to_numpy(dense(x))
    kernel, bias = dense.get_weights()
    assert kernel.shape == (3, 5) and bias.shape == (5,)
    np.testing.assert_allclose(y, np.maximum(x @ kernel + bias, 0), rtol=1e-5, atol=1e-6)


def test_dense_on_rank3_applies_to_last_axis(engine, rng):
    dense = layers.Dense(2)
    x = rng.standard_normal((2, 5, 3)).astype("float32")
    y = convert_to_numpy(dense(x))
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(y, x @ kernel + bias, rtol=1e-5, atol=1e-6)


def test_float64_inputs_are_autocast(engine):
    dense = layers.Dense(2)
    y = dense(np.ones((1, 3)))
    assert lamina.backend.core.get_dtype(y) == "float32"


def test_input_spec_errors_name_layer_and_shapes(engine):
    dense = layers.Dense(4, name="probe")
    dense(np.ones((2, 16), "float32"))
    with pytest.raises(ValueError, match=r'layer "probe".*expected axis -1 of input shape to have value 16.*\(2, 8\)'):
        dense(np.ones((2, 8), "float32"))
    with pytest.raises(ValueError, match=r'layer "probe".*expected min_ndim=2, found ndim=1'):
        dense(np.ones((16,), "float32"))
    with pytest.raises(ValueError, match=r'layer "probe".*expected axis -1.*\(None, 8\)'):
        dense(layers.Input(shape=(8,)))


def test_bad_constructor_arguments(engine):
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Dense"):
        layers.Dense(3, foo=1)
    with pytest.raises(ValueError, match="units"):
        layers.Dense(0)


def test_unique_default_names(engine):
    first, second = layers.Dense(1), layers.Dense(1)
    assert first.name != second.name
    assert second.name.startswith("dense")


def test_weight_regularizer_and_activity_regularizer_losses(engine, rng):
    dense = layers.Dense(3, kernel_regularizer=lamina.regularizers.L2(0.1),
                         activity_regularizer=lamina.regularizers.L1(0.5))
    x = rng.standard_normal((4, 2)).astype("float32")
    y = convert_to_numpy(dense(x))
    kernel = dense.get_weights()[0]
    losses = sorted(float(convert_to_numpy(loss)) for loss in dense.losses)
    expected = sorted([0.1 * float(np.sum(kernel ** 2)), 0.5 * float(np.sum(np.abs(y))) / 4])
    np.testing.assert_allclose(losses, expected, rtol=1e-5)
    dense(x)
    assert len(dense.losses) == 2  # call losses are replaced, not accumulated


def test_add_loss_is_reset_on_each_outer_call(engine):
    class Penalty(layers.Layer):
        def call(self, inputs):
            self.add_loss(ops.sum(inputs))
            return inputs

    layer = Penalty()
    layer(np.ones((2, 2), "float32"))
    layer(np.ones((2, 2), "float32"))
    assert len(layer.losses) == 1
    assert float(convert_to_numpy(layer.losses[0])) == 4.0


def test_dense_config_round_trip(engine, rng):
    dense = layers.Dense(3, activation="tanh", use_bias=False, kernel_initializer="he_normal", name="d")
    config = dense.get_config()
    assert config["units"] == 3 and config["activation"] == "tanh" and config["use_bias"] is False
    clone = layers.Dense.from_config(config)
    x = rng.standard_normal((2, 4)).astype("float32")
    dense(x)
    clone(x)
    clone.set_weights(dense.get_weights())
    np.testing.assert_allclose(convert_to_numpy(clone(x)), convert_to_numpy(dense(x)), rtol=1e-6)


def test_custom_layer_config_is_captured_from_constructor(engine):
    layer = Scale(factor=3.0, name="scaled")
    config = layer.get_config()
    assert config["factor"] == 3.0 and config["name"] == "scaled"
    clone = Scale.from_config(config)
    assert clone.factor == 3.0


def test_compute_output_shape_by_symbolic_run(engine):
    assert layers.Dense(7).compute_output_shape((None, 3)) == (None, 7)
    assert Scale().compute_output_shape((None, 5)) == (None, 5)


def test_input_shape_keywords(engine):
    assert layers.Dense(2, input_shape=(5,))._input_shape_arg == (5,)
    assert layers.Dense(2, input_dim=5)._input_shape_arg == (5,)


@pytest.mark.parametrize("cls, name", [
    ("Conv2D", "conv2d"), ("Conv2DTranspose", "conv2d_transpose"), ("ConvLSTM2D", "conv_lstm2d"),
    ("MaxPooling1D", "max_pooling1d"), ("GlobalAveragePooling3D", "global_average_pooling3d"),
    ("BatchNormalization", "batch_normalization"), ("PReLU", "p_re_lu"), ("SimpleRNN", "simple_rnn"),
])
def test_default_names_are_keras(engine, cls, name):
    assert to_snake_case(getattr(layers, cls).__name__) == name
