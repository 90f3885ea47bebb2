"""Utilities: reproducibility (``set_random_seed``), naming."""

from lamina.utils.rng_utils import set_random_seed

__all__ = ["set_random_seed"]
