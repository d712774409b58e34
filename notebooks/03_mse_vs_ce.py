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
# # 03 · Squared error vs cross-entropy: why classifiers use the log
#
# **After this notebook you will be able to**
# - derive the gradient of both losses with respect to the logit, $p - y$ for cross-entropy and $2(p - y)\,p(1 - p)$ for squared error, and say what the ½ convention changes;
# - explain, with numbers, why a confidently wrong model learns fast under cross-entropy and stalls under squared error;
# - show that a model can have the lower squared error and still the far higher log loss;
# - state why cross-entropy is convex in the weights with a bounded curvature, and why squared error on a sigmoid is not;
# - compare hinge loss and log loss beyond the margin, and predict the optimum and the floor of the loss for soft and label-smoothed targets.
#
# **Prerequisites:** [02 · Gradients](02_gradients.ipynb) (sigmoid, binary cross-entropy, $\partial L/\partial z = p - y$) and the idea of gradient descent. **Time:** about 40 minutes.
#
# Every formula below is a function in `xentlib`; every number quoted in the text is printed by a cell that the test suite re-runs and compares.

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
from xentlib import landscape
from xentlib.lessons.mse_vs_ce import exercises, experiments, figures

# %% [markdown]
# ## 1. Two losses, two gradients
#
# A binary classifier outputs a logit $z$ and the probability $p = \sigma(z) = 1/(1 + e^{-z})$. Why not train it the way we fit a regression line, by the squared distance between $p$ and the label $y \in \{0, 1\}$? Both losses are zero when the prediction is perfect and grow when it is wrong. The difference shows up in the **gradient with respect to the logit**, the signal that backpropagation sends into the rest of the model.
#
# The sigmoid's slope is $\sigma'(z) = p(1 - p)$. Then, by the chain rule $\frac{d\ell}{dz} = \frac{d\ell}{dp}\,p(1-p)$:
#
# | loss on one example | $d\ell/dp$ | $d\ell/dz$ |
# |---|---|---|
# | cross-entropy $-y\ln p - (1-y)\ln(1-p)$ | $\dfrac{p - y}{p(1-p)}$ | $p - y$ |
# | squared error $(p - y)^2$ (`xl.sigmoid_mse_loss`) | $2(p - y)$ | $2(p - y)\,p(1 - p)$ |
# | squared error with the textbook ½, $\tfrac12(p - y)^2$ | $p - y$ | $(p - y)\,p(1 - p)$ |
#
# **Convention.** In this notebook "squared error" means `xl.sigmoid_mse_loss`, $(\sigma(z) - y)^2$ with **no** ½, so its gradient carries a 2. Many textbooks put a ½ in front to cancel that 2; it halves every gradient, which is the same as halving the learning rate, and changes nothing else. Where we quote the ½ version we say so.
#
# For cross-entropy the $p(1-p)$ of the sigmoid cancels (notebook 02). For squared error it stays, and $p(1-p)$ is tiny whenever $p$ is near 0 or 1, *whether the model is right or wrong*.
#
# Take a confidently wrong prediction: $p = 0.99$ for an example whose label is $y = 0$.

# %%
# NBVAL_CHECK_OUTPUT
z_wrong = float(xl.logit(0.99))  # the logit that gives p = 0.99
ce, mse = float(xl.binary_cross_entropy_with_logits(z_wrong, 0.0)), float(xl.sigmoid_mse_loss(z_wrong, 0.0))
g_ce, g_mse = float(xl.binary_cross_entropy_with_logits_grad(z_wrong, 0.0)), float(xl.sigmoid_mse_loss_grad(z_wrong, 0.0))
print(f"p = 0.99, y = 0, logit z = {z_wrong:.3f}")
print(f"log loss      {ce:.3f} nats   dL/dz = {g_ce:.3f}")
print(f"squared error {mse:.3f}        dL/dz = {g_mse:.4f}  (no 1/2);  {g_mse / 2:.4f} with the textbook 1/2")
print(f"cross-entropy pushes {g_ce / g_mse:.1f}x harder ({g_ce / (g_mse / 2):.1f}x against the 1/2 version)")

