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
# # 06 · Class imbalance: when one class has 99 votes and the other has 1
#
# **After this notebook you will be able to**
# - explain why, on 99:1 data, the gradient at initialisation is almost entirely the majority's, and where plain cross-entropy then drives the model;
# - weight cross-entropy by $w_c \propto 1/\pi_c$ so that both classes have an equal say, and show that this is training on a class-balanced resample, in expectation;
# - move a trained model's decision boundary by its log prior odds (logit adjustment), and read the trade between minority recall and precision;
# - say what focal loss $-(1 - p_t)^\gamma \ln p_t$ changes and what it does not, starting from $\gamma = 0$, which is plain cross-entropy;
# - judge a rare-class model by its minority recall and precision, not by its accuracy.
#
# **Prerequisites:** cross-entropy as surprise ([01](01_surprise.ipynb)), the logit gradient $p - y$ and logistic regression ([02](02_gradients.ipynb)); calibration ([05](05_calibration.ipynb)) helps in section 5. **Time:** about 40 minutes.
#
# Every formula below is a function in `xentlib`, every model is trained by tested code, and every number quoted in the text is printed by a cell that the test suite re-runs and compares.

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
from xentlib.imbalance import (
    balanced_class_weights,
    class_gradient_contributions,
    class_priors,
    class_weighted_loss,
    focal_optimal_probability,
    precision_recall,
)
from xentlib.lessons.imbalance import exercises, experiments, figures

# %% [markdown]
# ## 1. A 99:1 problem
#
# A screening test measures one number $x$ per person. Healthy people ($y = 0$) have values around $-1.5$, sick people ($y = 1$) around $+1.5$, both with a spread of 1. Only **1 % of people are sick**. We train on 10 000 people and judge on a separate test set of 100 000.
#
# Because both classes are Gaussian with the same spread, logistic regression is exactly the right model here: by Bayes' rule the true log-odds of being sick are
#
# $$ \ln\frac{P(y=1\mid x)}{P(y=0\mid x)} = \underbrace{3x}_{\text{evidence}} + \underbrace{\ln\frac{0.01}{0.99}}_{\text{prior}} = 3x - 4.595 . $$
#
# Nothing about the model is wrong, so whatever goes wrong below is about the loss and the decision.

# %%
# NBVAL_CHECK_OUTPUT
X, y = experiments.training_data()
X_test, y_test = experiments.held_out_data()
print(f"training set: {len(y)} people, {y.sum()} sick;  test set: {len(y_test)} people, {y_test.sum()} sick")
nobody = np.zeros_like(y_test)
print(f"'nobody is sick': accuracy {np.mean(nobody == y_test):.2%}, recall {precision_recall(y_test, nobody)[1]:.2f}")
print(f"its forecast 'p = 0.01 for everyone' costs only {xl.entropy([0.99, 0.01]):.4f} nats per person")

# %% [markdown]
# A classifier that says "healthy" to everyone is 99 % accurate and finds none of the sick: its **recall**, the fraction of the real positives it flags, is 0. Even its cross-entropy looks excellent, 0.056 nats, because it is honest about the base rate. On imbalanced data, accuracy and the average loss are dominated by the majority; what we care about is the minority, measured by
#
# $$ \text{recall} = \frac{TP}{TP + FN} \quad\text{(how many of the sick are found)}, \qquad \text{precision} = \frac{TP}{TP + FP} \quad\text{(how many alarms are real)} . $$
#
# ## 2. The tug-of-war at initialisation
#
# Start where training starts: $w = 0$, $b = 0$, so $p = \tfrac12$ for everyone. Each example's gradient at the logit is $p - y$: $+\tfrac12$ for a healthy person ("lower the logit") and $-\tfrac12$ for a sick one ("raise it"). Every example pulls equally hard. But the mean loss adds up 9 900 pulls one way and 100 the other.
#
# `class_gradient_contributions` splits the gradient $\nabla_{(w,b)} L$ into the part each class supplies:

# %%
# NBVAL_CHECK_OUTPUT
parts = class_gradient_contributions(X, y, [0.0], 0.0)  # the model state w = 0, b = 0
for name, (dw, db) in zip(("healthy", "sick"), parts):
    print(f"{name:>8}: dL/dw = {dw:+.4f}   dL/db = {db:+.4f}")
