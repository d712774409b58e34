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
# # 09 · Soft targets: learning from distributions instead of labels
#
# **After this notebook you will be able to**
# - turn several annotators' votes into a soft label, and explain why a model trained on the vote fractions gets closer to the truth than one trained on the majority vote;
# - compute the logits that label smoothing aims for, $\ln\!\big(1 + K(1-\varepsilon)/\varepsilon\big)$, and the loss floor it sets, and say how that curbs over-confidence;
# - explain knowledge distillation: what a temperature reveals in a teacher's probabilities ("dark knowledge"), why the loss carries a factor $T^2$, and why a student learns more from soft targets than from labels;
# - describe mixup, show that the cross-entropy-optimal prediction for a random target is its mean, and read mixup's effect on the decision boundary and on calibration;
# - explain why a policy cloned with a tiny per-step cross-entropy can still drift off course, and quote the $O(\varepsilon H)$ and $O(\varepsilon H^2)$ bounds.
#
# **Prerequisites:** cross-entropy, entropy and KL divergence ([01](01_surprise.ipynb)); softmax, its gradient $p - y$ and temperature ([02](02_gradients.ipynb)); soft labels in the two-class case ([03](03_mse_vs_ce.ipynb)); reliability diagrams and ECE ([05](05_calibration.ipynb)). **Time:** about 50 minutes.
#
# Every model below is trained by tested code in `xentlib` (the studies in `xentlib.lessons.soft_targets.experiments` train each one once and cache it); every number quoted in the text is printed by a cell that the test suite re-runs and compares.

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
from xentlib import soft_targets as st
from xentlib.lessons.soft_targets import exercises, experiments, figures

# %% [markdown]
# ## 1. Cross-entropy never needed a one-hot target
#
# The loss $H(t, q) = -\sum_k t_k \ln q_k$ compares two distributions. Classification usually plugs in a one-hot $t$, which collapses the sum to $-\ln q_y$, but nothing in the formula asks for that. Any distribution works, and everything from notebook 01 still holds:
#
# $$ H(t, q) = H(t) + D_{\mathrm{KL}}(t\,\|\,q) \;\ge\; H(t), $$
#
# with equality exactly when $q = t$. So against a soft target the best prediction is the target itself, and the lowest reachable loss is not 0 but the target's entropy. With a softmax output the gradient keeps its familiar form, $\partial H/\partial z = q - t$: it vanishes when the prediction matches the target, whatever the target is.

# %%
# NBVAL_CHECK_OUTPUT
t = np.array([0.7, 0.2, 0.1])
print(f"soft target t = {t},  H(t) = {xl.entropy(t):.4f} nats")
for name, q in (("q = t", t), ("q = [0.9, 0.05, 0.05]", np.array([0.9, 0.05, 0.05])), ("q uniform", np.full(3, 1 / 3))):
    print(f"{name:<22} H(t, q) = {xl.cross_entropy(t, q):.4f}")
print("gradient at logits log t:", np.abs(xl.softmax_cross_entropy_grad(np.log(t)[None], t[None])).round(4))

# %% [markdown]
# A more confident prediction, $[0.9, 0.05, 0.05]$, scores 0.9725 and is *worse* than the honest $q = t$ at 0.8018. Soft targets reward a model for saying exactly how unsure it should be. The rest of this notebook is about five places where soft targets come from and what they do.
#
# ## 2. Several annotators: the vote fractions are the label
#
# Hand the same example to five annotators and they may not agree: three say class 0, one says 1, one says 2. The usual pipeline keeps the majority vote and throws the disagreement away. The alternative keeps it, as a soft label:
#
# $$ t_{k} = \frac{\#\{\text{annotators who chose } k\}}{A} . $$
#
# Because cross-entropy is linear in its target, training on the vote fractions is *exactly* training on every individual vote:
#
# $$ H(t, q) = -\sum_k t_k \ln q_k = \frac1A \sum_{j=1}^{A} \big(-\ln q_{v_j}\big). $$

