# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 08 · Information: likelihood, divergences and many labels
#
# **After this notebook you will be able to**
# - show that minimising the mean cross-entropy on a data set is the same as maximising its likelihood, and say what the maximum-likelihood answer is;
# - explain why $D_{\mathrm{KL}}(p\,\|\,q)$ and $D_{\mathrm{KL}}(q\,\|\,p)$ give different best fits (one covers, one picks), and when the symmetric Jensen–Shannon divergence is the better tool;
# - choose between one softmax and independent sigmoids, and say what independent sigmoid heads do and do not learn;
# - compute the exact price of treating correlated labels as independent: the mutual information $I(Y_1; Y_2)$;
# - read weight decay as a Gaussian prior (cross-entropy + L2 = maximum a posteriori), convert between $\lambda$ and the prior variance, and explain where the L2 term sits in the ELBO;
# - train a softmax species classifier on DNA k-mer counts and read its per-example losses.
#
# **Prerequisites:** entropy, cross-entropy and KL divergence ([01](01_surprise.ipynb)); softmax, sigmoid and their gradients ([02](02_gradients.ipynb)); logistic regression trained by gradient descent ([04](04_xor_features.ipynb)). **Time:** about 50 minutes.
#
# Every model below is trained by tested code in `xentlib`; every number quoted in the text is printed by a cell that the test suite re-runs and compares.

# %%
# Colab only: install xentlib, this course's library, from release v0.1.0
# (--no-deps: nothing Colab already ships is upgraded). Anywhere else this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import importlib
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "xentlib @ git+https://github.com/xentlib/cross-entropy-notebooks@v0.1.0"], check=True)
    importlib.invalidate_caches()

# %%
import math

import numpy as np

import xentlib as xl
from xentlib import information as info
from xentlib import bayes
from xentlib import multilabel as ml
from xentlib.lessons.information import exercises, experiments, figures
from xentlib.models import LogisticRegression

# %% [markdown]
# ## 1. Minimising cross-entropy is maximum likelihood
#
# A model that gives probability $q_{i, y_i}$ to the label $y_i$ that example $i$ actually has gives the whole data set the probability $\prod_i q_{i, y_i}$: its **likelihood**. Logs turn the product into a sum:
#
# $$ \log L = \sum_{i=1}^N \log q_{i, y_i} = -N \cdot \underbrace{\frac1N \sum_{i=1}^N \big(-\log q_{i, y_i}\big)}_{\text{mean cross-entropy}} . $$
#
# The mean cross-entropy loss is $-\log L / N$. Minimising one is maximising the other: **training with cross-entropy is maximum-likelihood estimation**, whatever the model.
#
# The simplest model makes it concrete: one distribution $q$ over the six faces of a die, the same for every roll. Group the sum by face: face $k$ turns up $N \hat p_k$ times, where $\hat p$ is the observed frequency, so
#
# $$ \frac{-\log L}{N} = -\sum_k \hat p_k \log q_k = H(\hat p, q) = H(\hat p) + D_{\mathrm{KL}}(\hat p\,\|\,q). $$
#
# The KL term is zero only at $q = \hat p$. The maximum-likelihood distribution is the observed frequencies, and the lowest mean loss is their entropy $H(\hat p)$.
#
# Here are 60 rolls of a loaded die that shows a six 40 % of the time:

# %%
# NBVAL_CHECK_OUTPUT
rolls = xl.datasets.die_rolls(60)
p_hat = info.empirical_distribution(rolls, 6)
print("counts of faces 1..6:", np.bincount(rolls, minlength=6))
print("frequencies p_hat:   ", p_hat.round(4))

# %%
# NBVAL_CHECK_OUTPUT
for name, q in [("fair die", np.full(6, 1 / 6)), ("the true loaded die", xl.datasets.LOADED_DIE), ("frequencies p_hat", p_hat)]:
    log_l = info.log_likelihood(q, rolls)
    print(f"{name:20s} log L = {log_l:9.4f}   -log L / N = {-log_l / 60:.4f}   H(p_hat, q) = {xl.cross_entropy(p_hat, q):.4f}")
