"""lamina.metrics against NumPy references: several weighted batches, reset, configs and lookup by name."""

import numpy as np
import pytest

from lamina import metrics, ops
from lamina.backend import convert_to_numpy

RNG = np.random.default_rng(7)


def _value(x):
    return convert_to_numpy(x).astype("float64")


def _batches(n_batches=3, shape=(6, 4), kind="regression"):
    """Deterministic (y_true, y_pred, sample_weight) batches of the given kind."""
    rng = np.random.default_rng(len(shape) * 31 + n_batches)
    out = []
    for _ in range(n_batches):
        if kind == "regression":
            y_true = rng.uniform(0.1, 2.0, shape)
            y_pred = rng.uniform(0.1, 2.0, shape)
        elif kind == "binary":
            y_true = rng.integers(0, 2, shape).astype("float64")
            y_pred = rng.uniform(0.0, 1.0, shape)
        elif kind == "categorical":
            y_true = np.eye(shape[-1])[rng.integers(0, shape[-1], shape[:-1])]
            logits = rng.normal(size=shape)
            y_pred = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
        weights = rng.uniform(0.0, 2.0, shape[0]).astype("float32")
        out.append((y_true.astype("float32"), y_pred.astype("float32"), weights))
    return out


def _weighted_mean(per_sample_values, weights):
    values = np.concatenate(per_sample_values)
    weights = np.concatenate(weights)
    return (values * weights).sum() / weights.sum()


def _run(metric, batches, weighted=True):
    for y_true, y_pred, w in batches:
        metric.update_state(y_true, y_pred, sample_weight=w if weighted else None)
    return _value(metric.result())


# -- reduction metrics ---------------------------------------------------------------------------------
def test_mean_and_sum_with_weights_and_reset(engine):
    mean, total = metrics.Mean(), metrics.Sum()
    values = [np.array([1.0, 2.0, 3.0]), np.array([4.0, 10.0, -1.0])]
    weights = [np.array([1.0, 0.5, 0.0]), np.array([2.0, 1.0, 1.0])]
    for v, w in zip(values, weights):
        mean.update_state(v, sample_weight=w)
        total.update_state(v, sample_weight=w)
    assert _value(mean.result()) == pytest.approx(_weighted_mean(values, weights))
    assert _value(total.result()) == pytest.approx(sum((v * w).sum() for v, w in zip(values, weights)))
    mean.reset_state()
    total.reset_state()
    assert _value(mean.result()) == 0.0 and _value(total.result()) == 0.0
    mean.update_state(np.array([[1.0, 3.0], [5.0, 7.0]]))  # per-sample means 2 and 6
    assert _value(mean.result()) == pytest.approx(4.0)
    assert mean.name == "mean" and [v.name for v in mean.variables] == ["total", "count"]
    assert mean.variables[0].path == "mean/total" and not mean.variables[0].trainable


def test_mean_with_per_timestep_weights(engine):
    values = np.arange(12, dtype="float32").reshape(2, 3, 2)  # mean over the last axis, then weights
    weights = np.array([[1.0, 0.0, 2.0], [0.5, 0.5, 0.0]], "float32")
    m = metrics.Mean()
    m.update_state(values, sample_weight=weights)
    per_step = values.mean(-1)
    expected = (per_step * weights).sum() / weights.sum()
    assert _value(m.result()) == pytest.approx(expected)


def test_mask_on_predictions_multiplies_into_weights(engine):
    from lamina.backend import convert_to_tensor
    from lamina.backend.common.masking import set_mask

    y_true = np.array([[1.0, 2.0, 3.0]], "float32")
    y_pred = convert_to_tensor(np.array([[1.0, 0.0, 0.0]], "float32"))
    set_mask(y_pred, convert_to_tensor(np.array([[True, True, False]])))
    m = metrics.MeanMetricWrapper(lambda t, p: ops.abs(ops.subtract(t, p)), name="abs_error")
    m.update_state(y_true, y_pred)
    assert _value(m.result()) == pytest.approx(1.0)  # (0 + 2) / 2: the masked step is left out


# -- loss-like metrics ---------------------------------------------------------------------------------
EPS = 1e-7


def _softplus(x):
    return np.logaddexp(0.0, x)


def _hinge_labels(t):
    return 2 * t - 1 if np.isin(t, [0, 1]).all() else t


def _cce(t, p):
    p = p / p.sum(-1, keepdims=True)
    return -(t * np.log(np.clip(p, EPS, 1 - EPS))).sum(-1)


