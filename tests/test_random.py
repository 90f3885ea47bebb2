"""lamina.random: distribution moments, bounds, seeding and the SeedGenerator state."""

import numpy as np
import pytest

import lamina
from lamina import random
from lamina.backend import StatelessScope, SymbolicTensor

to_numpy = lamina.backend.convert_to_numpy
N = 10_000


# -- distributions --------------------------------------------------------------------------------
def test_normal_moments_and_dtype(engine):
    sample = to_numpy(random.normal((N,), mean=2.0, stddev=3.0, seed=1))
    assert sample.dtype == np.float32
    assert abs(sample.mean() - 2.0) < 0.1 and abs(sample.std() - 3.0) < 0.1
    assert to_numpy(random.normal((2, 3), dtype="float16", seed=1)).dtype == np.float16
    lamina.config.set_floatx("float64")
    assert to_numpy(random.uniform((2,), seed=1)).dtype == np.float64


def test_uniform_moments_and_bounds(engine):
    sample = to_numpy(random.uniform((N,), minval=-1.0, maxval=3.0, seed=2))
    assert sample.min() >= -1.0 and sample.max() < 3.0
    assert abs(sample.mean() - 1.0) < 0.05 and abs(sample.std() - 4.0 / np.sqrt(12.0)) < 0.05


def test_truncated_normal_stays_within_two_stddevs(engine):
    sample = to_numpy(random.truncated_normal((N,), mean=1.0, stddev=0.5, seed=3))
    assert sample.min() >= 0.0 and sample.max() <= 2.0
    # A unit normal truncated to [-2, 2] has standard deviation 0.8796.
    assert abs(sample.mean() - 1.0) < 0.02 and abs(sample.std() - 0.5 * 0.8796) < 0.02


def test_randint_range_and_dtype(engine):
    sample = to_numpy(random.randint((N,), 3, 7, seed=4))
    assert sample.dtype == np.int32 and set(np.unique(sample)) == {3, 4, 5, 6}
    assert to_numpy(random.randint((5,), 0, 2, dtype="int64", seed=4)).dtype == np.int64
    with pytest.raises(ValueError, match="minval < maxval"):
        random.randint((2,), 5, 5)
    with pytest.raises(ValueError, match="integer dtype"):
        random.randint((2,), 0, 5, dtype="float32")


def test_categorical_follows_softmax(engine):
    logits = np.log(np.array([[0.2, 0.8], [0.9, 0.1]], "float32"))
    sample = to_numpy(random.categorical(logits, N, seed=5))
    assert sample.shape == (2, N) and sample.dtype == np.int32
    np.testing.assert_allclose(sample.mean(axis=1), [0.8, 0.1], atol=0.02)
    assert random.categorical(SymbolicTensor((None, 4)), 3).shape == (None, 3)
    with pytest.raises(ValueError, match="rank 2"):
        random.categorical(np.zeros(3, "float32"), 2)


def test_dropout_zeroes_and_rescales(engine):
    inputs = np.ones((100, 100), "float32")
    out = to_numpy(random.dropout(inputs, 0.25, seed=6))
    assert set(np.unique(out)) == {0.0, np.float32(1 / 0.75)}
    assert abs((out == 0).mean() - 0.25) < 0.02
    rows = to_numpy(random.dropout(inputs, 0.5, noise_shape=(None, 1), seed=6))
    assert all(len(set(row)) == 1 for row in rows)  # whole rows drop together
    assert to_numpy(random.dropout(inputs, 1.0, seed=6)).max() == 0.0
    np.testing.assert_array_equal(to_numpy(random.dropout(inputs, 0.0, seed=6)), inputs)
    assert random.dropout(SymbolicTensor((None, 8)), 0.5).shape == (None, 8)
    with pytest.raises(ValueError, match="rate"):
        random.dropout(inputs, 1.5)



@pytest.mark.parametrize("rate", [0.1, 0.2, 0.5, 0.9])
def test_dropout_draws_independent_entries_at_the_rate(engine, rate):
    """Over an odd-sized input the share dropped is ``rate``, and neighbouring entries (which the JAX engine
    draws from the two halves of one random word) drop independently: their correlation is about 0."""
    kept = to_numpy(random.dropout(np.ones((301, 101), "float32"), rate, seed=11)).reshape(-1) > 0
    assert abs((~kept).mean() - rate) < 0.01
    assert abs(np.corrcoef(kept[:-1], kept[1:])[0, 1]) < 0.02
    assert abs(np.corrcoef(kept[:-2], kept[2:])[0, 1]) < 0.02
    again = to_numpy(random.dropout(np.ones((301, 101), "float32"), rate, seed=11)).reshape(-1) > 0
    np.testing.assert_array_equal(again, kept)

def test_shuffle_is_a_permutation(engine):
    data = np.arange(20).reshape(4, 5)
    shuffled = to_numpy(random.shuffle(data, axis=1, seed=7))
    assert not np.array_equal(shuffled, data)
    np.testing.assert_array_equal(np.sort(shuffled, axis=1), data)
    assert (shuffled[1:] - shuffled[:-1] == 5).all()  # columns move together