print(f"entropy H(p_hat) = {xl.entropy(p_hat):.4f}")

# %% [markdown]
# Three things to notice:
#
# - the last two columns agree on every line: mean cross-entropy *is* $-\log L / N$;
# - the frequencies reach the lowest loss, 1.5666 nats, which is exactly $H(\hat p)$;
# - they beat even the **true** die (1.5785). Maximum likelihood fits the sample it is given, quirks included: on these 60 rolls the six came up 45 % of the time, not 40 %. With few data and many parameters this is overfitting, and section 5 shows how a prior reins it in.
#
# ## 2. KL is not symmetric
#
# $D_{\mathrm{KL}}(p\,\|\,q) = \sum_x p(x) \log \frac{p(x)}{q(x)}$ averages over $p$. Swapping the arguments changes what is punished:
#
# - **forward**, $D_{\mathrm{KL}}(p\,\|\,q)$: large wherever $p$ has mass and $q$ has almost none. A $q$ that misses part of $p$ pays heavily, so the best $q$ spreads out to **cover** all of $p$. Since $D_{\mathrm{KL}}(p\,\|\,q) = H(p, q) - H(p)$, minimising it over $q$ is minimising cross-entropy, i.e. maximum likelihood. For a Gaussian $q$ it gives the mean and the variance of $p$ (*moment matching*).
# - **reverse**, $D_{\mathrm{KL}}(q\,\|\,p)$: large wherever $q$ puts mass and $p$ has almost none. Ignoring part of $p$ costs little, so the best $q$ **picks** a region where $p$ is high and stays inside it. Variational inference minimises this direction (section 5).
#
# **Try it.** The target $p$ (black) is two bumps of width 1 a distance $d$ apart. The dashed blue Gaussian is the best fit in forward KL, the orange one the best in reverse KL; the table gives each fit's divergences both ways. Increase $d$ from 0: when does the reverse fit jump onto one hump? Then make the humps unequal: which one does it choose?

# %%
figures.forward_reverse_kl()

# %%
# NBVAL_CHECK_OUTPUT
for d, w in [(6.0, 0.5), (3.0, 0.5), (6.0, 0.3)]:
    forward, reverse = experiments.kl_fits(d, w)
    print(f"d = {d}, left hump {w:.0%}:  forward mu = {round(float(forward.mu), 3) + 0.0:6.3f}, sigma = {float(forward.sigma):.3f}"
          f"   |   reverse mu = {round(float(reverse.mu), 3) + 0.0:6.3f}, sigma = {float(reverse.sigma):.3f}, KL(q||p) = {float(reverse.divergence):.4f}")
print(f"with equal humps the reverse fit first leaves the middle at d = {experiments.mode_seeking_threshold(0.5)}")
print(f"ln 2 = {math.log(2):.4f},  -ln 0.7 = {-math.log(0.7):.4f}")

# %% [markdown]
# With the humps 6 apart, the forward fit sits in the middle with $\sigma = \sqrt{1 + 3^2} = 3.162$: the variance of the mixture, spread over both humps and over the empty valley between them. The reverse fit sits on one hump with $\sigma \approx 1$. It ignores half of $p$ and pays only $D_{\mathrm{KL}}(q\,\|\,p) \approx \ln 2 = 0.693$: inside its hump $q$ is about twice $p$, because $p$ spends only half its mass there. Which hump it picks is arbitrary when they are equal (there are two equally good answers); with a 30/70 split it picks the heavier one and pays about $-\ln 0.7 = 0.357$.
#
# When the humps overlap ($d = 3$) both fits sit in the middle. Only from $d = 5.75$ does a single hump beat a broad compromise in reverse KL: mode seeking needs modes that are really separate.
#
# ### A symmetric alternative: Jensen–Shannon
#
# The **Jensen–Shannon divergence** compares both distributions with their average $m = \tfrac12(p + q)$:
#
# $$ \mathrm{JS}(p, q) = \tfrac12 D_{\mathrm{KL}}(p\,\|\,m) + \tfrac12 D_{\mathrm{KL}}(q\,\|\,m). $$
#
# It is symmetric, and it is always finite: $m$ is positive wherever $p$ or $q$ is, so neither KL term can blow up. It is at most $\ln 2$, reached by distributions that share no outcome, where both KL divergences are infinite. (Its square root is even a proper distance; SciPy's `jensenshannon` returns that square root.) [Notebook 10](10_energy_ood.ipynb) uses it to compare the predictions at neighbouring positions of a protein.

