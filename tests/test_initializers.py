"""lamina.initializers: values and statistics, fan computation, seeding, and lookup/serialization."""

import math

import numpy as np
import pytest

import lamina
from lamina import initializers, random

to_numpy = lamina.backend.convert_to_numpy


# -- deterministic initializers -------------------------------------------------------------------
def test_constant_zeros_ones(engine):
    np.testing.assert_array_equal(to_numpy(initializers.Constant(2.5)((2, 3))), np.full((2, 3), 2.5))
    zeros = to_numpy(initializers.get("zeros")((3,), dtype="int32"))
    assert zeros.dtype == np.int32 and zeros.tolist() == [0, 0, 0]
    ones = to_numpy(initializers.get("ones")((2, 2)))
    assert ones.dtype == np.float32 and ones.tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_identity(engine):
    np.testing.assert_array_equal(to_numpy(initializers.Identity(gain=3.0)((2, 4))), 3.0 * np.eye(2, 4))
    with pytest.raises(ValueError, match=r"2D matrices. Received: shape=\(2, 2, 2\)"):
        initializers.IdentityInitializer()((2, 2, 2))


# -- fans and variance scaling --------------------------------------------------------------------
def test_compute_fans():
    assert initializers.compute_fans(()) == (1, 1)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans((4, 5)) == (4, 5)
    assert initializers.compute_fans((3, 3, 16, 32)) == (3 * 3 * 16, 3 * 3 * 32)


def test_glorot_uniform_limit(engine):
    shape = (3, 3, 40, 60)
    fan_in, fan_out = 3 * 3 * 40, 3 * 3 * 60
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    values = to_numpy(initializers.GlorotUniform(seed=1)(shape))
    assert values.shape == shape and np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.99 * limit
    assert abs(values.std() - limit / math.sqrt(3.0)) < 0.02 * limit


@pytest.mark.parametrize("name, scale, fan_key, uniform", [
    ("glorot_normal", 1.0, "avg", False), ("he_normal", 2.0, "in", False), ("lecun_normal", 1.0, "in", False),
    ("he_uniform", 2.0, "in", True), ("lecun_uniform", 1.0, "in", True),
])
def test_variance_scaling_presets(engine, name, scale, fan_key, uniform):
    shape = (200, 100)
    fan = {"in": 200, "avg": 150}[fan_key]
    stddev = math.sqrt(scale / fan)
    values = to_numpy(initializers.get({"class_name": name, "config": {"seed": 2}})(shape))
    assert abs(values.std() - stddev) < 0.03 * stddev
    bound = math.sqrt(3.0) * stddev if uniform else 2.0 * stddev / 0.87962566103423978
    assert np.abs(values).max() <= bound * (1 + 1e-6)


def test_variance_scaling_modes_and_validation(engine):
    values = to_numpy(initializers.VarianceScaling(4.0, "fan_out", "untruncated_normal", seed=3)((400, 100)))
    assert abs(values.std() - math.sqrt(4.0 / 100)) < 0.01
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"
    with pytest.raises(ValueError, match="Received: mode=fan_sum"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="Received: scale=0"):
        initializers.VarianceScaling(scale=0)


def test_random_normal_uniform_truncated(engine):
    normal = to_numpy(initializers.RandomNormal(mean=1.0, stddev=2.0, seed=4)((100, 100)))
    assert abs(normal.mean() - 1.0) < 0.1 and abs(normal.std() - 2.0) < 0.1
    uniform = to_numpy(initializers.RandomUniform(seed=4)((100, 100)))
    assert uniform.min() >= -0.05 and uniform.max() < 0.05
    truncated = to_numpy(initializers.TruncatedNormal(seed=4)((100, 100)))
    assert np.abs(truncated).max() <= 0.1 and truncated.std() > 0.04


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (2, 3, 8)])
def test_orthogonal(engine, shape):
    values = to_numpy(initializers.Orthogonal(gain=2.0, seed=5)(shape)).reshape(-1, shape[-1]) / 2.0
    rows, cols = values.shape
    gram = values.T @ values if rows >= cols else values @ values.T
    np.testing.assert_allclose(gram, np.eye(min(rows, cols)), atol=1e-5)
    with pytest.raises(ValueError, match="rank >= 2"):
        initializers.OrthogonalInitializer()((5,))


# -- seeding (Keras 3: ints and None repeat values, a SeedGenerator does not) ---------------------
def test_seeding(engine):
    seeded = initializers.HeNormal(seed=7)
    np.testing.assert_array_equal(to_numpy(seeded((4, 4))), to_numpy(seeded((4, 4))))
    np.testing.assert_array_equal(to_numpy(seeded((4, 4))), to_numpy(initializers.HeNormal(seed=7)((4, 4))))
    unseeded = initializers.RandomNormal()
    np.testing.assert_array_equal(to_numpy(unseeded((4,))), to_numpy(unseeded((4,))))
    assert not np.array_equal(to_numpy(unseeded((4,))), to_numpy(initializers.RandomNormal()((4,))))
    generated = initializers.RandomUniform(seed=random.SeedGenerator(1))
    assert not np.array_equal(to_numpy(generated((4,))), to_numpy(generated((4,))))
    with pytest.raises(ValueError, match="Received: seed='x'"):
        initializers.RandomNormal(seed="x")


def test_set_random_seed_makes_unseeded_initializers_reproducible(engine):
    lamina.utils.set_random_seed(11)
    first = to_numpy(initializers.get("glorot_uniform")((3, 5)))
    lamina.utils.set_random_seed(11)
    np.testing.assert_array_equal(first, to_numpy(initializers.get("glorot_uniform")((3, 5))))


