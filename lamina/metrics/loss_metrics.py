"""Running means of probabilistic losses (crossentropies, KL divergence, Poisson) and hinge losses.

As in Keras, these metrics average the per-sample loss functions of ``lamina.losses``.
"""

from __future__ import annotations

from lamina import losses as F
from lamina.metrics.metrics_utils import float_pair
from lamina.metrics.reduction_metrics import MeanMetricWrapper


class _LossMean(MeanMetricWrapper):
    """A running mean of a per-sample loss: lower is better. Inputs are cast to a float dtype and aligned in
    rank first (integer predictions count as floatx; ``y_true`` of shape (n,) meets ``y_pred`` of (n, 1))."""

    _direction = "down"
    _prepare = staticmethod(float_pair)


class KLDivergence(_LossMean):
    """Kullback-Leibler divergence ``sum(y_true * log(y_true / y_pred))`` between distributions."""

    def __init__(self, name: str = "kl_divergence", dtype=None):
        super().__init__(F.kl_divergence, name=name, dtype=dtype)


class Poisson(_LossMean):
    """Poisson loss ``mean(y_pred - y_true * log(y_pred))``."""

    def __init__(self, name: str = "poisson", dtype=None):
        super().__init__(F.poisson, name=name, dtype=dtype)


class BinaryCrossentropy(_LossMean):
    """Binary crossentropy between 0/1 labels and probabilities (or logits with ``from_logits``).

    Args:
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; labels are moved towards 0.5 by this amount.
    """

    def __init__(self, name: str = "binary_crossentropy", dtype=None, from_logits: bool = False,
                 label_smoothing: float = 0):
        super().__init__(F.binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


class CategoricalCrossentropy(_LossMean):
    """Crossentropy between one-hot labels and class probabilities (or logits).

    Args:
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; labels are mixed with the uniform distribution by this amount.
        axis: the class axis.
    """

    def __init__(self, name: str = "categorical_crossentropy", dtype=None, from_logits: bool = False,
                 label_smoothing: float = 0, axis: int = -1):
        super().__init__(F.categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_LossMean):
    """Crossentropy between integer labels and class probabilities (or logits).

    Args:
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: a label (e.g. a "void" class such as -1 or 255) whose samples are left out of the
            mean, or None.
        axis: the class axis.

    Example:
        >>> m = SparseCategoricalCrossentropy(ignore_class=-1)
        >>> m.update_state([1, -1], [[0.1, 0.9], [0.5, 0.5]])
        >>> round(float(m.result()), 4)
        0.1054
    """

    _prepare = staticmethod(MeanMetricWrapper._prepare)  # integer labels stay integers

    def __init__(self, name: str = "sparse_categorical_crossentropy", dtype=None, from_logits: bool = False,
                 ignore_class: int | None = None, axis: int = -1):
        super().__init__(F.sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         ignore_class=ignore_class, axis=axis)


class Hinge(_LossMean):
    """Hinge loss ``mean(max(1 - y_true * y_pred, 0))``; 0/1 labels are read as -1/1."""

    def __init__(self, name: str = "hinge", dtype=None):
        super().__init__(F.hinge, name=name, dtype=dtype)


class SquaredHinge(_LossMean):
    """Squared hinge loss ``mean(max(1 - y_true * y_pred, 0)^2)``; 0/1 labels are read as -1/1."""

    def __init__(self, name: str = "squared_hinge", dtype=None):
        super().__init__(F.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(_LossMean):
    """Categorical hinge loss ``max(0, 1 + max_wrong(y_pred) - y_pred[true])`` for one-hot labels."""

    def __init__(self, name: str = "categorical_hinge", dtype=None):
        super().__init__(F.categorical_hinge, name=name, dtype=dtype)