# %%
# NBVAL_CHECK_OUTPUT
p_left, p_right = np.array([0.5, 0.5, 0.0, 0.0]), np.array([0.0, 0.0, 0.5, 0.5])
print(f"disjoint:  KL(p||q) = {xl.kl_divergence(p_left, p_right)},  KL(q||p) = {xl.kl_divergence(p_right, p_left)},  "
      f"JS = {xl.js_divergence(p_left, p_right):.4f} = ln 2")
p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])
print(f"overlapping: KL(p||q) = {xl.kl_divergence(p, q):.4f},  KL(q||p) = {xl.kl_divergence(q, p):.4f},  "
      f"JS(p, q) = {xl.js_divergence(p, q):.4f},  JS(q, p) = {xl.js_divergence(q, p):.4f}")

# %% [markdown]
# ## 3. One label or many: softmax or independent sigmoids
#
# **Multi-class**: each example has exactly one label out of $K$ (this fish is a cod *or* a haddock). A softmax turns $K$ logits into one distribution; the probabilities sum to 1, so raising one lowers the others, and the loss is $-\ln q_{\text{true class}}$.
#
# **Multi-label**: each example can have any subset of $K$ tags (a photo can show a cat *and* be taken outdoors). The usual model gives every tag its own sigmoid and adds up $K$ binary cross-entropies. Each head is a separate logistic regression; nothing forces the probabilities to sum to anything.

# %%
# NBVAL_CHECK_OUTPUT
z = np.array([2.0, 1.0, -1.0])
print(f"softmax of {z}: {xl.softmax(z).round(4)}, sum {xl.softmax(z).sum():.4f}")
print(f"sigmoids of {z}: {xl.sigmoid(z).round(4)}, sum {xl.sigmoid(z).sum():.4f}")

# %% [markdown]
# Independent heads are a modelling assumption. Their joint belief about two labels is the product $q_1(y_1)\,q_2(y_2)$: **the labels are independent**. A softmax over all four *pairs* $(y_1, y_2) \in \{00, 01, 10, 11\}$ makes no such assumption and can express any joint distribution, at the price of $2^K$ classes for $K$ labels.
#
# What do independent heads learn when the labels are in fact correlated? Each head is trained on its own label only, so, by section 1, it learns that label's frequency: **independent heads still learn the right marginals**. Here two labels with base rates 0.3 and 0.6 and correlation 0.4 are sampled 2000 times, and two sigmoid heads and a four-class softmax are trained on them (no inputs: each model learns only its biases).

# %%
# NBVAL_CHECK_OUTPUT
pairs = ml.sample_labels(ml.correlated_labels_joint(0.3, 0.6, 0.4), 2000, seed=1)
run = experiments.train_label_models(pairs)
print(f"base rates in the data: {pairs.mean(axis=0).round(4)}   heads predict: {run.marginals.round(4)}")
print("pair frequencies in the data (rows y1 = 0, 1; columns y2 = 0, 1):\n", run.data_joint.round(4))
print("the softmax predicts:\n", run.joint.round(4))
print("the heads' product q1(y1) q2(y2):\n", ml.independent_joint(*run.marginals).round(4))

