"""Multi-tensor arithmetic for optimizer updates: one fused ``torch._foreach_*`` call per op for all variables.

Optimizers write their math once against this vocabulary (engine-neutral); every engine implements it.

- In-place ops (names ending in ``_``) update a list of lamina Variables; on torch they write into each
  Variable's ``Parameter``. (The JAX engine computes the new values and ``assign``s them.)
- Out-of-place ops take lists of Variables or engine tensors and return a new list of engine tensors.
- A *scalar* is a Python number or a 0-d engine tensor (e.g. a learning rate read from a schedule or a
  Variable). 0-d tensors on the CPU are read as numbers (no device sync there, and torch's fused kernels
  take numbers directly); 0-d tensors on an accelerator stay there, so updates never wait on the device.
- ``other`` arguments may be a list (elementwise, matched by position; 0-d tensors broadcast) or a scalar.

All updates run inside ``no_grad()``, the context the optimizer opens around a step.
"""

from __future__ import annotations

import numbers

import torch

from lamina.backend.torch.core import Variable

no_grad = torch.no_grad


def _tensors(items) -> list:
    """The engine tensors behind a list of Variables and/or tensors."""
    return [item.value if isinstance(item, Variable) else item for item in items]


def _scalar(value):
    """A Python number, or a 0-d tensor that lives on an accelerator."""
    if isinstance(value, Variable):
        value = value.value
    if isinstance(value, torch.Tensor) and value.device.type == "cpu":
        return value.item()
    return value


def _other(value):
    return _tensors(value) if isinstance(value, (list, tuple)) else _scalar(value)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number)


def _add_operands(other, alpha) -> tuple:
    """Arguments for ``torch._foreach_add``: ``alpha`` goes to torch as a number, else is folded in."""
    other, alpha = _other(other), _scalar(alpha)
    if not isinstance(other, list):
        return (other * alpha,), {}
    if _is_number(alpha):
        return (other,), {"alpha": alpha}
    return (torch._foreach_mul(other, alpha),), {}


# -- in place, on Variables -----------------------------------------------------------------------
def assign_(variables, tensors) -> None:
    """``variable = tensor`` for each pair."""
    torch._foreach_copy_(_tensors(variables), _tensors(tensors))


def zero_(variables) -> None:
    """``variable = 0``."""
    torch._foreach_zero_(_tensors(variables))


def mul_(variables, scalar) -> None:
    """``variable *= scalar``."""
    torch._foreach_mul_(_tensors(variables), _scalar(scalar))


def add_(variables, other, alpha=1.0) -> None:
    """``variable += alpha * other`` (``other``: tensors or a scalar)."""
    args, kwargs = _add_operands(other, alpha)
    torch._foreach_add_(_tensors(variables), *args, **kwargs)


def _addc_(kernel, variables, tensors1, tensors2, value) -> None:
    """``kernel`` (``torch._foreach_addcmul_`` or ``_addcdiv_``) with ``value`` a number or folded into ``tensors1``."""
    targets, value = _tensors(variables), _scalar(value)
    tensors1, tensors2 = _tensors(tensors1), _tensors(tensors2)
    if _is_number(value):
        kernel(targets, tensors1, tensors2, value=value)
    else:
        kernel(targets, torch._foreach_mul(tensors1, value), tensors2)


def addcmul_(variables, tensors1, tensors2, value=1.0) -> None:
    """``variable += value * tensor1 * tensor2``."""
    _addc_(torch._foreach_addcmul_, variables, tensors1, tensors2, value)


def addcdiv_(variables, tensors1, tensors2, value=1.0) -> None:
    """``variable += value * tensor1 / tensor2``."""
    _addc_(torch._foreach_addcdiv_, variables, tensors1, tensors2, value)


def lerp_(variables, tensors, weight) -> None:
    """``variable += weight * (tensor - variable)``."""
    torch._foreach_lerp_(_tensors(variables), _tensors(tensors), _scalar(weight))


def maximum_(variables, other) -> None:
    """``variable = maximum(variable, other)``."""
    torch._foreach_maximum_(_tensors(variables), _other(other))


# -- out of place ---------------------------------------------------------------------------------
def add(tensors, other, alpha=1.0) -> list:
    """``tensor + alpha * other`` (``other``: tensors or a scalar)."""
    args, kwargs = _add_operands(other, alpha)
    return torch._foreach_add(_tensors(tensors), *args, **kwargs)


def mul(tensors, other) -> list:
    """``tensor * other`` (``other``: tensors or a scalar)."""
    return torch._foreach_mul(_tensors(tensors), _other(other))


def div(tensors, other) -> list:
    """``tensor / other`` (``other``: tensors or a scalar)."""
    return torch._foreach_div(_tensors(tensors), _other(other))


def lerp(tensors, others, weight) -> list:
    """``tensor + weight * (other - tensor)``."""
    return torch._foreach_lerp(_tensors(tensors), _tensors(others), _scalar(weight))


def maximum(tensors, other) -> list:
    """Elementwise maximum with tensors or a scalar."""
    return torch._foreach_maximum(_tensors(tensors), _other(other))


def clip(tensors, low, high) -> list:
    """Each tensor clipped into ``[low, high]`` (scalars)."""
    return torch._foreach_clamp_max(torch._foreach_clamp_min(_tensors(tensors), _scalar(low)), _scalar(high))


def pow(tensors, exponent) -> list:  # noqa: A001 - the vocabulary's name for the op
    """``tensor ** exponent`` (a scalar)."""
    return torch._foreach_pow(_tensors(tensors), _scalar(exponent))


def sqrt(tensors) -> list:
    return torch._foreach_sqrt(_tensors(tensors))


def abs(tensors) -> list:  # noqa: A001
    return torch._foreach_abs(_tensors(tensors))


def sign(tensors) -> list:
    return torch._foreach_sign(_tensors(tensors))


def norms(tensors) -> list:
    """The L2 norm of each tensor, as a list of 0-d tensors."""
    return list(torch._foreach_norm(_tensors(tensors)))
