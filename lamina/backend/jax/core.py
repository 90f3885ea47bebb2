"""JAX engine core: device choice, array conversion, Variable storage and the Layer base.

JAX arrays are immutable: a Variable holds the current array and ``assign`` replaces it. Inside a
``StatelessScope`` (the jitted training step) reads and writes go to the scope instead.
64-bit types are enabled so that lamina's dtype table (int64 iterations, float64 inputs) means the same
on every engine; lamina always passes explicit dtypes, so defaults do not widen.
"""

from __future__ import annotations

import builtins
import functools
import math as _math

import jax
import jax.numpy as jnp
import numpy as np

from lamina import config, tree
from lamina.backend.common import dtypes, host_memory, scopes
from lamina.backend.common.loops import leading_length
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.backend.common.variable import Variable as _VariableBase

jax.config.update("jax_enable_x64", True)
# Full float32 matmuls (no TF32 on GPUs), as torch does by default, so the engines agree numerically.
jax.config.update("jax_default_matmul_precision", "highest")

NAME = "jax"
Tensor = type(jnp.zeros(()))  # the concrete array type, compared by identity on the layer fast path


def _pick_device():
    requested = config.device()
    if requested:
        platform = {"cuda": "gpu"}.get(requested.split(":")[0], requested.split(":")[0])
        index = int(requested.split(":")[1]) if ":" in requested else 0
        return jax.devices(platform)[index]
    return jax.devices()[0]


DEVICE = _pick_device()
host_memory.reuse_freed_memory(config.reuse_host_memory())


def engine_dtype(dtype) -> np.dtype:
    """The NumPy dtype object JAX arrays carry, for a lamina dtype name."""
    name = dtypes.standardize_dtype(dtype)
    return jnp.dtype(name)


def _committed(value):
    """``value`` committed to lamina's device. A jitted step's outputs are committed, arrays made by ``jnp``
    outside one are not, and jit compiles again for the same shapes when that changes: a Variable holds
    committed arrays only, so a fit compiles its step once, not again after the first batch or a metric
    reset."""
    if isinstance(value, jax.Array) and not isinstance(value, jax.core.Tracer) and not value.committed:
        return jax.device_put(value, DEVICE)
    return value


class Variable(_VariableBase):
    """A Variable holding an immutable JAX array; ``assign`` swaps in a new one."""

    def _initialize(self, value):
        self._value = _committed(value)

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype=dtype)

    def _direct_assign(self, value):
        self._value = _committed(value)

    def numpy(self):
        return convert_to_numpy(self.value)

    def __jax_array__(self):
        return self.value


def convert_to_tensor(x, dtype=None, sparse=None):
    """A JAX array on lamina's device holding ``x`` (cast to ``dtype`` when given)."""
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, SymbolicTensor):
        raise TypeError(
            "A symbolic tensor was passed where a real value is needed. Symbolic tensors only flow "
            f"through layers and lamina.ops while a model is being built. Received: {x}"
        )
    if dtype is None:
        dtype = dtypes.python_value_dtype(x)
    if dtype is not None:
        dtype = engine_dtype(dtype)
    if isinstance(x, jax.Array):
        return x if dtype is None or x.dtype == dtype else x.astype(dtype)
    if hasattr(x, "__array__") and not isinstance(x, np.ndarray) and not isinstance(x, (list, tuple)):
        x = np.asarray(x)
    if isinstance(x, np.ndarray) and x.dtype == object:
        x = np.asarray(x.tolist())
    return jax.device_put(jnp.asarray(x, dtype=dtype), DEVICE)


def convert_to_numpy(x) -> np.ndarray:
    """A NumPy copy of ``x``, never a view of a device buffer that a donating step may reuse."""
    if isinstance(x, Variable):
        x = x.value
    return np.array(x)


def is_tensor(x) -> bool:
    return isinstance(x, jax.Array)


def standardize_dtype(dtype) -> str:
    return dtypes.standardize_dtype(dtype)