REFERENCES = {
    metrics.MeanSquaredError: (lambda t, p: ((t - p) ** 2).mean(-1), "regression"),
    metrics.MeanAbsoluteError: (lambda t, p: np.abs(t - p).mean(-1), "regression"),
    metrics.MeanAbsolutePercentageError: (lambda t, p: 100 * (np.abs(t - p) / np.maximum(np.abs(t), EPS)).mean(-1),
                                          "regression"),
    metrics.MeanSquaredLogarithmicError: (lambda t, p: ((np.log1p(p) - np.log1p(t)) ** 2).mean(-1), "regression"),
    metrics.LogCoshError: (lambda t, p: np.log(np.cosh(p - t)).mean(-1), "regression"),
    metrics.CosineSimilarity: (lambda t, p: (t * p).sum(-1) / np.linalg.norm(t, axis=-1) / np.linalg.norm(p, axis=-1),
                               "regression"),
    metrics.PearsonCorrelation: (lambda t, p: np.array([np.corrcoef(a, b)[0, 1] for a, b in zip(t, p)]), "regression"),
    metrics.ConcordanceCorrelation: (
        lambda t, p: 2 * ((t - t.mean(-1, keepdims=True)) * (p - p.mean(-1, keepdims=True))).mean(-1)
        / (t.var(-1) + p.var(-1) + (t.mean(-1) - p.mean(-1)) ** 2), "regression"),
    metrics.Poisson: (lambda t, p: (p - t * np.log(p + EPS)).mean(-1), "regression"),
    metrics.KLDivergence: (lambda t, p: (np.clip(t, EPS, 1) * np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1))).sum(-1),
                           "categorical"),
    metrics.Hinge: (lambda t, p: np.maximum(1 - _hinge_labels(t) * p, 0).mean(-1), "binary"),
    metrics.SquaredHinge: (lambda t, p: (np.maximum(1 - _hinge_labels(t) * p, 0) ** 2).mean(-1), "binary"),
    metrics.CategoricalHinge: (lambda t, p: np.maximum((p * (1 - t)).max(-1) - (t * p).sum(-1) + 1, 0), "categorical"),
    metrics.BinaryCrossentropy: (lambda t, p: -(t * np.log(np.clip(p, EPS, 1 - EPS))
                                                + (1 - t) * np.log(np.clip(1 - p, EPS, 1 - EPS))).mean(-1), "binary"),
    metrics.CategoricalCrossentropy: (_cce, "categorical"),
    metrics.CategoricalAccuracy: (lambda t, p: (t.argmax(-1) == p.argmax(-1)).astype(float), "categorical"),
    metrics.BinaryAccuracy: (lambda t, p: (t == (p > 0.5)).mean(-1), "binary"),
    metrics.TopKCategoricalAccuracy: (
        lambda t, p: (np.sum(p > (p * t).sum(-1, keepdims=True), -1) < 5).astype(float), "categorical"),
}


@pytest.mark.parametrize("cls", list(REFERENCES), ids=lambda c: c.__name__)
def test_mean_metrics_match_numpy(engine, cls):
    reference, kind = REFERENCES[cls]
    shape = (6, 7) if cls is metrics.TopKCategoricalAccuracy else (6, 4)
    batches = _batches(shape=shape, kind=kind)
    expected = _weighted_mean([reference(t.astype("float64"), p.astype("float64")) for t, p, _ in batches],
                              [w for _, _, w in batches])
    metric = cls()
    assert _run(metric, batches) == pytest.approx(expected, rel=1e-4, abs=1e-6)
    metric.reset_state()
    assert _value(metric.result()) == 0.0


def test_crossentropy_options(engine):
    t, p, w = _batches(1, kind="binary")[0]
    logits = np.log(p / (1 - p))
    plain = _value(metrics.BinaryCrossentropy()(t, p, sample_weight=w))
    metric = metrics.BinaryCrossentropy(from_logits=True)
    assert _value(metric(t, logits, sample_weight=w)) == pytest.approx(plain, rel=1e-4)
    smoothed = t * 0.8 + 0.1
    ref = -(smoothed * np.log(p) + (1 - smoothed) * np.log(1 - p)).mean(-1)
    got = _value(metrics.BinaryCrossentropy(label_smoothing=0.2)(t, p, sample_weight=w))
    assert got == pytest.approx((ref * w).sum() / w.sum(), rel=1e-4)
    t, p, w = _batches(1, kind="categorical")[0]
    smoothed = t * 0.9 + 0.1 / t.shape[-1]
    got = _value(metrics.CategoricalCrossentropy(label_smoothing=0.1)(t, p, sample_weight=w))
    assert got == pytest.approx((_cce(smoothed, p) * w).sum() / w.sum(), rel=1e-4)
    labels = t.argmax(-1)
    got = _value(metrics.SparseCategoricalCrossentropy()(labels, p, sample_weight=w))
    assert got == pytest.approx((_cce(t, p) * w).sum() / w.sum(), rel=1e-4)
    got = _value(metrics.SparseCategoricalCrossentropy(from_logits=True)(labels, np.log(p), sample_weight=w))
    assert got == pytest.approx((_cce(t, p) * w).sum() / w.sum(), rel=1e-4)