# %% [markdown]
# Both models got every number they *can* represent exactly right. The heads' product has the right row and column sums, but it puts 0.1792 on the pair (1, 1), which happens 0.27 of the time, and 0.1168 on the pair (1, 0), which happens only 0.026 of the time: the heads cannot know that the first label rarely appears without the second.
#
# ## 4. The price of independence is exactly the mutual information
#
# How much loss does the independence assumption cost? Both models' losses are $-\log(\text{probability of the observed pair})$, so they compare directly. With no inputs each model's best expected loss is the entropy of what it can represent:
#
# $$ \min_{q_1, q_2} \mathbb E\big[-\log q_1(Y_1) - \log q_2(Y_2)\big] = H(Y_1) + H(Y_2), \qquad \min_q \mathbb E\big[-\log q(Y_1, Y_2)\big] = H(Y_1, Y_2). $$
#
# Their difference is a quantity from information theory:
#
# $$ H(Y_1) + H(Y_2) - H(Y_1, Y_2) = \sum_{y_1, y_2} p(y_1, y_2) \log \frac{p(y_1, y_2)}{p(y_1)\, p(y_2)} = D_{\mathrm{KL}}\big(p(y_1, y_2)\,\|\,p(y_1)p(y_2)\big) = I(Y_1; Y_2). $$
#
# The independent model pays exactly the **mutual information** of the labels: zero if they really are independent, more the more one label tells you about the other. With inputs $x$ and heads flexible enough to learn each $P(Y_k \mid x)$, the same argument holds for each $x$, and the price is the conditional mutual information $I(Y_1; Y_2 \mid X)$.
#
# **Try it.** Move the correlation $\rho$ between two labels that are each 1 half the time. Left: the true pair probabilities against the heads' product. Middle: both models' best losses; the dots are models trained on 2000 sampled pairs. Right: the gap between them beside $I(Y_1; Y_2)$. Why does the orange line never move?

# %%
figures.independence_gap()

# %%
# NBVAL_CHECK_OUTPUT
for rho in experiments.TRAINED_RHOS:
    best = ml.optimal_losses(ml.correlated_labels_joint(0.5, 0.5, rho))
    trained = experiments.multilabel_run(rho)
    print(f"rho = {rho:+.1f}:  formula I = {best.gap:.4f}   trained gap = {trained.gap:.4f}   "
          f"I of the 2000 training pairs = {xl.mutual_information(trained.data_joint):.4f}   "
          f"(their rho = {ml.label_correlation(trained.data_joint):+.3f})")

# %% [markdown]
# The trained gaps agree with the mutual information of their own training pairs to four decimals (the tests check it to $10^{-6}$). They differ from the formula only by sampling noise: the 2000 pairs drawn at $\rho = 0.8$ happen to have a correlation of 0.818, so their mutual information is 0.3887 rather than 0.3681. The models learn the data they are given, not the distribution it came from.
#
# The orange line is flat because the heads' best loss depends only on the base rates, which $\rho$ does not change: **independent heads cannot even see the correlation**. Only the joint model's loss drops, down to $\ln 2$ at $\rho = \pm 1$, where one label gives the other away and the gap is a whole $\ln 2 = 0.693$ nats, one bit.

# %%
# NBVAL_CHECK_OUTPUT
copies = ml.optimal_losses(ml.correlated_labels_joint(0.5, 0.5, 1.0))
print(f"rho = 1: heads {copies.independent:.4f}, softmax {copies.joint:.4f}, gap {copies.gap:.4f} nats = {copies.gap / math.log(2):.4f} bits")

