"""K expressions of Variables alone are graphs, as in Keras 1/2: a ``K.function`` reads the Variables' current
values each run and ``K.gradients`` differentiates through them; code that runs (layer calls, fit) computes
at once. Numbers against NumPy."""

import warnings

import numpy as np
import pytest

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.legacy import backend as K
from lamina.legacy import optimizers
from lamina.legacy.layers.core import Dense, Layer
from lamina.legacy.models import Sequential

X = np.array([[1.0, 2.0, 3.0], [1.0, 0.0, -1.0], [0.5, -2.0, 1.0]], dtype="float32")
T = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]], dtype="float32")
W0 = np.array([1.0, -2.0, 0.5], dtype="float32")


@pytest.fixture(autouse=True)
def _quiet_old_spellings():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def test_variable_expression_reads_the_current_value(engine):
    w = K.variable(W0)
    penalty = 0.01 * K.sum(K.square(w))
    assert isinstance(penalty, SymbolicTensor)
    value = K.function([], [penalty])
    np.testing.assert_allclose(value([])[0], 0.01 * np.sum(W0 ** 2), rtol=1e-6)
    K.set_value(w, 2 * W0)
    np.testing.assert_allclose(value([])[0], 0.04 * np.sum(W0 ** 2), rtol=1e-6)
    np.testing.assert_allclose(K.eval(penalty), 0.04 * np.sum(W0 ** 2), rtol=1e-6)
    np.testing.assert_allclose(K.eval(K.concatenate([w, K.exp(w)])), np.concatenate([2 * W0, np.exp(2 * W0)]),
                               rtol=1e-6)


def test_variable_operators_count_iterations(engine):
    """Keras 1 optimizers: ``self.iterations + 1`` and ``lr * (1 / (1 + decay * iterations))``."""
    iterations, lr = K.variable(0.0), K.variable(0.5)
    decayed = lr * (1.0 / (1.0 + 0.1 * iterations))
    step = K.function([], [iterations + 1, decayed], updates=[K.update_add(iterations, 1)])
    for i in range(3):
        count, rate = step([])
        assert count == i + 1
        np.testing.assert_allclose(rate, 0.5 / (1 + 0.1 * i), rtol=1e-6)
    assert K.eval(iterations) == 3
    np.testing.assert_allclose(K.eval(-lr[None] * 2), [-1.0])


def _dense_model():
    model = Sequential([Dense(2, input_dim=3)])
    model.layers[0].set_weights([np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], "float32"),
                                 np.array([0.05, -0.05], "float32")])
    return model


def test_model_loss_with_a_variable_penalty_and_its_gradient(engine):
    """``K.mean(K.square(model.output - target)) + 0.01 * K.sum(K.square(W))`` with W the Dense kernel."""
    model = _dense_model()
    kernel, bias = model.layers[0].trainable_weights
    target = K.placeholder(shape=(None, 2))
    loss = K.mean(K.square(model.output - target)) + 0.01 * K.sum(K.square(kernel))
    grad_kernel, grad_bias = K.gradients(loss, [kernel, bias])
    run = K.function([model.input, target], [loss, grad_kernel, grad_bias])
    for scale in (1.0, 3.0):
        K.set_value(kernel, scale * np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], "float32"))
        w, b = K.batch_get_value([kernel, bias])
        residual = X @ w + b - T
        expected_loss = np.mean(residual ** 2) + 0.01 * np.sum(w ** 2)
        value, dw, db = run([X, T])
        np.testing.assert_allclose(value, expected_loss, rtol=1e-5)
        np.testing.assert_allclose(dw, 2 * X.T @ residual / residual.size + 0.02 * w, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(db, 2 * residual.sum(0) / residual.size, rtol=1e-5, atol=1e-6)


def test_gradient_ascent_on_a_variable_penalised_objective(engine):
    """Ascent of ``sum(x . w) - 0.5 |w|^2`` (gradient ``sum_rows(x) - w``), updating w inside ``K.function``."""
    w = K.variable(np.zeros(3))
    x = K.placeholder(shape=(None, 3))
    objective = K.sum(K.dot(x, w)) - 0.5 * K.sum(K.square(w))
    (grad,) = K.gradients(objective, [w])
    ascend = K.function([x], [objective, grad], updates=[(w, w + 0.1 * grad)])
    expected_w = np.zeros(3)
    for _ in range(5):
        value, g = ascend([X])
        expected_grad = X.sum(0) - expected_w
        np.testing.assert_allclose(value, (X @ expected_w).sum() - 0.5 * np.sum(expected_w ** 2), rtol=1e-5)
        np.testing.assert_allclose(g, expected_grad, rtol=1e-5)
        expected_w = expected_w + 0.1 * expected_grad
    np.testing.assert_allclose(K.eval(w), expected_w, rtol=1e-5)


def test_calls_on_arrays_stay_eager(engine):
    assert not isinstance(K.sum(K.constant(X)), SymbolicTensor)
    assert not isinstance(K.dot(K.constant(X), K.variable(W0[:, None])), SymbolicTensor)
    np.testing.assert_allclose(K.eval(K.sum(K.constant(X), axis=0)), X.sum(0))
    np.testing.assert_allclose(K.eval(K.variable(X)), X)


class LogScale(Layer):
    """A Keras 1 layer whose call computes on its weight alone (``K.exp(self.log_scale)``)."""

    def build(self, input_shape):
        self.log_scale = K.variable(np.log(2.0) * np.ones(input_shape[-1]))
        self.trainable_weights = [self.log_scale]

    def call(self, x, mask=None):
        return x * K.exp(self.log_scale)

    def get_output_shape_for(self, input_shape):
        return input_shape


def test_layer_calls_and_fit_compute_variable_expressions_at_once(engine):
    layer = LogScale()
    for _ in range(2):  # the second call takes lamina's fast path for built layers
        np.testing.assert_allclose(K.eval(layer(K.constant(X))), 2 * X, rtol=1e-6)

    model = _dense_model()
    kernel = model.layers[0].trainable_weights[0]
    model.compile(optimizer=optimizers.SGD(lr=0.1),
                  loss=lambda y_true, y_pred: K.mean(K.square(y_pred - y_true)) + 0.01 * K.sum(K.square(kernel)))
    w, b = model.layers[0].get_weights()
    expected = np.mean((X @ w + b - T) ** 2) + 0.01 * np.sum(w ** 2)
    np.testing.assert_allclose(model.evaluate(X, T, verbose=0), expected, rtol=1e-5)
    history = model.fit(X, T, batch_size=3, nb_epoch=3, verbose=0)
    np.testing.assert_allclose(history.history["loss"][0], expected, rtol=1e-5)
    assert history.history["loss"][-1] < expected
