"""Torch implementations of ``lamina.random``.

Every function takes ``seed``: the engine seed array ``[seed, counter]`` that ``lamina.random`` draws (from
an int, a ``SeedGenerator`` or the global generator). Each call builds its own ``torch.Generator`` from it,
so the result depends on the seed alone, never on torch's global RNG state. Seed arrays live on the CPU:
reading them costs no device synchronisation.
"""

from __future__ import annotations

import math

import torch

from lamina.backend.torch.core import DEVICE, convert_to_tensor, to_torch_dtype
from lamina.backend.torch.numpy import _tensor

SEED_DTYPE = "int64"
_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
_SEED_STEP = torch.tensor([0, 1], dtype=torch.int64)


def make_seed_state(seed: int) -> torch.Tensor:
    """The initial state ``[seed, 0]`` of a seed generator, on the CPU."""
    return torch.tensor([seed, 0], dtype=torch.int64)


def split_seed_state(state) -> tuple:
    """``(seed, next_state)``: a copy of the state to draw with now, and the state with its counter moved on."""
    state = convert_to_tensor(state)
    return state.clone(), state + _SEED_STEP


def set_engine_seed(seed: int) -> None:
    """Seed torch's own global generators (for torch code outside lamina)."""
    torch.manual_seed(seed)


def _mix(first: int, second: int) -> int:
    """Hash a seed pair to one 64-bit seed (splitmix64 finaliser), so nearby pairs give unrelated streams."""
    x = ((first & _MASK32) << 32) | (second & _MASK32)
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def _generator(seed) -> torch.Generator:
    first, second = (int(v) for v in convert_to_tensor(seed).tolist())
    generator = torch.Generator(device=DEVICE)
    generator.manual_seed(_mix(first, second))
    return generator


def _work_dtype(dtype) -> torch.dtype:
    """Sample in float32 (float64 when asked for it); narrower floats are cast afterwards."""
    return torch.float64 if to_torch_dtype(dtype) == torch.float64 else torch.float32


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    sample = torch.randn(tuple(shape), generator=_generator(seed), dtype=_work_dtype(dtype), device=DEVICE)
    return (sample * stddev + mean).to(to_torch_dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype="float32", seed=None):
    sample = torch.rand(tuple(shape), generator=_generator(seed), dtype=_work_dtype(dtype), device=DEVICE)
    return (sample * (maxval - minval) + minval).to(to_torch_dtype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None):
    """Normal samples kept within two standard deviations, by inverting the CDF on the kept interval."""
    low = 0.5 * (1.0 + math.erf(-2.0 / math.sqrt(2.0)))
    u = torch.rand(tuple(shape), generator=_generator(seed), dtype=_work_dtype(dtype), device=DEVICE)
    u = low + u * (1.0 - 2.0 * low)
    sample = torch.clamp(math.sqrt(2.0) * torch.special.erfinv(2.0 * u - 1.0), -2.0, 2.0)
    return (sample * stddev + mean).to(to_torch_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return torch.randint(int(minval), int(maxval), tuple(shape), generator=_generator(seed),
                         dtype=to_torch_dtype(dtype), device=DEVICE)


def categorical(logits, num_samples, dtype="int32", seed=None):
    probabilities = torch.softmax(_tensor(logits).float(), dim=-1)
    samples = torch.multinomial(probabilities, num_samples, replacement=True, generator=_generator(seed))
    return samples.to(to_torch_dtype(dtype))


def _kept(seed, keep: float, shape: tuple, device) -> torch.Tensor:
    """Bernoulli(``keep``) draws of ``shape`` as a bool mask, from 16 random bits each (``keep`` resolved
    to 1/65536, as on JAX).

    One full-range 64-bit draw gives four entries: 0.3 ms for the (128, 1600) mask of
    ``bench/image_cnn.py`` against 0.7 ms for ``rand(...) < keep`` (which draws a float per entry), 4.9 ms
    against 6.2 ms for the (128, 400, 32) one of ``bench/char_cnn.py``.
    """
    size = math.prod(shape)
    threshold = round(keep * 65536) - 32768  # an int16 draw below it keeps its entry
    if threshold > 32767:
        return torch.ones(shape, dtype=torch.bool, device=device)
    words = torch.empty((size + 3) // 4, dtype=torch.int64, device=device)
    words.random_(-2 ** 63, 2 ** 63 - 1, generator=_generator(seed))
    return words.view(torch.int16)[:size].view(shape) < threshold


def dropout(inputs, rate, noise_shape, seed=None):
    """``inputs`` with entries zeroed at probability ``rate`` and the rest scaled by ``1 / (1 - rate)``."""
    x = _tensor(inputs)
    keep = 1.0 - rate
    mask = _kept(seed, keep, tuple(noise_shape), x.device).to(x.dtype)
    if keep > 0:
        mask.mul_(1.0 / keep)
    return x * mask


def shuffle(x, axis=0, seed=None):
    x = _tensor(x)
    order = torch.randperm(x.shape[axis], generator=_generator(seed), device=DEVICE)
    return x.index_select(axis, order.to(x.device))


def _gamma(shape, alpha, generator, work) -> torch.Tensor:
    """Marsaglia-Tsang rejection sampling, vectorised: redraw only where a sample was rejected.

    ``alpha < 1`` samples ``Gamma(alpha + 1)`` and scales by ``U ** (1 / alpha)``.
    """
    alpha = torch.broadcast_to(convert_to_tensor(alpha).to(work), shape)
    boosted = alpha < 1
    d = torch.where(boosted, alpha + 1, alpha) - 1.0 / 3.0
    c = 1.0 / torch.sqrt(9.0 * d)
    result = torch.zeros(shape, dtype=work, device=DEVICE)
    pending = torch.ones(shape, dtype=torch.bool, device=DEVICE)
    while bool(pending.any()):
        z = torch.randn(shape, generator=generator, dtype=work, device=DEVICE)
        u = torch.rand(shape, generator=generator, dtype=work, device=DEVICE)
        v = (1.0 + c * z) ** 3
        accepted = pending & (v > 0) & (torch.log(u) < 0.5 * z * z + d - d * v + d * torch.log(v))
        result = torch.where(accepted, d * v, result)
        pending = pending & ~accepted
    u = torch.rand(shape, generator=generator, dtype=work, device=DEVICE)
    return torch.where(boosted, result * u ** (1.0 / alpha), result)


def gamma(shape, alpha, dtype="float32", seed=None):
    sample = _gamma(tuple(shape), alpha, _generator(seed), _work_dtype(dtype))
    return sample.to(to_torch_dtype(dtype))


def beta(shape, alpha, beta, dtype="float32", seed=None):
    generator, work = _generator(seed), _work_dtype(dtype)
    x = _gamma(tuple(shape), alpha, generator, work)
    y = _gamma(tuple(shape), beta, generator, work)
    return (x / (x + y)).to(to_torch_dtype(dtype))


def binomial(shape, counts, probabilities, dtype="float32", seed=None):
    work = _work_dtype(dtype)
    counts = torch.broadcast_to(convert_to_tensor(counts).to(work), tuple(shape))
    probabilities = torch.broadcast_to(convert_to_tensor(probabilities).to(work), tuple(shape))
    sample = torch.binomial(counts, probabilities, generator=_generator(seed))
    return sample.to(to_torch_dtype(dtype))
