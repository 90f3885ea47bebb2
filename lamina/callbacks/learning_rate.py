"""Reading and setting an optimizer's learning rate from callbacks, whatever holds it (float, Variable)."""

from __future__ import annotations

from lamina import backend


def get_learning_rate(model) -> float:
    """The current learning rate of ``model.optimizer`` as a Python float."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            f"This callback needs a compiled model whose optimizer has a `learning_rate`. "
            f"Received: optimizer={optimizer!r}"
        )
    return float(backend.convert_to_numpy(optimizer.learning_rate))


def set_learning_rate(model, value: float) -> None:
    model.optimizer.learning_rate = value
