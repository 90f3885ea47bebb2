"""``.weights.h5`` paths are Keras 3.15.1's for every public layer, and Keras-written files load.

Keras' rule (saving_lib's walk of the object tree), encoded here independently of lamina's code: a model's
layers sit under ``layers/<snake_case of the class>`` (``dense``, ``dense_1``, ...); a layer's sublayers under
the attribute Keras keeps them in, public names first (MultiHeadAttention's ``query_dense`` property is
visited before its ``_query_dense`` attribute); layers in a list under ``<attribute>/<snake_case>``, nested
lists as ``container``, ``container_1``; each saveable's own variables (trainable first, then non-trainable,
in creation order) as ``<path>/vars/0``, ``1``, ...
"""

import pathlib
import re

import h5py
import numpy as np
import pytest
from layer_cases import all_cases

from lamina import layers, models, ops
from lamina.backend import convert_to_numpy

KERAS_FILES = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "keras-files"
CASES = all_cases()

# Sublayers Keras 3.15.1 keeps, per class: {path under the layer: variable count} for the case's arguments.
_CELL = {"": 0, "cell": 3}  # kernel, recurrent_kernel, bias
KERAS_TREES = {
    "RNN": _CELL, "SimpleRNN": _CELL, "LSTM": _CELL, "GRU": _CELL,
    "ConvLSTM1D": _CELL, "ConvLSTM2D": _CELL, "ConvLSTM3D": _CELL,
    "Bidirectional": {"": 0, "forward_layer": 0, "forward_layer/cell": 3, "backward_layer": 0,
                      "backward_layer/cell": 3},
    "StackedRNNCells": {"": 0, "cells/lstm_cell": 3, "cells/gru_cell": 3},
    "TimeDistributed": {"": 0, "layer": 2}, "Wrapper": {"": 0, "layer": 2},
    "SpectralNormalization": {"": 2, "layer": 2},  # its own: the wrapped kernel (tracked again), vector_u
    "MultiHeadAttention": {"": 0, "query_dense": 2, "key_dense": 2, "value_dense": 2, "output_dense": 2},
}
# Own variables of the other layers with any, for the case's arguments (Keras' build order).
KERAS_OWN = {
    "Dense": 2, "EinsumDense": 2,  # lora_rank=2: the kernel with the update merged in, and the bias
    "Normalization": 3,  # mean, variance, count (Keras' adapt state)
    "Embedding": 1, "Conv1D": 2, "Conv2D": 2, "Conv3D": 1,  # Conv3D case: use_bias=False
    "Conv1DTranspose": 2, "Conv2DTranspose": 2, "Conv3DTranspose": 2, "DepthwiseConv1D": 2,
    "DepthwiseConv2D": 2, "SeparableConv1D": 3, "SeparableConv2D": 3,
    "BatchNormalization": 4, "LayerNormalization": 2, "GroupNormalization": 1,  # center=False: gamma
    "RMSNormalization": 1, "PReLU": 1, "Attention": 2,  # scale, concat_score_weight
    "AdditiveAttention": 1, "LSTMCell": 3, "GRUCell": 3, "SimpleRNNCell": 3,
}


def keras_snake_case(name: str) -> str:
    """Keras' naming rule: a capitalized word gets a leading underscore, as does a capital after a lowercase."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def variable_groups(path) -> dict:
    """``{group path: number of datasets}`` for every ``vars`` group holding variables."""
    counts = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: counts.__setitem__(name, len(obj))
                     if isinstance(obj, h5py.Group) and name.split("/")[-1] == "vars" and len(obj) else None)
    return counts


def keras_groups(prefix: str, tree: dict) -> dict:
    return {"/".join(p for p in (prefix, sub, "vars") if p): count for sub, count in tree.items() if count}


def built_case(name):
    kwargs, make_inputs = CASES[name]
    layer = getattr(layers, name)(**kwargs)
    inputs = make_inputs()
    layer(*inputs) if isinstance(inputs, tuple) else layer(inputs)
    return layer


def test_the_tables_cover_every_layer_with_variables(engine):
    for name in sorted(CASES):
        has_variables = bool(built_case(name).weights)
        assert has_variables == (name in KERAS_TREES or name in KERAS_OWN), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_public_layer_saves_under_keras_paths(engine, name, tmp_path):
    layer = built_case(name)
    path = str(tmp_path / "m.weights.h5")
    models.Sequential([layer]).save_weights(path)
    tree = KERAS_TREES.get(name, {"": KERAS_OWN.get(name, 0)})
    assert variable_groups(path) == keras_groups(f"layers/{keras_snake_case(name)}", tree)
    other = built_case(name)
    models.Sequential([other]).load_weights(path)
    for mine, theirs in zip(layer.weights, other.weights, strict=True):
        if not mine.name.startswith("lora_"):  # LoRA factors are not stored: they restart at zero, as in Keras
            np.testing.assert_array_equal(convert_to_numpy(mine), convert_to_numpy(theirs))


def test_nested_models_rnn_stacks_and_repeated_classes(engine, tmp_path):
    inner = models.Sequential([layers.Input((4,)), layers.Dense(3), layers.Dense(3)])
    x = layers.Input((5, 4))
    y = layers.RNN([layers.LSTMCell(2), layers.LSTMCell(2)])(x)
    y = layers.Dense(4)(y)
    model = models.Model(x, layers.Add()([inner(y), layers.MultiHeadAttention(1, 2)(x, x)[:, 0, :3]]))
    path = str(tmp_path / "nested.weights.h5")
    model.save_weights(path)
    mha = "layers/multi_head_attention"
    assert variable_groups(path) == {
        "layers/rnn/cell/cells/lstm_cell/vars": 3, "layers/rnn/cell/cells/lstm_cell_1/vars": 3,
        "layers/dense/vars": 2, "layers/sequential/layers/dense/vars": 2, "layers/sequential/layers/dense_1/vars": 2,
        **{f"{mha}/{sub}_dense/vars": 2 for sub in ("query", "key", "value", "output")},
    }


class Blocks(layers.Layer):
    """Sublayers in a list of lists: Keras 3.15 names the inner lists ``container``, ``container_1``."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stages = [layers.Dense(2), [layers.Dense(2), layers.Dense(2)], [layers.Dense(2)]]

    def call(self, x):
        x = self.stages[0](x)
        for stage in self.stages[1:]:
            for layer in stage:
                x = layer(x)
        return ops.relu(x)


def test_nested_containers_are_named_as_keras_does(engine, tmp_path):
    block = Blocks()
    block(np.ones((1, 2), "float32"))
    path = str(tmp_path / "blocks.weights.h5")
    models.Sequential([block]).save_weights(path)
    assert variable_groups(path) == {
        "layers/blocks/stages/dense/vars": 2, "layers/blocks/stages/container/dense/vars": 2,
        "layers/blocks/stages/container/dense_1/vars": 2, "layers/blocks/stages/container_1/dense/vars": 2}


@pytest.mark.parametrize("model", ["mlp", "char_cnn", "bilstm", "cnn_bn"])
def test_keras_written_weights_load_and_predict_as_keras(engine, model):
    loaded = models.model_from_json((KERAS_FILES / f"{model}.json").read_text())
    loaded.load_weights(str(KERAS_FILES / f"{model}.weights.h5"))
    predicted = loaded.predict(np.load(KERAS_FILES / f"{model}.input.npy"), verbose=0)
    np.testing.assert_allclose(convert_to_numpy(predicted), np.load(KERAS_FILES / f"{model}.expected.npy"),
                               rtol=1e-5, atol=1e-6)
