from layer_cases import floats

CASES = {
    "Dropout": (dict(rate=0.3, seed=1), lambda: floats(2, 4)),
    "ActivityRegularization": (dict(l1=0.1, l2=0.2), lambda: floats(2, 4)),
}
