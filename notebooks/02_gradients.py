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
# # 02 · Gradients: why cross-entropy learns from "prediction minus target"
#
# **After this notebook you will be able to**
# - derive, step by step, that a sigmoid followed by binary cross-entropy has the gradient $\partial L/\partial z = p - y$, and say which factor cancels;
# - derive the softmax version $\nabla_z L = p - \text{onehot}(y)$ and read it as a competition between the classes;
# - carry out a stochastic-gradient step of logistic regression, $w \leftarrow w - \eta\,(p - y)\,x$, by hand and check it against the library;
# - read logits as negative energies, softmax as a Gibbs distribution and its temperature as a physicist would;
# - explain why `log(softmax(z))` breaks at logits near 1000 and how the log-sum-exp trick fixes it;
# - check any gradient against finite differences, and choose the step size of the check.
#
# **Prerequisites:** [01 · Surprise](01_surprise.ipynb) (surprise $-\ln p$, cross-entropy), derivatives and the chain rule. **Time:** about 45 minutes.
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
from xentlib import chain_rule
from xentlib.lessons.gradients import exercises, experiments, figures
from xentlib.models import LogisticRegression

# %% [markdown]
# ## 1. Sigmoid + binary cross-entropy: the chain rule, one factor at a time
#
# A binary classifier computes a score $z$ (the **logit**), squashes it into a probability with the sigmoid, and is charged the surprise of the true label:
#
# $$ p = \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad L(p, y) = -\big[\,y \ln p + (1 - y)\ln(1 - p)\,\big], \qquad y \in \{0, 1\}. $$
#
# Training moves $z$ (through the weights that produce it), so we need $\partial L/\partial z$. The chain rule splits it into two factors.
#
# **Factor 1, how the loss reacts to the probability.**
#
# $$ \frac{\partial L}{\partial p} = -\frac{y}{p} + \frac{1 - y}{1 - p} = \frac{-y(1 - p) + (1 - y)\,p}{p(1 - p)} = \frac{p - y}{p\,(1 - p)} . $$
#
# This one is violent: when the model is confidently wrong ($p \to 1$ while $y = 0$) the denominator goes to zero and the factor explodes.
#
# **Factor 2, how the probability reacts to the logit.** Differentiate $\sigma(z) = (1 + e^{-z})^{-1}$:
#
# $$ \frac{dp}{dz} = \frac{e^{-z}}{(1 + e^{-z})^2} = \underbrace{\frac{1}{1 + e^{-z}}}_{p}\cdot\underbrace{\frac{e^{-z}}{1 + e^{-z}}}_{1 - p} = p\,(1 - p) . $$
#
# This one is timid: when $p$ is near 0 or 1 the sigmoid is flat and the factor goes to zero.
#
# **The product.** The timid factor is exactly the denominator of the violent one:
#
# $$ \frac{\partial L}{\partial z} = \frac{p - y}{\cancel{p\,(1 - p)}}\cdot \cancel{p\,(1 - p)} = p - y . $$
#
# The signal that reaches the logit is the error itself, prediction minus target: never larger than 1 in size, and zero only when the prediction is perfect. The next cell prints both factors and their product from `xentlib` (`chain_rule.bce_chain_rule` calls `xl.binary_cross_entropy_grad` and the sigmoid's derivative), next to the library's own gradient.

# %%
# NBVAL_CHECK_OUTPUT
z = np.array([-3.0, 0.0, 2.0, 6.0, 6.0])
y = np.array([1.0, 1.0, 1.0, 1.0, 0.0])
parts = chain_rule.bce_chain_rule(z, y)
library = xl.binary_cross_entropy_with_logits_grad(z, y, reduction="none")
print("   z   y       p      dL/dp   dp/dz   product    p - y   library")
for row in zip(z, y, parts.p, parts.dloss_dp, parts.dp_dz, parts.dloss_dz, parts.p - y, library):
    print("{:+5.1f}  {:.0f}  {:.4f}  {:+9.3f}  {:.4f}  {:+7.4f}  {:+7.4f}  {:+7.4f}".format(*row))

