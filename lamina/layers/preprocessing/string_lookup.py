"""StringLookup: strings to integer indices (or back), on the host."""

from __future__ import annotations

from lamina.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Map strings to indices from a vocabulary (given, or learnt with ``adapt``), as Keras'
    ``StringLookup``: ``mask_token=None``, ``oov_token="[UNK]"``, ``num_oov_indices=1`` by default;
    ``invert=True`` maps indices back to strings (returned as a NumPy array).

    Example:
        >>> layer = StringLookup(vocabulary=["a", "b", "c"])
        >>> np.asarray(layer([["a", "c"], ["d", "b"]])).tolist()
        [[1, 3], [0, 2]]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", name=None, salt=None, **kwargs):
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, sparse=sparse, pad_to_max_tokens=pad_to_max_tokens,
                         vocabulary_dtype="string", salt=salt, name=name, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["vocabulary_dtype"]
        config["encoding"] = self.encoding
        return config
