"""SpectralNormalization: divides a wrapped layer's kernel by its largest singular value while training."""

from __future__ import annotations

from lamina import initializers, ops, serialization
from lamina.layers.layer import Layer


def _unit(x):
    """``x`` scaled to unit L2 norm (an all-zero ``x`` stays zero)."""
    return x * ops.rsqrt(ops.maximum(ops.sum(ops.square(x)), 1e-12))


class SpectralNormalization(Layer):
    """Wraps a layer with a ``kernel`` (or ``embeddings``) and, in training, replaces that kernel by
    ``kernel / sigma``, ``sigma`` its largest singular value estimated by power iteration (Miyato et al.,
    2018). The power iteration's vector ``vector_u`` (shape ``(1, kernel.shape[-1])``) is a non-trainable
    weight carried from step to step; the weights are listed as Keras lists them: the kernel (tracked by the
    wrapper too), ``vector_u``, then the wrapped layer's others. As in Keras, the normalized kernel is written
    into the kernel variable; on the JAX engine (whose compiled step keeps only non-trainable updates) the step computes
    with the normalized kernel and trains the raw one.

    Args:
        layer: the layer to wrap, e.g. ``Dense`` or ``Conv2D``.
        power_iterations: power-iteration steps per training call (at least 1).

    Example:
        >>> layer = SpectralNormalization(Dense(4))
        >>> tuple(layer(np.random.rand(2, 3), training=True).shape)
        (2, 4)
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise TypeError("Invalid value for argument `layer` of SpectralNormalization. Expected a Layer "
                             f"instance. Received: layer={layer!r}")
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, int) or power_iterations < 1:
            raise ValueError("Invalid value for argument `power_iterations` of SpectralNormalization. Expected "
                             f"an integer >= 1. Received: power_iterations={power_iterations!r}")
        self.layer = layer
        self.power_iterations = power_iterations
        self.supports_masking = getattr(layer, "supports_masking", False)

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
        self.kernel = getattr(self.layer, "kernel", None)
        if self.kernel is None:
            self.kernel = getattr(self.layer, "embeddings", None)
        if self.kernel is None:
            raise ValueError(f"Layer '{self.name}' (SpectralNormalization): the wrapped "
                             f"{type(self.layer).__name__} layer has neither a `kernel` nor `embeddings` weight.")
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(shape=(1, self.kernel_shape[-1]), name="vector_u", trainable=False,
                                        initializer=initializers.TruncatedNormal(stddev=0.02), dtype=self.kernel.dtype)

    def call(self, inputs, training=False):
        if training:
            vector_u, kernel = self.normalized_weights()
            self.vector_u.assign(vector_u)
            self.kernel.assign(kernel)
        return self.layer(inputs)

    def normalized_weights(self):
        """The next power-iteration vector and the kernel divided by its estimated spectral norm."""
        weights = ops.reshape(self.kernel, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u
        for _ in range(self.power_iterations):
            vector_v = _unit(ops.matmul(vector_u, ops.transpose(weights)))
            vector_u = _unit(ops.matmul(vector_v, weights))
        vector_u, vector_v = ops.stop_gradient(vector_u), ops.stop_gradient(vector_v)
        sigma = ops.sum(ops.matmul(vector_v, weights) * vector_u)
        degenerate = sigma == 0  # an all-zero kernel: keep it (and the vector) as they are
        kernel = ops.where(degenerate, self.kernel, self.kernel / ops.where(degenerate, 1.0, sigma))
        return ops.where(degenerate, self.vector_u, vector_u), kernel

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"layer": serialization.serialize(self.layer), "power_iterations": self.power_iterations})
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config["layer"] = serialization.deserialize(config["layer"], kind="layer")
        return super().from_config(config)
