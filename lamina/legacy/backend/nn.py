"""Keras 1/2's neural-network functions in ``K``: activations, cross-entropies (Keras 1's argument order),
normalization, dropout, random tensors and ``rnn``."""

from __future__ import annotations

from lamina import backend, ops, random
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.legacy.backend.variable_reads import over_variables
from lamina.legacy.deprecation import warn_old_spelling
from lamina.ops.op import op
from lamina.ops.operation import no_graph_recording

sigmoid = over_variables(ops.sigmoid)
tanh = over_variables(ops.tanh)
softplus = over_variables(ops.softplus)
softsign = over_variables(ops.softsign)


@over_variables
def softmax(x, axis=-1):
    return ops.softmax(x, axis=axis)


@over_variables
def relu(x, alpha=0.0, max_value=None):
    """``max(x, 0)``; ``alpha`` is the slope below 0, ``max_value`` caps the result."""
    out = ops.relu(x)
    if alpha:
        out = ops.subtract(out, ops.multiply(alpha, ops.relu(ops.negative(x))))
    return out if max_value is None else ops.minimum(out, max_value)


@over_variables
def elu(x, alpha=1.0):
    return ops.elu(x, alpha=alpha)


@over_variables
def hard_sigmoid(x):
    """Keras 1/2's piecewise-linear sigmoid ``clip(0.2 * x + 0.5, 0, 1)`` (Keras 3's is ``x / 6 + 0.5``)."""
    return ops.clip(ops.add(ops.multiply(x, 0.2), 0.5), 0.0, 1.0)


@over_variables
def categorical_crossentropy(output, target, from_logits=False):
    """Cross-entropy of ``output`` against one-hot ``target``, Keras 1's argument order (output first; Keras
    2.0.7+ put ``target`` first: pass them by keyword to be safe)."""
    return ops.categorical_crossentropy(target, output, from_logits=from_logits)


@over_variables
def sparse_categorical_crossentropy(output, target, from_logits=False):
    """Cross-entropy of ``output`` against integer ``target`` (Keras 1's argument order)."""
    return ops.sparse_categorical_crossentropy(target, output, from_logits=from_logits)


@over_variables
def binary_crossentropy(output, target, from_logits=False):
    """Elementwise binary cross-entropy of ``output`` against ``target`` (Keras 1's argument order)."""
    return ops.binary_crossentropy(target, output, from_logits=from_logits)


@over_variables
def l2_normalize(x, axis=None):
    """``x`` divided by its L2 norm over ``axis``."""
    return ops.normalize(x, axis=axis, order=2)


@over_variables
def dropout(x, level, noise_shape=None, seed=None):
    """``x`` with entries zeroed with probability ``level`` and the rest scaled by ``1 / (1 - level)``."""
    return random.dropout(x, level, noise_shape=noise_shape, seed=seed)


def _renamed(old: dict, kwargs: dict) -> dict:
    """Keras 1's argument names of the random functions (``low``/``high``, ``std``) under their Keras 2 names."""
    for name, modern in old.items():
        if name in kwargs:
            warn_old_spelling(f"{name}=", f"{modern}=", stacklevel=4)
            kwargs[modern] = kwargs.pop(name)
    return kwargs


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None, **kwargs):
    kwargs = _renamed({"low": "minval", "high": "maxval"}, dict(minval=minval, maxval=maxval, **kwargs))
    return random.uniform(tuple(shape), dtype=dtype, seed=seed, **kwargs)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, **kwargs):
    kwargs = _renamed({"std": "stddev"}, dict(stddev=stddev, **kwargs))
    return random.normal(tuple(shape), mean=mean, dtype=dtype, seed=seed, **kwargs)


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    """Ones with probability ``p``, zeros otherwise."""
    dtype = dtype or backend.floatx()
    return ops.cast(ops.less(random.uniform(tuple(shape), seed=seed), p), dtype)


def _rnn_rule(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
              unroll=False, input_length=None):
    """The specs of ``rnn``'s results: one symbolic step gives the output's and the states' shapes."""
    step = SymbolicTensor((inputs.shape[0],) + tuple(inputs.shape[2:]), inputs.dtype)
    with no_graph_recording():
        output, states = step_function(step, list(initial_states) + list(constants or []))
    outputs = SymbolicTensor((output.shape[0], inputs.shape[1]) + tuple(output.shape[1:]), output.dtype)
    return output, outputs, [SymbolicTensor(s.shape, s.dtype) for s in states]


@op(_rnn_rule)
def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None, unroll=False,
        input_length=None):
    """Run ``output, new_states = step_function(x_t, states + constants)`` over axis 1 of ``inputs``.

    Returns ``(last_output, outputs, new_states)``, ``outputs`` of shape ``(samples, time, ...)``. Where
    ``mask`` (``(samples, time)``) is 0, the states are kept and the previous output repeated.
    """
    constants = list(constants or [])
    step = (lambda x, states: step_function(x, list(states) + constants)) if constants else (
        lambda x, states: step_function(x, list(states)))
    last_output, outputs, states = backend.rnn.rnn(step, inputs, list(initial_states), go_backwards=go_backwards,
                                                   mask=mask, unroll=unroll)
    return last_output, outputs, list(states)


__all__ = ["sigmoid", "tanh", "softplus", "softsign", "softmax", "relu", "elu", "hard_sigmoid",
           "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy", "l2_normalize",
           "dropout", "random_uniform", "random_normal", "random_binomial", "rnn"]