@pytest.mark.parametrize("alpha", [0.5, 3.0])
def test_gamma_moments(engine, alpha):
    sample = to_numpy(random.gamma((N,), alpha, seed=8))
    assert sample.min() >= 0.0
    assert abs(sample.mean() - alpha) < 0.05 * max(alpha, 1.0) and abs(sample.var() - alpha) < 0.12 * max(alpha, 1.0)


def test_beta_and_binomial_moments(engine):
    beta = to_numpy(random.beta((N,), 2.0, 5.0, seed=9))
    assert beta.min() >= 0.0 and beta.max() <= 1.0 and abs(beta.mean() - 2.0 / 7.0) < 0.01
    binomial = to_numpy(random.binomial((N,), 10, 0.3, seed=10))
    assert binomial.dtype == np.float32 and set(np.unique(binomial)) <= set(range(11))
    assert abs(binomial.mean() - 3.0) < 0.06 and abs(binomial.var() - 2.1) < 0.1


# -- seeding --------------------------------------------------------------------------------------
def test_int_seed_is_deterministic(engine):
    first = to_numpy(random.normal((8,), seed=42))
    np.testing.assert_array_equal(first, to_numpy(random.normal((8,), seed=42)))
    assert not np.array_equal(first, to_numpy(random.normal((8,), seed=43)))


def test_seed_generator_advances_and_replays(engine):
    generator = random.SeedGenerator(42)
    a, b = (to_numpy(random.uniform((8,), seed=generator)) for _ in range(2))
    assert not np.array_equal(a, b)
    replay = random.SeedGenerator(42)
    np.testing.assert_array_equal(to_numpy(random.uniform((8,), seed=replay)), a)
    np.testing.assert_array_equal(to_numpy(random.uniform((8,), seed=replay)), b)
    np.testing.assert_array_equal(to_numpy(random.uniform((8,), seed=42)), a)  # first draw of 42 = int 42


def test_seed_generator_state_is_a_saveable_variable(engine):
    generator = random.SeedGenerator(7, name="my_gen")
    assert isinstance(generator.state, lamina.backend.Variable) and not generator.state.trainable
    assert generator.state.path == "my_gen/seed_generator_state"
    random.normal((2,), seed=generator)
    assert to_numpy(generator.state).tolist() == [7, 1]
    clone = random.SeedGenerator.from_config(generator.get_config())
    assert to_numpy(clone.state).tolist() == [7, 0]
    rebuilt = lamina.saving.deserialize(lamina.saving.serialize(generator))
    assert isinstance(rebuilt, random.SeedGenerator) and rebuilt.get_config() == {"seed": 7}


def test_seed_generator_inside_stateless_scope_records_the_new_state(engine):
    generator = random.SeedGenerator(3)
    with StatelessScope() as scope:
        random.normal((2,), seed=generator)
        random.normal((2,), seed=generator)
    assert to_numpy(generator.state).tolist() == [3, 0]  # the real state is untouched
    (_, new_state), = scope.assignments.values()
    assert to_numpy(new_state).tolist() == [3, 2]


def test_set_random_seed_makes_unseeded_calls_reproducible(engine):
    lamina.utils.set_random_seed(123)
    first = [to_numpy(random.normal((4,))) for _ in range(2)]
    assert not np.array_equal(*first)
    lamina.utils.set_random_seed(123)
    again = [to_numpy(random.normal((4,))) for _ in range(2)]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)


def test_unseeded_elastic_transform_draws_from_the_global_generator(engine):
    images = np.arange(2 * 6 * 6 * 1, dtype="float32").reshape(2, 6, 6, 1)

    def elastic():
        return to_numpy(lamina.ops.image.elastic_transform(images, alpha=2.0, sigma=1.0,
                                                           data_format="channels_last"))

    lamina.utils.set_random_seed(1)
    first, second = elastic(), elastic()
    assert not np.array_equal(first, second)
    lamina.utils.set_random_seed(1)
    np.testing.assert_array_equal(elastic(), first)
    # It takes exactly one seed from the generator lamina.random uses: the next normal is the second draw.
    lamina.utils.set_random_seed(1)
    random.normal((4,))
    second_draw = to_numpy(random.normal((4,)))
    lamina.utils.set_random_seed(1)
    elastic()
    np.testing.assert_array_equal(to_numpy(random.normal((4,))), second_draw)


def test_set_random_seed_seeds_python_and_numpy(engine):
    import random as python_random

    lamina.utils.set_random_seed(5)
    values = (python_random.random(), np.random.rand(), random.SeedGenerator().get_config()["seed"])
    lamina.utils.set_random_seed(5)
    assert values == (python_random.random(), np.random.rand(), random.SeedGenerator().get_config()["seed"])


def test_invalid_seed_is_rejected(engine):
    with pytest.raises(ValueError, match="Received: seed='abc'"):
        random.normal((2,), seed="abc")
    with pytest.raises(ValueError, match="seed"):
        random.SeedGenerator(1.5)
    with pytest.raises(ValueError, match="float dtype"):
        random.normal((2,), dtype="int32")
