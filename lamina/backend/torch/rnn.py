"""Torch recurrent loops: a generic step loop over time, and LSTM/GRU on torch's own fused kernels.

The generic ``rnn`` is a Python loop (autograd records each step). ``lstm`` and ``gru`` take weights in
Keras' layout and run ``torch.lstm`` / ``torch.gru`` (cuDNN on GPU), the kernels behind ``torch.nn.LSTM``;
they return None for a case the kernel cannot reproduce, and the layer then uses the generic loop.
The kernels compute every timestep's output anyway, so ``return_sequences`` changes nothing here.
"""

from __future__ import annotations

import torch

from lamina import tree
from lamina.backend.torch.core import convert_to_tensor


def _step_mask(mask_t, like):
    """A ``(batch,)`` mask shaped to broadcast against ``like``."""
    return mask_t.reshape(mask_t.shape + (1,) * (like.dim() - 1))


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, unroll=False,
        zero_output_for_mask=False, return_all_outputs=True):
    """Run ``output, states = step_function(x_t, states)`` over axis 1 of ``inputs``.

    Masked steps (``mask[:, t]`` False) keep the previous states and repeat the previous output (zeros
    before the first output, or always with ``zero_output_for_mask``). Returns ``(last_output, outputs,
    states)``; ``outputs`` is ``(batch, time, ...)`` in processing order, or just the last output
    ``(batch, 1, ...)`` without ``return_all_outputs``. ``unroll`` changes nothing: the loop is Python.
    """
    steps = convert_to_tensor(inputs).unbind(1)
    masks = convert_to_tensor(mask).to(torch.bool).unbind(1) if mask is not None else None
    order = range(len(steps) - 1, -1, -1) if go_backwards else range(len(steps))
    states, outputs, output = tree.map_structure(convert_to_tensor, initial_states), [], None
    for t in order:
        new_output, new_states = step_function(steps[t], states)
        if masks is not None:
            keep = _step_mask(masks[t], new_output)
            fallback = torch.zeros_like(new_output) if output is None or zero_output_for_mask else output
            new_output = torch.where(keep, new_output, fallback)
            step_mask = masks[t]
            new_states = tree.map_structure(
                lambda new, old, step_mask=step_mask: torch.where(_step_mask(step_mask, new), new, old),
                new_states, states)
        output, states = new_output, new_states
        if return_all_outputs:
            outputs.append(output)
    stacked = torch.stack(outputs, 1) if return_all_outputs else output.unsqueeze(1)
    return output, stacked, states


def _right_padded_lengths(mask, steps: int):
    """Per-sequence lengths when ``mask`` is True then False along time with every length > 0, else None.

    Choosing the path reads one boolean on the host per call, as Keras' own cuDNN path does."""
    mask = convert_to_tensor(mask).to(torch.bool)
    lengths = mask.sum(1)
    expected = torch.arange(steps, device=mask.device).unsqueeze(0) < lengths.unsqueeze(1)
    if not bool(torch.equal(mask, expected) and lengths.min() > 0):
        return None
    return lengths


def _along_time(x, index):
    """``x[b, index[b, t]]`` for a ``(batch, time)`` index."""
    return x.gather(1, index.unsqueeze(-1).expand(-1, -1, x.shape[-1]))


