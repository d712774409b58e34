"""Properties that must hold for every input, checked with Hypothesis.

Bounded floats only: logits in [-1e4, 1e4] (the range xentlib promises to be
stable on), probabilities built by normalising non-negative arrays.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose

import xentlib as xl

BIG = 1e4
FAST = settings(deadline=None, max_examples=60)
FEW = settings(deadline=None, max_examples=30)
REDUCTIONS = ["mean", "sum", "none"]


# --------------------------------------------------------------------------- strategies

def floats(lo, hi, width=64):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=width)


def logit_arrays(shape, lim=BIG, dtype=np.float64):
    width = 32 if dtype == np.float32 else 64
    return hnp.arrays(dtype, shape, elements=floats(-lim, lim, width))


@st.composite
def distributions(draw, n=None, zeros=True, floor=0.0):
    """A probability vector (or rows, shape (n, C)); with ``zeros`` some entries may be exactly 0."""
    c = draw(st.integers(2, 6))
    shape = (c,) if n is None else (n, c)
    raw = draw(hnp.arrays(np.float64, shape, elements=floats(0.0 if zeros else 1e-3, 1.0)))
    raw = raw + floor
    raw[..., 0] += 1e-3  # never an all-zero row
    return raw / raw.sum(axis=-1, keepdims=True)


@st.composite
def distribution_pairs(draw, q_positive=False):
    c = draw(st.integers(2, 6))
    p = draw(hnp.arrays(np.float64, c, elements=floats(0.0, 1.0)))
    q = draw(hnp.arrays(np.float64, c, elements=floats(1e-3 if q_positive else 0.0, 1.0)))
    p[0] += 1e-3
    q[0] += 1e-3
    return p / p.sum(), q / q.sum()


@st.composite
def multiclass(draw, lim=50.0, dtype=np.float64):
    """(z, y, class_weight) with z of shape (N, C), integer labels y and positive weights."""
    n = draw(st.integers(1, 6))
    c = draw(st.integers(2, 5))
    z = draw(logit_arrays((n, c), lim, dtype))
    y = draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))
    w = draw(hnp.arrays(np.float64, c, elements=floats(0.1, 5.0)))
    return z, y, w


@st.composite
def binary(draw, lim=50.0, dtype=np.float64, soft=True):
    """(z, y) with any shape up to 2-D; y in [0, 1] (soft) or {0, 1}."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6))
    z = draw(logit_arrays(shape, lim, dtype))
    if soft and draw(st.booleans()):
        y = draw(hnp.arrays(np.float64, shape, elements=floats(0.0, 1.0)))
    else:
        y = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, 1))).astype(np.float64)
    return z, y


# --------------------------------------------------------------------------- links

@FAST
@given(z=logit_arrays(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=8)), shift=floats(-100, 100))
def test_softmax_sums_to_one_and_is_shift_invariant(z, shift):
    p = xl.softmax(z)
    assert np.all(p >= 0) and np.all(p <= 1)
    assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    assert_allclose(xl.softmax(z + shift), p, rtol=1e-6, atol=1e-9)


@FAST
@given(z=logit_arrays((3, 4)), temperature=floats(0.05, 50.0))
def test_softmax_temperature_is_softmax_of_scaled_logits(z, temperature):
    assert_allclose(xl.softmax(z, temperature=temperature), xl.softmax(z / temperature), rtol=1e-9, atol=1e-12)
    assert_allclose(xl.log_softmax(z, temperature=temperature), xl.log_softmax(z / temperature), rtol=1e-9, atol=1e-8)


# --------------------------------------------------------------------------- information

@FAST
@given(pq=distribution_pairs())
def test_kl_is_non_negative_and_zero_on_itself(pq):
    p, q = pq
    assert xl.kl_divergence(p, q) >= 0
    assert xl.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)
    js = xl.js_divergence(p, q)
    assert 0 <= js <= np.log(2) + 1e-12


