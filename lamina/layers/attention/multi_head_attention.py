"""MultiHeadAttention: scaled dot-product attention with several learned projections ("heads")."""

from __future__ import annotations

import math
import numbers

import numpy as np

from lamina import activations, initializers, ops, random, regularizers
from lamina.backend.common.masking import get_mask
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.layers.shapes import shapes_of
from lamina.layers.weight_options import WeightOptions

_MASKED_LOGIT = -1e9  # added to masked scores on the explicit path: a fully masked row attends uniformly
_WEIGHTS = WeightOptions("kernel", "bias")  # the options every projection shares


class _Projection(Layer):
    """A dense map of the last ``len(in_shape)`` axes onto ``out_shape`` axes: kernel ``in_shape + out_shape``
    and bias ``out_shape``, Keras' EinsumDense layout (one matmul on flattened axes computes it), then
    ``activation``."""

    def __init__(self, in_shape, out_shape, use_bias, options: dict, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.in_shape, self.out_shape = tuple(in_shape), tuple(out_shape)
        self.use_bias = use_bias
        self.activation = activations.get(activation)
        _WEIGHTS.store(self, options, owner="MultiHeadAttention")

    def build(self, input_shape=None):
        self.kernel = _WEIGHTS.add(self, "kernel", self.in_shape + self.out_shape)
        self.bias = _WEIGHTS.add(self, "bias", self.out_shape) if self.use_bias else None

    def call(self, inputs):
        lead = tuple(ops.shape(inputs))[:len(ops.shape(inputs)) - len(self.in_shape)]
        fan_in, fan_out = math.prod(self.in_shape), math.prod(self.out_shape)
        outputs = ops.matmul(ops.reshape(inputs, lead + (fan_in,)), ops.reshape(self.kernel, (fan_in, fan_out)))
        if self.bias is not None:
            outputs = outputs + ops.reshape(self.bias, (fan_out,))
        outputs = ops.reshape(outputs, lead + self.out_shape)
        return outputs if self.activation is None else self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)[:len(input_shape) - len(self.in_shape)] + self.out_shape


def _positive_int(value, name, allow_none=False):
    if allow_none and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Invalid value for argument `{name}` of MultiHeadAttention. Expected a positive integer"
                         f"{' or None' if allow_none else ''}. Received: {name}={value!r}")
    return value