def _run_kernel(kernel, inputs, hx, weights, mask, go_backwards, zero_output_for_mask, final_cell: bool):
    """``(last_output, outputs, final hx tuple)`` from ``torch.lstm``/``torch.gru`` (batch-first inputs).

    A right-padded mask runs the kernel over the whole padded batch (torch's packed sequences are slower on
    CPU than the generic loop) and reads each sequence's results at its length: forwards the padded steps
    repeat its last output (or are zeros), as the generic loop gives; backwards the generic loop meets the
    padding first (zero outputs), so the kernel runs on each sequence's valid steps reversed and the outputs
    move right by the padding. The final hidden state is the output at the length; an LSTM's final cell
    state is not, so ``final_cell`` (the caller needs it) sends a masked LSTM to the generic loop (None).
    """
    inputs = convert_to_tensor(inputs)
    dtype = inputs.dtype
    weights = [w.to(dtype) for w in weights]
    hx = tuple(h.to(dtype).unsqueeze(0) for h in hx)
    hx_arg = hx if len(hx) > 1 else hx[0]
    train = torch.is_grad_enabled()
    if mask is None:
        if go_backwards:
            inputs = inputs.flip(1)
        outputs, *final = kernel(inputs, hx_arg, weights, True, 1, 0.0, train, False, True)
        final = tuple(h.squeeze(0) for h in final)
        return outputs[:, -1], outputs, final
    steps = inputs.shape[1]
    lengths = _right_padded_lengths(mask, steps)
    if lengths is None or (final_cell and len(hx) > 1):
        return None
    t = torch.arange(steps, device=inputs.device).unsqueeze(0)
    length = lengths.to(inputs.device).unsqueeze(1)
    valid = t < length
    if go_backwards:
        inputs = _along_time(inputs, torch.where(valid, length - 1 - t, t))
    run, *_ = kernel(inputs, hx_arg, weights, True, 1, 0.0, train, False, True)
    last_valid = _along_time(run, length - 1)[:, 0]
    if go_backwards:  # step k of the loop is valid step k - (steps - length); before that, zeros
        outputs = torch.where(valid.flip(1).unsqueeze(-1), _along_time(run, (t + length) % steps), 0.0)
    else:
        fill = 0.0 if zero_output_for_mask else last_valid.unsqueeze(1)
        outputs = torch.where(valid.unsqueeze(-1), run, fill)
    return outputs[:, -1], outputs, (last_valid,) + (None,) * (len(hx) - 1)


def _biases(bias, size: int, like):
    """Torch's ``(bias_ih, bias_hh)`` pair from one Keras bias (torch adds both; Keras has one)."""
    if bias is None:
        zeros = torch.zeros(size, dtype=like.dtype, device=like.device)
        return zeros, zeros
    return bias, torch.zeros_like(bias)


def lstm(inputs, h, c, kernel, recurrent_kernel, bias=None, mask=None, go_backwards=False,
         zero_output_for_mask=False, return_sequences=True, final_states=True):
    """An LSTM with tanh/sigmoid activations and Keras weights (gates i, f, c, o, as torch's i, f, g, o).

    ``kernel`` is ``(features, 4 * units)``, ``recurrent_kernel`` ``(units, 4 * units)``, ``bias``
    ``(4 * units,)`` or None. Returns ``(last_output, outputs, [h, c])``, or None when the mask is not
    right-padded (holes, or padding in front), which the kernel cannot follow, or when it is and
    ``final_states`` (the caller uses ``[h, c]``) is set: without it the returned ``c`` is None.
    """
    kernel, recurrent_kernel = convert_to_tensor(kernel), convert_to_tensor(recurrent_kernel)
    bias = None if bias is None else convert_to_tensor(bias)
    weights = [kernel.t(), recurrent_kernel.t(), *_biases(bias, kernel.shape[1], kernel)]
    result = _run_kernel(torch.lstm, inputs, (convert_to_tensor(h), convert_to_tensor(c)), weights, mask,
                         go_backwards, zero_output_for_mask, final_cell=final_states)
    if result is None:
        return None
    last, outputs, (h, c) = result
    return last, outputs, [h, c]


def _gru_order(weight, units: int, axis: int):
    """Keras' GRU gate order (z, r, h) to torch's (r, z, n) along ``axis``."""
    z, r, n = weight.split(units, dim=axis)
    return torch.cat([r, z, n], dim=axis)


def gru(inputs, h, kernel, recurrent_kernel, bias=None, reset_after=True, mask=None, go_backwards=False,
        zero_output_for_mask=False, return_sequences=True, final_states=True):
    """A GRU with tanh/sigmoid activations and Keras weights (gates z, r, h; ``bias`` ``(2, 3 * units)``).

    Torch's kernel applies the reset gate after the recurrent matmul, so only ``reset_after=True`` runs
    here. Returns ``(last_output, outputs, [h])``, or None when the kernel cannot follow the case.
    """
    if not reset_after:
        return None
    kernel, recurrent_kernel = convert_to_tensor(kernel), convert_to_tensor(recurrent_kernel)
    units = recurrent_kernel.shape[0]
    weights = [_gru_order(kernel, units, 1).t(), _gru_order(recurrent_kernel, units, 1).t()]
    if bias is None:
        weights += list(_biases(None, 3 * units, kernel))
    else:
        bias = _gru_order(convert_to_tensor(bias), units, 1)
        weights += [bias[0], bias[1]]
    result = _run_kernel(torch.gru, inputs, (convert_to_tensor(h),), weights, mask, go_backwards,
                         zero_output_for_mask, final_cell=final_states)
    if result is None:
        return None
    last, outputs, (h,) = result
    return last, outputs, [h]
