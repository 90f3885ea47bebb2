"""``generate``: run a next-character (or next-token) model from a seed text, one sampled step at a time.

Each step encodes the last window of the text, asks the model for the next distribution, draws from it with
``sample`` and appends the drawn token. Two encodings are built in: a vectorizer (any callable mapping a
batch of strings to index arrays, such as a ``TextVectorization`` layer) and the classic character mapping
(``{char: index}``), encoded one-hot as ``(1, length, len(chars))`` like Keras' char-LSTM example, or as
indices ``(1, length)`` for an ``Embedding`` model.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from lamina import ops
from lamina.text.sampling import generator, sample


def generate(model, seed_text: str, steps: int, vectorizer: Callable | Mapping[str, int], *,
             length: int | None = None, encoding: str = "one_hot", temperature: float = 1.0,
             top_k: int | None = None, top_p: float | None = None, seed: int | np.random.Generator | None = None,
             index_to_token: Sequence[str] | Mapping[int, str] | None = None, separator: str = "") -> str:
    """Extend ``seed_text`` by ``steps`` tokens sampled from ``model``; returns the generated part only.

    Args:
        model: a model (or any callable) mapping a batch of one encoded window to next-token
            probabilities, shape ``(1, vocabulary)``; a ``(1, time, vocabulary)`` output is read at its
            last step.
        seed_text: the text to continue.
        steps: how many tokens to generate.
        vectorizer: a ``{char: index}`` mapping (encoded per ``encoding``), or a callable that maps a list of
            strings to an index array of shape ``(batch, length)``, e.g. a ``TextVectorization`` layer.
        length: how many trailing characters of the text form the model's input window. Default: for a
            mapping, the model's input length (``model.input_shape[1]``) when known, else
            ``len(seed_text)``; for a vectorizer, the whole text. A window shorter than ``length`` is
            pre-padded (all-zero one-hot rows, index 0).
        encoding: for a mapping, ``"one_hot"`` (float32, ``(1, length, len(vectorizer))``) or ``"int"``
            (int32, ``(1, length)``).
        temperature, top_k, top_p: how each token is drawn, as in ``lamina.text.sample``; temperature 0 is
            greedy decoding.
        seed: an int or a ``np.random.Generator`` making the whole generation reproducible.
        index_to_token: the token of each output index. Default: the inverse of a mapping, or the
            vectorizer's ``get_vocabulary()``.
        separator: put between generated tokens: ``""`` for characters, ``" "`` for words.

    Example (needs the Nietzsche text, so not run as a doctest):
        >>> text = open("nietzsche.txt").read().lower()  # doctest: +SKIP
        >>> chars = sorted(set(text)); char_indices = {c: i for i, c in enumerate(chars)}  # doctest: +SKIP
        >>> generate(model, text[:40], 400, char_indices, temperature=0.5)  # doctest: +SKIP
    """
    if not isinstance(seed_text, str):
        raise TypeError(f"Invalid value for argument `seed_text` of generate. Expected a str. "
                        f"Received: seed_text={seed_text!r}")
    if not isinstance(steps, numbers.Integral) or isinstance(steps, bool) or steps < 0:
        raise ValueError(f"Invalid value for argument `steps` of generate. Expected an int >= 0. Received: "
                         f"steps={steps!r}")
    encode = _encoder(model, seed_text, vectorizer, length, encoding)
    tokens = _index_to_token(vectorizer, index_to_token)
    predict = getattr(model, "predict_on_batch", model)  # one compiled step on JAX, no per-call tracing
    rng = None if seed is None else generator(seed)  # one stream for all steps
    text, generated = seed_text, []
    for _ in range(steps):
        probabilities = ops.convert_to_numpy(predict(encode(text)))
        if probabilities.ndim == 3:
            probabilities = probabilities[:, -1]
        token = tokens[sample(probabilities[0], temperature, top_k, top_p, rng)]
        text = text + separator + token if text else token
        generated.append(token)
    return separator.join(generated)


def _encoder(model, seed_text: str, vectorizer, length: int | None, encoding: str) -> Callable[[str], np.ndarray]:
    """A function from the text so far to the model's input batch of one window."""
    if length is not None and not (isinstance(length, numbers.Integral) and not isinstance(length, bool)
                                   and length >= 1):
        raise ValueError(f"Invalid value for argument `length` of generate. Expected an int >= 1 or None. "
                         f"Received: length={length!r}")
    if isinstance(vectorizer, Mapping):
        if encoding not in ("one_hot", "int"):
            raise ValueError(f"Invalid value for argument `encoding` of generate. Expected 'one_hot' or 'int'. "
                             f"Received: encoding={encoding!r}")
        unknown = sorted(set(seed_text) - set(vectorizer))
        if unknown:
            raise ValueError(f"`seed_text` of generate holds characters the mapping lacks: {unknown}")
        window = length or _model_input_length(model) or len(seed_text)
        return lambda text: _encode_chars(text[-window:], vectorizer, window, encoding)
    if callable(vectorizer):
        return lambda text: ops.convert_to_numpy(vectorizer([text[-length:] if length else text]))
    raise TypeError("Invalid value for argument `vectorizer` of generate. Expected a {char: index} mapping or a "
                    f"callable mapping a list of strings to indices. Received: vectorizer={vectorizer!r}")


def _encode_chars(window: str, char_indices: Mapping[str, int], length: int, encoding: str) -> np.ndarray:
    """``window`` pre-padded to ``length``: one-hot ``(1, length, len(char_indices))`` or ints ``(1, length)``."""
    indices = np.fromiter((char_indices[c] for c in window), dtype=np.int32, count=len(window))
    if encoding == "int":
        x = np.zeros((1, length), dtype=np.int32)
        x[0, length - len(window):] = indices
        return x
    x = np.zeros((1, length, len(char_indices)), dtype=np.float32)
    x[0, np.arange(length - len(window), length), indices] = 1.0
    return x


def _model_input_length(model) -> int | None:
    shape = getattr(model, "input_shape", None)
    return shape[1] if isinstance(shape, tuple) and len(shape) >= 2 and isinstance(shape[1], int) else None


def _index_to_token(vectorizer, index_to_token):
    if index_to_token is not None:
        return index_to_token
    if isinstance(vectorizer, Mapping):
        return {index: token for token, index in vectorizer.items()}
    if hasattr(vectorizer, "get_vocabulary"):
        return vectorizer.get_vocabulary()
    raise ValueError("generate needs `index_to_token` (the token of each output index) when the vectorizer has "
                     "no `get_vocabulary()`.")
