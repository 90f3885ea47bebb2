"""Keras 1 layers through ``lamina.legacy``: the printed numbers of the Keras 1 tutorials (eager and through a
model's ``predict``), Keras 1's own layers against NumPy, and Keras 0.3's graph access."""

import warnings

import numpy as np
import pytest

import lamina
from lamina.legacy import activations, constraints, regularizers
from lamina.legacy.layers import advanced_activations, containers, core, recurrent
from tests.conftest import to_numpy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _both(layer, x, input_shape):
    """The layer's output called eagerly and through a Sequential's predict (the same values)."""
    eager = to_numpy(layer(x))
    model = lamina.Sequential([lamina.Input(input_shape), layer])
    np.testing.assert_allclose(model.predict(x, verbose=0), eager, rtol=1e-6)
    return eager


def test_masking(engine):
    x = np.array([[[1, 1, 0], [1, 1, 1]]], "float32")
    np.testing.assert_array_equal(_both(core.Masking(mask_value=1), x, (2, 3)), [[[1, 1, 0], [0, 0, 0]]])


@pytest.mark.parametrize("name, expected", [
    ("tanh", [0.46211716, 0.76159416, 0.96402758, 0.99505475]),
    ("softplus", [0.97407698, 1.31326169, 2.12692801, 3.04858735]),
    ("relu", [0.5, 1.0, 2.0, 3.0]),
    ("sigmoid", [0.62245933, 0.73105858, 0.88079708, 0.95257413]),
    ("hard_sigmoid", [0.6, 0.7, 0.9, 1.0]),
    ("linear", [0.5, 1.0, 2.0, 3.0]),
])
def test_activations(engine, name, expected):
    x = np.array([[0.5, 1, 2, 3]], "float32")
    np.testing.assert_allclose(_both(core.Activation(name), x, (4,)), [expected], rtol=1e-6)
    np.testing.assert_allclose(to_numpy(activations.get(name)(x)), [expected], rtol=1e-6)


def test_reshape_permute_flatten_repeat(engine):
    x = np.arange(6, dtype="float32").reshape(1, 6)
    np.testing.assert_array_equal(_both(core.Reshape(dims=(2, -1)), x, (6,)), x.reshape(1, 2, 3))
    y = x.reshape(1, 2, 3)
    np.testing.assert_array_equal(_both(core.Permute(dims=(2, 1)), y, (2, 3)), y.transpose(0, 2, 1))
    np.testing.assert_array_equal(_both(core.Flatten(), y, (2, 3)), x)
    np.testing.assert_array_equal(_both(core.RepeatVector(2), x, (6,)), np.stack([x, x], axis=1))


def _tutorial_weights():
    return [np.array([[0.1, 0.2, 0.5]] * 3, "float32"), np.zeros(3, "float32")]


def test_dense_with_set_weights(engine):
    dense = core.Dense(3, init="uniform", input_dim=3)
    model = lamina.Sequential([dense])
    dense.set_weights(_tutorial_weights())
    np.testing.assert_allclose(model.predict(np.array([[10, 20, 30]], "float32"), verbose=0), [[6, 12, 30]],
                               rtol=1e-6)


def test_time_distributed_dense(engine):
    layer = core.TimeDistributedDense(3, input_dim=3, input_length=2, weights=_tutorial_weights())
    x = np.array([[[10, 20, 30], [1, 2, 3]]], "float32")
    np.testing.assert_allclose(_both(layer, x, (2, 3)), [[[6, 12, 30], [0.6, 1.2, 3]]], rtol=1e-6)


@pytest.mark.parametrize("mode, expected", [("sum", [5, 7, 9]), ("mul", [4, 10, 18]), ("ave", [2.5, 3.5, 4.5])])
def test_time_distributed_merge(engine, mode, expected):
    x = np.array([[[1, 2, 3], [4, 5, 6]]], "float32")
    np.testing.assert_allclose(_both(core.TimeDistributedMerge(mode), x, (2, 3)), [expected])


def test_lambda(engine):
    x = np.array([[1, 2, 3]], "float32")
    np.testing.assert_allclose(_both(core.Lambda(lambda t: t * t), x, (3,)), [[1, 4, 9]])


def test_activity_regularizers_add_their_penalty(engine):
    x = np.array([[1.0, -2.0], [3.0, 0.0]], "float32")  # mean over the batch of sum(|y|), sum(y ** 2): 3, 7
    for regularizer, expected in ((regularizers.activity_l1(0.1), 0.3), (regularizers.activity_l2(0.1), 0.7),
                                  (regularizers.ActivityRegularizer(l1=0.1, l2=0.1), 1.0)):
        layer = core.Activation("linear", activity_regularizer=regularizer)
        layer(x)
        np.testing.assert_allclose(float(to_numpy(sum(layer.losses))), expected, rtol=1e-6)
    layer = core.ActivityRegularization(l1=0.1)
    layer(x)
    np.testing.assert_allclose(float(to_numpy(sum(layer.losses))), 0.3, rtol=1e-6)


