"""CategoryEncoding: integer categories as one-hot, multi-hot or count vectors, computed with ops (it runs
inside compiled steps on every engine)."""

from __future__ import annotations

from lamina import ops
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.categorical_encoding import encode, encoded_shape

_MODES = ("one_hot", "multi_hot", "count")


class CategoryEncoding(Layer):
    """Encode integer features ``0 <= x < num_tokens`` as Keras' ``CategoryEncoding``: ``one_hot`` adds a
    ``num_tokens`` axis (replacing a last axis of size 1), ``multi_hot`` and ``count`` replace the last
    axis; ``call(inputs, count_weights=None)`` weighs each occurrence in ``count`` mode.

    Example:
        >>> layer = CategoryEncoding(num_tokens=4, output_mode="multi_hot")
        >>> np.asarray(layer(np.array([[0, 1], [1, 3]]))).tolist()
        [[1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in _MODES:
            raise ValueError(f"Invalid value for argument `output_mode` of CategoryEncoding. Expected one of "
                             f"{_MODES}. Received: output_mode={output_mode!r}")
        if num_tokens is None or not isinstance(num_tokens, int) or num_tokens < 1:
            raise ValueError("Invalid value for argument `num_tokens` of CategoryEncoding. Expected an int >= 1. "
                             f"Received: num_tokens={num_tokens!r}")
        if sparse:
            raise ValueError("`sparse=True` is not supported by CategoryEncoding in lamina. Received: sparse=True")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self._build_at_init()

    def call(self, inputs, count_weights=None):
        dtype = self.compute_dtype
        if count_weights is None or self.output_mode != "count":
            return encode(inputs, self.output_mode, self.num_tokens, dtype)
        hot = ops.one_hot(inputs, self.num_tokens, dtype=dtype)
        return ops.sum(hot * ops.expand_dims(ops.cast(count_weights, dtype), -1), axis=-2)

    def compute_output_shape(self, input_shape):
        if len(input_shape) == 0:
            return (self.num_tokens,)
        return encoded_shape(tuple(input_shape), self.output_mode, self.num_tokens)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode, "sparse": self.sparse})
        return config
