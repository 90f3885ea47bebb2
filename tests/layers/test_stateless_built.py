"""Layers without state are built at construction exactly where Keras 3 builds them (its
``_build_at_init``), and stay correct: input specs are still checked, and they work in Sequential and
functional models, through fit and predict, and through saving."""

import numpy as np
import pytest
from layer_checks import to_numpy

import lamina
from lamina import layers

CL = "channels_last"

# Keras 3 marks these built in __init__.
BUILT_AT_INIT = [
    (layers.MaxPooling1D, {}), (layers.MaxPooling2D, {}), (layers.MaxPooling3D, {}),
    (layers.AveragePooling1D, {}), (layers.AveragePooling2D, {}), (layers.AveragePooling3D, {}),
    (layers.GlobalMaxPooling1D, {}), (layers.GlobalMaxPooling2D, {}), (layers.GlobalMaxPooling3D, {}),
    (layers.GlobalAveragePooling1D, {}), (layers.GlobalAveragePooling2D, {}), (layers.GlobalAveragePooling3D, {}),
    (layers.Dropout, {"rate": 0.5}), (layers.SpatialDropout1D, {"rate": 0.5}),
    (layers.SpatialDropout2D, {"rate": 0.5}), (layers.SpatialDropout3D, {"rate": 0.5}),
    (layers.GaussianNoise, {"stddev": 0.1}), (layers.GaussianDropout, {"rate": 0.1}),
    (layers.AlphaDropout, {"rate": 0.1}), (layers.ActivityRegularization, {"l1": 0.1}),
    (layers.Activation, {"activation": "relu"}), (layers.ReLU, {}), (layers.LeakyReLU, {}), (layers.ELU, {}),
    (layers.Softmax, {}), (layers.ThresholdedReLU, {}), (layers.Reshape, {"target_shape": (2, 3)}),
]

# Keras 3 builds these on first use (they have a `build`, or state, or Keras does not mark them).
BUILT_ON_FIRST_USE = [
    (layers.Flatten, {}), (layers.Permute, {"dims": (2, 1)}), (layers.RepeatVector, {"n": 2}),
    (layers.Cropping1D, {}), (layers.ZeroPadding2D, {}), (layers.UpSampling3D, {}), (layers.Add, {}),
    (layers.Concatenate, {}), (layers.PReLU, {}), (layers.AdaptiveAveragePooling1D, {"output_size": 2}),
    (layers.AdaptiveMaxPooling2D, {"output_size": 2}),
]


@pytest.mark.parametrize("cls, kwargs", BUILT_AT_INIT, ids=[c.__name__ for c, _ in BUILT_AT_INIT])
def test_built_at_construction(engine, cls, kwargs):
    layer = cls(**kwargs)
    assert layer.built is True
    assert layer.weights == [] and layer.count_params() == 0
    # The config round trip gives a layer built at construction too.
    assert cls.from_config(layer.get_config()).built is True


@pytest.mark.parametrize("cls, kwargs", BUILT_ON_FIRST_USE, ids=[c.__name__ for c, _ in BUILT_ON_FIRST_USE])
def test_built_on_first_use_as_keras(engine, cls, kwargs):
    assert cls(**kwargs).built is False


def test_subclass_with_its_own_build_is_not_built_early(engine):
    class ScaledDropout(layers.Dropout):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

        def call(self, inputs, training=False):
            return super().call(inputs, training=training) * self.scale

    layer = ScaledDropout(0.5)
    assert not layer.built
    out = layer(np.full((2, 3), 2.0, "float32"))
    assert layer.built and [v.name for v in layer.weights] == ["scale"]
    np.testing.assert_allclose(to_numpy(out), np.full((2, 3), 2.0))


@pytest.mark.parametrize("layer, shape", [
    (layers.MaxPooling2D(data_format=CL, name="pool"), (2, 4, 4)),
    (layers.GlobalMaxPooling2D(data_format=CL, name="pool"), (2, 3, 4, 4, 1)),
    (layers.GlobalAveragePooling1D(data_format=CL, name="pool"), (2, 3, 4, 5)),
    (layers.SpatialDropout2D(0.5, data_format=CL, name="pool"), (2, 3, 4)),
])
def test_input_spec_still_checked_on_the_first_eager_call(engine, layer, shape):
    with pytest.raises(ValueError, match=r"pool.*expected ndim=.*found ndim="):
        layer(np.ones(shape, "float32"))


def test_pool_window_larger_than_input_names_the_layer_on_every_call(engine):
    layer = layers.MaxPooling2D(3, data_format=CL, name="big_pool")
    assert layer(np.ones((1, 4, 4, 2), "float32")).shape == (1, 1, 1, 2)
    with pytest.raises(ValueError, match=r"MaxPooling2D 'big_pool'.*does not fit.*\(1, 2, 2, 2\)"):
        layer(np.ones((1, 2, 2, 2), "float32"))


def test_built_at_init_layers_in_models_train_predict_and_save(engine, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 6, 6, 2)).astype("float32")
    y = rng.standard_normal((8, 3)).astype("float32")
    model = lamina.Sequential([
        layers.Input((6, 6, 2)), layers.Conv2D(4, 3, padding="same", data_format=CL),
        layers.MaxPooling2D(data_format=CL), layers.Dropout(0.2), layers.Activation("relu"),
        layers.Reshape((36,)), layers.Dense(3),
    ])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    expected = model.predict(x, verbose=0)
    path = tmp_path / "stateless.keras"
    model.save(path)
    loaded = lamina.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    assert all(layer.built for layer in loaded.layers)
