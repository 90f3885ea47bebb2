"""Torch engine core: device choice, tensor conversion, Variable storage and the Layer base."""

from __future__ import annotations

import builtins
import math as _math

import numpy as np
import torch

from lamina import config, tree
from lamina.backend.common import dtypes, host_memory
from lamina.backend.common.loops import leading_length
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.backend.common.variable import Variable as _VariableBase

NAME = "torch"
Tensor = torch.Tensor
LayerBase = torch.nn.Module  # on torch every Layer is a torch.nn.Module


def _pick_device() -> torch.device:
    requested = config.device()
    if requested:
        return torch.device(requested)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


DEVICE = _pick_device()
host_memory.reuse_freed_memory(config.reuse_host_memory())

_TORCH_DTYPES = {
    "bool": torch.bool, "uint8": torch.uint8, "uint16": torch.uint16, "uint32": torch.uint32,
    "uint64": torch.uint64, "int8": torch.int8, "int16": torch.int16, "int32": torch.int32,
    "int64": torch.int64, "float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32,
    "float64": torch.float64, "complex64": torch.complex64, "complex128": torch.complex128,
}
_NAMES = {value: key for key, value in _TORCH_DTYPES.items()}


def to_torch_dtype(dtype) -> torch.dtype:
    """The torch dtype for a lamina dtype name (or anything ``standardize_dtype`` accepts)."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return _TORCH_DTYPES[dtypes.standardize_dtype(dtype)]


class Variable(_VariableBase):
    """A Variable stored as a ``torch.nn.Parameter`` so autograd and torch tooling see it."""

    def _initialize(self, value):
        trainable = self._trainable and value.is_floating_point()
        self._value = torch.nn.Parameter(value, requires_grad=trainable)

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype=dtype)

    def _owned(self, value):
        return value.detach().clone()  # a NumPy array's tensor shares its memory; another tensor's too

    def _direct_assign(self, value):
        with torch.no_grad():
            self._value.copy_(value)

    def _set_trainable(self, trainable):
        self._value.requires_grad_(trainable and self._value.is_floating_point())

    def numpy(self):
        return convert_to_numpy(self.value)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        unwrap = lambda x: x.value if isinstance(x, Variable) else x  # noqa: E731
        args = [unwrap(a) if not isinstance(a, (list, tuple)) else type(a)(unwrap(i) for i in a) for a in args]
        kwargs = {k: unwrap(v) for k, v in (kwargs or {}).items()}
        return func(*args, **kwargs)


_Tensor, _Parameter, _BFLOAT16 = torch.Tensor, torch.nn.Parameter, torch.bfloat16
_ON_CPU = DEVICE.type == "cpu"


def convert_to_tensor(x, dtype=None, sparse=None):
    """A torch tensor on lamina's device holding ``x`` (cast to ``dtype`` when given)."""
    kind = type(x)
    if kind is _Tensor or kind is _Parameter:
        if dtype is None:
            return x
        target = to_torch_dtype(dtype)
        return x if x.dtype == target else x.to(target)
    if kind is np.ndarray and x.dtype.kind in "biuf" and (flags := x.flags).writeable and flags.c_contiguous:
        # The common case (a batch, a served row) kept to few reads: it shares the array's memory, as below.
        tensor = torch.from_numpy(x) if _ON_CPU else torch.from_numpy(x).to(DEVICE)
        return tensor if dtype is None else tensor.to(to_torch_dtype(dtype))
    if isinstance(x, Variable):
        return convert_to_tensor(x.value, dtype)
    if isinstance(x, SymbolicTensor):
        raise TypeError(
            "A symbolic tensor was passed where a real value is needed. Symbolic tensors only flow "
            f"through layers and lamina.ops while a model is being built. Received: {x}"
        )
    if isinstance(x, torch.Tensor):
        x = x.as_subclass(torch.Tensor)
        return x if dtype is None else x.to(to_torch_dtype(dtype))
    if dtype is None:
        dtype = dtypes.python_value_dtype(x)
    if isinstance(x, np.ndarray) or (hasattr(x, "__array__") and not isinstance(x, (list, tuple))):
        array = np.asarray(x)
        if array.dtype == object:
            array = np.asarray(array.tolist())
        if not array.flags.writeable or not array.flags.c_contiguous:
            array = np.array(array, order="C")
        tensor = torch.from_numpy(array).to(DEVICE)
        return tensor if dtype is None else tensor.to(to_torch_dtype(dtype))
    torch_dtype = None if dtype is None else to_torch_dtype(dtype)
    return torch.as_tensor(x, dtype=torch_dtype, device=DEVICE)


def convert_to_numpy(x) -> np.ndarray:
    """A NumPy copy of ``x``: on CPU ``Tensor.numpy()`` shares memory, and lamina updates weights in
    place, so an alias would change under the user's feet (``get_weights()`` before ``fit``)."""
    if type(x) is not _Tensor:
        if isinstance(x, Variable):
            x = x.value
        if not isinstance(x, _Tensor):
            return np.array(x)
    if x.dtype is _BFLOAT16:
        x = x.float()
    return x.numpy(force=True).copy()  # force: detached and on the host, in one call


