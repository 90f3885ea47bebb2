"""lamina.text.sample: drawn frequencies against the reweighted distribution, exact masks, safety at the edges."""

import numpy as np
import pytest

import lamina
from lamina.text import sample

P = np.array([0.1, 0.2, 0.3, 0.4])
DRAWS = 40_000
TOLERANCE = 0.012  # about 5 standard deviations of a frequency over DRAWS draws


def frequencies(probabilities, **options):
    """How often each index is drawn over DRAWS rows of one batch."""
    batch = np.tile(np.asarray(probabilities, dtype=np.float64), (DRAWS, 1))
    drawn = sample(batch, seed=0, **options)
    return np.bincount(drawn, minlength=len(probabilities)) / DRAWS


def test_draws_follow_the_distribution(engine):
    np.testing.assert_allclose(frequencies(P), P, atol=TOLERANCE)


def test_unnormalized_weights_are_normalized(engine):
    np.testing.assert_allclose(frequencies(P * 7.0), P, atol=TOLERANCE)


@pytest.mark.parametrize("temperature", [0.5, 2.0])
def test_temperature_reweights_to_p_power_one_over_t(engine, temperature):
    expected = P ** (1 / temperature) / np.sum(P ** (1 / temperature))
    np.testing.assert_allclose(frequencies(P, temperature=temperature), expected, atol=TOLERANCE)


def test_temperature_zero_is_argmax_with_lower_index_on_ties(engine):
    assert sample(P, temperature=0) == 3
    assert sample([0.4, 0.1, 0.4, 0.1], temperature=0) == 0
    np.testing.assert_array_equal(sample([[0.2, 0.8], [0.9, 0.1]], temperature=0), [1, 0])


def test_top_k_keeps_exactly_the_k_most_likely(engine):
    np.testing.assert_allclose(frequencies(P, top_k=2), [0, 0, 3 / 7, 4 / 7], atol=TOLERANCE)
    assert set(np.flatnonzero(frequencies(P, top_k=3))) == {1, 2, 3}
    assert set(np.flatnonzero(frequencies([0.25, 0.25, 0.25, 0.25], top_k=2))) == {0, 1}  # ties: lower index
    np.testing.assert_allclose(frequencies(P, top_k=10), P, atol=TOLERANCE)


@pytest.mark.parametrize("top_p, kept", [(1e-9, [3]), (0.4, [3]), (0.65, [2, 3]), (0.75, [1, 2, 3]),
                                         (1.0, [0, 1, 2, 3])])
def test_top_p_keeps_the_smallest_set_reaching_p(engine, top_p, kept):
    expected = np.zeros(4)
    expected[kept] = P[kept] / P[kept].sum()
    np.testing.assert_allclose(frequencies(P, top_p=top_p), expected, atol=TOLERANCE)


def test_top_p_is_measured_after_temperature_and_top_k(engine):
    # At temperature 0.5 the distribution is [1, 4, 9, 16] / 30: 16/30 < 0.6 needs the second most likely.
    assert set(np.flatnonzero(frequencies(P, temperature=0.5, top_p=0.6))) == {2, 3}
    # Within the top 2 (3/7, 4/7), a nucleus of 0.5 holds the most likely only.
    assert set(np.flatnonzero(frequencies(P, top_k=2, top_p=0.5))) == {3}


@pytest.mark.parametrize("temperature", [1e-300, 1e-6, 0.3, 1.0, 50.0])
def test_zero_probabilities_are_never_drawn(engine, temperature):
    p = [0.0, 0.5, 0.0, 0.5, 0.0]
    drawn = frequencies(p, temperature=temperature)
    assert drawn[[0, 2, 4]].sum() == 0
    assert not np.isnan(drawn).any()


def test_no_nan_with_tiny_probabilities_and_temperatures(engine):
    assert sample([0.0, 1e-320, 0.0], seed=0) == 1  # a denormal is the only possible entry
    assert sample([0.3, 0.3, 0.4, 0.0], temperature=1e-300, seed=0) == 2
    assert sample([1e-300, 1e-310, 0.0], temperature=1e-300, seed=0) == 0
    assert sample([0.0, 1.0], temperature=1e-300, top_p=0.5, seed=0) == 1


def test_rows_of_a_batch_draw_independently(engine):
    drawn = sample(np.eye(3)[[2, 0, 1, 2]], seed=0)
    assert isinstance(drawn, np.ndarray) and drawn.shape == (4,)
    np.testing.assert_array_equal(drawn, [2, 0, 1, 2])


def test_accepts_engine_tensors_and_returns_python_ints(engine):
    tensor = lamina.ops.convert_to_tensor(np.array([0.0, 0.0, 1.0], dtype="float32"))
    drawn = sample(tensor, seed=0)
    assert type(drawn) is int and drawn == 2
    batch = lamina.ops.convert_to_tensor(np.array([[1.0, 0.0], [0.0, 1.0]], dtype="float32"))
    np.testing.assert_array_equal(sample(batch, temperature=0), [0, 1])


def test_seeds_make_draws_reproducible(engine):
    batch = np.tile(P, (50, 1))
    np.testing.assert_array_equal(sample(batch, seed=7), sample(batch, seed=7))
    assert not np.array_equal(sample(batch, seed=7), sample(batch, seed=8))
    first, second = np.random.default_rng(3), np.random.default_rng(3)
    np.testing.assert_array_equal([sample(P, seed=first) for _ in range(20)],
                                  [sample(P, seed=second) for _ in range(20)])
    lamina.utils.set_random_seed(11)
    global_draws = sample(batch)
    lamina.utils.set_random_seed(11)
    np.testing.assert_array_equal(sample(batch), global_draws)


@pytest.mark.parametrize("probabilities", [[0.5, -0.1, 0.6], [0.5, np.nan], [0.0, 0.0], [np.inf, 1.0], [],
                                           np.ones((2, 2, 2))])
def test_invalid_probabilities_are_refused(engine, probabilities):
    with pytest.raises(ValueError, match="`probabilities` of sample"):
        sample(probabilities)


@pytest.mark.parametrize("options, name", [({"temperature": -1.0}, "temperature"),
                                           ({"temperature": np.inf}, "temperature"), ({"top_k": 0}, "top_k"),
                                           ({"top_k": 1.5}, "top_k"), ({"top_p": 0.0}, "top_p"),
                                           ({"top_p": 1.5}, "top_p")])
def test_invalid_options_are_refused(engine, options, name):
    with pytest.raises(ValueError, match=f"`{name}` of sample"):
        sample(P, **options)


def test_invalid_seed_is_refused(engine):
    with pytest.raises(TypeError, match="`seed` of sample"):
        sample(P, seed="seven")
