"""Max pooling over windows as wide as their strides (``backend/torch/window_max_pool.py``): torch's own
values, gradients and second derivatives from numba kernels, on torch's thread count, and torch's kernels
in a forked process."""

import multiprocessing

import numpy as np
import pytest

import lamina
from lamina import layers

pytestmark = pytest.mark.engines("torch")


def _channels_last_input(rng, shape, specials=False):
    import torch

    values = rng.standard_normal(shape).astype("float32")
    if specials:  # ties, a NaN and infinities: which maximum wins is torch's rule
        values[..., ::3] = np.round(values[..., ::3])
        values[0, 0, 0, 0] = np.nan
        values[-1, 1, -1, -1] = np.inf
        values[-1, -1, 0, :] = -np.inf
    return torch.tensor(values).movedim(-1, 1).requires_grad_()  # (N, C, H, W) stored channels-last


def _pool_and_differentiate(pool, x, window, cotangent, direction):
    """``pool(x)``, the gradient of ``sum(cotangent * pool(x))`` and the derivative of ``sum(direction *
    gradient)`` with respect to the cotangent (second order: the gradient's own backward)."""
    import torch

    cotangent = cotangent.clone().requires_grad_()
    pooled = pool(x, window)
    (grad,) = torch.autograd.grad((pooled * cotangent).sum(), x, create_graph=True)
    (second,) = torch.autograd.grad((grad * direction).sum(), cotangent)
    return pooled, grad, second


@pytest.mark.parametrize("shape, window", [((3, 8, 8, 5), (2, 2)), ((2, 11, 9, 4), (2, 2)),
                                           ((2, 10, 9, 3), (3, 3)), ((2, 7, 9, 16), (2, 3)),
                                           ((1, 4, 6, 1), (2, 3)), ((2, 3, 3, 2), (3, 3))])
@pytest.mark.parametrize("specials", [False, True])
def test_window_max_pool_gives_torchs_values_and_gradients(engine, rng, shape, window, specials):
    import torch
    import torch.nn.functional as F

    from lamina.backend.torch import window_max_pool

    x = _channels_last_input(rng, shape, specials)
    assert window_max_pool.applies(x, window, window, (0, 0), False)
    pooled_shape = (shape[0], shape[3], shape[1] // window[0], shape[2] // window[1])
    cotangent = torch.tensor(rng.standard_normal(pooled_shape), dtype=torch.float32)
    direction = torch.tensor(rng.standard_normal(x.shape), dtype=torch.float32)
    got = _pool_and_differentiate(window_max_pool.max_pool, x, window, cotangent, direction)
    want = _pool_and_differentiate(F.max_pool2d, x, window, cotangent, direction)
    assert got[0].is_contiguous(memory_format=torch.channels_last)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.detach().numpy(), w.detach().numpy())


def test_a_conv_relu_pool_node_differentiates_twice_through_the_window_kernels(engine, rng):
    """The fused conv-ReLU-pool node folds ReLU's backward into the saved positions: the input gradient,
    and its derivative with respect to the pooled cotangent, are torch's (ReLU'd zeros included)."""
    import torch
    import torch.nn.functional as F

    from lamina.backend.torch import nn

    x = torch.tensor(rng.standard_normal((2, 9, 10, 3)), dtype=torch.float32, requires_grad=True)
    kernel = torch.tensor(rng.standard_normal((3, 3, 3, 4)), dtype=torch.float32)
    bias = torch.tensor(rng.standard_normal(4) - 0.5, dtype=torch.float32)

    def fused(x, window):
        activation = nn.conv(x.movedim(1, -1), kernel, bias=bias, relu=True, data_format="channels_last")
        return nn.max_pool(activation, window, window, "valid", data_format="channels_last").movedim(-1, 1)

    def reference(x, window):
        return F.max_pool2d(torch.relu(F.conv2d(x.movedim(1, -1).movedim(-1, 1), kernel.permute(3, 2, 0, 1),
                                                bias)), window)

    nchw = x.movedim(-1, 1)
    cotangent = torch.tensor(rng.standard_normal((2, 4, 3, 4)), dtype=torch.float32)
    direction = torch.tensor(rng.standard_normal(nchw.shape), dtype=torch.float32)
    got = _pool_and_differentiate(fused, nchw, (2, 2), cotangent, direction)
    want = _pool_and_differentiate(reference, nchw, (2, 2), cotangent, direction)
    node = got[0].grad_fn
    while type(node).__name__ == "PermuteBackward0":
        node = node.next_functions[0][0]
    assert type(node).__name__ == "_Conv2dReLUWindowMaxPoolBackward"
    assert (want[0] == 0).any()  # some windows' maxima are ReLU'd zeros
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.detach().numpy(), w.detach().numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("window, strides, padding, ceil_mode, layout, applies", [
    ((2, 2), (2, 2), (0, 0), False, "channels_last", True),
    ((3, 3), (2, 2), (0, 0), False, "channels_last", False),  # overlapping windows
    ((2, 2), (2, 2), (1, 1), False, "channels_last", False),
    ((2, 2), (2, 2), (0, 0), True, "channels_last", False),
    ((2, 2), (2, 2), (0, 0), False, "channels_first", False),
    ((16, 16), (16, 16), (0, 0), False, "channels_last", False),  # 256 positions: more than a byte holds
    ((1, 2), (1, 2), (0, 0), False, "channels_last", False),  # one row: a sequence's pooling
])
def test_window_max_pool_applies_to_its_geometry_only(engine, window, strides, padding, ceil_mode, layout,
                                                     applies):
    import torch

    from lamina.backend.torch import window_max_pool

    x = torch.zeros((2, 3, 16, 16))
    if layout == "channels_last":
        x = x.contiguous(memory_format=torch.channels_last)
    assert window_max_pool.applies(x, window, strides, padding, ceil_mode) is applies
    assert not window_max_pool.applies(x.double(), (2, 2), (2, 2), (0, 0), False)


