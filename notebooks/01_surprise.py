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
# # 01 · Surprise: where cross-entropy comes from
#
# **After this notebook you will be able to**
# - compute the surprise $-\log p$ of an outcome and explain why it grows by a fixed amount, not a factor, when the odds get ten times worse;
# - convert between nats and bits, and say why the choice of base never changes what a model learns;
# - read entropy as *expected* surprise and cross-entropy as expected surprise under a *wrong* belief, and split cross-entropy into entropy plus KL divergence;
# - explain cross-entropy as the length of a code, and KL divergence as the bits a wrong code wastes.
#
# **Prerequisites:** logarithms, and what a probability distribution is. **Time:** about 30 minutes.
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
from xentlib.lessons.surprise import exercises, experiments, figures

# %% [markdown]
# ## 1. A forecaster's surprise
#
# A weather forecaster says "10 % chance of rain", and then it rains. How surprised should she be? Less than if she had said 1 %, more than if she had said 50 %. The measure that machine learning settled on is
#
# $$ \text{surprise}(p) = -\ln p, $$
#
# where $p$ is the probability she gave to **what actually happened**. It is 0 when she was certain and right ($p = 1$), and it grows without bound as $p \to 0$. A classifier's cross-entropy loss on one example is exactly this number: the surprise of the model at the true label.

# %%
# NBVAL_CHECK_OUTPUT
for p in (0.5, 0.1, 0.01):
    print(f"p = {p:<5}  surprise = {xl.surprisal(p):.3f} nats")

# %% [markdown]
# Going from $p = 0.1$ to $p = 0.01$ makes the odds ten times worse, but the surprise does not become ten times larger: it goes from 2.303 to 4.605, so it *doubles* here, and more importantly it rises by a fixed step,
#
# $$ -\ln\frac{p}{10} - (-\ln p) = \ln 10 \approx 2.303 , $$
#
# whatever $p$ was. Logarithms turn "times ten" into "plus 2.303". The penalty is still severe where it matters: as $p \to 0$ the surprise is unbounded, so a model that is confidently wrong pays without limit.

# %%
# NBVAL_CHECK_OUTPUT
step = xl.surprisal(0.01) - xl.surprisal(0.1)
print(f"extra surprise for ten times worse odds: {step:.3f} nats;  ln 10 = {math.log(10):.3f}")

# %% [markdown]
# **Try it.** Move the slider. The blue point is the surprise at $p$, the red one at $p/10$. Does the dashed gap ever change length? Use the scene buttons to jump between a hesitant miss and a confident one, and switch the unit.

# %%
figures.surprise_curve(p=0.1)

# %% [markdown]
# ## 2. Nats, bits, bans: the base is only a unit
#
# With the natural log the unit is the **nat**; with $\log_2$ it is the **bit**. Since $\log_2 p = \ln p / \ln 2$, changing the base multiplies every surprise, and therefore every loss and every gradient, by the same constant. It rescales the learning rate; it never changes which model is best.

# %%
# NBVAL_CHECK_OUTPUT
for p in (0.5, 0.1, 0.01):
    nats, bits = xl.surprisal(p), xl.surprisal(p, base=2)
    print(f"p = {p:<5} {nats:.3f} nats = {bits:.3f} bits   (ratio {bits / nats:.4f} = 1 / ln 2)")

# %% [markdown]
# ## 3. Entropy: the surprise you expect
#
# Before the weather happens, the forecaster can ask how surprised she *expects* to be. If rain really has probability $p$, she is surprised by $-\ln p$ with probability $p$ and by $-\ln(1-p)$ otherwise. The average over outcomes is the **entropy**
#
# $$ H(p) = -\sum_k p_k \ln p_k . $$
#
# It is the irreducible uncertainty of the weather itself: no forecaster, however good, can expect less surprise than this on average. A fair coin has one bit of entropy; a coin that always lands heads has none.

# %%
# NBVAL_CHECK_OUTPUT
print(f"fair coin:        {xl.entropy([0.5, 0.5], base=2):.3f} bits")
print(f"90/10 coin:       {xl.entropy([0.9, 0.1], base=2):.3f} bits")
print(f"always heads:     {xl.entropy([1.0, 0.0], base=2):.3f} bits")
print(f"fair 8-sided die: {xl.entropy(np.full(8, 1 / 8), base=2):.3f} bits")

# %% [markdown]
# ## 4. Cross-entropy: expected surprise under a wrong belief
#
# Now suppose the world follows $p$ but the forecaster *believes* $q$. She is still surprised by $-\ln q_k$ when outcome $k$ happens, but outcomes happen with the true frequencies $p_k$. Her expected surprise is the **cross-entropy**
#
# $$ H(p, q) = -\sum_k p_k \ln q_k . $$
#
# It splits into two parts: the entropy she cannot avoid, plus the extra she pays for believing the wrong thing,
#
# $$ H(p, q) = H(p) + D_{\mathrm{KL}}(p \,\|\, q), \qquad D_{\mathrm{KL}}(p\,\|\,q) = \sum_k p_k \ln \frac{p_k}{q_k} \ \ge 0 . $$
#
# The KL divergence is zero only when $q = p$. So when we train a model by minimising cross-entropy against data from $p$, the only part we can change is the KL term, and the best belief is the truth.