# %%
# NBVAL_CHECK_OUTPUT
votes = np.array([[0, 0, 1, 0, 2]])  # five annotators, one example
soft = st.vote_fractions(votes, 3)
q = np.array([[0.6, 0.3, 0.1]])  # a model's prediction
print(f"vote fractions {soft[0]},  majority vote {st.majority_vote(votes, 3)[0]}")
print(f"cross-entropy against the vote fractions:  {xl.cross_entropy(soft[0], q[0]):.4f} nats")
print(f"mean of -ln q over the five single votes:  {np.mean(-np.log(q[0, votes[0]])):.4f} nats")

# %% [markdown]
# What do we lose with the majority vote? An experiment: one input feature, two overlapping classes whose true probability is $P(y = 1 \mid x) = \sigma(2x)$, 40 training points. Each point is labelled by a panel of simulated annotators who draw their vote from the true probability, so they agree on clear points and split on ambiguous ones (`st.annotate`). For each panel size we train two logistic models (`SoftmaxRegression` with two classes): one on the vote fractions, one on the majority votes. We score each by its **excess test loss**, how many nats per example its cross-entropy on fresh data exceeds that of the true probabilities (the average KL divergence to the truth, `st.excess_cross_entropy`).
#
# **Try it.** Move the number of annotators. The dots are the training points at their vote fractions. Which fitted curve approaches the grey truth as the panel grows, and what happens to the other one?

# %%
figures.annotators()

# %%
# NBVAL_CHECK_OUTPUT
study = experiments.annotator_study()
print(f"true slope of the log-odds: {study.true_slope:.2f}")
for i, a in enumerate(study.panel_sizes):
    if a in (1, 5, 15):
        print(f"{a:>2} annotators: vote fractions slope {study.soft_logit[i, 0]:.2f}, excess {study.soft_excess[i]:.4f} nats | "
              f"majority slope {study.majority_logit[i, 0]:.2f}, excess {study.majority_excess[i]:.4f} nats")

# %% [markdown]
# With one annotator the two models are the same. With 15, the vote-fraction model's slope is 1.96 against the true 2.00, and its excess loss is 0.0007 nats. The majority-vote model goes the other way: its slope climbs to 5.38 and its excess to 0.1688 nats, worse than with a single annotator. The reason is that a large panel's majority is simply "which side of $x = 0$ is this point on". Those labels are cleaner than the world is: they say every point right of 0 is certainly class 1. A model trained on them learns a step, not a probability, and is over-confident near the boundary. More annotators make the *soft* labels better and the *hard* labels more misleading.
#
# ## 3. Label smoothing: a regulariser against over-confidence
#
# Label smoothing (notebook 03 met it with two classes) manufactures soft targets where there were none. With $K$ classes and smoothing mass $\varepsilon$, a hard label $y$ becomes
#
# $$ t = (1-\varepsilon)\, e_y + \frac{\varepsilon}{K}, $$
#
# so the true class keeps $1 - \varepsilon + \varepsilon/K$ and every other class gets $\varepsilon/K$ (PyTorch's convention, and `xl.softmax_cross_entropy(..., label_smoothing=ε)`). The best prediction is $q = t$, and since softmax probabilities are ratios of exponentials, $q_y / q_k = e^{z_y - z_k}$. That pins down the loss-minimising **logit gap** between the true class and each other class:
#
# $$ z_y - z_k = \ln\frac{1 - \varepsilon + \varepsilon/K}{\varepsilon/K} = \ln\!\Big(1 + \frac{K(1-\varepsilon)}{\varepsilon}\Big). $$
#
# With hard labels ($\varepsilon = 0$) the gap is infinite: the loss keeps falling as the logits grow, so training pushes them up for ever. That drive is where over-confidence comes from. With smoothing the target is reached at a finite gap, and the loss can go no lower than $H(t)$.

# %%
# NBVAL_CHECK_OUTPUT
for K, eps in ((2, 0.2), (10, 0.1), (1000, 0.1)):
    print(f"K = {K:>4}, eps = {eps}: target {1 - eps + eps / K:.4f}, best gap {st.smoothing_optimal_logit_gap(eps, K):.4f}, "
          f"loss floor {st.smoothing_loss_floor(eps, K):.4f} nats")
