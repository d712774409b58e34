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
# # 05 · Calibration: when a model says 70 %, is it right 70 % of the time?
#
# **After this notebook you will be able to**
# - explain why, at a decision boundary, the 0-1 loss (accuracy) cannot tell an honest forecast from a reckless one, while cross-entropy and the Brier score can;
# - say what makes a scoring rule *proper*, and show that the expected cross-entropy lost by reporting $q$ instead of the true $p$ is exactly $D_{\mathrm{KL}}(p\,\|\,q)$;
# - read a reliability diagram and compute the expected calibration error (ECE);
# - recognise an overconfident network, and repair it with temperature scaling fitted on held-out data;
# - explain why a prediction market that pays the log score makes honesty a trader's best strategy.
#
# **Prerequisites:** entropy, cross-entropy and KL divergence ([01](01_surprise.ipynb)); sigmoid, logits and temperature ([02](02_gradients.ipynb)); the tiny tanh network of [04](04_xor_features.ipynb). **Time:** about 40 minutes.
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
import numpy as np

import xentlib as xl
from xentlib.calibration import (
    excess_loss,
    expected_loss,
    expected_loss_grad,
    expected_market_profit,
    forecaster_tournament,
    market_payoff,
    temperature_scale,
)
from xentlib.datasets import true_probability
from xentlib.lessons.calibration import exercises, experiments, figures

# %% [markdown]
# ## 1. A forecast on the boundary
#
# Two classes overlap: class 0 has its inputs spread as a bell curve around $x = -1$, class 1 around $x = +1$ (both with standard deviation 1), and the two are equally common. Bayes' rule gives the **true** probability of class 1 at each point,
#
# $$ p(x) = P(y = 1 \mid x) = \sigma(2x), $$
#
# so at the boundary $x = 0$ the truth is a coin flip, $p = \tfrac12$. No model can do better there than to say so. The question of this section: does the loss we train with *reward* a model for saying so?
#
# A forecaster reports $q = P(y = 1)$, then the label is drawn, and she is charged by one of three rules:
#
# | rule | charge when $y = 1$ | charge when $y = 0$ | expected charge when $y \sim \mathrm{Bernoulli}(p)$ |
# |---|---|---|---|
# | 0-1 loss (she predicts 1 if $q > \tfrac12$) | $[q \le \tfrac12]$ | $[q > \tfrac12]$ | $1 - p$ if $q > \tfrac12$, else $p$ |
# | cross-entropy | $-\ln q$ | $-\ln(1 - q)$ | $-p\ln q - (1 - p)\ln(1 - q)$ |
# | Brier score | $(1 - q)^2$ | $q^2$ | $(q - p)^2 + p(1 - p)$ |
#
# At $p = \tfrac12$ the expected 0-1 loss is $\tfrac12$ **whatever $q$ is**: a model that says 51 % and one that says 99 % make the same prediction, so they make the same mistakes. Cross-entropy sees the difference.

# %%
# NBVAL_CHECK_OUTPUT
print("at the boundary, p = 0.5:")
print("report q   0-1 loss   cross-entropy   Brier")
for q in (0.5, 0.7, 0.9, 0.99):
    print(f"  {q:<6} {expected_loss(q, 0.5, rule='zero-one'):>9.3f} {expected_loss(q, 0.5):>12.4f} nats"
          f" {expected_loss(q, 0.5, rule='brier'):>8.4f}")
print(f"at x = 1 the truth is p = sigma(2) = {true_probability(1.0):.2f}")

# %% [markdown]
# The honest report $q = 0.5$ has expected cross-entropy $\ln 2 \approx 0.6931$ nats, the entropy of a coin flip: no report can do better, because the label really is a coin flip. Every step towards confidence costs more, and the cost accelerates: $q = 0.99$ costs 2.3076 nats, more than three times as much. The Brier score agrees on the ranking, more gently (0.25 rising to 0.4901).
#
# **Try it.** Move the point $x$ and your report $q$. The left panels show where you are between the two classes and the true $p$ there; the right panel shows the expected loss of every report. Where is each curve lowest? Start on the boundary, then try the scenes: at $x = 1$ the truth is $p \approx 0.88$. What does the 0-1 loss say about reporting 0.6 instead of 0.88?

# %%
figures.scoring_rules()

# %% [markdown]
# The flat stretches of the 0-1 curve are why nobody trains with it: its gradient is zero wherever it exists, so it cannot tell a model which way to move $q$. The cross-entropy gradient with respect to the report,
#
# $$ \frac{\partial}{\partial q}\Big[-p\ln q - (1-p)\ln(1-q)\Big] = \frac{q - p}{q(1 - q)}, $$
#
# is zero exactly at $q = p$ and grows without bound as an overconfident $q$ approaches 0 or 1; the Brier gradient is the gentler $2(q - p)$.

