"""JAX recurrent loops: one ``lax.scan`` over time, and LSTM/GRU with the input projection hoisted.

``rnn`` scans a step function over axis 1 (fully unrolled with ``unroll``). ``lstm`` and ``gru`` take
weights in Keras' layout, project every timestep's input with one matmul before the scan, and leave
only the recurrent matmul and the gates inside it; they handle every mask, so they never return None.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from lamina import tree
from lamina.backend.jax.core import convert_to_tensor


def _step_mask(mask_t, like):
    """A ``(batch,)`` mask shaped to broadcast against ``like``."""
    return mask_t.reshape(mask_t.shape + (1,) * (like.ndim - 1))


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, unroll=False,
        zero_output_for_mask=False, return_all_outputs=True):
    """Run ``output, states = step_function(x_t, states)`` over axis 1 of ``inputs``.

    Masked steps (``mask[:, t]`` False) keep the previous states and repeat the previous output (zeros
    before the first output, or always with ``zero_output_for_mask``). Returns ``(last_output, outputs,
    states)``; ``outputs`` is ``(batch, time, ...)`` in processing order, or just the last output
    ``(batch, 1, ...)`` without ``return_all_outputs``.
    """
    xs = jnp.swapaxes(convert_to_tensor(inputs), 0, 1)
    masks = None if mask is None else jnp.swapaxes(convert_to_tensor(mask).astype(bool), 0, 1)
    if go_backwards:
        xs = jnp.flip(xs, 0)
        masks = None if masks is None else jnp.flip(masks, 0)
    states = tree.map_structure(convert_to_tensor, initial_states)
    spec = jax.eval_shape(lambda x, s: step_function(x, s)[0], xs[0], states)
    zeros = jnp.zeros(spec.shape, spec.dtype)

    def body(carry, step):
        states, previous = carry
        x_t, mask_t = step
        output, new_states = step_function(x_t, states)
        new_states = tree.pack_sequence_as(states, tree.flatten(new_states))
        if mask_t is not None:
            keep = _step_mask(mask_t, output)
            output = jnp.where(keep, output, zeros if zero_output_for_mask else previous)
            new_states = tree.map_structure(
                lambda new, old: jnp.where(_step_mask(mask_t, new), new, old), new_states, states)
        return (new_states, output), (output if return_all_outputs else None)

    (states, last), outputs = jax.lax.scan(body, (states, zeros), (xs, masks), unroll=bool(unroll) or 1)
    outputs = jnp.swapaxes(outputs, 0, 1) if return_all_outputs else last[:, None]
    return last, outputs, states


def _projected(inputs, kernel, bias):
    """Every timestep's input projection in one matmul: ``inputs @ kernel + bias``."""
    projected = jnp.matmul(convert_to_tensor(inputs), convert_to_tensor(kernel))
    return projected if bias is None else projected + bias


def _arrays(*values):
    return [None if value is None else convert_to_tensor(value) for value in values]


_OPTIONS = ("go_backwards", "zero_output_for_mask", "return_sequences", "reset_after")


def lstm(inputs, h, c, kernel, recurrent_kernel, bias=None, mask=None, go_backwards=False,
         zero_output_for_mask=False, return_sequences=True, final_states=True):
    """An LSTM with tanh/sigmoid activations and Keras weights (gates i, f, c, o; ``kernel``
    ``(features, 4 * units)``, ``recurrent_kernel`` ``(units, 4 * units)``, ``bias`` ``(4 * units,)``
    or None). Returns ``(last_output, outputs, [h, c])``. Jitted, so eager calls compile once per shape.
    The scan computes the final states in every case, so ``final_states`` (which lets the torch engine skip
    them) changes nothing here."""
    return _lstm(*_arrays(inputs, h, c, kernel, recurrent_kernel, bias, mask), go_backwards=go_backwards,
                 zero_output_for_mask=zero_output_for_mask, return_sequences=return_sequences)


def _lstm_scan(inputs, h, c, kernel, recurrent_kernel, bias, mask, go_backwards, zero_output_for_mask,
               return_sequences):
    def step(projected_t, states):
        h, c = states
        i, f, g, o = jnp.split(projected_t + h @ recurrent_kernel, 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return h, [h, c]

    return rnn(step, _projected(inputs, kernel, bias), [h, c], go_backwards=go_backwards, mask=mask,
               zero_output_for_mask=zero_output_for_mask, return_all_outputs=return_sequences)


def gru(inputs, h, kernel, recurrent_kernel, bias=None, reset_after=True, mask=None, go_backwards=False,
        zero_output_for_mask=False, return_sequences=True, final_states=True):
    """A GRU with tanh/sigmoid activations and Keras weights (gates z, r, h; ``bias`` ``(2, 3 * units)``
    with ``reset_after``, else ``(3 * units,)``). Returns ``(last_output, outputs, [h])``. Jitted."""
    return _gru(*_arrays(inputs, h, kernel, recurrent_kernel, bias, mask), reset_after=reset_after,
                go_backwards=go_backwards, zero_output_for_mask=zero_output_for_mask,
                return_sequences=return_sequences)


def _gru_scan(inputs, h, kernel, recurrent_kernel, bias, mask, reset_after, go_backwards, zero_output_for_mask,
              return_sequences):
    units = recurrent_kernel.shape[0]
    input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after and bias is not None else (bias, None)

    def step(projected_t, states):
        (h,) = states
        x_z, x_r, x_h = jnp.split(projected_t, 3, axis=-1)
        if reset_after:
            inner = h @ recurrent_kernel
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            h_z, h_r, h_h = jnp.split(inner, 3, axis=-1)
            z, r = jax.nn.sigmoid(x_z + h_z), jax.nn.sigmoid(x_r + h_r)
            candidate = jnp.tanh(x_h + r * h_h)
        else:
            h_z, h_r = jnp.split(h @ recurrent_kernel[:, :2 * units], 2, axis=-1)
            z, r = jax.nn.sigmoid(x_z + h_z), jax.nn.sigmoid(x_r + h_r)
            candidate = jnp.tanh(x_h + (r * h) @ recurrent_kernel[:, 2 * units:])
        h = z * h + (1 - z) * candidate
        return h, [h]

    return rnn(step, _projected(inputs, kernel, input_bias), [h], go_backwards=go_backwards, mask=mask,
               zero_output_for_mask=zero_output_for_mask, return_all_outputs=return_sequences)


_lstm = jax.jit(_lstm_scan, static_argnames=_OPTIONS[:3])
_gru = jax.jit(_gru_scan, static_argnames=_OPTIONS)