def test_sparse_crossentropy_ignore_class(engine):
    """Samples labelled ``ignore_class`` leave the mean (and their weights its denominator), eagerly and in
    ``evaluate`` (a compiled step on jax)."""
    t, p, w = _batches(1, kind="categorical")[0]
    labels = t.argmax(-1)
    labels[[1, 4]] = -1
    keep = labels != -1
    per_sample = _cce(np.eye(p.shape[-1])[np.where(keep, labels, 0)], p)
    expected = (per_sample * w)[keep].sum() / w[keep].sum()
    metric = metrics.SparseCategoricalCrossentropy(ignore_class=-1)
    assert metric.ignore_class == -1 and metric.get_config()["ignore_class"] == -1
    assert _value(metric(labels, p, sample_weight=w)) == pytest.approx(expected, rel=1e-4)
    import lamina

    model = lamina.Sequential([lamina.Input((p.shape[-1],)), lamina.layers.Activation("linear")])
    model.compile(loss=lamina.losses.SparseCategoricalCrossentropy(ignore_class=-1),
                  metrics=[metrics.SparseCategoricalCrossentropy(ignore_class=-1)])
    results = model.evaluate(p, labels, batch_size=len(p), return_dict=True, verbose=0)
    unweighted = per_sample[keep].mean()
    assert results["sparse_categorical_crossentropy"] == pytest.approx(unweighted, rel=1e-4)
    assert results["loss"] == pytest.approx(unweighted, rel=1e-4)


def test_top_k_metrics_expose_k(engine):
    assert metrics.TopKCategoricalAccuracy(k=3).k == 3
    assert metrics.SparseTopKCategoricalAccuracy().k == 5
    assert metrics.SparseTopKCategoricalAccuracy(k=2).get_config()["k"] == 2
    assert metrics.BinaryAccuracy(threshold=0.3).threshold == 0.3
    assert not hasattr(metrics.TopKCategoricalAccuracy(), "kk")


def test_root_mean_squared_error(engine):
    batches = _batches(kind="regression")
    squared = [((t - p) ** 2).astype("float64").mean(-1) for t, p, _ in batches]
    expected = np.sqrt(_weighted_mean(squared, [w for *_, w in batches]))
    assert _run(metrics.RootMeanSquaredError(), batches) == pytest.approx(expected, rel=1e-5)


# -- accuracy ---------------------------------------------------------------------------------------------
def test_accuracy_family(engine):
    assert _value(metrics.Accuracy()([[1], [2], [3], [4]], [[0], [2], [3], [4]])) == pytest.approx(0.75)
    acc = metrics.BinaryAccuracy(threshold=0.7)
    acc.update_state([[1], [1], [0], [0]], [[0.98], [0.6], [0.1], [0.8]], sample_weight=[1, 2, 1, 1])
    assert _value(acc.result()) == pytest.approx(2 / 5)
    sparse = metrics.SparseCategoricalAccuracy()
    batches = _batches(kind="categorical", shape=(8, 5))
    expected = _weighted_mean([(t.argmax(-1) == p.argmax(-1)).astype(float) for t, p, _ in batches],
                              [w for *_, w in batches])
    for t, p, w in batches:
        sparse.update_state(t.argmax(-1)[:, None], p, sample_weight=w)
    assert _value(sparse.result()) == pytest.approx(expected, rel=1e-6)
    top = metrics.SparseTopKCategoricalAccuracy(k=2)
    top.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    assert _value(top.result()) == pytest.approx(1.0)
    ids = metrics.SparseTopKCategoricalAccuracy(k=1, from_sorted_ids=True)
    ids.update_state([2, 1], [[2, 0, 1], [0, 1, 2]])
    assert _value(ids.result()) == pytest.approx(0.5)
    seq = metrics.sparse_categorical_accuracy(np.array([[1, 0]]), np.array([[[0.1, 0.9], [0.2, 0.8]]]))
    np.testing.assert_array_equal(convert_to_numpy(seq), [[1.0, 0.0]])
    with pytest.raises(ValueError, match="threshold"):
        metrics.BinaryAccuracy(threshold=1.5)


# -- confusion counts ----------------------------------------------------------------------------------------
def _np_counts(y_true, y_pred, weights, thresholds):
    """(tp, fp, tn, fn) per threshold, elementwise decisions pooled, ``y_pred > t`` positive."""
    pos = (y_true != 0).astype("float64")
    tp, fp, tn, fn = [], [], [], []
    for th in thresholds:
        above = (y_pred > th).astype("float64")
        tp.append((above * pos * weights).sum())
        fp.append((above * (1 - pos) * weights).sum())
        tn.append(((1 - above) * (1 - pos) * weights).sum())
        fn.append(((1 - above) * pos * weights).sum())
    return [np.array(c) for c in (tp, fp, tn, fn)]


def _accumulate(batches, thresholds, multi_label=False):
    counts = None
    for t, p, w in batches:
        weights = w if w.shape == t.shape else np.broadcast_to(w[:, None], t.shape)
        if multi_label:
            batch = [np.stack(c, 1) for c in zip(*[_np_counts(t[:, j], p[:, j], weights[:, j], thresholds)
                                                  for j in range(t.shape[1])])]
        else:
            batch = _np_counts(t, p, weights, thresholds)
        counts = batch if counts is None else [a + b for a, b in zip(counts, batch)]
    return counts


