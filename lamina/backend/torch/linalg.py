"""Torch implementations of ``lamina.ops.linalg``.

Integer and bool inputs are computed in the float dtype lamina's promotion table gives them (floatx for
the usual int32), so every op returns the dtype its shape rule predicts.
"""

from __future__ import annotations

import torch

from lamina.backend.torch.numpy import _float, _float_pair, _tensor


def _is_vector_rhs(a: torch.Tensor, b: torch.Tensor) -> bool:
    """True when ``b`` is a (batch of) right-hand-side vector(s) rather than matrices (JAX/torch rule)."""
    return b.ndim == 1 or b.ndim == a.ndim - 1


def cholesky(x, upper=False):
    return torch.linalg.cholesky(_float(x), upper=upper)


def cholesky_inverse(x, upper=False):
    return torch.cholesky_inverse(_float(x), upper=upper)


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


def _default_rtol(x: torch.Tensor) -> float:
    """``max(M, N) * eps``: the relative cut-off of singular values (as NumPy's matrix_rank)."""
    return max(x.shape[-2:]) * torch.finfo(x.dtype).eps


def pinv(x, rcond=None):
    x = _float(x)
    return torch.linalg.pinv(x, rtol=_default_rtol(x) if rcond is None else rcond)


def matrix_rank(x, tol=None):
    x = _float(x)
    singular = torch.linalg.svdvals(x)
    if tol is None:
        tol = singular.amax(dim=-1, keepdim=True) * _default_rtol(x)
    return (singular > tol).sum(dim=-1).to(torch.int32)


def matrix_power(x, n):
    x = _tensor(x) if n >= 0 else _float(x)
    return torch.linalg.matrix_power(x, n)


def jvp(fun, primals, tangents, has_aux=False):
    primals = tuple(_tensor(p) for p in primals)
    tangents = tuple(_tensor(t).to(p.dtype) for p, t in zip(primals, tangents))
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)