class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017): ``query``, ``key`` and ``value`` are projected into
    ``num_heads`` heads of ``key_dim`` (``value_dim``) features, each head attends with
    ``softmax(q . k / sqrt(key_dim))``, and the heads' outputs are projected back to ``output_shape``
    (default: the query's last dimension).

    Weights follow Keras' layout and order: query and key kernels ``(dim, num_heads, key_dim)`` with biases
    ``(num_heads, key_dim)``, with ``use_gate`` the gate's ``(dim, num_heads, value_dim)``, the value's, then
    the output kernel ``(num_heads, value_dim, output_dim)`` and bias.
    Without returned scores or score dropout, attention runs through ``ops.dot_product_attention`` (torch's
    fused kernel); otherwise an explicit softmax computes it.

    Args:
        num_heads: the number of heads.
        key_dim: the size of each query/key head.
        value_dim: the size of each value head (default ``key_dim``).
        dropout: the fraction of attention weights dropped in training.
        use_bias: whether the projections have biases.
        output_shape: the output's trailing shape (int or tuple); default the query's last dimension.
        attention_axes: the axes attended over (default: all axes but batch, heads and features).
        sliding_window: None, or a positive int ``w``: query position ``t`` attends only to key positions
            ``s`` with ``|t - s| < w`` (with ``use_causal_mask``, the ``w`` positions up to ``t``).
        flash_attention: accepted for Keras compatibility; the engine picks its fastest kernel.
        kernel_*/bias_*: initializers, regularizers and constraints of the projections.
        use_gate: gated attention (Qiu et al., 2025): each head's output is multiplied by
            ``sigmoid(query projected to (num_heads, value_dim))`` before the output projection.
        seed: an int seed for the dropout.

    Call arguments:
        query: (B, T, dim). value: (B, S, dim); defaults to ``query`` (self-attention). key: (B, S, dim);
            defaults to ``value``. Masks the tensors carry (Embedding(mask_zero), Masking) are honoured.
        attention_mask: boolean (B, T, S); True attends.
        return_attention_scores: also return the weights (B, num_heads, T, S).
        training: whether dropout applies. use_causal_mask: let position t attend only to positions <= t.

    Example:
        >>> layer = MultiHeadAttention(num_heads=2, key_dim=4)
        >>> tuple(layer(np.random.rand(2, 3, 8), np.random.rand(2, 5, 8)).shape)
        (2, 3, 8)
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, sliding_window=None, flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.num_heads = _positive_int(num_heads, "num_heads")
        self.key_dim = _positive_int(key_dim, "key_dim")
        self.value_dim = _positive_int(value_dim, "value_dim", allow_none=True)
        if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not 0 <= dropout <= 1:
            raise ValueError("Invalid value for argument `dropout` of MultiHeadAttention. Expected a float between "
                             f"0 and 1. Received: dropout={dropout!r}")
        self.dropout = dropout
        self.use_bias = use_bias
        if output_shape is not None and not isinstance(output_shape, (list, tuple)):
            output_shape = (_positive_int(output_shape, "output_shape"),)
        self._output_shape = None if output_shape is None else tuple(output_shape)
        if isinstance(attention_axes, int) and not isinstance(attention_axes, bool):
            attention_axes = (attention_axes,)
        if attention_axes is not None and not (isinstance(attention_axes, (list, tuple)) and attention_axes and all(
                isinstance(a, int) and not isinstance(a, bool) for a in attention_axes)):
            raise ValueError("Invalid value for argument `attention_axes` of MultiHeadAttention. Expected None, an "
                             f"int or a tuple of ints. Received: attention_axes={attention_axes!r}")
        self.attention_axes = None if attention_axes is None else tuple(attention_axes)
        self.sliding_window = _positive_int(sliding_window, "sliding_window", allow_none=True)
        self.flash_attention = flash_attention
        _WEIGHTS.store(self, locals())
        if not isinstance(use_gate, bool):
            raise ValueError("Invalid value for argument `use_gate` of MultiHeadAttention. Expected a bool. "
                             f"Received: use_gate={use_gate!r}")
        self.use_gate = use_gate
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if dropout > 0 else None
        self.supports_masking = True
        self._shapes = None

    def _error(self, message: str) -> ValueError:
        return ValueError(f"Layer '{self.name}' (MultiHeadAttention): {message}")

    # Keras' public names for the built projections; ``.weights.h5`` files store them under these names
    # (``query_dense/vars/0``), as Keras 3 does.
    @property
    def query_dense(self) -> Layer:
        return self._query_dense

    @property
    def key_dense(self) -> Layer:
        return self._key_dense

    @property
    def value_dense(self) -> Layer:
        return self._value_dense

    @property
    def output_dense(self) -> Layer:
        return self._output_dense

    # -- building -------------------------------------------------------------------------------------
    def _resolve_shapes(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        value_shape = query_shape if value_shape is None else tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        rank = len(query_shape)
        if rank < 3 or len(value_shape) != rank or len(key_shape) != rank or any(
                None not in (a, b) and a != b for a, b in zip(value_shape[:-1], key_shape[:-1])):
            raise self._error("expected query, value and key of one rank >= 3, value and key with the same shape "
                              f"but for the last axis. Received shapes: query={query_shape}, value={value_shape}, "
                              f"key={key_shape}")
        axes = tuple(range(1, rank - 1)) if self.attention_axes is None else self.attention_axes
        if any(not -rank <= a < rank or a % rank in (0, rank - 1) for a in axes):
            raise self._error(f"attention_axes must name axes between the batch and feature axes of inputs of "
                              f"rank {rank}. Received: attention_axes={self.attention_axes}")
        return query_shape, value_shape, key_shape, tuple(sorted({a % rank for a in axes}))

    def _projection(self, in_shape, out_shape, name, activation=None):
        options = {option: getattr(self, option) for option in _WEIGHTS.names()}
        for option in ("kernel_initializer", "bias_initializer"):  # each projection gets its own, as in Keras
            options[option] = initializers.get(initializers.serialize(options[option]))
        return _Projection(in_shape, out_shape, self.use_bias, options, activation, name=name,
                           dtype=self.dtype_policy)

    def build(self, query_shape, value_shape=None, key_shape=None):
        query_shape, value_shape, key_shape, self._axes = self._resolve_shapes(query_shape, value_shape, key_shape)
        self._shapes = {"query_shape": query_shape, "value_shape": value_shape, "key_shape": key_shape}
        value_dim = self.value_dim or self.key_dim
        out = self._output_shape or (query_shape[-1],)
        self._query_dense = self._projection((query_shape[-1],), (self.num_heads, self.key_dim), "query")
        self._key_dense = self._projection((key_shape[-1],), (self.num_heads, self.key_dim), "key")
        self._gate_dense = None
        if self.use_gate:
            self._gate_dense = self._projection((query_shape[-1],), (self.num_heads, value_dim), "gate", "sigmoid")
        self._value_dense = self._projection((value_shape[-1],), (self.num_heads, value_dim), "value")
        self._output_dense = self._projection((self.num_heads, value_dim), out, "attention_output")
        for layer in (self._query_dense, self._key_dense, self._gate_dense, self._value_dense, self._output_dense):
            if layer is not None:
                layer.build()

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        named = dict(zip(("query", "value", "key"), args))
        named.update({k: kwargs[k] for k in ("value", "key") if kwargs.get(k) is not None})
        self.build(*(None if named.get(k) is None else shapes_of(named[k]) for k in ("query", "value", "key")))

    def get_build_config(self):
        return None if self._shapes is None else {"shapes_dict": dict(self._shapes)}

    # -- calling --------------------------------------------------------------------------------------
    def call(self, query, value=None, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None, use_causal_mask=False):
        value = query if value is None else value
        key = value if key is None else key
        masks = [m if m is not None else get_mask(t) for m, t in
                 ((query_mask, query), (value_mask, value), (key_mask, key))]
        q, k, v = self._query_dense(query), self._key_dense(key), self._value_dense(value)
        layout = _HeadLayout(tuple(ops.shape(q)), tuple(ops.shape(k)), self._axes)
        q, k, v = layout.flatten(q, "query"), layout.flatten(k, "key"), layout.flatten(v, "key")
        mask = self._attention_mask(layout, *masks, attention_mask, use_causal_mask)
        dropout = bool(training) and self.dropout > 0
        if return_attention_scores or dropout:
            outputs, scores = self._explicit_attention(q, k, v, mask, dropout)
        else:
            outputs, scores = ops.dot_product_attention(q, k, v, mask=mask, scale=self.key_dim ** -0.5), None
        outputs = layout.unflatten(outputs)
        if self._gate_dense is not None:
            outputs = ops.multiply(outputs, self._gate_dense(query))
        outputs = self._output_dense(outputs)
        return (outputs, layout.scores(scores)) if return_attention_scores else outputs

    def _attention_mask(self, layout, query_mask, value_mask, key_mask, attention_mask, use_causal_mask):
        """The boolean mask (B', 1, T, S) of the flattened attention, or None: query, value and key masks,
        causality and ``attention_mask`` combined."""
        parts = []
        if len(layout.query_shape) == 4:
            if query_mask is not None:
                parts.append(ops.expand_dims(ops.cast(query_mask, "bool"), -1))
            for mask in (value_mask, key_mask):
                if mask is not None:
                    parts.append(ops.expand_dims(ops.cast(mask, "bool"), -2))
        elif any(m is not None for m in (query_mask, value_mask, key_mask)):
            raise self._error("query, value and key masks apply to inputs of rank 3; for higher ranks pass "
                              "`attention_mask`.")
        if use_causal_mask:
            parts.append(np.tril(np.ones((layout.queries, layout.keys), bool)))
        if self.sliding_window is not None:
            offsets = np.arange(layout.queries)[:, None] - np.arange(layout.keys)[None, :]
            parts.append(np.abs(offsets) < self.sliding_window)
        if attention_mask is not None:
            attention_mask = ops.cast(attention_mask, "bool")
            parts.append(attention_mask if len(layout.query_shape) == 4 else layout.flatten_mask(attention_mask))
        if not parts:
            return None
        combined = parts[0]
        for part in parts[1:]:
            combined = ops.logical_and(combined, part)
        return ops.expand_dims(combined, -3) if len(ops.shape(combined)) >= 3 else combined

    def _explicit_attention(self, q, k, v, mask, dropout):
        scores = ops.einsum("btnh,bsnh->bnts", q, k) * (self.key_dim ** -0.5)
        if mask is not None:
            scores = ops.where(mask, scores, _MASKED_LOGIT)
        scores = ops.softmax(scores, axis=-1)
        weights = random.dropout(scores, self.dropout, seed=self.seed_generator) if dropout else scores
        return ops.einsum("bnts,bsnh->btnh", weights, v), scores

    # -- shapes and config ----------------------------------------------------------------------------
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape, value_shape, _, _ = self._resolve_shapes(query_shape, value_shape, key_shape)
        return query_shape[:-1] + (self._output_shape or query_shape[-1:])

    def compute_output_spec(self, query, value=None, key=None, return_attention_scores=False, **kwargs):
        query_shape, value_shape, key_shape, axes = self._resolve_shapes(
            *(None if t is None else shapes_of(t) for t in (query, value, key)))
        output = SymbolicTensor(self.compute_output_shape(query_shape, value_shape), self.compute_dtype)
        if not return_attention_scores:
            return output
        rank = len(query_shape)
        batch = [0] + [a for a in range(1, rank - 1) if a not in axes]
        shape = ([query_shape[a] for a in batch] + [self.num_heads] + [query_shape[a] for a in axes]
                 + [key_shape[a] for a in axes])
        return output, SymbolicTensor(tuple(shape), self.compute_dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "dropout": self.dropout,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self.attention_axes,
            "sliding_window": self.sliding_window,
            "flash_attention": self.flash_attention,
            **_WEIGHTS.config(self),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "seed": self.seed,
        })
        return config


class _HeadLayout:
    """Maps projected (B, *index, N, H) tensors to the (B', T, N, H) layout attention ops take: the index
    axes not attended over join the batch, the attended ones flatten into one sequence axis. Rank-3 inputs
    (one index axis, attended) need no transpose."""

    def __init__(self, query_shape, key_shape, axes):
        self.query_shape, self.key_shape = query_shape, key_shape
        index = range(1, len(query_shape) - 2)
        self.batch_axes = [0] + [a for a in index if a not in axes]
        self.axes = list(axes)
        self.order = self.batch_axes + self.axes + [len(query_shape) - 2, len(query_shape) - 1]
        self.batch = math.prod(query_shape[a] for a in self.batch_axes)
        self.queries = math.prod(query_shape[a] for a in axes)
        self.keys = math.prod(key_shape[a] for a in axes)
        self.identity = self.order == list(range(len(query_shape)))

    def flatten(self, x, which):
        shape = tuple(ops.shape(x))
        x = x if self.identity else ops.transpose(x, self.order)
        steps = self.queries if which == "query" else self.keys
        return x if len(shape) == 4 else ops.reshape(x, (self.batch, steps) + shape[-2:])

    def unflatten(self, x):
        """(B', T, N, Hv) back to (B, *index, N, Hv)."""
        permuted = [self.query_shape[a] for a in self.order[:-1]] + [tuple(ops.shape(x))[-1]]
        x = ops.reshape(x, tuple(permuted))
        return x if self.identity else ops.transpose(x, list(np.argsort(self.order)))

    def flatten_mask(self, mask):
        """A boolean (B, *non-attended, T..., S...) attention mask as (B', T, S)."""
        return ops.reshape(mask, (self.batch, self.queries, self.keys))

    def scores(self, scores):
        """(B', N, T, S) scores in Keras' layout (B, *non-attended, N, T..., S...)."""
        shape = ([self.query_shape[a] for a in self.batch_axes] + [self.query_shape[-2]]
                 + [self.query_shape[a] for a in self.axes] + [self.key_shape[a] for a in self.axes])
        return ops.reshape(scores, tuple(shape))
