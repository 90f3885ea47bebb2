"""EinsumDense: numbers against np.einsum for each equation form, weight shapes, symbolic shapes, training,
config round trips and bad arguments."""

import numpy as np
import pytest
from layer_checks import assert_one_step_lowers_loss, assert_symbolic_matches_eager, roundtrip, to_numpy

from lamina import layers
from lamina.models import Sequential

CASES = [
    # equation, output_shape, bias_axes, input shape, kernel shape, bias shape, output shape
    ("ab,bc->ac", 4, "c", (2, 3), (3, 4), (4,), (2, 4)),
    ("abc,cd->abd", (None, 4), "d", (2, 5, 3), (3, 4), (4,), (2, 5, 4)),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 5, 3), (3, 2, 4), (2, 4), (2, 5, 2, 4)),
    ("...b,bc->...c", 4, "c", (2, 5, 3), (3, 4), (4,), (2, 5, 4)),
    ("abc...,cd->abd...", (5, 4), "d", (2, 5, 3, 6), (3, 4), (4, 1), (2, 5, 4, 6)),
    ("abc,cd->abd", (5, 4), None, (2, 5, 3), (3, 4), None, (2, 5, 4)),
    ("abcd,cde->abe", (2, 4), "be", (2, 2, 3, 6), (3, 6, 4), (2, 4), (2, 2, 4)),
]


@pytest.mark.parametrize("equation, output_shape, bias_axes, x_shape, kernel_shape, bias_shape, y_shape", CASES)
def test_einsum_dense_matches_numpy(engine, rng, equation, output_shape, bias_axes, x_shape, kernel_shape,
                                    bias_shape, y_shape):
    layer = layers.EinsumDense(equation, output_shape=output_shape, bias_axes=bias_axes, activation="relu",
                               bias_initializer="random_normal")
    x = rng.normal(size=x_shape).astype("float32")
    y = to_numpy(layer(x))
    assert tuple(layer.kernel.shape) == kernel_shape
    assert [w.name for w in layer.weights] == (["kernel", "bias"] if bias_axes else ["kernel"])
    expected = np.einsum(equation, x, to_numpy(layer.kernel))
    if bias_axes:
        assert tuple(layer.bias.shape) == bias_shape
        expected = expected + to_numpy(layer.bias)
    np.testing.assert_allclose(y, np.maximum(expected, 0), rtol=1e-5, atol=1e-5)
    assert y.shape == y_shape
    assert_symbolic_matches_eager(layer, x)


def test_einsum_dense_equals_dense(engine, rng):
    """Keras's example: "ab,bc->ac" with bias "c" is Dense."""
    x = rng.normal(size=(3, 5)).astype("float32")
    einsum = layers.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c")
    dense = layers.Dense(4)
    dense.build((None, 5))
    einsum.build((None, 5))
    einsum.set_weights(dense.get_weights())
    np.testing.assert_allclose(to_numpy(einsum(x)), to_numpy(dense(x)), rtol=1e-6)


def test_einsum_dense_trains_and_round_trips(engine, rng):
    x = rng.normal(size=(8, 5, 3)).astype("float32")
    y = rng.normal(size=(8, 5, 2, 2)).astype("float32")
    layer = layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 2), bias_axes="e",
                               kernel_regularizer="l2")
    model = Sequential([layers.Input((5, 3)), layer])
    assert_one_step_lowers_loss(model, x, y)
    clone = roundtrip(layer)
    assert clone.get_config()["output_shape"] == (None, 2, 2)
    np.testing.assert_allclose(to_numpy(clone(x)), to_numpy(layer(x)), rtol=1e-6)


@pytest.mark.parametrize("kwargs, message", [
    (dict(equation="ab->b", output_shape=2), r"`equation` of EinsumDense.*equation='ab->b'"),
    (dict(equation="ab,bc->ac", output_shape=2, bias_axes="z"), r"`bias_axes`.*'z'.*output spec 'ac'"),
    (dict(equation="ab,bc->ac", output_shape=2, kernel_initializer="nope"),
     r"`kernel_initializer` of EinsumDense.*kernel_initializer='nope'"),
    (dict(equation="ab,bcd->ad", output_shape=2), r"kernel dimension 'c'"),
    (dict(equation="ab,bc->ac", output_shape=(2, 3)), r"`output_shape` of EinsumDense.*1 non-batch"),
    (dict(equation="abc,cd->abd", output_shape=(4, 2)), r"shared dimension 'b': input 5, output 4"),
])
def test_einsum_dense_bad_arguments(engine, kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.EinsumDense(**kwargs).build((2, 5, 3) if "abc" in kwargs["equation"] else (2, 3))


def test_einsum_dense_bad_input_rank(engine):
    layer = layers.EinsumDense("abc,cd->abd", output_shape=(None, 2))
    with pytest.raises(ValueError, match=r"rank 3.*\(2, 3\)"):
        layer.build((2, 3))
