"""Keras 1/2's backend ``K`` over lamina.ops: every function against NumPy, eagerly and through ``K.function``,
and the tutorials' way of printing a layer's output: ``K.function([input, K.learning_phase()], [output])``."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.legacy import backend as K

X = np.array([[0.5, -1.0, 2.0], [3.0, 0.25, -0.75]], dtype="float32")
Y = np.array([[1.0, 2.0, -2.0], [0.5, 0.25, 4.0]], dtype="float32")


def both_ways(fn, *arrays):
    """``fn`` on Variables (computed by ``K.eval``), and on placeholders run by ``K.function``: both as NumPy
    arrays."""
    eager = K.eval(fn(*(K.variable(a, dtype=str(a.dtype)) for a in arrays)))
    placeholders = [K.placeholder(shape=a.shape, dtype=str(a.dtype)) for a in arrays]
    (symbolic,) = K.function(placeholders, [fn(*placeholders)])(list(arrays))
    return eager, symbolic


def check(fn, expected, *arrays, atol=1e-5):
    for result in both_ways(fn, *arrays):
        np.testing.assert_allclose(result, expected, rtol=1e-5, atol=atol)


# -- math: reductions, elementwise functions, comparisons --------------------------------------------------

REDUCTIONS = ["sum", "mean", "max", "min", "prod", "std", "var"]


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), (0, True), ([0, 1], False), (-1, True)])
def test_reductions_match_numpy(engine, name, axis, keepdims):
    numpy_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = getattr(np, name)(X, axis=numpy_axis, keepdims=keepdims)
    check(lambda x: getattr(K, name)(x, axis=axis, keepdims=keepdims), expected, X)


@pytest.mark.parametrize("name", ["any", "all"])
def test_any_all_read_numbers_as_bools(engine, name):
    values = np.array([[0.0, 2.0], [0.0, 0.0]], dtype="float32")
    check(lambda x: getattr(K, name)(x, axis=1), getattr(np, name)(values != 0, axis=1), values)
    check(lambda x: getattr(K, name)(x, keepdims=True), getattr(np, name)(values != 0, keepdims=True), values)


def test_argmax_argmin(engine):
    check(lambda x: K.argmax(x), np.argmax(X, axis=-1), X)
    check(lambda x: K.argmin(x, axis=0), np.argmin(X, axis=0), X)


UNARY = {
    "square": np.square, "abs": np.abs, "exp": np.exp, "sign": np.sign, "sin": np.sin, "cos": np.cos,
    "sqrt": lambda x: np.sqrt(np.maximum(x, 0)),  # Keras 1/2 clip negatives to 0
    "log": lambda x: np.log(np.abs(x)), "round": np.round,
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_elementwise_match_numpy(engine, name):
    values = np.abs(X) if name == "log" else X
    check(getattr(K, name), UNARY[name](X) if name != "log" else np.log(values), values)


BINARY = {
    "equal": np.equal, "not_equal": np.not_equal, "greater": np.greater, "greater_equal": np.greater_equal,
    "less": np.less, "less_equal": np.less_equal, "maximum": np.maximum, "minimum": np.minimum,
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_comparisons_match_numpy(engine, name):
    other = np.array([[0.5, 0.0, 2.0], [1.0, 0.25, 5.0]], dtype="float32")
    check(getattr(K, name), BINARY[name](X, other), X, other)


def test_pow_clip_logsumexp(engine):
    check(lambda x: K.pow(x, 2), X ** 2, X)
    check(lambda x: K.clip(x, -0.5, 1.0), np.clip(X, -0.5, 1.0), X)
    check(lambda x: K.clip(x, 1.0, 0.0), np.full_like(X, 1.0), X)  # max below min reads as min
    check(lambda x: K.logsumexp(x, axis=1), np.log(np.exp(X).sum(axis=1)), X)


def test_dot_matches_numpy(engine):
    a = np.arange(24, dtype="float32").reshape(2, 3, 4)
    b = np.arange(20, dtype="float32").reshape(4, 5)
    check(K.dot, np.dot(a, b), a, b)


def test_batch_dot_keras_examples(engine):
    x = np.array([[1, 2], [3, 4]], dtype="float32")
    y = np.array([[5, 6], [7, 8]], dtype="float32")
    check(lambda a, b: K.batch_dot(a, b, axes=1), [[17.0], [53.0]], x, y)
    assert K.int_shape(K.batch_dot(K.ones((32, 20, 1)), K.ones((32, 30, 20)), axes=[1, 2])) == (32, 1, 30)


@pytest.mark.parametrize("axes", [None, (2, 1), (1, 2), 2])
def test_batch_dot_3d_matches_einsum(engine, axes, rng):
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    y = rng.normal(size=(2, 4, 3) if axes in (None, (2, 1)) else (2, 3, 4)).astype("float32")
    if axes in (None, (2, 1)):
        expected = np.einsum("bij,bjk->bik", x, y)
    elif axes == (1, 2):
        y = rng.normal(size=(2, 5, 3)).astype("float32")
        expected = np.einsum("bji,bkj->bik", x, y)
    else:
        expected = np.einsum("bij,bkj->bik", x, y)
    check(lambda a, b: K.batch_dot(a, b, axes=axes), expected, x, y)


def test_switch(engine):
    check(lambda x, y: K.switch(K.greater(x, 0), x, y), np.where(X > 0, X, Y), X, Y)


# -- shapes --------------------------------------------------------------------------------------------------

def test_shape_functions_match_numpy(engine):
    a = np.arange(24, dtype="float32").reshape(2, 3, 4)
    check(lambda x, y: K.concatenate([x, y]), np.concatenate([X, Y], axis=-1), X, Y)
    check(lambda x, y: K.concatenate([x, y], axis=0), np.concatenate([X, Y], axis=0), X, Y)
    check(lambda x: K.reshape(x, (2, 4, 3)), a.reshape(2, 4, 3), a)
    check(lambda x: K.permute_dimensions(x, (0, 2, 1)), a.transpose(0, 2, 1), a)
    check(K.transpose, X.T, X)
    check(lambda x: K.repeat(x, 2), np.stack([X, X], axis=1), X)
    check(lambda x: K.repeat_elements(x, 2, axis=1), np.repeat(X, 2, axis=1), X)
    check(lambda x: K.tile(x, (2, 1)), np.tile(X, (2, 1)), X)
    check(K.flatten, X.reshape(-1), X)
    check(K.batch_flatten, a.reshape(2, 12), a)
    check(lambda x: K.expand_dims(x, 1), X[:, None, :], X)
    check(lambda x: K.squeeze(x, 1), X, X[:, None, :])
    check(lambda x: K.stack([x, x], axis=1), np.stack([X, X], axis=1), X)


def test_gather(engine):
    reference = np.arange(12, dtype="float32").reshape(4, 3)
    result = K.eval(K.gather(K.variable(reference), np.array([2, 0])))
    np.testing.assert_array_equal(result, reference[[2, 0]])


def test_expand_dims_dim_is_keras_1_spelling(engine):
    with pytest.warns(DeprecationWarning, match="expand_dims"):
        result = K.expand_dims(K.variable(X), dim=0)
    assert K.int_shape(result) == (1, 2, 3)


# -- variables, shapes and dtypes ------------------------------------------------------------------------

def test_variables_get_and_set(engine):
    v = K.variable(X, name="weights")
    assert K.dtype(v) == "float32" and K.int_shape(v) == (2, 3) and K.ndim(v) == 2 and K.count_params(v) == 6
    np.testing.assert_array_equal(K.get_value(v), X)
    K.set_value(v, Y)
    np.testing.assert_array_equal(K.eval(v), Y)
    w = K.variable([1, 2], dtype="int32")
    K.batch_set_value([(v, X), (w, [3, 4])])
    values = K.batch_get_value([v, w])
    np.testing.assert_array_equal(values[0], X)
    np.testing.assert_array_equal(values[1], [3, 4])
    assert K.dtype(w) == "int32"


def test_constructors(engine):
    np.testing.assert_array_equal(K.eval(K.ones((2, 3))), np.ones((2, 3)))
    np.testing.assert_array_equal(K.eval(K.zeros((2,))), np.zeros(2))
    np.testing.assert_array_equal(K.eval(K.eye(3)), np.eye(3))
    assert isinstance(K.ones((2, 3)), lamina.Variable)  # Keras 1/2 return variables here
    check(K.ones_like, np.ones_like(X), X)
    check(K.zeros_like, np.zeros_like(X), X)
    check(lambda x: K.cast(x, "int32"), X.astype("int32"), X)
    np.testing.assert_array_equal(K.eval(K.constant(2.0, shape=(2, 2))), np.full((2, 2), 2.0))


def test_shapes_of_symbolic_and_real_tensors(engine):
    x = K.placeholder(shape=(None, 4, 5))
    assert K.int_shape(x) == (None, 4, 5) and K.ndim(x) == 3 and K.dtype(x) == "float32"
    assert tuple(K.shape(x)) == (None, 4, 5)
    assert K.is_keras_tensor(x) and not K.is_keras_tensor(K.variable(X))
    assert K.int_shape(K.placeholder(ndim=2)) == (None, None)
    assert tuple(K.shape(K.variable(X))) == (2, 3)


# -- nn -----------------------------------------------------------------------------------------------------

def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_activations(engine):
    check(K.softmax, _softmax(X), X)
    check(K.relu, np.maximum(X, 0), X)
    check(lambda x: K.relu(x, alpha=0.1, max_value=1.0), np.minimum(np.where(X > 0, X, 0.1 * X), 1.0), X)
    check(K.sigmoid, 1 / (1 + np.exp(-X)), X)
    check(K.tanh, np.tanh(X), X)
    check(K.softplus, np.log1p(np.exp(X)), X)
    check(K.softsign, X / (1 + np.abs(X)), X)
    check(K.elu, np.where(X > 0, X, np.exp(X) - 1), X)


def test_hard_sigmoid_is_keras_1s(engine):
    """The seed tutorials print 0.6, 0.7, 0.9, 1.0 for 0.5, 1, 2, 3 (Keras 3's x/6 + 0.5 would not)."""
    check(K.hard_sigmoid, [0.6, 0.7, 0.9, 1.0], np.array([0.5, 1, 2, 3], dtype="float32"))


def test_crossentropies_take_output_first_as_keras_1(engine):
    output = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], dtype="float32")
    target = np.array([[1, 0, 0], [0, 0, 1]], dtype="float32")
    expected = -np.log([0.7, 0.6])
    check(K.categorical_crossentropy, expected, output, target)
    check(lambda o, t: K.categorical_crossentropy(target=t, output=o), expected, output, target)
    check(K.sparse_categorical_crossentropy, expected, output, np.array([0, 2], dtype="int32"))
    probabilities = np.array([[0.9, 0.2]], dtype="float32")
    labels = np.array([[1.0, 0.0]], dtype="float32")
    check(K.binary_crossentropy, -np.log([[0.9, 0.8]]), probabilities, labels)
    logits = np.array([[1.5, -0.5]], dtype="float32")
    check(lambda o, t: K.binary_crossentropy(o, t, from_logits=True),
          -np.log(1 / (1 + np.exp(-np.array([[1.5, 0.5]])))), logits, labels)