# %%
# NBVAL_CHECK_OUTPUT
for rule in ("zero-one", "log", "brier"):
    grads = expected_loss_grad(np.array([0.5, 0.9, 0.99]), 0.5, rule=rule)
    print(f"{rule:>8}: d(expected loss)/dq at q = 0.5, 0.9, 0.99 (p = 0.5): {np.round(grads, 3) + 0.0}")

# %% [markdown]
# ## 2. Proper scoring rules, and why the excess is a KL divergence
#
# A scoring rule is **proper** if, for every true probability $p$, reporting $q = p$ minimises the expected loss; **strictly proper** if nothing else does. Then a forecaster, or a model trained by minimising the expected loss, has no reason to say anything but what it believes. Cross-entropy is strictly proper, and notebook 01 already told us why: the expected cross-entropy splits into the entropy of the truth and a divergence,
#
# $$ \mathbb{E}_{y \sim p}\big[-\ln q_y\big] = H(p, q) = H(p) + D_{\mathrm{KL}}(p\,\|\,q), $$
#
# and only the divergence depends on the report. So the **excess** expected loss of a report $q$ over the best one is exactly $D_{\mathrm{KL}}(p\,\|\,q) \ge 0$, zero only at $q = p$. For the Brier score the excess is $(q - p)^2$. The `excess` row of the figure's readout shows both.

# %%
# NBVAL_CHECK_OUTPUT
for p, q in ((0.5, 0.9), (0.5, 0.99), (0.8, 0.6), (0.1, 0.3)):
    excess = expected_loss(q, p) - expected_loss(p, p)
    kl = xl.kl_divergence([p, 1 - p], [q, 1 - q])
    print(f"p = {p:<4} q = {q:<5} excess cross-entropy {excess:.4f} nats = KL(p||q) {kl:.4f};"
          f"  excess Brier {excess_loss(q, p, rule='brier'):.4f} = (q - p)^2")

# %% [markdown]
# The two proper rules differ in how hard they punish a report that rules out what happens. The Brier excess can never exceed 1, but the KL divergence is unbounded: saying "0.1 %" for a coin flip costs 2.76 nats of excess cross-entropy and only 0.249 of excess Brier score. This is why training on cross-entropy pushes so hard against confident mistakes.

# %%
# NBVAL_CHECK_OUTPUT
print(f"p = 0.5, q = 0.001:  excess cross-entropy {excess_loss(0.001, 0.5):.2f} nats,"
      f"  excess Brier {excess_loss(0.001, 0.5, rule='brier'):.3f}")

# %% [markdown]
# **Properness is not automatic.** Score forecasts by the absolute error $|q - y|$, which looks just as reasonable as the squared one. Its expected value $p(1 - q) + (1 - p)q$ is a straight line in $q$, so the best report is always 0 or 1: an improper rule rewards exactly the overconfidence we want to avoid.

# %%
# NBVAL_CHECK_OUTPUT
for q in (0.7, 1.0):
    print(f"p = 0.7, absolute error: report {q:.1f} expects {expected_loss(q, 0.7, rule='absolute'):.2f}")

# %% [markdown]
# The same holds on real samples, not only in expectation. Below, 20 000 events each have a known probability $p$ between 0.05 and 0.95, and happen with that probability. Five forecasters all know every $p$ but report it through a temperature, $q = \sigma(\operatorname{logit}(p)/T)$: $T < 1$ exaggerates, $T > 1$ hedges, $T = 1$ is honest. Both proper rules crown the honest forecaster.

# %%
# NBVAL_CHECK_OUTPUT
tournament = forecaster_tournament([0.5, 0.8, 1.0, 1.25, 2.0])
for t, log_loss, brier in zip(*tournament):
    kind = "honest" if t == 1 else "exaggerates" if t < 1 else "hedges"
    print(f"T = {t:<4} ({kind:>11}):  mean cross-entropy {log_loss:.4f} nats,  mean Brier {brier:.4f}")

# %% [markdown]
# ## 3. Does 70 % mean 70 %? Reliability diagrams and the ECE
#
# Now a trained model. We draw the two classes in two dimensions: the first coordinate $x_1$ is the informative one from section 1, the second, $x_2$, is pure noise. Only **60** points are for training; 1000 more form a *validation* split and 2000 a *test* split, both unseen during training. A tanh network with 32 hidden units (`TinyMLP`, notebook 04) is trained for 800 full-batch gradient steps on the training points, with no regularisation and no early stopping: plenty of capacity, very little data.
#
# Since we know the true probabilities $\sigma(2x_1)$, we can compare the network with the best possible model.