print(f"ln 9 = {math.log(9):.4f}")

# %% [markdown]
# Two classes with $\varepsilon = 0.2$ give the target 0.9 and the gap $\ln 9 = 2.1972$ of notebook 03. The gap grows only logarithmically with $K$: 4.5109 for ten classes, 9.1051 for a thousand. Check by brute force that the smoothed loss of a two-class example is lowest at a gap of $\ln 9$ and rises on either side:

# %%
# NBVAL_CHECK_OUTPUT
for gap in (math.log(9) - 0.5, math.log(9), math.log(9) + 0.5, 10.0):
    print(f"logit gap {gap:6.3f}: smoothed loss {xl.softmax_cross_entropy([[gap, 0.0]], [0], label_smoothing=0.2):.4f} nats")

# %% [markdown]
# Does this help a real model? Our test bed for the next two sections is small and noisy on purpose: 30 points from two overlapping Gaussian classes (the true boundary is the line $x_1 = 0$), and a flexible model, softmax regression on all cubic features of $(x_1, x_2)$, whose boundary can bend around individual noisy points. Each model is scored on 4000 fresh points.
#
# **Try it.** Slide $\varepsilon$. Left: the model's probability of class 1. Middle: each training point's logit gap $z_y - z_{\text{other}}$, and the optimum (red line). Right: the reliability diagram on the test points; a calibrated model lies on the diagonal, an over-confident one below it. What happens to the gaps at $\varepsilon = 0$? Where do they settle for $\varepsilon > 0$?

# %%
figures.label_smoothing()

# %%
# NBVAL_CHECK_OUTPUT
fits = experiments.smoothing_study()
for i, eps in enumerate(fits.settings):
    if eps in (0.0, 0.1, 0.3):
        print(f"eps = {eps:.1f}: median training gap {np.median(fits.train_gaps[i]):.2f} (optimum {st.smoothing_optimal_logit_gap(eps, 2):.2f}); "
              f"test loss {fits.test_nll[i]:.3f} nats, ECE {fits.test_ece[i]:.3f}, accuracy {fits.test_accuracy[i]:.1%}")

# %% [markdown]
# Without smoothing the median training gap is already 4.60 after 100 steps and still growing; the model is sure of points it cannot be sure of, and on fresh data its expected calibration error is 0.136. With $\varepsilon = 0.1$ the gaps gather around the optimum 2.94, the test loss drops from 0.679 to 0.566 nats and the ECE to 0.091; with $\varepsilon = 0.3$ the ECE is 0.016. The accuracy hardly moves: label smoothing changes how sure the model is, not which side it picks. It is a regulariser aimed squarely at over-confidence, and it has a cost: a smoothed model can never say more than $1 - \varepsilon + \varepsilon/K$, even where it should.
#
# ## 4. Knowledge distillation: learning from a teacher's probabilities
#
# A large, accurate **teacher** model is expensive to run. Distillation trains a small **student** to imitate it, using the teacher's predicted probabilities as soft targets (Hinton, Vinyals and Dean, 2015). Our toy world has five classes arranged on a ring: each class is easily mistaken for its two neighbours and rarely for the classes across the ring. The teacher is a softmax regression trained on 2000 labelled points.
#
# ### 4.1 Temperature makes the dark knowledge visible
#
# For a typical point of class 0 the teacher says "class 0" with probability 0.96. The remaining 0.04 is not noise: it ranks the wrong answers, and it puts more on the neighbours 1 and 4 than on 2 and 3. Hinton called this **dark knowledge**: what the teacher knows about which mistakes are reasonable. At $T = 1$ it is too small to matter in a cross-entropy. Dividing the logits by a temperature $T > 1$ before the softmax,
#
# $$ q_k(T) = \frac{e^{z_k/T}}{\sum_j e^{z_j/T}}, $$
#
# keeps the order of the classes but shrinks every log-ratio $\ln(q_i/q_k) = (z_i - z_k)/T$, so the small probabilities grow and the structure becomes visible.
#
# **Try it.** Raise the temperature and watch the bars (dashed outlines: $T = 1$). At which temperature do the neighbours of class 0 clearly stand out from the far classes? Switch to "a 0 that looks like a 1": what does the teacher know about that input that its label "0" does not say? Leave the right panel for section 4.2.