def test_l2_normalize(engine):
    check(lambda x: K.l2_normalize(x, axis=1), X / np.linalg.norm(X, axis=1, keepdims=True), X)


def test_dropout_zeroes_and_rescales(engine):
    ones = np.ones((200, 50), dtype="float32")
    result = K.eval(K.dropout(K.variable(ones), 0.5))
    assert set(np.unique(result)) <= {0.0, 2.0}
    assert 0.4 < (result == 0).mean() < 0.6


def test_random_tensors(engine):
    uniform = K.eval(K.random_uniform((1000,), -2.0, 3.0, seed=1))
    assert uniform.shape == (1000,) and uniform.min() >= -2.0 and uniform.max() < 3.0
    normal = K.eval(K.random_normal((4000,), mean=1.0, stddev=2.0, seed=1))
    assert abs(normal.mean() - 1.0) < 0.15 and abs(normal.std() - 2.0) < 0.15
    binomial = K.eval(K.random_binomial((4000,), p=0.25, seed=1))
    assert set(np.unique(binomial)) <= {0.0, 1.0} and abs(binomial.mean() - 0.25) < 0.03
    with pytest.warns(DeprecationWarning) as warned:
        high = K.eval(K.random_uniform((100,), low=5.0, high=6.0))
    assert ["`low=`" in str(w.message) for w in warned] == [True, False]
    assert high.min() >= 5.0 and high.max() < 6.0
    with pytest.warns(DeprecationWarning, match="std="):
        assert K.eval(K.random_normal((100,), std=0.0)).max() == 0.0