# %%
# NBVAL_CHECK_OUTPUT
net = experiments.overconfident_run()  # trained once and cached (about half a second)
data, z_test, z_val = net.data, net.test_logits[-1], net.val_logits[-1]
p_test, p_true = xl.sigmoid(z_test), true_probability(data.X_test)
print(f"network, training set: loss {net.run.loss[-1]:.3f} nats, accuracy {net.run.accuracy[-1]:.1%}")
print(f"network, test set:     loss {xl.binary_cross_entropy(p_test, data.y_test):.3f} nats,"
      f" accuracy {np.mean((p_test > 0.5) == data.y_test):.1%}")
print(f"true probabilities:    loss {xl.binary_cross_entropy(p_true, data.y_test):.3f} nats,"
      f" accuracy {np.mean((p_true > 0.5) == data.y_test):.1%}")

# %% [markdown]
# On its own training points the network looks excellent (loss 0.112 nats); on new points its loss is 0.975 nats, far above the 0.355 of the true probabilities, although its accuracy (77.6 % against 83.9 %) is not that much worse. Loss and accuracy disagree because the network's **probabilities** are wrong: it is confident when it has no reason to be.
#
# A **reliability diagram** makes this visible. Sort the test predictions into bins of predicted probability (0–0.1, 0.1–0.2, …) and, in each bin, compare the mean prediction with how often the event actually happened. For a calibrated model every bar reaches the diagonal: of all the cases it calls "70 %", about 70 % are class 1. The **expected calibration error** summarises the gaps, weighting each bin $b$ by its share $n_b / N$ of the examples:
#
# $$ \mathrm{ECE} = \sum_b \frac{n_b}{N}\,\big|\,\mathrm{freq}_b - \mathrm{conf}_b\,\big| . $$
#
# (Here "conf" is the mean predicted $P(y = 1)$ in the bin and "freq" the fraction of class 1. We use 10 bins in the pictures and the default 15 for the numbers.)

# %%
figures.reliability_comparison()

# %%
# NBVAL_CHECK_OUTPUT
print(f"ECE of the network:            {xl.expected_calibration_error(p_test, data.y_test):.3f}")
print(f"ECE of the true probabilities: {xl.expected_calibration_error(p_true, data.y_test):.3f}")
top = xl.reliability_curve(p_test, data.y_test, n_bins=10)  # the bins of the diagram; the last one is 0.9-1
print(f"network's top bin: {top.count[-1] / top.count.sum():.0%} of the test points,"
      f" mean prediction {top.confidence[-1]:.2f}, class 1 in fact {top.accuracy[-1]:.0%} of the time")

# %% [markdown]
# Read the network's diagram from the right: its top bin holds 49 % of all test points, and there it promised class 1 with a mean probability of 0.98, but only 79 % of them were class 1. On the left the mirror image: "almost surely class 0" turned out to be class 1 a fair fraction of the time. Bars below the diagonal on the right and above it on the left are the signature of **overconfidence**. The true probabilities, by contrast, sit on the diagonal up to sampling noise (an ECE of 0.021 from 2000 points, not 0).
#
# ## 4. How training made it overconfident
#
# **Try it.** Replay the training. Left: the network's $P(y = 1)$ over the plane, with the 60 training points. Middle: the training loss and the loss on the test set. Right: the test set's reliability diagram. At which step is the held-out loss lowest, and what does the diagram look like there? What happens to the coloured surface, and to the diagram, as training continues?

# %%
figures.overfitting()

# %% [markdown]
# For the first few steps both losses fall together: the network learns that $x_1$ matters, and at the best step its test loss is close to the best possible. After that, every further drop of the *training* loss comes from bending the boundary around individual training points (look at the islands in the noise direction $x_2$) and, above all, from making the logits larger: cross-entropy on a training point that is already classified correctly keeps falling as its logit grows, so gradient descent keeps scaling them up. On new points those large logits turn into extreme probabilities, and the mistakes among them are charged $-\ln(\text{tiny})$. (The small bump in the training loss partway through is one gradient step overshooting with this fairly large learning rate; the next steps recover.)

