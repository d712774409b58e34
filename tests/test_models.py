"""The trained models: gradients against finite differences, and fits against scikit-learn."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import xentlib as xl
from xentlib.datasets import ring_classes, ring_logits, two_gaussians, xor
from xentlib.gradcheck import numerical_grad
from xentlib.models import (
    DistillationTargets,
    DistilledSoftmaxRegression,
    LogisticRegression,
    SoftmaxRegression,
    TinyMLP,
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
