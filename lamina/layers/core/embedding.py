"""Embedding: a trainable lookup table from integer indices to dense vectors."""

from __future__ import annotations

import warnings

from lamina import ops, regularizers
from lamina.layers.layer import Layer
from lamina.layers.lora import LoRA, lora_weight
from lamina.layers.weight_options import WeightOptions

_INDEX_DTYPES = ("int32", "int64")
_WEIGHTS = WeightOptions("embeddings")


def _check_positive_int(value, name: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}` of Embedding. Expected a positive integer. "
            f"Received: {name}={value!r}"
        )


class Embedding(LoRA, Layer):
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
        lora_rank: if set, the layer starts with LoRA enabled at this rank: the table is frozen and
            ``lora_embeddings_a @ lora_embeddings_b`` (see ``enable_lora``) is trained instead.
        lora_alpha: the LoRA update is scaled by ``lora_alpha / lora_rank`` (default ``lora_rank``).

    An index outside ``[0, input_dim)`` raises a ValueError naming the layer when the indices can be read
    (eager calls, and every step on torch).

    Input shape: ``(batch_size, ...)`` integers. Output shape: ``(batch_size, ..., output_dim)``.

    Example:
        >>> layer = Embedding(10, 4, mask_zero=True)
        >>> tuple(layer(np.array([[1, 2, 0]])).shape)
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
        self.input_dim = input_dim
        self.output_dim = output_dim
        _WEIGHTS.store(self, locals())
        self._init_lora(lora_rank, lora_alpha)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, (list, tuple)) and len(weights) == 1 else [weights])

    lora_target = "embeddings"

    def build(self, input_shape=None):
        self._embeddings = _WEIGHTS.add(self, "embeddings", (self.input_dim, self.output_dim))
        self._build_lora()

    embeddings = lora_weight("embeddings")

    def call(self, inputs):
        if ops.dtype(inputs) not in _INDEX_DTYPES:
            inputs = ops.cast(inputs, "int32")
        self._check_indices(inputs)
        if not self.lora_enabled:
            return ops.cast(ops.take(self._embeddings, inputs, axis=0), self.compute_dtype)
        # The low-rank update gathered row by row: (a[inputs] @ b) costs rank * output_dim per index.
        rows = ops.matmul(ops.take(self.lora_embeddings_a, inputs, axis=0), self.lora_embeddings_b)
        outputs = ops.add(ops.take(self._embeddings, inputs, axis=0), rows * (self.lora_alpha / self.lora_rank))
        return ops.cast(outputs, self.compute_dtype)

    def _check_indices(self, inputs) -> None:
        """Refuse indices outside ``[0, input_dim)``, which engines would otherwise clamp silently (JAX) or
        report in their own words; inside a compiled step the check is reported when the step returns."""
        if 0 in tuple(ops.shape(inputs)):
            return
        low, high = ops.min(inputs), ops.max(inputs)
        ops.core.assert_all(
            ops.logical_and(low >= 0, high < self.input_dim),
            f"Invalid index for Embedding layer '{self.name}': indices must be in [0, input_dim) with "
            f"input_dim={self.input_dim}. Received index {{}}.", ops.where(low < 0, low, high))

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0) if self.mask_zero else None

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            **_WEIGHTS.config(self),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "mask_zero": self.mask_zero,
            **self._lora_config(),
        })
        return config
