"""Keras 1/2 optimizers: the modern classes with Keras 1's arguments and defaults.

``SGD(lr=0.01, momentum=0.9, decay=1e-6, nesterov=True)`` is ``lamina.optimizers.SGD`` with
``learning_rate=InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6)``: Keras 1 scaled the rate of update
``t`` (counted from 0) by ``1 / (1 + decay * t)``. Keras 1's ``clipnorm`` clipped the global norm of all
gradients together (Keras 3's ``global_clipnorm``). Keras 1's defaults are kept where they differ from Keras 3's:
epsilon 1e-8; Adagrad and Adadelta learning rates 0.01 and 1.0 and Adagrad's accumulators starting at 0;
Adamax and Nadam learning rate 0.002; Nadam's momentum schedule ``0.96 ** (t * schedule_decay)``.

Epsilon placement: Keras 1's RMSprop and Adagrad divided by ``sqrt(a) + epsilon``, Keras 3's by
``sqrt(a + epsilon)``. The modern rule is kept (no second implementation of the update): the two differ by
less than ``epsilon`` = 1e-8 in the denominator, far below float32 resolution unless the accumulated squared
gradient itself is below about 1e-12. Adam, Adamax and Nadam place epsilon as Keras 1 did.
"""

from __future__ import annotations

from lamina import optimizers
from lamina.legacy.deprecation import warn_old_spelling
from lamina.optimizers.schedules import InverseTimeDecay


class _Keras1Arguments:
    """Mixed in before a modern optimizer: translates Keras 1/2 arguments, then calls the modern constructor.

    Subclasses give ``keras1_positional`` (Keras 1's parameter order) and ``keras1_defaults`` (Keras 1's defaults, in
    Keras 3 spelling, where they differ)."""

    keras1_positional: tuple = ()
    keras1_defaults: dict = {}

    def __init__(self, *args, **kwargs):
        if len(args) > len(self.keras1_positional):
            raise TypeError(f"{type(self).__name__} takes at most {len(self.keras1_positional)} positional arguments "
                            f"({', '.join(self.keras1_positional)}). Received: {len(args)}")
        kwargs.update(zip(self.keras1_positional, args))
        if "lr" in kwargs:
            warn_old_spelling(f"{type(self).__name__}(lr=...)", f"{type(self).__name__}(learning_rate=...)")
            kwargs["learning_rate"] = kwargs.pop("lr")
        kwargs = {**self.keras1_defaults, **kwargs}
        decay = kwargs.pop("decay", None)
        if decay is not None:
            warn_old_spelling("decay=...", "learning_rate=InverseTimeDecay(rate, decay_steps=1, decay_rate=decay)")
            if decay:
                kwargs["learning_rate"] = InverseTimeDecay(kwargs["learning_rate"], decay_steps=1, decay_rate=decay)
        if kwargs.get("clipnorm") is not None:
            warn_old_spelling("clipnorm=... (Keras 1/2: the norm of all gradients together)", "global_clipnorm=...")
            kwargs["global_clipnorm"] = kwargs.pop("clipnorm")
        super().__init__(**kwargs)

    @property
    def lr(self):
        """Keras 1's name of ``learning_rate`` (``K.set_value(optimizer.lr, 0.01)`` works on it)."""
        return self.learning_rate

    @lr.setter
    def lr(self, value):
        self.learning_rate = value


class SGD(_Keras1Arguments, optimizers.SGD):
    """``SGD(lr=0.01, momentum=0.0, decay=0.0, nesterov=False)``."""

    keras1_positional = ("learning_rate", "momentum", "decay", "nesterov")


class RMSprop(_Keras1Arguments, optimizers.RMSprop):
    """``RMSprop(lr=0.001, rho=0.9, epsilon=1e-8, decay=0.0)``."""

    keras1_positional = ("learning_rate", "rho", "epsilon", "decay")
    keras1_defaults = {"epsilon": 1e-8}


class Adagrad(_Keras1Arguments, optimizers.Adagrad):
    """``Adagrad(lr=0.01, epsilon=1e-8, decay=0.0)``; the accumulators start at 0 as in Keras 1."""

    keras1_positional = ("learning_rate", "epsilon", "decay")
    keras1_defaults = {"learning_rate": 0.01, "epsilon": 1e-8, "initial_accumulator_value": 0.0}


class Adadelta(_Keras1Arguments, optimizers.Adadelta):
    """``Adadelta(lr=1.0, rho=0.95, epsilon=1e-8, decay=0.0)``."""

    keras1_positional = ("learning_rate", "rho", "epsilon", "decay")
    keras1_defaults = {"learning_rate": 1.0, "epsilon": 1e-8}


class Adam(_Keras1Arguments, optimizers.Adam):
    """``Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, decay=0.0)``."""

    keras1_positional = ("learning_rate", "beta_1", "beta_2", "epsilon", "decay")
    keras1_defaults = {"epsilon": 1e-8}


class Adamax(_Keras1Arguments, optimizers.Adamax):
    """``Adamax(lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8, decay=0.0)``."""

    keras1_positional = ("learning_rate", "beta_1", "beta_2", "epsilon", "decay")
    keras1_defaults = {"learning_rate": 0.002, "epsilon": 1e-8}


class Nadam(_Keras1Arguments, optimizers.Nadam):
    """``Nadam(lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8, schedule_decay=0.004)``: Keras 1/2's momentum
    schedule ``u_t = beta_1 * (1 - 0.5 * 0.96 ** (t * schedule_decay))`` (Keras 3 dropped ``schedule_decay``)."""

    keras1_positional = ("learning_rate", "beta_1", "beta_2", "epsilon", "schedule_decay")
    keras1_defaults = {"learning_rate": 0.002, "epsilon": 1e-8}
    _hyperparameters = optimizers.Nadam._hyperparameters + ("schedule_decay",)

    def __init__(self, *args, schedule_decay: float = 0.004, **kwargs):
        if len(args) == len(self.keras1_positional):
            *args, schedule_decay = args
        self.schedule_decay = schedule_decay
        self._momentum_decay = 0.96 ** schedule_decay
        super().__init__(*args, **kwargs)


def get(identifier):
    """An optimizer from a name (``"sgd"``, ``"rmsprop"``, ...: the classes above, with Keras 1's defaults),
    a config or an instance."""
    if isinstance(identifier, str) and identifier.lower() in KERAS1_OPTIMIZERS:
        return KERAS1_OPTIMIZERS[identifier.lower()]()
    return optimizers.get(identifier)


KERAS1_OPTIMIZERS = {cls.__name__.lower(): cls for cls in (SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam)}
