"""The engine's recurrent loops (lamina.backend.rnn): the generic scan against a NumPy loop (masks carry
states and outputs through, go_backwards, return_all_outputs, unroll), and the fused lstm/gru against the
generic scan with the same step written in NumPy-checked form; under jax.jit on JAX."""

import numpy as np
import pytest

import lamina
from lamina import ops

rnn = lamina.backend.rnn


def to_numpy(x):
    return lamina.backend.convert_to_numpy(x)


def accumulate(x_t, states):
    """A step with a known answer: the state is the running sum, the output twice the state."""
    total = states[0] + x_t
    return total * 2, [total]


def numpy_accumulate(x, mask, go_backwards, zero_output):
    steps = list(range(x.shape[1]))[::-1] if go_backwards else range(x.shape[1])
    state, output, outputs = np.zeros_like(x[:, 0]), np.zeros_like(x[:, 0]), []
    for t in steps:
        keep = mask[:, t:t + 1]
        new_state = state + x[:, t]
        state = np.where(keep, new_state, state)
        output = np.where(keep, 2 * new_state, 0 if zero_output else output)
        outputs.append(output)
    return output, np.stack(outputs, 1), state


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
@pytest.mark.parametrize("unroll", [False, True])
def test_generic_scan_with_mask_matches_numpy(engine, rng, go_backwards, zero_output, unroll):
    x = rng.normal(size=(3, 5, 2)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1], [1, 0, 1, 0, 1]], bool)
    last, outputs, (state,) = rnn.rnn(accumulate, x, [np.zeros((3, 2), "float32")], go_backwards=go_backwards,
                                      mask=mask, unroll=unroll, zero_output_for_mask=zero_output)
    expected = numpy_accumulate(x, mask, go_backwards, zero_output)
    for got, want in zip((last, outputs, state), expected):
        np.testing.assert_allclose(to_numpy(got), want, rtol=1e-6, atol=1e-6)


def test_generic_scan_without_mask_and_last_output_only(engine, rng):
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    last, outputs, (state,) = rnn.rnn(accumulate, x, [np.zeros((2, 3), "float32")], return_all_outputs=False)
    np.testing.assert_allclose(to_numpy(state), x.sum(1), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(last), 2 * x.sum(1), rtol=1e-6)
    assert tuple(outputs.shape) == (2, 1, 3)


def lstm_step(kernel, recurrent_kernel, bias):
    kernel, recurrent_kernel, bias = (ops.convert_to_tensor(w) for w in (kernel, recurrent_kernel, bias))
    def step(x_t, states):
        i, f, g, o = ops.split(ops.matmul(x_t, kernel) + ops.matmul(states[0], recurrent_kernel) + bias, 4, axis=-1)
        c = ops.sigmoid(f) * states[1] + ops.sigmoid(i) * ops.tanh(g)
        h = ops.sigmoid(o) * ops.tanh(c)
        return h, [h, c]
    return step


def gru_step(kernel, recurrent_kernel, bias):
    kernel, recurrent_kernel, bias = (ops.convert_to_tensor(w) for w in (kernel, recurrent_kernel, bias))
    def step(x_t, states):
        x_z, x_r, x_h = ops.split(ops.matmul(x_t, kernel) + bias[0], 3, axis=-1)
        h_z, h_r, h_h = ops.split(ops.matmul(states[0], recurrent_kernel) + bias[1], 3, axis=-1)
        z, r = ops.sigmoid(x_z + h_z), ops.sigmoid(x_r + h_r)
        h = z * states[0] + (1 - z) * ops.tanh(x_h + r * h_h)
        return h, [h]
    return step


MASKS = {
    "none": None,
    "right-padded": np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 1, 1, 0, 0]], bool),
    "holes": np.array([[1, 0, 1, 1, 1], [0, 0, 1, 1, 0], [1, 1, 1, 0, 1]], bool),
}


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("mask_name", sorted(MASKS))
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_fused_kernels_match_the_generic_scan_or_decline(engine, rng, kind, mask_name, go_backwards, zero_output):
    units, mask = 4, MASKS[mask_name]
    x = rng.normal(size=(3, 5, 2)).astype("float32")
    gates = 4 if kind == "lstm" else 3
    kernel = rng.normal(scale=0.5, size=(2, gates * units)).astype("float32")
    recurrent_kernel = rng.normal(scale=0.5, size=(units, gates * units)).astype("float32")
    bias = rng.normal(scale=0.5, size=(gates * units,) if kind == "lstm" else (2, 3 * units)).astype("float32")
    states = [rng.normal(size=(3, units)).astype("float32") for _ in range(2 if kind == "lstm" else 1)]
    options = dict(mask=mask, go_backwards=go_backwards, zero_output_for_mask=zero_output)
    if kind == "lstm":
        fused = rnn.lstm(x, *states, kernel, recurrent_kernel, bias, final_states=False, **options)
        step = lstm_step(kernel, recurrent_kernel, bias)
    else:
        fused = rnn.gru(x, *states, kernel, recurrent_kernel, bias, **options)
        step = gru_step(kernel, recurrent_kernel, bias)
    if fused is None:  # torch's kernel declines masks with holes
        assert engine == "torch" and mask_name == "holes"
        return
    (last, outputs, final), (want_last, want_outputs, want_final) = fused, rnn.rnn(step, x, states, **options)
    for got, want in [(last, want_last), (outputs, want_outputs)] + list(zip(final, want_final)):
        if got is not None:  # without final_states a masked LSTM's c is not computed on torch
            np.testing.assert_allclose(to_numpy(got), to_numpy(want), rtol=1e-5, atol=1e-5)
    assert final[0] is not None


@pytest.mark.parametrize("mask_name", ["none", "right-padded"])
def test_fused_lstm_final_states_are_exact_or_declined(engine, rng, mask_name):
    mask = MASKS[mask_name]
    x = rng.normal(size=(3, 5, 2)).astype("float32")
    kernel, recurrent_kernel = rng.normal(size=(2, 16)).astype("float32"), rng.normal(size=(4, 16)).astype("float32")
    bias, states = np.zeros(16, "float32"), [rng.normal(size=(3, 4)).astype("float32") for _ in range(2)]
    fused = rnn.lstm(x, *states, kernel, recurrent_kernel, bias, mask=mask, final_states=True)
    if fused is None:  # torch: the cell state at each sequence's length needs the generic loop
        assert engine == "torch" and mask is not None
        return
    generic = rnn.rnn(lstm_step(kernel, recurrent_kernel, bias), x, states, mask=mask)
    for got, want in zip(fused[2], generic[2]):
        np.testing.assert_allclose(to_numpy(got), to_numpy(want), rtol=1e-5, atol=1e-5)


@pytest.mark.engines("torch")
def test_torch_gru_declines_reset_before(engine, rng):
    x = np.zeros((1, 2, 3), "float32")
    assert rnn.gru(x, np.zeros((1, 2), "float32"), np.zeros((3, 6), "float32"), np.zeros((2, 6), "float32"),
                   np.zeros((6,), "float32"), reset_after=False) is None


@pytest.mark.engines("jax")
def test_jax_scan_runs_under_jit(engine, rng):
    import jax

    x = rng.normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], bool)
    run = jax.jit(lambda x, m: rnn.rnn(accumulate, x, [jax.numpy.zeros((2, 3))], mask=m)[0])
    np.testing.assert_allclose(to_numpy(run(x, mask)), numpy_accumulate(x, mask, False, False)[0], rtol=1e-6)
