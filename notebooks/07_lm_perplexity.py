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
# # 07 · Perplexity: cross-entropy for language models
#
# **After this notebook you will be able to**
# - explain why predicting the next token is a classification problem over the vocabulary, and why its loss is $-\ln P(x_t \mid x_{<t})$;
# - compute the loss of a short sequence by hand, and say why we average it per token;
# - turn a mean loss into a perplexity, read it as "the number of equally likely choices", and into bits per character;
# - fit a character n-gram model to a novel, and read its training and held-out perplexity as the context length $n$ and the smoothing $k$ change;
# - say what the sampling temperature does to generated text, and why temperature 0 repeats itself.
#
# **Prerequisites:** surprise, cross-entropy with a one-hot target, and the coder's view of bits ([01](01_surprise.ipynb)); softmax and temperature ([02](02_gradients.ipynb)). **Time:** about 40 minutes.
#
# Every formula below is a function in `xentlib`; every number quoted in the text is printed by a cell that the test suite re-runs and compares. The novel used here ships inside the package: nothing is downloaded.

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
from xentlib.language import compressed_bits_per_char
from xentlib.lessons.lm_perplexity import exercises, experiments, figures

# %% [markdown]
# ## 1. Predicting the next token is classification
#
# A language model reads a text one token at a time (a token can be a word, a piece of a word, or a single character) and, before each new token, says how likely every token of its vocabulary is to come next. With a vocabulary of $V$ tokens that is a probability vector of length $V$: exactly what a classifier with $V$ classes outputs. The "input" is the text so far, $x_{<t} = x_1, \dots, x_{t-1}$, and the "label" is the token $x_t$ that actually came next.
#
# So training uses the classifier's loss. The target is one-hot (all its mass on $x_t$), and notebook 01 showed that the cross-entropy with a one-hot target keeps a single term:
#
# $$ \ell_t = -\sum_{v=1}^{V} [v = x_t]\, \ln P(v \mid x_{<t}) = -\ln P(x_t \mid x_{<t}) . $$
#
# The loss at step $t$ is the model's surprise at the token that really came next. Minimising it is maximum likelihood: it pushes up the probability of what happened, and, because the probabilities sum to 1, pushes down everything else.
#
# ## 2. A worked example: "apple banana"
#
# Take a vocabulary of three words, *apple*, *banana*, *orange*, and the two-word sentence "apple banana".
#
# - Step 1, nothing read yet: the model predicts $P(\text{apple}) = 0.7$, $P(\text{banana}) = 0.2$, $P(\text{orange}) = 0.1$. The word was *apple*, so the loss is $-\ln 0.7$.
# - Step 2, having read *apple*: the model predicts $0.1$, $0.6$, $0.3$. The word was *banana*, so the loss is $-\ln 0.6$.

# %%
# NBVAL_CHECK_OUTPUT
probs = np.array([[0.7, 0.2, 0.1],   # step 1: P(apple), P(banana), P(orange) at the start
                  [0.1, 0.6, 0.3]])  # step 2: the same, given "apple"
sentence = [0, 1]                    # apple, banana
print(f"step 1: -ln P(apple)          = {xl.surprisal(0.7):.4f} nats")
print(f"step 2: -ln P(banana | apple) = {xl.surprisal(0.6):.4f} nats")
print(f"mean loss per token           = {xl.sequence_cross_entropy(probs, sentence):.4f} nats")

# %% [markdown]
# The two losses are 0.3567 and 0.5108 nats, and the sentence's loss is their mean, 0.4338 nats per token. Only the probability of the word that actually came matters: at step 2, moving probability from *orange* to *apple* would not change the loss at all.
#
# **Try it.** Move the two probabilities. The left panel shows what the model gave the actual words, the right panel their losses and the mean. How low must $P(\text{banana} \mid \text{apple})$ fall before that one word costs more than the whole sentence did in the worked example? Use the scenes: what happens to the mean when the model is confidently right about one word and badly wrong about the other?

