"""Discretization: buckets numbers into ranges, by given boundaries or by quantiles adapted from data."""

from __future__ import annotations

import numpy as np

from lamina import config, ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.adapt_data import adapt_batches
from lamina.layers.preprocessing.categorical_encoding import check_output_mode, encode, encoded_shape


def _summary(values: np.ndarray, epsilon: float) -> np.ndarray:
    """A ``(2, k)`` quantile summary of ``values``: every ``step``-th sorted value, each weighing ``step``,
    where ``step = max(n * epsilon, 1)``."""
    values = np.sort(np.ravel(values))
    step = max(values.size / (1.0 / epsilon), 1)
    picked = values[int(step - 1)::int(step)]
    return np.stack([picked, np.full_like(picked, step)])


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """``summary`` reduced to ``1 / epsilon`` points at evenly spaced cumulative weights (interpolated);
    a summary already that small is kept."""
    if summary.shape[1] * epsilon < 1:
        return summary
    targets = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    points = np.interp(targets, fractions, summary[0])
    weights = np.diff(np.interp(targets, fractions, cumulative), prepend=0.0)
    return np.stack((points, weights)).astype("float32")


def _merge(first: np.ndarray, second: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((first, second), axis=1)
    return _compress(np.take(merged, np.argsort(merged[0]), axis=1), epsilon)


class Discretization(Layer):
    """Maps each value to the index of its bin: with boundaries ``b``, bin ``i`` holds ``b[i-1] <= x < b[i]``
    (``len(b) + 1`` bins), then encodes the indices by ``output_mode``.

    ``adapt(data)`` sets ``num_bins - 1`` boundaries at the quantiles of ``data``, estimated from a summary
    with precision ``epsilon`` exactly as Keras estimates them; the boundaries are kept in the config.

    Args:
        bin_boundaries: a sorted list of boundaries (or None, to adapt).
        num_bins: the number of bins ``adapt`` makes (exclusive with ``bin_boundaries``).
        epsilon: the error tolerance of the adapted quantiles (default 0.01).
        output_mode: "int" (int32 bin indices, default), "one_hot", "multi_hot" or "count".
        sparse: only False (lamina's outputs are dense).

    Example:
        >>> layer = Discretization(bin_boundaries=[0.0, 1.0, 2.0])
        >>> ops.convert_to_numpy(layer(np.array([[-1.5, 1.0, 3.4, 0.5]]))).tolist()
        [[0, 2, 3, 1]]
    """

    def __init__(self, bin_boundaries=None, num_bins: int | None = None, epsilon: float = 0.01,
                 output_mode: str = "int", sparse: bool = False, dtype=None, name: str | None = None, **kwargs):
        super().__init__(dtype=dtype, name=name, **kwargs)
        self.autocast = False  # inputs are read in floatx, as Keras' ``input_dtype`` says
        check_output_mode(output_mode, "Discretization")
        if sparse:
            raise ValueError("Invalid value for argument `sparse` of Discretization. lamina's outputs are dense: "
                             "expected sparse=False. Received: sparse=True")
        if num_bins is not None and (isinstance(num_bins, bool) or not isinstance(num_bins, int) or num_bins < 0):
            raise ValueError(f"Invalid value for argument `num_bins` of Discretization. Expected an int >= 0. "
                             f"Received: num_bins={num_bins!r}")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError("Discretization: both `num_bins` and `bin_boundaries` should not be set. Received: "
                             f"num_bins={num_bins} and bin_boundaries={bin_boundaries}")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("Discretization: you need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = None if bin_boundaries is None else [float(b) for b in bin_boundaries]
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self._build_at_init()

    @property
    def output_dtype(self) -> str:
        return "int32" if self.output_mode == "int" else self.compute_dtype

    def adapt(self, data, steps: int | None = None) -> None:
        """Sets the boundaries at the quantiles of ``data`` (an array, a tensor, or batches: a list, a
        generator, a ``PyDataset``; ``steps`` limits how many batches are read)."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, "
                             "use `num_bins` instead.")
        summary = np.zeros((2, 0), "float32")
        for step, batch in enumerate(adapt_batches(data, "Discretization")):
            if steps is not None and step >= steps:
                break
            summary = _merge(_summary(batch.astype("float32"), self.epsilon), summary, self.epsilon)
        self.bin_boundaries = _compress(summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at construction time or call "
                             "`adapt(dataset)` before you can start using the `Discretization` layer.")
        indices = ops.digitize(ops.cast(inputs, config.floatx()), self.bin_boundaries)
        return encode(indices, self.output_mode, len(self.bin_boundaries) + 1, self.output_dtype)

    def _depth(self) -> int:
        return self.num_bins if self.bin_boundaries is None else len(self.bin_boundaries) + 1

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), self.output_dtype)

    def get_config(self) -> dict:
        config_ = super().get_config()
        config_.pop("trainable")
        config_.update({"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins, "epsilon": self.epsilon,
                        "output_mode": self.output_mode, "sparse": self.sparse})
        return config_

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        adapted = config.get("bin_boundaries") is not None and config.get("num_bins") is not None
        boundaries = config.pop("bin_boundaries") if adapted else None
        layer = super().from_config(config)
        if adapted:
            layer.bin_boundaries = boundaries
        return layer
