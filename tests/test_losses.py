"""lamina.losses: every loss against a NumPy reference, reductions, sample weights, masks, lookup, configs."""

import itertools
import math
import warnings

import numpy as np
import pytest

from lamina import losses, ops
from lamina.backend import SymbolicTensor, convert_to_numpy
from lamina.backend.common.masking import set_mask

EPS = 1e-7


def _np(x):
    return np.asarray(convert_to_numpy(x))


# -- NumPy references (float64, per-sample losses) ------------------------------------------------
def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _bce_terms(y, p, from_logits=False, label_smoothing=0.0):
    y = y * (1 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        return np.maximum(p, 0) - p * y + np.log1p(np.exp(-np.abs(p)))
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _bfce_terms(y, p, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0):
    y = y * (1 - label_smoothing) + 0.5 * label_smoothing
    prob = _sigmoid(p) if from_logits else p
    bce = _bce_terms(y, p, from_logits)
    p_t = y * prob + (1 - y) * (1 - prob)
    out = (1 - p_t) ** gamma * bce
    if apply_class_balancing:
        out = (y * alpha + (1 - y) * (1 - alpha)) * out
    return out


def _cce(y, p, from_logits=False, label_smoothing=0.0, axis=-1):
    y = y * (1 - label_smoothing) + label_smoothing / y.shape[axis]
    if from_logits:
        log_p = np.log(_softmax(p, axis))
    else:
        log_p = np.log(np.clip(p / p.sum(axis=axis, keepdims=True), EPS, 1 - EPS))
    return -(y * log_p).sum(axis=axis)


def _cfce(y, p, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0):
    y = y * (1 - label_smoothing) + label_smoothing / y.shape[-1]
    p = _softmax(p) if from_logits else p
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return (np.asarray(alpha) * (1 - p) ** gamma * -y * np.log(p)).sum(-1)


def _scce(labels, p, from_logits=False, ignore_class=None):
    labels = labels.astype(int)
    log_p = np.log(_softmax(p)) if from_logits else np.log(np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS))
    safe = np.where(labels == ignore_class, 0, labels)
    out = -np.take_along_axis(log_p, safe[..., None], -1)[..., 0]
    return np.where(labels == ignore_class, 0.0, out)


def _hinge_labels(y):
    return 2 * y - 1 if np.all((y == 0) | (y == 1)) else y


def _huber_terms(y, p, delta=1.0):
    e = np.abs(p - y)
    return np.where(e <= delta, 0.5 * e ** 2, delta * e - 0.5 * delta ** 2)


def _cosine(y, p, axis=-1):
    def unit(x):
        return x / np.sqrt(np.maximum((x ** 2).sum(axis, keepdims=True), EPS))
    return -(unit(y) * unit(p)).sum(axis)


def _dice(y, p, axis=None):
    return 1 - 2 * (y * p).sum(axis) / (y.sum(axis) + p.sum(axis) + EPS)


def _tversky(y, p, alpha=0.5, beta=0.5, axis=None):
    tp, fp, fn = (y * p).sum(axis), ((1 - p) * y).sum(axis), (p * (1 - y)).sum(axis)
    return 1 - tp / (tp + alpha * fp + beta * fn + EPS)


def _gce(labels, p, q):
    return (1 - p[np.arange(len(p)), labels.astype(int)] ** q) / q


def _ctc(labels, logits):
    """Brute force: -log of the total probability of the frame paths that collapse to ``labels`` (blank 0)."""
    probs = _softmax(logits)
    out = []
    for row, prob in zip(labels, probs):
        target = [int(c) for c in row if c != 0]
        total = 0.0
        for path in itertools.product(range(prob.shape[1]), repeat=prob.shape[0]):
            collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1])]
            if collapsed == target:
                total += np.prod(prob[np.arange(len(path)), path])
        out.append(-np.log(total))
    return np.array(out)


def _circle(labels, emb, gamma=80.0, margin=0.4, remove_diagonal=True):
    dist = np.maximum(1 - emb @ emb.T, 0)
    pos = labels[:, None] == labels[None, :]
    neg = ~pos
    if remove_diagonal:
        pos = pos & ~np.eye(len(labels), dtype=bool)
    pos_w = np.maximum((margin + dist) * pos, 0)
    neg_w = np.maximum((1 + margin - dist) * neg, 0)
    pos_l = np.where(pos, -gamma * pos_w * (margin - dist), -np.inf)
    neg_l = np.where(neg, gamma * neg_w * (1 - margin - dist), -np.inf)

    def lse(x):
        m = x.max(1, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):
            return (m + np.log(np.exp(x - m).sum(1, keepdims=True)))[:, 0]
    return np.logaddexp(0, lse(pos_l) + lse(neg_l))


