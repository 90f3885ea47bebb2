from layer_cases import floats

CASES = {
    "Add": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Subtract": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Multiply": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Average": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Maximum": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Minimum": (dict(), lambda: [floats(2, 4), floats(2, 4)]),
    "Concatenate": (dict(axis=1), lambda: [floats(2, 4), floats(2, 3)]),
    "Dot": (dict(axes=1, normalize=True), lambda: [floats(2, 4), floats(2, 4)]),
}
