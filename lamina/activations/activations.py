"""The built-in activation functions, by their Keras names, written on ``lamina.ops``.

Each takes a tensor (or array, or symbolic tensor) and returns one of the same shape, except ``glu``,
which halves ``axis``. Most are the op of the same name; ``relu`` adds Keras's ``negative_slope``,
``max_value`` and ``threshold``, and ``gelu`` defaults to the exact (erf) form as ``keras.activations`` does.
"""

from __future__ import annotations

from lamina import ops


def _keep_logits(output, logits, kind):
    """Remember the logits behind a sigmoid/softmax output (and which activation made it), so the
    cross-entropy losses compute from the logits: exact and fused, instead of from clipped probabilities."""
    try:
        output._keras_logits = logits
        output._keras_logits_kind = kind
    except AttributeError:  # a type without instance attributes
        pass
    return output


def relu(x, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0):
    """Rectified linear unit, with Keras's options.

    ``x`` above ``threshold`` passes (capped at ``max_value``); below it the result is 0, or
    ``negative_slope * (x - threshold)`` when ``negative_slope`` is set.
    """
    if max_value is None and threshold == 0.0:
        return ops.relu(x) if negative_slope == 0.0 else ops.leaky_relu(x, negative_slope)
    positive = ops.threshold(x, threshold, 0.0) if threshold != 0.0 else ops.relu(x)
    if max_value is not None:
        positive = ops.minimum(positive, max_value)
    if negative_slope == 0.0:
        return positive
    below = ops.relu(ops.subtract(threshold, x))
    return ops.subtract(positive, ops.multiply(negative_slope, below))


def leaky_relu(x, negative_slope: float = 0.2):
    """``x`` for ``x >= 0``, ``negative_slope * x`` otherwise."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    """ReLU capped at 6."""
    return ops.relu6(x)


def softmax(x, axis: int = -1):
    """Softmax along ``axis``: non-negative values summing to one."""
    return _keep_logits(ops.softmax(x, axis=axis), x, "softmax" if axis in (-1, len(x.shape) - 1) else None)


def log_softmax(x, axis: int = -1):
    """Log of the softmax along ``axis``."""
    return ops.log_softmax(x, axis=axis)


def sparsemax(x, axis: int = -1):
    """Sparsemax along ``axis``: a softmax alternative whose outputs can be exactly zero."""
    return ops.sparsemax(x, axis=axis)


def elu(x, alpha: float = 1.0):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise."""
    return ops.elu(x, alpha=alpha)


def selu(x):
    """Scaled ELU; use with the ``lecun_normal`` initializer and ``AlphaDropout``."""
    return ops.selu(x)


def celu(x, alpha: float = 1.0):
    """Continuously differentiable ELU: ``alpha * (exp(x / alpha) - 1)`` for ``x < 0``."""
    return ops.celu(x, alpha=alpha)


def gelu(x, approximate: bool = False):
    """Gaussian error linear unit; exact (erf) unless ``approximate`` asks for the tanh formula."""
    return ops.gelu(x, approximate=approximate)


def glu(x, axis: int = -1):
    """Gated linear unit: halves ``a, b`` of ``x`` along ``axis`` give ``a * sigmoid(b)``."""
    return ops.glu(x, axis=axis)


def softplus(x):
    """``log(exp(x) + 1)``."""
    return ops.softplus(x)


def softsign(x):
    """``x / (abs(x) + 1)``."""
    return ops.softsign(x)


def sparse_plus(x):
    """0 below -1, ``(x + 1)**2 / 4`` on ``[-1, 1]``, ``x`` above 1."""
    return ops.sparse_plus(x)


def squareplus(x, b: float = 4):
    """``(x + sqrt(x**2 + b)) / 2``."""
    return ops.squareplus(x, b=b)


def silu(x):
    """``x * sigmoid(x)``, also known as swish."""
    return ops.silu(x)


swish = silu


def sigmoid(x):
    """``1 / (1 + exp(-x))``."""
    return _keep_logits(ops.sigmoid(x), x, "sigmoid")


def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably."""
    return ops.log_sigmoid(x)


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: 0 below -3, 1 above 3, ``x / 6 + 0.5`` between."""
    return ops.hard_sigmoid(x)


def hard_silu(x):
    """``x * hard_sigmoid(x)``, also known as hard swish."""
    return ops.hard_silu(x)


hard_swish = hard_silu


def sparse_sigmoid(x):
    """0 below -1, 1 above 1, ``(x + 1) / 2`` between."""
    return ops.sparse_sigmoid(x)


def tanh(x):
    """Hyperbolic tangent."""
    return ops.tanh(x)


def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``."""
    return ops.hard_tanh(x)


def tanh_shrink(x):
    """``x - tanh(x)``."""
    return ops.tanh_shrink(x)


def hard_shrink(x, threshold: float = 0.5):
    """``x`` where ``|x| > threshold``, 0 elsewhere."""
    return ops.hard_shrink(x, threshold=threshold)


def soft_shrink(x, threshold: float = 0.5):
    """``x`` moved ``threshold`` towards zero, 0 where ``|x| <= threshold``."""
    return ops.soft_shrink(x, threshold=threshold)


def threshold(x, threshold: float, default_value: float):
    """``x`` where ``x > threshold``, ``default_value`` elsewhere."""
    return ops.threshold(x, threshold, default_value)


def mish(x):
    """``x * tanh(softplus(x))``."""
    return ops.mish(x)


def exponential(x):
    """``exp(x)``."""
    return ops.exp(x)


def linear(x):
    """The identity: returns ``x`` unchanged."""
    return x