@FAST
@given(pq=distribution_pairs(q_positive=True))
def test_cross_entropy_is_entropy_plus_kl(pq):
    p, q = pq
    assert xl.cross_entropy(p, q) == pytest.approx(xl.entropy(p) + xl.kl_divergence(p, q), rel=1e-9, abs=1e-12)
    assert xl.cross_entropy(p, q) >= xl.entropy(p) - 1e-12  # Gibbs' inequality


# --------------------------------------------------------------------------- loss identities

@FAST
@given(data=multiclass(lim=100.0), weighted=st.booleans(), reduction=st.sampled_from(REDUCTIONS))
def test_softmax_focal_gamma_zero_is_cross_entropy(data, weighted, reduction):
    z, y, w = data
    kw = dict(class_weight=w if weighted else None, reduction=reduction)
    assert_allclose(xl.softmax_focal_loss(z, y, gamma=0.0, **kw), xl.softmax_cross_entropy(z, y, **kw), rtol=1e-10, atol=1e-12)
    assert_allclose(
        xl.softmax_focal_loss_grad(z, y, gamma=0.0, **kw), xl.softmax_cross_entropy_grad(z, y, **kw), rtol=1e-10, atol=1e-12
    )


@FAST
@given(data=binary(lim=100.0), reduction=st.sampled_from(REDUCTIONS))
def test_sigmoid_focal_gamma_zero_no_alpha_is_bce_with_logits(data, reduction):
    z, y = data
    assert_allclose(
        xl.sigmoid_focal_loss(z, y, gamma=0.0, alpha=None, reduction=reduction),
        xl.binary_cross_entropy_with_logits(z, y, reduction=reduction),
        rtol=1e-10,
        atol=1e-12,
    )
    assert_allclose(
        xl.sigmoid_focal_loss_grad(z, y, gamma=0.0, alpha=None, reduction=reduction),
        xl.binary_cross_entropy_with_logits_grad(z, y, reduction=reduction),
        rtol=1e-10,
        atol=1e-12,
    )


@FAST
@given(data=multiclass(), weighted=st.booleans(), reduction=st.sampled_from(REDUCTIONS))
def test_zero_label_smoothing_is_plain_cross_entropy(data, weighted, reduction):
    z, y, w = data
    kw = dict(class_weight=w if weighted else None, reduction=reduction)
    assert_allclose(xl.softmax_cross_entropy(z, y, label_smoothing=0.0, **kw), xl.softmax_cross_entropy(z, y, **kw), rtol=1e-14)
    bz, by = z[:, 0], (y % 2).astype(float)  # a binary problem from the same draw
    assert_allclose(
        xl.binary_cross_entropy_with_logits(bz, by, label_smoothing=0.0, reduction=reduction),
        xl.binary_cross_entropy_with_logits(bz, by, reduction=reduction),
        rtol=1e-14,
    )


@FAST
@given(data=multiclass(), weighted=st.booleans(), eps=st.sampled_from([0.0, 0.1, 0.5]), reduction=st.sampled_from(["sum", "none"]))
def test_integer_labels_equal_one_hot_rows(data, weighted, eps, reduction):
    # "mean" differs on purpose with class weights (sum of w[y] vs N), so compare "sum" and "none" here ...
    z, y, w = data
    one_hot = np.eye(z.shape[1])[y]
    kw = dict(class_weight=w if weighted else None, label_smoothing=eps, reduction=reduction)
    assert_allclose(xl.softmax_cross_entropy(z, y, **kw), xl.softmax_cross_entropy(z, one_hot, **kw), rtol=1e-10, atol=1e-12)
    assert_allclose(xl.softmax_cross_entropy_grad(z, y, **kw), xl.softmax_cross_entropy_grad(z, one_hot, **kw), rtol=1e-10, atol=1e-12)