# -- inputs ---------------------------------------------------------------------------------------
R = np.random.default_rng(0)
N, L = 4, 3
PROBS = R.uniform(0.02, 0.98, size=(N, L))
LOGITS = R.normal(scale=3.0, size=(N, L))
BINARY = R.integers(0, 2, size=(N, L)).astype("float64")
ONE_HOT = np.eye(L)[R.integers(0, L, size=N)]
LABELS = R.integers(0, L, size=N).astype("float64")
REAL_TRUE = R.normal(size=(N, L))
REAL_PRED = R.normal(size=(N, L)) * 2
POSITIVE_TRUE = R.uniform(0.1, 3.0, size=(N, L))
POSITIVE_PRED = R.uniform(0.1, 3.0, size=(N, L))
SIGNED = np.where(BINARY > 0, 1.0, -1.0)
DISTRIBUTION = _softmax(R.normal(size=(N, L)))
SEGMENT_TRUE = R.integers(0, 2, size=(2, 3, 3, 1)).astype("float64")
SEGMENT_PRED = R.uniform(size=(2, 3, 3, 1))


def _case(cls, fn, kwargs, y_true, y_pred, reference):
    return pytest.param(cls, fn, kwargs, y_true, y_pred, reference, id=f"{cls.__name__}-{kwargs}")


