from lamina import layers
from layer_cases import floats

CASES = {
    "Wrapper": (dict(layer=layers.Dense(3, activation="tanh")), lambda: floats(2, 4)),
}