print(f"on the bias the healthy outvote the sick {parts[0, 1] / -parts[1, 1]:.0f} : 1")

# %% [markdown]
# On the bias the vote is 99 to 1: gradient descent lowers $b$, "fewer people are sick", which is true but says nothing about *which* people. On the weight both classes happen to agree ($w$ should grow: healthy people sit at negative $x$, sick ones at positive $x$), yet 99 % of even that lesson comes from the healthy: the sick barely get a word in.
#
# Where does the bias stop? With $w = 0$ the net gradient is $\partial L/\partial b = \sigma(b) - \pi_1$, zero when the model's one probability equals the base rate:
#
# $$ \sigma(b^\star) = \pi_1 \quad\Longleftrightarrow\quad b^\star = \ln\frac{\pi_1}{\pi_0} = \ln\frac{0.01}{0.99} . $$

# %%
# NBVAL_CHECK_OUTPUT
print(f"b* = logit(0.01) = {xl.logit(0.01):.3f} nats:  the model says p = {xl.sigmoid(xl.logit(0.01)):.2f} for everyone")

# %% [markdown]
# **Try it.** The left panel shows each class's pull on the bias, the right one the net pull for every value of the bias. Start at the scene "99:1 at initialisation", then slide the bias down to where the net pull vanishes. Now slide the minority share towards 0.5: when does the minority's bar become visible? Then switch the loss to weighted cross-entropy.

# %%
figures.tug_of_war()

# %% [markdown]
# ### Weighted cross-entropy: an equal say
#
# The fix is to count each minority example more. Give class $c$ the weight $w_c \propto 1/\pi_c$; scikit-learn's `class_weight="balanced"` uses $w_c = N / (C\, n_c)$, which makes each class's weights add up to $N / C$:
#
# $$ L_w = \frac{\sum_i w_{y_i}\, \ell_i}{\sum_i w_{y_i}}, \qquad \frac{\partial L_w}{\partial z_i} = \frac{w_{y_i}}{\sum_j w_{y_j}}\,(p_i - y_i) . $$
#
# Only the ratio of the weights matters (the denominator cancels their scale), so "weight the positives 99 times more" is the same loss.

# %%
# NBVAL_CHECK_OUTPUT
weights = balanced_class_weights(y)
print(f"balanced weights: healthy {weights[0]:.4f}, sick {weights[1]:.1f}   (ratio {weights[1] / weights[0]:.0f})")
print(f"each class's total weight: {weights[0] * (y == 0).sum():.0f} and {weights[1] * (y == 1).sum():.0f}")
fair = class_gradient_contributions(X, y, [0.0], 0.0, class_weight=weights)
for name, (dw, db) in zip(("healthy", "sick"), fair):
    print(f"{name:>8}: dL/dw = {dw:+.4f}   dL/db = {db:+.4f}")

# %% [markdown]
# Now the two pulls on the bias are exactly $\pm 0.25$: a tie at $b = 0$, whatever the imbalance. And the weight hears both classes about equally.
#
# ## 3. Weighting is resampling, in expectation
#
# Another popular fix changes the data instead of the loss: build a **class-balanced resample** by drawing $m$ examples with replacement from each class. The rare class is oversampled (each sick person appears many times), the common one undersampled. The mean loss over such a resample is, on average over the draws,
#
# $$ \mathbb E\Big[\frac{1}{Cm} \sum_{k=1}^{Cm} \ell_{i_k}\Big] = \frac1C \sum_c \frac{1}{n_c} \sum_{i:\,y_i = c} \ell_i = \frac1N \sum_i \frac{N}{C\, n_{y_i}}\,\ell_i , $$
#
# because each of the $m$ draws from class $c$ lands on a given member with probability $1/n_c$. The right-hand side is the weighted loss with exactly the balanced weights (their sum is $N$). The gradient is linear in the per-example terms, so the same holds for it: **the expected gradient on a balanced resample is the weighted-CE gradient**.
#
# Check it where it matters most: at the solution of *plain* cross-entropy. There the plain gradient is zero, so plain training has stopped, but the weighted gradient is not, and neither is the average resample's.

