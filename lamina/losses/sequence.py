"""Sequence losses: connectionist temporal classification (CTC), as ``keras.losses.ctc``."""

from __future__ import annotations

from lamina import ops


def ctc(y_true, y_pred):
    """Per-sample CTC loss of logits ``y_pred`` (batch, time, classes) against labels ``y_true`` (batch, length).

    Label 0 is the blank and pads the label rows; every sample uses all ``time`` steps of ``y_pred``.
    """
    y_true, y_pred = ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred)
    if len(y_true.shape) != 2:
        raise ValueError(
            "`ctc` needs integer labels `y_true` of rank 2, (batch, label_length), padded with 0. "
            f"Received: y_true.shape={tuple(y_true.shape)}"
        )
    if len(y_pred.shape) != 3:
        raise ValueError(
            "`ctc` needs logits `y_pred` of rank 3, (batch, time, classes). "
            f"Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    label_length = ops.cast(ops.sum(ops.not_equal(y_true, 0), axis=-1), "int32")
    output_length = ops.full_like(label_length, y_pred.shape[1])
    return ops.ctc_loss(y_true, y_pred, label_length, output_length, mask_index=0)