@FAST
@given(data=multiclass(), eps=st.sampled_from([0.0, 0.1, 0.5]))
def test_integer_labels_equal_one_hot_rows_mean_without_weights(data, eps):
    # ... and "mean" where both divide by N.
    z, y, _ = data
    one_hot = np.eye(z.shape[1])[y]
    assert xl.softmax_cross_entropy(z, y, label_smoothing=eps) == pytest.approx(
        xl.softmax_cross_entropy(z, one_hot, label_smoothing=eps), rel=1e-10, abs=1e-12
    )


@FAST
@given(data=multiclass(lim=BIG))
def test_cross_entropy_is_non_negative_and_at_least_that_of_the_argmax(data):
    z, y, w = data
    per = xl.softmax_cross_entropy(z, y, reduction="none")
    assert np.all(per >= 0)
    best = xl.softmax_cross_entropy(z, np.argmax(z, axis=1), reduction="none")
    assert np.all(per >= best - 1e-9 * np.maximum(1, np.abs(best)))


# --------------------------------------------------------------------------- stability on the whole range

def _logit_losses(z2, y_int, z1, y1, teacher, w):
    """Every (loss or grad) call that takes logits, as (name, thunk)."""
    calls = []
    for r in REDUCTIONS:
        for fn in ("softmax_cross_entropy", "softmax_cross_entropy_grad"):
            calls.append((f"{fn}-{r}", lambda fn=fn, r=r: getattr(xl, fn)(z2, y_int, class_weight=w, label_smoothing=0.1, reduction=r)))
        for part, index in (("loss", 0), ("grad", 1)):  # the fused form returns (loss, grad)
            calls.append((f"softmax_cross_entropy_and_grad-{part}-{r}", lambda i=index, r=r: xl.softmax_cross_entropy_and_grad(
                z2, y_int, class_weight=w, label_smoothing=0.1, reduction=r)[i]))
        for gamma in (0.0, 0.5, 2.0):
            for fn in ("softmax_focal_loss", "softmax_focal_loss_grad"):
                calls.append((f"{fn}-{gamma}-{r}", lambda fn=fn, g=gamma, r=r: getattr(xl, fn)(z2, y_int, gamma=g, class_weight=w, reduction=r)))
            for fn in ("sigmoid_focal_loss", "sigmoid_focal_loss_grad"):
                calls.append((f"{fn}-{gamma}-{r}", lambda fn=fn, g=gamma, r=r: getattr(xl, fn)(z1, y1, gamma=g, alpha=0.25, reduction=r)))
        for fn in ("binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad"):
            calls.append((f"{fn}-{r}", lambda fn=fn, r=r: getattr(xl, fn)(z1, y1, pos_weight=3.0, label_smoothing=0.05, reduction=r)))
        hard = np.round(y1)
        for fn in ("sigmoid_mse_loss", "sigmoid_mse_loss_grad", "hinge_loss", "hinge_loss_grad", "zero_one_loss", "zero_one_loss_grad"):
            calls.append((f"{fn}-{r}", lambda fn=fn, r=r: getattr(xl, fn)(z1, hard, reduction=r)))
        for fn in ("distillation_loss", "distillation_loss_grad"):
            calls.append((f"{fn}-{r}", lambda fn=fn, r=r: getattr(xl, fn)(z2, teacher, temperature=2.0, reduction=r)))
    for gamma in (0.0, 0.5, 2.0):  # the focal loss's second derivative, which Newton's method uses
        calls.append((f"focal_loss_curvature-{gamma}", lambda g=gamma: xl.focal_loss_curvature(z1, np.round(y1), g)))
    calls.append(("energy_score", lambda: xl.energy_score(z2, temperature=0.5)))
    calls.append(("logsumexp", lambda: xl.logsumexp(z2)))
    calls.append(("log_softmax", lambda: xl.log_softmax(z2)))
    calls.append(("log_sigmoid", lambda: xl.log_sigmoid(z1)))
    calls.append(("softplus", lambda: xl.softplus(z1)))
    return calls


