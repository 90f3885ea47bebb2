"""Linear-algebra ops (``lamina.ops.linalg``, also at ``lamina.ops``): decompositions, solves, norms.

Matrices sit in the last two axes; leading axes are batch axes. Integer inputs are computed in their
promoted float dtype (floatx for int32), as the shape rules say.
"""

from __future__ import annotations

import math as _math

from lamina import backend
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops.op import op
from lamina.ops.operation import no_graph_recording
from lamina.ops.spec import (
    broadcast_shapes,
    canonical_axis,
    dtype_of,
    float_dtype,
    matrix_shape,
    reduce_shape,
    shape_of,
)

_la = backend.linalg

__all__ = [
    "cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq", "lu_factor", "matrix_power",
    "matrix_rank", "norm", "pinv", "qr", "solve", "solve_triangular", "svd",
]

_COMPLEX_OF = {"float16": "complex64", "bfloat16": "complex64", "float32": "complex64", "float64": "complex128"}
_REAL_OF = {"complex64": "float32", "complex128": "float64"}


def _square_rule(op_name: str):
    """Rule of an op mapping square matrices to same-shaped matrices (cholesky, inv)."""

    def rule(x, *args, **kwargs):
        return SymbolicTensor(matrix_shape(x, op_name, square=True), float_dtype(x))

    return rule


# -- one matrix in ---------------------------------------------------------------------------------
@op(_square_rule("cholesky"))
def cholesky(x, upper: bool = False):
    """Cholesky factor of a symmetric positive-definite matrix: lower (``L @ L^H = x``) unless ``upper``."""
    return _la.cholesky(x, upper=upper)


@op(_square_rule("cholesky_inverse"))
def cholesky_inverse(x, upper: bool = False):
    """Inverse of the symmetric positive-definite matrix ``A`` whose Cholesky factor is ``x``: lower
    (``A = x @ x^H``) unless ``upper`` (``A = x^H @ x``)."""
    return _la.cholesky_inverse(x, upper=upper)


def _det_rule(x):
    return SymbolicTensor(matrix_shape(x, "det", square=True)[:-2], float_dtype(x))


@op(_det_rule)
def det(x):
    """Determinant of square matrices: shape ``(...)``."""
    return _la.det(x)


def _eig_rule(x):
    shape = matrix_shape(x, "eig", square=True)
    dtype = _COMPLEX_OF.get(float_dtype(x), float_dtype(x))
    return SymbolicTensor(shape[:-1], dtype), SymbolicTensor(shape, dtype)


@op(_eig_rule)
def eig(x):
    """Eigenvalues ``(..., M)`` and eigenvectors ``(..., M, M)`` of a general square matrix, both complex."""
    return _la.eig(x)


def _eigh_rule(x):
    shape = matrix_shape(x, "eigh", square=True)
    dtype = float_dtype(x)
    return SymbolicTensor(shape[:-1], _REAL_OF.get(dtype, dtype)), SymbolicTensor(shape, dtype)


@op(_eigh_rule)
def eigh(x):
    """Eigenvalues (ascending, real) and eigenvectors of a symmetric/Hermitian matrix (lower triangle read)."""
    return _la.eigh(x)


@op(_square_rule("inv"))
def inv(x):
    """Inverse of square matrices."""
    return _la.inv(x)


def _pinv_rule(x, rcond=None):
    shape = matrix_shape(x, "pinv")
    return SymbolicTensor(shape[:-2] + (shape[-1], shape[-2]), float_dtype(x))


@op(_pinv_rule)
def pinv(x, rcond=None):
    """Moore-Penrose pseudo-inverse ``(..., N, M)`` of ``(..., M, N)`` matrices, from the SVD: singular
    values at most ``rcond`` times the largest count as zero (default ``max(M, N) * eps``)."""
    return _la.pinv(x, rcond=rcond)


def _matrix_rank_rule(x, tol=None):
    return SymbolicTensor(matrix_shape(x, "matrix_rank")[:-2], "int32")


@op(_matrix_rank_rule)
def matrix_rank(x, tol=None):
    """Number of singular values above ``tol`` (default ``max(s) * max(M, N) * eps``), as int32."""
    return _la.matrix_rank(x, tol=tol)


def _check_power(n):
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"`matrix_power`: `n` must be an int. Received: n={n!r} of type {type(n).__name__}")


def _matrix_power_rule(x, n):
    _check_power(n)
    shape = matrix_shape(x, "matrix_power", square=True)
    return SymbolicTensor(shape, float_dtype(x) if n < 0 else dtype_of(x))


