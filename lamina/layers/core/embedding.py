"""Embedding: a trainable lookup table from integer indices to dense vectors."""

from __future__ import annotations

import warnings

from lamina import constraints, initializers, ops, regularizers
from lamina.layers.layer import Layer

_INDEX_DTYPES = ("int32", "int64")


def _check_positive_int(value, name: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}` of Embedding. Expected a positive integer. "
            f"Received: {name}={value!r}"
        )


class Embedding(Layer):
    """Turns non-negative integer indices into dense vectors: row ``i`` of ``embeddings`` for index ``i``.

    Args:
        input_dim: size of the vocabulary (largest index + 1).
        output_dim: size of each embedding vector.
        embeddings_initializer: initializer of the ``(input_dim, output_dim)`` table (default ``"uniform"``,
            i.e. uniform on ``[-0.05, 0.05]``).
        embeddings_regularizer, activity_regularizer: regularizers of the table and of the output.
        embeddings_constraint: constraint applied to the table after optimizer updates.
        mask_zero: whether index 0 is padding; the output then carries the mask ``inputs != 0``, so
            ``input_dim`` should be the vocabulary size + 1.
        weights: an initial table of shape ``(input_dim, output_dim)`` (or a one-element list of it).
        lora_rank, lora_alpha: accepted for Keras signature compatibility; LoRA is not supported.

    Input shape: ``(batch_size, ...)`` integers. Output shape: ``(batch_size, ..., output_dim)``.

    Example:
        >>> layer = Embedding(10, 4, mask_zero=True)
        >>> layer(np.array([[1, 2, 0]])).shape
        (1, 3, 4)
    """

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero: bool = False,
                 weights=None, lora_rank: int | None = None, lora_alpha: float | None = None, **kwargs):
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` of Embedding is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        _check_positive_int(input_dim, "input_dim")
        _check_positive_int(output_dim, "output_dim")
        if lora_rank is not None:
            raise NotImplementedError(
                f"Embedding does not support LoRA yet. Expected lora_rank=None. Received: lora_rank={lora_rank}"
            )
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, (list, tuple)) and len(weights) == 1 else [weights])

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint, name="embeddings")

    def call(self, inputs):
        if ops.dtype(inputs) not in _INDEX_DTYPES:
            inputs = ops.cast(inputs, "int32")
        return ops.cast(ops.take(self.embeddings, inputs, axis=0), self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0) if self.mask_zero else None

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        })
        return config
