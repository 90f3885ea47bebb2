"""torch's CPU convolution with a ReLU post-op (``backend/torch/fused_conv.py``): Conv layers with
``activation="relu"`` run it, and it gives torch's own ``relu(conv2d(...))`` values, gradients and second
derivatives."""

import numpy as np
import pytest

import lamina
from lamina import layers

pytestmark = pytest.mark.engines("torch")


def _dispatched(run) -> set:
    from torch.utils._python_dispatch import TorchDispatchMode

    names = set()

    class Recorder(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            names.add(func.__name__.split(".")[0])
            return func(*args, **(kwargs or {}))

    with Recorder():
        run()
    return names


@pytest.mark.parametrize("padding, strides", [("valid", 1), ("same", 2)])
def test_fused_conv_relu_matches_torch(engine, rng, padding, strides):
    import torch
    import torch.nn.functional as F

    from lamina.backend.torch import fused_conv

    x = torch.tensor(rng.standard_normal((3, 4, 9, 8)), dtype=torch.float32, requires_grad=True)
    weight = torch.tensor(rng.standard_normal((5, 4, 3, 3)), dtype=torch.float32, requires_grad=True)
    bias = torch.tensor(rng.standard_normal(5), dtype=torch.float32, requires_grad=True)
    pad = (1, 1) if padding == "same" else (0, 0)
    fused = fused_conv.conv2d_relu(x, weight, bias, (strides, strides), pad, (1, 1), 1)
    reference = torch.relu(F.conv2d(x, weight, bias, strides, pad))
    np.testing.assert_allclose(fused.detach().numpy(), reference.detach().numpy(), rtol=1e-5, atol=1e-5)
    cotangent = torch.tensor(rng.standard_normal(fused.shape), dtype=torch.float32)
    grads = torch.autograd.grad((fused * cotangent).sum(), (x, weight, bias), create_graph=True)
    expected = torch.autograd.grad((reference * cotangent).sum(), (x, weight, bias), create_graph=True)
    for got, want in zip(grads, expected):
        np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-4, atol=1e-5)
    # Second derivative: of the input gradient's square norm with respect to the weight.
    second = torch.autograd.grad((grads[0] ** 2).sum(), weight)[0]
    expected_second = torch.autograd.grad((expected[0] ** 2).sum(), weight)[0]
    np.testing.assert_allclose(second.numpy(), expected_second.numpy(), rtol=1e-4, atol=1e-4)