def test_weight_regularizers_and_constraints(engine):
    layer = core.Dense(2, input_dim=2, W_regularizer=regularizers.l2(0.5), b_regularizer=regularizers.l1(l=1.0),
                       W_constraint=constraints.maxnorm(m=1), weights=[np.ones((2, 2), "float32"),
                                                                       -np.ones(2, "float32")])
    layer(np.ones((1, 2), "float32"))
    np.testing.assert_allclose(sorted(float(to_numpy(v)) for v in layer.losses), [2.0, 2.0])
    clipped = to_numpy(layer.kernel_constraint(layer.kernel.value))
    np.testing.assert_allclose(np.linalg.norm(clipped, axis=0), [1.0, 1.0], rtol=1e-5)


def _hard_sigmoid(x):
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def test_gru_with_keras1_defaults_matches_numpy(engine, rng):
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    kernel, recurrent_kernel = rng.normal(size=(3, 6)), rng.normal(size=(2, 6))
    bias = rng.normal(size=6)
    gru = recurrent.GRU(2, input_dim=3, input_length=4, return_sequences=True,
                        weights=[kernel.astype("float32"), recurrent_kernel.astype("float32"), bias.astype("float32")])
    h, expected = np.zeros((2, 2)), []
    for t in range(4):
        xw = x[:, t] @ kernel + bias
        z = _hard_sigmoid(xw[:, :2] + h @ recurrent_kernel[:, :2])
        r = _hard_sigmoid(xw[:, 2:4] + h @ recurrent_kernel[:, 2:4])
        candidate = np.tanh(xw[:, 4:] + (r * h) @ recurrent_kernel[:, 4:])
        h = z * h + (1 - z) * candidate
        expected.append(h)
    np.testing.assert_allclose(_both(gru, x, (4, 3)), np.stack(expected, axis=1), rtol=1e-4, atol=1e-5)