# %% [markdown]
# ## 5. The Bayesian bridge: weight decay is a Gaussian prior
#
# Section 1 showed that plain cross-entropy training is maximum likelihood, and that maximum likelihood fits the sample's quirks. The Bayesian fix is a **prior**: before seeing data we believe the weights are small, say $w \sim \mathcal N(0, \sigma^2 I)$. Bayes' rule multiplies the likelihood by the prior, and the most probable weights afterwards, the **maximum a posteriori (MAP)** estimate, minimise
#
# $$ -\log p(w \mid \text{data}) = \underbrace{\sum_{i=1}^N \ell_i}_{-\log \text{likelihood}} + \underbrace{\frac{\lVert w\rVert^2}{2\sigma^2}}_{-\log \text{prior}} + \text{const} = N\Big(\underbrace{\tfrac1N \textstyle\sum_i \ell_i + \tfrac{\lambda}{2}\lVert w\rVert^2}_{\text{mean CE + weight decay}}\Big) + \text{const}, \qquad \lambda = \frac{1}{N\sigma^2}. $$
#
# So **cross-entropy plus L2 weight decay is MAP estimation under a Gaussian prior**. A narrow prior (small $\sigma^2$) is strong decay; more data (larger $N$) means the same prior needs a smaller $\lambda$, because the data outweigh it. (scikit-learn's `LogisticRegression(C=...)` minimises $C \sum_i \ell_i + \tfrac12\lVert w\rVert^2$, so its `C` is exactly $\sigma^2$.)
#
# The data: 40 training points in 10 dimensions, where only the first feature carries signal; the other nine are noise that 40 points are few enough to fit. With a prior of variance $\sigma^2 = 1$, gradient descent on mean CE + L2 (`LogisticRegression(l2=λ)`) and Newton's method on the negative log-posterior land on the same weights:

# %%
# NBVAL_CHECK_OUTPUT
X, y, X_test, y_test = xl.datasets.bayes_data()
lam = bayes.l2_from_prior_variance(1.0, len(X))
model = LogisticRegression(10, l2=lam)
model.fit(X, y, lr=1.5, steps=400)
map_fit = bayes.fit_logistic_map(X, y, prior_var=1.0)
print(f"lambda = 1 / (N sigma^2) = {lam:.4f}")
print(f"gradient descent and Newton's MAP agree to 8 decimals: {np.allclose(model.w, map_fit.w, rtol=0, atol=1e-8)}")
nlp = bayes.logistic_neg_log_posterior(map_fit.w, map_fit.b, X, y, prior_var=1.0)
print(f"N * objective = {len(X) * model.objective(X, y):.4f};  -log posterior = {nlp:.4f};  "
      f"difference {nlp - len(X) * model.objective(X, y):.4f} = (d/2) ln(2 pi sigma^2) = {5 * math.log(2 * math.pi):.4f}")

# %% [markdown]
# **Try it.** Slide the prior variance. The bars are the MAP weights, the blue band the range that holds 95 % of the prior's weights. How large do the nine noise weights get when the prior is wide? Where is the held-out loss lowest, and what happens to it for a very weak prior?

# %%
figures.prior_and_weights()

# %%
# NBVAL_CHECK_OUTPUT
path = experiments.prior_path()
best = int(np.argmin(path.test_loss))
for i in (0, 10, best, 30, 40):
    print(f"sigma^2 = {path.prior_var[i]:7.3f}:  |w| = {np.linalg.norm(path.w[i]):.3f},  "
          f"train CE = {path.train_loss[i]:.3f},  held-out CE = {path.test_loss[i]:.3f}")