# %%
figures.token_surprise(p_apple=0.7, p_banana=0.6)

# %% [markdown]
# ## 3. Average per token, then exponentiate: perplexity
#
# **Why average.** The loss of a whole text is the sum of its per-token losses, $\sum_t \ell_t$, which grows with the length of the text. A ten-word sentence will always have a larger total than a two-word one, even from a better model. Dividing by the number of tokens $T$ gives a rate, nats per token, that does not depend on the length, so long and short texts, and models tested on different amounts of text, can be compared. (We will see this on a real text in section 5.)
#
# **Perplexity** is the mean loss put back on the probability scale:
#
# $$ \mathrm{PPL} = \exp\Big(\frac1T \sum_{t=1}^T -\ln P(x_t \mid x_{<t})\Big) = \Big(\prod_{t=1}^T P(x_t \mid x_{<t})\Big)^{-1/T} . $$
#
# The product to the power $1/T$ is the *geometric mean* of the probabilities the model gave the actual tokens, so perplexity is its reciprocal. For the worked example, $\mathrm{PPL} = 1/\sqrt{0.7 \times 0.6} \approx 1.543$: on average the model was as unsure as if it had been choosing between 1.54 equally likely words.
#
# That reading is exact for a model that spreads its bets evenly: if every token gets probability $1/V$, every loss is $\ln V$ and the perplexity is $V$. A perplexity of 1 means certain and right every time; a model that does worse than a uniform guess has a perplexity above $V$; and a model that gives any actual token probability 0 has infinite perplexity.

# %%
# NBVAL_CHECK_OUTPUT
losses = [xl.surprisal(0.7), xl.surprisal(0.6)]
print(f"perplexity e^mean = {xl.perplexity(losses):.4f};  1 / sqrt(0.7 * 0.6) = {1 / math.sqrt(0.7 * 0.6):.4f}")
for vocab in (3, 75, 50257):
    print(f"uniform over V = {vocab:>5} tokens: perplexity {xl.perplexity([math.log(vocab)] * 10):.1f}")

# %% [markdown]
# (50,257 is the vocabulary size of GPT-2: an untrained model that guesses uniformly starts there.)
#
# **Bits.** Measured with $\log_2$ instead of $\ln$, the mean loss is in bits per token, and $\mathrm{PPL} = 2^{\text{bits}}$. Notebook 01's coder's view gives bits a concrete meaning: a code built on the model spends $-\log_2 P(x_t \mid x_{<t})$ bits on token $x_t$ (arithmetic coding gets within a few bits of this for a whole text). So a model's mean loss in bits per character *is* the size it would compress the text to. A better language model is a better compressor.
#
# ## 4. A character model of *Pride and Prejudice*
#
# Now a real text. `xentlib` ships Jane Austen's *Pride and Prejudice* (1813), in the public domain, as plain text. The tokens are single characters: letters, digits, punctuation, space and line break. We hold out the last tenth of the novel, cut at a paragraph break, and never let the model see it.

# %%
# NBVAL_CHECK_OUTPUT
setup = experiments.lm_setup()  # load the novel, split it, fit every order n = 1..8 and tabulate perplexities (a second or two)
print(f"{len(setup.text):,} characters, V = {setup.model.vocab_size} distinct ones")
print(f"training part {len(setup.train):,} characters, held-out part {len(setup.held):,}")
print("the held-out part starts:", repr(setup.held[:61]))