@pytest.mark.parametrize("cls,cell", [(metrics.TruePositives, 0), (metrics.FalsePositives, 1),
                                      (metrics.TrueNegatives, 2), (metrics.FalseNegatives, 3)])
def test_condition_counts(engine, cls, cell):
    batches = _batches(kind="binary")
    for thresholds in (None, [0.2, 0.5, 0.9], [0.0, 0.5, 1.0]):  # the last is evenly spaced: bucketed path
        expected = _accumulate(batches, thresholds or [0.5])[cell]
        got = _run(cls(thresholds=thresholds), batches)
        np.testing.assert_allclose(got, expected[0] if thresholds is None else expected, rtol=1e-5)


def _np_precision_recall(batches, thresholds, top_k=None, class_id=None):
    def prepare(t, p, w):
        if top_k is not None:
            kth = -np.sort(-p, axis=-1)[:, top_k - 1:top_k]
            p = np.where(p >= kth, p, -1e10)
        w = np.broadcast_to(w[:, None], t.shape)
        if class_id is not None:
            t, p, w = t[:, class_id], p[:, class_id], w[:, class_id]
        return t, p, w

    tp, fp, _, fn = _accumulate([prepare(*b) for b in batches], thresholds)
    return tp / (tp + fp), tp / (tp + fn)


@pytest.mark.parametrize("options", [{}, {"thresholds": [0.3, 0.6]}, {"top_k": 2}, {"class_id": 1},
                                     {"top_k": 2, "class_id": 3}, {"thresholds": 0.4, "top_k": 1}])
def test_precision_recall(engine, options):
    batches = _batches(kind="binary", shape=(8, 5))
    thresholds = options.get("thresholds")
    np_thresholds = np.atleast_1d(thresholds if thresholds is not None else (0.5 if "top_k" not in options else -1e10))
    precision, recall = _np_precision_recall([(t, p, w) for t, p, w in batches], np_thresholds,
                                             options.get("top_k"), options.get("class_id"))
    single = np.ndim(thresholds) == 0
    got_p = _run(metrics.Precision(**options), batches)
    got_r = _run(metrics.Recall(**options), batches)
    np.testing.assert_allclose(got_p, precision[0] if single else precision, rtol=1e-5)
    np.testing.assert_allclose(got_r, recall[0] if single else recall, rtol=1e-5)


def _even(n):
    return [i / (n - 1) for i in range(n)]


@pytest.mark.parametrize("cls,value", [(metrics.SensitivityAtSpecificity, 0.6), (metrics.SpecificityAtSensitivity, 0.7),
                                       (metrics.PrecisionAtRecall, 0.5), (metrics.RecallAtPrecision, 0.55)])
def test_x_at_y(engine, cls, value):
    batches = _batches(kind="binary", shape=(16, 2))
    tp, fp, tn, fn = _accumulate(batches, _even(50))
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = {"sens": np.nan_to_num(tp / (tp + fn)), "spec": np.nan_to_num(tn / (tn + fp)),
                 "prec": np.nan_to_num(tp / (tp + fp))}
    maximized, constrained = {metrics.SensitivityAtSpecificity: ("sens", "spec"),
                              metrics.SpecificityAtSensitivity: ("spec", "sens"),
                              metrics.PrecisionAtRecall: ("prec", "sens"),
                              metrics.RecallAtPrecision: ("sens", "prec")}[cls]
    feasible = rates[constrained] >= value
    expected = rates[maximized][feasible].max() if feasible.any() else 0.0
    assert _run(cls(value, num_thresholds=50), batches) == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="range"):
        cls(1.5)


# -- AUC ---------------------------------------------------------------------------------------------------
def _np_auc(tp, fp, tn, fn, curve, summation):
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        recall = np.nan_to_num(tp / (tp + fn))
        if curve == "PR" and summation == "interpolation":
            d_tp = tp[:-1] - tp[1:]
            p = tp + fp
            d_p = p[:-1] - p[1:]
            slope = np.nan_to_num(d_tp / np.maximum(d_p, 0))
            intercept = tp[1:] - slope * p[1:]
            ratio = np.where((p[:-1] > 0) & (p[1:] > 0), np.nan_to_num(p[:-1] / np.maximum(p[1:], 0)), 1.0)
            return np.nan_to_num(slope * (d_tp + intercept * np.log(ratio)) / np.maximum(tp[1:] + fn[1:], 0)).sum(0)
        if curve == "ROC":
            x, y = np.nan_to_num(fp / (fp + tn)), recall
        elif curve == "PR":
            x, y = recall, np.nan_to_num(tp / (tp + fp))
        else:  # PRGAIN, Flach & Kull's gains with Keras' conventions for tp = 0 and negative recall gain
            scale = np.nan_to_num((tp + fn) / (tn + fp))
            x = np.where(tp == 0, 0.0, np.maximum(1 - scale * np.nan_to_num(fn / tp), 0.0))
            y = np.where(tp == 0, 1.0, 1 - scale * np.nan_to_num(fp / tp))
    heights = {"interpolation": (y[:-1] + y[1:]) / 2, "minoring": np.minimum(y[:-1], y[1:]),
               "majoring": np.maximum(y[:-1], y[1:])}[summation]
    return ((x[:-1] - x[1:]) * heights).sum(0)