CASES = [
    _case(losses.MeanSquaredError, losses.mean_squared_error, {}, REAL_TRUE, REAL_PRED,
          lambda y, p: ((y - p) ** 2).mean(-1)),
    _case(losses.MeanAbsoluteError, losses.mean_absolute_error, {}, REAL_TRUE, REAL_PRED,
          lambda y, p: np.abs(y - p).mean(-1)),
    _case(losses.MeanAbsolutePercentageError, losses.mean_absolute_percentage_error, {}, REAL_TRUE, REAL_PRED,
          lambda y, p: 100 * np.abs((y - p) / np.maximum(np.abs(y), EPS)).mean(-1)),
    _case(losses.MeanSquaredLogarithmicError, losses.mean_squared_logarithmic_error, {}, POSITIVE_TRUE,
          REAL_PRED, lambda y, p: ((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(y, EPS) + 1)) ** 2).mean(-1)),
    _case(losses.Huber, losses.huber, {}, REAL_TRUE, REAL_PRED, lambda y, p: _huber_terms(y, p).mean(-1)),
    _case(losses.Huber, losses.huber, {"delta": 0.5}, REAL_TRUE, REAL_PRED,
          lambda y, p: _huber_terms(y, p, 0.5).mean(-1)),
    _case(losses.LogCosh, losses.log_cosh, {}, REAL_TRUE, REAL_PRED * 20,
          lambda y, p: (np.abs(p - y) + np.log1p(np.exp(-2 * np.abs(p - y))) - np.log(2)).mean(-1)),
    _case(losses.CosineSimilarity, losses.cosine_similarity, {}, REAL_TRUE, REAL_PRED, _cosine),
    _case(losses.CosineSimilarity, losses.cosine_similarity, {"axis": 0}, REAL_TRUE, REAL_PRED,
          lambda y, p: _cosine(y, p, 0)),
    _case(losses.Hinge, losses.hinge, {}, BINARY, REAL_PRED,
          lambda y, p: np.maximum(1 - _hinge_labels(y) * p, 0).mean(-1)),
    _case(losses.Hinge, losses.hinge, {}, SIGNED, REAL_PRED, lambda y, p: np.maximum(1 - y * p, 0).mean(-1)),
    _case(losses.SquaredHinge, losses.squared_hinge, {}, BINARY, REAL_PRED,
          lambda y, p: (np.maximum(1 - _hinge_labels(y) * p, 0) ** 2).mean(-1)),
    _case(losses.CategoricalHinge, losses.categorical_hinge, {}, ONE_HOT, REAL_PRED,
          lambda y, p: np.maximum(((1 - y) * p).max(-1) - (y * p).sum(-1) + 1, 0)),
    _case(losses.KLDivergence, losses.kl_divergence, {}, DISTRIBUTION, PROBS,
          lambda y, p: (np.clip(y, EPS, 1) * np.log(np.clip(y, EPS, 1) / np.clip(p, EPS, 1))).sum(-1)),
    _case(losses.Poisson, losses.poisson, {}, POSITIVE_TRUE, POSITIVE_PRED,
          lambda y, p: (p - y * np.log(p + EPS)).mean(-1)),
    _case(losses.BinaryCrossentropy, losses.binary_crossentropy, {}, BINARY, PROBS,
          lambda y, p: _bce_terms(y, p).mean(-1)),
    _case(losses.BinaryCrossentropy, losses.binary_crossentropy, {"from_logits": True}, BINARY, LOGITS,
          lambda y, p: _bce_terms(y, p, True).mean(-1)),
    _case(losses.BinaryCrossentropy, losses.binary_crossentropy, {"label_smoothing": 0.2}, BINARY, PROBS,
          lambda y, p: _bce_terms(y, p, label_smoothing=0.2).mean(-1)),
    _case(losses.BinaryCrossentropy, losses.binary_crossentropy, {"from_logits": True, "axis": 0}, BINARY, LOGITS,
          lambda y, p: _bce_terms(y, p, True).mean(0)),
    _case(losses.BinaryFocalCrossentropy, losses.binary_focal_crossentropy, {}, BINARY, PROBS,
          lambda y, p: _bfce_terms(y, p).mean(-1)),
    _case(losses.BinaryFocalCrossentropy, losses.binary_focal_crossentropy,
          {"apply_class_balancing": True, "alpha": 0.4, "gamma": 3.0, "from_logits": True, "label_smoothing": 0.1},
          BINARY, LOGITS, lambda y, p: _bfce_terms(y, p, True, 0.4, 3.0, True, 0.1).mean(-1)),
    _case(losses.CategoricalCrossentropy, losses.categorical_crossentropy, {}, ONE_HOT, PROBS, _cce),
    _case(losses.CategoricalCrossentropy, losses.categorical_crossentropy, {"from_logits": True}, ONE_HOT, LOGITS,
          lambda y, p: _cce(y, p, True)),
    _case(losses.CategoricalCrossentropy, losses.categorical_crossentropy,
          {"from_logits": True, "label_smoothing": 0.3}, ONE_HOT, LOGITS, lambda y, p: _cce(y, p, True, 0.3)),
    _case(losses.CategoricalCrossentropy, losses.categorical_crossentropy, {"axis": 0},
          np.eye(N)[:, :L], PROBS, lambda y, p: _cce(y, p, axis=0)),
    _case(losses.CategoricalFocalCrossentropy, losses.categorical_focal_crossentropy, {}, ONE_HOT, PROBS, _cfce),
    _case(losses.CategoricalFocalCrossentropy, losses.categorical_focal_crossentropy,
          {"alpha": [0.2, 0.3, 0.5], "gamma": 1.5, "from_logits": True, "label_smoothing": 0.1}, ONE_HOT, LOGITS,
          lambda y, p: _cfce(y, p, [0.2, 0.3, 0.5], 1.5, True, 0.1)),
    _case(losses.SparseCategoricalCrossentropy, losses.sparse_categorical_crossentropy, {}, LABELS, PROBS, _scce),
    _case(losses.SparseCategoricalCrossentropy, losses.sparse_categorical_crossentropy, {"from_logits": True},
          LABELS[:, None], LOGITS, lambda y, p: _scce(y[:, 0], p, True)),
    _case(losses.CategoricalGeneralizedCrossEntropy, losses.categorical_generalized_cross_entropy, {"q": 0.3},
          LABELS, DISTRIBUTION, lambda y, p: _gce(y, p, 0.3)),
    _case(losses.Dice, losses.dice, {}, SEGMENT_TRUE, SEGMENT_PRED, _dice),
    _case(losses.Dice, losses.dice, {"axis": (1, 2, 3)}, SEGMENT_TRUE, SEGMENT_PRED,
          lambda y, p: _dice(y, p, (1, 2, 3))),
    _case(losses.Tversky, losses.tversky, {"alpha": 0.3, "beta": 0.7, "axis": (1, 2, 3)}, SEGMENT_TRUE,
          SEGMENT_PRED, lambda y, p: _tversky(y, p, 0.3, 0.7, (1, 2, 3))),
    _case(losses.Tversky, losses.tversky, {}, SEGMENT_TRUE, SEGMENT_PRED, _tversky),
]