# %%
# NBVAL_CHECK_OUTPUT
p_true, q_belief = np.array([0.3, 0.7]), np.array([0.6, 0.4])
h, ce, kl = xl.entropy(p_true), xl.cross_entropy(p_true, q_belief), xl.kl_divergence(p_true, q_belief)
print(f"H(p) = {h:.4f}   KL(p||q) = {kl:.4f}   H(p) + KL = {h + kl:.4f}   H(p, q) = {ce:.4f}")

# %% [markdown]
# **Try it.** Set the true chance of rain $p$, then move your belief $q$. Where is the blue curve lowest? How long is the red gap between cross-entropy and entropy when you are overconfident, say $q = 0.95$ while $p = 0.3$? Notice how the curve shoots up near the edges: confident beliefs that turn out wrong are what cross-entropy punishes hardest.

# %%
figures.belief_vs_truth(p=0.3, q=0.6)

# %% [markdown]
# ### One-hot targets: the loss you train with
#
# In classification the "true distribution" for one example is one-hot: all its mass is on the observed class $k$. Then every term of the sum vanishes except one, and
#
# $$ H(\text{one-hot}_k, q) = -\ln q_k , $$
#
# the surprise of section 1. The cross-entropy *loss* is just the model's surprise at the right answer, averaged over the training examples.

# %%
# NBVAL_CHECK_OUTPUT
q_model = np.array([0.2, 0.7, 0.1])
one_hot = np.array([0.0, 1.0, 0.0])
print(f"H(one-hot, q) = {xl.cross_entropy(one_hot, q_model):.4f};  -ln q[1] = {xl.surprisal(q_model[1]):.4f}")

# %% [markdown]
# ## 5. The coder's view: cross-entropy is a length
#
# Information theory gives the same quantities a second meaning. To send a stream of symbols in as few bits as possible, give frequent symbols short codewords. Shannon showed the best possible length for a symbol of probability $q_k$ is $-\log_2 q_k$ bits; so the surprise of an outcome is the length of its ideal codeword.
#
# - If you build the code for the true distribution $p$, the average length is the entropy $H(p)$: nobody can do better.
# - If you build it for a wrong distribution $q$ and use it on data from $p$, the average length is the cross-entropy $H(p, q)$ bits.
# - The difference, $D_{\mathrm{KL}}(p\,\|\,q)$, is the number of bits per symbol your wrong code **wastes**.
#
# This is the *minimum description length* view of learning: a model is a code for the data, and the model with the lowest cross-entropy is the one that compresses the data best. Training a classifier and building a compressor are the same problem.
#
# **Try it.** Four kinds of weather with probabilities ½, ¼, ⅛, ⅛ have ideal codes of 1, 2, 3 and 3 bits. Slide the mismatch to use a code built for a different distribution. Which symbols get longer codewords, and how many bits do you waste per symbol at full mismatch?

# %%
figures.code_lengths(mismatch=0.5)

# %%
# NBVAL_CHECK_OUTPUT
weather = np.array(list(experiments.WEATHER.values()))
print(f"entropy of the weather: {xl.entropy(weather, base=2):.3f} bits per symbol")
print(f"ideal code lengths:     {-np.log2(weather)} bits")

# %% [markdown]
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("01.odds")

# %%
extra_nats = None  # your answer: a number
exercises.check("01.odds", extra_nats)

# %%
exercises.ask("01.wasted_bits")

# %%
wasted_bits = None  # your answer: a number
exercises.check("01.wasted_bits", wasted_bits)

# %%
exercises.ask("01.cross_entropy")

# %%
my_cross_entropy = None  # replace with: def my_cross_entropy(p, q): ...
exercises.check("01.cross_entropy", my_cross_entropy)

# %% [markdown]
# ## Summary
#
# - The surprise of an outcome given probability $p$ is $-\log p$. Ten times worse odds add $\ln 10 \approx 2.303$ nats; they do not multiply the loss by ten. Surprise is unbounded as $p \to 0$.
# - The base of the log is a unit (nats, bits): it rescales every loss and gradient by a constant and never changes the best model.
# - Entropy $H(p)$ is the expected surprise when you know the truth; cross-entropy $H(p, q)$ is the expected surprise when you believe $q$. Their difference is $D_{\mathrm{KL}}(p\,\|\,q) \ge 0$, zero only at $q = p$.
# - With a one-hot target, cross-entropy is $-\ln q_k$: the classification loss is the model's surprise at the right answer.
# - In coding terms, $-\log_2 q$ is a codeword length, $H(p,q)$ the average length of a code built for $q$, and KL the bits it wastes. Minimising cross-entropy is finding the shortest description of the data.
#
# **Next:** [02 · Gradients](02_gradients.ipynb) shows why this loss, paired with a sigmoid or softmax, gives the simplest possible learning signal.