# %%
# NBVAL_CHECK_OUTPUT
cloud = experiments.resample_cloud("plain fit", 50)  # 400 resamples of 50 + 50 people
print(f"plain CE gradient (dL/dw, dL/db):      ({abs(cloud.plain[0]):.4f}, {abs(cloud.plain[1]):.4f})   plain training has stopped")
print(f"weighted CE gradient:                  ({cloud.weighted[0]:+.4f}, {cloud.weighted[1]:+.4f})")
for k in (1, 10, 400):
    mean = cloud.running_mean[k - 1]
    print(f"mean over {k:>3} balanced resample(s):    ({mean[0]:+.4f}, {mean[1]:+.4f})")

# %% [markdown]
# **Try it.** Each grey dot is the plain-CE gradient on one balanced resample. Slide $k$ and watch the green mean settle on the black cross (the weighted gradient), with an error that shrinks like $1/\sqrt{k}$; the blue square, plain CE on all the data, stays far away. Switch to 10 draws per class: the cloud widens, but its centre does not move. The scene "at initialisation" shows the other model state.

# %%
figures.resample_vs_weights()

# %% [markdown]
# Trained to the end, the two routes land in nearly the same place: weighted CE on the 10 000 people, and plain CE on one resample of 10 000 + 10 000 draws (each sick person appears about 100 times).

# %%
# NBVAL_CHECK_OUTPUT
for kind in ("plain", "weighted", "resampled"):
    fit = experiments.trained(kind)
    print(f"{kind:>9}: w = {fit.w[0]:.3f}, b = {fit.b:+.3f}   ({fit.n_iter} Newton steps)")

# %% [markdown]
# So which one to use? They agree in expectation but not in noise. A resample is a random draw: it adds variance (the cloud above), oversampling shows the same few minority examples over and over, which lets a flexible model memorise them, and undersampling throws data away. Weighting is the noise-free version of the same idea. Balanced sampling earns its place in minibatch training, where each batch needs minority examples in it to learn from at all.
#
# ## 4. Priors shift the boundary: logit adjustment
#
# Look again at the fitted parameters. The truth is $3x - 4.595$. Plain cross-entropy learnt something close to it: it learnt the evidence *and* the prior. Weighted cross-entropy learnt about the same slope with a bias near 0: the log-odds of a world in which both classes are equally common. The weights did not teach the model anything new about $x$; they removed the prior from its bias.

# %%
# NBVAL_CHECK_OUTPUT
plain, weighted = experiments.trained("plain"), experiments.trained("weighted")
log_prior_odds = math.log(class_priors(y)[1] / class_priors(y)[0])
print(f"bias of weighted fit - bias of plain fit = {weighted.b - plain.b:.3f};  -ln(pi1 / pi0) = ln 99 = {-log_prior_odds:.3f}")

# %% [markdown]
# (The match is not exact: with only 100 sick people in the training set the two fits also differ a little by chance.)
#
# That suggests a cheaper fix that needs no retraining at all. By Bayes' rule, a model's logit is evidence plus prior log-odds. **Logit adjustment** subtracts the prior at decision time:
#
# $$ z_{\text{adj}} = z - \tau \ln\frac{\pi_1}{\pi_0}, \qquad \text{flag when } z_{\text{adj}} > 0 . $$
#
# With $\tau = 1$ this flags when $\sigma(z) > \pi_1 = 0.01$ instead of $> \tfrac12$: the decision of a model that believes both classes equally likely. `xentlib.imbalance.logit_adjustment` does it (for $C$ classes, $z_c - \tau \ln \pi_c$).

# %%
# NBVAL_CHECK_OUTPUT
for label, fit, tau in (("plain CE, tau = 0", plain, 0.0), ("plain CE, tau = 1", plain, 1.0),
                        ("weighted CE, tau = 0", weighted, 0.0)):
    o = experiments.outcome(fit, tau)
    print(f"{label:>20}: flag x > {o.boundary:5.2f}   recall {o.recall:.1%}   precision {o.precision:.1%}"
          f"   ({o.alarms} alarms)")

# %% [markdown]
# Plain cross-entropy at the default threshold finds 53.5 % of the sick, and 72.9 % of its alarms are real. Removing the prior ($\tau = 1$) finds 92.4 %, at a precision of 14.5 %: most alarms are now false, because healthy people are 99 times more common, so even their thin tail above the threshold outnumbers the sick. Weighted training gives almost the same decisions as the adjusted plain model.
#
# **Try it.** Slide $\tau$ from 0 to 2 and watch the flagged region (yellow) move left over the healthy majority. Where would you put the threshold for a cheap follow-up test? For an invasive one? Switch to the model trained with weighted CE: its $\tau = 0$ is where the plain model's $\tau = 1$ was.

