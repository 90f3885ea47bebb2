"""Torch implementations of ``lamina.ops.linalg``.

Integer and bool inputs are computed in the float dtype lamina's promotion table gives them (floatx for
the usual int32), so every op returns the dtype its shape rule predicts.
"""

from __future__ import annotations

import torch

from lamina.backend.torch.numpy import _float, _float_pair


def _is_vector_rhs(a: torch.Tensor, b: torch.Tensor) -> bool:
    """True when ``b`` is a (batch of) right-hand-side vector(s) rather than matrices (JAX/torch rule)."""
    return b.ndim == 1 or b.ndim == a.ndim - 1


def cholesky(x, upper=False):
    return torch.linalg.cholesky(_float(x), upper=upper)


def det(x):
    return torch.linalg.det(_float(x))


def eig(x):
    return tuple(torch.linalg.eig(_float(x)))


def eigh(x):
    return tuple(torch.linalg.eigh(_float(x), UPLO="L"))


def inv(x):
    return torch.linalg.inv(_float(x))


def lu_factor(x):
    lu, pivots = torch.linalg.lu_factor(_float(x))
    # torch numbers pivots from 1 (LAPACK); Keras, NumPy-style, from 0.
    return lu, (pivots - 1).to(torch.int32)


def norm(x, ord=None, axis=None, keepdims=False):
    return torch.linalg.norm(_float(x), ord=ord, dim=axis, keepdim=keepdims)


def qr(x, mode="reduced"):
    return tuple(torch.linalg.qr(_float(x), mode=mode))


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
    x = _float(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))
