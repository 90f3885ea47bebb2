"""ops.rearrange: einops patterns against NumPy reshape/transpose written out by hand."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.backend import SymbolicTensor
from tests.conftest import to_numpy

X = np.arange(2 * 4 * 6 * 3, dtype="float32").reshape(2, 4, 6, 3)


def _patches(x):
    """'b (h p1) (w p2) c -> b h w (p1 p2 c)' with p1=2, p2=3, by hand."""
    b, h2, w3, c = x.shape
    return x.reshape(b, h2 // 2, 2, w3 // 3, 3, c).transpose(0, 1, 3, 2, 4, 5).reshape(b, h2 // 2, w3 // 3, 18)


CASES = [
    ("b h w c -> b c h w", {}, lambda x: x.transpose(0, 3, 1, 2)),
    ("b h w c -> w b c h", {}, lambda x: x.transpose(2, 0, 3, 1)),
    ("b h w c -> b (h w) c", {}, lambda x: x.reshape(2, 24, 3)),
    ("b h w c -> (b h) w c", {}, lambda x: x.reshape(8, 6, 3)),
    ("b h w c -> h (b w) c", {}, lambda x: x.transpose(1, 0, 2, 3).reshape(4, 12, 3)),
    ("b h w c -> b (c h w)", {}, lambda x: x.transpose(0, 3, 1, 2).reshape(2, 72)),
    ("b (h p1) (w p2) c -> b h w (p1 p2 c)", {"p1": 2, "p2": 3}, _patches),
    ("b (h1 h) (w1 w) c -> (b h1 w1) h w c", {"h1": 2, "w1": 2},
     lambda x: x.reshape(2, 2, 2, 2, 3, 3).transpose(0, 1, 3, 2, 4, 5).reshape(8, 2, 3, 3)),
    ("b h w c -> b h w c", {}, lambda x: x),
    ("b h (w c) k -> b k c h w", {"c": 2}, lambda x: x.reshape(2, 4, 3, 2, 3).transpose(0, 4, 3, 1, 2)),
]


@pytest.mark.parametrize("pattern, lengths, reference", CASES, ids=[c[0] for c in CASES])
def test_rearrange_matches_numpy(engine, pattern, lengths, reference):
    y = ops.rearrange(X, pattern, **lengths)
    np.testing.assert_array_equal(to_numpy(y), reference(X))
    spec = ops.rearrange(SymbolicTensor(X.shape, "float32"), pattern, **lengths)
    assert (spec.shape, spec.dtype) == (tuple(y.shape), lamina.backend.standardize_dtype(y.dtype))


def test_rearrange_keeps_dtype_and_accepts_engine_tensors(engine):
    x = ops.convert_to_tensor(np.arange(12).reshape(3, 4), dtype="int16")
    y = ops.rearrange(x, "a b -> (b a)")
    assert lamina.backend.standardize_dtype(y.dtype) == "int16"
    np.testing.assert_array_equal(to_numpy(y), np.arange(12).reshape(3, 4).T.reshape(12))


def test_rearrange_symbolic_with_unknown_batch(engine):
    x = SymbolicTensor((None, 4, 6, 3), "float16")
    y = ops.rearrange(x, "b (h p1) (w p2) c -> b h w (p1 p2 c)", p1=2, p2=3)
    assert (y.shape, y.dtype) == ((None, 2, 2, 18), "float16")
    assert ops.rearrange(x, "b h w c -> (b h) w c").shape == (None, 6, 3)
    assert ops.rearrange(SymbolicTensor((None, 12)), "b (h w) -> b h w", w=4).shape == (None, 3, 4)
    assert ops.rearrange(SymbolicTensor((None, 12)), "(b t) f -> b t f", t=3).shape == (None, 3, 12)


def test_rearrange_in_a_functional_model(engine):
    inputs = lamina.Input((4, 6, 3))
    outputs = ops.rearrange(inputs, "b (h p1) (w p2) c -> b h w (p1 p2 c)", p1=2, p2=3)
    model = lamina.Model(inputs, outputs)
    assert model.output_shape == (None, 2, 2, 18)
    np.testing.assert_array_equal(model.predict(X, verbose=0), _patches(X))


@pytest.mark.parametrize("pattern, lengths, message", [
    ("b h w c", {}, "exactly one '->'"),
    ("b h -> w -> c", {}, "exactly one '->'"),
    ("b h w c -> b (h w c", {}, r"'\(' is never closed"),
    ("b h w c) -> b h w c", {}, r"'\)' has no matching"),
    ("b ((h w)) c -> b h w c", {}, "cannot be nested"),
    ("b h w c -> b h h c", {}, r"\['h'\] appear more than once"),
    ("b h w c -> b h c", {}, r"only on the left: \['w'\]"),
    ("b h w c -> b h w c z", {}, r"only on the right: \['z'\]"),
    ("... c -> c ...", {}, "ellipsis"),
    ("b h w -> b h w", {}, "has rank 4"),
    ("b (h p) w c -> b h p w c", {}, r"\['h', 'p'\] all unknown"),
    ("b (h p) w c -> b h p w c", {"p": 3}, "cannot be split"),
    ("b h w c -> b h w c", {"h": 5}, "axes_lengths says 5"),
    ("b h w c -> b h w c", {"q": 2}, r"\['q'\] are not axes"),
])
def test_bad_patterns_name_the_pattern(engine, pattern, lengths, message):
    for x in (X, SymbolicTensor(X.shape)):
        with pytest.raises(ValueError, match=message) as info:
            ops.rearrange(x, pattern, **lengths)
        assert "`rearrange`" in str(info.value) and pattern in str(info.value)
