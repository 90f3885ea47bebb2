"""Gradients asked for outside a train step (Keras 1/2's ``K.gradients``), by torch autograd."""

from __future__ import annotations

import torch


def value_and_gradients(function, variables, arrays):
    """``function(*arrays)`` and the gradients of its sum with respect to each Variable in ``variables`` and
    each array in ``arrays`` (zeros where the value does not depend on it).

    Returns ``(value, variable_gradients, array_gradients)``.
    """
    arrays = [torch.as_tensor(a).detach().clone().requires_grad_(True) for a in arrays]
    frozen = [v.value for v in variables if not v.value.requires_grad]
    for tensor in frozen:  # a non-trainable Variable still has a gradient when asked for
        tensor.requires_grad_(True)
    try:
        with torch.enable_grad():
            value = function(*arrays)
            targets = [v.value for v in variables] + arrays
            grads = torch.autograd.grad(value.sum(), targets, allow_unused=True) if targets else ()
    finally:
        for tensor in frozen:
            tensor.requires_grad_(False)
    grads = [torch.zeros_like(t) if g is None else g for t, g in zip(targets, grads)]
    return value.detach(), grads[:len(variables)], grads[len(variables):]
