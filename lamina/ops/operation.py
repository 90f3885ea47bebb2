"""Operation: anything that can sit on a node of a functional graph (a layer, or a raw op call)."""

from __future__ import annotations

import threading

from lamina.backend.common import naming
from lamina.ops.node import Node

_recording = threading.local()


class no_graph_recording:
    """Inside it, symbolic calls compute specs without recording nodes (used while a layer infers its
    output shape by running ``call`` symbolically: the intermediate tensors are thrown away)."""

    def __enter__(self):
        self._saved = getattr(_recording, "off", False)
        _recording.off = True

    def __exit__(self, *exc):
        _recording.off = self._saved


def recording() -> bool:
    """False inside ``no_graph_recording``."""
    return not getattr(_recording, "off", False)


class Operation:
    """Records the nodes it was called on symbolically; subclasses say how to compute and how to shape."""

    def _init_operation(self, name):
        self.name = name
        self._inbound_nodes = []
        self._outbound_nodes = []

    def compute_output_spec(self, *args, **kwargs):
        raise NotImplementedError

    def symbolic_call(self, *args, **kwargs):
        """Compute output specs and record a node linking them to the inputs."""
        outputs = self.compute_output_spec(*args, **kwargs)
        if recording():
            Node(self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs


class FunctionOperation(Operation):
    """A raw op call inside a functional graph, e.g. ``ops.concatenate([a, b])`` between two layers."""

    def __init__(self, function, shape_rule):
        self._init_operation(naming.uniquify(function.__name__) if recording() else function.__name__)
        self.function = function
        self.shape_rule = shape_rule

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        return self.shape_rule(*args, **kwargs)

    def __repr__(self):
        return f"<FunctionOperation {self.name}>"