# %%
figures.threshold_shift()

# %% [markdown]
# Neither threshold is "correct": the right one depends on what a miss and a false alarm cost. If a missed case costs $c_{FN}$ and a false alarm $c_{FP}$, a calibrated model should flag when $P(y = 1 \mid x) > c_{FP} / (c_{FP} + c_{FN})$. The default $\tfrac12$ treats both errors alike and so minimises the number of mistakes, which the majority dominates; $\tau = 1$ minimises the *balanced* error, the average of the two classes' error rates. The lesson is that **the prior belongs in the decision, and you can move it there after training**.
#
# ## 5. Focal loss: turning down the easy examples
#
# Focal loss (Lin et al., 2017) multiplies each example's cross-entropy by $(1 - p_t)^\gamma$, where $p_t$ is the probability the model gives the true class:
#
# $$ \ell_\gamma = -(1 - p_t)^\gamma \ln p_t . $$
#
# An example the model already gets right ($p_t$ near 1) is turned down sharply: at $p_t = 0.9$ and $\gamma = 2$ its loss is multiplied by $0.1^2 = 0.01$. A hard example ($p_t$ small) keeps almost all of its loss. With $\gamma = 0$ the factor is 1 and focal loss *is* cross-entropy:

# %%
# NBVAL_CHECK_OUTPUT
z_plain = plain.logits(X)
print(f"gamma = 0 focal loss: {class_weighted_loss(z_plain, y, gamma=0.0):.6f} nats;  "
      f"cross-entropy: {xl.binary_cross_entropy_with_logits(z_plain, y.astype(float)):.6f} nats")
p_true = np.where(y == 1, xl.sigmoid(z_plain), xl.sigmoid(-z_plain))  # p_t for every training example
easy = p_true > 0.9
print(f"easy examples (p_t > 0.9) under the plain-CE model: {easy.mean():.1%} of the people, "
      f"{(easy & (y == 0)).sum() / easy.sum():.1%} of them healthy")
for gamma in (0.0, 2.0):
    per_person = xl.sigmoid_focal_loss(z_plain, y.astype(float), gamma=gamma, reduction="none")
    print(f"gamma = {gamma:.0f}: the easy examples carry {per_person[easy].sum() / per_person.sum():.2%} of the total loss")

# %% [markdown]
# Almost every easy example is a healthy person. Under cross-entropy these 98 % of the people still carry 11 % of the loss; under focal loss with $\gamma = 2$, 0.05 %. So the loss now "listens" almost only to the hard cases, which is where the sick are. Does that rescue the minority?
#
# **Try it.** Slide $\gamma$ and watch the bottom-right panel: minority recall and precision of a model trained on focal loss, for each $\gamma$ from 0 to 5 (solid), and with balanced class weights as well (dashed). Then look at the bottom-left panel: what *does* change?

# %%
figures.focal_gamma()

# %% [markdown]
# The recall and precision barely move, and the decision boundary stays at $x \approx 1.41$. What changes is the model's confidence: the trained curve gets flatter as $\gamma$ grows.

# %%
# NBVAL_CHECK_OUTPUT
for gamma in (0.0, 1.0, 2.0, 5.0):
    fit = experiments.focal_fit(gamma)
    o = experiments.outcome(fit)
    print(f"gamma = {gamma:.0f}: slope w = {fit.w[0]:.2f}, boundary x = {o.boundary:.3f}, "
          f"recall {o.recall:.1%}, precision {o.precision:.1%}")
o = experiments.outcome(experiments.focal_fit(2.0, weighted=True))
print(f"gamma = 2 with class weights: boundary x = {o.boundary:.3f}, recall {o.recall:.1%}, precision {o.precision:.1%}")

# %% [markdown]
# The top-right panel explains why. Suppose the true probability of being sick at some $x$ is $q$. Cross-entropy is a proper loss (notebook 05): its best prediction is $p = q$. Focal loss is not: its best prediction is pulled towards $\tfrac12$, and by the symmetry between the two labels, a true $q = \tfrac12$ is still predicted as exactly $\tfrac12$. So **focal loss flags the same people as cross-entropy at the 0.5 threshold**; it only squeezes the probabilities on either side.