# %% [markdown]
# The wider the prior, the larger the weights, and the better the fit to the 40 training points. Held-out loss tells the other half of the story: a very narrow prior ($\sigma^2 = 0.001$) keeps every weight near 0 and predicts barely better than a coin (0.687 against $\ln 2 = 0.693$); the best held-out loss, 0.488, comes at $\sigma^2 \approx 0.25$; and with $\sigma^2 = 10$ the noise weights have grown enough that the held-out loss, 1.013, is worse than the coin's. The prior variance is how much you let the data move the weights.
#
# ### The ELBO view
#
# MAP keeps a single weight vector. Variational Bayes keeps a whole distribution $q(w)$, here $\mathcal N(m, s^2 I)$, and makes it as close as possible to the posterior in **reverse** KL, $D_{\mathrm{KL}}(q\,\|\,p(w \mid \text{data}))$: the mode-seeking direction of section 2. That is the same as maximising the **evidence lower bound**
#
# $$ \mathrm{ELBO}(q) = \underbrace{\mathbb E_{w \sim q}\big[\log p(y \mid X, w)\big]}_{-\text{expected cross-entropy}} - \underbrace{D_{\mathrm{KL}}\big(q\,\|\,\mathcal N(0, \sigma^2 I)\big)}_{\frac{\lVert m\rVert^2 + d s^2}{2\sigma^2} - \frac d2 - d \ln\frac{s}{\sigma}} \ \le\ \log p(y \mid X). $$
#
# The first term is a cross-entropy averaged over the weights $q$ allows; the KL to the prior contains $\lVert m\rVert^2 / 2\sigma^2$: the L2 penalty on the centre. As $q$ narrows to a point ($s \to 0$), the expected cross-entropy becomes the cross-entropy at $m$, and
#
# $$ -\mathrm{ELBO} = N \cdot \Big(\text{mean CE}(m) + \tfrac{\lambda}{2}\lVert m\rVert^2\Big) + \tfrac d2\Big(\ln\tfrac{\sigma^2}{s^2} - 1\Big) + O(s^2). $$
#
# The last term does not depend on $m$, so the best centre of a narrow $q$ is the MAP weight vector. Numerically, for three quite different centres:

# %%
# NBVAL_CHECK_OUTPUT
centres = {"m = 0": np.zeros(10), "m = MAP": map_fit.w, "m = 2 x MAP": 2 * map_fit.w}
for s in (0.1, 0.01, 0.001):
    offsets = experiments.narrow_elbo_offsets(centres.values(), s)
    print(f"s = {s:<6}  -ELBO - N * objective: " + ", ".join(f"{k} {o:.4f}" for k, o in zip(centres, offsets))
          + f";  (d/2)(ln(sigma^2/s^2) - 1) = {5 * (math.log(1 / s**2) - 1):.4f}")

# %% [markdown]
# At $s = 0.1$ the three offsets still differ a little (a $q$ of that width averages the loss over nearby weights, and how much that changes the loss depends on where it sits); at $s = 0.001$ they agree to four decimals with the constant. Maximising the ELBO over the centre of a narrow Gaussian is minimising cross-entropy plus weight decay.
#
# ## 6. A softmax at work: which fish is in the tin?
#
# Seafood fraud is common: a fillet sold as bluefin tuna may be a cheaper relative. A **DNA barcode**, a short stretch of one gene (for animals, about 650 bases of the mitochondrial COI gene), identifies the species: it varies little within a species and more between species. Identifying a read is multi-class classification: exactly one species is right, so we use a softmax, and the loss on a read is $-\ln q_{\text{true species}}$.
#
# Our sequences are **synthetic** (`xentlib.datasets.dna_barcodes`): six species in two genera (three tunas, three of the cod family), built as mutated copies of a common ancestor, so that sister species differ at only a few percent of their 250 bases and species of different genera at about a third. Each read carries 8 % random substitutions, for sequencing errors and individual variation.
#
# A linear model needs a fixed-length input, and reads are strings. The classic trick counts **k-mers**, the overlapping substrings of length $k$: a read of length $L$ has $L - k + 1$ of them, and there are $4^k$ possible ones.

# %%
# NBVAL_CHECK_OUTPUT
data, train, test = xl.datasets.barcode_data()
print(f"{len(data.reads)} reads of {len(data.reads[0])} bases; the first one ({xl.datasets.FISH[data.species[0]]}) begins {data.reads[0][:30]}...")
counts = xl.datasets.kmer_counts(data.reads[0], 2)[0]
print("its 2-mer counts:", dict(zip(xl.datasets.kmer_names(2), counts.astype(int).tolist())), f"total {counts.sum():.0f} = 250 - 2 + 1")
refs = [np.array(list(r)) for r in data.references]
print(f"bases that differ: bluefin vs yellowfin tuna {np.mean(refs[0] != refs[1]):.1%},  bluefin tuna vs Atlantic cod {np.mean(refs[0] != refs[3]):.1%}")

