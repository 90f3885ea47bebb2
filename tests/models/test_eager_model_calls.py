"""Eager ``model(x)``: once every layer inside has taken the fast path, the model skips its own full path
too, and gives what the full path gives; losses, masks and a ``training=True`` default keep it on the full
path, where they are handled."""

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.backend import convert_to_numpy
from lamina.backend.common.masking import get_mask


def _count_full_calls(model, monkeypatch):
    calls = []
    full_call = model._full_call

    def counted(args, kwargs):
        calls.append(1)
        return full_call(args, kwargs)

    monkeypatch.setattr(model, "_full_call", counted)
    return calls


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_a_warm_model_skips_its_full_path_with_the_same_numbers(engine, rng, monkeypatch, kind):
    stack = [layers.Dense(8, activation="relu"), layers.Dropout(0.5), layers.Dense(3, activation="softmax")]
    if kind == "sequential":
        model = lamina.Sequential([lamina.Input((5,))] + stack)
    else:
        inputs = lamina.Input((5,))
        outputs = inputs
        for layer in stack:
            outputs = layer(outputs)
        model = lamina.Model(inputs, outputs)
    x = lamina.ops.convert_to_tensor(rng.normal(size=(4, 5)).astype("float32"))
    calls = _count_full_calls(model, monkeypatch)
    first = convert_to_numpy(model(x))
    again = [convert_to_numpy(model(x)) for _ in range(3)]
    assert len(calls) == 1  # the first call built and warmed the layers; the rest went straight to call()
    kernel, bias = (convert_to_numpy(v) for v in stack[0].weights)
    hidden = np.maximum(convert_to_numpy(x) @ kernel + bias, 0)
    logits = hidden @ convert_to_numpy(stack[2].kernel) + convert_to_numpy(stack[2].bias)
    expected = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    for outputs in [first] + again:  # inference: Dropout passes through on both paths
        np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-6)


class _Penalised(layers.Layer):
    def call(self, x):
        self.add_loss(lamina.ops.sum(x))
        return x


def test_a_loss_inside_keeps_the_model_on_the_full_path(engine, rng, monkeypatch):
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(3, kernel_initializer="ones"), _Penalised()])
    calls = _count_full_calls(model, monkeypatch)
    x = np.ones((2, 3), "float32")
    for _ in range(3):
        model(lamina.ops.convert_to_tensor(x))
        assert len(model.losses) == 1  # the last call's loss only: each full call clears the previous one
    assert len(calls) == 3
    np.testing.assert_allclose(convert_to_numpy(model.losses[0]), 18.0 + 6 * convert_to_numpy(model.layers[0].bias)[0])


class _PenalisedLater(layers.Layer):
    penalise = False

    def call(self, x):
        if self.penalise:
            self.add_loss(lamina.ops.sum(x))
        return x


def test_a_layer_that_starts_adding_a_loss_sends_the_model_back_to_its_full_path(engine, monkeypatch):
    """The model remembers that every layer inside is fast; a layer that leaves the fast path later (its
    first loss) must make it ask again, or each call's loss would pile up uncleared."""
    inner = _PenalisedLater()
    model = lamina.Sequential([lamina.Input((3,)), layers.Dense(3, kernel_initializer="ones"), inner])
    calls = _count_full_calls(model, monkeypatch)
    x = lamina.ops.convert_to_tensor(np.ones((2, 3), "float32"))
    model(x)
    model(x)
    warm = len(calls)
    inner.penalise = True
    for _ in range(3):
        model(x)
        assert len(model.losses) == 1
    assert len(calls) == warm + 2  # the call that added the first loss was still fast; the next ones full


def test_a_training_true_default_reaches_the_layers_inside(engine):
    class AlwaysTraining(lamina.Model):
        def __init__(self):
            super().__init__()
            self.drop = layers.Dropout(0.5)

        def call(self, x, training=True):
            return self.drop(x)

    model = AlwaysTraining()
    x = lamina.ops.convert_to_tensor(np.ones((64, 32), "float32"))
    for _ in range(3):
        outputs = convert_to_numpy(model(x))
        assert set(np.unique(outputs)) == {0.0, 2.0}  # dropped and rescaled on every call


def test_a_mask_made_inside_survives_repeated_calls(engine):
    model = lamina.Sequential([lamina.Input((4,), dtype="int32"), layers.Embedding(5, 2, mask_zero=True),
                               layers.Dense(2)])
    x = lamina.ops.convert_to_tensor(np.array([[1, 2, 0, 0]], "int32"))
    for _ in range(3):
        np.testing.assert_array_equal(convert_to_numpy(get_mask(model(x))), [[True, True, False, False]])
