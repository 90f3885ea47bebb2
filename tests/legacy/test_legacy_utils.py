"""Keras 1/2's ``keras.utils`` and ``keras.datasets`` through ``lamina.legacy``."""

import numpy as np
import pytest

import lamina
import lamina.legacy as keras
from lamina.legacy.utils import np_utils


def test_to_categorical_old_and_new_names(engine):
    expected = [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    with pytest.warns(DeprecationWarning, match="num_classes"):
        np.testing.assert_array_equal(np_utils.to_categorical([0, 2, 1], nb_classes=3), expected)
    np.testing.assert_array_equal(np_utils.to_categorical([0, 2, 1], 3), expected)
    np.testing.assert_array_equal(keras.utils.to_categorical(np.array([[0], [2], [1]])), expected)


def test_normalize_and_class_helpers(engine):
    np.testing.assert_allclose(np_utils.normalize(np.array([[3.0, 4.0], [0.0, 0.0]])), [[0.6, 0.8], [0, 0]])
    probabilities = np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]])
    np.testing.assert_array_equal(np_utils.categorical_probas_to_classes(probabilities), [1, 0])
    np.testing.assert_array_equal(np_utils.probas_to_classes(probabilities), [1, 0])
    np.testing.assert_array_equal(np_utils.probas_to_classes(np.array([[0.2], [0.9]])), [0, 1])
    np.testing.assert_array_equal(np_utils.probas_to_classes(np.array([0.6, 0.4])), [1, 0])


def test_generic_and_data_utils_are_lamina_s(engine):
    assert keras.utils.generic_utils.Progbar is lamina.utils.Progbar
    assert keras.utils.data_utils.get_file is lamina.utils.get_file


def test_datasets_are_lamina_loaders(engine):
    from lamina.legacy.datasets import mnist

    assert mnist.load_data is lamina.datasets.mnist.load_data
    assert keras.datasets.cifar10.load_data is lamina.datasets.cifar10.load_data


@pytest.mark.parametrize("name", ["imdb", "reuters"])
def test_nb_words_reads_as_num_words(engine, monkeypatch, name):
    calls = []
    monkeypatch.setattr(getattr(lamina.datasets, name), "load_data", lambda *a, **k: calls.append((a, k)))
    loader = getattr(keras.datasets, name)
    with pytest.warns(DeprecationWarning, match="num_words"):
        loader.load_data(nb_words=1000, maxlen=50)
    loader.load_data("file.npz", 20)
    assert calls == [((), {"num_words": 1000, "maxlen": 50}), (("file.npz", 20), {})]