@pytest.mark.parametrize("cls, fn, kwargs, y_true, y_pred, reference", CASES)
def test_function_and_class_match_numpy(engine, cls, fn, kwargs, y_true, y_pred, reference):
    expected = reference(y_true, y_pred)
    f32 = y_pred.astype("float32")
    np.testing.assert_allclose(_np(fn(y_true.astype("float32"), f32, **kwargs)), expected, rtol=1e-4, atol=1e-5)
    per_sample = cls(reduction="none", **kwargs)(y_true, f32)
    np.testing.assert_allclose(_np(per_sample), expected, rtol=1e-4, atol=1e-5)
    reduced = cls(**kwargs)(y_true, f32)
    assert _np(reduced).shape == ()
    assert float(_np(reduced)) == pytest.approx(float(np.mean(expected)), rel=1e-4, abs=1e-5)


def test_keras_documented_values(engine):
    """Numbers from the Keras 3 docstrings."""
    y_true, logits = [[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]]
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert float(_np(bce(y_true, logits))) == pytest.approx(0.8654, abs=1e-3)
    assert float(_np(bce(y_true, logits, sample_weight=[0.8, 0.2]))) == pytest.approx(0.243, abs=1e-3)
    assert float(_np(losses.BinaryFocalCrossentropy(gamma=3, from_logits=True)(y_true, logits))) == \
        pytest.approx(0.647, abs=1e-3)
    assert float(_np(losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=3, from_logits=True)(
        y_true, logits, sample_weight=[0.8, 0.2]))) == pytest.approx(0.097, abs=1e-3)
    one_hot, probs = [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    cce = losses.CategoricalCrossentropy()
    assert float(_np(cce(one_hot, probs))) == pytest.approx(1.177, abs=1e-3)
    assert float(_np(cce(one_hot, probs, sample_weight=np.array([0.3, 0.7])))) == pytest.approx(0.814, abs=1e-3)
    assert float(_np(losses.SparseCategoricalCrossentropy(reduction="sum")([1, 2], probs))) == \
        pytest.approx(2.354, abs=1e-3)
    assert float(_np(losses.CategoricalFocalCrossentropy()(one_hot, probs))) == pytest.approx(0.23315, abs=1e-4)


def test_ctc_matches_brute_force(engine, rng):
    logits = rng.normal(size=(3, 4, 3)).astype("float32")
    labels = np.array([[1, 2], [2, 0], [1, 1]], "int32")
    expected = _ctc(labels, logits.astype("float64"))
    np.testing.assert_allclose(_np(losses.ctc(labels, logits)), expected, rtol=1e-4)
    assert float(_np(losses.CTC()(labels, logits))) == pytest.approx(expected.mean(), rel=1e-4)


def test_circle_matches_numpy(engine, rng):
    emb = rng.normal(size=(6, 4))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    labels = np.array([0, 0, 1, 1, 2, 0])
    expected = _circle(labels, emb, gamma=8.0, margin=0.25)
    np.testing.assert_allclose(_np(losses.circle(labels, emb.astype("float32"), gamma=8.0, margin=0.25)), expected,
                               rtol=1e-4, atol=1e-5)
    positive = expected > 0  # zero losses are masked out of the mean
    loss = losses.Circle(gamma=8.0, margin=0.25)(labels, emb.astype("float32"))
    assert float(_np(loss)) == pytest.approx(expected[positive].mean(), rel=1e-4)


# -- reductions and weights -----------------------------------------------------------------------
def _mse(y, p):
    return ((y - p) ** 2).mean(-1)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "mean", "sum", "mean_with_sample_weight", "none", None])
def test_reductions_with_sample_weight(engine, reduction):
    weights = np.array([0.5, 2.0, 0.0, 1.0])
    weighted = _mse(REAL_TRUE, REAL_PRED) * weights
    expected = {
        "sum_over_batch_size": weighted.mean(), "mean": weighted.mean(), "sum": weighted.sum(),
        "mean_with_sample_weight": weighted.sum() / weights.sum(), "none": weighted, None: weighted,
    }[reduction]
    loss = losses.MeanSquaredError(reduction=reduction)
    for sample_weight in (weights, weights[:, None], list(weights)):
        np.testing.assert_allclose(_np(loss(REAL_TRUE, REAL_PRED, sample_weight=sample_weight)), expected, rtol=1e-5)
    values = _mse(REAL_TRUE, REAL_PRED)
    expected = {"sum": values.sum(), "none": values, None: values}.get(reduction, values.mean())
    np.testing.assert_allclose(_np(loss(REAL_TRUE, REAL_PRED)), expected, rtol=1e-5)


