"""The engine seam: picks the tensor engine once, by name, and exposes its modules.

Every engine is a package offering the same modules (``core``, ``numpy``, ``nn``, ``math``, ``linalg``,
``random``, ``image``, ``rnn``, ``optimizer``, ``step``). Nothing outside ``lamina/backend/<engine>/`` imports
an engine library.
"""

from __future__ import annotations

import importlib

from lamina import config
from lamina.backend.common import dtypes, naming
from lamina.backend.common.dtypes import result_type, standardize_dtype
from lamina.backend.common.scopes import StatelessScope, name_scope
from lamina.backend.common.symbolic import KerasHistory, SymbolicTensor, is_symbolic

ENGINES = {"torch": "lamina.backend.torch", "jax": "lamina.backend.jax"}


def _load(name: str):
    if name not in ENGINES:
        raise ValueError(
            f"Unknown engine {name!r} (from LAMINA_BACKEND or lamina.json). Available: {sorted(ENGINES)}"
        )
    return importlib.import_module(ENGINES[name])


engine = _load(config.backend())
core = engine.core
numpy = engine.numpy
nn = engine.nn
math = engine.math
linalg = engine.linalg
random = engine.random
image = engine.image
rnn = engine.rnn

Variable = core.Variable
Tensor = core.Tensor
LayerBase = engine.LayerBase
convert_to_tensor = core.convert_to_tensor
convert_to_numpy = core.convert_to_numpy
is_tensor = core.is_tensor
floatx = config.floatx
epsilon = config.epsilon
image_data_format = config.image_data_format
set_floatx = config.set_floatx
set_epsilon = config.set_epsilon
set_image_data_format = config.set_image_data_format
KerasTensor = SymbolicTensor


def clear_session() -> None:
    """Forget the names handed out so far, so new layers are named ``dense``, ``dense_1``, ... again."""
    naming.reset_names()


def backend() -> str:
    """The name of the running engine."""
    return core.NAME


def is_keras_tensor(x) -> bool:
    return isinstance(x, SymbolicTensor)


def is_float_dtype(dtype) -> bool:
    return dtypes.is_float(dtype)


def is_int_dtype(dtype) -> bool:
    return dtypes.is_int(dtype)


__all__ = [
    "ENGINES", "engine", "core", "numpy", "nn", "math", "linalg", "random", "Variable", "Tensor",
    "LayerBase", "convert_to_tensor", "convert_to_numpy", "is_tensor", "backend", "floatx", "epsilon",
    "image_data_format", "set_floatx", "set_epsilon", "set_image_data_format", "result_type",
    "standardize_dtype", "StatelessScope", "name_scope", "KerasHistory", "SymbolicTensor", "KerasTensor",
    "is_symbolic", "is_keras_tensor", "is_float_dtype", "is_int_dtype", "clear_session",
]
