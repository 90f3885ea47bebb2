"""``TerminateOnNaN``: stop ``fit`` as soon as the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from lamina.callbacks.callback import Callback
from lamina.utils.io_utils import print_msg


class TerminateOnNaN(Callback):
    """Stops training when a batch's loss is NaN or infinite.

    It reads the loss after every batch, which copies it from the device each step: a cost worth paying
    only when divergence must be caught at once.

    Args:
        raise_error: False (default) stops gracefully: ``model.stop_training`` is set, and every callback's
            ``on_train_end`` still runs. True raises a ``RuntimeError`` at once instead, so that no cleanup
            (a checkpoint or backup written at the end of training, say) acts on the diverged state.
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {float(loss)}. "
                               "Terminating training immediately.")
        print_msg(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