# %%
# NBVAL_CHECK_OUTPUT
test_losses = [xl.binary_cross_entropy_with_logits(z, data.y_test) for z in net.test_logits]
best = int(np.argmin(test_losses))
for k, when in ((0, "start"), (best, "lowest held-out loss"), (-1, "end")):
    print(f"step {net.run.steps[k]:>3} ({when:>20}): test loss {test_losses[k]:.3f} nats,"
          f" mean |logit| {np.abs(net.test_logits[k]).mean():.2f}")

# %% [markdown]
# Stopping at step 20 would have helped here, and early stopping is one remedy. The other, which works after the fact on any trained model, is to leave the network alone and recalibrate its outputs.
#
# ## 5. Temperature scaling: one number, fitted on held-out data
#
# Divide every logit by one temperature $T > 0$ before the sigmoid (or softmax):
#
# $$ q_T(x) = \sigma\big(z(x) / T\big). $$
#
# $T > 1$ pulls every probability towards ½, $T < 1$ pushes it outwards. Since $z/T$ has the same sign as $z$, **no prediction changes**, so the accuracy is untouched; only the confidence is. Choose $T$ by minimising the cross-entropy on the **validation** split (`xl.fit_temperature`, Guo et al., 2017). Cross-entropy is a proper scoring rule, so on held-out data it is lowest when the probabilities match the frequencies; minimising it over $T$ pulls the model as close to calibrated as a single number can.
#
# Why validation data? On the training points the network is *not* overconfident (it has memorised them), so a temperature fitted there would make it more confident still. And the test split must stay untouched to judge the result.

# %%
# NBVAL_CHECK_OUTPUT
t_val = xl.fit_temperature(z_val, data.y_val)
t_train = xl.fit_temperature(net.run.network(-1).logits(data.X_train), data.y_train)
print(f"temperature fitted on the validation split: T* = {t_val:.2f}")
print(f"temperature fitted on the training split:   T  = {t_train:.2f}  (sharper still: the wrong data)")
p_scaled = temperature_scale(z_test, t_val)
for name, p in (("as trained (T = 1)", p_test), (f"scaled (T* = {t_val:.2f})", p_scaled)):
    print(f"{name:>20}: test loss {xl.binary_cross_entropy(p, data.y_test):.3f} nats,"
          f" ECE {xl.expected_calibration_error(p, data.y_test):.3f},"
          f" accuracy {np.mean((p > 0.5) == data.y_test):.1%}")

# %% [markdown]
# One number cuts the test loss from 0.975 to 0.488 nats and the ECE from 0.153 to 0.063, with exactly the same accuracy. It cannot do more: the network's wiggly boundary is still wrong in places, so it stays above the 0.355 nats of the true probabilities.
#
# **Try it.** Slide the temperature. The reliability diagram on the left updates live; on the right, the validation and test loss and the test ECE against $T$, with the fitted $T^*$ dashed. Where do the bars line up with the diagonal? What does "too hot" look like? Is the ECE lowest exactly at $T^*$? (It is a noisier, binned measure; the loss is what we can minimise smoothly.)

# %%
figures.temperature_scaling()

# %% [markdown]
# ## 6. Prediction markets and the log scoring rule
#
# Proper scoring rules were invented for people, not networks: to pay weather forecasters and experts so that their best strategy is to report what they believe. A **logarithmic market scoring rule** (Hanson, 2003) turns this into a market. An automated market maker quotes a price $\pi$: the market's current probability that an event happens. Any trader may move the price to a new value $r$. When the outcome $y$ is known, she is paid the *difference of log scores* of the price she left and the price she found,
#
# $$ \text{payoff} = b\,\big[\ln r_y - \ln \pi_y\big], \qquad r_1 = r,\ r_0 = 1 - r, $$
#
# where $b$ sets the money per nat. If she believes the probability is $p$, her expected payoff is
#
# $$ \mathbb{E}_{y \sim p}[\text{payoff}] = b\,\big[D_{\mathrm{KL}}(p\,\|\,\pi) - D_{\mathrm{KL}}(p\,\|\,r)\big], $$
#
# the excess loss of the old price minus the excess loss of her report. The first term she cannot change; the second is smallest, zero, at $r = p$. So, exactly as in section 2, **moving the price to her honest belief maximises her expected profit**, and what she then expects to earn, $b\,D_{\mathrm{KL}}(p\,\|\,\pi)$, is the information she brings to the market.

# %%
# NBVAL_CHECK_OUTPUT
print("belief 0.7, market price 0.5, b = 1:")
for r in (0.5, 0.6, 0.7, 0.8, 0.95):
    yes, no = market_payoff(r, 0.5, [1, 0])
    print(f"  move the price to {r:<4}: paid {yes:+.3f} if yes, {no:+.3f} if no;"
          f" expected {expected_market_profit(r, 0.5, 0.7):+.4f}")