def _cumulative_step(x, states):
    total = states[0] + x
    return total, [total]


def test_rnn_eager_matches_a_running_sum(engine):
    inputs = np.arange(12, dtype="float32").reshape(2, 3, 2)
    last, outputs, states = K.rnn(_cumulative_step, K.variable(inputs), [K.zeros((2, 2))])
    np.testing.assert_allclose(K.eval(outputs), np.cumsum(inputs, axis=1))
    np.testing.assert_allclose(K.eval(last), inputs.sum(axis=1))
    np.testing.assert_allclose(K.eval(states[0]), inputs.sum(axis=1))
    _, backwards, _ = K.rnn(_cumulative_step, K.variable(inputs), [K.zeros((2, 2))], go_backwards=True)
    np.testing.assert_allclose(K.eval(backwards), np.cumsum(inputs[:, ::-1], axis=1))
    mask = np.array([[1, 0, 1], [1, 1, 0]], dtype="bool")
    _, masked, masked_states = K.rnn(_cumulative_step, K.variable(inputs), [K.zeros((2, 2))], mask=mask)
    expected = np.cumsum(inputs * mask[..., None], axis=1)
    np.testing.assert_allclose(K.eval(masked), expected)
    np.testing.assert_allclose(K.eval(masked_states[0]), expected[:, -1])


