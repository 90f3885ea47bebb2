"""JAX implementations of ``lamina.ops.linalg``.

Integer and bool inputs are computed in the float dtype lamina's promotion table gives them (floatx for
the usual int32), so every op returns the dtype its shape rule predicts.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from lamina.backend.jax.numpy import _float, _float_pair, _tensor


def _is_vector_rhs(a, b) -> bool:
    """True when ``b`` is a (batch of) right-hand-side vector(s) rather than matrices (JAX/torch rule)."""
    return b.ndim == 1 or b.ndim == a.ndim - 1


def _solve_columns(solver, a, b):
    """``solver(a, b)`` on matrix right-hand sides, with vectors solved as one-column matrices."""
    if _is_vector_rhs(a, b):
        return solver(a, b[..., None])[..., 0]
    return solver(a, b)


def cholesky(x, upper=False):
    return jnp.linalg.cholesky(_float(x), upper=upper)


def cholesky_inverse(x, upper=False):
    x = _float(x)
    identity = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    return jax.scipy.linalg.cho_solve((x, not upper), identity)


def det(x):
    return jnp.linalg.det(_float(x))


def eig(x):
    return tuple(jnp.linalg.eig(_float(x)))


def eigh(x):
    return tuple(jnp.linalg.eigh(_float(x), UPLO="L", symmetrize_input=False))


def inv(x):
    return jnp.linalg.inv(_float(x))


def lu_factor(x):
    lu, pivots = jax.scipy.linalg.lu_factor(_float(x))
    return lu, pivots.astype(jnp.int32)


def norm(x, ord=None, axis=None, keepdims=False):
    axis = tuple(axis) if isinstance(axis, list) else axis
    return jnp.linalg.norm(_float(x), ord=ord, axis=axis, keepdims=keepdims)


def qr(x, mode="reduced"):
    return tuple(jnp.linalg.qr(_float(x), mode=mode))


def solve(a, b):
    return _solve_columns(jnp.linalg.solve, *_float_pair(a, b))


def solve_triangular(a, b, lower=False):
    a, b = _float_pair(a, b)
    return _solve_columns(lambda a, b: jax.scipy.linalg.solve_triangular(a, b, lower=lower), a, b)


def lstsq(a, b, rcond=None):
    a, b = _float_pair(a, b)
    return jnp.linalg.lstsq(a, b, rcond=rcond)[0]


def svd(x, full_matrices=True, compute_uv=True):
    x = _float(x)
    if not compute_uv:
        return jnp.linalg.svd(x, compute_uv=False)
    return tuple(jnp.linalg.svd(x, full_matrices=full_matrices))


def _default_rtol(x) -> float:
    """``max(M, N) * eps``: the relative cut-off of singular values (as NumPy's matrix_rank)."""
    return max(x.shape[-2:]) * float(jnp.finfo(x.dtype).eps)


def pinv(x, rcond=None):
    x = _float(x)
    return jnp.linalg.pinv(x, rtol=_default_rtol(x) if rcond is None else rcond)


def matrix_rank(x, tol=None):
    x = _float(x)
    singular = jnp.linalg.svd(x, compute_uv=False)
    if tol is None:
        tol = jnp.max(singular, axis=-1, keepdims=True) * _default_rtol(x)
    return jnp.sum(singular > tol, axis=-1).astype(jnp.int32)


def matrix_power(x, n):
    x = _tensor(x) if n >= 0 else _float(x)
    return jnp.linalg.matrix_power(x, n)


def jvp(fun, primals, tangents, has_aux=False):
    primals = tuple(_tensor(p) for p in primals)
    tangents = tuple(_tensor(t).astype(p.dtype) for p, t in zip(primals, tangents))
    return jax.jvp(fun, primals, tangents, has_aux=has_aux)