# %% [markdown]
# The log loss is 4.605 nats (the surprise $-\ln 0.01$ from notebook 01), while squared error can never exceed 1 and here is 0.980. The gradients differ even more. Cross-entropy's is $p - y = 0.990$: nearly the largest push it ever gives. Squared error's is 0.0196, or 0.0098 ≈ 0.01 with the textbook ½: about 50 times weaker (101 times against the ½ version), exactly when the model most needs correcting.
#
# A closed-form gradient deserves a check by finite differences:

# %%
# NBVAL_CHECK_OUTPUT
numeric = xl.numerical_grad(lambda v: float(xl.sigmoid_mse_loss(v[0], 0.0)), [z_wrong])[0]
print(f"squared error dL/dz: closed form {g_mse:.6f}, finite differences {numeric:.6f}")

# %% [markdown]
# **Try it.** Where is the squared-error gradient largest, and what happens to it as the model becomes *more* confident in the wrong answer? Slide $p$ towards 0.999 with $y = 0$ and watch both dots on the right. Then click through the scenes: a hesitant prediction, and a confident right one, where both gradients are small, as they should be.

# %%
figures.loss_and_gradient(p=0.99, y=0)

# %% [markdown]
# For $y = 0$ the squared-error gradient peaks at $p = 2/3$ (logit $\ln 2$) and falls back to 0 as $p \to 1$: the more wrong the model is, the less it hears. The cross-entropy gradient only grows, towards 1.

# %%
# NBVAL_CHECK_OUTPUT
peak = float(xl.sigmoid_mse_loss_grad(math.log(2), 0.0))
print(f"largest squared-error gradient for y = 0: {peak:.4f} = 8/27 at p = {float(xl.sigmoid(math.log(2))):.4f}")
for p in (0.9, 0.99, 0.999):
    zp = float(xl.logit(p))
    print(f"p = {p:<6} CE dL/dz = {float(xl.binary_cross_entropy_with_logits_grad(zp, 0.0)):.4f}"
          f"   MSE dL/dz = {float(xl.sigmoid_mse_loss_grad(zp, 0.0)):.4f}")

# %% [markdown]
# ## 2. A training race from a saturated start
#
# One example is a caricature; here is a whole training run. The data are 60 points on a line from two Gaussians (`xl.datasets.two_gaussians`, seed 0) whose true posterior is $P(y = 1 \mid x) = \sigma(2x)$, so a good model has weight $w \approx 2$. We start two identical logistic regressions (`xl.models.LogisticRegression`) at the weight $w_0 = -5$: backwards, and saturated, so almost every point gets $p$ near 0 or 1 on the wrong side. One is trained on cross-entropy, the other on squared error, with the same learning rate 1.0, for 200 full-batch steps.
#
# Which one recovers first, and by how much?

# %%
# NBVAL_CHECK_OUTPUT
lines = [f"learning rate {experiments.RACE_LR}, {experiments.RACE_STEPS} steps; steps until log loss < 0.4:"]
for w0 in experiments.RACE_STARTS:
    r = experiments.race(w0)
    ce_steps, mse_steps = r.steps_to("cross-entropy", 0.4), r.steps_to("squared error", 0.4)
    lines.append(f"  w0 = {w0:+.0f}:  cross-entropy {ce_steps:>3}   squared error {mse_steps if mse_steps is not None else 'never':>5}")
print("\n".join(lines))

# %% [markdown]
# From $w_0 = -5$ cross-entropy needs 8 steps; squared error needs 130. From $w_0 = -8$ squared error has not recovered after 200 steps at all, while cross-entropy takes 11. The further into saturation the start, the longer squared error is stuck; cross-entropy hardly notices.
#
# The reason is the size of the first gradient with respect to the weights, which inherits the logit gradient of every example:

# %%
# NBVAL_CHECK_OUTPUT
r = experiments.race(-5.0)
g0_ce, g0_mse = r.grad_norm["cross-entropy"][0], r.grad_norm["squared error"][0]
print(f"|gradient| at w0 = -5:  cross-entropy {g0_ce:.3f}   squared error {g0_mse:.4f}   ratio {g0_ce / g0_mse:.0f}")
print(f"after 200 steps:  CE-trained w = {r.params['cross-entropy'][-1, 0]:.3f}, log loss {r.log_loss['cross-entropy'][-1]:.3f} nats")

# %% [markdown]
# **Try it.** Drag the step slider and watch the two probability curves on the right. The cross-entropy model (blue) swings round to the true curve within a few steps; the squared-error model (orange) sits on its wrong, flat curve, creeps, then suddenly moves once its predictions leave saturation. The bottom-left plot shows why: its gradient starts about 70 times smaller. Switch the starting weight: at $w_0 = -1$ the model is not saturated and both losses do fine; at $w_0 = -8$ squared error never gets going.

# %%
figures.training_race(step=15, w0=-5.0)

# %% [markdown]
# ## 3. Lower squared error, far higher log loss
#
# Squared error and log loss can also disagree about which model is *better*. Two forecasters predict 20 examples and both get the same 2 wrong (accuracy 0.9 each). The hesitant one gives the true class 0.6 when right and 0.4 when wrong. The confident one gives 0.99 when right, but on its two mistakes it gives the true class one chance in a million.

# %%
# NBVAL_CHECK_OUTPUT
f = xl.datasets.two_forecasters()
for name in ("hesitant", "confident"):
    p = getattr(f, name)
    accuracy = np.mean((p > 0.5) == (f.y == 1))
    print(f"{name:>9}: accuracy {accuracy:.2f}   squared error {float(xl.brier_score(p, f.y)):.3f}"
          f"   log loss {float(xl.binary_cross_entropy(p, f.y)):.3f} nats")
print(f"one blunder (p = 1e-6 on the true class): log loss {-math.log(1e-6):.1f} nats, squared error {(1 - 1e-6) ** 2:.3f}")

# %% [markdown]
# By squared error (the Brier score) the confident forecaster is better, 0.100 against 0.180: its 18 sharp hits earn almost nothing, and each of its two blunders can cost at most 1. By log loss it is far worse, 1.391 against 0.551 nats: each blunder costs $-\ln 10^{-6} \approx 13.8$ nats, and pushing the blunder towards probability 0 would make the log loss as large as you like. Log loss says that being certain and wrong is the worst thing a probabilistic model can do; squared error caps the penalty and lets a few catastrophic predictions hide behind many good ones.
#
# ## 4. The landscape in the weights: a bowl against a plateau
#
# The race showed squared error crawling. The loss *surface* shows why it must. Take the race data and the simplest model $p = \sigma(wx)$ (one weight, no bias), and plot the mean loss against $w$ (top) and its curvature $L''(w)$ (bottom).
#
# For cross-entropy the curvature is
#
# $$ L''(w) = \frac1N \sum_i p_i(1 - p_i)\, x_i^2 \;\ge\; 0 , $$
#
# never negative, so the loss is **convex**: one valley, no plateaus to get lost on, no local minima. (In several dimensions the Hessian $\frac1N\sum_i p_i(1-p_i)\,x_i x_i^\top$ is positive semi-definite, so the same holds.) And because $\sigma'(z) = p(1 - p) \le \tfrac14$, the curvature can never exceed $L = \tfrac14\,\overline{x^2}$: the gradient is **Lipschitz**, it cannot change faster than $L$ times the change in the weight. That is what makes plain gradient descent safe: any step $\eta \le 1/L$ lowers the loss every time.
#
# For squared error the curvature picks up a term $(p - y)(1 - 2p)$ that is negative where the model is confidently wrong: the surface bends the wrong way and flattens into a plateau.

# %%
figures.weight_landscape()