# %%
# NBVAL_CHECK_OUTPUT
for q in (0.1, 0.5, 0.9):
    print(f"true q = {q}:  focal loss (gamma = 2) makes the model report p = {float(focal_optimal_probability(q, 2.0)):.3f}")

# %% [markdown]
# Nor does focal loss help at initialisation: there every $p_t = \tfrac12$, so every example is multiplied by the same $(\tfrac12)^\gamma$ and the 99:1 vote of section 2 is unchanged. That is why the detector that introduced focal loss also initialises the output bias at $b = \ln(\pi/(1 - \pi))$ with $\pi = 0.01$, and still uses a class weight $\alpha$.

# %%
# NBVAL_CHECK_OUTPUT
focal_parts = class_gradient_contributions(X, y, [0.0], 0.0, gamma=2.0)
print(f"focal loss (gamma = 2) at w = 0, b = 0: the healthy outvote the sick {focal_parts[0, 1] / -focal_parts[1, 1]:.0f} : 1 on the bias")

# %% [markdown]
# In a deep object detector, where an image offers about 100 000 candidate boxes and nearly all are easy background, steering a finite training budget away from them does help. In our small, convex, correctly specified model, trained to convergence, there is nothing of that kind to gain. Focal loss changes *confidence*; to change *who gets flagged*, use class weights or move the threshold.
#
# ## 6. Which tool does what
#
# | tool | what it changes | where the prior ends up |
# |---|---|---|
# | plain cross-entropy | nothing: learns evidence + prior | in the bias: flags at $p > \tfrac12$ |
# | weighted CE, $w_c \propto 1/\pi_c$ | each class gets an equal say in the gradient | removed from the bias |
# | balanced resampling | the same in expectation, plus sampling noise | removed from the bias |
# | logit adjustment, $z - \tau\ln(\pi_1/\pi_0)$ | only the decision, after training | removed at decision time (any $\tau$) |
# | focal loss, $(1-p_t)^\gamma$ | which examples the loss listens to; confidence | still in the bias |
#
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("06.init_bias")

# %%
init_bias = None  # your answer: a number, in nats
exercises.check("06.init_bias", init_bias)

# %%
exercises.ask("06.balanced_weight")

# %%
balanced_weight = None  # your answer: a number
exercises.check("06.balanced_weight", balanced_weight)

# %%
exercises.ask("06.adjusted_threshold")

# %%
adjusted_threshold = None  # your answer: a probability
exercises.check("06.adjusted_threshold", adjusted_threshold)

# %%
exercises.ask("06.focal_factor")

# %%
focal_factor = None  # your answer: a number
exercises.check("06.focal_factor", focal_factor)

# %%
exercises.ask("06.recall")

# %%
recall = None  # replace with: def recall(y_true, y_pred): return ...
exercises.check("06.recall", recall)

# %% [markdown]
# ## Summary
#
# - On 99:1 data a model that flags nobody is 99 % accurate and has recall 0; judge a rare class by its recall and precision.
# - At initialisation every example pulls on the logit with $\pm\tfrac12$, so the majority outvotes the minority 99 to 1 on the bias; plain cross-entropy drives the bias to $\ln(\pi_1/\pi_0) = -4.595$ before the weights have learnt much.
# - Weighted cross-entropy with $w_c \propto 1/\pi_c$ ($N/(C n_c)$) gives both classes equal totals, so their pulls tie at $b = 0$. Its gradient is exactly the expected gradient on a class-balanced resample; resampling adds noise around it.
# - Plain CE learns evidence plus prior; weighted CE learns the same evidence without the prior (the biases differ by about $\ln 99$). Logit adjustment, $z - \tau \ln(\pi_1/\pi_0)$, moves the prior out at decision time: recall rose from 53.5 % to 92.4 % and precision fell from 72.9 % to 14.5 %. The right threshold is a question of costs.
# - Focal loss $-(1-p_t)^\gamma \ln p_t$ is cross-entropy at $\gamma = 0$ and turns down easy examples for $\gamma > 0$. Its best prediction maps $\tfrac12$ to $\tfrac12$, so on its own it leaves the decisions, and minority recall and precision, where cross-entropy put them; it makes the model less confident.
#
# **Previous:** [05 · Calibration](05_calibration.ipynb). **Next:** [07 · Language models and perplexity](07_lm_perplexity.ipynb) treats next-token prediction as classification over a vocabulary.
