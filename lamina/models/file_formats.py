"""The file formats ``Model.save``, ``save_weights``, ``load_weights``, ``to_json`` and ``to_yaml`` write and read.

They live in ``lamina.saving``, a floor above the models; it registers its functions here when imported
(``import lamina`` imports it), so the models never import upwards.
"""

from __future__ import annotations

from collections.abc import Callable

_FUNCTIONS: dict[str, Callable] = {}


def register(**functions: Callable) -> None:
    """Called by ``lamina.saving``: ``register(save_model=..., load_weights=..., ...)``."""
    _FUNCTIONS.update(functions)


def get(name: str) -> Callable:
    """The registered function ``name``; an error says what to import when ``lamina.saving`` was not."""
    try:
        return _FUNCTIONS[name]
    except KeyError:
        raise RuntimeError(f"No file format provides `{name}`: import `lamina` (or `lamina.saving`) first.") from None
