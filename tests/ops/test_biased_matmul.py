"""ops.nn.biased_matmul, Dense's product: ``x @ kernel + bias`` in one engine call, against NumPy, with
the gradients of the separate matmul and add, NumPy's promotion for ints, and its shape rule."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.backend import SymbolicTensor, convert_to_numpy


@pytest.mark.parametrize("shape", [(4, 3), (2, 5, 3)])
def test_biased_matmul_against_numpy(engine, rng, shape):
    x = rng.normal(size=shape).astype("float32")
    kernel, bias = rng.normal(size=(3, 6)).astype("float32"), rng.normal(size=(6,)).astype("float32")
    np.testing.assert_allclose(convert_to_numpy(ops.nn.biased_matmul(x, kernel, bias)), x @ kernel + bias,
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(convert_to_numpy(ops.nn.biased_matmul(x, kernel, None)), x @ kernel, rtol=1e-5,
                               atol=1e-6)


def test_ints_promote_as_matmul_and_add_do(engine):
    x = np.arange(6, dtype="int32").reshape(2, 3)
    kernel, bias = np.ones((3, 2), "int32"), np.array([1, -1], "int32")
    out = ops.nn.biased_matmul(x, kernel, bias)
    assert lamina.backend.standardize_dtype(out.dtype) == "int32"
    np.testing.assert_array_equal(convert_to_numpy(out), x @ kernel + bias)


def test_symbolic_shape_and_bias_check(engine):
    out = ops.nn.biased_matmul(SymbolicTensor((None, 5, 3), "float32"), SymbolicTensor((3, 6), "float32"),
                               SymbolicTensor((6,), "float32"))
    assert out.shape == (None, 5, 6) and out.dtype == "float32"
    with pytest.raises(ValueError, match=r"biased_matmul.*\(6,\).*\(4,\)"):
        ops.nn.biased_matmul(SymbolicTensor((None, 3), "float32"), SymbolicTensor((3, 6), "float32"),
                             SymbolicTensor((4,), "float32"))


def test_dense_trains_as_with_a_separate_add(engine, rng):
    """Dense (biased_matmul) and the same weights in a matmul + add Lambda give the same weights after a
    fit step: the fused bias has the separate add's gradient."""
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 2)).astype("float32")
    dense = lamina.layers.Dense(2)
    fused = lamina.Sequential([lamina.Input((3,)), dense])
    kernel = lamina.Variable(rng.normal(size=(3, 2)).astype("float32"))
    bias = lamina.Variable(np.zeros(2, "float32"))

    class Separate(lamina.layers.Layer):
        def build(self, input_shape):
            self.kernel, self.bias = self.add_weight((3, 2)), self.add_weight((2,), "zeros")

        def call(self, inputs):
            return ops.add(ops.matmul(inputs, self.kernel), self.bias)

    separate_layer = Separate()
    separate = lamina.Sequential([lamina.Input((3,)), separate_layer])
    for model in (fused, separate):
        model.set_weights([kernel.numpy(), bias.numpy()])
        model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    for a, b in zip(fused.get_weights(), separate.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
