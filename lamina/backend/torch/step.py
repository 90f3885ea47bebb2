"""How one batch is trained, tested and predicted on torch: eager autograd, no host syncs.

The engine-neutral loop in ``lamina.training`` calls these through the model's ``train_step`` /
``test_step`` / ``predict_step`` methods, so a model may override them Keras-3 style.
"""

from __future__ import annotations

import torch

TRACED = False  # a step runs eagerly: host values (strings) reach the layers that take them


def _unpack(data):
    if isinstance(data, tuple) and 1 <= len(data) <= 3:
        return data + (None,) * (3 - len(data))
    return data, None, None


def _trainable_variables(model):
    """The variables to differentiate, cached on the model for the duration of a ``fit``."""
    variables = model._step_variables
    if variables is None:
        variables = [v for v in model.trainable_variables if v.value.requires_grad]
        model._step_variables = variables
    return variables


def _batch_size(x) -> int:
    while isinstance(x, (list, tuple, dict)):
        x = next(iter(x.values())) if isinstance(x, dict) else x[0]
    return x.shape[0]


def _forward_and_loss(model, x, y, sample_weight):
    y_pred = model(x, training=True)
    return y_pred, model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)


def _forward_function(model):
    """The forward pass and loss, compiled by torch.compile when the model was compiled with
    ``jit_compile=True``. Gradients and the fused optimizer update stay eager: the update's Python-float
    hyperparameters (a bias-corrected learning rate) change every step and would recompile the graph."""
    if not model.jit_compile:
        return _forward_and_loss
    compiled = model.__dict__.get("_compiled_forward")
    if compiled is None:
        compiled = torch.compile(_forward_and_loss)
        model.__dict__["_compiled_forward"] = compiled
    return compiled


def train_step(model, data):
    """Forward, loss, gradients, one optimizer update and metric updates for one batch."""
    x, y, sample_weight = _unpack(data)
    y_pred, loss = _forward_function(model)(model, x, y, sample_weight)
    variables = _trainable_variables(model)
    # A model with nothing to train (pooling only, or frozen) still reports its loss and metrics.
    gradients = torch.autograd.grad(loss, [v.value for v in variables], allow_unused=True) if variables else None
    with torch.no_grad():
        if variables:
            model.optimizer.apply(list(gradients), variables)
        model._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        return model.compute_metrics(x, y, y_pred, sample_weight)


def test_step(model, data):
    """Forward, loss and metric updates for one batch (called under ``no_grad``)."""
    x, y, sample_weight = _unpack(data)
    y_pred = model(x, training=False)
    loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
    model._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
    return model.compute_metrics(x, y, y_pred, sample_weight)


def predict_step(model, data):
    x, _, _ = _unpack(data)
    return model(x, training=False)


def no_grad():
    """Context in which no autograd graph is recorded (evaluation and prediction)."""
    return torch.no_grad()