def test_sample_weight_per_sample_broadcasts_over_timesteps(engine, rng):
    y_true = rng.normal(size=(2, 3, 4))
    y_pred = rng.normal(size=(2, 3, 4))
    weights = np.array([1.0, 3.0])
    per_step = ((y_true - y_pred) ** 2).mean(-1)  # (2, 3)
    result = losses.MeanSquaredError()(y_true, y_pred, sample_weight=weights)
    assert float(_np(result)) == pytest.approx((per_step * weights[:, None]).mean(), rel=1e-5)


@pytest.mark.parametrize("cls, kwargs, y_true, y_pred, terms", [
    (losses.BinaryCrossentropy, {}, BINARY, PROBS, _bce_terms),
    (losses.BinaryCrossentropy, {"from_logits": True, "label_smoothing": 0.1}, BINARY, LOGITS,
     lambda y, p: _bce_terms(y, p, True, 0.1)),
    (losses.BinaryFocalCrossentropy, {"apply_class_balancing": True}, BINARY, PROBS,
     lambda y, p: _bfce_terms(y, p, True)),
    (losses.MeanSquaredError, {}, REAL_TRUE, REAL_PRED, lambda y, p: (y - p) ** 2),
    (losses.MeanAbsoluteError, {}, REAL_TRUE, REAL_PRED, lambda y, p: np.abs(y - p)),
    (losses.Huber, {"delta": 0.7}, REAL_TRUE, REAL_PRED, lambda y, p: _huber_terms(y, p, 0.7)),
    (losses.Hinge, {}, BINARY, REAL_PRED, lambda y, p: np.maximum(1 - _hinge_labels(y) * p, 0)),
    (losses.Poisson, {}, POSITIVE_TRUE, POSITIVE_PRED, lambda y, p: p - y * np.log(p + EPS)),
])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight", "none"])
def test_elementwise_sample_weights(engine, cls, kwargs, y_true, y_pred, terms, reduction):
    """Weights of y_pred's full rank (multi-label class weights) multiply each term before the mean."""
    weights = R.uniform(0.0, 3.0, size=y_pred.shape)
    per_sample = (terms(y_true, y_pred) * weights).mean(-1)
    expected = {"sum_over_batch_size": per_sample.mean(), "sum": per_sample.sum(), "none": per_sample,
                "mean_with_sample_weight": per_sample.sum() / weights.mean(-1).sum()}[reduction]
    result = cls(reduction=reduction, **kwargs)(y_true, y_pred.astype("float32"), sample_weight=weights)
    np.testing.assert_allclose(_np(result), expected, rtol=1e-4, atol=1e-6)


def test_elementwise_weights_of_ones_equal_no_weights(engine):
    loss = losses.BinaryCrossentropy()
    weighted = loss(BINARY, PROBS, sample_weight=np.ones_like(PROBS))
    assert float(_np(weighted)) == pytest.approx(float(_np(loss(BINARY, PROBS))), rel=1e-6)


def test_elementwise_weights_through_a_plain_function(engine):
    wrapper = losses.LossFunctionWrapper(losses.get("bce"), reduction="sum")
    weights = R.uniform(size=PROBS.shape)
    expected = (_bce_terms(BINARY, PROBS) * weights).mean(-1).sum()
    assert float(_np(wrapper(BINARY, PROBS, sample_weight=weights))) == pytest.approx(expected, rel=1e-4)


def test_sample_weight_of_too_high_rank_is_an_error(engine):
    with pytest.raises(ValueError, match="sample_weight"):
        losses.CategoricalCrossentropy()(ONE_HOT, PROBS, sample_weight=np.ones((N, L)))


# -- masks ----------------------------------------------------------------------------------------
def _masked_sequence(rng):
    y_true = np.eye(3)[rng.integers(0, 3, size=(2, 4))]
    y_pred = ops.convert_to_tensor(_softmax(rng.normal(size=(2, 4, 3))).astype("float32"))
    mask = np.array([[True, True, True, False], [True, False, False, False]])
    set_mask(y_pred, ops.convert_to_tensor(mask))
    return y_true, y_pred, mask


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight", "none"])
def test_mask_on_y_pred_weights_the_losses(engine, rng, reduction):
    y_true, y_pred, mask = _masked_sequence(rng)
    values = _cce(y_true, _np(y_pred).astype("float64"))
    weights = np.array([2.0, 0.5])[:, None] * mask
    # the mean runs over the unmasked steps only
    expected = {"sum_over_batch_size": (values * weights).sum() / mask.sum(), "sum": (values * weights).sum(),
                "mean_with_sample_weight": (values * weights).sum() / weights.sum(), "none": values * weights}
    loss = losses.CategoricalCrossentropy(reduction=reduction)
    result = loss(y_true, y_pred, sample_weight=np.array([2.0, 0.5]))
    np.testing.assert_allclose(_np(result), expected[reduction], rtol=1e-5)


