"""Keras 1/2's ``keras.preprocessing.text`` and ``sequence``: the Tokenizer against hand-counted numbers."""

import hashlib
import json

import numpy as np
import pytest

from lamina.legacy.preprocessing import sequence, text
from lamina.legacy.preprocessing.text import Tokenizer, tokenizer_from_json

TEXTS = ["The cat sat on the mat.", "The dog ate my homework.", "the cat"]
# the: 4, cat: 2, then the words seen once in order of first appearance
INDEX = {"the": 1, "cat": 2, "sat": 3, "on": 4, "mat": 5, "dog": 6, "ate": 7, "my": 8, "homework": 9}


def fitted(**kwargs):
    tokenizer = Tokenizer(**kwargs)
    tokenizer.fit_on_texts(TEXTS)
    return tokenizer


def test_word_index_ranks_by_count_then_first_appearance(engine):
    tokenizer = fitted()
    assert tokenizer.word_index == INDEX
    assert tokenizer.index_word[2] == "cat"
    assert tokenizer.word_counts["the"] == 4 and tokenizer.word_counts["mat"] == 1
    assert tokenizer.word_docs["the"] == 3 and tokenizer.word_docs["cat"] == 2
    assert tokenizer.index_docs[1] == 3 and tokenizer.index_docs[9] == 1
    assert tokenizer.document_count == 3
    assert tokenizer.texts_to_sequences(["The cat sat, on a mat!", "a dog"]) == [[1, 2, 3, 4, 5], [6]]


def test_num_words_keeps_the_indices_below_it(engine):
    tokenizer = fitted(num_words=4)
    assert tokenizer.word_index == INDEX  # the index keeps every word; only the outputs are limited
    assert tokenizer.texts_to_sequences(["the cat sat on the mat"]) == [[1, 2, 3, 1]]
    assert tokenizer.texts_to_matrix(["the mat"]).shape == (1, 4)


def test_oov_token_takes_index_1(engine):
    tokenizer = fitted(oov_token="<unk>", num_words=5)
    assert tokenizer.word_index["<unk>"] == 1 and tokenizer.word_index["the"] == 2
    assert tokenizer.texts_to_sequences(["the zebra sat on the mat"]) == [[2, 1, 4, 1, 2, 1]]


def test_texts_to_matrix_modes(engine):
    tokenizer = fitted()
    document = ["the cat the"]
    expected = {
        "binary": {1: 1.0, 2: 1.0},
        "count": {1: 2.0, 2: 1.0},
        "freq": {1: 2 / 3, 2: 1 / 3},
        # (1 + log(count)) * log(1 + documents / (1 + documents with the word))
        "tfidf": {1: (1 + np.log(2)) * np.log(1 + 3 / 4), 2: 1.0 * np.log(1 + 3 / 3)},
    }
    for mode, values in expected.items():
        row = np.zeros(10)
        for index, value in values.items():
            row[index] = value
        np.testing.assert_allclose(tokenizer.texts_to_matrix(document, mode=mode), [row], err_msg=mode)
    with pytest.raises(ValueError, match="mode"):
        tokenizer.texts_to_matrix(document, mode="onehot")


def test_sequences_to_matrix_and_fit_on_sequences(engine):
    tokenizer = Tokenizer(num_words=4)
    tokenizer.fit_on_sequences([[1, 2], [2, 3, 3]])
    assert tokenizer.document_count == 2 and tokenizer.index_docs == {1: 1, 2: 2, 3: 1}
    matrix = tokenizer.sequences_to_matrix([[3, 3, 1, 7], []], mode="count")
    np.testing.assert_array_equal(matrix, [[0, 1, 0, 2], [0, 0, 0, 0]])
    with pytest.raises(ValueError, match="num_words"):
        Tokenizer().sequences_to_matrix([[1]])
    with pytest.raises(ValueError, match="tfidf"):
        Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")


def test_char_level_and_pre_split_texts(engine):
    tokenizer = Tokenizer(char_level=True)
    tokenizer.fit_on_texts(["Aab"])
    assert tokenizer.word_index == {"a": 1, "b": 2}
    assert tokenizer.texts_to_sequences(["ba"]) == [[2, 1]]
    words = Tokenizer()
    words.fit_on_texts([["New", "York"], ["new"]])
    assert words.word_index == {"new": 1, "york": 2}


def test_json_round_trip(engine):
    tokenizer = fitted(num_words=6, oov_token="<unk>")
    restored = tokenizer_from_json(tokenizer.to_json())
    assert json.loads(tokenizer.to_json())["class_name"] == "Tokenizer"
    assert restored.word_index == tokenizer.word_index and restored.index_word == tokenizer.index_word
    assert restored.index_docs == tokenizer.index_docs and restored.word_counts == tokenizer.word_counts
    assert restored.num_words == 6 and restored.oov_token == "<unk>" and restored.document_count == 3
    np.testing.assert_array_equal(restored.texts_to_matrix(TEXTS, mode="tfidf"),
                                  tokenizer.texts_to_matrix(TEXTS, mode="tfidf"))
    assert restored.sequences_to_texts(restored.texts_to_sequences(["the cat sat"])) == ["the cat sat"]


def test_keras_1_nb_words(engine):
    with pytest.warns(DeprecationWarning, match="num_words"):
        tokenizer = Tokenizer(nb_words=3)
    assert tokenizer.num_words == 3


def test_word_helpers(engine):
    assert text.text_to_word_sequence("Hello, World!\tHi.") == ["hello", "world", "hi"]
    assert text.text_to_word_sequence("a-b c", filters="", lower=False, split="-") == ["a", "b c"]
    md5 = [int(hashlib.md5(w.encode()).hexdigest(), 16) % 9 + 1 for w in ("the", "cat")]
    assert text.hashing_trick("The cat", 10, hash_function="md5") == md5
    encoded = text.one_hot("the cat the", 5)
    assert len(encoded) == 3 and encoded[0] == encoded[2] and all(1 <= i < 5 for i in encoded)


def test_pad_sequences_has_the_keras_signature(engine):
    padded = sequence.pad_sequences([[1, 2, 3], [4]], maxlen=2, padding="post", truncating="post", value=9)
    np.testing.assert_array_equal(padded, [[1, 2], [4, 9]])