# %%
figures.dark_knowledge()

# %%
# NBVAL_CHECK_OUTPUT
teacher = experiments.ring_teacher()
z = teacher.logits([[2.6, 0.0]])  # the input "a clear class 0"
for T in (1, 2, 4, 8):
    print(f"T = {T}: teacher's probabilities {xl.softmax(z, temperature=T)[0].round(3)}")

# %% [markdown]
# At $T = 4$ the far classes 2 and 3 get 0.032 and 0.038, the neighbours 1 and 4 get 0.178 and 0.22: a student that matches these numbers learns the geometry of the ring, not just the answer.
#
# ### 4.2 Why the loss is multiplied by $T^2$
#
# The student's logits $s$ are softened with the same $T$ and compared with the teacher's by a KL divergence. With $q_s = \operatorname{softmax}(s/T)$ and $q_t = \operatorname{softmax}(t/T)$,
#
# $$ \frac{\partial}{\partial s}\, D_{\mathrm{KL}}(q_t \,\|\, q_s) = \frac{1}{T}\,(q_s - q_t). $$
#
# One factor $1/T$ comes from the chain rule through $s/T$. A second hides in $q_s - q_t$: at high temperature both distributions are close to uniform, and expanding $e^{z/T} \approx 1 + z/T$ gives
#
# $$ q_s - q_t \approx \frac{(s - \bar s) - (t - \bar t)}{K\,T}, $$
#
# where $\bar s$ is the mean of the logits. Together the gradient shrinks like $1/T^2$. In practice the distillation term is added to an ordinary cross-entropy on the labels, and without a correction raising $T$ would quietly turn the soft targets off. Multiplying the KL by $T^2$ (as `xl.distillation_loss` does) cancels both factors. The corrected gradient $T(q_s - q_t)$ tends to $\big((s - \bar s) - (t - \bar t)\big)/K$: at high temperature distillation becomes squared-error matching of the centred logits.
#
# The right panel of the figure above shows the mean gradient size for a fresh student (all logits 0) against the teacher's logits on 200 points. The numbers:

# %%
# NBVAL_CHECK_OUTPUT
X_transfer, _ = xl.datasets.ring_classes(200, seed=2)
norms = st.distillation_gradient_norms(np.zeros((200, 5)), teacher.logits(X_transfer), [1, 2, 4, 8, 16])
for T, plain, scaled in zip(norms.temperature, norms.plain, norms.scaled):
    print(f"T = {T:>4.0f}: |gradient| of KL alone {plain:.4f},  of T^2 * KL {scaled:.4f}")
print(f"T -> infinity limit of the T^2-scaled gradient (logit matching): {norms.limit:.4f}")

# %% [markdown]
# From $T = 4$ to $T = 16$ the gradient of the bare KL falls from 0.0908 to 0.0067, a factor of about 14, approaching $4^2 = 16$; the $T^2$-scaled gradient only creeps from 1.4528 towards its limit 1.7519. Whatever temperature you choose, the soft targets keep the same say in training.
#
# ### 4.3 A student on soft targets against a student on labels
#
# Now the payoff. Take a **transfer set** of $n$ unseen examples and train a student (`xl.models.DistilledSoftmaxRegression`, a softmax regression that minimises $\alpha\,T^2\,\mathrm{KL} + (1-\alpha)\,\mathrm{CE}$) either on their hard labels ($\alpha = 0$) or on the teacher's soft targets at $T = 4$ ($\alpha = 1$).
#
# **Try it.** Start with 5 examples, one per class. Compare the student trained on labels with the one trained on soft targets. How many labelled examples does the label-trained student need to catch up?

