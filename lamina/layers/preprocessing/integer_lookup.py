"""IntegerLookup: integers to contiguous indices (or back), on the host."""

from __future__ import annotations

from lamina.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Map integers to indices from a vocabulary (given, or learnt with ``adapt``), as Keras'
    ``IntegerLookup``: ``mask_token=None``, ``oov_token=-1``, ``num_oov_indices=1`` by default; several OOV
    indices take ``value % num_oov_indices``.

    Example:
        >>> layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> np.asarray(layer([[12, 1138, 42], [42, 1000, 36]])).tolist()
        [[1, 3, 4], [4, 0, 2]]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype not in ("int32", "int64"):
            raise ValueError("Invalid value for argument `vocabulary_dtype` of IntegerLookup. Expected 'int64' or "
                             f"'int32'. Received: vocabulary_dtype={vocabulary_dtype!r}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, sparse=sparse, pad_to_max_tokens=pad_to_max_tokens,
                         vocabulary_dtype=vocabulary_dtype, oov_method=oov_method, salt=salt, name=name, **kwargs)
