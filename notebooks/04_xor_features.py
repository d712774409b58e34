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
# # 04 · XOR: a loss is only as good as the representation it sees
#
# **After this notebook you will be able to**
# - explain why a linear logistic model on XOR cannot do better than predicting 0.5 everywhere, and why its loss is stuck at exactly $\ln 2 \approx 0.693$ nats;
# - prove it with a symmetry argument: the loss is even in the weights and convex, so the best weights are $w = 0$;
# - make XOR linearly separable with one extra feature, $x_1 x_2$, and watch the loss fall towards 0;
# - read the hidden units of a tiny network as features it learnt, and say why one tanh unit is not enough but two are.
#
# **Prerequisites:** cross-entropy as surprise ([01](01_surprise.ipynb)), logistic regression and its gradient $p - y$ ([02](02_gradients.ipynb)). **Time:** about 35 minutes.
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
from xentlib import landscape
from xentlib.lessons.xor_features import exercises, experiments, figures
from xentlib.models import LogisticRegression

# %% [markdown]
# ## 1. The XOR problem
#
# Points sit in four noisy clusters around the corners $(\pm 1, \pm 1)$ of a square. The label is 1 when the signs of $x_1$ and $x_2$ **differ** (top-left and bottom-right corners) and 0 when they agree. The two classes sit on the two diagonals, so no straight line can put one class on each side.
#
# Our data set has one more property, which will make an argument below exact rather than approximate: every point $x$ comes with its mirror image $-x$. Mirroring keeps the product $x_1 x_2$, so it keeps the label.

# %%
# NBVAL_CHECK_OUTPUT
X, y = xl.datasets.xor_data()
print(f"{len(X)} points, {y.mean():.0%} of them with label 1")
print(f"label 1 exactly where x1 * x2 < 0: {np.array_equal(y == 1, X[:, 0] * X[:, 1] < 0)}")

# %% [markdown]
# ## 2. A straight line cannot beat a coin
#
# A logistic regression predicts $p = \sigma(w_1 x_1 + w_2 x_2 + b)$. Its decision boundary is the line where $w^\top x + b = 0$, and $p$ changes only across that line.
#
# **Try it.** Move the sliders. The left panel shows the model's probability of label 1 over the plane; the right panel shows the mean cross-entropy for every pair $(w_1, w_2)$ at your bias $b$, with your weights as the orange dot. Can you find any setting whose loss is below $\ln 2 = 0.693$? Try the scene "75% accurate, still worse than ln 2": a line that gets three corners right is confidently wrong on the fourth, and that costs more than it gains.

# %%
figures.linear_xor()

# %%
# NBVAL_CHECK_OUTPUT
w, b = np.array([1.0, 1.0]), 1.0
print(f"w = (1, 1), b = 1:  loss {landscape.linear_losses(X, y, w, b):.3f} nats, "
      f"accuracy {LogisticRegression(2, w=w, b=b).accuracy(X, y):.0%}")
print(f"w = (0, 0), b = 0:  loss {landscape.linear_losses(X, y, [0.0, 0.0], 0.0):.3f} nats, the coin flip")

# %% [markdown]
# ### Why $w = 0$ is the best line
#
# Write $L(w, b)$ for the mean cross-entropy of the linear model. Two facts decide everything.
#
# 1. **Symmetry.** Replacing $w$ by $-w$ turns the logit of point $x$ into the logit the old model gave the mirrored point $-x$, and $-x$ has the same label and is also in the data. So the same losses are summed in a different order:
#    $$ L(-w, b) = L(w, b). $$
# 2. **Convexity.** Cross-entropy is convex in $(w, b)$ (notebook 03). So the midpoint of $w$ and $-w$ is at least as good as either:
#    $$ L(0, b) = L\big(\tfrac12 w + \tfrac12(-w),\, b\big) \le \tfrac12 L(w, b) + \tfrac12 L(-w, b) = L(w, b). $$
#
# Whatever line you pick, flattening it to $w = 0$ does not hurt. With $w = 0$ the model says the same $p = \sigma(b)$ for every point; half the labels are 1, so the best constant is $p = \tfrac12$, i.e. $b = 0$, and the loss is
#
# $$ L(0, 0) = -\tfrac12 \ln \tfrac12 - \tfrac12 \ln \tfrac12 = \ln 2 . $$
#
# Gradient descent agrees. At $w = 0, b = 0$ the gradient $\frac1N\sum_i (p_i - y_i)\,x_i$ with $p_i = \tfrac12$ is exactly zero (in $\partial L/\partial w$ each point cancels its mirror image; in $\partial L/\partial b$ half the labels are 1), and for a convex loss a zero gradient means a global minimum. Started from a random line, training walks back to $w = 0$.

# %%
# NBVAL_CHECK_OUTPUT
grad_w, grad_b = LogisticRegression(2).gradient(X, y)  # at w = 0, b = 0
print(f"gradient at w = 0, b = 0:  |dL/dw| = {np.linalg.norm(grad_w):.3f},  |dL/db| = {abs(grad_b):.3f}")

