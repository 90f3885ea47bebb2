"""``pad_sequences``: ragged sequences made into one rectangular NumPy array (Keras' ``keras.utils.pad_sequences``)."""

from __future__ import annotations

import numpy as np

_SIDES = ("pre", "post")


def _check_side(name: str, value: str) -> None:
    if value not in _SIDES:
        raise ValueError(f"Invalid value for argument `{name}` of pad_sequences. Expected 'pre' or 'post'. "
                         f"Received: {name}={value!r}")


def _is_text_dtype(dtype) -> bool:
    if dtype is object:
        return True
    kind = np.dtype(dtype).kind
    return kind in ("U", "S", "O")


def _steps(sequence, dtype) -> np.ndarray:
    """A sequence as an array of steps; a string is a sequence of characters."""
    return np.asarray(list(sequence) if isinstance(sequence, str) else sequence, dtype=dtype)


def pad_sequences(sequences, maxlen: int | None = None, dtype="int32", padding: str = "pre",
                  truncating: str = "pre", value=0.0) -> np.ndarray:
    """Pad (or cut) every sequence to one length and stack them: shape ``(len(sequences), maxlen, *step_shape)``.

    Each sequence is a list or array whose steps share one shape (scalars for token indices). ``maxlen``
    defaults to the longest sequence. Shorter sequences get ``value`` before their steps (``padding="pre"``,
    the default) or after them (``"post"``); longer ones lose their first steps (``truncating="pre"``) or
    their last ones (``"post"``). For strings, pass ``dtype=object`` (or a NumPy string dtype) and a string
    ``value``.

    Args:
        sequences: a list (or any sized iterable) of sequences.
        maxlen: the length of the result's second axis, or None for the longest sequence's length.
        dtype: the result's dtype.
        padding: ``"pre"`` or ``"post"``: where the padding goes.
        truncating: ``"pre"`` or ``"post"``: which end of a too-long sequence is dropped.
        value: the padding value.

    Returns:
        A NumPy array of shape ``(len(sequences), maxlen) + step_shape``.

    Example:
        >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2, padding="post")
        array([[1, 0],
               [2, 3],
               [5, 6]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"`sequences` must be a list of sequences. Received: {type(sequences).__name__}")
    _check_side("padding", padding)
    _check_side("truncating", truncating)
    if isinstance(value, str) and not _is_text_dtype(dtype):
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}. Use "
                         "`dtype=object` to pad variable-length strings.")
    lengths = []
    step_shape = None  # taken from the first non-empty sequence; every other one must match it
    for index, sequence in enumerate(sequences):
        try:
            lengths.append(len(sequence))
        except TypeError as error:
            raise ValueError(f"`sequences` must be a list of sequences. Found a non-sequence at position {index}: "
                             f"{sequence!r}") from error
        if step_shape is None and len(sequence):
            step_shape = _steps(sequence, object if _is_text_dtype(dtype) else None).shape[1:]
    step_shape = step_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)
    elif int(maxlen) < 0:
        raise ValueError(f"Invalid value for argument `maxlen` of pad_sequences. Expected an int >= 0 or None. "
                         f"Received: maxlen={maxlen}")
    maxlen = int(maxlen)
    result = np.full((len(lengths), maxlen) + tuple(step_shape), value, dtype=dtype)
    if maxlen == 0:
        return result
    for index, (sequence, length) in enumerate(zip(sequences, lengths)):
        if not length:
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = _steps(kept, dtype)
        if kept.shape[1:] != step_shape:
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {index} is different from "
                             f"expected shape {step_shape}")
        if padding == "pre":
            result[index, maxlen - len(kept):] = kept
        else:
            result[index, :len(kept)] = kept
    return result
