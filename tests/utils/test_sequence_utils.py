"""pad_sequences against Keras' documented results and hand-built arrays."""

import numpy as np
import pytest

from lamina.utils import pad_sequences

SEQUENCES = [[1], [2, 3], [4, 5, 6]]


def test_keras_documented_examples(engine):
    result = pad_sequences(SEQUENCES)
    assert result.dtype == np.int32
    np.testing.assert_array_equal(result, [[0, 0, 1], [0, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, value=-1), [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, padding="post"), [[1, 0, 0], [2, 3, 0], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2), [[0, 1], [2, 3], [5, 6]])


def test_truncating_and_padding_sides_combine(engine):
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2, truncating="post"), [[0, 1], [2, 3], [4, 5]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=2, truncating="post", padding="post"),
                                  [[1, 0], [2, 3], [4, 5]])
    np.testing.assert_array_equal(pad_sequences(SEQUENCES, maxlen=4, padding="post", value=9),
                                  [[1, 9, 9, 9], [2, 3, 9, 9], [4, 5, 6, 9]])


def test_dtypes_and_ragged_inputs(engine):
    floats = pad_sequences([np.array([0.5, 1.5]), [2.5]], dtype="float32", value=np.nan)
    assert floats.dtype == np.float32
    np.testing.assert_array_equal(floats, [[0.5, 1.5], [np.nan, 2.5]])
    # empty sequences become all padding; a tuple of ranges is as good as lists
    np.testing.assert_array_equal(pad_sequences(([], range(3), (7,))), [[0, 0, 0], [0, 1, 2], [0, 0, 7]])
    # each step may be a vector: the result gains the step's shape
    steps = pad_sequences([[[1, 2]], [[3, 4], [5, 6]]], padding="post")
    assert steps.shape == (2, 2, 2)
    np.testing.assert_array_equal(steps[0], [[1, 2], [0, 0]])
    assert pad_sequences([]).shape == (0, 0) and pad_sequences(SEQUENCES, maxlen=0).shape == (3, 0)


def test_strings_need_a_text_dtype(engine):
    words = pad_sequences([["the", "cat"], ["sat"]], dtype=object, value="<pad>")
    assert words.dtype == object and words.tolist() == [["the", "cat"], ["<pad>", "sat"]]
    fixed = pad_sequences([["a", "bb"], ["c"]], dtype="<U5", value="_", padding="post")
    assert fixed.tolist() == [["a", "bb"], ["c", "_"]]
    # a string is a sequence of characters
    assert pad_sequences(["abc", "d"], dtype=object, value=" ", maxlen=2).tolist() == [["b", "c"], [" ", "d"]]
    with pytest.raises(ValueError, match="dtype=object"):
        pad_sequences([["a"]], value="x")


def test_invalid_arguments(engine):
    with pytest.raises(ValueError, match="padding"):
        pad_sequences(SEQUENCES, padding="middle")
    with pytest.raises(ValueError, match="truncating"):
        pad_sequences(SEQUENCES, truncating="both")
    with pytest.raises(ValueError, match="position 1"):
        pad_sequences([[1], 5])
    with pytest.raises(ValueError, match="different from expected shape"):
        pad_sequences([[[1, 2]], [[1, 2, 3]]])
    with pytest.raises(ValueError, match="maxlen"):
        pad_sequences(SEQUENCES, maxlen=-1)
