"""Custom layers written the Keras 1/2 way build, run and train through ``lamina.legacy``'s ``Layer``."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.legacy import initializations
from lamina.legacy.layers.core import Layer
from tests.conftest import to_numpy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Keras1Linear(Layer):
    """Keras 1.0's custom layer: weights from ``initializations`` listed in ``self.trainable_weights``."""

    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.W = initializations.get("glorot_uniform")((input_shape[1], self.output_dim), name="W")
        self.b = initializations.zero((self.output_dim,), name="b")
        self.trainable_weights = [self.W, self.b]

    def call(self, x, mask=None):
        return ops.matmul(x, self.W) + self.b

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.output_dim)


class Keras2Scale(Layer):
    """Keras 1.2/2's custom layer: ``add_weight`` (Keras 2's argument order) and ``compute_output_shape``."""

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape[-1],), initializer="one", trainable=True)
        self.offset = self.add_weight((input_shape[-1],), "zero", name="offset", trainable=False)  # Keras 1 order
        super().build(input_shape)

    def call(self, x):
        return x * self.kernel + self.offset

    def compute_output_shape(self, input_shape):
        return input_shape


class ZeroMasker(Layer):
    """A Keras 1 layer making a mask (``compute_mask(input, input_mask)``) that the next layer receives."""

    def call(self, x, mask=None):
        return x

    def compute_mask(self, input, input_mask=None):
        return ops.any(ops.not_equal(input, 0), axis=-1)


class MaskedSum(Layer):
    def call(self, x, mask=None):
        return ops.sum(x * ops.expand_dims(ops.cast(mask, x.dtype), -1), axis=1)

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], input_shape[2])


def test_keras1_custom_layer_trains(engine, rng):
    layer = Keras1Linear(2, input_dim=4)
    model = lamina.Sequential([layer])
    model.compile("sgd", "mse")
    assert len(model.trainable_weights) == 2
    assert model.output_shape == (None, 2)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = x @ rng.normal(size=(4, 2)).astype("float32")
    before = [w.copy() for w in layer.get_weights()]
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.9 * history.history["loss"][0]
    assert all(np.abs(a - b).max() > 1e-3 for a, b in zip(layer.get_weights(), before))
    np.testing.assert_allclose(model.predict(x[:2], verbose=0), x[:2] @ layer.get_weights()[0] + layer.get_weights()[1],
                               rtol=1e-5, atol=1e-5)


def test_keras2_custom_layer_and_non_trainable_weights(engine, rng):
    layer = Keras2Scale(input_shape=(3,))
    model = lamina.Sequential([layer])
    model.compile("sgd", "mse")
    assert [tuple(w.shape) for w in model.trainable_weights] == [(3,)]
    assert len(layer.non_trainable_weights) == 1
    x = rng.normal(size=(32, 3)).astype("float32")
    model.fit(x, 2 * x, epochs=3, verbose=0)
    assert np.all(to_numpy(layer.kernel) > 1.0) and np.all(to_numpy(layer.offset) == 0.0)


def test_trainable_weights_assignment_can_make_weights_non_trainable(engine):
    layer = Keras1Linear(2)
    layer.build((None, 3))
    layer.non_trainable_weights = [layer.b]
    assert [tuple(w.shape) for w in layer.trainable_weights] == [(3, 2)]
    assert len(layer.weights) == 2


def test_masks_flow_between_keras1_layers(engine):
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 4.0]]], "float32")
    model = lamina.Sequential([ZeroMasker(input_shape=(3, 2)), MaskedSum()])
    np.testing.assert_allclose(model.predict(x, verbose=0), [[4.0, 6.0]])
    assert model.output_shape == (None, 2)


def test_weights_argument_on_a_custom_layer(engine):
    kernel, bias = np.eye(2, dtype="float32"), np.array([1.0, 2.0], "float32")
    layer = Keras1Linear(2, weights=[kernel, bias])
    np.testing.assert_allclose(to_numpy(layer(np.ones((1, 2), "float32"))), [[2.0, 3.0]])