# %% [markdown]
# Read the last two rows. At $z = 6$ the model says $p = 0.9975$. If the label is $y = 1$ it was right, and the gradient is a gentle $-0.0025$. If the label is $y = 0$ it was confidently wrong: $\partial L/\partial p = +404.429$, the sigmoid slope is only $0.0025$, and their product is $+0.9975$, almost the largest push the loss can give. Gradient descent moves $z$ *against* the gradient, so a negative gradient raises the logit (towards $y = 1$) and a positive one lowers it.
#
# **Try it.** The left panel shows the size of each factor on a log scale, where a product is a sum of heights: the red dashed curve climbs exactly as fast as the orange one falls, and the blue product is what is left. Set $y = 0$ and drag $z$ to the right. Does the blue curve ever rise above 1? On the right, the same numbers on the sigmoid itself: the orange tangent has slope $p(1-p)$, the red bar is $p - y$.

# %%
figures.chain_rule(z=2.0, y=1)

# %% [markdown]
# ## 2. Softmax + cross-entropy: a competition between the classes
#
# With $C$ classes the model outputs a logit vector $z$ and turns it into probabilities with the softmax; the loss is the surprise of the true class $k$:
#
# $$ p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}, \qquad L = -\ln p_k . $$
#
# **The softmax's own derivative** has two cases. Raising $z_i$ raises $p_i$; raising any other $z_j$ takes probability away from $p_i$:
#
# $$ \frac{\partial p_i}{\partial z_j} = p_i\,(\delta_{ij} - p_j), \qquad\text{i.e.}\qquad J = \operatorname{diag}(p) - p\,p^\top . $$
#
# **The loss only looks at $p_k$**, so $\partial L/\partial p_i = -1/p_k$ for $i = k$ and 0 otherwise. The chain rule sums over $i$, and again the $p_k$ cancels:
#
# $$ \frac{\partial L}{\partial z_j} = \sum_i \frac{\partial L}{\partial p_i}\,\frac{\partial p_i}{\partial z_j} = -\frac{1}{p_k}\cdot p_k\,(\delta_{kj} - p_j) = p_j - \delta_{kj}, \qquad \nabla_z L = p - \text{onehot}(k). $$
#
# (A shorter route: $L = -z_k + \ln\sum_j e^{z_j}$, and the derivative of the log-sum-exp is the softmax itself.) Here is every factor for three classes with logits $[2, 1, 0.1]$ and true class 0:

# %%
# NBVAL_CHECK_OUTPUT
soft = chain_rule.softmax_ce_chain_rule([2.0, 1.0, 0.1], 0)
print("p          =", np.round(soft.p, 4))
print("dL/dp      =", np.round(soft.dloss_dp, 4))
print("Jacobian J =\n", np.round(soft.jacobian, 4))
print("J^T dL/dp  =", np.round(soft.dloss_dz, 4))
print("p - onehot =", np.round(soft.p - [1, 0, 0], 4))
print("library    =", np.round(xl.softmax_cross_entropy_grad([[2.0, 1.0, 0.1]], [0])[0], 4))
print(f"sum of the gradient = {abs(soft.dloss_dz.sum()):.4f}")

# %% [markdown]
# The gradient $[-0.341, 0.2424, 0.0986]$ has a reading worth remembering. Gradient descent subtracts it, so:
#
# - the **true** logit goes **up**, by $\eta\,(1 - p_k)$: the less probability the true class had, the harder the push;
# - **every other** logit goes **down**, by $\eta\,p_j$: the rival that stole the most probability is pushed down hardest, a rival with almost none is left alone;
# - the pushes **sum to zero** (the rows of $J$ sum to zero because probabilities always add up to 1): what the true class gains, the rivals lose.
#
# To be more sure it is a cat, the model must become less sure it is a dog, and most of all when "dog" was its favourite wrong answer.
#
# **Try it.** Four classes; move the logits and pick the true class. Which bar on the right is the longest in the scene "confidently wrong", and what happens to the gradient in "confidently right"? In "all tied" every class has $p = 1/4$ and the loss is $\ln 4$:

# %%
# NBVAL_CHECK_OUTPUT
print(f"all four logits equal: loss = {xl.softmax_cross_entropy(np.zeros((1, 4)), [0]):.3f} nats = ln 4 = {math.log(4):.3f}")

# %%
figures.softmax_competition(cat=2.0, dog=1.0, fox=0.1, owl=-1.0, true="cat")

# %% [markdown]
# ## 3. Logistic regression, one SGD step by hand
#
# Logistic regression makes the logit a linear function of the features, $z = w^\top x + b$. Since $\partial z/\partial w = x$ and $\partial z / \partial b = 1$, one more link of the chain rule gives the whole learning rule:
#
# $$ \frac{\partial L}{\partial w} = (p - y)\,x, \qquad \frac{\partial L}{\partial b} = p - y, \qquad w \leftarrow w - \eta\,(p - y)\,x, \qquad b \leftarrow b - \eta\,(p - y). $$
#
# Each weight moves in proportion to the error and to its own input: a feature that was zero for this example is not blamed. **Stochastic** gradient descent (SGD) applies this after every single example.
#
# By hand: one feature, $x = 1.5$, label $y = 1$, start at $w = 0, b = 0$, learning rate $\eta = 0.5$. The logit is 0, so $p = 0.5$ and the error is $-0.5$:

# %%
# NBVAL_CHECK_OUTPUT
x1, y1, w, b, lr = 1.5, 1, 0.0, 0.0, 0.5
p1 = float(xl.sigmoid(w * x1 + b))
w, b = w - lr * (p1 - y1) * x1, b - lr * (p1 - y1)
print(f"p = {p1:.3f}, p - y = {p1 - y1:+.3f}  ->  w = {w:.3f}, b = {b:.3f}")
model = LogisticRegression(1)
model.step([[x1]], [y1], lr=lr)
print(f"xentlib LogisticRegression.step gives w = {model.w[0]:.3f}, b = {model.b:.3f}")

# %% [markdown]
# Both give $w = 0.375,\ b = 0.25$: the example had label 1, so the step raised its logit.
#
# Now the same rule on a small data set: 30 points on a line, class 0 around $x = -1$ and class 1 around $x = +1$ (`xl.datasets.sgd_data`, from `xentlib.datasets.two_gaussians`). `xl.models.sgd_trace` runs SGD from $w = b = 0$, one shuffled example per step, and records every step. The first three:

# %%
# NBVAL_CHECK_OUTPUT
X, labels = xl.datasets.sgd_data()
trace = xl.models.sgd_trace(X, labels, lr=0.5, steps=90)
print(f"start:  w = b = 0, p = 0.5 for every example, loss on all 30 = {trace.loss[0]:.3f} = ln 2")
for t in range(3):
    i = trace.index[t]
    print(f"step {t + 1}: x = {X[i, 0]:+.3f}, y = {labels[i]}, p = {trace.p[t]:.3f}, p - y = {trace.error[t]:+.3f}"
          f"  ->  w = {trace.w[t + 1, 0]:+.3f}, b = {trace.b[t + 1]:+.3f}, loss on all 30 = {trace.loss[t + 1]:.3f}")

# %% [markdown]
# Notice step 1: the loss on the whole data set went *up*, from $\ln 2 = 0.693$ to 0.707. The first example drawn sits at $x = -0.112$, on the wrong side, with label 1; fitting it tilted the curve the wrong way for everyone else. SGD only promises to go downhill *on average*; single steps are noisy.
#
# **Try it.** Step through the run. The ring marks the example the next step will use and the black bar is its error $p - y$. Compare the learning rates after 90 steps: which one is still far from the best possible loss, and which one makes the loss jump around? Where do the jumps come from (look at $w$)?

# %%
figures.sgd_stepper(step=0, lr=0.5)