def get_dtype(x) -> str:
    """The lamina dtype name of an array, Variable, symbolic tensor or Python scalar."""
    if isinstance(x, (_VariableBase, SymbolicTensor)):
        return x.dtype
    if isinstance(x, (bool, int, float)):
        return dtypes.result_type(type(x))
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        dtype = np.asarray(x).dtype
    return dtypes.standardize_dtype(dtype)


def shape(x) -> tuple:
    return tuple(x.shape)


def cast(x, dtype):
    return convert_to_tensor(x).astype(engine_dtype(dtype))


def stop_gradient(x):
    return jax.lax.stop_gradient(convert_to_tensor(x))


def device_name() -> str:
    return f"{DEVICE.platform}:{DEVICE.id}"


def is_engine_data_loader(obj) -> bool:
    """JAX has no data-loader type of its own."""
    return False


def to_device(x):
    """``x`` on lamina's device. On the CPU a NumPy array stays as it is: a compiled step takes it without
    copying it (measured: 60000x784 float32 predicted in batches 0.08 s faster than after moving it whole,
    which copies it), and the batches of it are NumPy views."""
    if DEVICE.platform == "cpu" and isinstance(x, np.ndarray):
        return x
    return jax.device_put(x, DEVICE)


@functools.partial(jax.jit, static_argnums=2)
def _rows_from(array, start, size):
    return jax.lax.dynamic_slice_in_dim(array, start, size)


_take_rows = jax.jit(lambda array, rows: jnp.take(array, rows, axis=0, mode="clip"))


def slice_rows(array, start: int, stop: int):
    """Rows ``start:stop`` of an array ``to_device`` gave: a batch. A NumPy array gives a view; on a device
    one compiled slice serves every start (eager indexing would compile a slice per start position), and a
    slice of another length compiles once more."""
    if isinstance(array, np.ndarray):
        return array[start:stop]
    return _rows_from(array, start, min(stop, array.shape[0]) - start)


def take_rows(array, rows: np.ndarray):
    """The rows of an array ``to_device`` gave at the (host) indices ``rows``: a shuffled batch, gathered
    by NumPy, or on a device by one compiled function."""
    if isinstance(array, np.ndarray):
        return array[rows]
    return _take_rows(array, rows)


# -- control flow ---------------------------------------------------------------------------------
# A concrete predicate or index picks its branch in Python, as on torch (branches may assign Variables
# eagerly); a traced one (inside ``jax.jit``) becomes ``lax.cond`` / ``lax.switch``. Loops are ``jax.lax`` loops.
def _is_traced(x) -> bool:
    return isinstance(x, jax.core.Tracer)


def _unwrap(x):
    return x.value if isinstance(x, Variable) else x


def cond(pred, true_fn, false_fn):
    pred = _unwrap(pred)
    if not _is_traced(pred):
        return true_fn() if bool(pred) else false_fn()
    return _branch(lambda wrapped: jax.lax.cond(pred, *wrapped), [true_fn, false_fn])


def switch(index, branches, *operands):
    index = _unwrap(index)
    if not _is_traced(index):
        index = min(max(int(index), 0), len(branches) - 1)
        return branches[index](*operands)
    return _branch(lambda wrapped: jax.lax.switch(index, wrapped, *operands), branches, operands)