@pytest.mark.parametrize("curve", ["ROC", "PR", "PRGAIN"])
@pytest.mark.parametrize("summation", ["interpolation", "minoring", "majoring"])
def test_auc_bucketed(engine, curve, summation):
    batches = _batches(kind="binary", shape=(10, 3))
    thresholds = [-1e-7] + [(i + 1) / 19 for i in range(18)] + [1 + 1e-7]
    expected = _np_auc(*_accumulate(batches, thresholds), curve, summation)
    auc = metrics.AUC(num_thresholds=20, curve=curve, summation_method=summation)
    assert _run(auc, batches) == pytest.approx(expected, rel=1e-5)
    # The same thresholds given explicitly (and uneven ones, which take the comparison path).
    explicit = metrics.AUC(thresholds=thresholds[1:-1], curve=curve, summation_method=summation)
    assert _run(explicit, batches) == pytest.approx(expected, rel=1e-5)
    uneven = [0.1, 0.25, 0.3, 0.7, 0.8]
    expected = _np_auc(*_accumulate(batches, [-1e-7] + uneven + [1 + 1e-7]), curve, summation)
    assert _run(metrics.AUC(thresholds=uneven, curve=curve, summation_method=summation), batches) == pytest.approx(
        expected, rel=1e-5)


def test_auc_multi_label_and_label_weights(engine):
    batches = _batches(kind="binary", shape=(12, 3))
    thresholds = [-1e-7] + [(i + 1) / 9 for i in range(8)] + [1 + 1e-7]
    per_label = _np_auc(*_accumulate(batches, thresholds, multi_label=True), "ROC", "interpolation")
    assert per_label.shape == (3,)
    assert _run(metrics.AUC(num_thresholds=10, multi_label=True), batches) == pytest.approx(per_label.mean(), rel=1e-5)
    lw = np.array([1.0, 2.0, 0.5])
    got = _run(metrics.AUC(num_thresholds=10, multi_label=True, num_labels=3, label_weights=lw), batches)
    assert got == pytest.approx((per_label * lw).sum() / lw.sum(), rel=1e-5)
    # Pooled labels with label weights: each label's decisions are weighted.
    pooled = [(t, p, w) for t, p, w in batches]
    counts = None
    for t, p, w in pooled:
        batch = _np_counts(t, p, w[:, None] * lw[None, :], thresholds)
        counts = batch if counts is None else [a + b for a, b in zip(counts, batch)]
    got = _run(metrics.AUC(num_thresholds=10, label_weights=lw), batches)
    assert got == pytest.approx(_np_auc(*counts, "ROC", "interpolation"), rel=1e-5)


def _np_mann_whitney(scores, labels, weights):
    pos, neg = labels == 1, labels == 0
    diff = scores[pos][:, None] - scores[neg][None, :]
    pair_w = weights[pos][:, None] * weights[neg][None, :]
    return (pair_w * ((diff > 0) + 0.5 * (diff == 0))).sum() / pair_w.sum()


def _np_average_precision(scores, labels, weights):
    """sklearn's definition: sum over distinct thresholds (descending) of (R_n - R_{n-1}) P_n."""
    ap, previous_recall = 0.0, 0.0
    total_pos = (weights * labels).sum()
    for th in np.unique(scores)[::-1]:
        above = scores >= th
        tp = (weights * labels * above).sum()
        fp = (weights * (1 - labels) * above).sum()
        recall = tp / total_pos
        ap += (recall - previous_recall) * tp / (tp + fp)
        previous_recall = recall
    return ap


def _tied_batches(n_batches=3, n=15, labels=1):
    rng = np.random.default_rng(3)
    return [(rng.integers(0, 2, (n, labels)).astype("float32"),
             (rng.integers(0, 6, (n, labels)) / 5).astype("float32"),  # few distinct scores: many ties
             rng.uniform(0.2, 2.0, n).astype("float32")) for _ in range(n_batches)]


@pytest.mark.parametrize("curve", ["ROC", "PR"])
def test_exact_auc_with_ties(engine, curve):
    batches = _tied_batches()
    labels, scores, weights = (np.concatenate([b[i] for b in batches]).astype("float64").reshape(-1) for i in range(3))
    reference = _np_mann_whitney if curve == "ROC" else _np_average_precision
    auc = metrics.AUC(curve=curve, exact=True)
    assert _run(auc, batches) == pytest.approx(reference(scores, labels, weights), rel=1e-5)
    assert _value(auc.result()) == pytest.approx(reference(scores, labels, weights), rel=1e-5)  # twice: same
    assert auc.variables == []
    unweighted = metrics.AUC(curve=curve, exact=True)
    assert _run(unweighted, batches, weighted=False) == pytest.approx(
        reference(scores, labels, np.ones_like(scores)), rel=1e-5)
    auc.reset_state()
    assert _value(auc.result()) == 0.0
    t, p, w = batches[0]
    auc.update_state(t, p, sample_weight=w)
    assert _value(auc.result()) == pytest.approx(reference(p.reshape(-1).astype("float64"), t.reshape(-1), w), rel=1e-5)


