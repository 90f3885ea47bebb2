"""What Attention and AdditiveAttention share: inputs checks, masking, softmax, dropout and output shapes."""

from __future__ import annotations

import numbers

import numpy as np

from lamina import ops, random
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.layers.shapes import shapes_of


class BaseDenseAttention(Layer):
    """Base of the attention layers over ``[query, value(, key)]`` tensors of shape (batch, steps, dim).

    ``call`` scores every query step against every key step (``_scores``, defined by subclasses), gives
    masked key steps (and, with ``use_causal_mask``, future steps) a score lowered by 1e9, takes the softmax
    over key steps, applies dropout to the weights in training, and averages ``value`` with them. Query
    steps the query mask drops give zeros; the query mask is the output's mask.

    Args:
        dropout: the fraction of attention weights dropped in training.
        seed: an int seed for the dropout.
    """

    def __init__(self, dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or not 0 <= dropout <= 1:
            raise ValueError(f"Invalid value for argument `dropout` of {type(self).__name__}. Expected a float "
                             f"between 0 and 1. Received: dropout={dropout!r}")
        self.dropout = dropout
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if dropout > 0 else None
        self.supports_masking = True

    def _error(self, message: str) -> ValueError:
        return ValueError(f"Layer '{self.name}' ({type(self).__name__}): {message}")

    def _split(self, inputs, what="inputs"):
        """``(query, value, key)`` from a list of 2 or 3 items (``key`` defaults to ``value``)."""
        if not isinstance(inputs, (list, tuple)) or len(inputs) not in (2, 3):
            raise self._error(f"expected {what} to be a list [query, value] or [query, value, key]. Received: "
                              f"{what}={inputs!r}")
        return inputs[0], inputs[1], inputs[2] if len(inputs) == 3 else inputs[1]

    def _check_shapes(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not all(isinstance(s, (list, tuple)) for s in input_shape):
            raise self._error("expected inputs to be a list [query, value] or [query, value, key]. Received "
                              f"inputs of shape {input_shape}")
        query, value, key = (tuple(s) for s in self._split(input_shape, "input shapes"))
        if not (len(query) == len(value) == len(key) >= 3) or (None not in (value[-2], key[-2]) and
                                                               value[-2] != key[-2]):
            raise self._error("expected query (batch, Tq, dim), value (batch, Tv, dim) and key (batch, Tv, dim) "
                              f"of one rank >= 3, value and key with the same steps. Received shapes: "
                              f"query={query}, value={value}, key={key}")
        return query, value, key

    def call(self, inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False):
        query, value, key = self._split(inputs)
        query_mask, value_mask, _ = self._split(mask, "mask") if mask is not None else (None, None, None)
        scores = self._scores(query, key)
        keep = None if value_mask is None else ops.expand_dims(value_mask, -2)
        if use_causal_mask:
            causal = np.tril(np.ones(tuple(ops.shape(scores))[-2:], bool))
            keep = causal if keep is None else ops.logical_and(keep, causal)
        if keep is not None:
            penalty = 65504.0 if ops.dtype(scores) == "float16" else 1e9
            scores = scores - penalty * ops.cast(ops.logical_not(keep), ops.dtype(scores))
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        outputs = ops.matmul(weights, value)
        if query_mask is not None:
            outputs = outputs * ops.cast(ops.expand_dims(query_mask, -1), ops.dtype(outputs))
        return (outputs, weights) if return_attention_scores else outputs

    def compute_mask(self, inputs, mask=None):
        """The output's mask: the query mask (``mask[0]``), as Keras names and computes it."""
        if mask is None:
            return None
        query_mask = self._split(mask, "mask")[0]
        return None if query_mask is None else ops.convert_to_tensor(query_mask)

    def compute_output_shape(self, input_shape):
        query, value, _ = self._check_shapes(input_shape)
        return query[:-1] + value[-1:]

    def compute_output_spec(self, inputs, mask=None, training=None, return_attention_scores=False,
                            use_causal_mask=False):
        query, _, key = self._split(shapes_of(inputs))
        output = SymbolicTensor(self.compute_output_shape(shapes_of(inputs)), self.compute_dtype)
        if not return_attention_scores:
            return output
        return output, SymbolicTensor(tuple(query[:-1]) + (key[-2],), self.compute_dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"dropout": self.dropout, "seed": self.seed})
        return config