def _convnet():
    model = lamina.Sequential([lamina.Input((14, 14, 2)), layers.Conv2D(4, 3, activation="relu"),
                               layers.MaxPooling2D(2), layers.Conv2D(4, 3), layers.MaxPooling2D(2),
                               layers.Flatten(), layers.Dense(3)])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.parametrize("threads", [1, 2])
def test_window_max_pool_keeps_torchs_thread_count(engine, rng, threads):
    """numba's threading layer starts inside torch's OpenMP runtime and resets its thread count: pooling
    gives it back."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        model = _convnet()
        model.fit(rng.standard_normal((4, 14, 14, 2)), rng.standard_normal((4, 3)), verbose=0)
        assert torch.get_num_threads() == threads
    finally:
        torch.set_num_threads(before)


def test_models_pool_with_the_window_kernels_in_every_path(engine, rng):
    """A conv-ReLU-pool brick and a plain pooling layer both skip torch's indexed pooling, in the eager call,
    predict, evaluate and fit, and give the values of a NumPy max over the windows."""
    from tests.backend.test_torch_fused_conv import _dispatched

    model = _convnet()
    x = rng.standard_normal((4, 14, 14, 2)).astype("float32")
    y = rng.standard_normal((4, 3)).astype("float32")
    for run in (lambda: model(x), lambda: model.predict(x, verbose=0), lambda: model.evaluate(x, y, verbose=0),
                lambda: model.fit(x, y, verbose=0)):
        names = _dispatched(run)
        assert not any(name.startswith("max_pool") for name in names), names
    for conv, size in ((0, 12), (2, 4)):  # a ReLU'd convolution's output, then a plain one
        activation = lamina.Model(model.inputs, model.layers[conv].output).predict(x, verbose=0)
        pooled = lamina.Model(model.inputs, model.layers[conv + 1].output).predict(x, verbose=0)
        expected = activation.reshape(4, size // 2, 2, size // 2, 2, 4).max(axis=(2, 4))
        np.testing.assert_array_equal(pooled, expected)


def _pool_in_child(connection):
    import torch

    from lamina.backend.torch import nn

    torch.set_num_threads(1)  # torch's own OpenMP pool hangs in a forked child otherwise

    x = torch.arange(32, dtype=torch.float32).reshape(1, 4, 4, 2)
    connection.send(nn.max_pool(x, 2, 2, "valid", data_format="channels_last").numpy())
    connection.close()


def test_a_forked_process_pools_with_torchs_kernels(engine, rng):
    """GNU OpenMP does not survive a fork (a child that launches numba's OpenMP kernels hangs or is stopped):
    a child of a process that ran them pools with torch's kernels instead."""

    from lamina.backend.torch import nn, window_max_pool

    x = _channels_last_input(rng, (2, 4, 4, 3)).detach()
    nn.max_pool(x.movedim(1, -1), 2, 2, "valid", data_format="channels_last")  # the kernels run here first
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_pool_in_child, args=(sending,))
    child.start()
    pooled = receiving.recv() if receiving.poll(60) else None
    child.join(10)
    if child.exitcode is None:
        child.kill()
    assert child.exitcode == 0
    expected = np.array([[[[10, 11], [14, 15]], [[26, 27], [30, 31]]]], dtype="float32")
    np.testing.assert_array_equal(pooled, expected)
    assert window_max_pool.applies(x, (2, 2), (2, 2), (0, 0), False)  # the parent still uses them
