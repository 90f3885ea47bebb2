"""The one warning every Keras 1/2 spelling gives: what was written, and the modern spelling to use."""

from __future__ import annotations

import warnings


def warn_old_spelling(old: str, modern: str, stacklevel: int = 3) -> None:
    """Warn (``DeprecationWarning``) that ``old`` is a Keras 1/2 spelling, naming ``modern``, e.g.
    ``warn_old_spelling("Dense(output_dim=...)", "Dense(units=...)")``. Python shows each distinct message
    once per call site."""
    warnings.warn(f"`{old}` is Keras 1/2 spelling; the modern spelling is `{modern}`.", DeprecationWarning,
                  stacklevel=stacklevel)
