"""Keras 1/2's ``keras.preprocessing.text``: ``Tokenizer`` and the word-splitting helpers, on the host.

Follows keras_preprocessing (Keras 2.2+): ``word_index`` ranks words by count, ties in order of first
appearance, from 1; an ``oov_token`` takes index 1; ``num_words`` keeps the indices below it; ``tfidf`` is
``(1 + log(count)) * log(1 + documents / (1 + documents_with_word))``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, OrderedDict

import numpy as np

from lamina.legacy.deprecation import warn_old_spelling

FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_MODES = ("binary", "count", "tfidf", "freq")


def text_to_word_sequence(text: str, filters: str = FILTERS, lower: bool = True, split: str = " ") -> list:
    """The words of ``text``: lowercased, each character of ``filters`` read as ``split``, empty words dropped."""
    if lower:
        text = text.lower()
    text = text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in text.split(split) if word]


def hashing_trick(text: str, n: int, hash_function=None, filters: str = FILTERS, lower: bool = True,
                  split: str = " ") -> list:
    """Each word of ``text`` as ``hash(word) % (n - 1) + 1`` (``hash_function`` None: Python's ``hash``, which
    varies between runs unless PYTHONHASHSEED is set; ``'md5'``: a stable one)."""
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        hash_function = lambda word: int(hashlib.md5(word.encode()).hexdigest(), 16)
    return [hash_function(word) % (n - 1) + 1 for word in text_to_word_sequence(text, filters, lower, split)]


def one_hot(text: str, n: int, filters: str = FILTERS, lower: bool = True, split: str = " ") -> list:
    """``hashing_trick`` with Python's ``hash``: word indices in ``[1, n)``."""
    return hashing_trick(text, n, hash_function=hash, filters=filters, lower=lower, split=split)


class Tokenizer:
    """Turns texts into sequences of word indices or into ``(texts, num_words)`` matrices.

    Args:
        num_words: keep only the words of index below ``num_words`` (the ``num_words - 1`` most frequent).
            Keras 1 called it ``nb_words``.
        filters: characters removed from the texts.
        lower: lowercase the texts.
        split: the word separator.
        char_level: every character is a token.
        oov_token: a token (index 1) standing for words not in the index.
    """

    def __init__(self, num_words=None, filters=FILTERS, lower=True, split=" ", char_level=False, oov_token=None,
                 document_count=0, **kwargs):
        if "nb_words" in kwargs:
            warn_old_spelling("Tokenizer(nb_words=...)", "Tokenizer(num_words=...)")
            num_words = kwargs.pop("nb_words")
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
        self.num_words = num_words
        self.filters = filters
        self.lower = lower
        self.split = split
        self.char_level = char_level
        self.oov_token = oov_token
        self.document_count = document_count
        self.word_counts = OrderedDict()
        self.word_docs = OrderedDict()
        self.index_docs = {}
        self.word_index = {}
        self.index_word = {}

    def _tokens(self, text) -> list:
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return list(text)
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts) -> None:
        """Count the words of ``texts`` and rebuild ``word_index`` from the counts so far."""
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for word in tokens:
                self.word_counts[word] = self.word_counts.get(word, 0) + 1
            for word in dict.fromkeys(tokens):
                self.word_docs[word] = self.word_docs.get(word, 0) + 1
        ranked = sorted(self.word_counts, key=lambda word: -self.word_counts[word])  # stable: ties keep order
        vocabulary = ([self.oov_token] if self.oov_token is not None else []) + ranked
        self.word_index = {word: index for index, word in enumerate(vocabulary, start=1)}
        self.index_word = {index: word for word, index in self.word_index.items()}
        self.index_docs = {self.word_index[word]: count for word, count in self.word_docs.items()}

    def fit_on_sequences(self, sequences) -> None:
        """Count, for ``tfidf``, the documents each index appears in (when the texts are already sequences)."""
        self.document_count += len(sequences)
        for sequence in sequences:
            for index in set(sequence):
                self.index_docs[index] = self.index_docs.get(index, 0) + 1

    def texts_to_sequences(self, texts) -> list:
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """Each text as the list of its words' indices; unknown words (and those of index ``>= num_words``)
        become the ``oov_token``'s index, or are dropped without one."""
        oov_index = self.word_index.get(self.oov_token) if self.oov_token is not None else None
        for text in texts:
            sequence = []
            for word in self._tokens(text):
                index = self.word_index.get(word)
                if index is None or (self.num_words and index >= self.num_words):
                    index = oov_index
                if index is not None:
                    sequence.append(index)
            yield sequence

    def sequences_to_texts(self, sequences) -> list:
        """The inverse of ``texts_to_sequences``: indices back to words, joined by spaces."""
        return [" ".join(self.index_word[i] for i in sequence if i in self.index_word and
                         not (self.num_words and i >= self.num_words)) for sequence in sequences]

    def texts_to_matrix(self, texts, mode: str = "binary") -> np.ndarray:
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode: str = "binary") -> np.ndarray:
        """A ``(len(sequences), num_words)`` matrix: per index, 1 (``binary``), its count (``count``), its
        count over the sequence's length (``freq``) or its tf-idf (``tfidf``)."""
        if mode not in _MODES:
            raise ValueError(f"Unknown vectorization mode: {mode!r}. Expected one of {_MODES}")
        num_words = self.num_words or (len(self.word_index) + 1 if self.word_index else None)
        if not num_words:
            raise ValueError("Specify a dimension (`num_words` argument), or fit on some text data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        matrix = np.zeros((len(sequences), num_words))
        for row, sequence in enumerate(sequences):
            counts = Counter(j for j in sequence if j < num_words)
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.int64)
            values = np.fromiter(counts.values(), dtype=np.float64)
            if mode == "binary":
                values = np.ones_like(values)
            elif mode == "freq":
                values = values / len(sequence)
            elif mode == "tfidf":
                documents = np.array([self.index_docs.get(j, 0) for j in counts])
                values = (1 + np.log(values)) * np.log(1 + self.document_count / (1 + documents))
            matrix[row, columns] = values
        return matrix

    def get_config(self) -> dict:
        """The settings and the fitted counts and indices (JSON-encoded, as keras_preprocessing writes them)."""
        return {"num_words": self.num_words, "filters": self.filters, "lower": self.lower, "split": self.split,
                "char_level": self.char_level, "oov_token": self.oov_token, "document_count": self.document_count,
                "word_counts": json.dumps(self.word_counts), "word_docs": json.dumps(self.word_docs),
                "index_docs": json.dumps(self.index_docs), "index_word": json.dumps(self.index_word),
                "word_index": json.dumps(self.word_index)}

    def to_json(self, **kwargs) -> str:
        """The tokenizer as a JSON string (``json.dumps`` ``kwargs``); ``tokenizer_from_json`` reads it back."""
        return json.dumps({"class_name": self.__class__.__name__, "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """The ``Tokenizer`` written by ``Tokenizer.to_json``."""
    config = dict(json.loads(json_string)["config"])
    fitted = {key: json.loads(config.pop(key)) for key in
              ("word_counts", "word_docs", "index_docs", "index_word", "word_index")}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = OrderedDict(fitted["word_counts"])
    tokenizer.word_docs = OrderedDict(fitted["word_docs"])
    tokenizer.index_docs = {int(k): v for k, v in fitted["index_docs"].items()}
    tokenizer.index_word = {int(k): v for k, v in fitted["index_word"].items()}
    tokenizer.word_index = fitted["word_index"]
    return tokenizer


__all__ = ["text_to_word_sequence", "hashing_trick", "one_hot", "Tokenizer", "tokenizer_from_json"]