@settings(deadline=None, max_examples=40)
@given(data=multiclass(lim=BIG), z1y1=binary(lim=BIG), teacher_seed=st.integers(0, 2**16))
def test_every_loss_and_grad_is_finite_on_extreme_logits(data, z1y1, teacher_seed):
    z2, y_int, w = data
    z1, y1 = z1y1
    teacher = np.random.default_rng(teacher_seed).choice([-BIG, -1.0, 0.0, BIG], size=z2.shape)
    for name, call in _logit_losses(z2, y_int, z1, y1, teacher, w):
        out = np.asarray(call())  # filterwarnings = error: an overflow warning fails here too
        assert np.all(np.isfinite(out)), name


def test_stability_covers_every_logit_loss_and_grad():
    z2 = np.zeros((2, 3))
    covered = {name.split("-")[0] for name, _ in _logit_losses(z2, np.array([0, 1]), z2[0], np.ones(3), z2, np.ones(3))}
    probability_inputs = {"binary_cross_entropy", "binary_cross_entropy_grad", "brier_score"}  # p in [0, 1], not logits
    not_losses = {"LOSSES", "smoothed_target"}  # the table of binary losses; a target transformation
    losses = {n for n in xl.losses.__all__} - probability_inputs - not_losses
    assert losses <= covered, sorted(losses - covered)


# --------------------------------------------------------------------------- dtypes

def _float32_calls(z2, y_int, z1, y1, p1, teacher, w):
    calls = dict(_logit_losses(z2, y_int, z1, y1, teacher, w))
    for r in REDUCTIONS:
        calls[f"binary_cross_entropy-{r}"] = lambda r=r: xl.binary_cross_entropy(p1, y1, reduction=r)
        calls[f"binary_cross_entropy_grad-{r}"] = lambda r=r: xl.binary_cross_entropy_grad(p1, y1, reduction=r)
        calls[f"brier_score-{r}"] = lambda r=r: xl.brier_score(p1.ravel(), y1.ravel(), reduction=r)  # 1-D: P(y = 1)
        calls[f"brier_score_2d-{r}"] = lambda r=r: xl.brier_score(xl.softmax(z2), y_int, reduction=r)
        calls[f"softmax_cross_entropy_soft-{r}"] = lambda r=r: xl.softmax_cross_entropy(z2, xl.softmax(teacher), class_weight=w, reduction=r)
        calls[f"softmax_cross_entropy_grad_soft-{r}"] = lambda r=r: xl.softmax_cross_entropy_grad(z2, xl.softmax(teacher), reduction=r)
    calls["softmax"] = lambda: xl.softmax(z2, temperature=3.0)
    calls["sigmoid"] = lambda: xl.sigmoid(z1)
    return calls


@settings(deadline=None, max_examples=25)
@given(data=multiclass(lim=20.0, dtype=np.float32), z1y1=binary(lim=20.0, dtype=np.float32), teacher_seed=st.integers(0, 2**16))
def test_float32_in_float32_out_and_accurate(data, z1y1, teacher_seed):
    z2, y_int, w = data
    z1, y1 = z1y1
    rng = np.random.default_rng(teacher_seed)
    teacher = rng.normal(scale=3, size=z2.shape).astype(np.float32)
    p1 = rng.uniform(0.01, 0.99, size=z1.shape).astype(np.float32)
    calls32 = _float32_calls(z2, y_int, z1, y1, p1, teacher, w)
    calls64 = _float32_calls(z2.astype(np.float64), y_int, z1.astype(np.float64), y1, p1.astype(np.float64), teacher.astype(np.float64), w)
    for name, call in calls32.items():
        out = call()
        assert np.asarray(out).dtype == np.float32, f"{name} returned {np.asarray(out).dtype}"
        # float32 arithmetic on the same inputs: close to the float64 answer.
        assert_allclose(out, calls64[name](), rtol=2e-4, atol=2e-4, err_msg=name)
