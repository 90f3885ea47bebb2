"""``sample``: draw the next index from a model's predicted distribution, with temperature, top-k and top-p.

This runs once per generated token on a handful of numbers, so it works on the host in NumPy (float64),
whatever engine produced the probabilities. The arithmetic stays in log space: zero probabilities become
``-inf`` (never drawn, never a NaN), and the temperature divides log-probabilities shifted so that the most
likely entry sits at 0, so no temperature, however small, overflows.
"""

from __future__ import annotations

import numbers

import numpy as np

from lamina import ops


def sample(probabilities, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
           seed: int | np.random.Generator | None = None):
    """Draw an index from a probability vector (or one per row of a 2-D batch).

    The probabilities are reweighted to ``p ** (1 / temperature)`` and renormalized; ``top_k`` then keeps the
    ``k`` most likely entries (ties broken by the lower index) and ``top_p`` the smallest set of most likely
    entries whose mass reaches ``top_p`` (nucleus sampling), both measured after the temperature. Entries
    with probability 0 are never drawn. The rows need not sum to 1 (they are normalized), but must be
    non-negative, finite and not all zero.

    Args:
        probabilities: shape ``(n,)`` or ``(batch, n)``; a NumPy array, list or engine tensor.
        temperature: ``>= 0``. Below 1 sharpens the distribution, above 1 flattens it; 0 takes the most
            likely index (argmax, the lower index on ties) without drawing.
        top_k: keep only the ``top_k`` most likely entries (an int >= 1), or None for all.
        top_p: keep the smallest set of most likely entries whose probability mass reaches ``top_p`` (a float
            in ``(0, 1]``), or None for all.
        seed: an int or a ``np.random.Generator`` for reproducible draws; None draws from NumPy's global
            generator, which ``lamina.utils.set_random_seed`` seeds.

    Returns:
        A Python int for a vector; a NumPy int64 array of shape ``(batch,)`` for a batch.

    Example:
        >>> sample([0.1, 0.0, 0.7, 0.2], temperature=0)
        2
        >>> sample([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]], top_k=1)
        array([0, 2])
        >>> sample([0.25, 0.25, 0.5], seed=0) == sample([0.25, 0.25, 0.5], seed=0)
        True
    """
    log_p, is_vector = _log_probabilities(probabilities)
    _check_options(temperature, top_k, top_p)
    if temperature == 0:
        choice = np.argmax(log_p, axis=-1)
    else:
        weights = np.exp((log_p - log_p.max(axis=-1, keepdims=True)) / temperature)
        weights = _truncate(weights, top_k, top_p)
        choice = _draw(weights, generator(seed))
    return int(choice[0]) if is_vector else choice


def _log_probabilities(probabilities) -> tuple[np.ndarray, bool]:
    """The input as a float64 ``(batch, n)`` array of log-probabilities (``-inf`` for zeros), validated, and
    whether it was a single vector."""
    p = np.asarray(ops.convert_to_numpy(probabilities), dtype=np.float64)
    if p.ndim not in (1, 2) or p.shape[-1] == 0:
        raise ValueError("Invalid value for argument `probabilities` of sample. Expected a non-empty 1-D vector or "
                         f"a 2-D batch of vectors. Received: probabilities of shape {p.shape}")
    is_vector = p.ndim == 1
    p = p.reshape(-1, p.shape[-1])
    if not np.all(np.isfinite(p)) or np.any(p < 0) or np.any(p.sum(axis=-1) <= 0):
        raise ValueError("Invalid value for argument `probabilities` of sample. Expected finite, non-negative "
                         "values with a positive sum in every row. Received: a row with NaN, inf, a negative "
                         "value or only zeros")
    with np.errstate(divide="ignore"):
        return np.log(p), is_vector


def _check_options(temperature, top_k, top_p) -> None:
    if not (isinstance(temperature, numbers.Real) and 0 <= temperature < np.inf):
        raise ValueError("Invalid value for argument `temperature` of sample. Expected a finite float >= 0. "
                         f"Received: temperature={temperature!r}")
    if top_k is not None and not (isinstance(top_k, numbers.Integral) and not isinstance(top_k, bool)
                                  and top_k >= 1):
        raise ValueError(f"Invalid value for argument `top_k` of sample. Expected an int >= 1 or None. "
                         f"Received: top_k={top_k!r}")
    if top_p is not None and not (isinstance(top_p, numbers.Real) and 0 < top_p <= 1):
        raise ValueError(f"Invalid value for argument `top_p` of sample. Expected a float in (0, 1] or None. "
                         f"Received: top_p={top_p!r}")


def _truncate(weights: np.ndarray, top_k: int | None, top_p: float | None) -> np.ndarray:
    """Zero every entry outside the top-k and the nucleus, per row."""
    if top_k is None and top_p is None:
        return weights
    order = np.argsort(-weights, axis=-1, kind="stable")  # most likely first, lower index first on ties
    ranked = np.take_along_axis(weights, order, axis=-1)
    keep = np.ones_like(ranked, dtype=bool)
    if top_k is not None:
        keep[:, top_k:] = False
    if top_p is not None:
        ranked = np.where(keep, ranked, 0.0)
        mass_before = (np.cumsum(ranked, axis=-1) - ranked) / ranked.sum(axis=-1, keepdims=True)
        keep &= mass_before < top_p  # the most likely entry is always kept (mass before it is 0)
    kept = np.zeros_like(keep)
    np.put_along_axis(kept, order, keep, axis=-1)
    return np.where(kept, weights, 0.0)


def generator(seed):
    """What ``seed`` draws from: something with ``.random(n)``, a Generator or the ``np.random`` module (the
    global state)."""
    if seed is None:
        return np.random
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return np.random.default_rng(int(seed))
    raise TypeError("Invalid value for argument `seed` of sample. Expected an int, a numpy.random.Generator or "
                    f"None. Received: seed={seed!r}")


def _draw(weights: np.ndarray, rng) -> np.ndarray:
    """One index per row, with probability proportional to ``weights``; zero weights are never drawn."""
    cumulative = np.cumsum(weights, axis=-1)
    u = rng.random(len(weights)) * cumulative[:, -1]
    choice = (cumulative <= u[:, None]).sum(axis=-1)
    last_possible = weights.shape[-1] - 1 - np.argmax(weights[:, ::-1] > 0, axis=-1)
    return np.minimum(choice, last_possible)  # u rounding up to the total must not step past the support
