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
# # 10 · Energy: knowing what you don't know
#
# **After this notebook you will be able to**
# - explain why a softmax classifier gives confident answers on inputs unlike anything it was trained on, and why a model whose logits grow with distance gets *more* confident the further away the input is;
# - compute two out-of-distribution scores from the logits, the energy $E(x) = -T\log\sum_k e^{z_k/T}$ and the NLL of the predicted class, and say which part of the logits each one reads;
# - turn a score into a detector with a threshold, read its ROC curve, and interpret AUROC and the false-positive rate at 95 % true-positive rate;
# - explain why cross-entropy cannot train the energy, and what the energy-margin loss adds;
# - use a Jensen-Shannon penalty between neighbouring predictions to turn fragmented per-position predictions into contiguous segments, and choose the penalty's weight.
#
# **Prerequisites:** cross-entropy and KL divergence ([01](01_surprise.ipynb)); softmax, logits as negative energies and temperature ([02](02_gradients.ipynb)); the Jensen-Shannon divergence ([08](08_information.ipynb)). **Time:** about 45 minutes.
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
import numpy as np

import xentlib as xl
from xentlib import ood
from xentlib.lessons.energy_ood import exercises, experiments, figures

# %% [markdown]
# ## 1. The softmax is forced to choose
#
# Our classifier knows three classes, A, B and C: three Gaussian blobs in the plane, centred 2.5 units from the origin. It is softmax regression, trained by cross-entropy, on the features $[x_1,\ x_2,\ \lVert x\rVert^2/10]$ (why the third feature is there will matter in section 4; for now it is just a slightly richer linear model). It learns the task almost perfectly:

# %%
# NBVAL_CHECK_OUTPUT
exp = experiments.experiment()
plain = exp.models["plain"]
print(f"training accuracy {plain.accuracy(xl.datasets.radial_features(exp.X_train), exp.y_train):.1%}, "
      f"test accuracy {plain.accuracy(xl.datasets.radial_features(exp.X_test_in), exp.y_test_in):.1%}")

# %% [markdown]
# Now show it something it has never seen: walk away from the data along a straight line (the direction 45°) and ask the model, at each distance, how sure it is. Its answer is the **maximum softmax probability** (MSP), $\max_k p_k$.

# %%
# NBVAL_CHECK_OUTPUT
for distance in (0.0, 2.5, 5.0, 10.0, 20.0):
    z = exp.logits(xl.datasets.ray(45.0, [distance]))
    p = xl.softmax(z)[0]
    print(f"distance {distance:4.1f}:  P(A, B, C) = {p[0]:.3f}, {p[1]:.3f}, {p[2]:.3f}   max-softmax {p.max():.4f}")

# %% [markdown]
# At the centre, between the three classes, the model hesitates (0.4294). At distance 10, four times further out than any class centre and in a region with no training data at all, it is certain: max-softmax 1.0000.
#
# This is not a bug in the training; it is what the softmax does. The probabilities must sum to one, so the model can never answer "none of these". And the logits of a linear model grow with distance: along a ray $x = t\,u$ they are $z_k(t) \approx t\, (w_k^\top u) + b_k$, so the *gaps* between the logits grow in proportion to $t$, and the softmax turns a growing gap into a probability that tends to 1. Hein et al. (2019) showed that ReLU networks, which are piecewise linear, behave the same way: scale almost any input up far enough and the network becomes certain of one class.
#
# **Try it.** Walk the probe (the star) outwards and turn it in other directions. Is there any direction in which the classifier becomes *less* sure as you leave the data? The blue band shows where 95 % of the real test inputs lie. Leave the model on "plain cross-entropy" for now and watch the lower panel too: we look at the energy next.

# %%
figures.forced_to_choose()

# %% [markdown]
# ## 2. Two scores from the same logits: energy and NLL
#
# Confidence is not the only thing we can read from the logits. Notebook 02 interpreted logits as negative energies, $z_k = -E_k$, and the softmax as a Gibbs distribution, $p_k = e^{z_k}/Z(x)$ with the normaliser $Z(x) = \sum_k e^{z_k}$. The **energy** of the input is the free energy of that system,
#
# $$ E(x) = -T \log \sum_k e^{z_k(x)/T} = -T\,\mathrm{LSE}(z/T), $$
#
# the negative log of the softmax's denominator (we use $T = 1$). It is low when some logit is large, when the model has strong evidence for *something*, and high when every logit is small. Liu et al. (2020) proposed it as an out-of-distribution (OOD) score: flag inputs with high energy.
#
# The second score is a **negative log-likelihood**. At test time there is no label, but we can ask what cross-entropy the model would pay if its own guess were right: $-\log \max_k p_k$. It is low for confident predictions and high for hesitant ones; since it is a decreasing function of the MSP it ranks inputs exactly as the MSP does.
#
# The two are tied together. Since $\log p_k = z_k - \mathrm{LSE}(z)$,
#
# $$ \log \max_k p_k = \max_k z_k + E(x) \qquad (T = 1): $$
#
# the MSP is the energy with the size of the top logit added back, so it measures only how far the top logit stands above the others.