# %%
# NBVAL_CHECK_OUTPUT
best = LogisticRegression(1)
print(f"best possible loss on these 30 points: {best.fit(X, labels, lr=4.0, steps=150).loss[-1]:.3f}")
for rate in experiments.SGD_RATES:
    run = xl.models.sgd_trace(X, labels, lr=rate, steps=90)
    print(f"eta = {rate:<4}: loss after 90 steps = {run.loss[-1]:.3f}, worst loss on the way = {run.loss.max():.3f}, w = {run.w[-1, 0]:+.2f}")

# %% [markdown]
# With $\eta = 0.05$ the loss is still 0.355 after three passes: too timid. $\eta = 0.5$ reaches 0.279, close to the best possible 0.275. $\eta = 8$ overshoots: every misclassified example throws $w$ far (it ends at $+19.13$, a near step function), a few points end up confidently wrong, and the loss jumps as high as 4.300.
#
# The gradient of the loss *averaged* over the data set is the average of the per-example $(p_i - y_i)\,x_i$. That is what `LogisticRegression.gradient` returns; a finite-difference check (section 6) confirms it:

# %%
# NBVAL_CHECK_OUTPUT
loss_of, grad_of = xl.models.logistic_loss_and_grad(X, labels)  # functions of theta = (w, b)
gap = xl.gradcheck.gradient_check(loss_of, grad_of, [0.7, -0.3])
print(f"mean of (p - y) x agrees with finite differences to below 1e-8: {gap < 1e-8}")

# %% [markdown]
# ## 4. The physicist's view: logits are negative energies
#
# Rename the logits $z_k = -E_k$ and add a temperature $T$. The softmax becomes
#
# $$ p_k = \frac{e^{-E_k/T}}{Z}, \qquad Z = \sum_j e^{-E_j/T}, $$
#
# the **Gibbs (Boltzmann) distribution** of statistical physics: a system in equilibrium at temperature $T$ occupies state $k$ with a probability that falls exponentially with its energy. $Z$ is the partition function, and $F = -T\ln Z$ the free energy (`xl.energy_score(z, temperature=T)`).
#
# - **Cold** ($T \to 0$): all probability freezes into the lowest-energy state; softmax becomes argmax.
# - **Hot** ($T \to \infty$): the energies stop mattering; every state gets $1/C$ and the entropy approaches $\ln C$.
# - $T = 1$ is the plain softmax. Temperature reappears later: to calibrate an overconfident model (notebook 05), to sample text (07), to distil a teacher (09), and in energy scores for unfamiliar inputs (10).
#
# The loss has a physical meaning too. Since $\ln p_k = -E_k/T - \ln Z$ and $\ln Z = -F/T$,
#
# $$ L = -\ln p_k = \frac{E_k - F}{T}, $$
#
# the energy of the true state above the free energy of the whole system. Training lowers the true state's energy and, through $F$, raises every other state's in proportion to its occupation: $\partial L/\partial E_j = \delta_{kj} - p_j$ at $T = 1$, the competition of section 2 with the sign flipped because $E = -z$.

# %%
# NBVAL_CHECK_OUTPUT
energies = experiments.ENERGIES  # cat, dog, fox, owl
for T in (0.1, 1.0, 10.0):
    p = xl.softmax(-energies, temperature=T)
    print(f"T = {T:<4}: p = {np.array2string(p, precision=3, suppress_small=True)}, entropy = {xl.entropy(p):.3f} nats (ln 4 = {math.log(4):.3f})")
F = float(xl.energy_score(-energies))
print(f"T = 1, true class dog: -ln p_dog = {-xl.log_softmax(-energies)[1]:.4f};  E_dog - F = {energies[1] - F:.4f}  (F = {F:.4f})")

# %% [markdown]
# **Try it.** Slide the temperature. At which temperature does the lowest state (cat) hold about half the probability? How cold must it be before the other states are practically empty, and how hot before all four look alike?

