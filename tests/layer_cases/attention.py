from layer_cases import floats  # noqa: F401

CASES = {
}
