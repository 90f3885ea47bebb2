from layer_cases import floats

CASES = {
    "Activation": (dict(activation="tanh"), lambda: floats(2, 4)),
    "ReLU": (dict(max_value=1.0, negative_slope=0.1, threshold=0.2), lambda: floats(2, 4)),
    "LeakyReLU": (dict(negative_slope=0.2), lambda: floats(2, 4)),
    "PReLU": (dict(alpha_initializer="ones", alpha_regularizer="l2", shared_axes=[1]), lambda: floats(2, 3, 4)),
    "ELU": (dict(alpha=0.5), lambda: floats(2, 4)),
    "Softmax": (dict(axis=(1, 2)), lambda: floats(2, 3, 4)),
    "ThresholdedReLU": (dict(theta=0.5), lambda: floats(2, 4)),
}