@op(_matrix_power_rule)
def matrix_power(x, n: int):
    """``x`` multiplied by itself ``n`` times (``n < 0``: powers of the inverse; ``n = 0``: identity).

    Integer matrices keep their dtype for ``n >= 0``."""
    _check_power(n)
    return _la.matrix_power(x, n)

def _lu_factor_rule(x):
    shape = matrix_shape(x, "lu_factor")
    k = None if None in shape[-2:] else min(shape[-2:])
    return SymbolicTensor(shape, float_dtype(x)), SymbolicTensor(shape[:-2] + (k,), "int32")


@op(_lu_factor_rule)
def lu_factor(x):
    """LU decomposition with partial pivoting: ``(lu, pivots)``, with 0-based pivot rows as in SciPy/JAX."""
    return _la.lu_factor(x)


_MATRIX_ORDS = (None, "fro", "nuc", 1, -1, 2, -2, _math.inf, -_math.inf)


def _norm_axes(shape, ord, axis) -> tuple:
    """The axes ``norm`` reduces, checked against ``ord`` as NumPy checks them."""
    ndim = len(shape)
    if axis is None:
        if ord is not None and ndim not in (1, 2):
            raise ValueError(
                f"`norm` with `ord` set and axis=None needs a tensor of rank 1 or 2. Received ord={ord!r} "
                f"and shape {shape}."
            )
        if ord is None:
            return tuple(range(ndim))
        axis = tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    axes = tuple(canonical_axis(a, ndim, "norm") for a in axes)
    if len(set(axes)) != len(axes) or len(axes) > 2:
        raise ValueError(f"`norm` expects `axis` to be an int or a 2-tuple of distinct axes. Received axis={axis}")
    if len(axes) == 1 and isinstance(ord, str):
        raise ValueError(f"`norm`: ord={ord!r} is a matrix norm; vector norms take a number. Received axis={axis}")
    if len(axes) == 2 and ord not in _MATRIX_ORDS:
        raise ValueError(f"`norm`: invalid matrix norm order. Expected one of {_MATRIX_ORDS}. Received ord={ord!r}")
    return axes


def _norm_rule(x, ord=None, axis=None, keepdims=False):
    shape = shape_of(x)
    dtype = float_dtype(x)
    out = reduce_shape(shape, _norm_axes(shape, ord, axis), keepdims, "norm")
    return SymbolicTensor(out, _REAL_OF.get(dtype, dtype))


@op(_norm_rule)
def norm(x, ord=None, axis=None, keepdims: bool = False):
    """Vector norm (``axis`` an int) or matrix norm (``axis`` a 2-tuple), with NumPy's ``ord`` table.

    With ``axis=None`` and ``ord=None`` the 2-norm of the flattened tensor.
    """
    axes = _norm_axes(shape_of(x), ord, axis)
    return _la.norm(x, ord=ord, axis=axes if axis is not None or ord is not None else None, keepdims=keepdims)


def _check_qr_mode(mode):
    if mode not in ("reduced", "complete"):
        raise ValueError(
            f"`qr`: invalid value for argument `mode`. Expected 'reduced' or 'complete'. Received: mode={mode!r}"
        )


def _qr_rule(x, mode="reduced"):
    _check_qr_mode(mode)
    shape = matrix_shape(x, "qr")
    m, n = shape[-2:]
    k = m if mode == "complete" else (None if None in (m, n) else min(m, n))
    dtype = float_dtype(x)
    return SymbolicTensor(shape[:-2] + (m, k), dtype), SymbolicTensor(shape[:-2] + (k, n), dtype)


@op(_qr_rule)
def qr(x, mode: str = "reduced"):
    """QR decomposition ``(q, r)``; ``mode`` "reduced" gives ``q: (..., M, K)`` with ``K = min(M, N)``,
    "complete" gives ``q: (..., M, M)``."""
    _check_qr_mode(mode)
    return _la.qr(x, mode=mode)


def _svd_rule(x, full_matrices=True, compute_uv=True):
    shape = matrix_shape(x, "svd")
    batch, (m, n) = shape[:-2], shape[-2:]
    k = None if None in (m, n) else min(m, n)
    dtype = float_dtype(x)
    s = SymbolicTensor(batch + (k,), _REAL_OF.get(dtype, dtype))
    if not compute_uv:
        return s
    u_cols, v_rows = (m, n) if full_matrices else (k, k)
    return SymbolicTensor(batch + (m, u_cols), dtype), s, SymbolicTensor(batch + (v_rows, n), dtype)


