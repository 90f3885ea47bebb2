"""lamina.ops.nn: unfold/fold, pixel shuffles, normalize, psnr, polar and greedy CTC decoding."""

import numpy as np
import pytest
from spec_check import check_spec

from lamina.backend import SymbolicTensor, convert_to_numpy
from lamina.ops import nn

ARGS = dict(dilation=(1, 2), padding=1, stride=(2, 1))


def test_unfold_and_fold_match_torch(engine):
    torch = pytest.importorskip("torch")
    x = np.arange(2 * 3 * 5 * 6, dtype="float32").reshape(2, 3, 5, 6)
    columns = nn.unfold(x, (2, 3), **ARGS)
    ref = torch.nn.functional.unfold(torch.tensor(x), (2, 3), **ARGS)
    np.testing.assert_array_equal(convert_to_numpy(columns), ref.numpy())
    check_spec(columns, nn.unfold(SymbolicTensor(x.shape), (2, 3), **ARGS))
    folded = nn.fold(ref.numpy(), (5, 6), (2, 3), **ARGS)
    ref_folded = torch.nn.functional.fold(ref, (5, 6), (2, 3), **ARGS).numpy()
    np.testing.assert_array_equal(convert_to_numpy(folded), ref_folded)
    check_spec(folded, nn.fold(SymbolicTensor(tuple(ref.shape)), (5, 6), (2, 3), **ARGS))


def test_depth_to_space_round_trip(engine):
    torch = pytest.importorskip("torch")
    x = np.arange(2 * 2 * 3 * 8, dtype="float32").reshape(2, 2, 3, 8)
    spread = nn.depth_to_space(x, 2)
    # channels-last: pixel (0, 0)'s channels (row, col, c) fill the top-left 2x2 block
    np.testing.assert_array_equal(convert_to_numpy(spread)[0, :2, :2].reshape(-1), x[0, 0, 0])
    np.testing.assert_array_equal(convert_to_numpy(nn.space_to_depth(spread, 2)), x)
    check_spec(spread, nn.depth_to_space(SymbolicTensor(x.shape), 2))
    first = x.transpose(0, 3, 1, 2)
    np.testing.assert_array_equal(convert_to_numpy(nn.depth_to_space(first, 2, "channels_first")),
                                  torch.nn.functional.pixel_shuffle(torch.tensor(first), 2).numpy())
    with pytest.raises(ValueError, match="divisible"):
        nn.space_to_depth(SymbolicTensor((1, 3, 4, 2)), 2)


def test_normalize(engine):
    x = np.array([[3.0, 4.0], [0.0, 0.0]], "float32")
    np.testing.assert_allclose(convert_to_numpy(nn.normalize(x)), [[0.6, 0.8], [0, 0]])
    np.testing.assert_allclose(convert_to_numpy(nn.normalize(x, order=1)), [[3 / 7, 4 / 7], [0, 0]], rtol=1e-6)
    np.testing.assert_allclose(convert_to_numpy(nn.normalize(x, axis=None)), x / 5)
    check_spec(nn.normalize(np.array([1, 2], "int32")), nn.normalize(SymbolicTensor((2,), "int32")))


def test_psnr_and_polar(engine):
    value = nn.psnr(np.ones(4, "float32"), np.full(4, 0.9, "float32"), 1.0)
    np.testing.assert_allclose(convert_to_numpy(value), 20.0, rtol=1e-5)  # mse = 0.01
    check_spec(value, nn.psnr(SymbolicTensor((4,)), SymbolicTensor((4,)), 1.0))
    z = nn.polar(np.array([1.0, 2.0], "float32"), np.array([0.0, np.pi / 2], "float32"))
    np.testing.assert_allclose(convert_to_numpy(z), [1.0, 2j], atol=1e-6)
    check_spec(z, nn.polar(SymbolicTensor((2,)), SymbolicTensor((2,))))


def test_ctc_decode_greedy(engine):
    probs = np.array([[[.1, .8, .1], [.1, .8, .1], [.8, .1, .1], [.1, .1, .8], [.1, .1, .8]]], "float32")
    logits = np.log(probs)
    paths, scores = nn.ctc_decode(logits, np.array([5]))
    np.testing.assert_array_equal(convert_to_numpy(paths), [[[1, 2, -1, -1, -1]]])
    np.testing.assert_allclose(convert_to_numpy(scores), [[-5 * np.log(0.8)]], rtol=1e-5)
    paths, _ = nn.ctc_decode(logits, np.array([3]), merge_repeated=False)
    np.testing.assert_array_equal(convert_to_numpy(paths), [[[1, 1, -1, -1, -1]]])
    check_spec(nn.ctc_decode(logits, np.array([5])), nn.ctc_decode(SymbolicTensor((1, 5, 3)),
                                                                   SymbolicTensor((1,), "int32")))