print(f"KL(0.7 || 0.5) = {xl.kl_divergence([0.7, 0.3], [0.5, 0.5]):.4f}")

# %% [markdown]
# Exaggerating does not pay: pushing the price to 0.95 when you believe 0.7 has a *negative* expected profit, because the large loss if the event fails is likely enough to outweigh the gain if it happens.
#
# **Try it.** Set your belief and the market's price, then choose where to move the price. The left panel shows what you are paid in each case and on average; the right panel your expected profit for every possible report. Where is its peak? What do you expect to earn when you already agree with the market?

# %%
figures.prediction_market()

# %% [markdown]
# Two more properties make the log market work. Payoffs *telescope*: if traders move the price $0.5 \to 0.6 \to 0.45 \to 0.8$ and the event happens, their payments add up to $b \ln(0.8 / 0.5)$, as if one trader had made the whole move. So the market maker's total bill depends only on the first and the last price, and starting from $\pi = 0.5$ it can never lose more than $b \ln 2$, the entropy of the coin flip it started with.

# %%
# NBVAL_CHECK_OUTPUT
prices = [0.5, 0.6, 0.45, 0.8]
payments = [market_payoff(new, old, 1) for old, new in zip(prices[:-1], prices[1:])]
print(f"payments if yes: {np.round(payments, 4) + 0.0};  sum {sum(payments):.4f};  ln(0.8 / 0.5) = {np.log(0.8 / 0.5):.4f}")
print(f"the market maker's worst case from 0.5: b ln 2 = {market_payoff(1.0, 0.5, 1):.4f}")

# %% [markdown]
# ## 7. Honest probabilities, in one paragraph
#
# Accuracy only asks which side of ½ a probability is on. Cross-entropy asks for the probability itself, and because it is a strictly proper scoring rule, the only way to minimise it is to report the truth: the price of any other report is the KL divergence from the truth. That is why a model trained on cross-entropy *can* learn calibrated probabilities, and why a trader paid by the log score tells the market what she believes. But "can" is not "will": minimised on too little data, cross-entropy is minimised on the *training* points, and the model learns to be confident there. Held-out data, a reliability diagram and one fitted temperature catch and repair much of it.
#
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("05.excess_kl")

# %%
excess_nats = None  # your answer: a number
exercises.check("05.excess_kl", excess_nats)

# %%
exercises.ask("05.improper")

# %%
best_report = None  # your answer: a number between 0 and 1
exercises.check("05.improper", best_report)

# %%
exercises.ask("05.ece")

# %%
ece = None  # replace with: def ece(p, y, n_bins): ...
exercises.check("05.ece", ece)

# %%
exercises.ask("05.market")

# %%
expected_profit = None  # your answer: a number
exercises.check("05.market", expected_profit)

# %% [markdown]
# ## Summary
#
# - At a decision boundary ($p = \tfrac12$) the expected 0-1 loss is 0.5 for every report, so accuracy cannot reward honesty; expected cross-entropy is lowest, $\ln 2 \approx 0.693$ nats, only for the honest $q = \tfrac12$, and overconfidence costs more and more ($q = 0.99$: 2.31 nats).
# - A scoring rule is proper when reporting the true probability minimises the expected loss. Cross-entropy and the Brier score are strictly proper; their excess losses are $D_{\mathrm{KL}}(p\,\|\,q)$ and $(q - p)^2$. Absolute error is improper and rewards overconfidence.
# - A reliability diagram compares predicted probabilities with observed frequencies bin by bin; the ECE is the count-weighted mean gap.
# - A flexible network trained long on few points drives its training loss down by growing its logits, and becomes overconfident on new data: low training loss, high held-out loss, bars below the diagonal at high confidence.
# - Temperature scaling, $\sigma(z/T)$ with $T$ fitted by minimising cross-entropy on a validation split, keeps every prediction and repairs much of the calibration (here test loss 0.975 → 0.488 nats, ECE 0.153 → 0.063).
# - In a logarithmic prediction market a trader is paid the change in log score she causes; her expected profit $b[D_{\mathrm{KL}}(p\,\|\,\pi) - D_{\mathrm{KL}}(p\,\|\,r)]$ is largest when she reports her true belief.
#
# **Previous:** [04 · XOR features](04_xor_features.ipynb). **Next:** [06 · Imbalance](06_imbalance.ipynb) asks what happens to the loss, its gradients and the decision boundary when one class is a hundred times rarer than the other.