# %%
# NBVAL_CHECK_OUTPUT
z_test = exp.logits(exp.X_test_in)
identity_gap = np.abs(np.log(ood.max_softmax(z_test)) - (z_test.max(axis=1) + xl.energy_score(z_test)))
print(f"largest |log max p - (max z + E)| over {len(z_test)} test inputs: {identity_gap.max():.1e}")

# %% [markdown]
# ### The energy's blind spot: cross-entropy never sees it
#
# Add the same number $c$ to every logit of an input. The softmax does not change, so the cross-entropy does not change, but the energy drops by exactly $c$:
#
# $$ E(z + c) = -\log \sum_k e^{z_k + c} = E(z) - c . $$
#
# Since $c$ may be a different number for each input, one function $c(x)$ can be added to all logits of a model without changing its cross-entropy on any example. Training by cross-entropy therefore leaves the energy undetermined: whatever energy a plain classifier ends up with is a by-product of its architecture and its starting point, not something it was taught.

# %%
# NBVAL_CHECK_OUTPUT
z_train = exp.logits(exp.X_train)
print(f"cross-entropy: {xl.softmax_cross_entropy(z_train, exp.y_train):.6f} nats; "
      f"with every logit + 5: {xl.softmax_cross_entropy(z_train + 5, exp.y_train):.6f} nats")
print(f"mean energy:   {xl.energy_score(z_train).mean():.4f} nats;  with every logit + 5: "
      f"{xl.energy_score(z_train + 5).mean():.4f} nats")

# %% [markdown]
# For our classifier, the by-product is bad. Along the same ray as before the energy *falls* as the probe walks away: a far-away input looks more familiar than the training data.

# %%
# NBVAL_CHECK_OUTPUT
for distance in (0.0, 2.5, 5.0, 10.0, 20.0):
    energy = exp.scores(xl.datasets.ray(45.0, [distance]), "plain", "energy")[0]
    print(f"distance {distance:4.1f}:  energy {energy:7.2f} nats")

# %% [markdown]
# The energy has a second reading. If we define a density over inputs by $p(x) \propto e^{-E(x)} = \sum_k e^{z_k(x)}$, the energy is the **negative log-likelihood of the input** (up to a constant), while $-\log\max_k p_k$ is the negative log-likelihood of the *label*. The plain model's "density" grows without bound as $x$ moves away, so it is not a density at all: nothing in the training asked it to be.
#
# ## 3. From a score to a detector: threshold, ROC and AUROC
#
# A score becomes a detector with a threshold $\tau$: flag an input as out-of-distribution when its score is at least $\tau$. Two numbers describe the result:
#
# - the **true-positive rate** (TPR), the share of OOD inputs that are flagged, and
# - the **false-positive rate** (FPR), the share of in-distribution inputs that are flagged by mistake.
#
# Lowering $\tau$ flags more of both. The **ROC curve** traces (FPR, TPR) over every threshold, from (0, 0) (flag nothing) to (1, 1) (flag everything). Its area, **AUROC**, has a simple meaning: the probability that a random OOD input scores higher than a random in-distribution input, with ties counting one half. A perfect score has AUROC 1, a coin 0.5. A practical companion is the **FPR at 95 % TPR** (FPR95): to catch 95 % of the outliers, what share of normal inputs must you also reject?
#
# Our test sets are 600 new inputs from the three classes and 600 far-away inputs, spread evenly between radius 5 and 10. For the plain model:

# %%
# NBVAL_CHECK_OUTPUT
for method in ood.OOD_SCORES:
    s_in, s_out = exp.test_scores("plain", method)
    print(f"{method:>6}:  AUROC {ood.auroc(s_in, s_out):.4f}   FPR95 {ood.fpr_at_tpr(s_in, s_out):.4f}")