# %%
figures.student()

# %%
# NBVAL_CHECK_OUTPUT
distil = experiments.distillation_study()
print(f"teacher: test accuracy {distil.teacher_accuracy:.1%}, test loss {distil.teacher_nll:.3f} nats")
for name, acc, nll in zip(distil.targets, distil.accuracy, distil.nll):
    print(f"student on {name:<16}: " + ",  ".join(f"n = {n}: {a:.1%} ({l:.3f} nats)" for n, a, l in zip(distil.sizes, acc, nll)))

# %% [markdown]
# With five examples the label-trained student reaches 73.2 % and a test loss of 0.737 nats; the distilled student reaches 81.0 % and 0.482 nats, as good as the teacher. Each soft target is a whole probability vector, four free numbers instead of one class index, so five of them pin down this student almost completely. Even at $n = 50$ the label-trained student is still behind, at 78.5 %. In this toy problem the student has the same form as the teacher, so it can copy it exactly; with a smaller student, the temperature also decides *which* parts of the teacher's knowledge it spends its capacity on.
#
# ## 5. Mixup: training on blends of examples
#
# Mixup (Zhang et al., 2018) makes soft targets from hard ones by blending pairs of training examples, inputs and labels alike:
#
# $$ \lambda \sim \mathrm{Beta}(\alpha, \alpha), \qquad \tilde x = \lambda x_i + (1-\lambda)\, x_j, \qquad \tilde y = \lambda y_i + (1-\lambda)\, y_j . $$
#
# Small $\alpha$ keeps most $\lambda$ near 0 or 1 (barely mixed); $\alpha = 1$ draws $\lambda$ uniformly; large $\alpha$ concentrates it at ½. The model is trained by cross-entropy on $(\tilde x, \tilde y)$. Here are a few rows of one mixup batch of our 30 points (`st.mixup`): a row mixing two examples of the same class keeps a hard label, a row mixing different classes gets a soft one.

# %%
# NBVAL_CHECK_OUTPUT
problem = experiments.blob_problem()
batch = st.mixup(problem.X, problem.y, alpha=0.4, seed=4, n_classes=2)
for i in range(4):
    print(f"example {i:>2} (class {problem.y[i]}) + example {batch.partner[i]:>2} (class {problem.y[batch.partner[i]]}), "
          f"lambda = {batch.lam[i]:.3f}:  mixed label {batch.Y[i].round(3)}")

# %% [markdown]
# ### The optimum of mixup is the expected mixed label
#
# Many different pairs and weights can produce (nearly) the same mixed input $\tilde x$, each with its own mixed label. A model sees only $\tilde x$, so what should it predict there? Cross-entropy is linear in the target, so the expected loss of a prediction $q$ is the cross-entropy against the *average* target:
#
# $$ \mathbb E\big[H(\tilde y, q)\big] = H\big(\mathbb E[\tilde y],\, q\big), $$
#
# which, by section 1, is smallest at $q = \mathbb E[\tilde y \mid \tilde x]$. A model trained with mixup is pulled towards the expected mixed label at every input: between two classes that is a gradual ramp, not a cliff. Check it on the mixed examples ($\alpha = 1$, ten mixup copies of the data) that landed within 0.4 of the origin: search a grid of constant predictions for the lowest average loss, without using the formula.

# %%
# NBVAL_CHECK_OUTPUT
mixed = experiments.mixup_study().mixed[list(experiments.mixup_study().settings).index(1.0)]
near = st.mixed_labels_near(mixed, [0.0, 0.0], 0.4)[:, 1]  # their mixed labels for class 1
grid = np.linspace(0.001, 0.999, 999)
losses = st.constant_prediction_losses(near, grid)
print(f"{len(near)} mixed examples near the origin, labels for class 1 from {near.min():.3f} to {near.max():.3f}")
print(f"mean mixed label {near.mean():.3f};  best constant prediction on the grid {grid[np.argmin(losses)]:.3f}")
print(f"lowest average loss {losses.min():.4f} nats = entropy of the mean label {xl.entropy([near.mean(), 1 - near.mean()]):.4f}")

