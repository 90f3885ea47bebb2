"""Normalization: shifts and scales inputs to zero mean and unit variance, from given or adapted statistics."""

from __future__ import annotations

import numbers

import numpy as np

from lamina import config, ops
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.adapt_data import adapt_batches


def _axes(axis) -> tuple:
    if axis is None:
        return ()
    if isinstance(axis, numbers.Integral) and not isinstance(axis, bool):
        return (int(axis),)
    if isinstance(axis, (tuple, list)) and all(isinstance(a, numbers.Integral) for a in axis):
        return tuple(int(a) for a in axis)
    raise ValueError(f"Invalid value for argument `axis` of Normalization. Expected an int, a tuple of ints or "
                     f"None. Received: axis={axis!r}")


class Normalization(Layer):
    """Computes ``(inputs - mean) / max(sqrt(variance), epsilon)`` (``invert=True``: the inverse,
    ``mean + inputs * max(sqrt(variance), epsilon)``), with one mean and variance per index of the kept
    ``axis`` and ``epsilon = config.epsilon()`` as the floor of the standard deviation.

    The statistics are given (``mean`` and ``variance``, broadcast to the kept axes) or gathered by
    ``adapt(data)``; adapted statistics live in non-trainable weights ``mean``, ``variance`` and ``count``
    (as Keras keeps them), so they are saved with the model.

    Args:
        axis: the axis or axes kept (one statistic per index); the others are reduced. Default -1 (features);
            None gives one scalar mean and variance.
        mean, variance: the statistics to use instead of adapting (both or neither).
        invert: undo the normalization instead.

    Example:
        >>> layer = Normalization(axis=None)
        >>> layer.adapt(np.array([1.0, 2.0, 3.0]))
        >>> [round(float(v), 4) for v in ops.convert_to_numpy(layer(np.array([1.0, 2.0, 3.0])))]
        [-1.2247, 0.0, 1.2247]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.axis = _axes(axis)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        if (mean is None) != (variance is None):
            raise ValueError("Normalization: when setting values directly, both `mean` and `variance` must be set. "
                             f"Received: mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError("Normalization: `mean` and `variance` must have the same shape. Received: mean "
                                 f"shape {np.shape(mean)} and variance shape {np.shape(variance)}")
            if np.ndim(mean) > len(self.axis):
                raise ValueError(f"Normalization: the rank of `mean` must be at most the number of axes "
                                 f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis {self.axis}")

    def build(self, input_shape):
        rank = len(input_shape)
        if any(not -rank <= a < rank for a in self.axis):
            raise ValueError(f"Normalization: every `axis` must be in the range [-ndim, ndim). Received inputs with "
                             f"ndim={rank}, while axis={self.axis}")
        self._keep_axes = tuple(sorted(a % rank for a in self.axis))
        for a in self._keep_axes:
            if input_shape[a] is None:
                raise ValueError(f"Normalization: every kept `axis` must have a known size. Received axis="
                                 f"{self.axis}, inputs.shape={tuple(input_shape)}, with unknown axis at index {a}")
        self._reduce_axes = tuple(a for a in range(rank) if a not in self._keep_axes)
        self._broadcast_shape = tuple(input_shape[a] if a in self._keep_axes else 1 for a in range(rank))
        stats_shape = tuple(input_shape[a] for a in self._keep_axes)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(stats_shape, "zeros", trainable=False, name="mean")
            self.adapt_variance = self.add_weight(stats_shape, "ones", trainable=False, name="variance")
            self.count = self.add_weight((), "zeros", dtype="int32", trainable=False, name="count")
            return
        self._given = [self._expand(np.asarray(value, dtype="float64")) for value in (self.input_mean,
                                                                                      self.input_variance)]

    def _expand(self, stats: np.ndarray) -> np.ndarray:
        """Given statistics laid over the trailing kept axes, broadcast to the inputs' rank."""
        shape = [1] * len(self._broadcast_shape)
        for offset in range(1, stats.ndim + 1):
            shape[self._keep_axes[-offset]] = stats.shape[-offset]
        return np.broadcast_to(stats.reshape(shape), self._broadcast_shape)

    def adapt(self, data) -> None:
        """Gathers the mean and variance of ``data`` (an array, a tensor, or batches: a list, a generator, a
        ``PyDataset``) over the reduced axes, merging batch statistics exactly."""
        if self.input_mean is not None:
            raise ValueError("Normalization was given `mean` and `variance`; it cannot be adapted. Create it "
                             "without them to adapt it to data.")
        total_mean = total_var = None
        total_count = 0
        for batch in adapt_batches(data, "Normalization"):
            if not self.built:
                self.build(batch.shape)
            elif any(batch.shape[a] != self._broadcast_shape[a] for a in self._keep_axes):
                raise ValueError(f"Normalization was built for inputs of shape {self._build_shapes}, but adapt() "
                                 f"received data of an incompatible shape, data.shape={batch.shape}")
            batch = batch.astype("float64")
            mean, var = batch.mean(axis=self._reduce_axes), batch.var(axis=self._reduce_axes)
            count = int(np.prod([batch.shape[a] for a in self._reduce_axes]))
            if total_mean is None:
                total_mean, total_var, total_count = mean, var, count
                continue
            weight = count / (total_count + count)
            merged = total_mean * (1 - weight) + mean * weight
            total_var = ((total_var + (total_mean - merged) ** 2) * (1 - weight)
                         + (var + (mean - merged) ** 2) * weight)
            total_mean, total_count = merged, total_count + count
        self.adapt_mean.assign(total_mean.astype(self.adapt_mean.dtype))
        self.adapt_variance.assign(total_var.astype(self.adapt_variance.dtype))

    def _statistics(self):
        if self.input_mean is not None:
            mean, variance = self._given
        else:
            mean = ops.reshape(self.adapt_mean, self._broadcast_shape)
            variance = ops.reshape(self.adapt_variance, self._broadcast_shape)
        dtype = self.compute_dtype
        return ops.cast(mean, dtype), ops.cast(variance, dtype)

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        mean, variance = self._statistics()
        scale = ops.maximum(ops.sqrt(variance), config.epsilon())
        return mean + inputs * scale if self.invert else (inputs - mean) / scale

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config_ = super().get_config()
        config_.update({"axis": self.axis, "invert": self.invert, "mean": np.array(self.input_mean).tolist(),
                        "variance": np.array(self.input_variance).tolist()})
        return config_