# %% [markdown]
# All three scores are worse than a coin. The MSP and the NLL have the same AUROC (0.2540), as they must, since they rank the inputs identically; the far-away inputs are *more* confident than the real ones. The energy is worse still, 0.0064: it ranks almost every far-away input as more familiar than almost every real one.
#
# Why not just flip the energy's sign? Then the AUROC on this test set would be $1 - 0.0064$, but the flipped score flags the inputs with the *lowest* energy, and the lowest energies are at the far edges of the plane. The input with the highest energy of all sits at the centre, between the classes, where the plain model hesitates; the flipped score would call it the most normal input there is. A score fitted to one kind of outlier fails on the next.
#
# **Try it.** Move the threshold. The grey region is what gets flagged; the yellow dot is the threshold's point on the ROC curve. Can you find any threshold that flags most of the far-away inputs without flagging most of the real ones? (Then switch the model, after reading section 4.)

# %%
figures.threshold_roc()

# %% [markdown]
# ## 4. Training the energy: the energy-margin loss
#
# If cross-entropy leaves the energy free, we can train it with a second loss. Liu et al. (2020) fine-tune a classifier on
#
# $$ J = \mathrm{CE} + \lambda\, L_{\text{energy}},\qquad
# L_{\text{energy}} = \frac{1}{n_{\text{in}}}\sum_{i \in \text{in}} \max\big(0,\ E(x_i) - m_{\text{in}}\big)^2 + \frac{1}{n_{\text{out}}}\sum_{j \in \text{out}} \max\big(0,\ m_{\text{out}} - E(x_j)\big)^2 , $$
#
# two squared hinges: the training inputs should have energy at most $m_{\text{in}}$, and a set of **auxiliary outliers** (inputs known not to belong to any class) energy at least $m_{\text{out}}$. With $\partial E/\partial z = -\operatorname{softmax}(z)$ the gradient is
#
# $$ \frac{\partial L_{\text{energy}}}{\partial z_i} = -\frac{2}{n_{\text{in}}}\max(0, E_i - m_{\text{in}})\ p_i, \qquad
# \frac{\partial L_{\text{energy}}}{\partial z_j} = +\frac{2}{n_{\text{out}}}\max(0, m_{\text{out}} - E_j)\ p_j : $$
#
# a step raises *all* logits of an in-distribution input whose energy is too high, and lowers all logits of an outlier whose energy is too low, each class in proportion to its probability. That is exactly the direction, "all logits together", that cross-entropy cannot see.
#
# Here the outliers are 300 points on a thin ring just outside the classes ($4 \le \lVert x \rVert \le 5$), $m_{\text{in}} = -7$, $m_{\text{out}} = -2$ nats and $\lambda = 0.1$, as in the paper. Starting from the plain model, 300 steps of gradient descent:

# %%
# NBVAL_CHECK_OUTPUT
h = exp.margin_history
print(f"cross-entropy   {h.ce[0]:.4f} -> {h.ce[-1]:.4f} nats")
print(f"in-margin term  {h.margin_in[0]:.2f} -> {h.margin_in[-1]:.2f}")
print(f"out-margin term {h.margin_out[0]:.2f} -> {h.margin_out[-1]:.2f}")
print(f"accuracy        {h.accuracy[0]:.1%} -> {h.accuracy[-1]:.1%}")

# %% [markdown]
# The classification barely moves, while the outliers' energy term falls from 43.98 to 1.39. The weights on the feature $\lVert x \rVert^2/10$, which cross-entropy had left near zero, all become strongly negative, so every logit now falls far from the data and the energy rises in every direction:

# %%
# NBVAL_CHECK_OUTPUT
for name in ("plain", "margin"):
    weights = exp.models[name].W[2]  # row 2: the weights of the feature |x|^2/10 in the three logits
    print(f"{name:>6} model, weights on |x|^2/10:  {weights[0]:+.3f}  {weights[1]:+.3f}  {weights[2]:+.3f}")

# %% [markdown]
# This is why the model has the feature $\lVert x\rVert^2$. With logits linear in $x$ no training can raise the energy in every direction: a linear function that falls in one direction rises in the opposite one. The loss can only shape the energy into a form the model can express.
#
# **Try it.** Replay the fine-tuning. The left map shows the energy over the plane: dark is familiar, yellow is suspicious. Watch the valleys around the classes stay while the rest of the plane rises. How many steps does the energy's AUROC need to pass 0.5? And what does the max-softmax AUROC do meanwhile?