rng = np.random.default_rng(4)
model = LogisticRegression(2, w=rng.normal(scale=2.0, size=2), b=rng.normal())
history = model.fit(X, y, lr=0.5, steps=300)
print(f"random start: loss {history.loss[0]:.3f} nats;  after 300 steps: {history.loss[-1]:.3f} nats;  ln 2 = {np.log(2):.3f}")
print(f"after training: largest |w| = {np.abs(model.w).max():.3f},  |b| = {abs(model.b):.3f}")

# %% [markdown]
# The loss landscape says the same: on a grid of weights from −3 to 3 in steps of 0.2, the lowest loss sits at $w = 0$ whatever the bias.

# %%
# NBVAL_CHECK_OUTPUT
for bias in (-1.0, 0.0, 1.0):
    loss, w1, w2 = landscape.best_on_grid(X, y, bias)
    print(f"b = {bias:+.1f}:  lowest loss {loss:.3f} nats at w = ({abs(w1):.1f}, {abs(w2):.1f})")

# %% [markdown]
# > **Aside: a plain random sample.** Without the mirrored points the symmetry holds only on average. The best line on a finite sample then beats $\ln 2$ by a sliver, by fitting quirks of that sample's noise; on fresh data the gain is gone.

# %%
# NBVAL_CHECK_OUTPUT
X_plain, y_plain = xl.datasets.xor(200, seed=0)
plain = LogisticRegression(2)
plain.fit(X_plain, y_plain, lr=2.0, steps=200)
X_fresh, y_fresh = xl.datasets.xor(4000, seed=1)
print(f"on its own sample: {plain.loss(X_plain, y_plain):.4f} nats;  on fresh data: {plain.loss(X_fresh, y_fresh):.4f} nats;  ln 2 = {np.log(2):.4f}")

# %% [markdown]
# So for a linear model on these inputs the best cross-entropy is $\ln 2$, the entropy of the labels themselves. As far as any line can tell, $x_1$ and $x_2$ carry no information about the label. The loss is doing its job perfectly: it reports, honestly, that the model is no better than a coin.
#
# ## 3. Give the model the right feature
#
# The information is there; it is just not *linear* in $x_1$ and $x_2$. The product $x_1 x_2$ is negative exactly when the signs differ, so in the feature space $[x_1, x_2, x_1 x_2]$ the classes are split by the plane $x_1 x_2 = 0$. The model is still logistic regression, still trained on cross-entropy; only its input has changed:
#
# $$ p = \sigma(w_1 x_1 + w_2 x_2 + w_3\, x_1 x_2 + b). $$
#
# **Try it.** Here $w_1 = w_2 = 0$ (by the symmetry above they stay useless) and you control the weight $w_3$ on the product. Which sign does it need? What happens to the loss as $|w_3|$ grows? Does it ever reach 0?

# %%
figures.product_feature()

# %% [markdown]
# Trained by gradient descent on all three features, logistic regression leaves $w_1$ and $w_2$ at zero and puts a large negative weight on $x_1 x_2$. The loss keeps falling and the accuracy reaches 100 %:

# %%
# NBVAL_CHECK_OUTPUT
F = xl.datasets.product_features(X)  # columns x1, x2, x1*x2
model3 = LogisticRegression(3)
history3 = model3.fit(F, y, lr=0.5, steps=400)
for t in (0, 10, 50, 100, 400):
    print(f"step {t:>3}: loss {history3.loss[t]:.3f} nats, accuracy {history3.accuracy[t]:.0%}")
print(f"largest |weight| on x1, x2: {np.abs(model3.w[:2]).max():.3f};  weight on x1*x2: {model3.w[2]:.2f}")

# %% [markdown]
# The loss never quite reaches 0. When the data are separable, making the weights larger always makes every prediction more confident and the loss smaller, so there is no minimum at finite weights: each doubling of $w_3$ cuts the loss again.

# %%
# NBVAL_CHECK_OUTPUT
product = F[:, 2:]
for w3 in (-3.0, -6.0, -12.0, -24.0):
    print(f"w3 = {w3:>5.0f}:  loss {landscape.linear_losses(product, y, [w3]):.5f} nats")

# %% [markdown]
# ## 4. A network that finds the feature itself
#
# We found $x_1 x_2$ by thinking. A neural network finds such features by gradient descent on the same cross-entropy. The smallest one has a single hidden layer of tanh units,
#
# $$ h = \tanh(W x + c), \qquad p = \sigma(v^\top h + b). $$
#
# Each hidden unit $h_j = \tanh(w_j^\top x + c_j)$ is a soft step across one line, $w_j^\top x + c_j = 0$: about −1 on one side, +1 on the other. The output is logistic regression on the features $h$, the same model as in section 3, except that the features are learnt, not given.
#
# **Try it.** Slide through training and watch the hidden units' lines (dashed) move until the orange and blue corners fall into different regions. The bottom row shows each unit's activation over the plane, the features the output layer combines. Then switch the number of hidden units: how low does the loss get with 1 unit? With 2? (The grey curves are the other sizes.)

