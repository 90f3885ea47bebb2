"""CharacterVectorization (lamina, beyond Keras): the classic character pipeline as one layer.

lower-case -> characters outside ``allowed_characters`` become ``replacement_character`` -> runs of
whitespace collapse to one space -> ``start_token`` / ``end_token`` markers around the text -> characters to
indices -> padded/truncated to ``output_sequence_length``, before (``"pre"``, the default, as
``pad_sequences``) or after the text. Index 0 is padding, 1 unknown characters, then the vocabulary.
"""

from __future__ import annotations

import re

import numpy as np

from lamina.layers.preprocessing.text_vectorization import TextVectorization

_WHITESPACE = re.compile(r"\s+")
_SIDES = ("pre", "post")


class CharacterVectorization(TextVectorization):
    """Strings to padded sequences of character indices (``output_mode="int"``), standardized on the host.

    Args:
        output_sequence_length: the length of every output row (None: the longest text of the batch).
        padding, truncating: ``"pre"`` or ``"post"``: where padding goes and which end a longer text loses.
        lower: lower-case the text (every Unicode letter).
        allowed_characters: a string (or set) of the characters kept; others become
            ``replacement_character``. None keeps every character.
        replacement_character: what replaces a character outside the allowed set (``" "``; ``""`` drops it).
        collapse_whitespace: replace each run of whitespace by one space and strip both ends.
        start_token, end_token: markers added before and after each text (None: none); each is one token.
        max_tokens, vocabulary: as ``TextVectorization`` (or learn the characters with ``adapt``).

    Example:
        >>> layer = CharacterVectorization(output_sequence_length=6, allowed_characters="abc ",
        ...                                start_token="<s>", end_token="</s>",
        ...                                vocabulary=["<s>", "</s>", "a", "b", " "])
        >>> np.asarray(layer(["AB!!  a", "Hi"])).tolist()
        [[2, 4, 5, 6, 4, 3], [0, 0, 0, 0, 2, 3]]
    """

    def __init__(self, output_sequence_length=None, padding="pre", truncating="pre", lower=True,
                 allowed_characters=None, replacement_character=" ", collapse_whitespace=True, start_token=None,
                 end_token=None, max_tokens=None, vocabulary=None, name=None, **kwargs):
        for argument, value in (("padding", padding), ("truncating", truncating)):
            if value not in _SIDES:
                raise ValueError(f"Invalid value for argument `{argument}` of CharacterVectorization. Expected "
                                 f"'pre' or 'post'. Received: {argument}={value!r}")
        for key in ("standardize", "split", "ngrams", "output_mode", "pad_to_max_tokens", "idf_weights"):
            kwargs.pop(key, None)
        self.padding = padding
        self.truncating = truncating
        self.lower = lower
        self.allowed_characters = None if allowed_characters is None else "".join(sorted(set(allowed_characters)))
        self.replacement_character = replacement_character
        self.collapse_whitespace = collapse_whitespace
        self.start_token = start_token
        self.end_token = end_token
        super().__init__(max_tokens=max_tokens, standardize=None, split="character", output_mode="int",
                         output_sequence_length=output_sequence_length, vocabulary=vocabulary, name=name, **kwargs)

    def standardize_texts(self, texts: list) -> list:
        if self.lower:
            texts = [t.lower() for t in texts]
        if self.allowed_characters is not None:
            allowed, replacement = set(self.allowed_characters), self.replacement_character
            texts = ["".join(c if c in allowed else replacement for c in t) for t in texts]
        if self.collapse_whitespace:
            texts = [_WHITESPACE.sub(" ", t).strip() for t in texts]
        return texts

    def split_texts(self, texts: list) -> list:
        start = [self.start_token] if self.start_token is not None else []
        end = [self.end_token] if self.end_token is not None else []
        return [start + list(t) + end for t in texts]

    def fit_length(self, rows: list, length: int) -> np.ndarray:
        out = np.zeros((len(rows), length), dtype="int64")
        for i, row in enumerate(rows):
            if len(row) > length:
                row = row[len(row) - length:] if self.truncating == "pre" else row[:length]
            if row:
                if self.padding == "pre":
                    out[i, length - len(row):] = row
                else:
                    out[i, :len(row)] = row
        return out

    def get_config(self) -> dict:
        config = super(TextVectorization, self).get_config()
        for key in ("invert", "num_oov_indices", "oov_token", "mask_token", "output_mode", "sparse",
                    "pad_to_max_tokens", "vocabulary_dtype", "idf_weights", "oov_method", "salt"):
            config.pop(key)
        config.update({
            "output_sequence_length": self._output_sequence_length, "padding": self.padding,
            "truncating": self.truncating, "lower": self.lower, "allowed_characters": self.allowed_characters,
            "replacement_character": self.replacement_character, "collapse_whitespace": self.collapse_whitespace,
            "start_token": self.start_token, "end_token": self.end_token,
        })
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        return cls(**config)