def _branch(run, branches, operands=()):
    """``run(branches)`` (a ``lax.cond`` or ``lax.switch`` passing ``operands``), letting branches assign Variables.

    Inside a ``StatelessScope`` (the jitted step) a branch may assign Variables (an optimizer's gradient
    accumulation does). Each branch then runs in a child scope and also returns the values of every Variable
    any branch assigns; one side-effect-free trace of each branch finds those Variables first. The values
    the taken branch leaves are recorded in the enclosing scope.
    """
    scope = scopes.get_stateless_scope()
    if scope is None or not scope.collect_assignments:
        return run(branches)
    current = {**scope.mapping, **{key: value for key, (_, value) in scope.assignments.items()}}
    assigned = {}

    def isolated(fn, targets):
        def branch(*args):
            child = scopes.StatelessScope()
            child.mapping = dict(current)
            with child:
                output = fn(*args)
                values = [variable.value for variable in targets]
            assigned.update((key, variable) for key, (variable, _) in child.assignments.items())
            return output, values

        return branch

    for fn in branches:
        jax.eval_shape(isolated(fn, []), *operands)
    targets = list(assigned.values())
    output, values = run([isolated(fn, targets) for fn in branches])
    for variable, value in zip(targets, values):
        scope.add_update(variable, value)
    return output


def _as_tensors(structure):
    """Every leaf of a loop state as an array (None leaves stay None), so Python ints get lamina's int32."""
    return tree.map_structure(lambda leaf: None if leaf is None else convert_to_tensor(leaf), structure)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    xs = None if xs is None else _as_tensors(xs)
    flat_xs = tree.flatten(xs) if xs is not None else []
    if flat_xs:
        n = leading_length(flat_xs, "scan")
        if length is not None and length != n:
            raise ValueError(f"`scan`: `length`={length} does not match the leading dimension of `xs` ({n}).")
    elif length is None:
        raise ValueError("`scan` needs `xs` or `length`. Received: xs=None, length=None")
    return jax.lax.scan(f, _as_tensors(init), xs, length=length, reverse=reverse, unroll=unroll)


def associative_scan(f, elems, reverse=False, axis=0):
    return jax.lax.associative_scan(f, _as_tensors(elems), reverse=reverse, axis=axis)


def _loop_bound(value):
    """A loop bound as an int32 scalar (Python ints stay static, so ``fori_loop`` can lower to ``scan``)."""
    value = _unwrap(value)
    return np.int32(value) if isinstance(value, int) else value


def fori_loop(lower, upper, body_fun, init_val):
    return jax.lax.fori_loop(_loop_bound(lower), _loop_bound(upper), body_fun, _as_tensors(init_val))


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (list, tuple))
    state = _as_tensors(tuple(loop_vars) if is_sequence else (loop_vars,))

    def step(state):
        new_state = body(*state)
        return tuple(new_state) if is_sequence else (new_state,)

    if maximum_iterations is None:
        state = jax.lax.while_loop(lambda s: cond(*s), step, state)
    else:
        # The iteration count rides along in the loop state.
        _, state = jax.lax.while_loop(
            lambda s: jnp.logical_and(s[0] < maximum_iterations, cond(*s[1])),
            lambda s: (s[0] + 1, step(s[1])), (jnp.zeros((), jnp.int32), state))
    if not is_sequence:
        return state[0]
    return list(state) if isinstance(loop_vars, list) else state


def map(f, xs):
    xs = _as_tensors(xs)
    leading_length(tree.flatten(xs), "map")
    return jax.lax.map(f, xs)


def vectorized_map(function, elements):
    return jax.vmap(function)(_as_tensors(elements))


# -- slicing and scattering -----------------------------------------------------------------------
def _start_indices(start_indices) -> tuple:
    """Start indices as one integer dtype: ``dynamic_slice`` refuses a mix (int64 and int32 tensors)."""
    return tuple(convert_to_tensor(index, dtype="int64") for index in start_indices)


def slice(inputs, start_indices, shape):
    return jax.lax.dynamic_slice(convert_to_tensor(inputs), _start_indices(start_indices), tuple(shape))


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates).astype(inputs.dtype)
    return jax.lax.dynamic_update_slice(inputs, updates, _start_indices(start_indices))


def _index_tuple(indices) -> tuple:
    """Rows of an ``(N, k)`` index array as the ``k`` index vectors that ``.at[...]`` takes."""
    indices = convert_to_tensor(indices)
    return tuple(jnp.moveaxis(indices.reshape(-1, indices.shape[-1]), -1, 0))