def test_mask_without_weights_averages_unmasked_steps(engine, rng):
    y_true, y_pred, mask = _masked_sequence(rng)
    values = _cce(y_true, _np(y_pred).astype("float64"))
    assert float(_np(losses.CategoricalCrossentropy()(y_true, y_pred))) == \
        pytest.approx(values[mask].mean(), rel=1e-5)


def test_ignore_class_masks_the_loss(engine):
    labels = np.array([[0, 2, -1], [1, -1, -1]], "float32")
    probs = _softmax(R.normal(size=(2, 3, 3))).astype("float32")
    values = _scce(labels, probs.astype("float64"), ignore_class=-1)
    fn_values = losses.sparse_categorical_crossentropy(labels, probs, ignore_class=-1)
    np.testing.assert_allclose(_np(fn_values), values, rtol=1e-5)
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    assert float(_np(loss(labels, probs))) == pytest.approx(values.sum() / 3, rel=1e-5)
    loss_sum = losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="sum")
    assert float(_np(loss_sum(labels, probs))) == pytest.approx(values.sum(), rel=1e-5)


# -- logits attached by activations, dtypes -------------------------------------------------------
def _activated(activation, logits, kind):
    """An activation output tagged as lamina's activations tag theirs: logits and the activation's kind."""
    x = ops.convert_to_tensor(logits)
    out = activation(x)
    out._keras_logits, out._keras_logits_kind = x, kind
    return out


def test_crossentropy_uses_logits_behind_sigmoid_and_softmax(engine):
    logits = np.array([[30.0, -25.0, 2.0]], "float32")  # probabilities that clipping would distort
    labels = np.array([[0.0, 1.0, 1.0]])
    sigmoid_out = _activated(ops.sigmoid, logits, "sigmoid")
    expected = _bce_terms(labels, logits.astype("float64"), from_logits=True).mean()
    assert float(_np(losses.BinaryCrossentropy()(labels, sigmoid_out))) == pytest.approx(expected, rel=1e-5)
    assert float(_np(losses.BinaryCrossentropy(dtype="float64")(labels, sigmoid_out))) == pytest.approx(expected,
                                                                                                     rel=1e-5)
    softmax_out = _activated(ops.softmax, logits, "softmax")
    one_hot = np.array([[0.0, 1.0, 0.0]])
    expected = _cce(one_hot, logits.astype("float64"), from_logits=True)[0]
    assert float(_np(losses.categorical_crossentropy(one_hot, softmax_out)[0])) == pytest.approx(expected, rel=1e-5)
    assert float(_np(losses.sparse_categorical_crossentropy([1], softmax_out)[0])) == pytest.approx(expected, rel=1e-5)
    with pytest.warns(UserWarning, match="from_logits=True"):
        losses.binary_crossentropy(labels, sigmoid_out, from_logits=True)


def test_logits_of_another_activation_are_not_used(engine):
    """A softmax output fed to a binary cross-entropy is scored as the probabilities it holds."""
    logits = np.array([[2.0, -1.0, 0.5]], "float32")
    softmax_out = _activated(ops.softmax, logits, "softmax")
    labels = np.array([[0.0, 1.0, 1.0]])
    expected = _bce_terms(labels, _softmax(logits.astype("float64"))).mean()
    assert float(_np(losses.BinaryCrossentropy()(labels, softmax_out))) == pytest.approx(expected, rel=1e-5)
    sigmoid_out = _activated(ops.sigmoid, logits, "sigmoid")
    one_hot = np.array([[0.0, 1.0, 0.0]])
    expected = _cce(one_hot, _sigmoid(logits.astype("float64")))[0]
    assert float(_np(losses.categorical_crossentropy(one_hot, sigmoid_out)[0])) == pytest.approx(expected, rel=1e-5)


