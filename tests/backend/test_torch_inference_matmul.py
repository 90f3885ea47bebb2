"""The torch engine's inference matmul: a cached (out, in) copy of a 2-D weight, rebuilt when it changes."""

import numpy as np
import pytest

from lamina import layers, ops
from lamina.backend import convert_to_numpy

pytestmark = pytest.mark.engines("torch")


def test_inference_product_follows_weight_updates(engine, rng):
    import torch

    dense = layers.Dense(5)
    x = rng.normal(size=(3, 4)).astype("float32")
    dense(x)
    for kernel in (rng.normal(size=(4, 5)), np.ones((4, 5))):
        dense.kernel.assign(kernel.astype("float32"))
        with torch.no_grad():
            inference = convert_to_numpy(dense(x))
            vector = convert_to_numpy(ops.matmul(x[0], dense.kernel))
        np.testing.assert_allclose(inference, x @ kernel + convert_to_numpy(dense.bias), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(vector, x[0] @ kernel, rtol=1e-5, atol=1e-6)
    assert dense.kernel.value._lamina_linear_layout[1].shape == (5, 4)


def test_training_product_is_differentiable(engine, rng):
    dense = layers.Dense(2)
    out = dense(rng.normal(size=(3, 4)).astype("float32"))
    assert out.requires_grad
