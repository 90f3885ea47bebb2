from lamina import layers
from layer_cases import floats

CASES = {
    "BatchNormalization": ({"axis": 1, "momentum": 0.9, "epsilon": 1e-2, "gamma_regularizer": "l2"},
                           lambda: floats(4, 3, 2)),
    "LayerNormalization": ({"axis": (1, 2), "epsilon": 1e-4, "rms_scaling": False}, lambda: floats(2, 3, 4)),
    "GroupNormalization": ({"groups": 2, "axis": -1, "center": False}, lambda: floats(2, 3, 4)),
    "RMSNormalization": ({"axis": -1, "epsilon": 1e-5}, lambda: floats(2, 3, 4)),
    "UnitNormalization": ({"axis": (1, 2)}, lambda: floats(2, 3, 4)),
    "SpectralNormalization": ({"layer": layers.Dense(3, name="inner"), "power_iterations": 2},
                              lambda: floats(2, 4)),
}