@pytest.mark.parametrize("curve", ["ROC", "PR"])
def test_exact_auc_multi_label(engine, curve):
    batches = _tied_batches(labels=3)
    labels, scores = (np.concatenate([b[i] for b in batches]).astype("float64") for i in range(2))
    weights = np.concatenate([b[2] for b in batches]).astype("float64")
    reference = _np_mann_whitney if curve == "ROC" else _np_average_precision
    per_label = np.array([reference(scores[:, j], labels[:, j], weights) for j in range(3)])
    auc = metrics.AUC(curve=curve, exact=True, multi_label=True)
    assert _run(auc, batches) == pytest.approx(per_label.mean(), rel=1e-5)
    lw = [0.5, 1.0, 3.0]
    weighted = metrics.AUC(curve=curve, exact=True, multi_label=True, num_labels=3, label_weights=lw)
    assert _run(weighted, batches) == pytest.approx((per_label * lw).sum() / sum(lw), rel=1e-5)


def test_exact_auc_from_logits_and_perfect_ranking(engine):
    scores = np.array([-3.0, -1.0, 0.5, 2.0], "float32")
    auc = metrics.AUC(exact=True, from_logits=True)
    auc.update_state([0, 0, 1, 1], scores)
    assert _value(auc.result()) == pytest.approx(1.0)
    auc.update_state([1], [-5.0])  # a positive ranked below both negatives: 4 of 6 pairs won
    assert _value(auc.result()) == pytest.approx(4 / 6)


@pytest.mark.parametrize("summation, expected", [("interpolation", 0.5), ("minoring", 0.0), ("majoring", 1.0)])
def test_auc_prgain_by_hand(engine, summation, expected):
    """Thresholds (-eps, 0.5, 1+eps) on labels [0, 0, 1, 1], scores [0, .5, .3, .9]: (tp, fp, fn) are
    (2, 2, 0), (1, 0, 1), (0, 0, 2) and P/N = 1, so recall gains 1 - fn/tp = (1, 0, 0 [tp = 0]) and precision
    gains 1 - fp/tp = (0, 1, 1 [tp = 0]); the areas over recall gain are 1 * (0 + 1)/2, min 0, max 1."""
    auc = metrics.AUC(num_thresholds=3, curve="prgain", summation_method=summation)
    auc.update_state([0, 0, 1, 1], [0.0, 0.5, 0.3, 0.9])
    assert _value(auc.result()) == pytest.approx(expected)
    assert auc.get_config()["curve"] == "PRGAIN"


def test_auc_validation(engine):
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="XYZ")
    with pytest.raises(ValueError, match="summation"):
        metrics.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="num_labels"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match="PRGAIN"):
        metrics.AUC(curve="PRGAIN", exact=True)


# -- F-scores, IoU, R2 -----------------------------------------------------------------------------------------
def _np_fbeta(batches, beta, threshold, average):
    tp = fp = fn = support = 0.0
    for t, p, w in batches:
        predicted = (p > threshold) if threshold is not None else ((p >= p.max(-1, keepdims=True)) & (np.abs(p) > 1e-9))
        predicted = predicted.astype("float64")
        axis = None if average == "micro" else 0
        tp = tp + (predicted * t * w[:, None]).sum(axis)
        fp = fp + (predicted * (1 - t) * w[:, None]).sum(axis)
        fn = fn + ((1 - predicted) * t * w[:, None]).sum(axis)
        support = support + (t * w[:, None]).sum(axis)
    precision, recall = tp / (tp + fp + EPS), tp / (tp + fn + EPS)
    score = (1 + beta ** 2) * precision * recall / (beta ** 2 * precision + recall + EPS)
    if average == "weighted":
        return (score * support / (support.sum() + EPS)).sum()
    return score.mean() if average else score


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("threshold", [None, 0.4])
def test_fbeta_and_f1(engine, average, threshold):
    batches = _batches(kind="binary", shape=(10, 4))
    np.testing.assert_allclose(_run(metrics.FBetaScore(average=average, beta=2.0, threshold=threshold), batches),
                               _np_fbeta(batches, 2.0, threshold, average), rtol=1e-5)
    np.testing.assert_allclose(_run(metrics.F1Score(average=average, threshold=threshold), batches),
                               _np_fbeta(batches, 1.0, threshold, average), rtol=1e-5)


