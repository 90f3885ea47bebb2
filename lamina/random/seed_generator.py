"""``SeedGenerator`` as ``lamina.random`` publishes it: the class (from the backend floor, where every random
op draws its seeds) registered for deserialization under ``lamina>SeedGenerator``."""

from lamina.backend.common.seed_generator import (
    SeedGenerator,
    draw_seed,
    global_seed_generator,
    make_default_seed,
    reset_global_seed_generator,
)
from lamina.serialization import register_lamina_serializable

register_lamina_serializable(package="lamina")(SeedGenerator)

__all__ = ["SeedGenerator", "draw_seed", "global_seed_generator", "make_default_seed", "reset_global_seed_generator"]
