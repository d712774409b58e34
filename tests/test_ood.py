"""xentlib.ood: OOD scores, ROC/AUROC, the energy-margin loss.

Each claim is checked by a route independent of the code under test:
scikit-learn's ROC and AUROC, SciPy's Mann-Whitney U, central finite
differences, brute force and closed forms.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats import mannwhitneyu
from sklearn.metrics import roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

import xentlib as xl
from xentlib import ood


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