# %% [markdown]
# The simplest model that predicts a character from the text before it is an **n-gram model**: it looks at the previous $n - 1$ characters $h$ (the *context*) and predicts from counts in the training text. If $N(h\,c)$ is the number of times context $h$ was followed by character $c$, and $N(h)$ the number of times $h$ was followed by anything,
#
# $$ P(c \mid h) = \frac{N(h\,c) + k}{N(h) + kV} . $$
#
# With $k = 0$ this is just the observed frequency: the maximum-likelihood estimate, the model of this order with the lowest possible loss *on the training text*. But any character never seen after $h$ gets probability 0, and one such character in new text makes the loss infinite. **Add-k smoothing** pretends every character was seen $k$ extra times after every context, so nothing is impossible; $k = 1$ is the classical add-one (Laplace) rule. If a context never occurred in training at all, the model drops its oldest character until it finds one that did.
#
# Here is what the model with $n = 5$ (four characters of context) and $k = 0.01$ expects after "Mr. Darcy was ":

# %%
# NBVAL_CHECK_OUTPUT
model = setup.model.with_settings(n=5, k=0.01)
p = model.next_char_probs("Mr. Darcy was ")
for i in np.argsort(-p)[:5]:
    print(f"P({model.alphabet[i]!r} | 'was ') = {p[i]:.3f}")
print(f"sum over all {model.vocab_size} characters = {p.sum():.6f}")

# %% [markdown]
# It only sees "was " (the last four characters), so it cannot know who is being talked about, but it has learnt which letters tend to start the word after "was". Each character of the held-out text is then one classification: its loss is the surprise at the character that really came. The first characters of the held-out chapters:

# %%
# NBVAL_CHECK_OUTPUT
loss = -model.log_probs(setup.held)  # one loss per held-out character, in nats
for char, nats in zip(setup.held[:12], loss[:12]):
    print(f"{char!r:>5}: P = {math.exp(-nats):.3f}, loss {nats:.3f} nats")

# %% [markdown]
# The very first character has no context at all, so "T" is predicted from character frequencies alone and costs 6.8 nats; "h" after "T" costs only 0.14. The first letters of a new word are hard ("s", "i", "t" of "situation" cost 2 to 3 nats each); once "situ" is there, the rest of the word costs almost nothing. The model's whole skill is in these numbers, averaged.
#
# ## 5. Long texts and short texts: average per character
#
# Add up the losses over longer and longer stretches of the held-out text. The total grows roughly in proportion to the length; the mean per character settles down, and only the mean says how good the model is.

# %%
# NBVAL_CHECK_OUTPUT
for length in (100, 1000, 10000, len(setup.held)):
    total = loss[:length].sum()
    print(f"first {length:>6,} characters: total {total:>9.1f} nats, mean {total / length:.3f} nats per character")

# %% [markdown]
# Averaging per token also explains a trap: perplexities are only comparable with the *same tokens*. A word-level model has far fewer, far harder tokens than a character model of the same text, so its perplexity per word is much larger. To compare models with different tokenisers, convert to a common unit such as bits per character (total bits divided by the number of characters).
#
# ## 6. Training and held-out perplexity as $n$ and $k$ change
#
# How long should the context be? More context makes predictions sharper, which is good, but each longer context has been seen fewer times in training, so its counts are noisier, which is bad. Perplexity on the **training** text only sees the first effect; perplexity on the **held-out** chapters sees both.

# %%
# NBVAL_CHECK_OUTPUT
j_small, j_one = int(np.argmin(abs(setup.ks - 0.01))), int(np.argmin(abs(setup.ks - 1.0)))
print("  n   k = 0.01: train  held-out    k = 1: train  held-out")
for n in range(1, experiments.MAX_ORDER + 1):
    print(f"  {n}           {setup.train_ppl[n - 1, j_small]:6.2f}  {setup.held_ppl[n - 1, j_small]:8.2f}"
          f"          {setup.train_ppl[n - 1, j_one]:6.2f}  {setup.held_ppl[n - 1, j_one]:8.2f}")
best_n, best_k, best_ppl = experiments.best_setting()
print(f"best on the held-out text: n = {best_n}, k = {best_k:.4f}, perplexity {best_ppl:.2f}")