def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    index = _index_tuple(indices)
    zeros = jnp.zeros(tuple(shape), dtype=values.dtype)
    return zeros.at[index].add(values.reshape((-1,) + tuple(shape[len(index):])))


def scatter_update(inputs, indices, updates):
    inputs = convert_to_tensor(inputs)
    index = _index_tuple(indices)
    updates = convert_to_tensor(updates).astype(inputs.dtype)
    return inputs.at[index].set(updates.reshape((-1,) + tuple(inputs.shape[len(index):])))


def unstack(x, num=None, axis=0):
    return list(jnp.unstack(convert_to_tensor(x), axis=axis))


def _bound_in(value, dtype):
    """``value`` in ``dtype``, stepped towards zero where rounding pushed it past ``value``
    (float32(2**31 - 1) rounds up to 2**31, which int32 cannot hold)."""
    bound = np.asarray(value, dtype=np.float64).astype(dtype)
    if abs(float(bound)) > abs(value):
        bound = np.nextafter(bound, np.zeros((), dtype))
    return bound


def saturate_cast(x, dtype):
    """Cast after clipping ``x`` to the target dtype's range, so out-of-range values saturate."""
    x = convert_to_tensor(x)
    target = engine_dtype(dtype)
    if target == jnp.bool_ or x.dtype in (jnp.bool_, target):
        return x.astype(target)
    info = jnp.finfo(target) if jnp.issubdtype(target, jnp.floating) else jnp.iinfo(target)
    if jnp.issubdtype(x.dtype, jnp.floating):
        low, high = _bound_in(float(info.min), x.dtype), _bound_in(float(info.max), x.dtype)
    else:
        source = jnp.iinfo(x.dtype)
        low = np.asarray(builtins.max(_math.ceil(info.min), int(source.min)), dtype=x.dtype)
        high = np.asarray(builtins.min(_math.floor(info.max), int(source.max)), dtype=x.dtype)
    return jnp.clip(x, low, high).astype(target)


# -- gradients ------------------------------------------------------------------------------------
def custom_gradient(f):
    """``f`` returns ``(output, grad_fn)``; JAX differentiates the result with ``grad_fn(upstream)``."""
    return jax.custom_gradient(f)


# -- runtime checks -------------------------------------------------------------------------------
class RuntimeChecks:
    """Checks collected while a step is traced: each condition becomes an output of the compiled step,
    read on the host after the call, so a jitted step reports bad data as eager calls do. A step without
    checks returns no flags and pays nothing."""

    _active: list[RuntimeChecks] = []

    def __init__(self):
        self.conditions, self.values, self.messages = [], [], []

    def __enter__(self):
        RuntimeChecks._active.append(self)
        return self

    def __exit__(self, *exc):
        RuntimeChecks._active.pop()

    def outputs(self):
        return self.conditions, self.values

    def raise_failed(self, conditions, values) -> None:
        """Raise the first failed check's ValueError, with its values read on the host."""
        for ok, details, message in zip(jax.device_get(conditions), jax.device_get(values), self.messages):
            if not ok:
                raise ValueError(message.format(*(np.asarray(v).item() for v in details)))


def assert_all(condition, message: str, *values) -> None:
    """Raise ``ValueError(message.format(*values))`` unless every element of ``condition`` holds. Traced
    inside a lamina step, the check is deferred to the end of the step (see ``RuntimeChecks``); traced
    anywhere else (a user's own ``jax.jit``) it cannot report and is skipped."""
    condition = jnp.all(convert_to_tensor(condition))
    if not isinstance(condition, jax.core.Tracer):
        if not bool(condition):
            raise ValueError(message.format(*(np.asarray(v).item() for v in values)))
    elif RuntimeChecks._active:
        checks = RuntimeChecks._active[-1]
        checks.conditions.append(condition)
        checks.values.append([convert_to_tensor(v) for v in values])
        checks.messages.append(message)
