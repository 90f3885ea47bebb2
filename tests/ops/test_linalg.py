"""lamina.ops.linalg against np.linalg, and its shape rules against real results."""

import numpy as np
import pytest
from spec_check import check_spec

from lamina.backend import SymbolicTensor, convert_to_numpy
from lamina.ops import linalg


def _np(x):
    return convert_to_numpy(x)


def _spd(rng, shape):
    a = rng.normal(size=shape)
    return a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])


def _sym(x):
    return SymbolicTensor(x.shape, str(x.dtype))


def test_cholesky(engine, rng):
    x = _spd(rng, (2, 3, 3)).astype("float32")
    lower = linalg.cholesky(x)
    np.testing.assert_allclose(_np(lower), np.linalg.cholesky(x), rtol=1e-5, atol=1e-6)
    upper = _np(linalg.cholesky(x, upper=True))
    np.testing.assert_allclose(np.swapaxes(upper, -1, -2) @ upper, x, rtol=1e-5)
    assert np.allclose(np.tril(upper[0], -1), 0)
    check_spec(lower, linalg.cholesky(_sym(x)))
    with pytest.raises(ValueError, match="cholesky.*square"):
        linalg.cholesky(SymbolicTensor((3, 4)))


def test_det_and_inv(engine, rng):
    x = rng.normal(size=(4, 3, 3))
    np.testing.assert_allclose(_np(linalg.det(x)), np.linalg.det(x), rtol=1e-10)
    np.testing.assert_allclose(_np(linalg.inv(x)), np.linalg.inv(x), rtol=1e-8)
    check_spec(linalg.det(x), linalg.det(_sym(x)))
    check_spec(linalg.inv(x), linalg.inv(_sym(x)))
    ints = np.array([[2, 1], [1, 3]], "int32")
    np.testing.assert_allclose(_np(linalg.det(ints)), 5.0, rtol=1e-6)
    check_spec(linalg.inv(ints), linalg.inv(_sym(ints)))
    assert linalg.det(SymbolicTensor((None, 3, 3))).shape == (None,)
    with pytest.raises(ValueError, match="rank >= 2"):
        linalg.det(SymbolicTensor((3,)))


def test_eig(engine, rng):
    x = rng.normal(size=(2, 4, 4))
    w, v = linalg.eig(x)
    w, v = _np(w), _np(v)
    assert np.iscomplexobj(w) and np.iscomplexobj(v)
    # x v = v diag(w), and the eigenvalues are those of NumPy.
    np.testing.assert_allclose(x @ v, v * w[..., None, :], atol=1e-10)
    np.testing.assert_allclose(np.sort_complex(w), np.sort_complex(np.linalg.eigvals(x)), atol=1e-10)
    check_spec(linalg.eig(x), linalg.eig(_sym(x)))
    assert linalg.eig(SymbolicTensor((3, 3))).__getitem__(0).dtype == "complex64"


def test_eigh_reads_the_lower_triangle(engine, rng):
    x = _spd(rng, (2, 3, 3)).astype("float32")
    w, v = linalg.eigh(np.tril(x) + np.triu(np.full_like(x, 100.0), 1))
    np.testing.assert_allclose(_np(w), np.linalg.eigvalsh(x), rtol=1e-4)
    np.testing.assert_allclose(x @ _np(v), _np(v) * _np(w)[..., None, :], rtol=1e-3, atol=1e-3)
    check_spec(linalg.eigh(x), linalg.eigh(_sym(x)))


def _unpack_lu(lu, pivots):
    n = lu.shape[-1]
    lower, upper = np.tril(lu, -1) + np.eye(n), np.triu(lu)
    perm = np.arange(n)
    for i, p in enumerate(pivots):
        perm[[i, p]] = perm[[p, i]]
    return perm, lower, upper


def test_lu_factor_has_zero_based_pivots(engine, rng):
    x = rng.normal(size=(4, 4))
    lu, pivots = linalg.lu_factor(x)
    lu, pivots = _np(lu), _np(pivots)
    assert pivots.dtype == np.int32 and pivots.min() >= 0 and pivots.max() <= 3
    perm, lower, upper = _unpack_lu(lu, pivots)
    np.testing.assert_allclose(x[perm], lower @ upper, atol=1e-10)
    check_spec(linalg.lu_factor(x), linalg.lu_factor(_sym(x)))
    assert linalg.lu_factor(SymbolicTensor((2, 5, 3))).__getitem__(1).shape == (2, 3)


