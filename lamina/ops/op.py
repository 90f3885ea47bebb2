"""The ``op`` decorator: one function per op that runs eagerly on real tensors, symbolically otherwise.

The eager path costs one cheap test (is any top-level argument symbolic?) before the engine call.
On symbolic arguments the op's *shape rule* gives the output's shape and dtype, and a node records the
call, so raw ops can stand between layers in a functional model.
"""

from __future__ import annotations

import functools

from lamina.backend.common.symbolic import any_symbolic
from lamina.ops.operation import FunctionOperation


def op(shape_rule):
    """Decorate an eager op implementation with its symbolic ``shape_rule`` (same signature)."""

    def decorate(eager):
        @functools.wraps(eager)
        def wrapper(*args, **kwargs):
            if any_symbolic(args) or (kwargs and any_symbolic(kwargs.values())):
                return FunctionOperation(wrapper, shape_rule).symbolic_call(*args, **kwargs)
            return eager(*args, **kwargs)

        wrapper.shape_rule = shape_rule
        return wrapper

    return decorate
