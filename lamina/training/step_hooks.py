"""StepHooks: what an engine's steps ask of a compiled model, and nothing more.

``compile()`` builds the engine's ``Steps`` object (``backend.engine.step.Steps``) around these hooks; it
holds the engine's compiled functions and caches for as long as that compilation lasts. The engine calls
the hooks instead of reading the trainer's attributes, so the trainer can change its insides without
touching engine code, and the batch size used for the loss average is computed here, once for all engines.
The hooks call the model's public step pieces (``compute_loss``, ``compute_metrics``), so a model that
overrides them (Keras 3 style) is run with its overrides on every engine.
"""

from __future__ import annotations

from lamina import tree


def batch_size_of(x) -> int:
    """The number of samples in a batch ``x`` (the leading dimension of its first array)."""
    return int(tree.flatten(x)[0].shape[0])


class StepHooks:
    """The model as its engine's steps see it."""

    def __init__(self, model):
        self.model = model

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def runs_eagerly(self) -> bool:
        """Whether steps run op by op (``compile(run_eagerly=True)``, or ``jit_compile=False`` on JAX)."""
        settings = getattr(self.model, "_compile_config", None) or {}
        return settings.get("run_eagerly") is True or settings.get("jit_compile") is False

    @property
    def jit_compile(self) -> bool:
        """``compile(jit_compile=True)``: compile the forward pass and loss on engines that compile on request."""
        return bool(self.model.jit_compile)

    @property
    def optimizer(self):
        return self.model.optimizer

    @property
    def metrics(self) -> list:
        """Every metric the steps update (the loss trackers included)."""
        return self.model.metrics

    def trainable_variables(self) -> list:
        return self.model.trainable_variables

    def variables(self) -> list:
        """Every variable of the model (weights, then random-seed states)."""
        return self.model.variables

    def prepare(self, x, y, with_optimizer: bool) -> None:
        """Create every Variable a step needs before it runs or is traced: the model's, the compiled losses'
        and metrics' (from the batch's structure), and with ``with_optimizer`` the optimizer's slots."""
        self.model._build_compiled_state(x, y)
        if with_optimizer and not self.model.optimizer.built:
            self.model.optimizer.build(self.model.trainable_variables)

    def ensure_built(self, x) -> None:
        """Build an unbuilt model (for prediction) by calling it on ``x``."""
        if not self.model.built:
            self.model(x)

    def forward(self, x, training: bool):
        return self.model(x, training=training)

    def forward_and_loss(self, x, y, sample_weight, training: bool):
        """``(y_pred, loss)`` of a batch."""
        y_pred = self.model(x, training=training)
        return y_pred, self.model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                               training=training)

    def update_metrics(self, loss, x, y, y_pred, sample_weight) -> None:
        """Add a batch to the loss tracker (weighted by the batch size) and to the compiled metrics."""
        self.model._loss_tracker.update_state(loss, sample_weight=batch_size_of(x))
        self.model.compute_metrics(x, y, y_pred, sample_weight)