def is_tensor(x) -> bool:
    return isinstance(x, torch.Tensor)


def standardize_dtype(dtype) -> str:
    if isinstance(dtype, torch.dtype):
        return _NAMES[dtype]
    return dtypes.standardize_dtype(dtype)


def get_dtype(x) -> str:
    """The lamina dtype name of a tensor, Variable, array or Python scalar."""
    if isinstance(x, torch.Tensor):
        return _NAMES[x.dtype]
    if isinstance(x, (_VariableBase, SymbolicTensor)):
        return x.dtype
    if isinstance(x, (bool, int, float)):
        return dtypes.result_type(type(x))
    return dtypes.standardize_dtype(np.asarray(x).dtype)


def shape(x) -> tuple:
    return tuple(x.shape)


def cast(x, dtype):
    return convert_to_tensor(x).to(to_torch_dtype(dtype))


def stop_gradient(x):
    return convert_to_tensor(x).detach()


def device_name() -> str:
    return str(DEVICE)


def engine_dtype(dtype) -> torch.dtype:
    """The torch dtype object for a lamina dtype name (compared against ``tensor.dtype`` on hot paths)."""
    return to_torch_dtype(dtype)


# -- control flow ---------------------------------------------------------------------------------
# On torch, control flow is plain Python: autograd records whichever branch or iteration actually ran.
def cond(pred, true_fn, false_fn):
    return true_fn() if bool(pred) else false_fn()


def switch(index, branches, *operands):
    index = min(max(int(index), 0), len(branches) - 1)
    return branches[index](*operands)


def _as_tensors(structure):
    """Every leaf of a loop state as a tensor (None leaves stay None), as JAX's loops see them."""
    return tree.map_structure(lambda leaf: None if leaf is None else convert_to_tensor(leaf), structure)


def _stack_structures(items):
    """Stack a list of equally structured outputs leaf-wise along a new leading axis (None leaves stay None)."""
    return tree.map_structure(lambda *leaves: None if leaves[0] is None else torch.stack(leaves), *items)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    flat_xs = [convert_to_tensor(x) for x in tree.flatten(xs)] if xs is not None else []
    if flat_xs:
        n = leading_length(flat_xs, "scan")
        if length is not None and length != n:
            raise ValueError(f"`scan`: `length`={length} does not match the leading dimension of `xs` ({n}).")
    elif length is None:
        raise ValueError("`scan` needs `xs` or `length`. Received: xs=None, length=None")
    else:
        n = int(length)
    carry, ys = _as_tensors(init), []
    for i in (range(n - 1, -1, -1) if reverse else range(n)):
        x = tree.pack_sequence_as(xs, [t[i] for t in flat_xs]) if flat_xs else None
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    return carry, (_stack_structures(ys) if ys else None)


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive prefix combination by doubling (Hillis-Steele): log2(n) calls of ``f`` on whole slices."""
    flat = [convert_to_tensor(x) for x in tree.flatten(elems)]
    ndim = flat[0].ndim
    axis = axis % ndim
    n = {int(x.shape[axis]) for x in flat}
    if len(n) != 1:
        raise ValueError(f"`associative_scan`: all inputs must have the same size along axis {axis}. "
                         f"Received: {sorted(n)}")
    n = n.pop()
    if reverse:
        flat = [torch.flip(x, dims=[axis]) for x in flat]

    def combine(earlier, later):
        # In scan order (flipped when reversing), as jax.lax.associative_scan: reverse=True gives
        # [..., f(f(z, y), x), f(z, y), z] for elements [x, y, z].
        return tree.flatten(f(tree.pack_sequence_as(elems, earlier), tree.pack_sequence_as(elems, later)))

    offset = 1
    while offset < n:
        combined = combine([x.narrow(axis, 0, n - offset) for x in flat],
                           [x.narrow(axis, offset, n - offset) for x in flat])
        flat = [torch.cat([x.narrow(axis, 0, offset), c], dim=axis) for x, c in zip(flat, combined)]
        offset *= 2
    if reverse:
        flat = [torch.flip(x, dims=[axis]) for x in flat]
    return tree.pack_sequence_as(elems, flat)


def fori_loop(lower, upper, body_fun, init_val):
    value = _as_tensors(init_val)
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (list, tuple))
    state = _as_tensors(tuple(loop_vars) if is_sequence else (loop_vars,))
    iteration = 0
    while (maximum_iterations is None or iteration < maximum_iterations) and bool(cond(*state)):
        new_state = body(*state)
        state = tuple(new_state) if is_sequence else (new_state,)
        iteration += 1
    if not is_sequence:
        return state[0]
    return list(state) if isinstance(loop_vars, list) else state


def map(f, xs):
    flat = [convert_to_tensor(x) for x in tree.flatten(xs)]
    n = leading_length(flat, "map")
    return _stack_structures([f(tree.pack_sequence_as(xs, [t[i] for t in flat])) for i in range(n)])


def vectorized_map(function, elements):
    return torch.vmap(function)(_as_tensors(elements))


# -- slicing and scattering -----------------------------------------------------------------------
def _window(start_indices, sizes) -> tuple:
    return tuple(builtins.slice(int(start), int(start) + int(size)) for start, size in zip(start_indices, sizes))


def slice(inputs, start_indices, shape):
    return convert_to_tensor(inputs)[_window(start_indices, shape)]


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=_NAMES[inputs.dtype])
    result = inputs.clone()
    result[_window(start_indices, updates.shape)] = updates
    return result


def _index_tuple(indices) -> tuple:
    """Rows of an ``(N, k)`` index array as the ``k`` index vectors torch's ``index_put`` takes."""
    indices = convert_to_tensor(indices).long()
    return tuple(indices.reshape(-1, indices.shape[-1]).unbind(-1))