# %%
figures.margin_training()

# %%
# NBVAL_CHECK_OUTPUT
for method in ood.OOD_SCORES:
    s_in, s_out = exp.test_scores("margin", method)
    print(f"{method:>6}:  AUROC {ood.auroc(s_in, s_out):.4f}   FPR95 {ood.fpr_at_tpr(s_in, s_out):.4f}")

# %% [markdown]
# The energy now separates the test sets perfectly (AUROC 1.0000, FPR95 0.0000), although the test outliers lie up to twice as far out as any outlier seen in training. The max-softmax score has not improved at all (0.2528): the energy-margin loss changes the logits mostly in the direction the softmax ignores, so the classifier is just as overconfident as before. Go back to the first figure and switch it to "+ energy margin": the max-softmax still climbs to 1, but the energy now climbs too. Switch the threshold figure of section 3 as well: the two histograms no longer overlap, and a threshold in the narrow gap between them, say $-3$ nats, catches every far-away input and no real one.
#
# Three caveats keep this honest.
#
# - **It needs outliers.** The loss only knows about the inputs you show it as "out". Here a ring around the data, together with the $\lVert x\rVert^2$ feature, was enough to generalise outwards. In real applications the auxiliary outliers are a large, varied data set, and outliers unlike all of them can still slip through.
# - **It needs a model that can express it.** The energy can only be shaped into functions the model can represent (the linear-model argument above).
# - **It is a second signal, not a humbler classifier.** The predicted probabilities are as confident as ever; the detector is the energy with a threshold.
#
# (Liu et al. also found that on real image classifiers the energy beats the MSP even *without* fine-tuning. In our toy model it does not, which is a reminder that an untrained energy is an accident of the architecture: sometimes a helpful one, not a guarantee.)
#
# ## 5. Smooth segments: a Jensen-Shannon penalty between neighbours
#
# Cross-entropy can be extended with terms that encode what we know about the answer. A protein is a chain of amino-acid residues, and each residue sits in one of three **secondary-structure** states: helix (H), sheet strand (E) or coil (C). The states come in runs: a helix typically spans ten or more consecutive residues, a strand around five. A predictor trained with a per-residue cross-entropy judges each residue largely on its own, and its predictions come out fragmented: a helix broken by stray one-residue strands and coils that no real protein has.
#
# Our toy protein has 120 residues with segments of realistic lengths; the "predictor" gives each residue the logits $1.5\cdot\mathrm{onehot}(\text{true state}) + $ Gaussian noise, independently along the chain. Compare the true track (first line) with the per-residue argmax (second line):

# %%
# NBVAL_CHECK_OUTPUT
protein = experiments.protein()
per_residue = protein.logits.argmax(axis=1)
print(protein.string())
print(protein.string(per_residue))
print(f"true segments {xl.segments.count_segments(protein.labels)}, predicted segments {xl.segments.count_segments(per_residue)}, "
      f"accuracy {np.mean(per_residue == protein.labels):.1%}")

# %% [markdown]
# Three residues in four are right, but the 15 true segments have become 58 pieces.
#
# The fix is a penalty on disagreement between neighbours. With $p_t = \operatorname{softmax}(z_t)$ the predicted distribution at residue $t$,
#
# $$ S(Z) = \sum_{t=1}^{L-1} \mathrm{JS}(p_t, p_{t+1}),\qquad \mathrm{JS}(p, q) = \tfrac12 \mathrm{KL}(p\,\|\,m) + \tfrac12 \mathrm{KL}(q\,\|\,m),\quad m = \tfrac12(p + q). $$
#
# Why Jensen-Shannon and not KL? JS is symmetric (neither neighbour is "the truth"), and it is bounded: a boundary between two neighbours that are certain of different states costs at most $\ln 2 \approx 0.693$ nats, whereas KL between them would be infinite. So the penalty makes *many* changes of state expensive without forbidding the few real ones. Its gradient has a short closed form: $\partial\,\mathrm{JS}(p, q)/\partial p_k = \tfrac12 \log(p_k/m_k)$, passed back through the softmax (`xl.segments.js_smoothness_grad`, checked against finite differences in the tests).

# %%
# NBVAL_CHECK_OUTPUT
print(f"one sharp boundary: {xl.segments.js_smoothness([[20.0, 0.0, 0.0], [0.0, 0.0, 20.0]]):.4f} nats;  ln 2 = {np.log(2):.4f}")
print(f"penalty of the per-residue predictions: {xl.segments.js_smoothness(protein.logits):.2f} nats")