# %%
figures.gibbs_temperature(T=1.0)

# %% [markdown]
# ## 5. Keeping it finite: log-sum-exp
#
# The formulas are simple; computing them in floating point needs one trick. A float64 holds numbers up to about $e^{709.78}$, so $e^{1000}$ overflows to `inf`; and the smallest positive float64 is about $e^{-744.44}$, so $e^{-745.2}$ already rounds to 0. Logits of a few hundred or a thousand happen: an untrained network with large weights, a very confident model, a low temperature (dividing by $T = 0.01$ multiplies the logits by 100).
#
# Take logits $[1000, 1]$. Three ways to get the log-probabilities:
#
# 1. the naive formula $\ln\big(e^{z_k} / \sum_j e^{z_j}\big)$: $e^{1000} = \infty$ and $\infty/\infty$ is `nan`;
# 2. a stable softmax, then the log: the small probability $e^{-999}$ rounds to 0 and its log is $-\infty$;
# 3. `xl.log_softmax`, which never forms the small probability:
#
# $$ \ln p_k = z_k - \operatorname{LSE}(z), \qquad \operatorname{LSE}(z) = \ln\sum_j e^{z_j} = m + \ln\sum_j e^{z_j - m}, \quad m = \max_j z_j . $$
#
# Subtracting the maximum makes the largest exponent $e^0 = 1$, so the sum lies between 1 and $C$ and nothing overflows or vanishes.

# %%
# NBVAL_CHECK_OUTPUT
z_big = np.array([1000.0, 1.0])
print(f"largest float64 = e^{math.log(np.finfo(np.float64).max):.2f};  smallest positive float64 = e^{math.log(np.nextafter(0.0, 1.0)):.2f};  exp(-745.2) = {np.exp(-745.2)}")
print("1. naive log(exp(z) / sum exp(z)):", xl.links.naive_log_softmax(z_big))
print("2. log(softmax(z)):               ", xl.links.naive_log_softmax(z_big, shift=True))
print("3. xl.log_softmax(z):             ", xl.log_softmax(z_big))
print(f"loss if the true class is the second: {xl.softmax_cross_entropy(z_big[None, :], [1]):.3f} nats,"
      f" gradient {xl.softmax_cross_entropy_grad(z_big[None, :], [1])[0]}")

# %% [markdown]
# Route 3 gives the right answer, $[0, -999]$: the loss for the second class is $999$ nats, finite, and its gradient $[1, -1]$ is exactly $p - \text{onehot}$. A naive loss would be `inf` (or `nan`), and one such example poisons the mean of the whole batch and then every weight. The figure shows where each route gives up as the gap between two logits grows:

# %%
figures.overflow_figure()

# %% [markdown]
# The same trick is inside every cross-entropy in `xentlib` (and in PyTorch's `cross_entropy`, which takes logits for this reason): `binary_cross_entropy_with_logits` uses $-\ln\sigma(z) = \ln(1 + e^{-z})$ computed as $\max(-z, 0) + \ln(1 + e^{-|z|})$. Pass logits to the loss, not probabilities.
#
# ## 6. Trust, but check: finite differences
#
# Every gradient above was derived by hand. A derivation can be wrong, so check it numerically: nudge each input by $\pm\epsilon$ and look at how the loss changes,
#
# $$ \frac{\partial L}{\partial z_k} \approx \frac{L(z + \epsilon e_k) - L(z - \epsilon e_k)}{2\epsilon} . $$
#
# `xl.numerical_grad` does this; `xl.gradcheck.gradient_check` returns the largest gap between it and a claimed gradient. Here are three candidate formulas for the binary gradient, one correct and two with typical mistakes:

# %%
# NBVAL_CHECK_OUTPUT
z5 = np.array([-3.0, -0.5, 0.0, 1.0, 4.0])
y5 = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
def summed_loss(v):
    return xl.binary_cross_entropy_with_logits(v, y5, reduction="sum")