def test_rnn_on_symbolic_inputs_with_constants(engine):
    x = K.placeholder(shape=(None, 3, 2))
    scale = K.placeholder(shape=(None, 2))

    def step(x_t, states):
        total = states[0] + x_t * states[1]
        return total, [total]

    last, outputs, states = K.rnn(step, x, [K.zeros_like(scale)], constants=[scale])
    assert K.int_shape(outputs) == (None, 3, 2) and K.int_shape(last) == (None, 2)
    inputs = np.arange(12, dtype="float32").reshape(2, 3, 2)
    factors = np.array([[1.0, 2.0], [0.5, -1.0]], dtype="float32")
    got_outputs, got_state = K.function([x, scale], [outputs, states[0]])([inputs, factors])
    np.testing.assert_allclose(got_outputs, np.cumsum(inputs * factors[:, None], axis=1))
    np.testing.assert_allclose(got_state, (inputs * factors[:, None]).sum(axis=1))


# -- settings -------------------------------------------------------------------------------------------

def test_settings(engine):
    assert K.backend() == engine and K.floatx() == "float32"
    saved = K.epsilon()
    K.set_epsilon(1e-5)
    assert K.epsilon() == 1e-5
    K.set_epsilon(saved)
    K.set_image_dim_ordering("th")
    assert K.image_data_format() == "channels_first" and K.image_dim_ordering() == "th"
    K.set_image_dim_ordering("tf")
    assert K.image_data_format() == "channels_last" and K.image_dim_ordering() == "tf"
    with pytest.raises(ValueError, match="dim_ordering"):
        K.set_image_dim_ordering("channels_last")
    K.set_floatx("float64")
    assert K.dtype(K.variable([1.0])) == "float64"


# -- K.function on layer graphs, as the Keras 1 tutorials printed layer outputs -----------------------------

def test_function_prints_masking_output(engine):
    model = lamina.Sequential([layers.Input(shape=(2, 3)), layers.Masking(mask_value=1)])
    get_output = K.function([model.layers[0].input], [model.layers[0].output])
    (result,) = get_output([np.array([[[1, 1, 0], [1, 1, 1]]], dtype="float32")])
    np.testing.assert_array_equal(result, [[[1, 1, 0], [0, 0, 0]]])


@pytest.mark.parametrize("activation,expected", [
    ("tanh", np.tanh([0.5, 1, 2, 3])), ("softplus", np.log1p(np.exp([0.5, 1, 2, 3]))),
    ("relu", [0.5, 1, 2, 3]), ("sigmoid", 1 / (1 + np.exp(-np.array([0.5, 1, 2, 3])))),
    ("linear", [0.5, 1, 2, 3]),
])
def test_function_prints_activation_output(engine, activation, expected):
    model = lamina.Sequential([layers.Input(shape=(4,)), layers.Activation(activation)])
    (result,) = K.function([model.input, K.learning_phase()], [model.output])([[[0.5, 1, 2, 3]], 0])
    np.testing.assert_allclose(result[0], expected, rtol=1e-6)


def _dense_dropout_model():
    model = lamina.Sequential([layers.Input(shape=(3,)), layers.Dense(3), layers.Dropout(0.5)])
    model.layers[0].set_weights([np.array([[0.1, 0.2, 0.5]] * 3, dtype="float32"), np.zeros(3, dtype="float32")])
    return model


