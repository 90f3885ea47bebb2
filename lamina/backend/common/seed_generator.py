"""Seeds for random ops: ``SeedGenerator`` (state in a Variable) and the global generator.

Random ops are stateless: the values depend only on the seed they are given. A ``SeedGenerator`` keeps a
``[seed, counter]`` state in a non-trainable Variable; each ``next()`` returns the current state and moves
the counter on, so successive draws differ, the state can be saved, and a jitted step can thread it
through as an input and an output (inside a ``StatelessScope`` the assignment is recorded, not applied).

It lives in the backend floor so that every random op, in ``lamina.ops`` (``elastic_transform``) as in
``lamina.random``, draws ``seed=None`` from the same global generator; ``lamina.random`` publishes it.
"""

from __future__ import annotations

import numbers
import random as _python_random

from lamina import backend
from lamina.backend.common.naming import uniquify
from lamina.backend.common.scopes import get_stateless_scope

_global_generator = None


def make_default_seed() -> int:
    """A seed drawn from Python's ``random`` (itself seeded by ``set_random_seed``)."""
    return _python_random.randint(1, int(1e9))


class SeedGenerator:
    """Generates a new seed on each call to a random op, from a state stored in a Variable.

    Args:
        seed: the initial seed (an int); None draws one from Python's ``random``.
        name: the name of the generator, used as the name scope of its state variable.

    Example:
        >>> seed_gen = SeedGenerator(42)
        >>> a = lamina.random.normal((2, 3), seed=seed_gen)
        >>> b = lamina.random.normal((2, 3), seed=seed_gen)  # differs from `a`
    """

    def __init__(self, seed: int | None = None, name: str | None = None):
        if seed is None:
            seed = make_default_seed()
        elif not _is_int(seed):
            raise ValueError(f"Invalid value for argument `seed` of SeedGenerator. Expected an int or None. "
                             f"Received: seed={seed!r}")
        self._initial_seed = int(seed)
        self.name = name or uniquify("seed_generator")
        with backend.name_scope(self.name):
            self.state = backend.Variable(backend.random.make_seed_state(self._initial_seed),
                                          dtype=backend.random.SEED_DTYPE, trainable=False,
                                          name="seed_generator_state")

    def next(self, ordered: bool = True):
        """The current seed (an engine array of two ints); the state moves on to the next one.

        ``ordered`` is accepted for Keras compatibility; draws are always ordered here.
        """
        seed, next_state = backend.random.split_seed_state(self.state.value)
        self.state.assign(next_state)
        return seed

    def get_config(self) -> dict:
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name}, seed={self._initial_seed}>"


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def global_seed_generator() -> SeedGenerator:
    """The generator used by random ops called with ``seed=None``."""
    global _global_generator
    if _global_generator is None:
        _global_generator = SeedGenerator(name="global_seed_generator")
    return _global_generator


def reset_global_seed_generator(seed: int | None = None) -> None:
    """Restart the global generator from ``seed`` (None: a seed from Python's ``random``)."""
    global _global_generator
    _global_generator = SeedGenerator(seed, name="global_seed_generator")


def draw_seed(seed):
    """The engine seed array for one random op call, from None, an int or a ``SeedGenerator``."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if seed is None:
        generator = global_seed_generator()
        scope = get_stateless_scope()
        if scope is not None and scope.get_current_value(generator.state) is None:
            raise ValueError(
                "A random op with `seed=None` ran inside a compiled (stateless) step: the global seed state "
                "cannot advance there, so every step would draw the same numbers. Pass `seed=` an int or, "
                "for new numbers on every call, a `lamina.random.SeedGenerator` created in the layer's "
                "`__init__` (as Dropout does)."
            )
        return generator.next()
    if _is_int(seed):
        return backend.random.make_seed_state(int(seed))
    raise ValueError("Invalid value for argument `seed`. Expected None, an int or a SeedGenerator. "
                     f"Received: seed={seed!r}")
