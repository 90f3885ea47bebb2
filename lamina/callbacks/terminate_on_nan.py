"""``TerminateOnNaN``: stop ``fit`` as soon as the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from lamina.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Sets ``model.stop_training`` when a batch's loss is NaN or infinite.

    It reads the loss after every batch, which copies it from the device each step: a cost worth paying
    only when divergence must be caught at once.
    """

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
