"""Mixed precision for every public layer: made under the global policy ``"mixed_bfloat16"`` or
``"mixed_float16"`` (``lamina.dtype_policies.set_dtype_policy``), a layer's symbolic output dtype
(``compute_output_spec``) equals the dtype it returns, its weights stay float32, and a model made of it
trains one step to a finite loss. The layers and their example inputs come from tests/layer_cases/."""

import warnings

import numpy as np
import pytest
from layer_cases import all_cases

import lamina
from lamina import dtype_policies, layers, tree
from lamina.backend import SymbolicTensor, convert_to_numpy, standardize_dtype

# Host-side string layers (``runs_on_host``: TextVectorization, StringLookup, Hashing, ...) compute nothing in
# floating point and hold no weights: their outputs are int64 indices or floatx encodings whatever the policy.
CASES = {name: case for name, case in all_cases().items() if not getattr(getattr(layers, name), "runs_on_host", False)}
POLICIES = ["mixed_bfloat16", "mixed_float16"]


def _fresh(value):
    """Layers among a case's arguments rebuilt without their dtype, so the global policy applies to them."""
    if isinstance(value, layers.Layer):
        config = value.get_config()
        config.pop("dtype", None)
        return type(value).from_config(config)
    if isinstance(value, (list, tuple)):
        return type(value)(_fresh(item) for item in value)
    return value


@pytest.fixture(params=POLICIES)
def policy(request, engine):
    """Sets the global dtype policy (``lamina.dtype_policies.set_dtype_policy``) for one test."""
    dtype_policies.set_dtype_policy(request.param)
    yield request.param
    dtype_policies.set_dtype_policy(None)


def _with_policy(name):
    """The case's layer and inputs, the layer (and any layer it wraps) made under the global policy."""
    kwargs, make_inputs = CASES[name]
    layer = getattr(layers, name)(**{key: _fresh(value) for key, value in kwargs.items()})
    return layer, make_inputs()


def _call(layer, inputs):
    return layer(*inputs) if isinstance(inputs, tuple) else layer(inputs)


def _symbolic(inputs):
    return tree.map_structure(lambda x: SymbolicTensor((None,) + x.shape[1:], standardize_dtype(x.dtype)), inputs)


@pytest.mark.parametrize("name", sorted(CASES))
def test_symbolic_and_eager_dtypes_agree(engine, name, policy):
    layer, inputs = _with_policy(name)
    eager = [standardize_dtype(y.dtype) for y in tree.flatten(_call(layer, inputs))]
    symbolic = [y.dtype for y in tree.flatten(_call(layer, _symbolic(inputs)))]
    assert layer.dtype_policy.name == policy
    assert symbolic == eager
    assert all(variable.dtype in ("float32", "int64", "int32") for variable in layer.weights)


@pytest.mark.parametrize("name", sorted(name for name in CASES if not isinstance(CASES[name][1](), tuple)))
def test_one_fit_step_gives_a_finite_loss(engine, name, policy):
    layer, x = _with_policy(name)
    inputs = tree.map_structure(lambda a: lamina.Input(a.shape[1:], dtype=standardize_dtype(a.dtype)), x)
    outputs = [output for output in tree.flatten(layer(inputs))
               if lamina.backend.is_float_dtype(output.dtype)]
    model = lamina.Model(inputs, outputs)
    model.compile(optimizer=lamina.optimizers.SGD(0.01), loss="mse")
    batch = len(tree.flatten(x)[0])
    targets = [np.zeros((batch,) + tuple(output.shape[1:]), "float32") for output in outputs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # layers without weights warn that nothing trains
        loss = model.fit(x, targets, batch_size=batch, epochs=1, verbose=0).history["loss"][0]
    assert np.isfinite(loss)
    predicted = model.predict(x, verbose=0)
    assert all(np.isfinite(convert_to_numpy(p).astype("float32")).all() for p in tree.flatten(predicted))


def test_layer_dtype_argument_trains_a_recurrent_text_model(engine, rng):
    """``dtype="mixed_bfloat16"`` on each layer: the LSTM's scan carries bfloat16 states on every engine."""
    model = lamina.Sequential([
        lamina.Input((6,), dtype="int32"),
        layers.Embedding(10, 4, mask_zero=True, dtype="mixed_bfloat16"),
        layers.LSTM(3, dtype="mixed_bfloat16"),
        layers.Dense(1, dtype="mixed_bfloat16"),
    ])
    x = rng.integers(0, 10, (8, 6)).astype("int32")
    y = rng.random((8, 1)).astype("float32")
    assert model.layers[1].compute_dtype == "bfloat16" and model.layers[1].variable_dtype == "float32"
    assert model.predict(x, verbose=0).dtype.name in ("bfloat16", "float32")
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