# %% [markdown]
# With $k = 0.01$ the training perplexity falls with every extra character of context, from 21.99 for plain character frequencies to 2.13 with seven characters of context. The held-out perplexity falls only until $n = 5$ (3.97) and then rises again: the model starts to **overfit**, memorising counts of long contexts that say little about new text. Add-one smoothing ($k = 1$) is far too strong for 75 symbols: in a rare context it gives every unseen character almost as much probability as the ones actually seen, and both curves turn upwards after $n = 4$. Over the whole grid, the best held-out perplexity is 3.95, at $n = 5$ and $k \approx 0.016$: on new text this model is about as unsure as a choice among four characters.
#
# Without any smoothing ($k = 0$) one unseen pair is enough to make the held-out perplexity infinite, while character frequencies alone ($n = 1$) never meet an unseen pair:

# %%
# NBVAL_CHECK_OUTPUT
print("k = 0, n = 3:", setup.model.with_settings(n=3, k=0.0).perplexity(setup.held))
print("k = 0, n = 1:", round(setup.model.with_settings(n=1, k=0.0).perplexity(setup.held), 2))

# %% [markdown]
# **Try it.** Move $n$ and $k$. Left: perplexity against $n$ at your $k$; right: against $k$ at your $n$; the right-hand scale reads the same curves in bits per character. Where is the gap between training and held-out smallest? Compare the curve against $k$ for $n = 3$ with the one for $n = 8$: which order is more sensitive to the smoothing, and why? (Think about how many times a typical context of 2 characters, and one of 7, was seen in training.) The scenes jump to add-one smoothing, the best setting, and a badly overfitting one.

# %%
figures.perplexity_vs_order(n=5, k=0.01)

# %% [markdown]
# ## 7. Bits per character and compression
#
# In bits, the best setting spends about 2 bits per character of the held-out text. Compare that with storing the characters as they are (8 bits each in ASCII), with a uniform code over the 75 symbols ($\log_2 75$ bits), and with two general-purpose compressors from Python's standard library. To be fair to the compressors, they too first read the training text, and we count only the extra bits the held-out chapters cost.

# %%
# NBVAL_CHECK_OUTPUT
best = setup.model.with_settings(n=best_n, k=best_k)
print("ASCII:                         8.00 bits per character")
print(f"uniform over {setup.model.vocab_size} symbols:        {math.log2(setup.model.vocab_size):.2f}")
print(f"zlib (gzip's method):          {compressed_bits_per_char(setup.held, 'zlib', given=setup.train):.2f}")
print(f"bz2:                           {compressed_bits_per_char(setup.held, 'bz2', given=setup.train):.2f}")
print(f"{best_n}-gram model, k = {best_k:.3f}:     {best.bits_per_char(setup.held):.2f}")

# %% [markdown]
# The 5-gram model (1.98 bits per character) beats gzip's method (2.90) easily and comes close to bzip2 (1.89), which exploits long repeated phrases that a 5-gram cannot see. Neural language models, with far longer contexts and smarter sharing between similar contexts, reach about 1 bit per character on English text. Cross-entropy in bits and compressed size measure the same thing, so a lower loss is literally a smaller file: the minimum-description-length view of notebook 01, made concrete.
#
# ## 8. Generating text: sampling with temperature
#
# A language model generates text by running its predictions forwards: draw the next character from $P(\cdot \mid x_{<t})$, append it, and repeat. The **temperature** $T$ reshapes each distribution before the draw,
#
# $$ P_T(c \mid h) = \frac{P(c \mid h)^{1/T}}{\sum_{c'} P(c' \mid h)^{1/T}} , $$
#
# which is the softmax of the logits divided by $T$ (notebook 02). $T = 1$ samples the model as it is; $T < 1$ sharpens the distribution towards the most likely characters; $T \to 0$ always takes the single most likely one (greedy decoding); $T > 1$ flattens it towards uniform. Here are continuations of "Mr. Darcy was " by the 6-gram model with $k = 0.001$, all from the same random numbers:

# %%
# NBVAL_CHECK_OUTPUT
writer = setup.model.with_settings(n=6, k=0.001)
for temperature in (0.0, 0.5, 1.0, 1.5):
    text = writer.sample(100, temperature=temperature, seed=1, prompt=experiments.PROMPT)
    print(f"T = {temperature}:\n{experiments.show_sample(experiments.PROMPT + text)}\n")

# %% [markdown]
# At $T = 0$ the text falls into a loop ("the same to the same to ..."): greedy decoding from a short context always returns to the same state, and from the same state it always makes the same choice. At $T = 0.5$ it reads like English with odd grammar. At $T = 1$, the model as it really is, the words are mostly real but the sentence wanders. At $T = 1.5$ the small probabilities that add-k smoothing gives every character in rare contexts are inflated, and the text babbles: digits and capitals in the middle of words.
#
# **Try it.** Slide the temperature and watch both the text and the distribution of the first character after the prompt (the outline is $T = 1$, the filled bars your $T$). The readout gives the entropy of that distribution. Then change $n$: why does greedy decoding loop for every $n$, and why are the loops longer for larger $n$? Change $k$ at $T = 1$: larger $k$ gives every character a share in every context, so now and then a draw lands on a digit or a capital in the middle of a word. How does that match the held-out perplexity of section 6? The "random draw" buttons change the random numbers.

# %%
figures.sampling(temperature=1.0, n=6, k=0.001)

# %% [markdown]
# ## Exercises
#
# Replace each `None` with your answer and run the cell. The check tells you whether you are right, close, or how far off, without giving the answer away; expand the hint if you are stuck.

# %%
exercises.ask("07.perplexity_by_hand")

# %%
perplexity_by_hand = None  # your answer: a number
exercises.check("07.perplexity_by_hand", perplexity_by_hand)

# %%
exercises.ask("07.bits")

# %%
bits = None  # your answer: a number
exercises.check("07.bits", bits)

# %%
exercises.ask("07.perplexity_function")

# %%
my_perplexity = None  # replace with: def my_perplexity(p): ...
exercises.check("07.perplexity_function", my_perplexity)

# %%
exercises.ask("07.temperature")

# %%
p_first = None  # your answer: a number
exercises.check("07.temperature", p_first)

# %% [markdown]
# ## Summary
#
# - A language model is a classifier over its vocabulary, applied once per token; with the one-hot target its loss at step $t$ is $-\ln P(x_t \mid x_{<t})$.
# - Worked example: $P(\text{apple}) = 0.7$, then $P(\text{banana} \mid \text{apple}) = 0.6$ give losses 0.3567 and 0.5108 nats, mean 0.4338.
# - The loss of a text is averaged per token, so texts and test sets of any length can be compared; only models with the same tokens (or converted to bits per character) can be compared directly.
# - Perplexity $= e^{\text{mean loss}}$ is the reciprocal of the geometric-mean probability of the actual tokens; a uniform guess over $V$ symbols has perplexity $V$; any probability 0 makes it infinite.
# - In bits, the mean loss is the size of the text under an ideal code built on the model: better language models are better compressors.
# - A character n-gram model with add-k smoothing on *Pride and Prejudice*: training perplexity falls with every extra character of context, held-out perplexity is lowest at $n = 5$ (3.95, about 2 bits per character) and rises after that; too little smoothing gives infinite or inflated held-out perplexity, too much flattens every prediction.
# - Temperature reshapes each next-token distribution as $p^{1/T}$: $T \to 0$ is greedy decoding, which loops; $T > 1$ makes rare symbols common and the text babbles.
#
# **Previous:** [06 · Class imbalance](06_imbalance.ipynb). **Next:** [08 · Information](08_information.ipynb) shows that minimising cross-entropy is maximum likelihood, and how divergences and mutual information enter.