for name, formula in experiments.BCE_GRADIENT_CANDIDATES.items():
    gap = xl.gradcheck.gradient_check(summed_loss, lambda v: formula(v, y5), z5)
    print(f"{name:<34} largest gap = {gap:.3f}  ->  {'pass' if gap < 1e-6 else 'FAIL'}")

# %% [markdown]
# The sign error and the "forgot the cancellation" error both fail by a margin as large as the gradient itself; the correct formula agrees to well below $10^{-6}$. The same check for the softmax gradient at random logits:

# %%
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
z_rand, k_rand = rng.normal(scale=3.0, size=(4, 5)), rng.integers(0, 5, size=4)
gap = xl.gradcheck.gradient_check(lambda v: xl.softmax_cross_entropy(v, k_rand),
                                  lambda v: xl.softmax_cross_entropy_grad(v, k_rand), z_rand)
print(f"softmax cross-entropy, 4 examples x 5 classes: largest gap below 1e-8: {gap < 1e-8}")

# %% [markdown]
# **How big should $\epsilon$ be?** Too big, and the central difference is a poor approximation: its error falls like $\epsilon^2$. Too small, and $L(z + \epsilon e_k)$ and $L(z - \epsilon e_k)$ agree in almost all their digits, so the subtraction magnifies the rounding error of float64 by $1/\epsilon$. The best step sits in between, which is why `numerical_grad` defaults to $\epsilon = 10^{-6}$:

# %%
figures.finite_difference_error()

# %% [markdown]
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("02.init_loss")

# %%
init_loss = None  # your answer: a number, in nats
exercises.check("02.init_loss", init_loss)

# %%
exercises.ask("02.true_logit")

# %%
true_logit_gradient = None  # your answer: a number
exercises.check("02.true_logit", true_logit_gradient)

# %%
exercises.ask("02.sgd_step")

# %%
new_weights = None  # your answer: a list [w1, w2]
exercises.check("02.sgd_step", new_weights)

# %%
exercises.ask("02.log_softmax")

# %%
my_log_softmax = None  # replace with: def my_log_softmax(z): ...
exercises.check("02.log_softmax", my_log_softmax)

# %% [markdown]
# ## Summary
#
# - Sigmoid + binary cross-entropy: $\partial L/\partial p = (p - y)/\big(p(1-p)\big)$ and $dp/dz = p(1-p)$; the factor $p(1-p)$ cancels and $\partial L/\partial z = p - y$. A confidently wrong model ($z = 6$, $y = 0$) gets a push of $0.9975$, close to the maximum of 1, although $\partial L/\partial p$ alone is 404.
# - Softmax + cross-entropy: $\nabla_z L = p - \text{onehot}(k)$. The true logit is raised by $1 - p_k$, every rival lowered by its own probability, and the pushes sum to zero: a competition for one unit of probability.
# - Logistic regression follows: $w \leftarrow w - \eta\,(p - y)\,x$. One SGD step can raise the loss on the whole data set; on average the steps go downhill. Too small an $\eta$ crawls, too large an $\eta$ jumps around.
# - Logits are negative energies and softmax is the Gibbs distribution: low temperature freezes onto the best class, high temperature spreads evenly (entropy $\to \ln C$); the loss is $(E_k - F)/T$.
# - In float64, $e^z$ overflows past $z \approx 709.78$ and $e^{-a}$ rounds to 0 a little past $a = 744.44$ (at $a = 745.2$ it is 0). `log(softmax([1000, 1]))` gives $-\infty$ (or `nan`); the log-sum-exp form gives $[0, -999]$. Always hand logits to the loss.
# - A hand-derived gradient is checked with central finite differences: at $\epsilon = 10^{-6}$ a correct gradient agrees to far below $10^{-8}$, a wrong one is off by about the size of the gradient.
#
# **Previous:** [01 · Surprise](01_surprise.ipynb). **Next:** [03 · MSE vs cross-entropy](03_mse_vs_ce.ipynb) compares this gradient with the one squared error gives, and shows why squared error stalls when the model is confidently wrong.
