"""Merging layers: numbers against NumPy (broadcasting, Concatenate on several axes, Dot with every kind of
``axes`` and ``normalize``), symbolic shapes and dtypes that match eager ones, masks, two-input functional
models, config round trips, and errors that name the layer and the shapes."""

import numpy as np
import pytest

import lamina
from lamina import layers, ops, serialization
from lamina.backend.common.masking import get_mask
from lamina.models import Model


def to_numpy(x):
    return lamina.backend.convert_to_numpy(x)


def symbolic_and_eager(layer, xs):
    """Call ``layer`` on Inputs (None batch) and on ``xs``; check shapes and dtypes agree, return the output."""
    inputs = [layers.Input(x.shape[1:], dtype=str(x.dtype)) for x in xs]
    symbolic = layer(inputs)
    eager = layer(xs)
    assert symbolic.shape == (None,) + tuple(eager.shape[1:])
    assert symbolic.dtype == ops.dtype(eager)
    assert layer.compute_output_shape([x.shape for x in xs]) == tuple(eager.shape)
    return to_numpy(eager)


ELEMENTWISE = [
    (layers.Add, layers.add, lambda xs: xs[0] + xs[1] + xs[2]),
    (layers.Multiply, layers.multiply, lambda xs: xs[0] * xs[1] * xs[2]),
    (layers.Average, layers.average, lambda xs: (xs[0] + xs[1] + xs[2]) / 3),
    (layers.Maximum, layers.maximum, lambda xs: np.maximum(np.maximum(xs[0], xs[1]), xs[2])),
    (layers.Minimum, layers.minimum, lambda xs: np.minimum(np.minimum(xs[0], xs[1]), xs[2])),
]


# -- elementwise merges ---------------------------------------------------------------------------
@pytest.mark.parametrize("cls, function, reference", ELEMENTWISE)
def test_elementwise_merges_against_numpy(engine, rng, cls, function, reference):
    xs = [rng.normal(size=(2, 3, 4)).astype("float32") for _ in range(3)]
    out = symbolic_and_eager(cls(), xs)
    np.testing.assert_allclose(out, reference(xs), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(function(xs)), reference(xs), rtol=1e-6)


def test_subtract_against_numpy(engine, rng):
    x1, x2 = rng.normal(size=(2, 2, 5)).astype("float32")
    np.testing.assert_allclose(symbolic_and_eager(layers.Subtract(), [x1, x2]), x1 - x2, rtol=1e-6)
    np.testing.assert_allclose(to_numpy(layers.subtract([x2, x1])), x2 - x1, rtol=1e-6)


@pytest.mark.parametrize("cls, function, reference", ELEMENTWISE)
def test_elementwise_merges_broadcast_like_keras(engine, rng, cls, function, reference):
    # Trailing axes align; a lower-rank input gains size-1 axes right after its batch axis.
    full = rng.normal(size=(2, 3, 4)).astype("float32")
    ones_axis = rng.normal(size=(2, 1, 4)).astype("float32")
    lower_rank = rng.normal(size=(2, 4)).astype("float32")
    out = symbolic_and_eager(cls(), [full, ones_axis, lower_rank])
    np.testing.assert_allclose(out, reference([full, ones_axis, lower_rank[:, None, :]]), rtol=1e-6)


def test_merge_shape_rules(engine):
    add = layers.Add()
    assert add.compute_output_shape([(None, 3, 4), (None, 1, 4)]) == (None, 3, 4)
    assert add.compute_output_shape([(None, 4), (None, 3, 4)]) == (None, 3, 4)
    assert add.compute_output_shape([(None, None, 4), (8, 3, 1)]) == (8, 3, 4)
    assert add.compute_output_shape([(None, None), (None, 1)]) == (None, None)


def test_merge_dtypes_follow_the_ops(engine):
    ints = [np.array([[1, 2]], "int32"), np.array([[4, 7]], "int32")]
    assert symbolic_and_eager(layers.Add(), ints).dtype == np.int32
    averaged = symbolic_and_eager(layers.Average(), ints)
    assert averaged.dtype == np.float32
    np.testing.assert_allclose(averaged, [[2.5, 4.5]])


# -- Concatenate ----------------------------------------------------------------------------------
@pytest.mark.parametrize("axis", [-1, 1, 2, -2])
def test_concatenate_against_numpy(engine, rng, axis):
    sizes = [1, 2, 3]
    xs = []
    for size in sizes:
        shape = [2, 3, 4]
        shape[axis] = size
        xs.append(rng.normal(size=shape).astype("float32"))
    out = symbolic_and_eager(layers.Concatenate(axis=axis), xs)
    np.testing.assert_array_equal(out, np.concatenate(xs, axis=axis))
    np.testing.assert_array_equal(to_numpy(layers.concatenate(xs, axis=axis)), np.concatenate(xs, axis=axis))


