"""Utilities: reproducibility (``set_random_seed``), ``PyDataset``, ``clear_session``."""

from lamina.backend import clear_session
from lamina.utils.py_dataset import PyDataset
from lamina.utils.rng_utils import set_random_seed

__all__ = ["PyDataset", "clear_session", "set_random_seed"]
