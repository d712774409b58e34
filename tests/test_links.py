"""Link functions against scipy.special, including the extremes where naive formulas break."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import special
from scipy.special import log_softmax as scipy_log_softmax

import xentlib as xl

EXTREME = np.array([-1e4, -745.0, -40.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 40.0, 745.0, 1e4])


@pytest.fixture
def rng():
    return np.random.default_rng(7)


# --------------------------------------------------------------------------- element-wise links

def test_sigmoid_matches_expit(rng):
    z = np.concatenate([rng.normal(scale=10, size=200), EXTREME])
    assert_allclose(xl.sigmoid(z), special.expit(z), rtol=1e-15, atol=1e-300)  # subnormals at -745 may round either way


def test_sigmoid_known_values():
    assert xl.sigmoid(0.0) == 0.5
    assert xl.sigmoid(math.log(3.0)) == pytest.approx(0.75, rel=1e-15)
    assert xl.sigmoid(-1e4) == 0.0 and xl.sigmoid(1e4) == 1.0


def test_sigmoid_symmetry(rng):
    z = rng.normal(scale=5, size=100)
    assert_allclose(xl.sigmoid(-z), 1 - xl.sigmoid(z), rtol=1e-12, atol=1e-16)


def test_log_sigmoid_matches_log_expit(rng):
    z = np.concatenate([rng.normal(scale=10, size=200), EXTREME])
    assert_allclose(xl.log_sigmoid(z), special.log_expit(z), rtol=1e-14, atol=1e-300)


def test_log_sigmoid_keeps_small_tail_probabilities():
    # log(1 - sigmoid(40)) = log_sigmoid(-40) ~ -40, where the naive route gives -inf.
    assert xl.log_sigmoid(-40.0) == pytest.approx(-40.0 - math.log1p(math.exp(-40.0)), rel=1e-15)
    assert xl.log_sigmoid(1e4) == pytest.approx(0.0, abs=1e-300)
    assert xl.log_sigmoid(-1e4) == -1e4


def test_softplus_matches_logaddexp(rng):
    z = np.concatenate([rng.normal(scale=10, size=200), EXTREME])
    assert_allclose(xl.softplus(z), np.logaddexp(0.0, z), rtol=1e-14, atol=1e-300)
    assert_allclose(xl.softplus(z), -special.log_expit(-z), rtol=1e-14, atol=1e-300)


def test_softplus_known_values():
    assert xl.softplus(0.0) == pytest.approx(math.log(2.0), rel=1e-15)
    assert xl.softplus(1e4) == 1e4
    assert xl.softplus(-1e4) == 0.0


def test_logit_matches_scipy(rng):
    p = np.concatenate([rng.random(200), [1e-300, 1e-12, 0.5, 1 - 1e-12]])
    assert_allclose(xl.logit(p), special.logit(p), rtol=1e-12, atol=1e-15)


def test_logit_inverts_sigmoid(rng):
    z = rng.normal(scale=5, size=100)
    assert_allclose(xl.logit(xl.sigmoid(z)), z, rtol=1e-9, atol=1e-12)


def test_logit_endpoints_are_infinite():
    out = xl.logit([0.0, 1.0])
    assert out[0] == -np.inf and out[1] == np.inf
    assert np.all(out == special.logit([0.0, 1.0]))


def test_logit_small_p_keeps_accuracy():
    # log(p) - log(1-p) with p = 1e-12: log1p keeps the tiny correction p.
    p = 1e-12
    assert xl.logit(p) == pytest.approx(math.log(p) - math.log1p(-p), rel=1e-15)


# --------------------------------------------------------------------------- softmax family

@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_matches_scipy(rng, axis):
    z = rng.normal(scale=3, size=(6, 5))
    assert_allclose(xl.softmax(z, axis=axis), special.softmax(z, axis=axis), rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize("axis", [-1, 0])
def test_log_softmax_matches_scipy(rng, axis):
    z = rng.normal(scale=3, size=(6, 5))
    assert_allclose(xl.log_softmax(z, axis=axis), special.log_softmax(z, axis=axis), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("axis", [-1, 0])
def test_logsumexp_matches_scipy(rng, axis):
    z = rng.normal(scale=3, size=(6, 5))
    assert_allclose(xl.logsumexp(z, axis=axis), special.logsumexp(z, axis=axis), rtol=1e-14)


def test_logsumexp_known_values():
    assert xl.logsumexp([1000.0, 1000.0]) == pytest.approx(1000.0 + math.log(2.0), rel=1e-15)
    assert xl.logsumexp([0.0, 0.0, 0.0, 0.0]) == pytest.approx(math.log(4.0), rel=1e-15)
    assert xl.logsumexp([-1e4, -1e4]) == pytest.approx(-1e4 + math.log(2.0), rel=1e-15)


def test_softmax_rows_sum_to_one_and_exp_of_log_softmax(rng):
    z = rng.normal(scale=20, size=(50, 7))
    p = xl.softmax(z)
    assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-14)
    assert_allclose(np.exp(xl.log_softmax(z)), p, rtol=1e-12, atol=1e-300)
    assert_allclose(xl.log_softmax(z), z - xl.logsumexp(z)[:, None], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("temperature", [0.1, 0.5, 2.0, 100.0])
def test_temperature_is_division_of_logits(rng, temperature):
    z = rng.normal(scale=3, size=(4, 6))
    assert_allclose(xl.softmax(z, temperature=temperature), special.softmax(z / temperature, axis=-1), rtol=1e-13, atol=1e-300)
    assert_allclose(
        xl.log_softmax(z, temperature=temperature), special.log_softmax(z / temperature, axis=-1), rtol=1e-13, atol=1e-13
    )


def test_temperature_limits():
    z = np.array([2.0, 1.0, 0.0])
    assert_allclose(xl.softmax(z, temperature=1e6), np.full(3, 1 / 3), rtol=1e-5)  # very hot: uniform
    assert_allclose(xl.softmax(z, temperature=1e-3), [1.0, 0.0, 0.0], atol=1e-300)  # very cold: argmax
    assert_allclose(xl.softmax(z, temperature=100.0), special.softmax(z / 100.0), rtol=1e-14)


@pytest.mark.parametrize("shift", [-1e3, -7.5, 3.0, 1e3])
def test_shift_invariance(rng, shift):
    z = rng.normal(size=(5, 4))
    assert_allclose(xl.softmax(z + shift), xl.softmax(z), rtol=1e-10, atol=1e-15)
    assert_allclose(xl.log_softmax(z + shift), xl.log_softmax(z), rtol=1e-9, atol=1e-10)
    assert_allclose(xl.logsumexp(z + shift), xl.logsumexp(z) + shift, rtol=1e-12, atol=1e-10)


def test_softmax_two_classes_is_sigmoid_of_difference(rng):
    z = rng.normal(scale=4, size=(30, 2))
    assert_allclose(xl.softmax(z)[:, 1], special.expit(z[:, 1] - z[:, 0]), rtol=1e-12, atol=1e-300)


# --------------------------------------------------------------------------- stability and dtypes

@pytest.mark.parametrize("name", ["sigmoid", "log_sigmoid", "softplus", "softmax", "log_softmax", "logsumexp"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extreme_logits_stay_finite_and_silent(name, dtype):
    # filterwarnings = error turns any overflow/invalid RuntimeWarning into a failure.
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4]], dtype=dtype)
    with np.errstate(all="raise"):
        with np.errstate(under="ignore"):  # exp(-2e4) underflowing to 0 is the right answer
            out = getattr(xl, name)(z)
    assert np.all(np.isfinite(out))


def test_extreme_logit_values():
    z = np.array([[1e4, -1e4, 0.0]])
    assert_allclose(xl.softmax(z), [[1.0, 0.0, 0.0]], atol=0)
    assert_allclose(xl.log_softmax(z), [[0.0, -2e4, -1e4]], rtol=1e-15)
    assert_allclose(xl.logsumexp(z), [1e4], rtol=1e-15)
    assert_allclose(xl.sigmoid([-1e4, 1e4]), [0.0, 1.0], atol=0)
    assert_allclose(xl.log_sigmoid([-1e4, 1e4]), [-1e4, 0.0], atol=1e-300)


ALL_LINKS = ["sigmoid", "log_sigmoid", "softplus", "softmax", "log_softmax", "logsumexp", "logit"]


@pytest.mark.parametrize("name", ALL_LINKS)
def test_float32_in_float32_out(name):
    x = np.array([[0.25, 0.75], [0.5, 0.5]], dtype=np.float32)
    assert getattr(xl, name)(x).dtype == np.float32


@pytest.mark.parametrize("name", ALL_LINKS)
def test_float64_in_float64_out(name):
    x = np.array([[0.25, 0.75], [0.5, 0.5]], dtype=np.float64)
    assert getattr(xl, name)(x).dtype == np.float64


@pytest.mark.parametrize("name", ALL_LINKS)
def test_int_in_float64_out(name):
    x = np.array([[0, 1], [1, 1]], dtype=np.int64)
    out = getattr(xl, name)(x)
    assert out.dtype == np.float64
    if name != "logit":  # logit of 0/1 is ±inf by design
        assert_allclose(out, getattr(xl, name)(x.astype(np.float64)), rtol=0)


def test_float32_results_are_accurate(rng):
    z = rng.normal(scale=3, size=(8, 5))
    z32 = z.astype(np.float32)
    assert_allclose(xl.softmax(z32), special.softmax(z32.astype(np.float64), axis=-1), rtol=2e-6, atol=1e-7)
    assert_allclose(xl.sigmoid(z32), special.expit(z32.astype(np.float64)), rtol=2e-6, atol=1e-7)
    assert_allclose(xl.logsumexp(z32), special.logsumexp(z32.astype(np.float64), axis=-1), rtol=2e-6)


def test_temperature_keeps_float32():
    z = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    assert xl.softmax(z, temperature=3.0).dtype == np.float32
    assert xl.log_softmax(z, temperature=0.5).dtype == np.float32


# --------------------------------------------------------------------------- the naive log-softmax, and where it breaks

def test_naive_log_softmax_fails_quietly_where_it_should():
    raw = xl.links.naive_log_softmax([1000.0, 1.0])  # filterwarnings=error: a numpy warning here fails the test
    assert np.isnan(raw[0]) and raw[1] == -np.inf
    shifted = xl.links.naive_log_softmax([1000.0, 1.0], shift=True)
    assert shifted[0] == 0.0 and shifted[1] == -np.inf
    assert_allclose(xl.log_softmax([1000.0, 1.0]), [0.0, -999.0])


def test_naive_log_softmax_is_right_for_moderate_logits():
    z = np.array([3.0, -1.0, 0.5, 2.0])
    assert_allclose(xl.links.naive_log_softmax(z), scipy_log_softmax(z), rtol=1e-12)
    assert_allclose(xl.links.naive_log_softmax(z, shift=True), scipy_log_softmax(z), rtol=1e-12)


def test_naive_log_softmax_works_row_by_row():
    z = np.array([[3.0, -1.0, 0.5], [1000.0, 1.0, 0.0]])
    rows = xl.links.naive_log_softmax(z, shift=True)
    assert_allclose(rows[0], scipy_log_softmax(z[0]), rtol=1e-12)
    assert rows[1, 0] == 0.0 and rows[1, 1] == -np.inf


def test_naive_routes_break_where_float64_does():
    # exp overflows just above ln(max float) = 709.78; e^-a rounds to 0 just above 745.13
    assert np.isfinite(xl.links.naive_log_softmax([709.0, 0.0])).all()
    assert not np.isfinite(xl.links.naive_log_softmax([710.0, 0.0])).all()
    assert np.isfinite(xl.links.naive_log_softmax([745.0, 0.0], shift=True)).all()
    assert xl.links.naive_log_softmax([745.2, 0.0], shift=True)[1] == -np.inf
