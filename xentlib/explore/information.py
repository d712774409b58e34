r"""Figures and helpers for notebook 08: likelihood, divergences, multi-label and the Bayesian bridge.

The notebook's claims, each backed by tested code:

* minimising cross-entropy is maximising likelihood (:func:`die_rolls` and
  :func:`xentlib.information.log_likelihood`);
* forward KL covers both humps of a two-humped target, reverse KL picks one
  (:func:`bimodal_target`, :func:`kl_fits`, figure :func:`forward_reverse_kl`);
* independent sigmoid heads pay exactly :math:`I(Y_1; Y_2)` more than a joint
  softmax (:func:`multilabel_run`, figure :func:`independence_gap`);
* cross-entropy + L2 is MAP estimation under a Gaussian prior
  (:func:`bayes_data`, :func:`prior_path`, figure :func:`prior_and_weights`);
* species from DNA barcodes with a softmax over k-mer counts
  (:func:`barcode_data`, :func:`barcode_model`, figure :func:`barcode_classifier`).

Everything slow (model training, the reverse-KL fits) is computed once and
cached, so a slider step only moves artists.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np

from .._validation import check_in_range, check_int
from ..bayes import fit_logistic_map, l2_from_prior_variance, logistic_elbo
from ..datasets import dna_barcodes, kmer_counts, two_gaussians
from ..drawing import COLORS, READOUT_BOX, Panel, choice, int_slider, log_slider, new_figure, slider, style
from ..gaussian_fits import (
    GaussianFit,
    fit_gaussian_forward_kl,
    fit_gaussian_reverse_kl,
    gaussian_mixture_on_grid,
    gaussian_on_grid,
)
from ..information import js_divergence, kl_divergence, mutual_information
from ..models import LogisticRegression, SoftmaxRegression
from ..multilabel import (
    LabelModels,
    correlated_labels_joint,
    correlation_range,
    independent_joint,
    optimal_losses,
    sample_labels,
    train_label_models,
)

__all__ = [
    "LOADED_DIE", "die_rolls",
    "KL_GRID", "bimodal_target", "kl_fits", "mode_seeking_threshold", "divergence_table",
    "MULTILABEL_RATES", "MULTILABEL_N", "TRAINED_RHOS", "multilabel_run",
    "PRIOR_VARIANCES", "bayes_data", "PriorPath", "prior_path", "narrow_elbo_offsets",
    "FISH", "barcode_data", "BarcodeModel", "barcode_model",
    "forward_reverse_kl", "independence_gap", "prior_and_weights", "barcode_classifier",
]


# =====================================================================================
# 1. Likelihood: a loaded die
# =====================================================================================

#: The true face probabilities of the loaded die of section 1 (six is favoured).
LOADED_DIE = np.array([0.12, 0.12, 0.12, 0.12, 0.12, 0.40])


def die_rolls(n: int = 60, *, seed: int = 0) -> np.ndarray:
    """``n`` rolls of :data:`LOADED_DIE`, as faces 0..5 (face 5 is the six).

    Examples
    --------
    >>> rolls = die_rolls(10, seed=1)
    >>> print(rolls.shape, rolls.min() >= 0, rolls.max() <= 5)
    (10,) True True
    """
    n = check_int(n, "n", 1)
    return np.random.default_rng(seed).choice(6, size=n, p=LOADED_DIE)


# =====================================================================================
# 2. Forward and reverse KL on a two-humped target
# =====================================================================================

#: The grid every density of the KL figure lives on: [-16, 16] in steps of 1/16, wide enough that even the
#: broadest forward fit (sigma about 4) is not cut off by its ends.
KL_GRID = np.linspace(-16.0, 16.0, 513)


def bimodal_target(separation: float, weight: float = 0.5) -> np.ndarray:
    r"""Two unit-width Gaussian humps at :math:`\mp d/2` on :data:`KL_GRID`, the left one with mass ``weight``.

    .. math:: p(x) \propto w\, \mathcal N(x; -d/2, 1) + (1 - w)\, \mathcal N(x; d/2, 1)

    Examples
    --------
    >>> p = bimodal_target(4.0, 0.5)
    >>> print(round(p.sum(), 12), round(p @ KL_GRID, 12) + 0.0)
    1.0 0.0
    """
    d = check_in_range(separation, "separation", 0.0, 12.0, "It is the distance between the humps, in hump widths.")
    w = check_in_range(weight, "weight", 0.0, 1.0, "It is the share of the mass in the left hump.")
    return gaussian_mixture_on_grid(KL_GRID, [-d / 2, d / 2], [1.0, 1.0], [w, 1.0 - w])


@functools.lru_cache(maxsize=1024)
def _kl_fits(separation: float, weight: float) -> tuple[GaussianFit, GaussianFit]:
    p = bimodal_target(separation, weight)
    return fit_gaussian_forward_kl(KL_GRID, p), fit_gaussian_reverse_kl(KL_GRID, p)


def kl_fits(separation: float, weight: float = 0.5) -> tuple[GaussianFit, GaussianFit]:
    r"""The Gaussians closest to :func:`bimodal_target` in forward and in reverse KL: ``(forward, reverse)``.

    ``forward`` minimises :math:`D_{\mathrm{KL}}(p\,\|\,q)` (moment matching, the
    maximum-likelihood fit); ``reverse`` minimises :math:`D_{\mathrm{KL}}(q\,\|\,p)`.
    Cached, keyed on the values rounded to 1e-9 (the sliders' steps are exact).

    Examples
    --------
    >>> forward, reverse = kl_fits(6.0, 0.5)     # humps at -3 and +3; forward: sigma^2 = 1 + 3^2
    >>> print(round(float(forward.mu), 3) + 0.0, round(float(forward.sigma), 3), round(abs(float(reverse.mu)), 2), round(float(reverse.sigma), 2))
    0.0 3.162 2.98 1.02
    """
    return _kl_fits(round(float(separation), 9), round(float(weight), 9))


def mode_seeking_threshold(weight: float = 0.5, *, step: float = 0.25, largest: float = 8.0) -> float:
    r"""The smallest hump distance (on the slider's grid) at which the reverse-KL fit leaves the middle.

    Scans :math:`d = 0, \text{step}, 2\,\text{step}, \dots` and returns the first
    :math:`d` whose reverse fit (:func:`kl_fits`) is centred more than half a
    hump width away from the target's mean, i.e. sits on a hump; ``nan`` if
    none up to ``largest`` does.

    Examples
    --------
    >>> print(mode_seeking_threshold(0.5))
    5.75
    """
    weight = check_in_range(weight, "weight", 0.0, 1.0)
    for d in np.arange(0.0, largest + step / 2, step):
        d = round(float(d), 9)
        centre = (1 - 2 * weight) * d / 2  # the target's mean
        if abs(float(kl_fits(d, weight)[1].mu) - centre) > 0.5:
            return d
    return math.nan


def divergence_table(p, q) -> dict:
    r"""The three divergences the KL figure compares, in nats: ``{"KL(p||q)", "KL(q||p)", "JS(p,q)"}``.

    Examples
    --------
    >>> table = divergence_table([0.5, 0.5], [0.9, 0.1])
    >>> print({k: round(v, 4) for k, v in table.items()})
    {'KL(p||q)': 0.5108, 'KL(q||p)': 0.3681, 'JS(p,q)': 0.1017}
    """
    return {"KL(p||q)": float(kl_divergence(p, q)), "KL(q||p)": float(kl_divergence(q, p)),
            "JS(p,q)": float(js_divergence(p, q))}


# =====================================================================================
# 3. Multi-label: independent heads against a joint softmax
# =====================================================================================

#: Base rates P(Y1 = 1), P(Y2 = 1) of the multi-label figure: equal, so every correlation in [-1, 1] is possible.
MULTILABEL_RATES = (0.5, 0.5)
#: Label pairs each trained model of the figure sees.
MULTILABEL_N = 2000
#: The correlations at which the figure shows trained models.
TRAINED_RHOS = (-0.8, -0.4, 0.0, 0.4, 0.8)


@functools.lru_cache(maxsize=None)
def _multilabel_run(rho: float, p1: float, p2: float, n: int, seed: int) -> LabelModels:
    return train_label_models(sample_labels(correlated_labels_joint(p1, p2, rho), n, seed=seed))


def multilabel_run(rho: float, *, p1: float = MULTILABEL_RATES[0], p2: float = MULTILABEL_RATES[1],
                   n: int = MULTILABEL_N, seed: int = 0) -> LabelModels:
    """Two sigmoid heads and a 4-class softmax trained on ``n`` pairs drawn with correlation ``rho`` (cached).

    See :func:`xentlib.multilabel.train_label_models`.  Treat the result as
    read-only: it is shared between calls.

    Examples
    --------
    >>> run = multilabel_run(0.0)
    >>> print(abs(run.gap) < 1e-3, np.round(run.marginals, 1))
    True [0.5 0.5]
    """
    return _multilabel_run(round(float(rho), 9), float(p1), float(p2), check_int(n, "n", 1), int(seed))


# =====================================================================================
# 4. The Bayesian bridge: prior variance against weight size
# =====================================================================================

#: The prior variances of the Bayes figure's slider: 10^-3 ... 10^1 in steps of 10^0.1.
PRIOR_VARIANCES = 10.0 ** np.round(np.arange(-3.0, 1.0001, 0.1), 1)


@functools.lru_cache(maxsize=None)
def bayes_data():
    r"""A small, high-dimensional logistic problem where the prior matters: ``(X, y, X_test, y_test)``.

    40 training and 4000 test points in 10 dimensions: two unit Gaussians
    1.5 apart along :math:`x_1` only, so the other nine features are pure
    noise, and with 40 points a model can fit that noise.  (Treat the arrays
    as read-only: they are cached.)

    Examples
    --------
    >>> X, y, X_test, y_test = bayes_data()
    >>> print(X.shape, X_test.shape, y.mean())
    (40, 10) (4000, 10) 0.5
    """
    X, y = two_gaussians(40, separation=1.5, dim=10, seed=1)
    X_test, y_test = two_gaussians(4000, separation=1.5, dim=10, seed=2)
    return X, y, X_test, y_test


class PriorPath(NamedTuple):
    """MAP fits of :func:`bayes_data` along :data:`PRIOR_VARIANCES`: one row per prior variance."""

    prior_var: np.ndarray  # (V,)
    w: np.ndarray  # (V, d)
    b: np.ndarray  # (V,)
    train_loss: np.ndarray  # (V,) mean cross-entropy, nats
    test_loss: np.ndarray  # (V,)


def _mean_ce(X, y, w, b) -> float:
    z = X @ w + b
    return float(np.mean(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z))


@functools.lru_cache(maxsize=None)
def prior_path() -> PriorPath:
    r"""MAP logistic regression on :func:`bayes_data` for every prior variance of the slider.

    Each fit minimises mean cross-entropy + :math:`\tfrac{\lambda}{2}\lVert w\rVert^2`
    with :math:`\lambda = 1/(N\sigma^2)`, by
    :func:`xentlib.bayes.fit_logistic_map` (Newton's method, warm-started
    from the previous, narrower prior): about 0.1 s for the whole path.

    Examples
    --------
    >>> path = prior_path()
    >>> norms = np.linalg.norm(path.w, axis=1)
    >>> print(path.w.shape, bool(np.all(np.diff(norms) > 0)))   # a wider prior always allows larger weights here
    (41, 10) True
    """
    X, y, X_test, y_test = bayes_data()
    w, b, rows = None, 0.0, []
    for var in PRIOR_VARIANCES:
        fit = fit_logistic_map(X, y, prior_var=float(var), w0=w, b0=b)
        w, b = fit.w, fit.b
        rows.append((w, b, _mean_ce(X, y, w, b), _mean_ce(X_test, y_test, w, b)))
    W, B, train, test = (np.array(col) for col in zip(*rows))
    return PriorPath(PRIOR_VARIANCES.copy(), W, B, train, test)


def narrow_elbo_offsets(centres, s: float, *, prior_var: float = 1.0, b: float | None = None) -> np.ndarray:
    r"""For each centre :math:`m`, :math:`-\mathrm{ELBO}(\mathcal N(m, s^2 I)) - N\,J(m)` on :func:`bayes_data`.

    :math:`J(m)` is the objective of ``LogisticRegression(l2=1/(N * prior_var))``
    at weights :math:`m` (mean cross-entropy + :math:`\tfrac{\lambda}{2}\lVert m\rVert^2`),
    with the bias ``b`` (default: the MAP bias) shared by both.  As
    :math:`s \to 0` every offset tends to the same constant
    :math:`\tfrac d2(\ln(\sigma^2/s^2) - 1)`: the narrow ELBO ranks centres
    exactly as cross-entropy + L2 does.

    Examples
    --------
    >>> offsets = narrow_elbo_offsets([np.zeros(10), np.ones(10)], 1e-4)
    >>> print(np.round(offsets, 3), round(5 * (math.log(1e8) - 1), 3))
    [87.103 87.103] 87.103
    """
    X, y = bayes_data()[:2]
    n, d = X.shape
    if b is None:
        b = fit_logistic_map(X, y, prior_var=prior_var).b
    model = LogisticRegression(d, l2=l2_from_prior_variance(prior_var, n), b=b)
    out = []
    for m in centres:
        model.w = np.asarray(m, dtype=np.float64).reshape(d).copy()
        out.append(-logistic_elbo(model.w, b, s, X, y, prior_var=prior_var).elbo - n * model.objective(X, y))
    return np.array(out)


# =====================================================================================
# 5. DNA barcodes: a softmax over species
# =====================================================================================

#: The species of the barcode example: two genera of three (synthetic sequences, named for the story).
FISH = ("bluefin tuna", "yellowfin tuna", "bigeye tuna", "Atlantic cod", "haddock", "Alaska pollock")


@functools.lru_cache(maxsize=None)
def barcode_data():
    r"""The barcode data set, split in half: ``(data, train, test)`` with boolean masks over the reads.

    :func:`xentlib.datasets.dna_barcodes` with the six :data:`FISH`, 40 reads
    each, 250 bases, species within a genus 3 % apart and reads with 8 %
    substitutions; even-numbered reads train, odd-numbered reads test.

    Examples
    --------
    >>> data, train, test = barcode_data()
    >>> print(len(data.reads), train.sum(), test.sum(), len(data.reads[0]))
    240 120 120 250
    """
    data = dna_barcodes(len(FISH), 40, length=250, n_genera=2, species_divergence=0.03, mutation_rate=0.08, seed=0)
    train = np.arange(len(data.reads)) % 2 == 0
    return data, train, ~train


class BarcodeModel(NamedTuple):
    """A softmax classifier on k-mer frequencies and how it does on the held-out reads."""

    k: int
    model: SoftmaxRegression
    mean: np.ndarray  # feature standardisation, from the training reads
    scale: np.ndarray
    train_loss: float  # mean cross-entropy, nats
    test_loss: float
    test_accuracy: float
    test_proba: np.ndarray  # (n_test, n_species)


@functools.lru_cache(maxsize=None)
def barcode_model(k: int) -> BarcodeModel:
    r"""Train :class:`~xentlib.models.SoftmaxRegression` on the k-mer frequencies of the training reads (cached).

    Features are :func:`xentlib.datasets.kmer_counts` frequencies,
    standardised with the training reads' mean and spread; 150 steps of
    gradient descent at learning rate 2 (converged: more steps change no
    printed digit) with a little weight decay
    (``l2=0.01``).  The loss is the softmax cross-entropy over the six
    species, :math:`-\ln q_{\text{true species}}` per read.

    Examples
    --------
    >>> m = barcode_model(2)
    >>> print(m.test_proba.shape, 0.5 < m.test_accuracy < 1.0)
    (120, 6) True
    """
    k = check_int(k, "k", 1)
    data, train, test = barcode_data()
    F = kmer_counts(data.reads, k, normalize=True)
    mean, scale = F[train].mean(axis=0), F[train].std(axis=0)
    scale[scale == 0] = 1.0
    Z = (F - mean) / scale
    y = data.species
    model = SoftmaxRegression(Z.shape[1], len(FISH), l2=0.01)
    model.fit(Z[train], y[train], lr=2.0, steps=150)
    return BarcodeModel(k, model, mean, scale, model.loss(Z[train], y[train]), model.loss(Z[test], y[test]),
                        model.accuracy(Z[test], y[test]), model.predict_proba(Z[test]))


# =====================================================================================
# Figures
# =====================================================================================

def _subscript(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _readout(ax, x, y, *, ha="left", va="top", size=12):
    return ax.text(x, y, "", transform=ax.transAxes, ha=ha, va=va, ma="left", fontsize=size,
                   family="monospace", bbox=READOUT_BOX, zorder=5)


def forward_reverse_kl(separation: float = 6.0, weight: float = 0.5) -> Panel:
    r"""Fit one Gaussian to a two-humped target, by forward and by reverse KL.

    Question it answers: KL is not symmetric, so which way round you minimise
    it matters.  What does the best single Gaussian look like when it must
    minimise :math:`D_{\mathrm{KL}}(p\,\|\,q)` (forward: what maximum
    likelihood does) and when it must minimise :math:`D_{\mathrm{KL}}(q\,\|\,p)`
    (reverse)?  The table gives both divergences and the symmetric
    Jensen-Shannon divergence for each fit.
    """
    x, dx = KL_GRID, KL_GRID[1] - KL_GRID[0]
    shown = np.flatnonzero(np.abs(x) <= 8.0)[::2]  # the visible part, every other point: half the drawing cost
    with style():
        fig = new_figure(figsize=(10.0, 5.6))[0]
        fig.clear()
        fig.set_layout_engine("none")
        ax = fig.add_axes((0.08, 0.36, 0.9, 0.52))
        table_ax = fig.add_axes((0.08, 0.02, 0.9, 0.2))
        table_ax.axis("off")
        fig.suptitle("Forward KL covers both humps; reverse KL picks one", fontsize=14)
        xs, zeros = x[shown], np.zeros(shown.size)
        (target,) = ax.plot(xs, zeros, color=COLORS["black"], lw=3, label="target p (two humps)")
        (fwd,) = ax.plot(xs, zeros, color=COLORS["blue"], lw=2.5, ls="--",
                         label="forward: min KL(p‖q) = max likelihood")
        (rev,) = ax.plot(xs, zeros, color=COLORS["vermillion"], lw=2.5, label="reverse: min KL(q‖p)")
        ax.set_xlim(-8, 8)
        ax.set_ylim(0, 0.45)
        ax.set_xlabel("x")
        ax.set_ylabel("probability density")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=10.5, frameon=False)
        # The table's frame, header and row names are background; only the numbers are redrawn per frame.
        header = f"{'':12s} {'mu':>6s} {'sigma':>6s}  {'KL(p‖q)':>8s} {'KL(q‖p)':>8s} {'JS':>7s}"
        blank = " " * (len(header) - 12)
        cell = dict(ha="left", va="center", fontsize=12.5, family="monospace", transform=table_ax.transAxes)
        frame = table_ax.text(0.5, 0.5, "\n".join([header, "forward fit " + blank, "reverse fit " + blank]),
                              bbox=READOUT_BOX, **{**cell, "ha": "center"})
        # where the frame's text starts (the layout is fixed), so the numbers sit exactly over its columns
        left = table_ax.transAxes.inverted().transform(frame.get_window_extent(fig.canvas.get_renderer()).p0)[0]
        table = table_ax.text(left, 0.5, "", **cell)

    def update(separation, weight):
        p = bimodal_target(separation, weight)
        forward, reverse = kl_fits(separation, weight)
        q_f = gaussian_on_grid(x, float(forward.mu), float(forward.sigma))
        q_r = gaussian_on_grid(x, float(reverse.mu), float(reverse.sigma))
        target.set_ydata(p[shown] / dx)
        fwd.set_ydata(q_f[shown] / dx)
        rev.set_ydata(q_r[shown] / dx)
        lines = [""]  # the header line stays blank: it is in the background
        for q, fit in ((q_f, forward), (q_r, reverse)):
            t = divergence_table(p, q)
            lines.append(f"{'':12s} {round(float(fit.mu), 2) + 0.0:6.2f} {float(fit.sigma):6.2f}  "
                         f"{t['KL(p||q)']:8.3f} {t['KL(q||p)']:8.3f} {t['JS(p,q)']:7.3f}")
        table.set_text("\n".join(lines))

    controls = {"separation": slider("distance between humps d (hump widths)", 0.0, 8.0, 0.25, separation),
                "weight": slider("mass of the left hump (fraction)", 0.2, 0.8, 0.05, weight)}
    scenes = {
        "one hump (d = 0)": {"separation": 0.0, "weight": 0.5},
        "humps merging (d = 3)": {"separation": 3.0, "weight": 0.5},
        "two humps (d = 6)": {"separation": 6.0, "weight": 0.5},
        "unequal humps (d = 6, left 30 %)": {"separation": 6.0, "weight": 0.3},
    }
    for values in scenes.values():  # fit the lecturer's presets now, not on the first click
        kl_fits(values["separation"], values["weight"])
    return Panel(fig, update, controls, artists=[target, fwd, rev, table],
                 title="forward vs reverse KL fits of one Gaussian to two humps", scenes=scenes)


def independence_gap(rho: float = 0.6, *, p1: float = MULTILABEL_RATES[0], p2: float = MULTILABEL_RATES[1]) -> Panel:
    r"""Two correlated binary labels: what independent sigmoid heads can learn, and what it costs.

    Question it answers: if two labels are correlated, how much higher is the
    best loss of two independent sigmoid heads than that of one softmax over
    the four label pairs?  Left, the true pair probabilities (which the
    softmax learns) against the product of the marginals (which is all the
    heads can express); middle, both models' best losses against the
    correlation, with models trained on 2000 sampled pairs as dots; right,
    the gap beside the mutual information :math:`I(Y_1; Y_2)`.
    """
    lo, hi = correlation_range(p1, p2)
    lo, hi = math.ceil(lo * 20 - 1e-9) / 20, math.floor(hi * 20 + 1e-9) / 20  # slider ends on its 0.05 steps
    rhos = np.linspace(lo, hi, 201)
    best = np.array([optimal_losses(correlated_labels_joint(p1, p2, r)) for r in rhos])
    trained_rhos = [r for r in TRAINED_RHOS if lo <= r <= hi]
    runs = [multilabel_run(r, p1=p1, p2=p2) for r in trained_rhos]
    product = independent_joint(p1, p2).reshape(-1)
    pairs = np.arange(4)
    with style():
        fig = new_figure(figsize=(13.0, 4.9))[0]
        fig.clear()
        fig.set_layout_engine("none")  # a fixed layout: constrained layout would double the first draw
        gs = fig.add_gridspec(1, 3, left=0.05, right=0.99, top=0.86, bottom=0.3, wspace=0.25)
        bar_ax, loss_ax, gap_ax = (fig.add_subplot(gs[0, j]) for j in range(3))
        fig.suptitle("Independent heads pay exactly the mutual information I(Y₁;Y₂) for ignoring the correlation",
                     fontsize=14)
        true_bars = bar_ax.bar(pairs - 0.2, np.zeros(4), width=0.4, color=COLORS["blue"],
                               label="true P(y₁, y₂): the softmax learns it")
        bar_ax.bar(pairs + 0.2, product, width=0.4, color=COLORS["orange"],
                   label="q₁(y₁)·q₂(y₂): the best the heads can say")
        bar_ax.set_xticks(pairs, ["(0,0)", "(0,1)", "(1,0)", "(1,1)"])
        bar_ax.set_xlabel("label pair (y₁, y₂)")
        bar_ax.set_ylabel("probability")
        bar_ax.set_ylim(0, 0.62)
        bar_ax.set_title("pair probabilities")
        bar_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=10, frameon=False)

        loss_ax.plot(rhos, best[:, 0], color=COLORS["orange"], label="independent heads: H(Y₁) + H(Y₂)")
        loss_ax.plot(rhos, best[:, 1], color=COLORS["blue"], label="joint softmax: H(Y₁, Y₂)")
        loss_ax.plot(trained_rhos, [r.independent_loss for r in runs], "o", color=COLORS["orange"], mec="black",
                     ms=8, label="trained on 2000 pairs")
        loss_ax.plot(trained_rhos, [r.joint_loss for r in runs], "o", color=COLORS["blue"], mec="black", ms=8)
        (gap_line,) = loss_ax.plot([], [], color=COLORS["green"], lw=4, solid_capstyle="butt")
        loss_ax.set_xlim(lo, hi)
        loss_ax.set_xticks(np.linspace(-1.0, 1.0, 5))  # the default 0.25 steps run into each other
        loss_ax.set_ylim(0.6, 1.45)
        loss_ax.set_xlabel("correlation ρ of the two labels")
        loss_ax.set_ylabel("best mean loss (nats)")
        loss_ax.set_title("best loss of each model")
        loss_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=10, frameon=False)

        gap_ax.plot(rhos, best[:, 2], color=COLORS["green"], label="I(Y₁; Y₂) from the formula")
        gap_ax.plot(trained_rhos, [float(mutual_information(r.data_joint)) for r in runs], "o", mfc="none",
                    mec=COLORS["green"], mew=2, ms=14, label="I of each training sample's pair frequencies")
        gap_ax.plot(trained_rhos, [r.gap for r in runs], "o", color=COLORS["black"], ms=7,
                    label="trained: heads' loss − softmax's loss")
        (here,) = gap_ax.plot([], [], "o", color=COLORS["green"], mec="black", ms=13, zorder=3)
        gap_ax.set_xlim(lo, hi)
        gap_ax.set_xticks(np.linspace(-1.0, 1.0, 5))  # the default 0.25 steps run into each other
        gap_ax.set_ylim(0, 0.75)
        gap_ax.set_xlabel("correlation ρ of the two labels")
        gap_ax.set_ylabel("nats")
        gap_ax.set_title("the gap is the mutual information")
        gap_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=10, frameon=False)
        readout = _readout(gap_ax, 0.5, 0.97, ha="center", size=11.5)

    def update(rho):
        joint = correlated_labels_joint(p1, p2, rho)
        for bar, height in zip(true_bars, joint.reshape(-1)):
            bar.set_height(height)
        b = optimal_losses(joint)
        gap_line.set_data([rho, rho], [b.joint, b.independent])
        here.set_data([rho], [b.gap])
        readout.set_text(f"ρ = {rho:+.2f}\nH(Y₁)+H(Y₂)−H(Y₁,Y₂) = {b.gap:.4f}\n"
                         f"I(Y₁;Y₂)             = {float(mutual_information(joint)):.4f}")

    controls = {"rho": slider("correlation ρ of the labels (−1 … 1)", lo, hi, 0.05, rho)}
    scenes = {"independent (ρ = 0)": {"rho": 0.0}, "correlated (ρ = 0.6)": {"rho": 0.6},
              "anti-correlated (ρ = −0.6)": {"rho": -0.6}, "copies (ρ = 1)": {"rho": hi}}
    return Panel(fig, update, controls, artists=[*true_bars, gap_line, here, readout],
                 title="independent heads vs joint softmax on correlated labels", scenes=scenes)


def prior_and_weights(prior_var: float = 1.0) -> Panel:
    r"""MAP logistic regression under a Gaussian prior :math:`w \sim \mathcal N(0, \sigma^2 I)`, for any prior variance.

    Question it answers: weight decay is a Gaussian prior; how does the prior's
    variance :math:`\sigma^2` (equivalently :math:`\lambda = 1/(N\sigma^2)`)
    set the size of the fitted weights, and which prior predicts new data
    best?  Left, the ten fitted weights (only :math:`w_1` is informative) with
    the prior's central 95 % band :math:`\pm 1.96\sigma`; right, the weight
    norm and the training and held-out cross-entropy against :math:`\sigma^2`.
    """
    from matplotlib.patches import Rectangle

    path = prior_path()
    X = bayes_data()[0]
    n, d = X.shape
    norms = np.linalg.norm(path.w, axis=1)
    best = int(np.argmin(path.test_loss))
    features = np.arange(1, d + 1)
    with style():
        fig = new_figure(figsize=(12.0, 5.6))[0]
        fig.clear()
        fig.set_layout_engine("none")
        gs = fig.add_gridspec(2, 2, width_ratios=[1.15, 1.0], left=0.07, right=0.98, top=0.88, bottom=0.2,
                              hspace=0.12, wspace=0.22)
        bar_ax = fig.add_subplot(gs[:, 0])
        norm_ax = fig.add_subplot(gs[0, 1])
        loss_ax = fig.add_subplot(gs[1, 1], sharex=norm_ax)
        fig.suptitle("Weight decay is a Gaussian prior: its variance sets how large the weights may grow", fontsize=14)
        band = Rectangle((0.3, -1.0), d + 0.4, 2.0, color=COLORS["sky"], alpha=0.3, lw=0,
                         label="prior: 95 % of weights inside ±1.96σ")
        bar_ax.add_patch(band)
        bars = bar_ax.bar(features, np.zeros(d), color=[COLORS["vermillion"]] + [COLORS["grey"]] * (d - 1))
        bar_ax.axhline(0, color=COLORS["black"], lw=1)
        bar_ax.set_xlim(0.3, d + 0.7)
        bar_ax.set_ylim(-6.5, 6.5)
        bar_ax.set_xticks(features, ["w₁\n(signal)"] + [f"w{_subscript(i)}" for i in features[1:]])
        bar_ax.set_ylabel("fitted weight")
        bar_ax.set_title("MAP weights (w₂ … w₁₀ see only noise)")
        bar_ax.legend(handles=[band], loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=10.5, frameon=False)
        readout = _readout(bar_ax, 0.98, 0.97, ha="right", size=11)

        norm_ax.plot(path.prior_var, norms, color=COLORS["vermillion"])
        (norm_dot,) = norm_ax.plot([], [], "o", color=COLORS["vermillion"], mec="black", ms=10, zorder=3)
        norm_ax.set_xscale("log")
        norm_ax.set_xticks(10.0 ** np.arange(-3, 2))
        norm_ax.minorticks_off()  # fewer ticks: a faster first draw
        loss_ax.minorticks_off()
        norm_ax.set_ylabel("weight size ‖w‖")
        norm_ax.tick_params(labelbottom=False)
        norm_ax.set_title("weights grow with the prior variance")

        loss_ax.plot(path.prior_var, path.train_loss, color=COLORS["blue"], label="training data (40)")
        loss_ax.plot(path.prior_var, path.test_loss, color=COLORS["orange"], label="held-out data (4000)")
        loss_ax.plot([path.prior_var[best]], [path.test_loss[best]], "*", color=COLORS["orange"], mec="black",
                     ms=15, label="best held-out")
        (train_dot,) = loss_ax.plot([], [], "o", color=COLORS["blue"], mec="black", ms=9, zorder=3)
        (test_dot,) = loss_ax.plot([], [], "o", color=COLORS["orange"], mec="black", ms=9, zorder=3)
        loss_ax.axhline(math.log(2), color=COLORS["grey"], ls=":", lw=1.5)
        loss_ax.text(0.4, math.log(2) + 0.04, "ln 2: coin flip", transform=loss_ax.get_yaxis_transform(),
                     ha="center", va="bottom", color=COLORS["grey"], fontsize=10)
        loss_ax.set_ylim(0, 1.8)
        loss_ax.set_xlabel("prior variance σ² (log scale)")
        loss_ax.set_ylabel("mean CE (nats)")
        loss_ax.legend(loc="upper left", fontsize=10, ncol=1, frameon=True)

    def update(prior_var):
        i = int(np.argmin(np.abs(np.log10(path.prior_var) - math.log10(prior_var))))
        var, w = path.prior_var[i], path.w[i]
        half = 1.96 * math.sqrt(var)
        band.set_y(-half)
        band.set_height(2 * half)
        for bar, height in zip(bars, w):
            bar.set_height(height)
        norm_dot.set_data([var], [norms[i]])
        train_dot.set_data([var], [path.train_loss[i]])
        test_dot.set_data([var], [path.test_loss[i]])
        readout.set_text(f"σ² = {var:.3g}   λ = 1/(Nσ²) = {1 / (n * var):.3g}\n"
                         f"‖w‖ = {norms[i]:.2f}   held-out CE = {path.test_loss[i]:.3f}")

    controls = {"prior_var": log_slider("prior variance σ² (weight units²)", -3, 1, 0.1, prior_var, fmt=".3g")}
    scenes = {"strong prior (σ² = 0.01)": {"prior_var": 0.01},
              f"best held-out (σ² = {path.prior_var[best]:.2g})": {"prior_var": float(path.prior_var[best])},
              "weak prior (σ² = 10)": {"prior_var": 10.0}}
    return Panel(fig, update, controls, artists=[band, *bars, readout, norm_dot, train_dot, test_dot],
                 title="prior variance vs fitted weight size", scenes=scenes)


def barcode_classifier(k: int = 3, read: int = 0) -> Panel:
    r"""A softmax over six fish species, from the k-mer counts of a DNA-barcode read.

    Question it answers: how sure is the classifier about each held-out read,
    and how does the k-mer length change that?  Left, the predicted
    distribution over species for one read (the true species outlined): the
    read's loss is :math:`-\ln q_{\text{true}}`.  Right, the held-out mean
    cross-entropy and accuracy for each k.
    """
    data, _, test = barcode_data()
    truth = data.species[test]
    ks = (1, 2, 3, 4)
    models = {kk: barcode_model(kk) for kk in ks}
    species = np.arange(len(FISH))
    genus_colour = [COLORS["blue"] if g == 0 else COLORS["green"] for g in data.genus]
    with style():
        fig = new_figure(figsize=(12.0, 5.0))[0]
        fig.clear()
        fig.set_layout_engine("none")  # a fixed layout: constrained layout would double the first draw
        gs = fig.add_gridspec(1, 2, width_ratios=[1.5, 1.0], left=0.06, right=0.99, top=0.88, bottom=0.17, wspace=0.12)
        prob_ax, sum_ax = fig.add_subplot(gs[0, 0]), fig.add_subplot(gs[0, 1])
        fig.suptitle("Which fish is it? A softmax over species, from the k-mers of one DNA read", fontsize=14)
        bars = prob_ax.bar(species, np.zeros(len(FISH)), color=genus_colour, edgecolor=COLORS["black"], lw=0)
        prob_ax.set_xticks(species, [name.replace(" ", "\n") for name in FISH], fontsize=10.5)
        prob_ax.set_ylim(0, 1.12)
        prob_ax.set_ylabel("predicted probability q")
        for label, colour in zip(prob_ax.get_xticklabels(), genus_colour):
            label.set_color(colour)
        prob_ax.set_title("one held-out read (thick outline: its true species)")
        prob_ax.set_xlabel("species (blue: tunas, green: cod family)")
        readout = _readout(prob_ax, 0.98, 0.97, ha="right", size=11)
        x = np.arange(len(ks))
        sum_ax.bar(x - 0.2, [models[kk].test_loss for kk in ks], width=0.4, color=COLORS["orange"],
                   label="held-out mean CE (nats)")
        sum_ax.bar(x + 0.2, [models[kk].test_accuracy for kk in ks], width=0.4, color=COLORS["sky"],
                   label="held-out accuracy")
        sum_ax.axhline(math.log(len(FISH)), color=COLORS["grey"], ls=":", lw=1.5)
        sum_ax.text(-0.45, math.log(len(FISH)) + 0.03, "ln 6: guessing", color=COLORS["grey"], fontsize=10, va="bottom")
        (marker,) = sum_ax.plot([], [], "v", color=COLORS["black"], ms=14)
        sum_ax.set_xticks(x, [f"k = {kk}\n({4 ** kk})" for kk in ks], fontsize=10.5)
        sum_ax.set_xlabel("k-mer length k (in brackets: features, $4^k$)")
        sum_ax.set_ylim(0, 2.05)
        sum_ax.set_title("all 120 held-out reads")
        sum_ax.legend(loc="upper right", fontsize=10)

    def update(k, read):
        m = models[int(k)]
        q = m.test_proba[int(read)]
        t = int(truth[int(read)])
        for j, bar in enumerate(bars):
            bar.set_height(q[j])
            bar.set_linewidth(3.5 if j == t else 0.0)
        marker.set_data([ks.index(int(k))], [max(m.test_loss, m.test_accuracy) + 0.12])
        guess = int(np.argmax(q))
        readout.set_text(f"read {int(read)}: {FISH[t]}\n"
                         f"loss −ln q = {-math.log(max(q[t], 1e-300)):.3f} nats"
                         + ("" if guess == t else f"\ntop guess: {FISH[guess]}"))

    controls = {"k": choice("k-mer length k (bases)", list(ks), value=int(k)),
                "read": int_slider("held-out read (#)", 0, len(truth) - 1, int(read))}
    scenes = {"base composition only (k = 1)": {"k": 1}, "a read it gets wrong (k = 2, #7)": {"k": 2, "read": 7},
              "k = 3": {"k": 3}, "k = 4": {"k": 4}}
    return Panel(fig, update, controls, artists=[*bars, readout, marker],
                 title="species from DNA-barcode k-mers", scenes=scenes)