# %%
figures.mlp_training()

# %%
# NBVAL_CHECK_OUTPUT
for hidden in (1, 2, 3, 4):
    run = experiments.xor_run(hidden)
    print(f"{hidden} hidden unit{'s' if hidden > 1 else ' '}: loss after {run.steps[-1]} steps {run.loss[-1]:.3f} nats, accuracy {run.accuracy[-1]:.0%}")

# %% [markdown]
# **Why one unit is not enough.** With one unit, $p$ is a monotone function of a single projection $w^\top x$: the network can only draw one line and grade it. Project the four corners onto any direction: one class's two corners always lie between (or level with) the other class's two, so a function that only rises, or only falls, along that direction cannot separate them. The best it can do is be certain about one corner and lump the other three together; two of those three have label 1, so it says $p = \tfrac23$ for them. Its mean loss is then
#
# $$ \tfrac14 \cdot 0 + \tfrac34\, H\big(\tfrac13\big) = \tfrac34\left(\ln 3 - \tfrac23 \ln 2\right) \approx 0.477 \text{ nats}, $$
#
# with 75 % accuracy: the plateau of the one-unit curve. Two lines are enough: they fence the two "signs agree" corners into one diagonal band and leave the "signs differ" corners outside it, and then the loss can go to 0.

# %%
# NBVAL_CHECK_OUTPUT
print(f"one unit, best possible: (3/4) H(1/3) = {0.75 * xl.entropy([1 / 3, 2 / 3]):.3f} nats")

# %% [markdown]
# **The price of learnt features: starts matter.** The linear model's loss was convex, with one minimum. A network's loss is not. From another random start, a two-unit network gets stuck: it becomes certain about the two left-hand corners and says $p \approx 0.5$ for the two right-hand ones, so its loss is about half of $\ln 2$.

# %%
# NBVAL_CHECK_OUTPUT
stuck = experiments.xor_run(2, seed=0)
print(f"2 units from seed 0: loss {stuck.loss[-1]:.3f} nats;  ln 2 / 2 = {np.log(2) / 2:.3f}")

# %% [markdown]
# What did the two-unit network learn? Plot every point at its hidden features $(h_1, h_2)$ instead of $(x_1, x_2)$. The hidden layer folds the plane: the two "signs agree" corners land on the same spot, and the output layer's straight line now separates the classes. The network has built its own version of the product feature.

# %%
figures.hidden_space()

# %% [markdown]
# ## 5. A loss is only as good as the representation it sees
#
# The loss was the same cross-entropy in all three models, and gradient descent followed the same signal, $p - y$ at the logit. What changed was what the model could express.
#
# - On the raw inputs, the best linear model scores $\ln 2$: cross-entropy correctly reports "no information", because no line can use the information that is there.
# - Given $x_1 x_2$, the same loss and the same optimiser drive the loss towards 0.
# - A network learns a representation in which a linear model works; cross-entropy, pushed back through the hidden layer, is what shapes the features.
#
# A poor loss value is therefore not always a sign of a poor loss function or a poor optimiser. It can mean that the model cannot *see* the structure in the data. Changing the loss would not have helped the linear model here: changing its features did.
#
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("04.guess_bits")

# %%
guess_bits = None  # your answer: a number
exercises.check("04.guess_bits", guess_bits)

# %%
exercises.ask("04.feature")

# %%
f = None  # replace with: def f(x1, x2): return ...
exercises.check("04.feature", f)

# %%
exercises.ask("04.hidden_units")

# %%
hidden_units = None  # your answer: a whole number
exercises.check("04.hidden_units", hidden_units)

# %% [markdown]
# ## Summary
#
# - On XOR a linear logistic model cannot beat predicting 0.5 everywhere: its best loss is $\ln 2 \approx 0.693$ nats, the entropy of the labels.
# - The reason is symmetry plus convexity: $L(-w, b) = L(w, b)$ on data closed under $x \mapsto -x$, so $L(0, b) \le L(w, b)$; the gradient at $w = 0, b = 0$ is zero, and training from a random start returns there.
# - A line that gets three corners right (75 %) still has a higher loss than the coin flip, because it is confidently wrong on the fourth.
# - Adding the feature $x_1 x_2$ makes XOR linearly separable; the same loss then falls towards 0, without ever reaching it at finite weights.
# - A tiny tanh network learns such a feature: one unit can only grade one line (best loss $\tfrac34 H(\tfrac13) \approx 0.477$), two units can cut out a band and solve XOR. Its loss is not convex, so some starts get stuck.
# - A loss is only as good as the representation it sees.
#
# **Previous:** [03 · Squared error vs cross-entropy](03_mse_vs_ce.ipynb). **Next:** [05 · Calibration](05_calibration.ipynb) asks what the probabilities a well-trained model outputs actually mean.