# %%
# NBVAL_CHECK_OUTPUT
X, y = experiments.race_data()
ws = np.linspace(-10, 10, 801)
curv_ce = landscape.curvature_along_weight(ws, X[:, 0], y, loss="cross-entropy")
curv_mse = landscape.curvature_along_weight(ws, X[:, 0], y, loss="squared error")
print(f"cross-entropy curvature: min {curv_ce.min():.4f}, max {curv_ce.max():.4f}, bound (1/4) mean x^2 = {landscape.lipschitz_constant(X, bias=False):.4f}")
print(f"squared-error curvature: min {curv_mse.min():.4f} (negative: not convex)")
L = landscape.lipschitz_constant(X)  # with the bias, as the race trains it
print(f"race model with bias: L = {L:.3f}, so any learning rate up to 1/L = {1 / L:.3f} is safe; the race used {experiments.RACE_LR}")

# %% [markdown]
# The cross-entropy curvature never goes below 0 and reaches the bound 0.522 exactly at $w = 0$, where every $p = \tfrac12$ and $p(1-p) = \tfrac14$. The squared-error curvature dips to −0.192. With the bias included the bound is $L = 0.522$, so the race's learning rate 1.0 is below $1/L = 1.915$: for cross-entropy every step of the race was guaranteed to lower the loss. No such guarantee exists for squared error on a sigmoid.
#
# ## 5. Hinge loss stops; log loss keeps pushing
#
# Support vector machines use the **hinge loss** $\max(0, 1 - m)$ of the margin $m = (2y - 1)z$, which is positive when the example is on the right side. Both losses punish mistakes roughly linearly. The difference is what happens to examples that are already right.
#
# **Try it.** Slide the margin from a mistake ($m < 0$) to a safe win ($m = 3$ and beyond). Where does the hinge stop pushing? Does the log loss ever stop? Switch the log loss to bits: then, like the hinge, it passes through 1 at $m = 0$ and lies above the 0-1 loss everywhere.

# %%
figures.hinge_vs_log_loss(margin=2.0)

# %%
# NBVAL_CHECK_OUTPUT
for m in (-1.5, 0.5, 2.0, 5.0):
    hinge, hinge_push = float(xl.hinge_loss(m, 1.0)), -float(xl.hinge_loss_grad(m, 1.0)) + 0.0
    log, log_push = float(xl.binary_cross_entropy_with_logits(m, 1.0)), -float(xl.binary_cross_entropy_with_logits_grad(m, 1.0))
    print(f"margin {m:+.1f}:  hinge {hinge:.4f} (push {hinge_push:.4f})   log loss {log:.4f} nats (push {log_push:.4f})")

# %% [markdown]
# Beyond margin 1 the hinge is exactly 0 with gradient 0: the SVM ignores those examples completely and is decided by the few near the boundary. The log loss is 0.1269 nats at margin 2 and still pushes with $\sigma(-m) = 0.1192$; at margin 5 the push is 0.0067, small but never zero. Cross-entropy keeps asking every example for more confidence. That is the price of its probabilistic reading: with separable data, the weights of a plain logistic regression grow without limit, which is one reason for weight decay and for the next section.
#
# ## 6. Soft labels and label smoothing
#
# Binary cross-entropy works unchanged when the target $t$ is itself a probability: if eight annotators out of ten said "cat", the target is $t = 0.8$. Setting the gradient to zero,
#
# $$ \frac{d\ell}{dz} = \sigma(z) - t = 0 \quad\Longrightarrow\quad z^* = \operatorname{logit}(t) = \ln\frac{t}{1 - t}, $$
#
# and the loss there is $-t\ln t - (1 - t)\ln(1 - t) = H(t)$, the **entropy of the label**. That is cross-entropy = entropy + KL from notebook 01: the KL part can be driven to 0, the entropy of an uncertain label cannot.
#
# **Label smoothing** makes hard labels soft on purpose. In xentlib's (and PyTorch's) two-class convention a label $y$ becomes $y(1 - \varepsilon) + \varepsilon/2$, so $\varepsilon = 0.2$ turns a positive label into $t = 0.9$:

# %%
# NBVAL_CHECK_OUTPUT
t = xl.losses.smoothed_target(1.0, 0.2)
z_star = float(xl.logit(t))
print(f"target t = {t:.2f}: best logit z* = {z_star:.3f} = ln 9 = {math.log(9):.3f}")
print(f"loss at z*: {float(xl.binary_cross_entropy_with_logits(z_star, t)):.3f} nats = H(0.9) = {float(xl.entropy([t, 1 - t])):.3f} nats")
print(f"|gradient| at z*: {abs(float(xl.binary_cross_entropy_with_logits_grad(z_star, t))):.3f}")
print(f"gradient at z = 20 (p -> 1): smoothed {float(xl.binary_cross_entropy_with_logits_grad(20.0, 1.0, label_smoothing=0.2)):.3f}"
      f"   hard label {float(xl.binary_cross_entropy_with_logits_grad(20.0, 1.0)):.1e}")

# %% [markdown]
# With the hard label the optimum is at $z = +\infty$ and the gradient fades to nothing ($-2.1 \times 10^{-9}$ at $z = 20$) while the logit keeps drifting upwards. With the smoothed target the optimum is the finite logit $\ln 9 \approx 2.197$, the best achievable loss is $H(0.9) = 0.325$ nats rather than 0, and as $p \to 1$ the gradient tends to $1 - t = 0.1$: it does not vanish, and it is positive, so a logit that overshoots $\ln 9$ is pulled back. Label smoothing keeps logits finite and the sigmoid out of saturation, where, as sections 1 and 2 showed, learning goes quiet.
#
# **Try it.** Move the label between 0 and 1 and the smoothing $\varepsilon$: the star (the minimum) sits at $\operatorname{logit}(t)$ at height $H(t)$. Then slide your logit $z$ past the star and read the gradient. Which target makes the floor highest?

# %%
figures.soft_labels(target=1.0, eps=0.2, z=5.0)

# %% [markdown]
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("03.mse_grad")

# %%
mse_grad = None  # your answer: a number
exercises.check("03.mse_grad", mse_grad)

# %%
exercises.ask("03.smoothed_logit")

# %%
best_logit = None  # your answer: a number
exercises.check("03.smoothed_logit", best_logit)

# %%
exercises.ask("03.soft_floor")

# %%
floor_nats = None  # your answer: a number
exercises.check("03.soft_floor", floor_nats)

# %% [markdown]
# ## Summary
#
# - With respect to the logit, cross-entropy's gradient is $p - y$; squared error's is $2(p - y)\,p(1 - p)$ (or $(p - y)\,p(1 - p)$ with the textbook ½, which only halves it). The sigmoid's slope $p(1 - p)$ cancels in one and not in the other.
# - Confidently wrong ($p = 0.99$, $y = 0$): log loss 4.605 nats against squared error 0.980; gradient 0.990 against 0.0196 (0.0098 with ½).
# - From a saturated, backwards start and the same learning rate, cross-entropy recovered in 8 steps, squared error in 130, and from a worse start not at all: its gradient was about 70 times smaller.
# - A forecaster can have the lower squared error (0.100 vs 0.180) and the far higher log loss (1.391 vs 0.551 nats): log loss refuses to forgive confident mistakes.
# - Cross-entropy is convex in the weights, and its curvature is at most $\tfrac14\,\overline{x^2}$ because $\sigma' \le \tfrac14$: gradient descent with $\eta \le 1/L$ always makes progress. Squared error on a sigmoid has negative curvature and flat plateaus.
# - Hinge loss ignores examples beyond margin 1; log loss pushes every example a little, forever.
# - For a soft target $t$ the minimum of binary cross-entropy is $H(t)$, at logit $\operatorname{logit}(t)$. Smoothing a positive label to 0.9 puts the optimum at $\ln 9 \approx 2.197$ and leaves a gradient of 0.1 as $p \to 1$.
#
# **Next:** [04 · XOR features](04_xor_features.ipynb) shows that even the best loss cannot help a model whose features cannot separate the classes.
