"""How one batch is trained, tested and predicted on torch: eager autograd, no host syncs.

``Steps`` is built once per ``compile()`` around the model's ``StepHooks`` (``lamina.training.step_hooks``)
and keeps what the steps reuse: the trainable variables to differentiate (listed again only when the
model's variables or trainable flags change) and, with ``jit_compile=True``, the forward pass and loss
compiled by ``torch.compile``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from lamina import tree
from lamina.backend.common.variable import state_structure_version
from lamina.backend.torch.core import DEVICE, convert_to_numpy, convert_to_tensor

TRACED = False  # a step runs eagerly: host values (strings) reach the layers that take them


_DENORMAL, _ONE = np.float32(1e-39), np.float32(1.0)


def _flushing_denormals(step):
    """``step`` run with denormal floats flushed to zero on the calling thread (the CPU's FTZ and DAZ modes),
    as XLA and TensorFlow run their steps, and the thread's mode given back after.

    An optimizer's moving average for a weight whose gradient stays zero (the weights of a pixel that is
    blank in every MNIST image) decays through the denormal range, where each multiply costs about a hundred
    cycles: an epoch of ``bench/mlp.py`` on torch, one thread, took 2.67 s against 2.53 s flushed (in-process
    A/B, six epochs each). Results in that range then agree with the JAX engine's. Threads of torch's
    intra-op pool keep their own mode.
    """
    @functools.wraps(step)
    def run(*args, **kwargs):
        if DEVICE.type != "cpu" or _DENORMAL * _ONE == 0:  # not a CPU step, or flushing already
            return step(*args, **kwargs)
        torch.set_flush_denormal(True)
        try:
            return step(*args, **kwargs)
        finally:
            torch.set_flush_denormal(False)
    return run


def _as_tensors(x):
    """``x`` with its numeric NumPy arrays as tensors, so a model whose layers all take the fast path
    (``Layer.__call__``) takes it too; arrays of strings stay for the layers that read them."""
    if type(x) is np.ndarray and x.dtype.kind in "biuf":
        return convert_to_tensor(x)
    return tree.map_structure(
        lambda v: convert_to_tensor(v) if isinstance(v, np.ndarray) and v.dtype.kind in "biuf" else v, x)


class Steps:
    """The train, test and predict steps of one compiled model."""

    def __init__(self, hooks):
        self.hooks = hooks
        self._trainable = (None, [])  # (state structure version, variables with requires_grad)
        self._forward_and_loss = torch.compile(hooks.forward_and_loss, dynamic=False) if hooks.jit_compile else \
            hooks.forward_and_loss

    def _trainable_variables(self) -> list:
        version, variables = self._trainable
        if version != state_structure_version():
            variables = [v for v in self.hooks.trainable_variables() if v.value.requires_grad]
            self._trainable = (state_structure_version(), variables)
        return variables

    @_flushing_denormals
    def train(self, x, y, sample_weight) -> None:
        """Forward, loss, gradients, one optimizer update and the metric updates for one batch. Gradients
        and the fused optimizer update stay eager under ``jit_compile``: the update's Python-float
        hyperparameters (a bias-corrected learning rate) change every step and would recompile a graph."""
        y_pred, loss = self._forward_and_loss(x, y, sample_weight, True)
        variables = self._trainable_variables()
        # A model with nothing to train (pooling only, or frozen) still reports its loss and metrics.
        gradients = torch.autograd.grad(loss, [v.value for v in variables], allow_unused=True) if variables else None
        with torch.no_grad():
            if variables:
                self.hooks.optimizer.apply(list(gradients), variables)
            self.hooks.update_metrics(loss, x, y, y_pred, sample_weight)

    @_flushing_denormals
    def test(self, x, y, sample_weight) -> None:
        """Forward, loss and metric updates for one batch (called under ``no_grad``)."""
        y_pred, loss = self.hooks.forward_and_loss(x, y, sample_weight, False)
        self.hooks.update_metrics(loss, x, y, y_pred, sample_weight)

    @_flushing_denormals
    def predict(self, x):
        return self.hooks.forward(_as_tensors(x), False)

    @_flushing_denormals
    def predict_on_host(self, x):
        """``predict`` of one batch without autograd, its outputs as NumPy arrays: the whole of a served
        prediction, kept to the few calls it needs (a one-row call costs little more than its GEMVs)."""
        enabled = torch.is_grad_enabled()
        torch._C._set_grad_enabled(False)  # torch.no_grad's effect without its five Python calls
        try:
            outputs = self.hooks.forward(_as_tensors(x), False)
        finally:
            torch._C._set_grad_enabled(enabled)
        if type(outputs) is torch.Tensor:
            return convert_to_numpy(outputs)
        return tree.map_structure(convert_to_numpy, outputs)

    def expect_batch_rows(self, kind: str, rows: int | None) -> None:
        """Eager steps have nothing to compile ahead for a later batch shape (torch.compile, with
        ``jit_compile``, compiles on first use)."""

    def compile_counts(self) -> dict:
        """How many graphs the steps compiled, per step kind: none, unless ``jit_compile`` (torch.compile
        compiles lazily and keeps its own count, not reported here)."""
        return {"train": 0, "test": 0, "predict": 0}


def no_grad():
    """Context in which no autograd graph is recorded (evaluation and prediction)."""
    return torch.no_grad()