def test_concatenate_shape_rules(engine):
    layer = layers.Concatenate(axis=1)
    assert layer.compute_output_shape([(None, 2, 5), (None, 3, 5)]) == (None, 5, 5)
    assert layer.compute_output_shape([(None, None, 5), (None, 3, None)]) == (None, None, 5)
    assert layers.Concatenate(axis=0).compute_output_shape([(2, 3), (4, 3)]) == (6, 3)


# -- Dot ------------------------------------------------------------------------------------------
def test_dot_axes_1_on_vectors(engine, rng):
    x, y = rng.normal(size=(2, 4, 5)).astype("float32")
    out = symbolic_and_eager(layers.Dot(axes=1), [x, y])
    np.testing.assert_allclose(out, np.sum(x * y, axis=1, keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(to_numpy(layers.dot([x, y], axes=-1)), out, rtol=1e-6)


def test_dot_axes_pair(engine, rng):
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    y = rng.normal(size=(2, 4, 5)).astype("float32")
    out = symbolic_and_eager(layers.Dot(axes=(1, 2)), [x, y])
    np.testing.assert_allclose(out, np.einsum("bki,bjk->bij", x, y), rtol=1e-5)
    assert out.shape == (2, 3, 4)


@pytest.mark.parametrize("axes, shapes, subscripts", [
    (2, [(2, 3, 4), (2, 5, 4)], "bnd,bmd->bnm"),
    ((-1, 1), [(2, 3, 4), (2, 4, 5)], "bnd,bdm->bnm"),
    ((3, 1), [(2, 2, 3, 4), (2, 4, 5)], "bijd,bdm->bijm"),
    ((1, 2), [(2, 4), (2, 3, 4, 5)], "bd,bidj->bij"),
    ((2, 1), [(2, 3, 4), (2, 4)], "bnd,bd->bn"),
])
def test_dot_batch_semantics(engine, rng, axes, shapes, subscripts):
    x, y = (rng.normal(size=s).astype("float32") for s in shapes)
    out = symbolic_and_eager(layers.Dot(axes=axes), [x, y])
    np.testing.assert_allclose(out, np.einsum(subscripts, x, y), rtol=1e-5, atol=1e-6)


def test_dot_normalize_gives_cosine_similarity(engine, rng):
    x, y = rng.normal(size=(2, 3, 6)).astype("float32")
    out = symbolic_and_eager(layers.Dot(axes=1, normalize=True), [x, y])
    cosine = np.sum(x * y, axis=1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    np.testing.assert_allclose(out, cosine[:, None], rtol=1e-5)
    assert np.all(np.abs(out) <= 1.0 + 1e-6)
    # Along axis 1 of 3-D inputs: each (i, j) entry is the cosine of column i of x and column j of y.
    a, b = rng.normal(size=(2, 2, 4, 3)).astype("float32")
    out = to_numpy(layers.Dot(axes=(1, 1), normalize=True)([a, b]))
    a_unit, b_unit = a / np.linalg.norm(a, axis=1, keepdims=True), b / np.linalg.norm(b, axis=1, keepdims=True)
    np.testing.assert_allclose(out, np.einsum("bki,bkj->bij", a_unit, b_unit), rtol=1e-5, atol=1e-6)


def test_dot_zero_vector_with_normalize_is_finite(engine):
    out = to_numpy(layers.Dot(axes=1, normalize=True)([np.zeros((1, 3), "float32"), np.ones((1, 3), "float32")]))
    np.testing.assert_array_equal(out, [[0.0]])


# -- functional models ----------------------------------------------------------------------------
def test_two_input_functional_model(engine, rng):
    left, right = layers.Input((3,), name="left"), layers.Input((3,), name="right")
    dense = layers.Dense(2)
    joined = layers.Concatenate()([dense(left), right])
    summed = layers.Add()([left, right])
    assert joined.shape == (None, 5) and summed.shape == (None, 3)
    model = Model([left, right], [joined, summed])
    x1, x2 = rng.normal(size=(2, 4, 3)).astype("float32")
    joined_out, summed_out = model([x1, x2])
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(to_numpy(joined_out), np.concatenate([x1 @ kernel + bias, x2], -1), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(to_numpy(summed_out), x1 + x2, rtol=1e-6)


def test_functional_model_with_dot_and_broadcasting_merge(engine, rng):
    queries, keys, scale_input = layers.Input((3, 4)), layers.Input((5, 4)), layers.Input((1,))
    scores = layers.Dot(axes=2)([queries, keys])
    scaled = layers.Multiply()([scores, scale_input])
    model = Model([queries, keys, scale_input], scaled)
    assert model.output_shape == (None, 3, 5)
    q, k = rng.normal(size=(2, 3, 4)).astype("float32"), rng.normal(size=(2, 5, 4)).astype("float32")
    scale = np.array([[2.0], [-1.0]], "float32")
    expected = np.einsum("bnd,bmd->bnm", q, k) * scale[:, :, None]
    np.testing.assert_allclose(to_numpy(model([q, k, scale])), expected, rtol=1e-5, atol=1e-6)


# -- masks ----------------------------------------------------------------------------------------
def masked(values, keep):
    """``values`` with the steps ``keep`` drops set to 0 and masked by a Masking layer."""
    values = values * keep[..., None]
    return layers.Masking(0.0)(values)


def test_elementwise_merge_masks_combine_with_or(engine, rng):
    """As Keras: a step is kept when any input keeps it; an unmasked input (all-true) gives no mask."""
    keep1 = np.array([[1, 1, 0], [1, 0, 0]], bool)
    keep2 = np.array([[1, 0, 0], [0, 1, 0]], bool)
    x1 = masked(rng.normal(size=(2, 3, 4)).astype("float32") + 5, keep1)
    x2 = masked(rng.normal(size=(2, 3, 4)).astype("float32") + 5, keep2)
    either = np.array([[1, 1, 0], [1, 1, 0]], bool)
    for cls in (layers.Add, layers.Subtract, layers.Multiply, layers.Average, layers.Maximum, layers.Minimum):
        np.testing.assert_array_equal(to_numpy(get_mask(cls()([x1, x2]))), either)
    unmasked = ops.convert_to_tensor(np.ones((2, 3, 4), "float32"))
    assert get_mask(layers.Add()([x1, unmasked])) is None
    assert get_mask(layers.Add()([np.ones((2, 3)), np.ones((2, 3))])) is None
    assert get_mask(layers.Dot(axes=2)([x1, x2])) is None


def test_concatenate_masks(engine, rng):
    keep = np.array([[1, 1, 0], [1, 0, 0]], bool)
    x1 = masked(rng.normal(size=(2, 3, 4)).astype("float32") + 5, keep)
    x2 = ops.convert_to_tensor(rng.normal(size=(2, 3, 2)).astype("float32"))
    # Along features, as Keras: a step is kept when any input keeps it (an unmasked input keeps all).
    np.testing.assert_array_equal(to_numpy(get_mask(layers.Concatenate()([x1, x2]))), np.ones((2, 3), bool))
    other = np.array([[0, 0, 1], [1, 0, 0]], bool)
    x4 = masked(rng.normal(size=(2, 3, 2)).astype("float32") + 5, other)
    np.testing.assert_array_equal(to_numpy(get_mask(layers.Concatenate()([x4, x1]))), keep | other)
    x3 = ops.convert_to_tensor(rng.normal(size=(2, 2, 4)).astype("float32"))
    along_time = get_mask(layers.Concatenate(axis=1)([x1, x3]))
    np.testing.assert_array_equal(to_numpy(along_time), np.concatenate([keep, np.ones((2, 2), bool)], axis=1))


def test_masks_through_merges_in_functional_model(engine, rng):
    a, b = layers.Input((3, 2)), layers.Input((3, 2))
    ma, mb = layers.Masking(0.0)(a), layers.Masking(0.0)(b)
    summed, joined = layers.Add()([ma, mb]), layers.Concatenate(axis=1)([ma, b])
    assert get_mask(summed).shape == (None, 3) and get_mask(summed).dtype == "bool"
    assert get_mask(joined).shape == (None, 6)
    model = Model([a, b], [summed, joined])
    x1, x2 = rng.normal(size=(2, 2, 3, 2)).astype("float32") + 5
    x1[0, 1], x2[1, 2], x2[0, 0] = 0.0, 0.0, 0.0
    summed_out, joined_out = model([x1, x2])
    keep1, keep2 = np.any(x1 != 0, axis=-1), np.any(x2 != 0, axis=-1)
    np.testing.assert_allclose(to_numpy(summed_out), x1 + x2, rtol=1e-6)
    np.testing.assert_array_equal(to_numpy(get_mask(summed_out)), keep1 | keep2)
    np.testing.assert_array_equal(to_numpy(get_mask(joined_out)), np.concatenate([keep1, np.ones((2, 3), bool)], 1))


# -- configs --------------------------------------------------------------------------------------
@pytest.mark.parametrize("layer", [
    layers.Add(), layers.Subtract(), layers.Multiply(), layers.Average(), layers.Maximum(), layers.Minimum(),
    layers.Concatenate(axis=1), layers.Dot(axes=(1, 2), normalize=True), layers.Dot(axes=-1),
])
def test_config_round_trip(engine, layer):
    clone = serialization.deserialize(serialization.serialize(layer), module_objects=vars(layers))
    assert type(clone) is type(layer)
    assert clone.get_config() == {**layer.get_config(), "name": clone.name}
    for attribute in ("axis", "axes", "normalize"):
        assert getattr(clone, attribute, None) == getattr(layer, attribute, None)


# -- errors ---------------------------------------------------------------------------------------
def test_incompatible_shapes_name_the_layer(engine):
    x1, x2 = np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32")
    with pytest.raises(ValueError, match=r"'plus' \(Add\): Inputs have incompatible shapes.*\(2, 3\), \(2, 4\)"):
        layers.Add(name="plus")([x1, x2])
    with pytest.raises(ValueError, match=r"\(Maximum\): Inputs have incompatible shapes.*\(None, 3\), \(None, 4\)"):
        layers.Maximum()([layers.Input((3,)), layers.Input((4,))])
    with pytest.raises(ValueError, match=r"\(Add\): Cannot merge tensors with different batch sizes.*\(5, 3\)"):
        layers.Add()([x1, np.zeros((5, 3), "float32")])


def test_merge_needs_a_list_of_inputs(engine):
    with pytest.raises(ValueError, match=r"'plus' \(Add\): A merge layer should be called on a list of inputs"):
        layers.Add(name="plus")(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"A merge layer should be called on a list of inputs"):
        layers.Concatenate()(layers.Input((3,)))
    with pytest.raises(ValueError, match=r"\(Multiply\): .*at least 2 inputs. Received 1 input with shape \(2, 3\)"):
        layers.Multiply()([np.zeros((2, 3), "float32")])


def test_subtract_takes_exactly_two_inputs(engine):
    xs = [np.zeros((2, 3), "float32")] * 3
    with pytest.raises(ValueError, match=r"'minus' \(Subtract\): A `Subtract` layer should be called on exactly 2 "
                                         r"inputs. Received 3 inputs with shapes \[\(2, 3\), \(2, 3\), \(2, 3\)\]"):
        layers.Subtract(name="minus")(xs)
    with pytest.raises(ValueError, match=r"exactly 2 inputs"):
        layers.subtract([layers.Input((3,))] * 3)
    with pytest.raises(ValueError, match=r"`Dot` layer should be called on exactly 2 inputs"):
        layers.Dot(axes=1)(xs)


def test_concatenate_errors(engine):
    with pytest.raises(ValueError, match=r"\(Concatenate\): .*matching shapes except for the concatenation axis -1"
                                         r".*\(None, 2, 3\), \(None, 4, 3\)"):
        layers.Concatenate()([layers.Input((2, 3)), layers.Input((4, 3))])
    with pytest.raises(ValueError, match=r"matching shapes.*\(2, 3\), \(2, 3, 1\)"):
        layers.Concatenate()([np.zeros((2, 3)), np.zeros((2, 3, 1))])
    with pytest.raises(ValueError, match=r"axis=3 is out of range for inputs of rank 2"):
        layers.Concatenate(axis=3)([np.zeros((2, 3)), np.zeros((2, 3))])
    with pytest.raises(TypeError, match=r"`axis` of Concatenate"):
        layers.Concatenate(axis=1.0)


def test_dot_errors(engine):
    with pytest.raises(ValueError, match=r"\(Dot\): Incompatible input shapes: axis values 3 \(at axis 1\) != 4 "
                                         r"\(at axis 1\). Received shapes \(None, 3\) and \(None, 4\)"):
        layers.Dot(axes=1)([layers.Input((3,)), layers.Input((4,))])
    with pytest.raises(ValueError, match=r"batch axis 0 cannot be a dot axis"):
        layers.Dot(axes=0)([np.zeros((2, 3)), np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"rank >= 2"):
        layers.Dot(axes=1)([np.zeros((3,)), np.zeros((3,))])
    with pytest.raises(ValueError, match=r"`axes` of Dot.*Received: axes=\(1, 2, 3\)"):
        layers.Dot(axes=(1, 2, 3))
    with pytest.raises(TypeError, match=r"`axes` of Dot.*Received: axes='1'"):
        layers.Dot(axes="1")