def _np_iou(cm, targets):
    tp = np.diag(cm)
    denominator = cm.sum(0) + cm.sum(1) - tp
    tp, denominator = tp[targets], denominator[targets]
    return (tp / (denominator + EPS)).sum() / ((denominator > 1e-9).sum() + EPS)


def test_iou_family(engine):
    rng = np.random.default_rng(5)
    num_classes = 4
    batches = [(rng.integers(0, num_classes, (5, 3)), rng.normal(size=(5, 3, num_classes)).astype("float32"),
                rng.uniform(0, 2, (5, 3)).astype("float32")) for _ in range(3)]
    cm = np.zeros((num_classes, num_classes))
    cm_ignore = np.zeros((num_classes, num_classes))
    for t, p, w in batches:
        np.add.at(cm, (t.reshape(-1), p.argmax(-1).reshape(-1)), w.reshape(-1))
        keep = (t != 2).reshape(-1)
        np.add.at(cm_ignore, (t.reshape(-1)[keep], p.argmax(-1).reshape(-1)[keep]), w.reshape(-1)[keep])
    sparse = [(t, p.argmax(-1), w) for t, p, w in batches]
    one_hot = [(np.eye(num_classes)[t], p, w) for t, p, w in batches]
    assert _run(metrics.IoU(num_classes, [0, 3]), sparse) == pytest.approx(_np_iou(cm, [0, 3]), rel=1e-5)
    assert _run(metrics.MeanIoU(num_classes), sparse) == pytest.approx(_np_iou(cm, [0, 1, 2, 3]), rel=1e-5)
    assert _run(metrics.MeanIoU(num_classes, ignore_class=2), sparse) == pytest.approx(
        _np_iou(cm_ignore, [0, 1, 2, 3]), rel=1e-5)
    assert _run(metrics.MeanIoU(num_classes, sparse_y_pred=False), batches) == pytest.approx(
        _np_iou(cm, [0, 1, 2, 3]), rel=1e-5)
    assert _run(metrics.OneHotIoU(num_classes, [1, 2]), one_hot) == pytest.approx(_np_iou(cm, [1, 2]), rel=1e-5)
    assert _run(metrics.OneHotMeanIoU(num_classes), one_hot) == pytest.approx(_np_iou(cm, [0, 1, 2, 3]), rel=1e-5)
    # Keras' documented BinaryIoU example.
    binary = metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    binary.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], sample_weight=[0.2, 0.3, 0.4, 0.1])
    assert _value(binary.result()) == pytest.approx(0.17361112, rel=1e-5)
    with pytest.raises(ValueError, match="out of range"):
        metrics.IoU(2, [0, 2])


@pytest.mark.parametrize("aggregation", ["uniform_average", "variance_weighted_average", None])
def test_r2_score(engine, aggregation):
    batches = _batches(kind="regression", shape=(8, 3))
    t = np.concatenate([b[0] for b in batches]).astype("float64")
    p = np.concatenate([b[1] for b in batches]).astype("float64")
    w = np.concatenate([b[2] for b in batches]).astype("float64")[:, None]
    mean = (w * t).sum(0) / w.sum()
    total = (w * (t - mean) ** 2).sum(0)
    scores = 1 - (w * (t - p) ** 2).sum(0) / total
    expected = {"uniform_average": scores.mean(), "variance_weighted_average": (total * scores).sum() / total.sum(),
                None: scores}[aggregation]
    np.testing.assert_allclose(_run(metrics.R2Score(class_aggregation=aggregation), batches), expected, rtol=1e-4)
    if aggregation == "uniform_average":
        n = t.size
        adjusted = 1 - (1 - expected) * (n - 1) / (n - 5 - 1)
        assert _run(metrics.R2Score(num_regressors=5), batches) == pytest.approx(adjusted, rel=1e-4)
        assert _run(metrics.R2Score(num_regressors=10_000), batches) == pytest.approx(expected, rel=1e-4)


# -- configs, names, host sync ---------------------------------------------------------------------------------
CONFIG_CASES = [
    metrics.Mean(name="m"), metrics.Sum(), metrics.Accuracy(), metrics.BinaryAccuracy(threshold=0.3),
    metrics.TopKCategoricalAccuracy(k=3), metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True),
    metrics.AUC(num_thresholds=50, curve="PR", summation_method="majoring", multi_label=True, num_labels=2,
                label_weights=[1.0, 2.0], from_logits=True),
    metrics.AUC(thresholds=[0.2, 0.5]), metrics.AUC(exact=True), metrics.Precision(thresholds=[0.3, 0.6], top_k=2),
    metrics.Recall(class_id=1), metrics.TruePositives(thresholds=0.3), metrics.SensitivityAtSpecificity(0.4, 20),
    metrics.RecallAtPrecision(0.8, class_id=2), metrics.F1Score(average="macro", threshold=0.5),
    metrics.FBetaScore(beta=0.5), metrics.IoU(3, [0, 2], ignore_class=1), metrics.BinaryIoU([1], threshold=0.2),
    metrics.MeanIoU(3), metrics.OneHotIoU(3, [1]), metrics.OneHotMeanIoU(3), metrics.R2Score(num_regressors=2),
    metrics.CosineSimilarity(axis=1), metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
    metrics.CategoricalCrossentropy(axis=1), metrics.SparseCategoricalCrossentropy(from_logits=True),
    metrics.MeanMetricWrapper(metrics.hinge, name="h"),
]


