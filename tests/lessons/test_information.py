"""Lesson ``information`` (notebook 08): its data, fixed experiments, figures and exercises.

Every claim the notebook makes is checked by a route independent of the code
that draws it: SciPy (entropy, distributions, optimisers), scikit-learn (log
loss, mutual information, logistic regression, a k-mer counter), and
xentlib's own models.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import log_loss, mutual_info_score

import xentlib as xl
from xentlib import bayes, gaussian_fits
from xentlib import information as info
from xentlib import multilabel as ml
from xentlib.datasets import (
    KL_GRID,
    LOADED_DIE,
    NUCLEOTIDES,
    barcode_data,
    bayes_data,
    bimodal_target,
    die_rolls,
    dna_barcodes,
    kmer_counts,
    kmer_names,
)
from xentlib.lessons.information import exercises, experiments, figures
from xentlib.models import LogisticRegression

LN2 = math.log(2.0)


# =====================================================================================
# Likelihood: a loaded die
# =====================================================================================

def test_die_rolls_favour_the_six():
    rolls = die_rolls(6000, seed=3)
    assert_allclose(info.empirical_distribution(rolls, 6), LOADED_DIE, atol=0.02)


# =====================================================================================
# Forward and reverse KL on a two-humped target
# =====================================================================================

def test_kl_is_asymmetric_and_each_fit_wins_its_own_divergence():
    for separation in (5.0, 6.0, 8.0):
        p = bimodal_target(separation, 0.5)
        forward, reverse = experiments.kl_fits(separation, 0.5)
        q_f = gaussian_fits.gaussian_on_grid(KL_GRID, float(forward.mu), float(forward.sigma))
        q_r = gaussian_fits.gaussian_on_grid(KL_GRID, float(reverse.mu), float(reverse.sigma))
        f, r = experiments.divergence_table(p, q_f), experiments.divergence_table(p, q_r)
        assert f["KL(p||q)"] < r["KL(p||q)"] and r["KL(q||p)"] < f["KL(q||p)"]
        assert f["KL(p||q)"] != pytest.approx(f["KL(q||p)"], rel=0.05)  # not symmetric
        for table, q in ((f, q_f), (r, q_r)):
            assert table["JS(p,q)"] == pytest.approx(float(xl.js_divergence(q, p)), rel=1e-12)  # JS is
            assert table["JS(p,q)"] == pytest.approx(jensenshannon(p, q) ** 2, rel=1e-9)
            assert 0 < table["JS(p,q)"] < LN2


def test_divergence_table_matches_scipy_entropy():
    p, q = np.array([0.2, 0.5, 0.3]), np.array([0.6, 0.1, 0.3])
    table = experiments.divergence_table(p, q)
    assert table["KL(p||q)"] == pytest.approx(stats.entropy(p, q), rel=1e-12)
    assert table["KL(q||p)"] == pytest.approx(stats.entropy(q, p), rel=1e-12)


def test_symmetric_ties_go_to_the_left_hump_and_the_jump_is_where_the_fits_cross():
    reverse = experiments.kl_fits(6.0, 0.5)[1]
    assert float(reverse.mu) < 0  # deterministic, not decided by rounding
    jump = experiments.mode_seeking_threshold(0.5)
    assert jump == 5.75
    # below the jump a broad central fit beats sitting on a hump; from it on, the hump wins
    for d, centre_wins in ((jump - 0.25, True), (jump, False)):
        p = bimodal_target(d, 0.5)
        central = gaussian_fits.fit_gaussian_reverse_kl(KL_GRID, p, starts=[[0.0, 2.0]])
        hump = gaussian_fits.fit_gaussian_reverse_kl(KL_GRID, p, starts=[[d / 2, 1.0]])
        assert (float(central.divergence) < float(hump.divergence)) == centre_wins
    assert experiments.mode_seeking_threshold(0.3) < jump  # unequal humps: the heavier one wins sooner
    assert math.isnan(experiments.mode_seeking_threshold(0.5, largest=3.0))


def test_kl_fits_cache_and_bimodal_target_validation():
    assert experiments.kl_fits(6.0, 0.5) is experiments.kl_fits(6.0 + 1e-12, 0.5)
    with pytest.raises(ValueError, match="separation must lie in"):
        bimodal_target(-1.0)
    with pytest.raises(ValueError, match="weight must lie in"):
        bimodal_target(2.0, 1.5)


# =====================================================================================
# Multi-label: trained heads against a trained softmax
# =====================================================================================

@pytest.mark.parametrize("rho", [-0.8, -0.4, 0.0, 0.4, 0.8])
def test_trained_models_agree_with_the_mutual_information(rho):
    run = experiments.multilabel_run(rho)
    # exactly (to optimisation tolerance) the mutual information of the training pairs ...
    assert run.gap == pytest.approx(float(xl.mutual_information(run.data_joint)), abs=1e-6)
    # ... and, up to sampling noise with 2000 pairs, the formula for the population
    assert run.gap == pytest.approx(ml.optimal_losses(ml.correlated_labels_joint(0.5, 0.5, rho)).gap, abs=0.025)
    # both models reach their best possible loss on the training pairs
    assert run.joint_loss == pytest.approx(stats.entropy(run.data_joint.reshape(-1)), abs=1e-6)
    assert run.independent_loss == pytest.approx(stats.entropy(run.data_joint.sum(axis=1))
                                                 + stats.entropy(run.data_joint.sum(axis=0)), abs=1e-6)


def test_independent_heads_learn_the_right_marginals_and_the_softmax_the_joint():
    Y = ml.sample_labels(ml.correlated_labels_joint(0.3, 0.6, 0.4), 1500, seed=4)
    run = experiments.train_label_models(Y)
    assert_allclose(run.marginals, Y.mean(axis=0), atol=1e-5)
    assert_allclose(run.joint, ml.empirical_joint(Y), atol=1e-5)
    # the heads' beliefs multiply to the product of marginals, not to the (correlated) truth
    product = ml.independent_joint(*run.marginals)
    assert np.abs(product - run.joint).max() > 0.05
    # the gap is scikit-learn's mutual information of the two label columns
    assert run.gap == pytest.approx(mutual_info_score(Y[:, 0], Y[:, 1]), abs=1e-6)


def test_with_grouped_inputs_the_gap_is_the_conditional_mutual_information():
    groups = [(0.2, 0.3, 0.6), (0.7, 0.5, -0.5), (0.5, 0.5, 0.0)]
    Ys, Xs = [], []
    for g, (p1, p2, rho) in enumerate(groups):
        Y = ml.sample_labels(ml.correlated_labels_joint(p1, p2, rho), 600, seed=10 + g)
        Ys.append(Y)
        Xs.append(np.tile(np.eye(3)[g], (len(Y), 1)))
    Y, X = np.vstack(Ys), np.vstack(Xs)
    run = experiments.train_label_models(Y, X, lr_heads=4.0, lr_joint=2.0, max_steps=4000)
    conditional = sum(len(Yg) / len(Y) * float(xl.mutual_information(ml.empirical_joint(Yg))) for Yg in Ys)
    assert run.gap == pytest.approx(conditional, abs=1e-5)


def test_train_label_models_uses_the_xentlib_models_and_matches_a_long_fit():
    Y = ml.sample_labels(ml.correlated_labels_joint(0.5, 0.5, 0.6), 500, seed=0)
    run = experiments.train_label_models(Y)
    head = LogisticRegression(1)
    head.fit(np.zeros((500, 1)), Y[:, 0], lr=1.0, steps=2000)
    assert run.heads[0].b == pytest.approx(head.b, abs=1e-5)
    assert run.heads[0].b == pytest.approx(float(xl.logit(Y[:, 0].mean())), abs=1e-6)


def test_train_label_models_validates_inputs():
    with pytest.raises(ValueError, match="one row per label pair"):
        experiments.train_label_models([[0, 1], [1, 1]], X=np.zeros((3, 1)))


# =====================================================================================
# The Bayesian bridge
# =====================================================================================

def test_narrow_elbo_offsets_tend_to_the_same_constant():
    X, y = bayes_data()[:2]
    w_map = bayes.fit_logistic_map(X, y, prior_var=1.0).w
    centres = [np.zeros(10), w_map, 2 * w_map]
    wide, narrow = experiments.narrow_elbo_offsets(centres, 0.1), experiments.narrow_elbo_offsets(centres, 1e-3)
    constant = 5 * (math.log(1 / 1e-3**2) - 1)
    assert np.ptp(wide) > 0.1  # a wide q averages the loss over nearby weights: the centre matters
    assert_allclose(narrow, constant, atol=1e-4)


def test_prior_path_matches_scikit_learn_and_has_an_interior_best():
    path = experiments.prior_path()
    X, y, X_test, y_test = bayes_data()
    for i in (0, 15, 30, 40):
        sk = SkLogisticRegression(C=float(path.prior_var[i]), tol=1e-12, max_iter=100000).fit(X, y)
        assert_allclose(path.w[i], sk.coef_[0], atol=2e-5)
        assert path.test_loss[i] == pytest.approx(log_loss(y_test, sk.predict_proba(X_test)[:, 1]), abs=1e-5)
    norms = np.linalg.norm(path.w, axis=1)
    assert np.all(np.diff(norms) > 0)
    assert np.all(np.diff(path.train_loss) < 0)  # a looser prior always fits the training data better ...
    best = int(np.argmin(path.test_loss))
    assert 5 < best < len(path.prior_var) - 5  # ... but new data are predicted best by a middle prior
    assert path.test_loss[-1] > math.log(2) > path.test_loss[best]


# =====================================================================================
# DNA barcodes
# =====================================================================================

def _naive_kmers(read, k):
    counts = Counter(read[i:i + k] for i in range(len(read) - k + 1))
    return np.array([counts[name] for name in kmer_names(k)], dtype=float)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_kmer_counts_match_a_naive_count_and_scikit_learn(k):
    reads = dna_barcodes(3, 2, length=60, seed=7).reads + ["ACGTTGCA", "AAAA"]
    counts = kmer_counts(reads, k)
    assert counts.shape == (len(reads), 4**k)
    for row, read in zip(counts, reads):
        assert_allclose(row, _naive_kmers(read, k))
        assert row.sum() == len(read) - k + 1
    vectorizer = CountVectorizer(analyzer="char", ngram_range=(k, k), lowercase=False)
    sparse = vectorizer.fit_transform(reads)
    columns = [kmer_names(k).index(name) for name in vectorizer.get_feature_names_out()]
    assert_allclose(counts[:, columns], sparse.toarray())
    assert counts.sum() == sparse.sum()  # every k-mer scikit-learn found, and no others


def test_kmer_counts_normalise_accept_lower_case_and_reject_other_letters():
    assert_allclose(kmer_counts("acgt", 1), kmer_counts("ACGT", 1))
    assert_allclose(kmer_counts(["AACG"], 2, normalize=True), [[1 / 3, 1 / 3, 0, 0, 0, 0, 1 / 3] + [0] * 9])
    assert_allclose(kmer_counts(["A"], 2), np.zeros((1, 16)))
    with pytest.raises(ValueError, match="read 1 contains 'N' at position 2"):
        kmer_counts(["ACGT", "ACNT"], 2)
    with pytest.raises(ValueError, match="fewer than k=3"):
        kmer_counts(["AC"], 3, normalize=True)
    with pytest.raises(TypeError, match="strings"):
        kmer_counts([b"ACGT"], 1)


def test_kmer_names_are_lexicographic():
    names = kmer_names(3)
    assert names == sorted(names) and len(names) == 64 and set("".join(names)) == set(NUCLEOTIDES)


def test_dna_barcodes_structure_and_divergences():
    data = dna_barcodes(6, 50, length=2000, n_genera=2, genus_divergence=0.2, species_divergence=0.05,
                        mutation_rate=0.1, seed=3)
    assert len(data.reads) == 300 and all(len(r) == 2000 for r in data.reads)
    assert_allclose(np.bincount(data.species), 50)
    assert list(data.genus) == [0, 0, 0, 1, 1, 1]
    refs = np.array([list(r) for r in data.references])
    differ = lambda a, b: float(np.mean(a != b))  # noqa: E731
    within, between = differ(refs[0], refs[1]), differ(refs[0], refs[4])
    assert within == pytest.approx(0.1 - 4 / 3 * 0.05**2, abs=0.02)  # two independent 5 % branches
    assert between > within + 0.1
    read = np.array(list(data.reads[0]))
    assert differ(read, refs[0]) == pytest.approx(0.1, abs=0.02)
    again = dna_barcodes(6, 50, length=2000, n_genera=2, genus_divergence=0.2, species_divergence=0.05,
                         mutation_rate=0.1, seed=3)
    assert again.reads == data.reads
    with pytest.raises(ValueError, match="n_genera must be at most"):
        dna_barcodes(2, 1, n_genera=3)
    with pytest.raises(ValueError, match="mutation_rate must lie in"):
        dna_barcodes(mutation_rate=1.5)


def test_barcode_models_improve_with_k_and_report_honest_losses():
    data, train, test = barcode_data()
    assert train.sum() == test.sum() == 120 and not np.any(train & test)
    losses, accuracies = [], []
    for k in (1, 2, 3, 4):
        m = experiments.barcode_model(k)
        assert_allclose(m.test_proba.sum(axis=1), 1.0)
        truth = data.species[test]
        assert m.test_loss == pytest.approx(log_loss(truth, m.test_proba, labels=range(6)), rel=1e-10)
        assert m.test_accuracy == pytest.approx(np.mean(m.test_proba.argmax(axis=1) == truth))
        losses.append(m.test_loss)
        accuracies.append(m.test_accuracy)
    assert np.all(np.diff(losses) < 0) and accuracies[0] < accuracies[-1]
    assert losses[0] < math.log(6)  # even base composition beats guessing
    # the figure's "a read it gets wrong" scene really shows a mistake
    assert _barcode_model_misreads(7)
    # mistakes stay within the genus: sister species are what the model confuses
    m = experiments.barcode_model(2)
    wrong = m.test_proba.argmax(axis=1) != data.species[test]
    assert np.mean(data.genus[m.test_proba.argmax(axis=1)[wrong]] == data.genus[data.species[test][wrong]]) > 0.8


def _barcode_model_misreads(i):
    data, _, test = barcode_data()
    return int(experiments.barcode_model(2).test_proba[i].argmax()) != int(data.species[test][i])


# =====================================================================================
# Figures
# =====================================================================================

@pytest.mark.parametrize("build", [figures.forward_reverse_kl, figures.independence_gap, figures.prior_and_weights,
                                   figures.barcode_classifier])
def test_figures_build_and_show_every_scene(build):
    panel = build()
    assert panel.first_frame.startswith(b"\x89PNG")
    for values in panel.scenes.values():
        panel.set(**values)
        assert panel.values == {**panel.values, **values}


# =====================================================================================
# Exercises
# =====================================================================================

def test_exercise_answers_are_accepted_and_wrong_ones_rejected():
    assert exercises.check("08.mle", stats.entropy([0.7, 0.3])).correct
    assert not exercises.check("08.mle", 0.7).correct
    assert not exercises.check("08.mle", stats.entropy([0.7, 0.3], base=2)).correct  # bits, not nats
    joint = np.array([[0.45, 0.05], [0.15, 0.35]])
    h1, h2 = stats.entropy(joint.sum(axis=1)), stats.entropy(joint.sum(axis=0))
    assert exercises.check("08.mi_gap", h1 + h2 - stats.entropy(joint.reshape(-1))).correct
    assert not exercises.check("08.mi_gap", h1 + h2).correct
    assert exercises.check("08.prior_variance", 0.1).correct
    assert not exercises.check("08.prior_variance", 10.0).correct


def test_independent_loss_exercise_accepts_a_correct_function_and_rejects_slips():
    def right(joint):
        return sum(stats.entropy(joint.sum(axis=a)) for a in (0, 1))

    def joint_entropy(joint):  # the softmax's loss, not the heads'
        return stats.entropy(joint.reshape(-1))

    def naive(joint):  # 0 * log 0 = NaN
        with np.errstate(all="ignore"):
            return sum(float(-np.sum(m * np.log(m))) for m in (joint.sum(axis=0), joint.sum(axis=1)))

    assert exercises.check("08.independent_loss", right).correct
    assert not exercises.check("08.independent_loss", joint_entropy).correct
    feedback = exercises.check("08.independent_loss", naive)
    assert not feedback.correct and "NaN" in feedback.message


@pytest.mark.parametrize("key", ["08.mle", "08.mi_gap", "08.independent_loss", "08.prior_variance"])
def test_unanswered_exercises_say_so_and_hints_do_not_give_numbers(key):
    assert exercises.check(key, None).status == "unanswered"
    assert exercises.ask(key).hint
    if key == "08.independent_loss":
        feedback = exercises.check(key, lambda joint: 0.0)
        assert not feedback.correct and "1.386" not in feedback.message  # names the input, never the output
    else:
        feedback = exercises.check(key, 123.0)
        assert not feedback.correct
        for answer in ("0.6109", "0.1", "0.2", "0.19"):
            assert answer not in feedback.message