@op(_svd_rule)
def svd(x, full_matrices: bool = True, compute_uv: bool = True):
    """Singular value decomposition ``(u, s, vh)`` with ``x = u @ diag(s) @ vh``; only ``s`` when not
    ``compute_uv``."""
    return _la.svd(x, full_matrices=full_matrices, compute_uv=compute_uv)


# -- systems of equations --------------------------------------------------------------------------
def _solve_shape(a, b, op_name: str) -> tuple:
    """Result shape of ``a x = b``: ``b`` is a (batch of) vector(s) when its rank is 1 or rank(a) - 1."""
    a_shape, b_shape = matrix_shape(a, op_name, square=True), shape_of(b)
    vector = len(b_shape) in (1, len(a_shape) - 1)
    rows = b_shape[-1] if vector else (b_shape[-2] if len(b_shape) >= 2 else None)
    m = a_shape[-1]
    if not b_shape or (rows is not None and m is not None and rows != m):
        raise ValueError(
            f"`{op_name}`: the rows of `b` must match the size of the square matrix `a`. Received shapes "
            f"a={a_shape} and b={b_shape}."
        )
    core = b_shape[-1:] if vector else b_shape[-2:]
    batch = broadcast_shapes(a_shape[:-2], b_shape[: len(b_shape) - len(core)], op_name=op_name)
    return batch + core


def _solve_rule(a, b, *args, **kwargs):
    return SymbolicTensor(_solve_shape(a, b, "solve"), float_dtype(a, b))


@op(_solve_rule)
def solve(a, b):
    """Solve ``a @ x = b`` for square ``a``; ``b`` is a vector (rank 1 or rank(a) - 1) or a matrix."""
    return _la.solve(a, b)


def _solve_triangular_rule(a, b, lower=False):
    return SymbolicTensor(_solve_shape(a, b, "solve_triangular"), float_dtype(a, b))


@op(_solve_triangular_rule)
def solve_triangular(a, b, lower: bool = False):
    """Solve ``a @ x = b`` reading only the upper triangle of ``a`` (the lower one when ``lower``)."""
    return _la.solve_triangular(a, b, lower=lower)


def _lstsq_rule(a, b, rcond=None):
    a_shape, b_shape = shape_of(a), shape_of(b)
    if len(a_shape) != 2 or len(b_shape) not in (1, 2):
        raise ValueError(
            f"`lstsq` expects `a` of rank 2 and `b` of rank 1 or 2. Received shapes a={a_shape}, b={b_shape}."
        )
    if None not in (a_shape[0], b_shape[0]) and a_shape[0] != b_shape[0]:
        raise ValueError(
            f"`lstsq`: `a` and `b` must have the same number of rows. Received shapes a={a_shape}, b={b_shape}."
        )
    return SymbolicTensor((a_shape[1],) + b_shape[1:], float_dtype(a, b))


@op(_lstsq_rule)
def lstsq(a, b, rcond=None):
    """Least-squares solution ``x`` minimising ``||a @ x - b||`` for a 2-D ``a``."""
    return _la.lstsq(a, b, rcond=rcond)


# -- forward-mode differentiation ------------------------------------------------------------------
def _jvp_rule(fun, primals, tangents, has_aux=False):
    with no_graph_recording():  # ``fun`` runs only to learn its output specs
        outputs = fun(*primals)
    primal_out, aux = outputs if has_aux else (outputs, None)
    tangent_out = _map_structure(lambda t: SymbolicTensor(t.shape, t.dtype), primal_out)
    return (primal_out, tangent_out, aux) if has_aux else (primal_out, tangent_out)


def _map_structure(fn, tree):
    if isinstance(tree, (list, tuple)):
        return type(tree)(_map_structure(fn, item) for item in tree)
    if isinstance(tree, dict):
        return {key: _map_structure(fn, item) for key, item in tree.items()}
    return fn(tree)


@op(_jvp_rule)
def jvp(fun, primals, tangents, has_aux: bool = False):
    """Forward-mode derivative: ``(fun(*primals), J(primals) @ tangents)``, plus ``fun``'s auxiliary output
    when ``has_aux`` (``fun`` then returns ``(output, aux)``). ``primals`` and ``tangents`` are tuples of
    matching tensors; ``fun`` is built from lamina ops."""
    return _la.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
