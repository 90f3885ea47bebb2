from layer_cases import floats

CASES = {
    "Flatten": (dict(), lambda: floats(2, 3, 4)),
    "Reshape": (dict(target_shape=(2, 6)), lambda: floats(2, 3, 4)),
    "Permute": (dict(dims=(2, 1)), lambda: floats(2, 3, 4)),
    "RepeatVector": (dict(n=3), lambda: floats(2, 4)),
}
