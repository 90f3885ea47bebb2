"""Torch implementations of ``lamina.ops.linalg``.

Integer and bool inputs are computed in the float dtype lamina's promotion table gives them (floatx for
the usual int32), so every op returns the dtype its shape rule predicts.
"""

from __future__ import annotations

import torch

from lamina.backend.common.dtypes import result_type
from lamina.backend.torch.core import get_dtype, to_torch_dtype
from lamina.backend.torch.numpy import _tensor


def _floating(x) -> torch.Tensor:
    """``x`` as a float (or complex) tensor; other dtypes take their promoted float dtype."""
    x = _tensor(x)
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(to_torch_dtype(result_type(get_dtype(x), float)))


def _float_pair(a, b):
    """Both operands of a solve, in one float dtype."""
    a, b = _floating(a), _floating(b)
    if a.dtype != b.dtype:
        dtype = to_torch_dtype(result_type(get_dtype(a), get_dtype(b)))
        a, b = a.to(dtype), b.to(dtype)
    return a, b


def _is_vector_rhs(a: torch.Tensor, b: torch.Tensor) -> bool:
    """True when ``b`` is a (batch of) right-hand-side vector(s) rather than matrices (JAX/torch rule)."""
    return b.ndim == 1 or b.ndim == a.ndim - 1


def cholesky(x, upper=False):
    return torch.linalg.cholesky(_floating(x), upper=upper)


def det(x):
    return torch.linalg.det(_floating(x))


def eig(x):
    return tuple(torch.linalg.eig(_floating(x)))


def eigh(x):
    return tuple(torch.linalg.eigh(_floating(x), UPLO="L"))


def inv(x):
    return torch.linalg.inv(_floating(x))


def lu_factor(x):
    lu, pivots = torch.linalg.lu_factor(_floating(x))
    # torch numbers pivots from 1 (LAPACK); Keras, NumPy-style, from 0.
    return lu, (pivots - 1).to(torch.int32)


def norm(x, ord=None, axis=None, keepdims=False):
    return torch.linalg.norm(_floating(x), ord=ord, dim=axis, keepdim=keepdims)


def qr(x, mode="reduced"):
    return tuple(torch.linalg.qr(_floating(x), mode=mode))


def solve(a, b):
    a, b = _float_pair(a, b)
    return torch.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    a, b = _float_pair(a, b)
    if _is_vector_rhs(a, b):
        return torch.linalg.solve_triangular(a, b.unsqueeze(-1), upper=not lower).squeeze(-1)
    return torch.linalg.solve_triangular(a, b, upper=not lower)


def lstsq(a, b, rcond=None):
    a, b = _float_pair(a, b)
    if b.ndim == 1:
        return torch.linalg.lstsq(a, b.unsqueeze(-1), rcond=rcond).solution.squeeze(-1)
    return torch.linalg.lstsq(a, b, rcond=rcond).solution


def svd(x, full_matrices=True, compute_uv=True):
    x = _floating(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))
