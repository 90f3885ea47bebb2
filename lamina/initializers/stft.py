"""STFT: convolution kernels that compute one side (real or imaginary) of a short-time Fourier transform."""

from __future__ import annotations

import numpy as np

from lamina import ops
from lamina.backend.common.dtypes import standardize_dtype
from lamina.initializers.initializer import Initializer

_SIDES = ("real", "imag")
_SCALINGS = ("density", "spectrum")


def _named_window(name: str, length: int, periodic: bool) -> np.ndarray:
    """A window of ``scipy.signal.windows`` by name (imported here: SciPy costs import time only when used)."""
    from scipy import signal

    return np.asarray(signal.get_window(name, length, fftbins=periodic), dtype="float64")


class STFT(Initializer):
    """Kernels of shape ``(T, 1, F // 2 + 1)`` for a ``Conv1D`` that computes a short-time Fourier transform:
    ``kernel[t, 0, f] = cos(-2 pi t f / F)`` (``side="real"``) or ``sin(...)`` (``side="imag"``), with the
    window applied along ``t`` and divided by its L2 norm (``scaling="density"``) or its sum
    (``"spectrum"``). Only the first ``F // 2 + 1`` frequencies are kept: the others are their conjugates.

    Args:
        side: ``"real"`` or ``"imag"``: which part of the transform the kernel computes.
        window: the name of a ``scipy.signal.windows`` window (``"hann"``, ``"hamming"``, ...), an array of
            ``T`` values, or None for no window.
        scaling: ``"density"``, ``"spectrum"`` or None (no scaling); applies only with a window.
        periodic: use the periodic form of a named window (for spectral analysis) instead of the
            symmetric one.

    Example:
        >>> kernel = STFT("real", "hann")(shape=(16, 1, 9))
        >>> tuple(ops.shape(kernel))
        (16, 1, 9)
    """

    def __init__(self, side: str = "real", window="hann", scaling: str | None = "density", periodic: bool = False):
        if side not in _SIDES:
            raise ValueError(f"Invalid value for argument `side` of STFT. Expected one of {_SIDES}. "
                             f"Received: side={side!r}")
        if scaling is not None and scaling not in _SCALINGS:
            raise ValueError(f"Invalid value for argument `scaling` of STFT. Expected None or one of {_SCALINGS}. "
                             f"Received: scaling={scaling!r}")
        if isinstance(window, str):
            _named_window(window, 1, periodic)  # an unknown name fails here, not at the first call
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        if len(shape) != 3:
            raise ValueError(f"STFT kernels have shape (frame_length, input_channels, fft_length // 2 + 1). "
                             f"Received: shape={tuple(shape)}")
        frame_length, _, bins = shape
        fft_length = 2 * (bins - 1)
        angles = -2 * np.pi * np.outer(np.arange(frame_length), np.arange(bins)) / fft_length
        kernel = (np.cos if self.side == "real" else np.sin)(angles)[:, None, :]
        if self.window is not None:
            window = self.window
            window = (_named_window(window, frame_length, self.periodic) if isinstance(window, str)
                      else np.asarray(window, dtype="float64"))
            if window.shape != (frame_length,):
                raise ValueError(f"The shape of `window` must be (frame_length,) = ({frame_length},). "
                                 f"Received: window shape={window.shape}")
            kernel = kernel * window[:, None, None]
            if self.scaling == "density":
                kernel = kernel / np.sqrt(np.sum(window**2))
            elif self.scaling == "spectrum":
                kernel = kernel / np.sum(np.abs(window))
        return ops.convert_to_tensor(kernel, dtype=standardize_dtype(dtype))

    def get_config(self) -> dict:
        window = self.window if self.window is None or isinstance(self.window, str) else list(self.window)
        return {"side": self.side, "window": window, "periodic": self.periodic, "scaling": self.scaling}
