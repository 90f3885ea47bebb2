"""AdditiveAttention: Bahdanau-style attention over [query, value(, key)]."""

from __future__ import annotations

from lamina import ops
from lamina.layers.attention.base_dense_attention import BaseDenseAttention


class AdditiveAttention(BaseDenseAttention):
    """Attends each query step over the value steps with scores ``sum(scale * tanh(query + key))``, then
    averages ``value`` with their softmax (Bahdanau et al., 2014).

    Args:
        use_scale: learn a per-feature ``scale`` vector (shape (dim,)); otherwise the scale is 1.
        dropout, seed: dropout of the attention weights in training.

    Call arguments: as ``Attention`` (inputs, mask, training, return_attention_scores, use_causal_mask);
    query and key must have the same last dimension.

    Example:
        >>> q, v = np.random.rand(2, 3, 4), np.random.rand(2, 5, 4)
        >>> tuple(AdditiveAttention()([q, v]).shape)
        (2, 3, 4)
    """

    def __init__(self, use_scale=True, dropout=0.0, seed=None, **kwargs):
        super().__init__(dropout=dropout, seed=seed, **kwargs)
        self.use_scale = bool(use_scale)

    def build(self, input_shape):
        query, _, key = self._check_shapes(input_shape)
        if None not in (query[-1], key[-1]) and query[-1] != key[-1]:
            raise self._error(f"query and key need the same last dimension. Received shapes: query={query}, "
                              f"key={key}")
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(query[-1],), initializer="glorot_uniform", name="scale")

    def _scores(self, query, key):
        pairs = ops.tanh(ops.expand_dims(query, -2) + ops.expand_dims(key, -3))
        return ops.sum(pairs * self.scale if self.scale is not None else pairs, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"use_scale": self.use_scale})
        return config