# %% [markdown]
# A `SoftmaxRegression` on the standardised k-mer frequencies of 120 training reads learns one weight per k-mer and species. **Try it.** Step through the 120 held-out reads (20 per species, in the order of the species axis) and change $k$. Where the classifier is unsure, which species share the probability? What happens to the held-out loss as $k$ grows?

# %%
figures.barcode_classifier()

# %%
# NBVAL_CHECK_OUTPUT
for k in (1, 2, 3, 4):
    m = experiments.barcode_model(k)
    print(f"k = {k} ({4 ** k:3d} features):  train CE {m.train_loss:.3f}   held-out CE {m.test_loss:.3f}   held-out accuracy {m.test_accuracy:.1%}")
print(f"guessing uniformly: ln 6 = {math.log(6):.3f} nats")

# %% [markdown]
# Base composition alone ($k = 1$: how many A, C, G, T) already beats guessing, but barely: 45.8 % accuracy. Longer k-mers capture the order of the bases, and with $k = 4$ the held-out loss falls to 0.075 nats. The gap between training and held-out loss (0.007 against 0.075 at $k = 4$, with 256 features and only 120 reads) is the same overfitting as in section 5, held in check here by a small weight decay. When the model hesitates, it hesitates between sister species of one genus, which is what a biologist would expect: the softmax spreads its probability over the species the read is genuinely ambiguous between.
#
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("08.mle")

# %%
lowest_loss = None  # your answer: a number (nats per flip)
exercises.check("08.mle", lowest_loss)

# %%
exercises.ask("08.mi_gap")

# %%
gap = None  # your answer: a number (nats)
exercises.check("08.mi_gap", gap)

# %%
exercises.ask("08.independent_loss")

# %%
best_independent_loss = None  # replace with: def best_independent_loss(joint): return ...
exercises.check("08.independent_loss", best_independent_loss)

# %%
exercises.ask("08.prior_variance")

# %%
prior_variance = None  # your answer: a number
exercises.check("08.prior_variance", prior_variance)

# %% [markdown]
# ## Summary
#
# - The mean cross-entropy of a data set is $-\log(\text{likelihood})/N$: training with cross-entropy is maximum likelihood. For one shared distribution the maximum-likelihood answer is the observed frequencies and the lowest loss is their entropy; it can beat the true distribution on the sample it was fitted to.
# - KL is not symmetric. Minimising $D_{\mathrm{KL}}(p\,\|\,q)$ (what maximum likelihood does) covers all of $p$: for a Gaussian, moment matching. Minimising $D_{\mathrm{KL}}(q\,\|\,p)$ picks one well-separated mode. Jensen–Shannon is symmetric and never more than $\ln 2$, even where KL is infinite.
# - Exclusive classes call for a softmax; several tags per example for independent sigmoids. Independent heads learn each label's marginal probability correctly, but their joint belief is the product of the marginals.
# - With correlated labels, independent heads' best loss exceeds a joint softmax's by exactly the mutual information, $H(Y_1) + H(Y_2) - H(Y_1, Y_2) = I(Y_1; Y_2)$; trained models reproduce it on their training pairs.
# - Cross-entropy + $\tfrac{\lambda}{2}\lVert w\rVert^2$ is MAP estimation under $w \sim \mathcal N(0, \sigma^2 I)$ with $\lambda = 1/(N\sigma^2)$. A wider prior allows larger weights; the best held-out loss needs a prior neither too narrow nor too wide. In the ELBO, the L2 term is the centre's part of the KL to the prior.
# - Identifying a species from a DNA read is a softmax problem; k-mer counts make reads into features, and the per-read loss $-\ln q_{\text{true}}$ shows where the model is unsure: between sister species.
#
# **Previous:** [07 · Perplexity](07_lm_perplexity.ipynb). **Next:** [09 · Soft targets](09_soft_targets.ipynb) trains on probability vectors instead of one-hot labels: several annotators, label smoothing and distillation.