def test_dtypes(engine):
    y_true = BINARY.astype("int32")
    assert ops.dtype(losses.BinaryCrossentropy()(y_true, PROBS)) == "float32"  # float64 input, float32 loss
    assert ops.dtype(losses.BinaryCrossentropy(dtype="float64")(y_true, PROBS)) == "float64"
    assert ops.dtype(losses.binary_crossentropy(y_true, PROBS.astype("float16"))) == "float16"
    assert losses.Loss(dtype="mixed_float16").dtype == "float16"
    assert losses.MeanSquaredError().dtype == "float32"


def test_symbolic_inputs_give_symbolic_per_sample_losses(engine):
    y_true, y_pred = SymbolicTensor((None, 5), "float32"), SymbolicTensor((None, 5), "float32")
    out = losses.mean_squared_error(y_true, y_pred)
    assert out.shape == (None,) and out.dtype == "float32"
    out = losses.categorical_crossentropy(y_true, y_pred)
    assert out.shape == (None,) and out.dtype == "float32"


def test_custom_loss_subclass(engine):
    class MeanFourthPower(losses.Loss):
        def call(self, y_true, y_pred):
            return ops.mean((y_pred - y_true) ** 4, axis=-1)

    loss = MeanFourthPower(reduction="sum")
    assert loss.name.startswith("mean_fourth_power")
    assert float(_np(loss(REAL_TRUE, REAL_PRED))) == pytest.approx(((REAL_PRED - REAL_TRUE) ** 4).mean(-1).sum(),
                                                                   rel=1e-5)
    with pytest.raises(NotImplementedError):
        losses.Loss()(REAL_TRUE, REAL_PRED)


# -- lookup and configs ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, expected", [
    ("mse", losses.mean_squared_error), ("MSE", losses.mean_squared_error), ("mae", losses.mean_absolute_error),
    ("mape", losses.mean_absolute_percentage_error), ("msle", losses.mean_squared_logarithmic_error),
    ("kld", losses.kl_divergence), ("bce", losses.binary_crossentropy), ("huber", losses.huber),
    ("log_cosh", losses.log_cosh), ("binary_crossentropy", losses.binary_crossentropy),
    ("categorical_crossentropy", losses.categorical_crossentropy),
    ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy), ("ctc", losses.ctc),
])
def test_get_function_by_name(engine, name, expected):
    assert losses.get(name) is expected


def test_get_resolves_classes_configs_and_callables(engine):
    assert isinstance(losses.get("CategoricalCrossentropy"), losses.CategoricalCrossentropy)
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    from_config = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(from_config, losses.CategoricalCrossentropy) and from_config.from_logits is True
    instance = losses.Hinge()
    assert losses.get(instance) is instance
    assert losses.get(None) is None
    with pytest.raises(ValueError, match="Unknown loss"):
        losses.get("no_such_loss")
    with pytest.raises(ValueError, match="loss"):
        losses.get(42)


ALL_CLASSES = [obj for name, obj in losses.ALL_OBJECTS.items()
               if isinstance(obj, type) and obj not in (losses.Loss, losses.LossFunctionWrapper)]


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_config_round_trip(engine, cls):
    loss = cls(reduction="sum", name="my_loss")
    config = loss.get_config()
    assert config["name"] == "my_loss" and config["reduction"] == "sum"
    assert cls.from_config(config).get_config() == config
    restored = losses.deserialize(losses.serialize(loss))
    assert type(restored) is cls and restored.get_config() == config


def test_default_names_and_configs_follow_keras(engine):
    assert losses.Huber().name == "huber_loss"
    assert losses.MeanSquaredError().get_config() == {"name": "mean_squared_error", "reduction": "sum_over_batch_size"}
    assert losses.BinaryFocalCrossentropy().get_config() == {
        "name": "binary_focal_crossentropy", "reduction": "sum_over_batch_size", "apply_class_balancing": False,
        "alpha": 0.25, "gamma": 2.0, "from_logits": False, "label_smoothing": 0.0, "axis": -1}
    assert losses.SparseCategoricalCrossentropy(ignore_class=255).ignore_class == 255
    assert losses.Tversky().get_config() == {"name": "tversky", "reduction": "sum_over_batch_size", "alpha": 0.5,
                                             "beta": 0.5, "axis": None}


