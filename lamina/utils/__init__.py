"""Utilities: ``set_random_seed``, ``PyDataset``, ``Progbar``, ``clear_session``."""

from lamina.backend import clear_session
from lamina.utils.progbar import Progbar
from lamina.utils.py_dataset import PyDataset
from lamina.utils.rng_utils import set_random_seed

__all__ = ["Progbar", "PyDataset", "clear_session", "set_random_seed"]