@pytest.mark.parametrize("metric", CONFIG_CASES, ids=lambda m: type(m).__name__)
def test_config_round_trip(engine, metric):
    config = metric.get_config()
    clone = type(metric).from_config(config)
    assert clone.get_config() == config
    again = metrics.deserialize(metrics.serialize(metric))
    assert type(again) is type(metric) and again.get_config() == config


def test_default_names_and_lookup(engine):
    assert metrics.AUC().name == "auc" and metrics.AUC().name == "auc_1"
    assert metrics.Precision().name == "precision"
    assert metrics.MeanSquaredError().name == "mean_squared_error"
    assert metrics.LogCoshError().name == "logcosh"
    for name, cls in [("mae", metrics.MeanAbsoluteError), ("mse", metrics.MeanSquaredError), ("AUC", metrics.AUC),
                      ("auc", metrics.AUC), ("precision", metrics.Precision), ("recall", metrics.Recall),
                      ("binary_accuracy", metrics.BinaryAccuracy), ("msle", metrics.MeanSquaredLogarithmicError),
                      ("mape", metrics.MeanAbsolutePercentageError), ("bce", metrics.BinaryCrossentropy),
                      ("categorical_crossentropy", metrics.CategoricalCrossentropy),
                      ("kl_divergence", metrics.KLDivergence), ("r2_score", metrics.R2Score),
                      ("RootMeanSquaredError", metrics.RootMeanSquaredError)]:
        assert type(metrics.get(name)) is cls, name
    auc = metrics.AUC()
    assert metrics.get(auc) is auc and metrics.get(None) is None
    assert metrics.get(metrics.mae) is metrics.mean_absolute_error
    with pytest.raises(ValueError, match="Unknown metric"):
        metrics.get("not_a_metric")
    assert metrics.MeanSquaredError()._direction == "down" and metrics.AUC()._direction == "up"


def test_wrapper_of_a_custom_function_round_trips_when_registered(engine):
    from lamina import serialization

    @serialization.register_lamina_serializable("Test")
    def doubled_error(y_true, y_pred):
        return 2 * metrics.mean_absolute_error(y_true, y_pred)

    m = metrics.MeanMetricWrapper(doubled_error, name="d")
    clone = metrics.deserialize(metrics.serialize(m))
    assert clone._fn is doubled_error and clone.name == "d"
    assert _value(clone([[1.0, 3.0]], [[0.0, 0.0]])) == pytest.approx(4.0)


@pytest.mark.engines("torch")
def test_update_state_does_not_sync_with_the_host(engine, monkeypatch):
    import torch

    cases = [
        (metrics.Mean(), "values"), (metrics.MeanSquaredError(), "regression"), (metrics.Hinge(), "binary"),
        (metrics.BinaryAccuracy(), "binary"), (metrics.CategoricalAccuracy(), "categorical"),
        (metrics.TopKCategoricalAccuracy(k=2), "categorical"), (metrics.AUC(), "binary"),
        (metrics.AUC(thresholds=[0.1, 0.3]), "binary"), (metrics.AUC(multi_label=True), "binary"),
        (metrics.AUC(exact=True, curve="PR"), "binary"), (metrics.Precision(top_k=2, class_id=1), "binary"),
        (metrics.Recall(thresholds=[0.0, 0.5, 1.0]), "binary"), (metrics.SensitivityAtSpecificity(0.5), "binary"),
        (metrics.F1Score(), "binary"), (metrics.MeanIoU(4, sparse_y_true=False, sparse_y_pred=False), "categorical"),
        (metrics.R2Score(), "regression"), (metrics.RootMeanSquaredError(), "regression"),
        (metrics.CategoricalCrossentropy(), "categorical"), (metrics.KLDivergence(), "categorical"),
    ]
    data = {kind: [tuple(torch.as_tensor(a) for a in batch) for batch in _batches(2, kind=kind)]
            for kind in ("regression", "binary", "categorical")}

    def forbidden(*args, **kwargs):
        raise AssertionError("host sync in update_state")

    for metric, kind in cases:
        for name in ("item", "__bool__", "__int__", "__float__", "tolist", "numpy", "__index__"):
            monkeypatch.setattr(torch.Tensor, name, forbidden)
        try:
            for y_true, y_pred, w in data["regression" if kind == "values" else kind]:
                if kind == "values":
                    metric.update_state(y_pred, sample_weight=w)
                else:
                    metric.update_state(y_true, y_pred, sample_weight=w)
        finally:
            monkeypatch.undo()
        assert np.isfinite(_value(metric.result())).all(), type(metric).__name__
