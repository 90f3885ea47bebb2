"""Random number generation with Keras 3 names: ``lamina.random.normal``, ``SeedGenerator``, ..."""

from lamina.random.random import *  # noqa: F401,F403
from lamina.random.random import __all__ as _ops
from lamina.random.seed_generator import SeedGenerator, draw_seed, global_seed_generator, make_default_seed

__all__ = list(_ops) + ["SeedGenerator", "draw_seed", "global_seed_generator", "make_default_seed"]
