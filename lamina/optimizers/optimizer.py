"""The Optimizer base: Keras 3's arguments and state, with every variable's update done in one fused pass.

An optimizer's math is written once, in ``multi_update_step(grads, variables, learning_rate)``, on the
engine's multi-tensor vocabulary (``lamina.backend.engine.optimizer``, here ``fused``): each line updates all
variables at once (one ``torch._foreach_*`` kernel on torch). Scalars (learning rate, bias corrections)
are 0-d tensors computed with ``lamina.ops``, so a step never waits on the device.

User optimizers written the Keras way (a per-variable ``update_step(gradient, variable, learning_rate)``)
also work: the default ``multi_update_step`` calls it for each variable.
"""

from __future__ import annotations

import inspect
import re
import warnings

from lamina import backend, initializers, ops
from lamina.optimizers import schedules
from lamina.optimizers.schedules import LearningRateSchedule

fused = backend.engine.optimizer


class Optimizer:
    """Base class of the optimizers.

    Args:
        learning_rate: a float, a ``LearningRateSchedule``, or a callable of no arguments returning the rate.
            The old name ``lr`` is accepted.
        weight_decay: if set, decoupled weight decay: ``variable -= learning_rate * weight_decay * variable``
            before each update (see ``exclude_from_weight_decay``).
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element into ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together so that their joint L2 norm is at most this value.
        use_ema: keep an exponential moving average of the variables (``finalize_variable_values`` copies
            it into them).
        ema_momentum: the moving average's momentum.
        ema_overwrite_frequency: copy the average into the variables every this many steps.
        loss_scale_factor: gradients are divided by it (``scale_loss`` multiplies the loss by it).
        gradient_accumulation_steps: sum the gradients of this many calls, then update with their mean.
        name: the optimizer's name, prefix of its variables' paths.

    Subclasses list their own constructor arguments in ``_hyperparameters`` (they join ``get_config``).
    """

    _hyperparameters: tuple = ()

    def __init__(self, learning_rate, weight_decay: float | None = None, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        if "lr" in kwargs:
            learning_rate = kwargs.pop("lr")
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.", stacklevel=2)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if gradient_accumulation_steps is not None and not gradient_accumulation_steps >= 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. "
                             f"Received: gradient_accumulation_steps={gradient_accumulation_steps}")
        if use_ema and not 0 <= ema_momentum <= 1:
            raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}")
        if use_ema and ema_overwrite_frequency and (
                not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1):
            raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. "
                             f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
        if sum(arg is not None for arg in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                             f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
        self.name = name or backend.naming.uniquify(backend.naming.to_snake_case(type(self).__name__))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._index = {}
        self._exclude_ids = set()
        self._exclude_pattern = None
        self._decays = {}  # id(variable) -> whether weight decay applies to it
        # Keras' "int": int32 on its torch and jax backends, so the saved state has Keras' dtype.
        self._iterations = self.add_variable((), dtype="int32", name="iteration")
        self._learning_rate = self._track_learning_rate(learning_rate)

    # -- state ----------------------------------------------------------------------------------
    def _track_learning_rate(self, learning_rate):
        """A schedule or callable as is; a number as a float Variable named ``learning_rate``."""
        if isinstance(learning_rate, LearningRateSchedule) or callable(learning_rate):
            return learning_rate
        try:
            value = float(learning_rate)
        except (TypeError, ValueError):
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, or a callable "
                f"(that takes in the current iteration value and returns the corresponding learning rate value). "
                f"Received instead: learning_rate={learning_rate!r}"
            ) from None
        return self.add_variable((), initializers.Constant(value), dtype=backend.floatx(), name="learning_rate")

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation: str = "mean",
                     name: str | None = None):
        """A new non-trainable state Variable, tracked in ``variables``, under the optimizer's name scope."""
        with backend.name_scope(self.name):
            variable = backend.Variable(initializers.get(initializer), shape=shape, dtype=dtype, trainable=False,
                                        aggregation=aggregation, name=name)
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name: str | None = None, initializer="zeros"):
        """A state Variable shaped like ``reference_variable``, named ``<its path with _>_<name>`` as Keras."""
        name = reference_variable.path.replace("/", "_") + "_" + (name or "var")
        return self.add_variable(reference_variable.shape, initializer, dtype=reference_variable.dtype, name=name)

    def add_optimizer_variables(self, variables, name: str | list, initializer="zeros"):
        """One state Variable per model variable (e.g. Adam's ``momentum``), in the variables' order.

        ``name`` may be a list of names (and ``initializer`` a list of the same length, or one initializer
        for all): then a tuple of lists, one per name, is returned. As in Keras 3, the variables are created
        interleaved (all names for the first model variable, then for the second, ...): that is the order
        of ``variables`` and so of the saved state.
        """
        names = [name] if isinstance(name, str) else list(name)
        per_name = list(initializer) if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        if len(per_name) != len(names):
            raise ValueError("The number of provided names must match the number of provided initializers. "
                             f"Received name={name!r}, initializer={initializer!r}")
        created = tuple([] for _ in names)
        for variable in variables:
            for slots, one_name, one_initializer in zip(created, names, per_name):
                slots.append(self.add_variable_from_reference(variable, one_name, one_initializer))
        return created[0] if isinstance(name, str) else created

    def build(self, variables) -> None:
        """Create the state for ``variables``; subclasses add theirs after calling this."""
        variables = list(variables)
        self._index = {id(variable): i for i, variable in enumerate(variables)}
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(variables, "gradient_accumulator")
        self._trainable_variables = variables
        self.built = True

    @property
    def variables(self) -> list:
        """All the optimizer's state (iterations, learning rate, slots), in creation order."""
        return self._variables[:]

    @property
    def iterations(self):
        """The number of updates applied (with gradient accumulation: of accumulated updates)."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    @property
    def learning_rate(self):
        """The current rate: the learning-rate Variable, or the schedule's value at this step."""
        if isinstance(self._learning_rate, LearningRateSchedule):
            return self._learning_rate(self._iterations)
        if callable(self._learning_rate) and not isinstance(self._learning_rate, backend.Variable):
            return self._learning_rate()
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        if isinstance(learning_rate, LearningRateSchedule) or callable(learning_rate):
            if isinstance(self._learning_rate, backend.Variable):
                self._variables.remove(self._learning_rate)
            self._learning_rate = learning_rate
        elif isinstance(self._learning_rate, backend.Variable):
            self._learning_rate.assign(learning_rate)
        else:
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
                "constructor argument, hence its learning rate is not settable. If you need the learning rate "
                "to be settable, you should instantiate the optimizer with a float `learning_rate` argument."
            )

    def _learning_rate_tensor(self):
        rate = self.learning_rate
        return rate.value if isinstance(rate, backend.Variable) else ops.convert_to_tensor(rate)

    def _local_step(self, dtype: str = "float32"):
        """``iterations + 1`` as a float tensor: the 1-based number of the update being made."""
        return ops.cast(ops.add(self.iterations, 1), dtype)

    def _state_of(self, state: list, variables: list) -> list:
        """The entries of a per-variable state list that belong to ``variables``."""
        if variables is self._trainable_variables:
            return state
        return [state[self._index[id(variable)]] for variable in variables]

    # -- applying gradients ---------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """``apply`` on ``(gradient, variable)`` pairs; returns ``iterations``."""
        grads, variables = zip(*grads_and_vars)
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None) -> None:
        """Update ``trainable_variables`` (default: those the optimizer was built on) from ``grads``.

        Variables whose gradient is None are skipped. Builds the optimizer on first use.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("When passing `grads` without `variables`, the optimizer must already be built on "
                                 "a list of variables. Call `optimizer.build(trainable_variables)` first.")
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
            if not self.built:
                self.build(variables)
        if len(grads) != len(variables):
            raise ValueError(f"Optimizer '{self.name}': expected one gradient per variable ({len(variables)}). "
                             f"Received {len(grads)} gradients.")
        grads, variables = self._known_with_gradients(grads, variables)
        if self.loss_scale_factor is not None:
            grads = fused.mul(grads, 1.0 / self.loss_scale_factor)
        with fused.no_grad():
            self._apply(grads, variables)
            for variable in variables:
                if variable.constraint is not None:
                    variable.assign(variable.constraint(variable))

    def _known_with_gradients(self, grads: list, variables: list) -> tuple:
        """Drop variables without a gradient, check the rest are known, and cast gradients to their dtype."""
        index = self._index
        keep_all = True
        for grad, variable in zip(grads, variables):
            if id(variable) not in index:
                raise ValueError(f"Unknown variable: {variable.path}. This optimizer can only be called for the "
                                 "variables it was originally built with. When working with a new set of "
                                 "variables, you should recreate a new optimizer instance.")
            keep_all = keep_all and grad is not None
        if not keep_all:
            pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
            if not pairs:
                raise ValueError("No gradients provided for any variable.")
            missing = [v.name for g, v in zip(grads, variables) if g is None]
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss. If using "
                          "`model.compile()`, did you forget to provide a `loss` argument?", stacklevel=3)
            grads, variables = [g for g, _ in pairs], [v for _, v in pairs]
        elif len(variables) == len(self._trainable_variables) and all(
                a is b for a, b in zip(variables, self._trainable_variables)):
            variables = self._trainable_variables  # lets `_state_of` hand out whole state lists
        is_tensor, get_dtype = backend.is_tensor, backend.core.get_dtype
        grads = [g if is_tensor(g) and get_dtype(g) == v.dtype else ops.convert_to_tensor(g, dtype=v.dtype)
                 for g, v in zip(grads, variables)]
        return grads, variables

    def _apply(self, grads: list, variables: list) -> None:
        """Accumulate or update, then the moving average, then count the step."""
        if self.gradient_accumulation_steps:
            steps = self.gradient_accumulation_steps
            accumulators = self._state_of(self._accumulated_gradients, variables)

            def update():
                self._update(fused.mul(fused.add(accumulators, grads), 1.0 / steps), variables)
                fused.zero_(self._accumulated_gradients)

            is_update_step = ops.equal(ops.mod(ops.add(self._iterations, 1), steps), 0)
            ops.cond(is_update_step, update, lambda: fused.add_(accumulators, grads))
        else:
            self._update(grads, variables)
        if self.use_ema:
            self._update_moving_average()
        self._iterations.assign_add(1)

    def _update(self, grads: list, variables: list) -> None:
        learning_rate = self._learning_rate_tensor()
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(variables, learning_rate)
        self.multi_update_step(grads, variables, learning_rate)

    def multi_update_step(self, grads: list, variables: list, learning_rate) -> None:
        """Update all ``variables`` from their ``grads``. Built-in optimizers override this with fused math;
        the default calls the Keras-style per-variable ``update_step``."""
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def update_step(self, gradient, variable, learning_rate) -> None:
        """Keras' per-variable update, for user optimizers that do not override ``multi_update_step``."""
        raise NotImplementedError(f"Optimizer '{type(self).__name__}' must implement `multi_update_step` or "
                                  "`update_step`.")

    def assign(self, variable, value) -> None:
        variable.assign(value)

    def assign_add(self, variable, value) -> None:
        variable.assign_add(value)

    def assign_sub(self, variable, value) -> None:
        variable.assign_sub(value)

    def scale_loss(self, loss):
        """The loss multiplied by ``loss_scale_factor`` (unchanged when it is None)."""
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    # -- clipping, weight decay, moving average -------------------------------------------------
    def _clip_gradients(self, grads: list) -> list:
        if self.clipnorm and self.clipnorm > 0:
            norms = ops.stack(fused.norms(grads))
            return fused.mul(grads, ops.unstack(self.clipnorm / ops.maximum(norms, self.clipnorm)))
        if self.global_clipnorm and self.global_clipnorm > 0:
            norm = ops.sqrt(ops.sum(ops.square(ops.stack(fused.norms(grads)))))
            # A non-finite norm makes the scale NaN, as in Keras, instead of silently zeroing the update.
            scale = self.global_clipnorm * ops.minimum(1.0 / norm, 1.0 / self.global_clipnorm) + (norm - norm)
            return fused.mul(grads, scale)
        if self.clipvalue and self.clipvalue > 0:
            return fused.clip(grads, -self.clipvalue, self.clipvalue)
        return grads

    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Exempt variables from weight decay: those in ``var_list``, and those whose name contains (as a
        regular expression) any of ``var_names``. Call before the optimizer is built."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the optimizer is built.")
        self._exclude_ids = {id(variable) for variable in var_list or ()}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None
        self._decays = {}

    def _use_weight_decay(self, variable) -> bool:
        key = id(variable)
        decays = self._decays.get(key)
        if decays is None:
            excluded = key in self._exclude_ids or (
                self._exclude_pattern is not None and self._exclude_pattern.search(variable.name) is not None)
            decays = self._decays[key] = not excluded
        return decays

    def _apply_weight_decay(self, variables: list, learning_rate) -> None:
        if self.weight_decay is None:
            return
        decayed = [variable for variable in variables if self._use_weight_decay(variable)]
        if decayed:
            fused.mul_(decayed, 1 - learning_rate * self.weight_decay)

    def _update_moving_average(self) -> None:
        """``average = m * average + (1 - m) * variable``, with ``m = 0`` on the first step."""
        iterations = self.iterations
        momentum = ops.cast(ops.not_equal(iterations, 0), "float32") * self.ema_momentum
        fused.lerp_(self._model_variables_moving_average, self._trainable_variables, 1 - momentum)
        if self.ema_overwrite_frequency:
            overwrite = ops.equal(ops.mod(ops.add(iterations, 1), self.ema_overwrite_frequency), 0)
            ops.cond(overwrite, lambda: self._overwrite_with_average(self._trainable_variables), lambda: None)

    def _overwrite_with_average(self, variables) -> None:
        averages = self._model_variables_moving_average
        if len(variables) != len(averages):
            raise ValueError(f"The length of model variables ({len(variables)}) to override does not match the "
                             f"length of model variables stored in the optimizer ({len(averages)}). Please check "
                             "if the optimizer was called on your model.")
        fused.assign_(list(variables), averages)

    def finalize_variable_values(self, var_list) -> None:
        """With ``use_ema``, replace the variables' values by their moving averages (done at the end of fit)."""
        if self.use_ema:
            with fused.no_grad():
                self._overwrite_with_average(var_list)

    # -- saving ---------------------------------------------------------------------------------
    def set_weights(self, weights) -> None:
        """Assign values to ``variables``, in order."""
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(weight.shape):
                raise ValueError(f"Optimizer variable {variable.path} has shape {variable.shape} not compatible "
                                 f"with provided weight shape {tuple(weight.shape)}.")
            variable.assign(weight)

    def save_own_variables(self, store) -> None:
        """Write ``variables`` into ``store`` under "0", "1", ... (the .keras / .weights.h5 layout).

        The order is Keras 3's: iterations, learning rate (when not a schedule), then the state built for the
        model variables, interleaved per model variable (Adam: momentum and velocity of the first variable,
        then of the second, ...), then any extra state (Nadam's ``u_product``).
        """
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        """Read ``variables`` back from ``save_own_variables``' layout (Keras 3's, so Keras' files load too).

        As in Keras, a different number of variables skips loading with a warning (typically: this optimizer
        is not built yet, so it holds only its iteration count and learning rate). Variables whose shapes or
        kinds differ raise a ``ValueError`` naming the optimizer, before anything is assigned.
        """
        count = len(store.keys())
        if count != len(self._variables):
            message = (f"Skipping variable loading for optimizer '{self.name}', because it has "
                       f"{len(self._variables)} variables whereas the saved optimizer has {count} variables. ")
            if not self.built:
                message += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(message, stacklevel=2)
            return
        values = [store[str(i)] for i in range(count)]
        problem = self._state_problem(values)
        if problem:
            raise ValueError(f"Cannot load the saved state of optimizer '{self.name}' "
                             f"({type(self).__name__}): {problem}")
        for variable, value in zip(self._variables, values):
            variable.assign(value)

    def _state_problem(self, values: list) -> str | None:
        """Why ``values`` (saved in ``variables``' order) are not this optimizer's state; None when they fit.

        Shapes must agree, and integer state (the iteration count) must stay integer: a file whose state
        belongs to another model or another optimizer class shows up as a shape or kind mismatch.
        """
        for index, (variable, value) in enumerate(zip(self._variables, values)):
            shape = tuple(getattr(value, "shape", ()))
            if tuple(variable.shape) != shape:
                return (f"variable {index} ('{variable.path}') has shape {tuple(variable.shape)}, but the saved "
                        f"state holds shape {shape} there.")
            saved_kind = str(getattr(value, "dtype", "float32"))
            if ("int" in str(variable.dtype)) != ("int" in saved_kind):
                return (f"variable {index} ('{variable.path}') has dtype {variable.dtype}, but the saved state "
                        f"holds dtype {saved_kind} there.")
        return None

    def check_saved_name(self, saved_name: str | None) -> None:
        """Raise a ``ValueError`` when state saved by optimizer ``saved_name`` is plainly another optimizer
        class's: both names are default names (``adam``, ``rmsprop_2``, ...) of different classes.

        Files record the saving optimizer's name (Keras 3 writes it as the ``name`` attribute of
        ``optimizer/vars``); state of equal shapes can belong to another class (RMSprop with momentum and
        Adam both keep two slots per variable), so the name is checked too. Custom names are not judged.
        """
        if not saved_name:
            return
        defaults = _default_names()
        saved, own = (re.sub(r"_\d+$", "", str(name)) for name in (saved_name, self.name))
        if saved in defaults and own in defaults and defaults[saved] is not defaults[own]:
            raise ValueError(f"Cannot load the saved state of optimizer '{saved_name}' ({defaults[saved].__name__}) "
                             f"into optimizer '{self.name}' ({type(self).__name__}): they are different "
                             "optimizer classes.")

    def get_config(self) -> dict:
        rate = self._learning_rate
        if isinstance(rate, LearningRateSchedule):
            rate = schedules.serialize(rate)
        elif isinstance(rate, backend.Variable):
            rate = float(rate.numpy())
        return {
            "name": self.name, "learning_rate": rate, "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
            "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency, "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
            **{key: getattr(self, key) for key in self._hyperparameters},
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _default_names() -> dict:
    """``{default name: optimizer class}`` for every optimizer class defined so far (``adamw``: AdamW)."""
    names, pending = {}, list(Optimizer.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        default = inspect.signature(cls.__init__).parameters.get("name")
        default = default.default if default is not None else None
        names.setdefault(default if isinstance(default, str) else backend.naming.to_snake_case(cls.__name__), cls)
    return names
