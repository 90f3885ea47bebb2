"""K expressions on Variables, built as graph nodes: ``K.sum(K.square(W))``, ``self.iterations + 1``.

In Keras 1/2 every ``K`` call was symbolic, so an expression of Variables alone read their values anew each
time a ``K.function`` ran, and ``K.gradients`` differentiated through it. lamina's ops compute at once on a
Variable, which would freeze such an expression at the value it had when written. So while user code builds
a graph, a ``K`` call whose operands hold Variables (and no real arrays) swaps each Variable for a
``ReadVariable`` node: an operation with no inputs whose value, when the graph runs, is the Variable's
current value (read through the engine, so autograd and JAX's stateless scope see it).

Code that runs rather than builds (a layer call, a model's train/test/predict step, a ``K.function`` run, a
JAX trace) computes at once, as lamina does: it is marked by ``running()`` or by lamina's own call depth and
stateless scope. ``K.eval`` computes a built expression now.
"""

from __future__ import annotations

import functools
import threading

import numpy as np

from lamina import backend
from lamina.backend.common import naming, scopes
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers import call_context
from lamina.ops.operation import Operation, recording


class ReadVariable(Operation):
    """A graph node with no inputs: the current value of ``variable`` each time the graph runs."""

    def __init__(self, variable):
        self._init_operation(naming.uniquify("read_variable"))
        self.variable = variable

    def compute_output_spec(self):
        return SymbolicTensor(self.variable.shape, self.variable.dtype)

    def __call__(self):
        return self.variable.value


class _Running(threading.local):
    def __init__(self):
        self.depth = 0


_running = _Running()


class running:
    """Inside it, ``K`` calls on Variables compute at once (the code runs a graph rather than builds one)."""

    __slots__ = ()

    def __enter__(self):
        _running.depth += 1

    def __exit__(self, *exc):
        _running.depth -= 1


def _building() -> bool:
    """True while user code builds a graph: outside ``running``, layer calls, stateless scopes, shape inference."""
    return not (_running.depth or call_context.state.depth or scopes.get_stateless_scope() is not None) and recording()


def _operands(args, kwargs):
    for arg in (*args, *kwargs.values()):
        if type(arg) is list or type(arg) is tuple:
            yield from arg
        else:
            yield arg


def _reads_variables(args, kwargs) -> bool:
    """True when the operands hold a Variable and no real array, and a graph is being built."""
    has_variable = False
    for operand in _operands(args, kwargs):
        if isinstance(operand, np.ndarray) or backend.is_tensor(operand):
            return False
        has_variable = has_variable or isinstance(operand, backend.Variable)
    return has_variable and _building()


def _as_read(operand):
    if isinstance(operand, backend.Variable):
        return ReadVariable(operand).symbolic_call()
    if type(operand) is list or type(operand) is tuple:
        return type(operand)(_as_read(item) for item in operand)
    return operand


def over_variables(function):
    """``function`` (a ``K`` call) building graph nodes that read its Variable operands (see module docstring)."""

    @functools.wraps(function)
    def call(*args, **kwargs):
        if _reads_variables(args, kwargs):
            args = [_as_read(arg) for arg in args]
            kwargs = {key: _as_read(value) for key, value in kwargs.items()}
        return function(*args, **kwargs)

    return call
