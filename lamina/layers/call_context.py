"""The state of the layer call in progress: the ``training`` flag nested layers inherit, and call depth.

The outermost layer call opens the context; layers called inside it (in ``call`` of a model or of a
custom layer) read ``training`` from it unless they are given one explicitly.
"""

from __future__ import annotations

import threading


class _CallState(threading.local):
    def __init__(self):
        self.training = None
        self.depth = 0


state = _CallState()


class enter:
    """Context manager for one layer call: sets ``training`` for the calls nested inside it."""

    __slots__ = ("training", "_saved")

    def __init__(self, training):
        self.training = training

    def __enter__(self):
        self._saved = state.training
        state.training = self.training
        state.depth += 1
        return state

    def __exit__(self, *exc):
        state.training = self._saved
        state.depth -= 1