# %% [markdown]
# In training, the penalty is added to the per-residue cross-entropy on the true labels, and the network learns to produce smooth tracks. To see what the penalty does without a network, we apply it to the predictions themselves: starting from the predictor's logits, gradient descent minimises
#
# $$ J(Z) = \sum_t H\big(q_t, \operatorname{softmax}(z_t)\big) + \lambda\, S(Z), $$
#
# where $q_t$ is the predictor's distribution at residue $t$. The first term keeps each residue close to what the predictor said, the second charges for every change between neighbours, and $\lambda$ sets the exchange rate.
#
# **Try it.** Raise the penalty weight. At which $\lambda$ do the stray fragments disappear? What happens to the short coil loop between the first two helices when $\lambda$ is very large, and what does that do to the accuracy?

# %%
figures.segment_smoothing()

# %%
# NBVAL_CHECK_OUTPUT
print(" lambda  segments  accuracy  JS penalty")
for lam in (0.0, 2.0, 8.0, 20.0):
    segments, accuracy, penalty = experiments.smoothing_table(lam)
    print(f"{lam:7.1f}  {segments:8d}  {accuracy:8.1%}  {penalty:7.2f} nats")

# %% [markdown]
# Without the penalty the track has 58 segments and 74.2 % accuracy. At $\lambda = 8$ it has 15 segments, as many as the truth, and the accuracy rises to 92.5 %: isolated mistakes are outvoted by their neighbours. Push further and the penalty starts to erase real segments: at $\lambda = 20$ the four-residue coil loop between the first two helices is gone, the two helices merge into one (13 segments), and the accuracy falls back to 90.8 %. Like every regulariser, the weight trades one error (fragments) against another (missed short segments), and it is chosen on held-out data.
#
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("10.energy")

# %%
energy = None  # your answer: a number, in nats
exercises.check("10.energy", energy)

# %%
exercises.ask("10.shift")

# %%
energy_change = None  # your answer: a number, in nats
exercises.check("10.shift", energy_change)

# %%
exercises.ask("10.auroc")

# %%
my_auroc = None  # replace with: def my_auroc(scores_in, scores_out): ...
exercises.check("10.auroc", my_auroc)

# %%
exercises.ask("10.js_pair")

# %%
js_pair = None  # your answer: a number, in nats
exercises.check("10.js_pair", js_pair)

# %% [markdown]
# ## Summary
#
# - A softmax must spread all its probability over the classes it knows, so it cannot say "none of these". When the logits grow with distance, as for linear models and ReLU networks, inputs far from the training data get near-certain answers: here max-softmax 1.0000 at four times the classes' distance.
# - The energy $E(x) = -T\log\sum_k e^{z_k/T}$ is the negative log of the softmax's denominator, and $-\log\max_k p_k$ is the NLL of the model's own guess; at $T = 1$, $\log\max_k p_k = \max_k z_k + E(x)$. Both are OOD scores: flag inputs above a threshold.
# - Adding $c(x)$ to every logit leaves the softmax and the cross-entropy unchanged and shifts the energy by $-c(x)$: cross-entropy never trains the energy. The plain model's energy fell with distance, AUROC 0.0064; its MSP scored 0.2540.
# - A threshold gives a TPR and an FPR; the ROC curve traces all thresholds; AUROC is the chance that an outlier outscores a normal input (ties one half); FPR95 is the false alarm rate when 95 % of outliers are caught.
# - The energy-margin loss adds squared hinges that push in-distribution energies below $m_{\text{in}}$ and auxiliary outliers' energies above $m_{\text{out}}$. Fine-tuning reached energy AUROC 1.0000 with unchanged accuracy, while the MSP stayed at 0.2528. It needs outliers to learn from and a model that can express a rising energy.
# - A Jensen-Shannon penalty between neighbouring predicted distributions, bounded by $\ln 2$ per boundary, turns fragmented per-residue predictions into contiguous segments: 58 pieces became 15 at $\lambda = 8$, with accuracy 74.2 % → 92.5 %; too large a weight erases real short segments.
#
# **Previous:** [09 · Soft targets](09_soft_targets.ipynb). This is the last notebook of the collection: from the surprise $-\log p$ of notebook 01 to a loss that teaches a model where its knowledge ends.