# %% [markdown]
# The 23 mixed labels near the origin run from 0.220 to 1.000; the best single prediction is their mean, 0.737, and its loss is the entropy of that mean.
#
# **Try it.** Step through $\alpha$. Left: how the mixing weights $\lambda$ are spread. Middle: the trained model's probability of class 1, with 120 of the mixed inputs coloured by their mixed label. Right: the reliability diagram on fresh data (grey: no mixup). How does the boundary change shape as $\alpha$ grows? Where do the points of the reliability diagram move?

# %%
figures.mixup()

# %%
# NBVAL_CHECK_OUTPUT
mix = experiments.mixup_study()
for i, alpha in enumerate(mix.settings):
    if alpha in (0.0, 0.2, 1.0, 2.0):
        print(f"alpha = {alpha:.1f}: test loss {mix.test_nll[i]:.3f} nats, ECE {mix.test_ece[i]:.3f}, accuracy {mix.test_accuracy[i]:.1%}")

# %% [markdown]
# Without mixup (the same model as $\varepsilon = 0$ above) the test loss is 0.679 nats and the ECE 0.136. With $\alpha = 1$ the loss falls to 0.501 and the ECE to 0.043, and, unlike label smoothing, the accuracy rises too, from 76.8 % to 79.2 %. Mixup does more than soften the labels: it fills the space *between* training points with examples whose labels change gradually, so the cubic boundary no longer bends to wrap around single noisy points, and the probabilities rise smoothly across it instead of jumping.
#
# ## 6. Behavioural cloning: a small per-step cross-entropy, a large drift
#
# In **behavioural cloning** a policy learns to act by imitating an expert: each recorded state is an input, the expert's action is the label, and training minimises the cross-entropy of the policy's action probabilities. Suppose it works well, with a per-step cross-entropy of $\ell$ nats on the expert's states. If the policy gives the expert's action the probability $1 - \varepsilon$ everywhere, then $\ell = -\ln(1 - \varepsilon)$, so
#
# $$ \varepsilon = 1 - e^{-\ell} \approx \ell $$
#
# is the chance of a mistake per step (in general, by Jensen's inequality, $1 - e^{-\ell}$ bounds the chance that a sampled action differs from the expert's).
#
# The catch: the policy was trained only on states the *expert* visits. Our toy is lane keeping. The car's lateral offset moves one cell left or right per step, or stays. The expert always steers back to the centre, so it never leaves it, and its demonstrations contain a single state, "centred", with the single action "straight on". The cloned policy therefore never saw an off-centre state: after a mistake it keeps doing what it learnt, "straight on", and stays off course until another mistake happens to bring it back (`st.lane_keeping_transitions`). Compare a policy that was also shown how to recover, as the DAgger algorithm teaches by labelling the learner's own states.
#
# Counting one unit of cost for every step spent off the centre line over a horizon of $H$ steps:
#
# - if every mistake is corrected at the next step, the expected cost is about $\varepsilon H$: **linear**;
# - if a mistake is never undone, step $t$ is off course as soon as any of the first $t$ actions was a mistake, so the expected cost is $\sum_{t=1}^{H}\big[1-(1-\varepsilon)^t\big] \le \varepsilon H(H+1)/2$: **quadratic** in the horizon. This is the classic $O(\varepsilon H^2)$ bound of behavioural cloning against the $O(\varepsilon H)$ of a learner that sees its own mistakes (Ross and Bagnell, 2010).

# %%
# NBVAL_CHECK_OUTPUT
ce = 0.01
eps = st.error_probability(ce)
print(f"per-step cross-entropy {ce} nats -> mistake probability {eps:.5f}")
for H in (10, 100, 200):
    bounds = st.compounding_bounds(eps, H)
    cloned = st.lane_keeping_exact(eps, H, policy="cloned")
    recovering = st.lane_keeping_exact(eps, H, policy="recovering")
    print(f"H = {H:>3}: eps*H = {float(bounds.linear):5.2f}, eps*H(H+1)/2 = {float(bounds.quadratic):6.2f}, "
          f"never undone {float(bounds.worst_case):6.2f} | exact: cloned {cloned.cost[-1]:6.2f}, recovering {recovering.cost[-1]:5.2f} "
          f"off-centre steps; cloned off the road {cloned.off_road[-1]:.1%}")

