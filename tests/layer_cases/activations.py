from layer_cases import floats

CASES = {
    "Activation": (dict(activation="tanh"), lambda: floats(2, 4)),
}
