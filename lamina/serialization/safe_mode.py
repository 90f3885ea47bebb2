"""Safe mode: whether deserialization may run code stored in a config (a ``Lambda``'s marshalled bytecode).

On by default. ``load_model(..., safe_mode=False)`` and ``deserialize_keras_object(..., safe_mode=False)``
turn it off for one call through ``safe_mode_scope``; ``lamina.config.enable_unsafe_deserialization()``
turns it off for the whole process.
"""

from __future__ import annotations

import contextlib
import threading

from lamina import config

_state = threading.local()


def in_safe_mode() -> bool:
    """True unless the innermost ``safe_mode_scope`` or the process-wide switch turned safe mode off."""
    return getattr(_state, "safe_mode", True) and not config.unsafe_deserialization_enabled()


@contextlib.contextmanager
def safe_mode_scope(safe_mode: bool):
    """Deserialize in the block with ``safe_mode`` (restored afterwards, per thread)."""
    previous = getattr(_state, "safe_mode", True)
    _state.safe_mode = bool(safe_mode)
    try:
        yield
    finally:
        _state.safe_mode = previous