# %% [markdown]
# A per-step cross-entropy of 0.01 nats is an excellent imitation: one mistake in about a hundred steps. Over 10 steps it barely matters (0.52 off-centre steps for the cloned policy, 0.10 for the recovering one). Over 100 steps the cloned car spends 32.93 steps off the centre line, the recovering one 1.00; over 200 steps it is 95.63 against 2.00, and 2.0 % of the cloned cars have left the road. Doubling the horizon doubles the recovering policy's cost and roughly triples the cloned one's. The per-step loss was identical; what differs is whether the policy's training data covered the states its own mistakes lead to.
#
# **Try it.** Move the horizon, then the per-step cross-entropy. On the log–log axes a line of slope 1 is linear growth and slope 2 quadratic: which policy follows which bound? How small must the per-step cross-entropy be for the cloned car to stay on the centre line for most of a 200-step drive?

# %%
figures.behavioural_cloning()

# %% [markdown]
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("09.vote_floor")

# %%
vote_floor = None  # your answer: a number, in nats
exercises.check("09.vote_floor", vote_floor)

# %%
exercises.ask("09.smoothing_gap")

# %%
smoothing_gap = None  # your answer: a number
exercises.check("09.smoothing_gap", smoothing_gap)

# %%
exercises.ask("09.distill_grad")

# %%
distill_grad = None  # replace with: def distill_grad(s, t, T): return ...
exercises.check("09.distill_grad", distill_grad)

# %%
exercises.ask("09.compounding")

# %%
compounding = None  # your answer: a number of steps
exercises.check("09.compounding", compounding)

# %% [markdown]
# ## Summary
#
# - Cross-entropy works with any target distribution $t$: its minimum is at $q = t$ with value $H(t)$, and the logit gradient is still $q - t$.
# - **Annotators.** Vote fractions are soft labels, and training on them is exactly training on every vote. With 15 annotators a model trained on vote fractions came within 0.0007 nats of the truth; one trained on majority votes became over-confident (excess 0.1688 nats), because the majority hides how ambiguous an example is.
# - **Label smoothing** with mass $\varepsilon$ over $K$ classes puts the best logit gap at $\ln(1 + K(1-\varepsilon)/\varepsilon)$ ($\ln 9$ for $K = 2$, $\varepsilon = 0.2$) instead of infinity, and the loss floor at $H(t)$. It curbed over-confidence (ECE 0.136 → 0.016) without changing the accuracy.
# - **Distillation.** A temperature $T > 1$ enlarges the teacher's small probabilities, the dark knowledge of which wrong answers are nearly right. The KL gradient shrinks like $1/T^2$, so the loss is multiplied by $T^2$; at high $T$ distillation becomes logit matching. Five soft targets taught a student as much as the teacher knew; five labels got it to 73.2 %.
# - **Mixup** trains on blends of inputs and labels. The cross-entropy-optimal prediction for a random target is its mean, so a mixup model is pulled towards the expected mixed label: a gentler boundary, better calibration (ECE 0.136 → 0.043) and here also better accuracy.
# - **Behavioural cloning.** A per-step cross-entropy $\ell$ means a mistake probability $\varepsilon = 1 - e^{-\ell}$. If mistakes are never seen in training, they compound: expected cost up to $\varepsilon H(H+1)/2 = O(\varepsilon H^2)$, against $O(\varepsilon H)$ for a learner that was shown how to recover. At $\ell = 0.01$ and $H = 200$: 95.63 off-centre steps against 2.00.
#
# **Previous:** [08 · Information](08_information.ipynb). **Next:** [10 · Energy](10_energy_ood.ipynb) asks what a softmax says about inputs unlike anything it was trained on.
