"""The numba kernels of ``window_max_pool``: max pooling over windows as wide as their strides, on
channels-last float32 arrays ``(batch, rows, columns, channels)``.

Each loops over channels innermost, where the data is contiguous, so LLVM vectorizes it. ``code`` holds
each output's winning position inside its window (``row * window_columns + column``), or ``DROPPED``.
Compiled on first use and cached on disk by numba; each splits the batch over numba's threads.
"""

from __future__ import annotations

import numba

DROPPED = 255  # the code of a window whose gradient is dropped: a ReLU'd maximum that is not positive


def _pool(x, pooled, code, window_rows, window_columns, relu):
    """``pooled``: each window's maximum (a NaN wins, as in torch), ``code``: where it is; with ``relu``,
    windows whose maximum is not positive get ``DROPPED`` (ReLU's gradient there is zero)."""
    rows, columns, channels = pooled.shape[1:]
    for n in numba.prange(pooled.shape[0]):
        for i in range(rows):
            for j in range(columns):
                best, where = pooled[n, i, j], code[n, i, j]
                best[:] = x[n, i * window_rows, j * window_columns]
                where[:] = 0
                for di in range(window_rows):
                    for dj in range(window_columns):
                        if di == 0 and dj == 0:
                            continue
                        candidate = x[n, i * window_rows + di, j * window_columns + dj]
                        for c in range(channels):
                            if candidate[c] > best[c] or candidate[c] != candidate[c]:
                                best[c] = candidate[c]
                                where[c] = di * window_columns + dj
                if relu:
                    for c in range(channels):
                        if best[c] <= 0:
                            where[c] = DROPPED


def _scatter(grad, code, grad_input, window_rows, window_columns):
    """``grad_input``: each window's gradient at its maximum and zero elsewhere, written once per element."""
    rows, columns, channels = grad.shape[1:]
    for n in numba.prange(grad.shape[0]):
        for i in range(rows):
            for j in range(columns):
                for di in range(window_rows):
                    for dj in range(window_columns):
                        here = di * window_columns + dj
                        out = grad_input[n, i * window_rows + di, j * window_columns + dj]
                        for c in range(channels):
                            out[c] = grad[n, i, j, c] if code[n, i, j, c] == here else 0.0
        grad_input[n, rows * window_rows:] = 0.0  # the rows and columns no window covers
        grad_input[n, :, columns * window_columns:] = 0.0


_jit = numba.njit(nogil=True, cache=True, parallel=True)
pool, scatter = _jit(_pool), _jit(_scatter)