def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    zeros = torch.zeros(tuple(shape), dtype=values.dtype, device=values.device)
    index = _index_tuple(indices)
    return zeros.index_put(index, values.reshape((-1,) + tuple(shape[len(index):])), accumulate=True)


def scatter_update(inputs, indices, updates):
    inputs = convert_to_tensor(inputs)
    index = _index_tuple(indices)
    updates = convert_to_tensor(updates, dtype=_NAMES[inputs.dtype])
    return inputs.index_put(index, updates.reshape((-1,) + tuple(inputs.shape[len(index):])))


def unstack(x, num=None, axis=0):
    return list(torch.unbind(convert_to_tensor(x), dim=axis))


def saturate_cast(x, dtype):
    """Cast after clipping ``x`` to the target dtype's range, so out-of-range values saturate."""
    x = convert_to_tensor(x)
    target = to_torch_dtype(dtype)
    if target == torch.bool or x.dtype in (torch.bool, target):
        return x.to(target)
    info = torch.finfo(target) if target.is_floating_point else torch.iinfo(target)
    if x.is_floating_point():
        # Bounds in x's dtype, stepped towards zero where rounding pushed them out of the target's range
        # (float32(2**31 - 1) rounds up to 2**31, which int32 cannot hold).
        bounds = torch.tensor([info.min, info.max], dtype=torch.float64).to(x.dtype)
        outside = torch.stack([bounds[0].double() < info.min, bounds[1].double() > info.max])
        bounds = torch.where(outside, torch.nextafter(bounds, torch.zeros_like(bounds)), bounds).to(x.device)
        return torch.clamp(x, bounds[0], bounds[1]).to(target)
    source = torch.iinfo(x.dtype)
    low, high = max(_math.ceil(info.min), source.min), min(_math.floor(info.max), source.max)
    return torch.clamp(x, low, high).to(target)


# -- gradients ------------------------------------------------------------------------------------
class _CustomGradient(torch.autograd.Function):
    """Runs ``f`` (returning ``(output, grad_fn)``) forward and ``grad_fn(upstream)`` backward."""

    @staticmethod
    def forward(ctx, f, *args):
        output, ctx.grad_fn = f(*args)
        return output

    @staticmethod
    def backward(ctx, *upstream):
        grads = ctx.grad_fn(*upstream)
        return (None,) + (tuple(grads) if isinstance(grads, (list, tuple)) else (grads,))


def custom_gradient(f):
    def wrapper(*args):
        return _CustomGradient.apply(f, *args)

    return wrapper


# -- input pipelines ------------------------------------------------------------------------------
def is_engine_data_loader(obj) -> bool:
    """Whether ``obj`` is the engine's own batch loader (``torch.utils.data.DataLoader``)."""
    return isinstance(obj, torch.utils.data.DataLoader)


def to_device(x):
    """``x`` as a tensor on lamina's device; tensors living elsewhere (a DataLoader's CPU batches) move there."""
    return convert_to_tensor(x).to(DEVICE, non_blocking=True)


def slice_rows(array, start: int, stop: int):
    """Rows ``start:stop`` of a device tensor: a batch (a view, no copy)."""
    return array[start:stop]


def take_rows(array, rows: np.ndarray):
    """The rows of a device tensor at the (host) indices ``rows``: a shuffled batch."""
    return array.index_select(0, torch.from_numpy(rows).to(array.device, non_blocking=True))


# -- runtime checks -------------------------------------------------------------------------------
def assert_all(condition, message: str, *values) -> None:
    """Raise ``ValueError(message.format(*values))`` unless every element of ``condition`` holds. On CUDA
    the check runs on the device without a host sync (a failure aborts the CUDA context, as torch does)."""
    condition = torch.all(convert_to_tensor(condition))
    if condition.device.type == "cuda":
        torch._assert_async(condition, message.format(*("?" for _ in values)))
    elif not bool(condition):
        raise ValueError(message.format(*(convert_to_numpy(v).item() for v in values)))