def test_wrapper_config_round_trip(engine):
    wrapper = losses.LossFunctionWrapper(losses.huber, reduction="sum", name="h", delta=0.3)
    config = wrapper.get_config()
    assert config == {"name": "h", "reduction": "sum", "fn": "huber", "delta": 0.3}
    restored = losses.LossFunctionWrapper.from_config(config)
    assert restored.fn is losses.huber and restored.get_config() == config
    assert float(_np(restored(REAL_TRUE, REAL_PRED))) == pytest.approx(_huber_terms(REAL_TRUE, REAL_PRED, 0.3)
                                                                       .mean(-1).sum(), rel=1e-5)

    def my_loss(y_true, y_pred):
        return ops.mean(ops.abs(y_true - y_pred), axis=-1)

    custom = losses.LossFunctionWrapper(my_loss)
    restored = losses.deserialize(losses.serialize(custom), custom_objects={"my_loss": my_loss})
    assert restored.fn is my_loss


# -- bad arguments --------------------------------------------------------------------------------
@pytest.mark.parametrize("make, match", [
    (lambda: losses.MeanSquaredError(reduction="average"), "reduction"),
    (lambda: losses.BinaryCrossentropy(label_smoothing=1.5), "label_smoothing"),
    (lambda: losses.CategoricalCrossentropy(axis=True), "axis"),
    (lambda: losses.SparseCategoricalCrossentropy(ignore_class="void"), "ignore_class"),
    (lambda: losses.CategoricalGeneralizedCrossEntropy(q=1.5), "q"),
    (lambda: losses.categorical_crossentropy(ONE_HOT, PROBS, label_smoothing=-0.1), "label_smoothing"),
    (lambda: losses.ctc(np.ones((2, 3, 1)), np.ones((2, 4, 3))), "y_true.shape"),
    (lambda: losses.ctc(np.ones((2, 3)), np.ones((2, 4))), "y_pred.shape"),
    (lambda: losses.binary_crossentropy(np.ones((2, 3)), np.ones((2, 4)) / 2), "same shape"),
    (lambda: losses.CategoricalCrossentropy()(np.ones((4, 1)), PROBS), "same shape"),
])
def test_bad_arguments_raise_clear_errors(engine, make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_single_class_categorical_crossentropy_warns(engine):
    with pytest.warns(SyntaxWarning, match="num_classes"):
        losses.categorical_crossentropy(np.ones((2, 1)), np.ones((2, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        losses.categorical_crossentropy(ONE_HOT, PROBS)


def test_public_names_resolve(engine):
    for name in losses.__all__:
        assert getattr(losses, name) is not None
    assert math.isfinite(float(_np(losses.get("MSE")(REAL_TRUE, REAL_PRED)[0])))


def test_elementwise_weights_with_a_mask(engine, rng):
    y_true = rng.integers(0, 2, size=(2, 3, 4)).astype("float32")
    probs = rng.uniform(0.05, 0.95, size=(2, 3, 4))
    weights = rng.uniform(0.5, 2.0, size=(2, 3, 4))
    mask = np.array([[True, True, False], [True, False, False]])
    y_pred = ops.convert_to_tensor(probs.astype("float32"))
    set_mask(y_pred, ops.convert_to_tensor(mask))
    per_step = (_bce_terms(y_true, probs) * weights).mean(-1)
    loss = losses.BinaryCrossentropy()(y_true, y_pred, sample_weight=weights)
    assert float(_np(loss)) == pytest.approx((per_step * mask).sum() / mask.sum(), rel=1e-5)
    loss = losses.BinaryCrossentropy(reduction="mean_with_sample_weight")(y_true, y_pred, sample_weight=weights)
    assert float(_np(loss)) == pytest.approx((per_step * mask).sum() / (weights.mean(-1) * mask).sum(), rel=1e-5)


def test_scalar_loss_is_scaled_by_the_weights(engine):
    """A loss reduced to one value (Dice over everything) is scaled by the mean weight, as in Keras."""
    expected = _dice(SEGMENT_TRUE, SEGMENT_PRED)
    assert float(_np(losses.Dice()(SEGMENT_TRUE, SEGMENT_PRED, sample_weight=[1.0, 3.0]))) == \
        pytest.approx(expected * 2.0, rel=1e-5)


def test_loss_on_symbolic_tensors(engine):
    y = SymbolicTensor((None, 5), "float32")
    for loss in (losses.MeanSquaredError(), losses.BinaryCrossentropy(reduction="mean_with_sample_weight")):
        out = loss(y, y, sample_weight=SymbolicTensor((None, 5), "float32"))
        assert out.shape == () and out.dtype == "float32"
    assert losses.MeanSquaredError(reduction="none")(y, y).shape == (None,)
