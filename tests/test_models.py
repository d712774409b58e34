"""The trained models: gradients against finite differences, and fits against scikit-learn."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import optimize
from scipy.special import expit
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import log_loss

import xentlib as xl
from xentlib import ood
from xentlib.datasets import ring_classes, ring_logits, screening_data, sgd_data, two_gaussians, xor, xor_data
from xentlib.gradcheck import numerical_grad
from xentlib.imbalance import balanced_class_weights, class_weighted_loss
from xentlib.models import (
    DistillationTargets,
    DistilledSoftmaxRegression,
    LogisticRegression,
    SoftmaxRegression,
    TinyMLP,
    fit_energy_margin,
    fit_logistic,
    logistic_loss_and_grad,
    sgd_trace,
    train_mlp,
)

RNG = np.random.default_rng(0)
X3 = RNG.normal(size=(30, 3))
Y_LABELS = RNG.integers(0, 4, size=30)
Y_SOFT = RNG.dirichlet(np.ones(4), size=30)


def _models():
    yield "logistic", LogisticRegression(3, w=RNG.normal(size=3), b=0.3, l2=0.1), X3, (X3[:, 0] > 0).astype(int)
    yield "logistic-mse", LogisticRegression(3, w=RNG.normal(size=3), loss="squared error"), X3, (X3[:, 1] > 0).astype(int)
    yield "mlp", TinyMLP(3, hidden=5, seed=1, l2=0.05), X3, (X3[:, 0] * X3[:, 1] > 0).astype(int)
    yield "softmax-labels", SoftmaxRegression(3, 4, l2=0.2, seed=2, init_scale=1.0), X3, Y_LABELS
    yield "softmax-soft", SoftmaxRegression(3, 4, seed=3, init_scale=1.0, label_smoothing=0.1), X3, Y_SOFT
    yield "softmax-weighted", SoftmaxRegression(3, 4, seed=4, init_scale=1.0, class_weight=[1.0, 2.0, 0.5, 1.0]), X3, Y_LABELS


@pytest.mark.parametrize("name, model, X, y", list(_models()), ids=lambda v: v if isinstance(v, str) else "")
def test_gradients_match_finite_differences(name, model, X, y):
    analytic = model.gradients(X, y)
    for param, grad in zip(model._params(), analytic):
        def objective(values, param=param):
            saved = param.copy()
            param[...] = values
            try:
                return model.objective(X, y)
            finally:
                param[...] = saved
        np.testing.assert_allclose(grad, numerical_grad(objective, param.copy()), rtol=1e-5, atol=1e-8, err_msg=name)


def test_l2_is_the_map_estimate_of_scikit_learn():
    """sklearn minimises C * sum(loss) + ||W||^2 / 2, i.e. our mean loss + l2/2 ||W||^2 with l2 = 1/(C N)."""
    sklearn = pytest.importorskip("sklearn.linear_model")
    X, y = two_gaussians(120, separation=1.5, dim=2, seed=5)
    C = 0.5
    ours = LogisticRegression(2, l2=1 / (C * len(X)))
    ours.fit(X, y, lr=1.0, steps=3000)
    ref = sklearn.LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.w, ref.coef_[0], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(ours.b, ref.intercept_[0], rtol=1e-5, atol=1e-7)


def test_softmax_regression_matches_scikit_learn_multinomial():
    sklearn = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(6)
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    y = rng.integers(0, 3, size=150)
    X = centres[y] + rng.normal(scale=1.2, size=(150, 2))
    C = 1.0
    ours = SoftmaxRegression(2, 3, l2=1 / (C * len(X)))
    ours.fit(X, y, lr=1.0, steps=4000)
    ref = sklearn.LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)


def test_soft_targets_equal_their_expected_hard_labels():
    """Training on probability rows t is training on labels drawn from t, in expectation: same loss, same gradient."""
    model = SoftmaxRegression(3, 4, seed=7, init_scale=1.0)
    expanded_X = np.repeat(X3, 4, axis=0)
    expanded_y = np.tile(np.arange(4), len(X3))
    weights = Y_SOFT.ravel()
    z = model.logits(expanded_X)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    expected = -np.sum(weights * log_p[np.arange(len(z)), expanded_y]) / len(X3)
    assert model.loss(X3, Y_SOFT) == pytest.approx(expected, rel=1e-12)


def test_fit_reports_loss_and_accuracy_per_step_and_calls_back():
    X, y = xor(40, seed=1)
    seen = []
    history = TinyMLP(hidden=4, seed=0).fit(X, y, lr=1.0, steps=5, callback=lambda t, m: seen.append(t))
    assert seen == list(range(6)) and history.loss.shape == history.accuracy.shape == (6,)
    assert history.loss[-1] < history.loss[0]


@pytest.mark.parametrize("kwargs, match", [
    ({"l2": -1.0}, "l2 must be a finite number >= 0"),
    ({"l2": float("inf")}, "l2 must be a finite number >= 0"),
])
def test_bad_l2_is_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SoftmaxRegression(2, 3, **kwargs)
    with pytest.raises(ValueError, match=match):
        LogisticRegression(2, **kwargs)


def test_softmax_regression_refuses_rows_of_the_wrong_width():
    with pytest.raises(ValueError, match="4 entries, one per class"):
        SoftmaxRegression(3, 4).fit(X3, Y_SOFT[:, :3])
    with pytest.raises(ValueError, match=r"labels in \[0, 3\)"):
        SoftmaxRegression(3, 3).fit(X3, Y_LABELS)


# --------------------------------------------------------------------------- fit_logistic (Newton), on imbalanced data

@pytest.fixture
def rng():
    return np.random.default_rng(2024)


def skewed(rng, n=300, minority=0.05, d=2):
    """A small imbalanced problem with features: positives shifted along every axis."""
    y = np.zeros(n, dtype=int)
    y[: max(2, int(minority * n))] = 1
    rng.shuffle(y)
    X = rng.normal(size=(n, d)) + 1.5 * y[:, None]
    return X, y


def test_fit_logistic_matches_sklearn_unweighted_and_balanced(rng):
    X, y = skewed(rng, n=500, minority=0.06)
    for weights, sk_weights in [(None, None), (balanced_class_weights(y), "balanced")]:
        fit = fit_logistic(X, y, class_weight=weights)
        ref = SkLogisticRegression(C=np.inf, class_weight=sk_weights, tol=1e-12, max_iter=10_000).fit(X, y)
        assert fit.converged
        assert_allclose(fit.w, ref.coef_[0], rtol=1e-5, atol=1e-6)
        assert fit.b == pytest.approx(ref.intercept_[0], rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("gamma", [0.5, 2.0, 4.0])
def test_fit_logistic_on_focal_loss_finds_scipys_minimum(rng, gamma):
    X, y = skewed(rng, n=300, minority=0.1, d=1)
    weights = [1.0, 3.0]
    fit = fit_logistic(X, y, class_weight=weights, gamma=gamma)

    def loss(theta):
        return class_weighted_loss(X @ theta[:1] + theta[1], y, class_weight=weights, gamma=gamma)

    ref = optimize.minimize(loss, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14})
    assert fit.converged
    assert_allclose(np.r_[fit.w, fit.b], ref.x, atol=1e-5)
    assert fit.loss == pytest.approx(loss(np.r_[fit.w, fit.b]), rel=1e-12)
    assert np.abs(numerical_grad(loss, np.r_[fit.w, fit.b])).max() < 1e-7


def test_focal_fit_with_gamma_zero_is_the_cross_entropy_fit_and_init_does_not_matter(rng):
    X, y = skewed(rng, n=300)
    ce = fit_logistic(X, y)
    assert_allclose(np.r_[fit_logistic(X, y, gamma=0.0, init=([1.0, -1.0], 2.0)).w], ce.w, rtol=1e-8)
    assert ce.predict_proba(X).shape == (300,)
    assert_allclose(ce.predict_proba(X), xl.sigmoid(ce.logits(X)))


def test_fit_logistic_reports_no_convergence_on_separable_data():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    fit = fit_logistic(X, [0, 0, 1, 1], max_iter=15)
    assert not fit.converged and fit.w[0] > 3  # the weights keep growing


def test_weighted_training_shifts_the_bias_by_the_log_prior_odds():
    """In a well-specified model the two solutions differ (almost) only in the bias, by ln(n1/n0)."""
    X, y = screening_data(100_000, seed=5)
    plain = fit_logistic(X, y)
    weighted = fit_logistic(X, y, class_weight=balanced_class_weights(y))
    assert weighted.b - plain.b == pytest.approx(math.log(99), abs=0.15)
    assert weighted.w[0] == pytest.approx(plain.w[0], rel=0.05)
    assert plain.w[0] == pytest.approx(3.0, rel=0.05) and plain.b == pytest.approx(-math.log(99), abs=0.2)


@pytest.mark.parametrize("call, error, message", [
    (lambda: fit_logistic([[1.0], [2.0]], [0, 1, 1]), ValueError, r"^y must have one 0/1 label per row of X"),
    (lambda: fit_logistic([[1.0], [2.0]], [0, 1], tol=0.0), ValueError, r"^tol must be positive"),
    (lambda: fit_logistic([[1.0], [2.0]], [0, 1], init=([1.0, 2.0], 0.0)), ValueError,
     r"^init must be \(w, b\) with one weight per feature \(1\)"),
])
def test_fit_logistic_bad_input_names_the_argument_and_gives_a_hint(call, error, message):
    with pytest.raises(error, match=message):
        call()
# --------------------------------------------------------------------------- the logistic loss as a function of theta

def test_logistic_loss_and_grad_against_sklearn_and_finite_differences():
    X, y = sgd_data()
    loss, grad = logistic_loss_and_grad(X, y)
    theta = np.array([0.7, -0.3])
    p = expit(0.7 * X[:, 0] - 0.3)
    assert loss(theta) == pytest.approx(log_loss(y, p), rel=1e-10)
    assert loss([0.0, 0.0]) == pytest.approx(math.log(2))
    numeric = numerical_grad(lambda t: log_loss(y, expit(t[0] * X[:, 0] + t[1])), theta)
    assert_allclose(grad(theta), numeric, rtol=1e-6, atol=1e-9)
    assert_allclose(grad(theta), [np.mean((p - y) * X[:, 0]), np.mean(p - y)], rtol=1e-10)


# --------------------------------------------------------------------------- SGD

def test_sgd_trace_follows_the_update_rule_step_by_step():
    X, y = sgd_data()
    lr = 0.5
    trace = sgd_trace(X, y, lr=lr, steps=40, seed=3)
    assert trace.w.shape == (41, 1) and trace.b.shape == (41,) and trace.loss.shape == (41,)
    w, b = 0.0, 0.0
    for t, i in enumerate(trace.index):
        x_i, y_i = float(X[i, 0]), float(y[i])
        p = 1 / (1 + math.exp(-(w * x_i + b)))
        assert trace.p[t] == pytest.approx(p, rel=1e-12)
        assert trace.error[t] == pytest.approx(p - y_i, abs=1e-12)
        w, b = w - lr * (p - y_i) * x_i, b - lr * (p - y_i)
        assert trace.w[t + 1, 0] == pytest.approx(w, rel=1e-12, abs=1e-12)
        assert trace.b[t + 1] == pytest.approx(b, rel=1e-12, abs=1e-12)
        assert trace.loss[t + 1] == pytest.approx(log_loss(y, expit(w * X[:, 0] + b)), rel=1e-9)
    assert trace.loss[0] == pytest.approx(math.log(2))


def test_sgd_trace_visits_every_example_once_per_pass_and_is_reproducible():
    X, y = sgd_data(n=10)
    trace = sgd_trace(X, y, lr=1.0, steps=25, seed=7)
    assert sorted(trace.index[:10]) == list(range(10)) and sorted(trace.index[10:20]) == list(range(10))
    assert len(set(trace.index[20:])) == 5
    again = sgd_trace(X, y, lr=1.0, steps=25, seed=7)
    assert_allclose(again.w, trace.w)
    assert not np.array_equal(sgd_trace(X, y, lr=1.0, steps=25, seed=8).index, trace.index)


def test_sgd_trace_with_no_steps_is_the_starting_point():
    X, y = sgd_data(n=6)
    trace = sgd_trace(X, y, lr=0.1, steps=0)
    assert trace.index.size == 0 and trace.w.shape == (1, 1)
    assert trace.loss[0] == pytest.approx(math.log(2))


def test_sgd_learns_the_data_with_a_moderate_rate():
    X, y = sgd_data()
    trace = sgd_trace(X, y, lr=0.5, steps=90)
    assert trace.loss[-1] < 0.35 < math.log(2)
    assert trace.w[-1, 0] > 1.0  # class 1 lives at positive x
# --------------------------------------------------------------------------- the MLP snapshot loop (train_mlp, TrainingRun)

@pytest.fixture(scope="module")
def xor_sample():
    return xor_data()


def test_train_mlp_replays_tinymlp_fit_exactly(xor_sample):
    X, y = xor_sample
    run = train_mlp(X, y, hidden=3, seed=5, lr=1.5, steps=40, every=7)
    net = TinyMLP(2, 3, seed=5)
    history = net.fit(X, y, lr=1.5, steps=40)
    assert list(run.steps) == [0, 7, 14, 21, 28, 35, 40]
    assert run.W.shape == (7, 3, 2) and run.c.shape == (7, 3) and run.v.shape == (7, 3) and run.b.shape == (7,)
    assert_allclose(run.loss, history.loss, rtol=1e-12)
    assert_allclose(run.accuracy, history.accuracy)
    for mine, theirs in ((run.W[-1], net.W), (run.c[-1], net.c), (run.v[-1], net.v), (run.b[-1], net.b)):
        assert_allclose(mine, theirs, rtol=1e-12)
    start = TinyMLP(2, 3, seed=5)
    assert_allclose(run.W[0], start.W) and assert_allclose(run.v[0], start.v)


def test_train_mlp_without_steps_keeps_the_start(xor_sample):
    X, y = xor_sample
    run = train_mlp(X, y, hidden=2, steps=0)
    assert list(run.steps) == [0] and run.loss.shape == (1,)


def test_mlp_forward_matches_the_model(xor_sample):
    X, y = xor_sample
    run = train_mlp(X, y, hidden=4, seed=2, steps=20, every=10)
    net = TinyMLP(2, 4, seed=2)
    net.W, net.c, net.v, net.b = run.W[1].copy(), run.c[1].copy(), run.v[1].copy(), float(run.b[1])
    h, p = run.network(1).hidden(X), run.network(1).predict_proba(X)
    assert_allclose(h, net.hidden(X), rtol=1e-12)
    assert_allclose(p, net.predict_proba(X), rtol=1e-12)
    assert xl.binary_cross_entropy(p, y) == pytest.approx(run.loss[10], rel=1e-10)
# ---------------------------------------------------------------- energy-margin fine-tuning

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
    fit_energy_margin(model, X_in, y_in, X_out, m_in=-2.0, m_out=0.5, weight=0.7, lr=lr, steps=1)
    step = np.r_[(W0 - model.W).ravel(), b0 - model.b] / lr
    numeric = xl.numerical_grad(lambda t: _objective(t, W0.shape, *args), np.r_[W0.ravel(), b0])
    assert_allclose(step, numeric, rtol=1e-6, atol=1e-8)


def test_fit_energy_margin_with_weight_zero_is_plain_training():
    rng = np.random.default_rng(9)
    X_in, y_in, X_out = rng.normal(size=(20, 2)), rng.integers(0, 3, 20), rng.normal(size=(5, 2))
    a, b = SoftmaxRegression(2, 3), SoftmaxRegression(2, 3)
    history = fit_energy_margin(a, X_in, y_in, X_out, weight=0.0, lr=0.3, steps=25)
    reference = b.fit(X_in, y_in, lr=0.3, steps=25)
    assert_allclose(history.ce, reference.loss, rtol=1e-12)
    assert_allclose(history.accuracy, reference.accuracy)
    assert_allclose(a.W, b.W, rtol=1e-12)
    assert_allclose(a.b, b.b, rtol=1e-12)
    assert len(history.margin_in) == len(history.margin_out) == 26


def test_fit_energy_margin_input_errors():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(TypeError, match="SoftmaxRegression"):
        fit_energy_margin(LogisticRegression(2), X, y, X)
    with pytest.raises(ValueError, match=r"X_out must have shape \(N, 2\)"):
        fit_energy_margin(SoftmaxRegression(2, 2), X, y, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="y_in must have one integer label"):
        fit_energy_margin(SoftmaxRegression(2, 2), X, y[:3], X)
    with pytest.raises(ValueError, match="weight must be a finite number >= 0"):
        fit_energy_margin(SoftmaxRegression(2, 2), X, y, X, weight=-1.0)
# ---------------------------------------------------------------- the distilled student (notebook 09)

@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.0])
def test_distilled_student_gradients_match_finite_differences(alpha):
    rng = np.random.default_rng(10)
    X, y, t = rng.normal(size=(6, 3)), rng.integers(0, 4, size=6), rng.normal(size=(6, 4))
    student = DistilledSoftmaxRegression(3, 4, temperature=2.5, alpha=alpha, l2=0.1, seed=1, init_scale=1.0)
    targets = DistillationTargets(t, y)
    grad_W, grad_b = student.gradients(X, targets)
    W0 = student.W.copy()

    def objective_W(W):
        student.W[...] = W
        return student.objective(X, targets)

    assert_allclose(grad_W, xl.numerical_grad(objective_W, W0), atol=1e-7)
    student.W[...] = W0
    expected = (alpha * xl.distillation_loss(student.logits(X), t, temperature=2.5)
                + (1 - alpha) * xl.softmax_cross_entropy(student.logits(X), y) + 0.05 * np.sum(W0**2))
    assert student.objective(X, targets) == pytest.approx(expected, rel=1e-12)
    assert grad_b.shape == (4,)


def test_student_on_hard_labels_is_plain_softmax_regression():
    X, y = ring_classes(40, seed=0)
    student = DistilledSoftmaxRegression(2, 5, alpha=0.0)
    student.fit(X, DistillationTargets(np.zeros((40, 5)), y), lr=1.0, steps=30)
    plain = SoftmaxRegression(2, 5)
    plain.fit(X, y, lr=1.0, steps=30)
    assert_allclose(student.W, plain.W, atol=1e-12)


def test_student_on_soft_targets_recovers_a_linear_teacher():
    X, _ = ring_classes(30, seed=4)
    teacher = ring_logits(X)
    student = DistilledSoftmaxRegression(2, 5, temperature=3.0)
    student.fit(X, DistillationTargets(teacher), lr=1.0, steps=2000)
    X_new, _ = ring_classes(200, seed=5)
    assert_allclose(xl.softmax(student.logits(X_new)), xl.softmax(ring_logits(X_new)), atol=2e-3)


def test_student_errors_name_the_missing_labels_and_the_wrong_shape():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="labels=None"):
        DistilledSoftmaxRegression(2, 3, alpha=0.5).fit(X, DistillationTargets(np.zeros((4, 3))))
    with pytest.raises(ValueError, match=r"teacher_logits must have shape \(4, 3\)"):
        DistilledSoftmaxRegression(2, 3).fit(X, DistillationTargets(np.zeros((4, 2))))
    with pytest.raises(ValueError, match="alpha must lie in"):
        DistilledSoftmaxRegression(2, 3, alpha=2.0)
