"""The trained models: gradients against finite differences, and fits against scikit-learn."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import xentlib as xl
from xentlib.datasets import two_gaussians, xor, xor_data
from xentlib.gradcheck import numerical_grad
from xentlib.models import LogisticRegression, SoftmaxRegression, TinyMLP, train_mlp

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