def test_lstm_with_keras1_defaults_matches_numpy(engine, rng):
    x = rng.normal(size=(2, 3, 3)).astype("float32")
    kernel, recurrent_kernel, bias = rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
    weights = [w.astype("float32") for w in (kernel, recurrent_kernel, bias)]
    lstm = recurrent.LSTM(output_dim=2, input_shape=(3, 3), weights=weights)
    h, c = np.zeros((2, 2)), np.zeros((2, 2))
    for t in range(3):
        gates = x[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, o = _hard_sigmoid(gates[:, :2]), _hard_sigmoid(gates[:, 2:4]), _hard_sigmoid(gates[:, 6:])
        c = f * c + i * np.tanh(gates[:, 4:6])
        h = o * np.tanh(c)
    np.testing.assert_allclose(_both(lstm, x, (3, 3)), h, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("mode", ["sum", "mul", "concat", "ave", "max", "dot", "cos"])
def test_merge_modes(engine, mode):
    a = np.array([[1.0, 2.0, 3.0]], "float32")
    b = np.array([[4.0, -5.0, 6.0]], "float32")
    expected = {"sum": a + b, "mul": a * b, "concat": np.concatenate([a, b], -1), "ave": (a + b) / 2,
                "max": np.maximum(a, b), "dot": [[12.0]],
                "cos": [[[12.0 / (np.linalg.norm(a) * np.linalg.norm(b))]]]}[mode]  # Keras 1: (batch, 1, 1)
    np.testing.assert_allclose(to_numpy(core.merge([a, b], mode=mode)), expected, rtol=1e-5)
    left, right = lamina.Input((3,)), lamina.Input((3,))
    model = lamina.Model([left, right], core.Merge(mode=mode)([left, right]))
    np.testing.assert_allclose(model.predict([a, b], verbose=0), expected, rtol=1e-5)


def test_merge_cos_keeps_keras1_shape(engine):
    """Keras 1.2.2's cos merge expands the cosine by one axis: ``(batch, 1, 1)`` for vectors, symbolic too."""
    left, right = lamina.Input((4,)), lamina.Input((4,))
    assert tuple(core.merge([left, right], mode="cos").shape) == (None, 1, 1)
    sequences = np.arange(24, dtype="float32").reshape(2, 3, 4)
    cosines = to_numpy(core.merge([sequences, sequences + 1.0], mode="cos", dot_axes=2))
    unit = sequences / np.linalg.norm(sequences, axis=-1, keepdims=True)
    shifted = (sequences + 1.0) / np.linalg.norm(sequences + 1.0, axis=-1, keepdims=True)
    np.testing.assert_allclose(cosines, np.einsum("bik,bjk->bij", unit, shifted)[:, None], rtol=1e-5)


def test_merge_of_branch_models_trains(engine, rng):
    left = lamina.Sequential([core.Dense(3, input_dim=4)])
    right = lamina.Sequential([core.Dense(3, input_dim=2)])
    merged = core.Merge([left, right], mode="concat", concat_axis=-1)
    assert merged.branch_input_shapes == [(4,), (2,)]
    a, b = lamina.Input((4,)), lamina.Input((2,))
    model = lamina.Model([a, b], core.Dense(1)(merged([a, b])))
    model.compile("sgd", "mse")
    x1, x2 = rng.normal(size=(32, 4)).astype("float32"), rng.normal(size=(32, 2)).astype("float32")
    history = model.fit([x1, x2], x1[:, :1] + x2[:, :1], epochs=5, verbose=0)
    assert len(model.trainable_weights) == 6
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_siamese_shares_one_layer(engine):
    shared = core.Dense(2, weights=[np.ones((3, 2), "float32"), np.zeros(2, "float32")])
    a, b = np.ones((1, 3), "float32"), 2 * np.ones((1, 3), "float32")
    np.testing.assert_allclose(to_numpy(core.Siamese(shared, merge_mode="sum")([a, b])), [[9.0, 9.0]])


def test_maxout_dense_matches_numpy(engine, rng):
    x = rng.normal(size=(5, 3)).astype("float32")
    kernel, bias = rng.normal(size=(4, 3, 2)).astype("float32"), rng.normal(size=(4, 2)).astype("float32")
    layer = core.MaxoutDense(2, nb_feature=4, input_dim=3, weights=[kernel, bias])
    expected = (np.einsum("bi,fio->bfo", x, kernel) + bias).max(axis=1)
    np.testing.assert_allclose(_both(layer, x, (3,)), expected, rtol=1e-5, atol=1e-6)


def test_highway_matches_numpy(engine, rng):
    x = rng.normal(size=(5, 3)).astype("float32")
    w, wc, b, bc = (rng.normal(size=s).astype("float32") for s in ((3, 3), (3, 3), (3,), (3,)))
    layer = core.Highway(activation="relu", input_dim=3, weights=[w, wc, b, bc])
    gate = 1 / (1 + np.exp(-(x @ wc + bc)))
    expected = np.maximum(x @ w + b, 0) * gate + (1 - gate) * x
    np.testing.assert_allclose(_both(layer, x, (3,)), expected, rtol=1e-5, atol=1e-6)


def test_srelu_matches_numpy(engine):
    x = np.array([[-3.0, -0.5, 0.5, 3.0]], "float32")
    t_left, a_left, t_right, a_right = (np.full(4, v, "float32") for v in (-1.0, 0.1, 2.0, 0.5))
    layer = advanced_activations.SReLU(weights=[t_left, a_left, t_right, a_right])
    # t_r = t_l + |t_right| = 1: below -1 slope 0.1, identity between, slope 0.5 above 1
    np.testing.assert_allclose(_both(layer, x, (4,)), [[-1.2, -0.5, 0.5, 2.0]], rtol=1e-6)


def test_autoencoder_trains(engine, rng):
    encoder = containers.Sequential([core.Dense(2, input_dim=4, activation="tanh")])
    decoder = containers.Sequential([core.Dense(4, input_dim=2)])
    model = lamina.Sequential([core.AutoEncoder(encoder=encoder, decoder=decoder, output_reconstruction=True)])
    model.compile("sgd", "mse")
    x = rng.normal(size=(64, 4)).astype("float32")
    history = model.fit(x, x, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    codes = core.AutoEncoder(encoder=encoder, decoder=decoder, output_reconstruction=False)(x)
    assert tuple(codes.shape) == (64, 2)


def test_graph_access_get_output_previous_set_previous(engine):
    first, second = core.Dense(3, input_dim=2), core.Dense(4)
    lamina.Sequential([first, second])
    assert first.previous is None and second.previous is first
    assert second.get_input(train=False) is first.get_output(train=True)
    assert tuple(second.get_output().shape) == (None, 4)
    third = core.Dense(5)
    third.set_previous(second)
    assert third.previous is second and tuple(third.get_output(train=False).shape) == (None, 5)
    assert third.get_input() is second.output


def test_old_names_warn_once_each(engine):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        core.TimeDistributedMerge("sum")
        core.Merge(mode="concat")
    messages = [str(w.message) for w in caught if w.category is DeprecationWarning]
    assert len(messages) == 2 and "Concatenate" in messages[1]
