"""lamina.ops.nn.ctc_decode with strategy="beam_search": against a brute-force NumPy decoder that sums the
probability of every alignment of every label sequence (tiny inputs: 4 frames, 3 classes)."""

import itertools

import numpy as np
import pytest
from spec_check import check_spec

from lamina.backend import SymbolicTensor, convert_to_numpy
from lamina.ops import nn

TIME, CLASSES = 4, 3


def _log_softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def brute_force_decode(logits, length, blank, top_paths):
    """The ``top_paths`` most probable label sequences of one sequence and their log-probabilities."""
    log_probs = _log_softmax(logits.astype("float64"))[:length]
    totals = {}
    for alignment in itertools.product(range(logits.shape[-1]), repeat=length):
        merged = [c for i, c in enumerate(alignment) if i == 0 or c != alignment[i - 1]]
        labels = tuple(c for c in merged if c != blank)
        log_p = sum(log_probs[t, c] for t, c in enumerate(alignment))
        totals[labels] = np.logaddexp(totals.get(labels, -np.inf), log_p)
    best = sorted(totals.items(), key=lambda item: -item[1])[:top_paths]
    paths = np.full((top_paths, logits.shape[0]), -1)
    for i, (labels, _) in enumerate(best):
        paths[i, :len(labels)] = labels
    return paths, np.array([log_p for _, log_p in best])


def reference(logits, lengths, blank, top_paths):
    decoded = [brute_force_decode(x, n, blank, top_paths) for x, n in zip(logits, lengths, strict=True)]
    return np.stack([paths for paths, _ in decoded], axis=1), np.stack([scores for _, scores in decoded])


@pytest.mark.parametrize("top_paths", [1, 2])
@pytest.mark.parametrize("merge_repeated", [True, False])
def test_beam_search_matches_brute_force(engine, top_paths, merge_repeated):
    logits = np.random.default_rng(top_paths).normal(size=(3, TIME, CLASSES)).astype("float32") * 2
    lengths = np.array([4, 3, 2], "int32")
    # Keras' beam search merges repeats the CTC way whatever merge_repeated says.
    paths, scores = nn.ctc_decode(logits, lengths, strategy="beam_search", top_paths=top_paths,
                                  merge_repeated=merge_repeated)
    expected_paths, expected_scores = reference(logits, lengths, 0, top_paths)
    np.testing.assert_array_equal(convert_to_numpy(paths), expected_paths)
    np.testing.assert_allclose(convert_to_numpy(scores), expected_scores, rtol=1e-5)
    check_spec((paths, scores), nn.ctc_decode(SymbolicTensor((3, TIME, CLASSES)), SymbolicTensor((3,), "int32"),
                                              strategy="beam_search", top_paths=top_paths))


@pytest.mark.parametrize("mask_index", [None, 1])
def test_beam_search_blank_index(engine, mask_index):
    logits = np.random.default_rng(7).normal(size=(2, TIME, CLASSES)).astype("float32") * 2
    lengths = np.array([4, 4], "int32")
    paths, scores = nn.ctc_decode(logits, lengths, strategy="beam_search", top_paths=2, mask_index=mask_index)
    expected_paths, expected_scores = reference(logits, lengths, CLASSES - 1 if mask_index is None else 1, 2)
    np.testing.assert_array_equal(convert_to_numpy(paths), expected_paths)
    np.testing.assert_allclose(convert_to_numpy(scores), expected_scores, rtol=1e-5)


def test_narrow_beam_keeps_the_best_prefixes(engine):
    # Frame 0 favours label 1, frames 1-2 the blank: with one beam only the prefix "1" survives frame 0, so
    # its score counts only the alignments starting with 1 (not "blank 1 ...", which brute force adds).
    probs = np.array([[[0.2, 0.7, 0.1], [0.8, 0.1, 0.1], [0.8, 0.1, 0.1]]], "float32")
    paths, scores = nn.ctc_decode(np.log(probs), np.array([3]), strategy="beam_search", beam_width=1)
    np.testing.assert_array_equal(convert_to_numpy(paths), [[[1, -1, -1]]])
    # "1" then (1 or blank), then a blank after either, or 1 again only after 1 (a 1 after a blank spells "11").
    np.testing.assert_allclose(convert_to_numpy(scores), [[np.log(0.7 * 0.9 * 0.8 + 0.7 * 0.1 * 0.1)]], rtol=1e-5)


def test_missing_paths_are_padded_with_minus_inf(engine):
    # One frame, blank plus one label: only "" and "1" exist, so the third path is empty with log(0).
    probs = np.array([[[0.3, 0.7]]], "float32")
    paths, scores = nn.ctc_decode(np.log(probs), np.array([1]), strategy="beam_search", beam_width=4, top_paths=3)
    np.testing.assert_array_equal(convert_to_numpy(paths), [[[1]], [[-1]], [[-1]]])
    np.testing.assert_allclose(convert_to_numpy(scores), [[np.log(0.7), np.log(0.3), -np.inf]], rtol=1e-6)


def test_beam_search_rejects_more_paths_than_beams(engine):
    with pytest.raises(ValueError, match="top_paths"):
        nn.ctc_decode(np.zeros((1, TIME, CLASSES), "float32"), np.array([TIME]), strategy="beam_search",
                      beam_width=2, top_paths=3)


@pytest.mark.engines("jax")
def test_beam_search_under_jit(engine):
    import jax

    logits = np.random.default_rng(3).normal(size=(3, TIME, CLASSES)).astype("float32") * 2
    lengths = np.array([4, 3, 1], "int32")
    decode = jax.jit(lambda x, n: nn.ctc_decode(x, n, strategy="beam_search", beam_width=8, top_paths=2))
    paths, scores = decode(logits, lengths)
    expected_paths, expected_scores = reference(logits, lengths, 0, 2)
    np.testing.assert_array_equal(convert_to_numpy(paths), expected_paths)
    np.testing.assert_allclose(convert_to_numpy(scores), expected_scores, rtol=1e-5)