def test_relu_conv_layers_run_the_fused_kernel(engine, rng):
    model = lamina.Sequential([lamina.Input((8, 8, 2)), layers.Conv2D(3, 3, activation="relu"), layers.Flatten(),
                               layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = rng.standard_normal((4, 8, 8, 2)).astype("float32")
    y = rng.standard_normal((4, 1)).astype("float32")
    for run in (lambda: model(x), lambda: model.predict(x, verbose=0), lambda: model.fit(x, y, verbose=0)):
        names = _dispatched(run)
        assert "_convolution_pointwise" in names and "relu" not in names and "clamp_min" not in names
    kernel, bias = (w.numpy() for w in model.layers[0].weights)
    windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(1, 2))  # (4, 6, 6, 2, 3, 3)
    expected = np.maximum(np.einsum("nhwcij,ijco->nhwo", windows, kernel) + bias, 0)
    np.testing.assert_allclose(lamina.backend.convert_to_numpy(model.layers[0](x)), expected, rtol=1e-5, atol=1e-5)



def _conv_relu_pool_gradients(pool, also_used, fused, use_bias=True):
    """``pool(relu(conv(x)))``, the gradients of ``sum(c * pooled)`` (plus, with ``also_used``, of a second
    use of the ReLU's output) with respect to the input, kernel and bias, and a second derivative: through
    lamina's ops or through torch's own."""
    import torch
    import torch.nn.functional as F

    from lamina.backend.torch import nn

    rng = np.random.default_rng(0)
    x = torch.tensor(rng.standard_normal((2, 9, 8, 3)), dtype=torch.float32, requires_grad=True)
    kernel = torch.tensor(rng.standard_normal((3, 3, 3, 4)), dtype=torch.float32, requires_grad=True)
    bias = torch.tensor(rng.standard_normal(4) - 0.5, dtype=torch.float32, requires_grad=True) if use_bias else None
    size, strides, padding = pool
    if fused:
        activation = nn.conv(x, kernel, bias=bias, relu=True, data_format="channels_last")
        pooled = nn.max_pool(activation, size, strides, padding, data_format="channels_last")
    else:
        activation = torch.relu(F.conv2d(x.movedim(-1, 1), kernel.permute(3, 2, 0, 1), bias)).movedim(1, -1)
        pooled = F.max_pool2d(activation.movedim(-1, 1), size, strides, ceil_mode=padding == "same").movedim(1, -1)
    cotangent = torch.tensor(rng.standard_normal(pooled.shape), dtype=torch.float32)
    total = (pooled * cotangent).sum() + (activation.square().sum() if also_used else 0)
    grads = torch.autograd.grad(total, [t for t in (x, kernel, bias) if t is not None], create_graph=True)
    second = torch.autograd.grad((grads[0] ** 2).sum(), kernel)[0]
    return pooled, (*grads, second)


@pytest.mark.parametrize("pool", [(2, 2, "valid"), (3, 2, "valid"), (2, 2, "same"), (3, 1, "valid")])
@pytest.mark.parametrize("also_used, use_bias", [(False, True), (True, True), (False, False)])
def test_max_pool_of_a_conv_relu_differentiates_in_one_node(engine, pool, also_used, use_bias):
    """ReLU's backward runs on the pooled gradient: the same values, gradients and second derivatives as
    torch's ReLU on the whole activation, with overlapping windows, "same" padding's partial window and a
    second use of the activation (whose gradient goes through the convolution's own node), with and without
    a bias."""
    pooled, grads = _conv_relu_pool_gradients(pool, also_used, True, use_bias)
    assert type(pooled.grad_fn).__name__ == "PermuteBackward0"
    windows_as_wide_as_strides = pool[0] == pool[1] and pool[2] == "valid"  # window_max_pool's kernels
    node = "_Conv2dReLUWindowMaxPoolBackward" if windows_as_wide_as_strides else "_Conv2dReLUMaxPoolBackward"
    assert type(pooled.grad_fn.next_functions[0][0]).__name__ == node
    expected_pooled, expected = _conv_relu_pool_gradients(pool, also_used, False, use_bias)
    np.testing.assert_allclose(pooled.detach().numpy(), expected_pooled.detach().numpy(), rtol=1e-5, atol=1e-5)
    for got, want in zip(grads, expected):
        np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-4, atol=1e-4)


def test_max_pool_of_a_conv_relu_after_its_backward(engine):
    """Pooling an activation whose graph a backward pass has freed still pools (as torch's own pooling
    does); only differentiating it again fails, with torch's error."""
    import torch

    from lamina.backend.torch import nn

    x = torch.ones((1, 4, 4, 1), requires_grad=True)
    activation = nn.conv(x, torch.ones((3, 3, 1, 2), requires_grad=True), relu=True, data_format="channels_last")
    activation.sum().backward()
    pooled = nn.max_pool(activation, 2, 2, "valid", data_format="channels_last")
    np.testing.assert_array_equal(pooled.detach().numpy(), np.full((1, 1, 1, 2), 9.0))
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        pooled.sum().backward()


def test_max_pool_of_a_channels_first_conv_relu(engine, rng):
    """Channels-first tensors (no layout views in between) take the one-node path too, with torch's values
    and gradients."""
    import torch
    import torch.nn.functional as F

    from lamina.backend.torch import nn

    x = torch.tensor(rng.standard_normal((2, 3, 9, 8)), dtype=torch.float32, requires_grad=True)
    kernel = torch.tensor(rng.standard_normal((3, 3, 3, 4)), dtype=torch.float32, requires_grad=True)
    bias = torch.tensor(rng.standard_normal(4) - 0.5, dtype=torch.float32, requires_grad=True)
    pooled = nn.max_pool(nn.conv(x, kernel, bias=bias, relu=True, data_format="channels_first"), 2, 2, "valid",
                         data_format="channels_first")
    assert type(pooled.grad_fn).__name__ == "_Conv2dReLUMaxPoolBackward"
    expected = F.max_pool2d(torch.relu(F.conv2d(x, kernel.permute(3, 2, 0, 1), bias)), 2, 2)
    cotangent = torch.tensor(rng.standard_normal(pooled.shape), dtype=torch.float32)
    grads = torch.autograd.grad((pooled * cotangent).sum(), (x, kernel, bias))
    expected_grads = torch.autograd.grad((expected * cotangent).sum(), (x, kernel, bias))
    np.testing.assert_allclose(pooled.detach().numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-5)
    for got, want in zip(grads, expected_grads):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-4, atol=1e-5)