def test_function_prints_dense_output(engine):
    model = _dense_dropout_model()
    (result,) = K.function([model.layers[0].input], [model.layers[0].output])([[[10, 20, 30]]])
    np.testing.assert_allclose(result, [[6, 12, 30]], rtol=1e-6)


def test_function_learning_phase_drives_dropout(engine):
    model = _dense_dropout_model()
    run = K.function([model.input, K.learning_phase()], [model.output])
    x = np.tile(np.array([[10, 20, 30]], dtype="float32"), (200, 1))
    (test_output,) = run([x, 0])
    np.testing.assert_allclose(test_output, np.tile([[6, 12, 30]], (200, 1)), rtol=1e-6)
    (train_output,) = run([x, 1])
    dropped = train_output == 0
    assert 0.35 < dropped.mean() < 0.65
    np.testing.assert_allclose(train_output[~dropped], (2 * test_output)[~dropped], rtol=1e-6)
    (default_output,) = K.function([model.input], [model.output])([x])  # not fed: the test phase
    np.testing.assert_allclose(default_output, test_output)


def test_function_feeds_an_intermediate_tensor(engine):
    model = lamina.Sequential([layers.Input(shape=(3,)), layers.Dense(4, activation="relu"), layers.Dense(2)])
    top = K.function([model.layers[1].input], [model.layers[1].output])
    hidden = np.array([[1.0, -2.0, 0.5, 3.0]], dtype="float32")
    kernel, bias = model.layers[1].get_weights()
    np.testing.assert_allclose(top([hidden])[0], hidden @ kernel + bias, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="feed a value"):
        K.function([], [model.output])


def test_function_on_placeholders_variables_and_updates(engine):
    x = K.placeholder(shape=(None, 3))
    weights = K.variable(np.arange(6, dtype="float32").reshape(3, 2))
    counter = K.variable(0.0)
    total = K.variable(np.zeros(2))
    y = K.dot(x, weights)
    step = K.function([x], [y], updates=[K.update_add(counter, 1.0), (total, K.sum(y, axis=0)),
                                         K.update_sub(weights, K.ones_like(weights))])
    (result,) = step([X])
    np.testing.assert_allclose(result, X @ np.arange(6).reshape(3, 2), rtol=1e-5)
    np.testing.assert_allclose(K.eval(total), result.sum(axis=0), rtol=1e-5)
    step([X])
    assert K.eval(counter) == 2.0
    np.testing.assert_allclose(K.eval(weights), np.arange(6).reshape(3, 2) - 2)


# -- learning phase -----------------------------------------------------------------------------------------

def test_in_train_phase_decides_when_the_graph_runs(engine):
    x = K.placeholder(shape=(None, 3))
    y = K.in_train_phase(K.square(x), K.zeros_like(x))
    z = K.in_test_phase(lambda: K.square(x), lambda: K.zeros_like(x))
    run = K.function([x, K.learning_phase()], [y, z])
    train, train_z = run([X, 1])
    test, test_z = run([X, 0])
    np.testing.assert_allclose(train, X ** 2)
    np.testing.assert_allclose(test, 0)
    np.testing.assert_allclose(train_z, 0)
    np.testing.assert_allclose(test_z, X ** 2)
    assert K.eval(K.in_train_phase(K.variable(1.0), K.variable(2.0), training=1)) == 1.0
    assert K.eval(K.in_train_phase(K.variable(1.0), K.variable(2.0))) == 2.0  # eager, outside a run: test


def test_set_learning_phase_fixes_the_phase(engine):
    try:
        K.set_learning_phase(1)
        assert K.learning_phase() == 1
        assert K.eval(K.in_train_phase(K.variable(1.0), K.variable(2.0))) == 1.0
        with pytest.raises(ValueError, match="0 or 1"):
            K.set_learning_phase(2)
    finally:
        K.clear_session()
    assert K.is_keras_tensor(K.learning_phase())


def test_custom_layer_reads_the_phase_in_call(engine):
    class Noise(lamina.Layer):
        def call(self, x):
            return K.in_train_phase(x + 1.0, x)

    inputs = layers.Input(shape=(3,))
    outputs = Noise()(inputs)
    run = K.function([inputs, K.learning_phase()], [outputs])
    np.testing.assert_allclose(run([X, 1])[0], X + 1)
    np.testing.assert_allclose(run([X, 0])[0], X)


