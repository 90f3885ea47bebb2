"""Attention: dot-product (Luong-style) attention over [query, value(, key)]."""

from __future__ import annotations

from lamina import ops
from lamina.layers.attention.base_dense_attention import BaseDenseAttention

SCORE_MODES = ("dot", "concat")


class Attention(BaseDenseAttention):
    """Attends each query step over the value steps with scores ``query . key`` (``score_mode="dot"``) or
    ``sum(tanh(query + key))`` (``"concat"``), then averages ``value`` with their softmax.

    Args:
        use_scale: learn a scalar ``scale`` multiplying the scores (inside the tanh for ``"concat"``).
        score_mode: ``"dot"`` or ``"concat"``; ``"concat"`` learns a scalar ``concat_score_weight``.
        dropout, seed: dropout of the attention weights in training.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]``, shapes (batch, Tq, dim), (batch, Tv, dim),
            (batch, Tv, dim); ``key`` defaults to ``value``.
        mask: ``[query_mask, value_mask]`` booleans (batch, Tq), (batch, Tv); taken from the inputs' masks.
        training: whether dropout applies.
        return_attention_scores: also return the weights (batch, Tq, Tv).
        use_causal_mask: let query step i attend only to value steps <= i.

    Example:
        >>> q, v = np.random.rand(2, 3, 4), np.random.rand(2, 5, 4)
        >>> tuple(Attention()([q, v]).shape)
        (2, 3, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(dropout=dropout, seed=seed, **kwargs)
        if score_mode not in SCORE_MODES:
            raise ValueError(f"Invalid value for argument `score_mode` of Attention. Expected one of {SCORE_MODES}. "
                             f"Received: score_mode={score_mode!r}")
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode

    def build(self, input_shape):
        query, _, key = self._check_shapes(input_shape)
        if self.score_mode == "dot" and None not in (query[-1], key[-1]) and query[-1] != key[-1]:
            raise self._error(f"with score_mode='dot', query and key need the same last dimension. Received "
                              f"shapes: query={query}, key={key}")
        self.scale = self.add_weight(shape=(), initializer="ones", name="scale") if self.use_scale else None
        self.concat_score_weight = None
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(shape=(), initializer="ones", name="concat_score_weight")

    def _scores(self, query, key):
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -1, -2))
            return scores * self.scale if self.scale is not None else scores
        pairs = ops.expand_dims(query, -2) + ops.expand_dims(key, -3)
        if self.scale is not None:
            pairs = pairs * self.scale
        return ops.sum(ops.tanh(pairs), axis=-1) * self.concat_score_weight

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode})
        return config
