"""``set_random_seed``: one call that makes a run reproducible."""

from __future__ import annotations

import random as _python_random

import numpy as np

from lamina import backend
from lamina.backend.common import seed_generator


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy, the engine and lamina's global ``SeedGenerator`` with ``seed``.

    Random ops called with ``seed=None`` and unseeded initializers then give the same values on every run.
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"Invalid value for argument `seed`. Expected an int. Received: seed={seed!r}")
    _python_random.seed(seed)
    np.random.seed(seed)
    backend.random.set_engine_seed(seed)
    seed_generator.reset_global_seed_generator(seed)