# -- lookup and serialization ---------------------------------------------------------------------
@pytest.mark.parametrize("name, cls", [
    ("glorot_uniform", initializers.GlorotUniform), ("zeros", initializers.Zeros), ("ones", initializers.Ones),
    ("he_normal", initializers.HeNormal), ("orthogonal", initializers.OrthogonalInitializer),
    ("random_normal", initializers.RandomNormal), ("truncated_normal", initializers.TruncatedNormal),
    ("identity", initializers.IdentityInitializer), ("constant", initializers.Constant),
    ("variance_scaling", initializers.VarianceScaling), ("GlorotNormal", initializers.GlorotNormal),
    ("uniform", initializers.RandomUniform), ("lecun_uniform", initializers.LecunUniform),
])
def test_get_by_name(engine, name, cls):
    assert type(initializers.get(name)) is cls


def test_serialize_round_trip(engine):
    original = initializers.VarianceScaling(scale=2.0, mode="fan_avg", distribution="uniform", seed=9)
    config = initializers.serialize(original)
    assert config["class_name"] == "VarianceScaling" and config["module"] == "lamina.initializers"
    assert config["config"] == {"scale": 2.0, "mode": "fan_avg", "distribution": "uniform", "seed": 9}
    rebuilt = initializers.deserialize(config)
    np.testing.assert_array_equal(to_numpy(rebuilt((3, 3))), to_numpy(original((3, 3))))
    orthogonal = initializers.serialize(initializers.Orthogonal(gain=0.5))
    assert orthogonal["class_name"] == "OrthogonalInitializer"
    assert orthogonal["config"] == {"gain": 0.5, "seed": None}
    assert initializers.get(orthogonal).gain == 0.5
    assert initializers.serialize(initializers.GlorotUniform(seed=3))["config"] == {"seed": 3}
    assert initializers.deserialize("he_uniform").get_config() == {"seed": None}


def test_seed_generator_survives_serialization(engine):
    config = initializers.serialize(initializers.RandomNormal(seed=random.SeedGenerator(4)))
    rebuilt = initializers.deserialize(config)
    assert isinstance(rebuilt.seed, random.SeedGenerator) and rebuilt.seed.get_config() == {"seed": 4}


def test_get_passes_through_and_rejects(engine):
    assert initializers.get(None) is None
    instance = initializers.Zeros()
    assert initializers.get(instance) is instance
    assert type(initializers.get(initializers.Ones)) is initializers.Ones

    def custom(shape, dtype=None):
        return lamina.ops.ones(shape, dtype=dtype)

    assert initializers.get(custom) is custom
    with pytest.raises(ValueError, match="Unknown initializer: 'glorot_unifrom'"):
        initializers.get("glorot_unifrom")
    assert initializers.Constant(1.5).clone().get_config() == {"value": 1.5}


@pytest.mark.parametrize("periodic", [False, True])
def test_stft_kernels_compute_the_windowed_rfft(engine, periodic):
    """Real and imaginary kernels, used as Conv1D weights, give NumPy's rfft of each Hann-windowed frame,
    divided by the window's L2 norm ("density" scaling)."""
    frame, bins = 8, 5
    hann = np.hanning(frame + 1)[:-1] if periodic else np.hanning(frame)
    real = initializers.STFT("real", "hann", "density", periodic)(shape=(frame, 1, bins))
    imag = initializers.get({"class_name": "STFTInitializer", "config": {"side": "imag", "periodic": periodic}})(
        shape=(frame, 1, bins))
    signal = np.random.default_rng(0).normal(size=(frame,))
    expected = np.fft.rfft(signal * hann) / np.sqrt(np.sum(hann**2))
    kernel_real, kernel_imag = lamina.backend.convert_to_numpy(real), lamina.backend.convert_to_numpy(imag)
    assert kernel_real.shape == (frame, 1, bins) and kernel_real.dtype == np.float32
    np.testing.assert_allclose(signal @ kernel_real[:, 0, :], expected.real, atol=1e-5)
    np.testing.assert_allclose(signal @ kernel_imag[:, 0, :], expected.imag, atol=1e-5)


def test_stft_window_options(engine):
    frame, bins = 6, 4
    window = np.array([0.5, 1.0, 2.0, 2.0, 1.0, 0.5])
    angles = -2 * np.pi * np.outer(np.arange(frame), np.arange(bins)) / 6
    spectrum = initializers.STFT("real", window, "spectrum")(shape=(frame, 1, bins), dtype="float64")
    np.testing.assert_allclose(lamina.backend.convert_to_numpy(spectrum)[:, 0, :],
                               np.cos(angles) * window[:, None] / window.sum(), atol=1e-12)
    plain = initializers.STFT("imag", None)(shape=(frame, 1, bins))
    np.testing.assert_allclose(lamina.backend.convert_to_numpy(plain)[:, 0, :], np.sin(angles), atol=1e-6)
    assert initializers.STFT(window=None).get_config() == {"side": "real", "window": None, "periodic": False,
                                                           "scaling": "density"}
    with pytest.raises(ValueError, match="side"):
        initializers.STFT("complex")
    with pytest.raises(ValueError, match="scaling"):
        initializers.STFT(scaling="l2")
    with pytest.raises(ValueError, match="window"):
        initializers.STFT("real", [1.0, 2.0])(shape=(frame, 1, bins))
    assert initializers.stft is initializers.STFTInitializer is initializers.STFT