VECTOR_ORDS = [None, 1, 2, 3, 0.5, 0, np.inf, -np.inf, -1]
MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("ord", VECTOR_ORDS)
@pytest.mark.parametrize("keepdims", [False, True])
def test_vector_norms(engine, rng, ord, keepdims):
    x = rng.normal(size=(3, 4))
    if ord == 0:
        x[0, 1] = 0.0
    for axis in (0, -1):
        out = linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
        np.testing.assert_allclose(_np(out), np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims), rtol=1e-10)
        check_spec(out, linalg.norm(_sym(x), ord=ord, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_matrix_norms(engine, rng, ord):
    x = rng.normal(size=(2, 3, 4))
    for axis, keepdims in [((1, 2), False), ((2, 0), True)]:
        out = linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
        np.testing.assert_allclose(_np(out), np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims), rtol=1e-10)
        check_spec(out, linalg.norm(_sym(x), ord=ord, axis=axis, keepdims=keepdims))
    np.testing.assert_allclose(_np(linalg.norm(x[0], ord=ord)), np.linalg.norm(x[0], ord=ord), rtol=1e-10)


def test_norm_defaults_and_errors(engine, rng):
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    np.testing.assert_allclose(_np(linalg.norm(x)), np.linalg.norm(x), rtol=1e-6)
    check_spec(linalg.norm(x, keepdims=True), linalg.norm(_sym(x), keepdims=True))
    ints = np.array([3, 4], "int32")
    check_spec(linalg.norm(ints), linalg.norm(_sym(ints)))
    np.testing.assert_allclose(_np(linalg.norm(ints)), 5.0)
    with pytest.raises(ValueError, match="rank 1 or 2"):
        linalg.norm(x, ord=2)
    with pytest.raises(ValueError, match="matrix norm"):
        linalg.norm(x, ord="fro", axis=1)
    with pytest.raises(ValueError, match="invalid matrix norm"):
        linalg.norm(SymbolicTensor((3, 3)), ord=3, axis=(0, 1))
    with pytest.raises(ValueError, match="2-tuple"):
        linalg.norm(x, axis=(0, 1, 2))


@pytest.mark.parametrize("mode", ["reduced", "complete"])
@pytest.mark.parametrize("shape", [(2, 5, 3), (3, 4)])
def test_qr(engine, rng, mode, shape):
    x = rng.normal(size=shape)
    q, r = linalg.qr(x, mode=mode)
    q_ref, r_ref = np.linalg.qr(x, mode=mode)
    assert q.shape == q_ref.shape and r.shape == r_ref.shape
    np.testing.assert_allclose(_np(q) @ _np(r), x, atol=1e-10)
    np.testing.assert_allclose(np.abs(_np(r)), np.abs(r_ref), atol=1e-10)
    check_spec((q, r), linalg.qr(_sym(x), mode=mode))
    with pytest.raises(ValueError, match="mode"):
        linalg.qr(x, mode="r")


@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd(engine, rng, full_matrices):
    x = rng.normal(size=(2, 3, 5))
    u, s, vh = linalg.svd(x, full_matrices=full_matrices)
    u_ref, s_ref, vh_ref = np.linalg.svd(x, full_matrices=full_matrices)
    assert (u.shape, vh.shape) == (u_ref.shape, vh_ref.shape)
    np.testing.assert_allclose(_np(s), s_ref, rtol=1e-10)
    k = s_ref.shape[-1]
    np.testing.assert_allclose((_np(u)[..., :k] * _np(s)[..., None, :]) @ _np(vh)[..., :k, :], x, atol=1e-10)
    check_spec((u, s, vh), linalg.svd(_sym(x), full_matrices=full_matrices))
    only_s = linalg.svd(x, compute_uv=False)
    np.testing.assert_allclose(_np(only_s), s_ref, rtol=1e-10)
    check_spec(only_s, linalg.svd(_sym(x), compute_uv=False))


@pytest.mark.parametrize(
    "a_shape,b_shape,as_vectors",
    [((3, 3), (3,), True), ((3, 3), (3, 2), False), ((4, 3, 3), (4, 3), True), ((4, 3, 3), (4, 3, 2), False),
     ((4, 3, 3), (3,), True)],
)
def test_solve(engine, rng, a_shape, b_shape, as_vectors):
    a = rng.normal(size=a_shape) + 3 * np.eye(3)
    b = rng.normal(size=b_shape)
    out = linalg.solve(a, b)
    ref = np.linalg.solve(a, b[..., None])[..., 0] if as_vectors else np.linalg.solve(a, b)
    np.testing.assert_allclose(_np(out), ref, rtol=1e-8, atol=1e-10)
    check_spec(out, linalg.solve(_sym(a), _sym(b)))
    with pytest.raises(ValueError, match="rows of `b`"):
        linalg.solve(SymbolicTensor((3, 3)), SymbolicTensor((4, 2)))


@pytest.mark.parametrize("lower", [False, True])
def test_solve_triangular(engine, rng, lower):
    a = rng.normal(size=(2, 3, 3)) + 3 * np.eye(3)
    triangle = np.tril(a) if lower else np.triu(a)
    b = rng.normal(size=(2, 3, 2))
    out = linalg.solve_triangular(a, b, lower=lower)
    np.testing.assert_allclose(_np(out), np.linalg.solve(triangle, b), rtol=1e-8, atol=1e-10)
    check_spec(out, linalg.solve_triangular(_sym(a), _sym(b), lower=lower))
    vector = rng.normal(size=(2, 3))
    out = linalg.solve_triangular(a, vector, lower=lower)
    np.testing.assert_allclose(_np(out), np.linalg.solve(triangle, vector[..., None])[..., 0], rtol=1e-8, atol=1e-10)
    check_spec(out, linalg.solve_triangular(_sym(a), _sym(vector), lower=lower))


def test_lstsq(engine, rng):
    a = rng.normal(size=(6, 3))
    for b in (rng.normal(size=(6,)), rng.normal(size=(6, 2))):
        out = linalg.lstsq(a, b)
        np.testing.assert_allclose(_np(out), np.linalg.lstsq(a, b, rcond=None)[0], rtol=1e-8)
        check_spec(out, linalg.lstsq(_sym(a), _sym(b)))
    with pytest.raises(ValueError, match="same number of rows"):
        linalg.lstsq(SymbolicTensor((6, 3)), SymbolicTensor((5,)))


def test_int_inputs_compute_in_floatx(engine):
    x = np.array([[4, 2], [2, 3]], "int32")
    for fn in (linalg.cholesky, linalg.det, linalg.inv, linalg.eigh, linalg.qr, linalg.svd, linalg.lu_factor):
        check_spec(fn(x), fn(_sym(x)))
    np.testing.assert_allclose(_np(linalg.solve(x, np.array([1, 2], "int32"))), np.linalg.solve(x, [1, 2]), rtol=1e-6)


def test_cholesky_inverse_pinv_rank_power(engine):
    a = np.array([[4.0, 2.0], [2.0, 3.0]], "float32")
    lower = np.linalg.cholesky(a)
    np.testing.assert_allclose(convert_to_numpy(linalg.cholesky_inverse(lower)), np.linalg.inv(a), rtol=1e-5)
    upper = linalg.cholesky_inverse(lower.T, upper=True)
    np.testing.assert_allclose(convert_to_numpy(upper), np.linalg.inv(a), rtol=1e-5)
    m = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32")
    p = linalg.pinv(m)
    np.testing.assert_allclose(convert_to_numpy(p), np.linalg.pinv(m), rtol=1e-4, atol=1e-5)
    check_spec(p, linalg.pinv(SymbolicTensor((3, 2))))
    rank = linalg.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]], "float32"))
    assert int(convert_to_numpy(rank)) == 1
    check_spec(rank, linalg.matrix_rank(SymbolicTensor((2, 2))))
    cube = linalg.matrix_power(np.array([[1, 1], [0, 1]], "int32"), 3)
    np.testing.assert_array_equal(convert_to_numpy(cube), [[1, 3], [0, 1]])
    check_spec(cube, linalg.matrix_power(SymbolicTensor((2, 2), "int32"), 3))
    np.testing.assert_allclose(convert_to_numpy(linalg.matrix_power(a, -1)), np.linalg.inv(a), rtol=1e-5)


def test_jvp(engine):
    from lamina import ops
    x = np.array([0.0, 1.0], "float32")
    out, tangent = ops.jvp(lambda v: ops.sin(v) * 2.0, (x,), (np.ones(2, "float32"),))
    np.testing.assert_allclose(convert_to_numpy(out), 2 * np.sin(x), rtol=1e-6)
    np.testing.assert_allclose(convert_to_numpy(tangent), 2 * np.cos(x), rtol=1e-6)
    specs = ops.jvp(lambda v: ops.sin(v), (SymbolicTensor((None, 2)),), (SymbolicTensor((None, 2)),))
    assert [s.shape for s in specs] == [(None, 2), (None, 2)]
