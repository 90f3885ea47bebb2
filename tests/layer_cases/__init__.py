"""Config round-trip cases for every public layer, one module per layer group.

Each module defines ``CASES``: class name -> (constructor kwargs, a function building example inputs).
tests/layers/test_every_layer.py gathers them all and fails when a public layer has no case.
"""

import importlib
import pkgutil

import numpy as np

F = "float32"


def floats(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype(F)


def all_cases() -> dict:
    cases = {}
    for module in pkgutil.iter_modules(__path__):
        group = importlib.import_module(f"{__name__}.{module.name}").CASES
        clash = set(cases) & set(group)
        assert not clash, f"layer cases defined twice: {sorted(clash)}"
        cases.update(group)
    return cases
