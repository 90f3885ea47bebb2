"""BatchNormalization: normalizes each feature with batch statistics in training, moving averages otherwise."""

from __future__ import annotations

import numbers

from lamina import config as lamina_config
from lamina import initializers, ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.normalization.base_normalization import (
    AffineNormalization,
    check_axis,
    resolve_axes,
)


class BatchNormalization(AffineNormalization):
    """Normalizes its inputs per feature (along ``axis``): ``gamma * (x - mean) / sqrt(var + epsilon) + beta``.

    With ``training=True`` it uses the mean and variance of the batch (over every axis but ``axis``, counting
    only the positions a mask keeps) and moves ``moving_mean``/``moving_variance`` towards them:
    ``moving = moving * momentum + batch * (1 - momentum)``. Otherwise it uses the moving statistics. As in
    Keras 3, a layer with ``trainable=False`` always runs in inference mode, so freezing it for fine-tuning
    freezes its statistics too.

    Args:
        axis: the feature axis (``-1`` for channels_last, ``1`` for channels_first images).
        momentum: the moving averages' momentum.
        epsilon: added to the variance before the square root.
        center, scale, beta_*, gamma_*: the learned offset and scale (see ``AffineNormalization``).
        moving_mean_initializer, moving_variance_initializer: how the moving statistics start.
        synchronized: accepted for Keras compatibility (statistics are per device).

    Call arguments:
        inputs: a tensor of any rank; mask: optional, of the inputs' shape without the last axis.
        training: whether to use (and update) batch statistics.

    Example:
        >>> layer = BatchNormalization()
        >>> tuple(layer(np.random.rand(8, 3), training=True).shape)
        (8, 3)
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 synchronized=False, **kwargs):
        super().__init__(center=center, scale=scale, beta_initializer=beta_initializer,
                         gamma_initializer=gamma_initializer, beta_regularizer=beta_regularizer,
                         gamma_regularizer=gamma_regularizer, beta_constraint=beta_constraint,
                         gamma_constraint=gamma_constraint, **kwargs)
        self.axis = check_axis(axis, "BatchNormalization", allow_list=False)
        for name, value in (("momentum", momentum), ("epsilon", epsilon)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
                raise ValueError(f"Invalid value for argument `{name}` of BatchNormalization. Expected a "
                                 f"non-negative float. Received: {name}={value!r}")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.synchronized = bool(synchronized)

    def build(self, input_shape):
        self._axis = resolve_axes(self.axis, input_shape, self)[0]
        shape = (input_shape[self._axis],)
        if self.scale:
            self._add_gamma(shape)
        if self.center:
            self._add_beta(shape)
        self.moving_mean = self.add_weight(shape=shape, initializer=self.moving_mean_initializer,
                                           name="moving_mean", trainable=False, autocast=False)
        self.moving_variance = self.add_weight(shape=shape, initializer=self.moving_variance_initializer,
                                               name="moving_variance", trainable=False, autocast=False)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self._axis: shape[0]})
        self._reduction_axes = [a for a in range(len(input_shape)) if a != self._axis]

    def call(self, inputs, training=None, mask=None):
        if mask is not None and len(mask.shape) != len(inputs.shape) - 1:
            raise ValueError(f"Layer '{self.name}' (BatchNormalization): the mask must have the rank of the "
                             f"inputs minus one. Received mask.shape={tuple(mask.shape)}, "
                             f"inputs.shape={tuple(inputs.shape)}")
        dtype = ops.dtype(inputs)
        wide = dtype in ("float16", "bfloat16")
        x = ops.cast(inputs, "float32") if wide else inputs
        if training and self.trainable:
            mean, variance = self._moments(x, mask)
            self._update_moving(self.moving_mean, ops.stop_gradient(mean))
            self._update_moving(self.moving_variance, ops.stop_gradient(variance))
        else:
            mean, variance = self.moving_mean, self.moving_variance
        outputs = ops.batch_normalization(x, mean, variance, self._axis, offset=self.beta, scale=self.gamma,
                                          epsilon=self.epsilon)
        return ops.cast(outputs, dtype) if wide else outputs

    def _moments(self, x, mask):
        if mask is None:
            return ops.moments(x, self._reduction_axes)
        weights = ops.broadcast_to(ops.expand_dims(ops.cast(mask, ops.dtype(x)), -1), ops.shape(x))
        count = ops.sum(weights, self._reduction_axes, keepdims=True) + lamina_config.epsilon()
        mean = ops.sum(weights * x, self._reduction_axes, keepdims=True) / count
        variance = ops.sum(weights * ops.square(x - mean), self._reduction_axes, keepdims=True) / count
        return ops.reshape(mean, (-1,)), ops.reshape(variance, (-1,))

    def _update_moving(self, variable, batch_value):
        variable.assign(variable * self.momentum + ops.cast(batch_value, variable.dtype) * (1.0 - self.momentum))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "synchronized": self.synchronized,
        })
        return config
