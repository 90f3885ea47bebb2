"""Keras 1 and Keras 2 code, as the tutorials of 2016-2018 wrote it: ``import lamina.legacy as keras``.

The module layout of Keras 1/2 (``keras.layers.core``, ``keras.models``, ``keras.backend`` as ``K``, ...)
over lamina's modern classes: old names and arguments are translated (each old spelling warns once with a
``DeprecationWarning`` naming the modern one), never implemented a second time. Keras 1's own definitions
are kept where they differ from Keras 3's (its ``hard_sigmoid`` is ``0.2 * x + 0.5``).
"""

from __future__ import annotations

import importlib

_SUBMODULES = ("activations", "backend", "callbacks", "constraints", "datasets", "initializations", "layers",
               "models", "objectives", "optimizers", "preprocessing", "regularizers", "utils")


def __getattr__(name: str):
    """Submodules load on first use, so ``import lamina.legacy`` costs nothing until old code touches it."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | set(_SUBMODULES))