# -- gradients --------------------------------------------------------------------------------------------

def test_gradients_of_a_model_loss(engine):
    model = _dense_dropout_model()
    loss = K.sum(K.square(model.output))
    kernel = model.layers[0].kernel
    grads = K.gradients(loss, [kernel, model.input])
    assert K.int_shape(grads[0]) == (3, 3) and K.int_shape(grads[1]) == (None, 3)
    x = np.array([[10, 20, 30]], dtype="float32")
    value, kernel_grad, input_grad = K.function([model.input], [loss] + grads)([x])
    y = x @ model.layers[0].get_weights()[0]
    assert value == pytest.approx(float((y ** 2).sum()))
    np.testing.assert_allclose(kernel_grad, x.T @ (2 * y), rtol=1e-5)
    np.testing.assert_allclose(input_grad, 2 * y @ model.layers[0].get_weights()[0].T, rtol=1e-5)


def test_gradients_wrt_a_hidden_tensor_and_a_variable(engine):
    x = K.placeholder(shape=(None, 2))
    weights = K.variable([[1.0, -1.0], [2.0, 0.5]])
    hidden = K.dot(x, weights)
    loss = K.mean(K.square(hidden))
    hidden_grad, weights_grad = K.gradients(loss, [hidden, weights])
    values = np.array([[1.0, 2.0], [3.0, -1.0]], dtype="float32")
    got_hidden, got_weights = K.function([x], [hidden_grad, weights_grad])([values])
    h = values @ K.eval(weights)
    np.testing.assert_allclose(got_hidden, 2 * h / h.size, rtol=1e-5)
    np.testing.assert_allclose(got_weights, values.T @ (2 * h / h.size), rtol=1e-5)  # through `hidden` too


def test_gradient_ascent_step_with_updates(engine):
    """The Keras 1 filter-visualization loop: gradients of an activation w.r.t. the input, applied by hand."""
    x = K.placeholder(shape=(1, 2))
    image = K.variable([[0.0, 0.0]])
    weights = K.variable([[1.0], [3.0]])
    activation = K.sum(K.dot(x, weights))
    (grad,) = K.gradients(activation, x)
    step = K.function([x], [activation, grad])
    for _ in range(2):
        value, g = step([K.eval(image)])
        K.set_value(image, K.eval(image) + 0.5 * g)
    np.testing.assert_allclose(K.eval(image), [[1.0, 3.0]])
    assert value == pytest.approx(5.0)


def test_gradients_need_a_symbolic_loss(engine):
    """A loss computed from arrays is a value, not a graph (one of Variables is a graph: see
    test_legacy_symbolic.py)."""
    with pytest.raises(ValueError, match="symbolic"):
        K.gradients(K.sum(K.constant(X)), [K.variable(X)])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_function_on_keras_1_layers(engine):
    """The Keras 1 tutorial: Dense(3, init='uniform') with weights [[.1, .2, .5]] x 3 prints [[6, 12, 30]]."""
    from lamina.legacy.layers.core import Activation, Dense, Dropout
    from lamina.legacy.models import Sequential

    model = Sequential()
    model.add(Dense(3, init="uniform", input_dim=3))
    model.add(Dropout(0.5))
    model.add(Activation("hard_sigmoid"))
    model.layers[0].set_weights([np.array([[0.1, 0.2, 0.5]] * 3, dtype="float32"), np.zeros(3, dtype="float32")])
    get_outputs = K.function([model.get_input(), K.learning_phase()], [layer.output for layer in model.layers])
    dense, dropped, activated = get_outputs([np.array([[10, 20, 30]], dtype="float32"), 0])
    np.testing.assert_allclose(dense, [[6, 12, 30]], rtol=1e-6)
    np.testing.assert_allclose(dropped, dense)
    np.testing.assert_allclose(activated, [[1, 1, 1]])
    x = np.full((100, 3), 0.1, dtype="float32")
    dense, dropped, activated = get_outputs([x, 1])
    assert 0.3 < (dropped == 0).mean() < 0.7
    kept = np.isclose(activated, 0.2 * 2 * dense + 0.5)  # Keras 1's hard_sigmoid of the doubled kept units
    assert 0.3 < kept.mean() < 0.7 and np.allclose(activated[~kept], 0.5)
