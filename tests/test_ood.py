"""Notebook 10's library: OOD scores, ROC/AUROC, the energy-margin loss, the toy experiment, JS smoothing.

Each claim is checked by a route independent of the code under test:
scikit-learn's ROC and AUROC, SciPy's Mann-Whitney U and Jensen-Shannon
distance, central finite differences, brute force and closed forms.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.spatial.distance import jensenshannon
from scipy.stats import mannwhitneyu
from sklearn.metrics import roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

import xentlib as xl
from xentlib import exercises, ood
from xentlib.models import LogisticRegression, SoftmaxRegression


@pytest.fixture(scope="module")
def exp():
    from xentlib.explore.ood import experiment

    return experiment()


def _labels_and_scores(s_in, s_out):
    return np.r_[np.zeros(len(s_in)), np.ones(len(s_out))], np.r_[s_in, s_out]


# ---------------------------------------------------------------- scores

def test_max_softmax_and_predicted_nll_agree_with_the_softmax():
    z = np.random.default_rng(0).normal(scale=3.0, size=(50, 4))
    p = xl.softmax(z)
    assert_allclose(ood.max_softmax(z), p.max(axis=1), rtol=1e-12)
    assert_allclose(ood.predicted_nll(z), -np.log(p.max(axis=1)), rtol=1e-10, atol=1e-14)
    assert_allclose(ood.max_softmax(z, temperature=2.0), xl.softmax(z / 2.0).max(axis=1), rtol=1e-12)
    assert_allclose(ood.predicted_nll(z, temperature=2.0), -np.log(xl.softmax(z / 2.0).max(axis=1)), rtol=1e-10)


def test_predicted_nll_is_stable_where_the_probability_rounds_to_one():
    z = np.array([[1000.0, 0.0], [30.0, 0.0]])
    nll = ood.predicted_nll(z)
    assert np.isfinite(nll).all()
    assert nll[1] == pytest.approx(math.exp(-30.0), rel=1e-9)  # log(1 + e^-30): lost if computed as -log(p)


def test_ood_score_orientation_and_the_energy_identity():
    z = np.random.default_rng(1).normal(scale=2.0, size=(40, 3))
    assert_allclose(ood.ood_score(z, "energy"), xl.energy_score(z))
    assert_allclose(ood.ood_score(z, "msp"), -ood.max_softmax(z))
    assert_allclose(ood.ood_score(z, "nll"), ood.predicted_nll(z))
    # log max p = max z + E at T = 1
    assert_allclose(np.log(ood.max_softmax(z)), z.max(axis=1) + xl.energy_score(z), atol=1e-12)
    # msp and nll rank inputs identically
    assert np.array_equal(np.argsort(ood.ood_score(z, "msp")), np.argsort(ood.ood_score(z, "nll")))


def test_a_common_shift_changes_the_energy_but_not_the_softmax_or_the_loss():
    rng = np.random.default_rng(2)
    z, y = rng.normal(size=(30, 3)), rng.integers(0, 3, 30)
    c = rng.normal(scale=4.0, size=(30, 1))  # a different shift for every input
    assert xl.softmax_cross_entropy(z + c, y) == pytest.approx(xl.softmax_cross_entropy(z, y), rel=1e-12)
    assert_allclose(ood.max_softmax(z + c), ood.max_softmax(z), rtol=1e-12)
    assert_allclose(xl.energy_score(z + c), xl.energy_score(z) - c[:, 0], rtol=1e-12, atol=1e-12)


def test_score_input_errors():
    with pytest.raises(ValueError, match="method must be one of"):
        ood.ood_score([[1.0, 2.0]], "entropy")
    with pytest.raises(ValueError, match=r"shape \(N, K\)"):
        ood.max_softmax([1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        ood.predicted_nll([[np.nan, 0.0]])
    with pytest.raises(ValueError, match="temperature"):
        ood.predicted_nll([[1.0, 0.0]], temperature=0.0)


# ---------------------------------------------------------------- ROC and AUROC

@pytest.mark.parametrize("tied", [False, True])
def test_roc_curve_matches_scikit_learn(tied):
    rng = np.random.default_rng(3)
    s_in, s_out = rng.normal(size=80), rng.normal(0.7, 1.0, size=50)
    if tied:  # many exact ties, within and across the two sets
        s_in, s_out = np.round(s_in), np.round(s_out)
    roc = ood.roc_curve(s_in, s_out)
    fpr, tpr, thresholds = sk_roc_curve(*_labels_and_scores(s_in, s_out), drop_intermediate=False)
    assert_allclose(roc.fpr, fpr)
    assert_allclose(roc.tpr, tpr)
    assert roc.thresholds[0] == np.inf
    assert_allclose(roc.thresholds[1:], thresholds[1:])
    assert ood.auroc(s_in, s_out) == pytest.approx(roc_auc_score(*_labels_and_scores(s_in, s_out)), rel=1e-12)


def test_auroc_is_the_mann_whitney_probability_with_half_ties():
    rng = np.random.default_rng(4)
    s_in, s_out = rng.integers(0, 6, 40).astype(float), rng.integers(1, 7, 30).astype(float)
    u = mannwhitneyu(s_out, s_in).statistic  # counts ties one half
    assert ood.auroc(s_in, s_out) == pytest.approx(u / (len(s_in) * len(s_out)), rel=1e-12)
    brute = np.mean((s_out[:, None] > s_in[None, :]) + 0.5 * (s_out[:, None] == s_in[None, :]))
    assert ood.auroc(s_in, s_out) == pytest.approx(brute, rel=1e-12)
    assert ood.auroc(s_out, s_in) == pytest.approx(1 - ood.auroc(s_in, s_out), rel=1e-12)


def test_auroc_extremes():
    assert ood.auroc([1.0, 2.0], [3.0, 4.0]) == 1.0
    assert ood.auroc([3.0, 4.0], [1.0, 2.0]) == 0.0
    assert ood.auroc([5.0] * 3, [5.0] * 4) == 0.5


def test_detection_rates_are_points_of_the_roc_curve():
    rng = np.random.default_rng(5)
    s_in, s_out = rng.normal(size=60), rng.normal(1.0, 1.0, size=45)
    roc = ood.roc_curve(s_in, s_out)
    for k in (1, 10, 40, len(roc.thresholds) - 1):
        rates = ood.detection_rates(s_in, s_out, roc.thresholds[k])
        assert (rates.fpr, rates.tpr) == pytest.approx((roc.fpr[k], roc.tpr[k]))
    assert ood.detection_rates(s_in, s_out, np.inf) == (0.0, 0.0)
    assert ood.detection_rates(s_in, s_out, -np.inf) == (1.0, 1.0)


def test_fpr_at_tpr_by_brute_force():
    rng = np.random.default_rng(6)
    s_in, s_out = rng.normal(size=200), rng.normal(1.5, 1.0, size=100)
    best = min(np.mean(s_in >= t) for t in np.r_[s_in, s_out] if np.mean(s_out >= t) >= 0.95)
    assert ood.fpr_at_tpr(s_in, s_out) == pytest.approx(best)
    assert ood.fpr_at_tpr(s_in, s_out, tpr=0.0) == 0.0
    assert ood.fpr_at_tpr([0.0, 1.0], [2.0, 3.0], tpr=1.0) == 0.0


def test_detection_input_errors():
    with pytest.raises(ValueError, match="scores_in is empty"):
        ood.auroc([], [1.0])
    with pytest.raises(ValueError, match="1-d array"):
        ood.roc_curve([[1.0, 2.0]], [1.0])
    with pytest.raises(ValueError, match="scores_out must be finite"):
        ood.auroc([1.0], [np.nan])
    with pytest.raises(ValueError, match="threshold must be a number"):
        ood.detection_rates([1.0], [2.0], float("nan"))
    with pytest.raises(TypeError, match="threshold must be a real number"):
        ood.detection_rates([1.0], [2.0], "high")
    with pytest.raises(ValueError, match=r"tpr must lie in \[0, 1\]"):
        ood.fpr_at_tpr([1.0], [2.0], tpr=95)


# ---------------------------------------------------------------- energy-margin loss

def _margin_by_hand(z_in, z_out, m_in, m_out, t=1.0):
    e_in = [-t * math.log(sum(math.exp(v / t) for v in row)) for row in z_in]
    e_out = [-t * math.log(sum(math.exp(v / t) for v in row)) for row in z_out]
    return (sum(max(0.0, e - m_in) ** 2 for e in e_in) / len(e_in)
            + sum(max(0.0, m_out - e) ** 2 for e in e_out) / len(e_out))


@pytest.mark.parametrize("temperature", [1.0, 2.5])
def test_energy_margin_loss_and_its_gradient(temperature):
    rng = np.random.default_rng(7)
    z_in, z_out = rng.normal(2.0, 2.0, size=(6, 3)), rng.normal(-1.0, 2.0, size=(5, 3))
    e_in, e_out = xl.energy_score(z_in, temperature=temperature), xl.energy_score(z_out, temperature=temperature)
    # margins between the middle energies (never on one: the hinge has a kink there), some hinges active, some not
    m_in = float(np.sort(e_in)[2:4].mean())
    m_out = max(float(np.sort(e_out)[1:3].mean()), m_in + 0.5)
    loss = ood.energy_margin_loss(z_in, z_out, m_in=m_in, m_out=m_out, temperature=temperature)
    assert loss == pytest.approx(_margin_by_hand(z_in, z_out, m_in, m_out, temperature), rel=1e-12)
    g_in, g_out = ood.energy_margin_loss_grad(z_in, z_out, m_in=m_in, m_out=m_out, temperature=temperature)
    num_in = xl.numerical_grad(lambda v: ood.energy_margin_loss(v, z_out, m_in=m_in, m_out=m_out,
                                                                temperature=temperature), z_in)
    num_out = xl.numerical_grad(lambda v: ood.energy_margin_loss(z_in, v, m_in=m_in, m_out=m_out,
                                                                 temperature=temperature), z_out)
    assert_allclose(g_in, num_in, rtol=1e-6, atol=1e-8)
    assert_allclose(g_out, num_out, rtol=1e-6, atol=1e-8)
    assert np.all(g_in[e_in <= m_in] == 0) and np.any(g_in[e_in > m_in] != 0)  # inactive hinges give exactly 0
    assert np.all(g_out[e_out >= m_out] == 0) and np.any(g_out[e_out < m_out] != 0)


def test_energy_margin_gradient_moves_all_logits_together():
    z_in, z_out = np.array([[0.0, 1.0, -1.0]]), np.array([[3.0, 2.0, 0.0]])
    g_in, g_out = ood.energy_margin_loss_grad(z_in, z_out, m_in=-10.0, m_out=5.0)
    assert np.all(g_in < 0) and np.all(g_out > 0)  # descent raises in-logits, lowers out-logits
    # the step is proportional to the softmax, so the softmax's own direction changes least
    assert_allclose(g_in / g_in.sum(), xl.softmax(z_in), rtol=1e-12)


def test_energy_margin_loss_is_zero_once_both_margins_hold():
    z_in, z_out = np.array([[20.0, 0.0]]), np.array([[-20.0, -20.0]])
    assert ood.energy_margin_loss(z_in, z_out, m_in=-7.0, m_out=-2.0) == 0.0
    g_in, g_out = ood.energy_margin_loss_grad(z_in, z_out, m_in=-7.0, m_out=-2.0)
    assert not g_in.any() and not g_out.any()


def test_energy_margin_input_errors():
    with pytest.raises(ValueError, match="m_in must be finite and below m_out"):
        ood.energy_margin_loss([[0.0, 0.0]], [[0.0, 0.0]], m_in=-1.0, m_out=-2.0)
    with pytest.raises(ValueError, match="same number of classes"):
        ood.energy_margin_loss([[0.0, 0.0]], [[0.0, 0.0, 0.0]], m_in=-3.0, m_out=-1.0)
    with pytest.raises(ValueError, match="at least one row"):
        ood.energy_margin_loss_grad(np.zeros((0, 2)), [[0.0, 0.0]], m_in=-3.0, m_out=-1.0)
    with pytest.raises(TypeError, match="m_out must be a real number"):
        ood.energy_margin_loss([[0.0, 0.0]], [[0.0, 0.0]], m_in=-3.0, m_out=None)


def _objective(theta, shape, X_in, y_in, X_out, lam, l2, m_in, m_out):
    """CE + lam * L_energy + l2/2 |W|^2 at parameters packed as [W.ravel(), b], by public functions only."""
    W, b = theta[: shape[0] * shape[1]].reshape(shape), theta[shape[0] * shape[1]:]
    z_in, z_out = X_in @ W + b, X_out @ W + b
    return (xl.softmax_cross_entropy(z_in, y_in) + lam * ood.energy_margin_loss(z_in, z_out, m_in=m_in, m_out=m_out)
            + 0.5 * l2 * np.sum(W**2))


def test_fit_energy_margin_descends_the_objectives_gradient():
    rng = np.random.default_rng(8)
    X_in, y_in, X_out = rng.normal(size=(12, 3)), rng.integers(0, 3, 12), rng.normal(size=(7, 3)) * 3
    model = SoftmaxRegression(3, 3, l2=0.3, seed=1, init_scale=1.0)
    W0, b0 = model.W.copy(), model.b.copy()
    lr, args = 1e-3, (X_in, y_in, X_out, 0.7, 0.3, -2.0, 0.5)
    ood.fit_energy_margin(model, X_in, y_in, X_out, m_in=-2.0, m_out=0.5, weight=0.7, lr=lr, steps=1)
    step = np.r_[(W0 - model.W).ravel(), b0 - model.b] / lr
    numeric = xl.numerical_grad(lambda t: _objective(t, W0.shape, *args), np.r_[W0.ravel(), b0])
    assert_allclose(step, numeric, rtol=1e-6, atol=1e-8)


def test_fit_energy_margin_with_weight_zero_is_plain_training():
    rng = np.random.default_rng(9)
    X_in, y_in, X_out = rng.normal(size=(20, 2)), rng.integers(0, 3, 20), rng.normal(size=(5, 2))
    a, b = SoftmaxRegression(2, 3), SoftmaxRegression(2, 3)
    history = ood.fit_energy_margin(a, X_in, y_in, X_out, weight=0.0, lr=0.3, steps=25)
    reference = b.fit(X_in, y_in, lr=0.3, steps=25)
    assert_allclose(history.ce, reference.loss, rtol=1e-12)
    assert_allclose(history.accuracy, reference.accuracy)
    assert_allclose(a.W, b.W, rtol=1e-12)
    assert_allclose(a.b, b.b, rtol=1e-12)
    assert len(history.margin_in) == len(history.margin_out) == 26


def test_fit_energy_margin_input_errors():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(TypeError, match="SoftmaxRegression"):
        ood.fit_energy_margin(LogisticRegression(2), X, y, X)
    with pytest.raises(ValueError, match=r"X_out must have shape \(N, 2\)"):
        ood.fit_energy_margin(SoftmaxRegression(2, 2), X, y, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="y_in must have one integer label"):
        ood.fit_energy_margin(SoftmaxRegression(2, 2), X, y[:3], X)
    with pytest.raises(ValueError, match="weight must be a finite number >= 0"):
        ood.fit_energy_margin(SoftmaxRegression(2, 2), X, y, X, weight=-1.0)


# ---------------------------------------------------------------- the toy experiment

def test_data_generators():
    X, y = ood.blobs(50, seed=3)
    assert X.shape == (150, 2) and np.bincount(y).tolist() == [50, 50, 50]
    assert_allclose([X[y == k].mean(axis=0) for k in range(3)], ood.BLOB_CENTRES, atol=0.25)
    assert_allclose(np.hypot(*ood.BLOB_CENTRES.T), 2.5)
    ring = ood.outlier_ring(4000, r_min=2.0, r_max=4.0, seed=1)
    r = np.hypot(*ring.T)
    assert r.min() >= 2.0 and r.max() <= 4.0
    assert np.mean(r**2 < 10.0) == pytest.approx(0.5, abs=0.03)  # uniform in area: half the area inside r^2 = 10
    assert np.array_equal(ood.outlier_ring(5, r_min=1, r_max=2, seed=7), ood.outlier_ring(5, r_min=1, r_max=2, seed=7))
    assert_allclose(ood.radial_features([[1.0, 2.0]], scale=5.0), [[1.0, 2.0, 1.0]])
    assert_allclose(ood.ray(180.0, [1.0, 3.0]), [[-1.0, 0.0], [-3.0, 0.0]], atol=1e-12)
    with pytest.raises(ValueError, match="r_min <= r_max"):
        ood.outlier_ring(5, r_min=3.0, r_max=1.0)
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        ood.radial_features([[1.0, 2.0, 3.0]])


def test_plain_model_is_confident_far_away_and_its_energy_falls(exp):
    directions = np.arange(0.0, 360.0, 5.0)
    far = np.array([ood.max_softmax(exp.logits(ood.ray(d, [10.0]), "plain"))[0] for d in directions])
    assert np.median(far) > 0.999  # off the boundaries between classes, near-certain
    for d in directions:  # and in *every* direction the energy falls beyond the data
        energy = exp.scores(ood.ray(d, np.linspace(4.0, 12.0, 9)), "plain", "energy")
        assert np.all(np.diff(energy) < 0), d


def test_cross_entropy_leaves_the_sum_of_logits_where_it_started(exp):
    # from zero weights, every CE gradient has rows summing to 0, so the logits' sum over classes never moves
    assert_allclose(exp.models["plain"].W.sum(axis=1), 0.0, atol=1e-12)
    assert_allclose(exp.models["plain"].b.sum(), 0.0, atol=1e-12)


def test_margin_model_detects_the_far_inputs_and_keeps_its_accuracy(exp):
    plain, margin = exp.models["plain"], exp.models["margin"]
    s_in, s_out = exp.test_scores("plain", "energy")
    assert ood.auroc(s_in, s_out) < 0.05
    s_in, s_out = exp.test_scores("margin", "energy")
    assert ood.auroc(s_in, s_out) > 0.999 and ood.fpr_at_tpr(s_in, s_out) < 0.01
    for method in ("msp", "nll"):  # the softmax's own scores are not helped
        assert ood.auroc(*exp.test_scores("margin", method)) < 0.5
    F = ood.radial_features(exp.X_test_in)
    assert margin.accuracy(F, exp.y_test_in) >= plain.accuracy(F, exp.y_test_in) - 0.01
    assert np.all(margin.W[2] < -1.0) and np.all(np.abs(plain.W[2]) < 0.2)
    assert exp.margin_history.margin_out[-1] < 0.1 * exp.margin_history.margin_out[0]


def test_experiment_snapshots_run_from_the_plain_model_to_the_margin_model(exp):
    assert exp.snapshot_steps[0] == 0 and exp.snapshot_steps[-1] == len(exp.margin_history.ce) - 1
    assert_allclose(exp.snapshot_W[0], exp.models["plain"].W)
    assert_allclose(exp.snapshot_W[-1], exp.models["margin"].W)
    assert_allclose(exp.snapshot_logits(len(exp.snapshot_steps) - 1, exp.X_test_in), exp.logits(exp.X_test_in, "margin"))
    with pytest.raises(ValueError, match="model must be one of"):
        exp.logits(exp.X_test_in, "deep")


# ---------------------------------------------------------------- sequences

def test_js_smoothness_matches_scipy_and_is_bounded():
    z = np.random.default_rng(10).normal(scale=2.0, size=(15, 3))
    p = xl.softmax(z)
    reference = sum(jensenshannon(p[t], p[t + 1]) ** 2 for t in range(len(p) - 1))  # scipy gives sqrt(JS)
    assert ood.js_smoothness(z) == pytest.approx(reference, rel=1e-9)
    assert ood.js_smoothness(z) == pytest.approx(float(xl.js_divergence(p[:-1], p[1:]).sum()), rel=1e-12)
    sharp = np.array([[50.0, 0.0, 0.0], [0.0, 0.0, 50.0]] * 3)
    assert ood.js_smoothness(sharp) == pytest.approx(5 * math.log(2), rel=1e-12)
    assert ood.js_smoothness(np.tile([1.0, 2.0, 3.0], (6, 1))) == 0.0


@pytest.mark.parametrize("scale", [0.5, 3.0])
def test_js_smoothness_gradient_by_finite_differences(scale):
    z = np.random.default_rng(11).normal(scale=scale, size=(7, 3))
    assert_allclose(ood.js_smoothness_grad(z), xl.numerical_grad(ood.js_smoothness, z), rtol=1e-6, atol=1e-9)


def test_js_smoothness_is_finite_for_huge_logits():
    z = np.array([[1e4, 0.0, -1e4], [-1e4, 0.0, 1e4], [0.0, 1e4, 0.0]])
    assert math.isfinite(ood.js_smoothness(z))
    assert np.isfinite(ood.js_smoothness_grad(z)).all()


def test_smoothing_objective_and_gradient():
    rng = np.random.default_rng(12)
    noisy, z = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    q = xl.softmax(noisy)
    expected = float(xl.cross_entropy(q, xl.softmax(z)).sum()) + 2.5 * ood.js_smoothness(z)
    assert ood.smoothing_objective(z, noisy, 2.5) == pytest.approx(expected, rel=1e-12)
    numeric = xl.numerical_grad(lambda v: ood.smoothing_objective(v, noisy, 2.5), z)
    assert_allclose(ood.smoothing_objective_grad(z, noisy, 2.5), numeric, rtol=1e-6, atol=1e-9)


def test_smooth_segments_reaches_a_stationary_point_below_its_start():
    protein = ood.secondary_structure(60, seed=4)
    lams = np.array([0.0, 1.0, 5.0, 20.0])
    path = ood.smooth_segments(protein.logits, lams)
    assert path.shape == (4, 60, 3)
    for lam, z in zip(lams, path):
        assert np.abs(ood.smoothing_objective_grad(z, protein.logits, lam)).max() < 1e-3
        assert ood.smoothing_objective(z, protein.logits, lam) <= ood.smoothing_objective(protein.logits, protein.logits, lam)
    assert np.array_equal(path[0].argmax(axis=1), protein.logits.argmax(axis=1))  # no penalty: nothing changes
    assert_allclose(ood.smooth_segments(protein.logits, 5.0), path[2], rtol=1e-12)  # one weight = one row of the batch


def test_the_penalty_defragments_the_toy_protein():
    protein = ood.secondary_structure(120, seed=0)
    raw = protein.logits.argmax(axis=1)
    smooth = ood.smooth_segments(protein.logits, 8.0).argmax(axis=1)
    assert ood.fragmentation(raw, protein.labels) > 3
    assert ood.fragmentation(smooth, protein.labels) == pytest.approx(1.0, abs=0.15)
    assert np.mean(smooth == protein.labels) > np.mean(raw == protein.labels) + 0.1


def test_secondary_structure_generator():
    protein = ood.secondary_structure(400, seed=5)
    assert protein.labels.shape == (400,) and protein.logits.shape == (400, 3)
    assert np.array_equal(protein.labels, ood.secondary_structure(400, seed=5).labels)
    starts = np.r_[0, np.flatnonzero(np.diff(protein.labels)) + 1]
    lengths = np.diff(np.r_[starts, 400])
    states = protein.labels[starts]
    assert np.all((states[:-1] == 2) | (states[1:] == 2))  # a coil loop between any two structured segments
    for state, (lo, hi) in {0: (10, 18), 1: (4, 8), 2: (3, 8)}.items():
        inner = lengths[:-1][states[:-1] == state]  # the last segment may be cut short
        assert inner.min() >= lo and inner.max() <= hi
    assert 0.6 < np.mean(protein.logits.argmax(axis=1) == protein.labels) < 0.9
    assert set(protein.string()) <= set("HEC") and protein.string([0, 1, 2]) == "HEC"


def test_segment_counting_and_errors():
    assert ood.count_segments([1]) == 1
    assert ood.count_segments([2, 2, 0, 0, 0, 2]) == 3
    assert ood.fragmentation([0, 1, 0, 1], [0, 0, 1, 1]) == 2.0
    with pytest.raises(ValueError, match="non-empty 1-d"):
        ood.count_segments([])
    with pytest.raises(TypeError, match="integer class labels"):
        ood.count_segments([0.5, 1.0])
    with pytest.raises(ValueError, match="same length"):
        ood.fragmentation([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="at least 2 positions"):
        ood.js_smoothness([[1.0, 0.0]])
    with pytest.raises(ValueError, match="lam must be a finite number >= 0"):
        ood.smoothing_objective([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], -1.0)
    with pytest.raises(ValueError, match="lam must be a number >= 0"):
        ood.smooth_segments([[1.0, 0.0], [0.0, 1.0]], [[1.0]])
    with pytest.raises(ValueError, match="momentum"):
        ood.smooth_segments([[1.0, 0.0], [0.0, 1.0]], 1.0, momentum=1.0)


# ---------------------------------------------------------------- figure helpers and exercises

def test_smoothing_table_matches_a_direct_computation():
    from xentlib.explore import ood as figures

    protein = figures.protein()
    direct = ood.smooth_segments(protein.logits, 8.0)
    segments, accuracy, penalty = figures.smoothing_table(8.0)
    assert segments == ood.count_segments(direct.argmax(axis=1))
    assert accuracy == pytest.approx(np.mean(direct.argmax(axis=1) == protein.labels))
    assert penalty == pytest.approx(ood.js_smoothness(direct), rel=1e-9)
    with pytest.raises(ValueError, match="slider's values"):
        figures.smoothing_table(0.3)


def test_exercises():
    assert exercises.check("10.energy", -4.0659).correct
    assert not exercises.check("10.energy", 4.0659).correct  # the sign matters
    assert exercises.check("10.shift", -3.0).correct
    assert not exercises.check("10.shift", 3.0).correct
    assert exercises.check("10.js_pair", 0.2158).correct
    assert not exercises.check("10.js_pair", 0.2877).correct  # KL(p_t || m) alone is not JS

    def my_auroc(scores_in, scores_out):
        return np.mean((scores_out[:, None] > scores_in) + 0.5 * (scores_out[:, None] == scores_in))

    def no_ties(scores_in, scores_out):
        return np.mean(scores_out[:, None] > scores_in)

    assert exercises.check("10.auroc", my_auroc).correct
    feedback = exercises.check("10.auroc", no_ties)
    assert feedback.status == "close" and "ties" not in feedback.message.lower()
    for key in ("10.energy", "10.shift", "10.auroc", "10.js_pair"):
        assert exercises.check(key, None).status == "unanswered"
