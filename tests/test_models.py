"""The trained models: gradients against finite differences, and fits against scikit-learn."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import xentlib as xl
from xentlib import ood
from xentlib.datasets import two_gaussians, xor
from xentlib.gradcheck import numerical_grad
from xentlib.models import LogisticRegression, SoftmaxRegression, TinyMLP, fit_energy_margin

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
