r"""A character n-gram language model with add-k smoothing, and its perplexity over a grid of orders and k.

:class:`CharNgramModel` is the simplest model that predicts the next
character from counts (notebook 07 fits it on the novel of
:func:`xentlib.language.load_corpus`); :func:`add_k_cross_entropy` is the
mean loss of its add-k smoothed predictions for many ``k`` at once, and
:func:`perplexity_grid` tabulates train or held-out perplexity for every
order and smoothing from one set of counts.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import check_base, check_int, check_scalar, check_text

__all__ = [
    "CharNgramModel",
    "add_k_cross_entropy",
    "perplexity_grid",
]


def _check_k(k) -> float:
    value = check_scalar(k, "k")
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"k must be a finite number >= 0; got {k!r}. k = 1 is add-one (Laplace) smoothing, "
                         "k = 0 is no smoothing (unseen n-grams then get probability 0).")
    return value


class CharNgramModel:
    r"""A character n-gram language model with add-k smoothing.

    It predicts each character from the :math:`n - 1` characters before it,
    with the counted frequencies of the training text plus :math:`k` imagined
    extra counts for every symbol:

    .. math:: P(c \mid h) = \frac{N(h\,c) + k}{N(h) + kV},

    where :math:`h` is the context (the previous :math:`n-1` characters),
    :math:`N(h\,c)` the number of times :math:`h` is followed by :math:`c` in
    the training text, :math:`N(h) = \sum_c N(h\,c)` and :math:`V` the size
    of the alphabet. The probabilities sum to 1 over the :math:`V` symbols for
    every context. With :math:`k = 0` these are the maximum-likelihood
    estimates, which give probability 0 (infinite surprise) to any character
    the training text never showed after :math:`h`.

    A context the training text never contains has no counts at all; the model
    then drops its oldest character until it finds a context that was seen
    (at worst the empty one, i.e. plain character frequencies), and uses the
    formula there. The first characters of a text, with fewer than
    :math:`n - 1` characters before them, are predicted the same way from the
    context they do have. So every character of every text is scored, and a
    generated text that wanders off what the training text contains is still
    continued sensibly.

    Parameters
    ----------
    n : int >= 1. The order: 1 is character frequencies, 2 predicts from one
        previous character, and so on.
    k : float >= 0. The add-k smoothing count (1 is add-one / Laplace smoothing).
    alphabet : str or iterable of single characters, optional. The symbols the
        model knows. Default: the characters of the training text. Pass the
        characters of every text you will score (``sorted(set(train + held))``):
        a character outside the alphabet cannot be scored.

    Notes
    -----
    Fitting encodes the text as integers ``0 .. V-1`` and counts every
    m-gram, for each order ``m = 1 .. n``, as one integer
    :math:`\sum_j c_j V^{m-1-j}` with ``numpy.unique``; scoring looks the
    counts up with ``numpy.searchsorted``. Fitting ``n = 6`` on the bundled
    novel takes a fraction of a second. Since every lower order is kept,
    :meth:`with_settings` gives the models of order ``<= n`` and any ``k``
    without counting again.

    Examples
    --------
    >>> model = CharNgramModel(n=2, k=0.0).fit("abab")
    >>> print(model.next_char_probs("a"))     # "a" was always followed by "b"
    [0. 1.]
    >>> print(model.perplexity("abab"))
    1.1892
    """

    def __init__(self, n: int = 3, k: float = 1.0, *, alphabet=None):
        self._n = check_int(n, "n", 1)
        self.k = k
        self._alphabet_given = None if alphabet is None else _check_alphabet(alphabet)
        self._alphabet = self._alphabet_given
        self._grams = None  # per order m: (sorted m-gram ids, their counts)
        self._contexts = None  # per order m: (sorted context ids, how often each is followed by a character)
        self._memo = {}  # (k, history) -> next-character distribution, for sampling

    # ------------------------------------------------------------ settings
    @property
    def n(self) -> int:
        """The order (read-only: use :meth:`with_settings` for a lower one, or fit a new model)."""
        return self._n

    @property
    def k(self) -> float:
        """The add-k smoothing count; may be changed after fitting (counting does not depend on it)."""
        return self._k

    @k.setter
    def k(self, value: float) -> None:
        self._k = _check_k(value)

    @property
    def alphabet(self) -> str:
        """The model's symbols, in the order of its probability vectors."""
        if self._alphabet is None:
            raise ValueError("this model has no alphabet yet: call fit(text) first, or pass alphabet= when creating it.")
        return self._alphabet

    @property
    def vocab_size(self) -> int:
        """V, the number of symbols."""
        return len(self.alphabet)

    @property
    def fitted(self) -> bool:
        """Whether :meth:`fit` has counted a text yet."""
        return self._grams is not None

    # ------------------------------------------------------------ fitting
    def fit(self, text: str) -> "CharNgramModel":
        """Count every m-gram of ``text`` for m = 1 .. n. Returns the model itself."""
        check_text(text, "text")
        self._alphabet = self._alphabet_given or "".join(sorted(set(text)))  # a refit starts afresh
        v = len(self._alphabet)
        if v ** self.n >= 2**63:
            largest = int(math.floor(63 * math.log(2) / math.log(v) - 1e-9)) if v > 1 else self.n
            raise ValueError(f"n = {self.n} is too large for an alphabet of {v} symbols: the n-gram ids would overflow "
                             f"64-bit integers. Use n <= {largest}.")
        self._codepoints = np.frombuffer(self._alphabet.encode("utf-32-le"), dtype="<u4")
        codes = self._encode(text, "text")
        grams, contexts = {}, {}
        ids = codes.copy()
        for m in range(1, self.n + 1):
            if m > 1:
                ids = ids[:-1] * v + codes[m - 1:]  # the m-gram ending at each position, as one integer
            keys, counts = np.unique(ids, return_counts=True)
            grams[m] = (keys, counts)
            # Keys are sorted, so the m-grams sharing a context (key // V) are neighbours: sum their counts.
            ctx = keys // v
            starts = np.flatnonzero(np.r_[True, ctx[1:] != ctx[:-1]]) if len(ctx) else np.zeros(0, np.intp)
            contexts[m] = (ctx[starts], np.add.reduceat(counts, starts) if len(ctx) else counts)
        self._grams, self._contexts = grams, contexts
        self._head = codes[: self.n - 1].copy()  # the characters scored with a shortened context
        self._memo = {}
        return self

    def with_settings(self, *, n: int | None = None, k: float | None = None) -> "CharNgramModel":
        """The same fitted counts, read as a model of order ``n <= self.n`` and/or smoothing ``k``; nothing is refitted.

        >>> big = CharNgramModel(n=4, k=1.0).fit("abracadabra")
        >>> small = big.with_settings(n=2, k=0.5)
        >>> bool(np.allclose(small.log_probs("abra"), CharNgramModel(2, 0.5).fit("abracadabra").log_probs("abra")))
        True
        """
        self._check_fitted()
        order = self.n if n is None else check_int(n, "n", 1)
        if order > self.n:
            raise ValueError(f"n must be at most {self.n}, the order this model was fitted with; got {n}. "
                             "Fit a new model to go higher.")
        clone = CharNgramModel(order, self.k if k is None else k, alphabet=self._alphabet)
        clone._codepoints = self._codepoints
        clone._grams = {m: self._grams[m] for m in range(1, order + 1)}
        clone._contexts = {m: self._contexts[m] for m in range(1, order + 1)}
        clone._head = self._head[: order - 1]
        return clone

    # ------------------------------------------------------------ scoring
    def counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        r"""For each character :math:`x_t` of ``text``: :math:`N(h_t\,x_t)` and :math:`N(h_t)` in the training text.

        :math:`h_t` is the context the model uses at position t: the previous
        ``n - 1`` characters, or the longest shorter context that the training
        text contains (see the class notes). These two integers are all the
        smoothing formula needs, whatever ``k``: see :func:`add_k_cross_entropy`.
        """
        self._check_fitted()
        return self._counts(self._encode(check_text(text, "text"), "text"))

    def training_counts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""The counts of :meth:`counts` for the training text itself, grouped: ``(pair, context, weight)``.

        Every n-gram :math:`g = h\,c` of the training text occurs :math:`N(g)`
        times, and each occurrence is predicted from its full context, so the
        training log-likelihood is :math:`\sum_g N(g) \ln P(c \mid h)`: one
        term per *distinct* n-gram, read straight from the fitted tables (plus
        the first ``n - 1`` characters, which have shorter contexts). Pass
        the three arrays to :func:`add_k_cross_entropy` (``weights=``) for
        the training cross-entropy at any ``k`` without scanning the text again.
        """
        self._check_fitted()
        keys, counts = self._grams[self.n]
        context = _lookup(*self._contexts[self.n], keys // self.vocab_size)
        head_pair, head_ctx = self._counts(self._head)
        return (np.concatenate([head_pair, counts]), np.concatenate([head_ctx, context]),
                np.concatenate([np.ones(len(self._head), np.int64), counts]))

    def log_probs(self, text: str) -> np.ndarray:
        r"""Natural log of :math:`P(x_t \mid h_t)` for every character of ``text`` (``-inf`` where it is 0)."""
        pair, ctx = self.counts(text)
        return _add_k_log_prob(pair, ctx, self.k, self.vocab_size)

    def cross_entropy(self, text: str, *, base: float = math.e) -> float:
        r"""Mean per-character cross-entropy :math:`-\frac1T\sum_t \log_b P(x_t \mid h_t)` (nats by default)."""
        b = check_base(base)
        return float(-np.mean(self.log_probs(text)) / math.log(b))

    def bits_per_char(self, text: str) -> float:
        """Cross-entropy in bits per character: the length an ideal code built on this model needs."""
        return self.cross_entropy(text, base=2.0)

    def perplexity(self, text: str) -> float:
        r"""Perplexity :math:`e^{\text{cross-entropy}}`: the reciprocal of the geometric-mean probability of the characters."""
        ce = self.cross_entropy(text)
        return math.inf if math.isinf(ce) else math.exp(ce)

    def next_char_probs(self, context: str = "") -> np.ndarray:
        """The model's distribution of the next character after ``context``: a (V,) array in alphabet order.

        Only the last ``n - 1`` characters of ``context`` matter (fewer if it is
        shorter, or if the training text never contained them).
        """
        self._check_fitted()
        if not isinstance(context, str):
            raise TypeError(f"context must be a str; got {type(context).__name__}.")
        codes = self._encode(context, "context") if context else np.zeros(0, np.int64)
        history = [int(c) for c in codes[max(0, len(codes) - (self.n - 1)):]] if self.n > 1 else []
        return self._distribution(history).copy()  # a copy: the memo's array must not be changed by the caller

    def sample(self, length: int, *, temperature: float = 1.0, seed=None, prompt: str = "") -> str:
        """Generate ``length`` characters, one at a time, each drawn from the temperature-scaled next-character distribution.

        Parameters
        ----------
        length : int >= 0. How many new characters to generate.
        temperature : float >= 0. 1 samples the model as it is; below 1 favours
            likely characters; 0 always takes the most likely one (greedy
            decoding; the random draw only breaks ties; see :func:`xentlib.language.apply_temperature`).
        seed : int or None. The same seed gives the same text. The random
            numbers are drawn once, before generation, so with a fixed seed a
            change of ``temperature`` changes the text only through the
            distributions, not through a new random draw.
        prompt : str. Text the generation continues; it is not included in the result.

        Returns
        -------
        str of ``length`` characters.

        Examples
        --------
        >>> model = CharNgramModel(n=2, k=0.0).fit("banana")
        >>> model.sample(6, temperature=0.0, prompt="b")   # greedy: "a" is always followed by "n", "n" by "a"
        'ananan'
        """
        self._check_fitted()
        count = check_int(length, "length", 0)
        t = check_scalar(temperature, "temperature")
        if not (t >= 0 and math.isfinite(t)):
            raise ValueError(f"temperature must be a finite number >= 0; got {temperature!r}. "
                             "T = 0 is greedy decoding, T = 1 samples the model as it is.")
        if not isinstance(prompt, str):
            raise TypeError(f"prompt must be a str; got {type(prompt).__name__}.")
        v = self.vocab_size
        history = [int(c) for c in (self._encode(prompt, "prompt") if prompt else [])]
        history = history[max(0, len(history) - (self.n - 1)):] if self.n > 1 else []
        uniforms = np.random.default_rng(seed).random(count).tolist()
        out = []
        for u in uniforms:
            p = self._distribution(history)
            if t == 0:
                p = (p == p.max()).astype(np.float64)  # all mass on the most likely (shared on a tie)
            elif t != 1.0:
                # p**(1/T) after dividing by the largest p: that term is 1, tiny ones underflow harmlessly to 0.
                p = (p / p.max()) ** (1.0 / t)
            cdf = p.cumsum()
            c = min(int(cdf.searchsorted(u * cdf[-1], side="right")), v - 1)  # inverse-CDF draw
            out.append(c)
            if self.n > 1:
                history = (history + [c])[1:] if len(history) == self.n - 1 else history + [c]
        return "".join(self.alphabet[c] for c in out)

    # ------------------------------------------------------------ internals
    def _check_fitted(self) -> None:
        if self._grams is None:
            raise ValueError("this model is not fitted yet: call model.fit(text) first.")

    def _encode(self, text: str, name: str) -> np.ndarray:
        """The text as symbol indices 0 .. V-1 (int64)."""
        cps = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        idx = np.searchsorted(self._codepoints, cps)
        known = idx < len(self._codepoints)
        known[known] = self._codepoints[idx[known]] == cps[known]
        if not known.all():
            bad = text[int(np.argmin(known))]
            raise ValueError(f"{name} contains {bad!r}, which is not in the model's alphabet of {len(self._codepoints)} "
                             "symbols. Create the model with alphabet= covering every text you will score, "
                             "e.g. alphabet=sorted(set(train + held_out)).")
        return idx.astype(np.int64)

    def _counts(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        v, size = self.vocab_size, len(codes)
        pair, ctx = np.zeros(size, np.int64), np.zeros(size, np.int64)
        pending = np.arange(size)  # positions whose context is not settled yet
        for m in range(self.n, 0, -1):
            ready = pending[pending >= m - 1]  # positions with at least m - 1 characters before them
            if not len(ready):
                continue
            if m == self.n:  # every position from m - 1 on: the m-gram ending there, as one integer
                grams = codes[: size - m + 1].copy()
                for j in range(1, m):
                    grams = grams * v + codes[j: size - m + 1 + j]
            else:  # only the positions still pending
                grams = np.zeros(len(ready), np.int64)
                for j in range(m):
                    grams = grams * v + codes[ready - (m - 1) + j]
            # Sorting the queries once makes both binary searches cache-friendly (several times faster);
            # grams // v, the contexts, are then sorted too.
            order = np.argsort(grams)
            grams = grams[order]
            context_count = _lookup(*self._contexts[m], grams // v)
            seen = context_count > 0  # always true for m = 1: the empty context precedes every training character
            where = ready[order[seen]]
            ctx[where] = context_count[seen]
            pair[where] = _lookup(*self._grams[m], grams[seen])
            pending = np.concatenate([pending[pending < m - 1], ready[order[~seen]]])
        return pair, ctx

    def _distribution(self, history: list) -> np.ndarray:
        """P(. | history) as a (V,) array, backing off to shorter histories the training text never showed.

        Memoised per (k, history): generated text revisits the same contexts
        often ("the ", "and "), and a memo hit costs a dict look-up instead of
        a few searches and array operations.
        """
        key = (self.k, tuple(history))
        found = self._memo.get(key)
        if found is not None:
            return found
        v = self.vocab_size
        for start in range(len(history) + 1):  # drop the oldest character until the context was seen
            ctx = 0
            for c in history[start:]:
                ctx = ctx * v + c
            keys, counts = self._grams[len(history) - start + 1]
            lo = int(keys.searchsorted(ctx * v))
            hi = int(keys.searchsorted(ctx * v + v))
            total = int(counts[lo:hi].sum())
            if total:
                break
        p = np.full(v, self.k, dtype=np.float64)
        p[keys[lo:hi] - ctx * v] += counts[lo:hi]
        p /= total + self.k * v
        if len(self._memo) >= 200_000:  # bounded: about 120 MB at V = 75, then start afresh
            self._memo.clear()
        self._memo[key] = p
        return p

    def __repr__(self) -> str:
        state = f"fitted, V={self.vocab_size}" if self.fitted else "not fitted"
        return f"CharNgramModel(n={self.n}, k={self.k:g}; {state})"


def _check_alphabet(alphabet) -> str:
    symbols = list(alphabet)
    if not symbols or not all(isinstance(s, str) and len(s) == 1 for s in symbols):
        raise ValueError("alphabet must be a non-empty string, or an iterable of single characters; "
                         f"got {alphabet!r:.60}.")
    if len(set(symbols)) != len(symbols):
        raise ValueError("alphabet must not repeat a character; use sorted(set(text)).")
    return "".join(sorted(symbols))


def _lookup(keys: np.ndarray, counts: np.ndarray, query: np.ndarray) -> np.ndarray:
    """counts[keys == q] for each q of ``query``, 0 where q is not a key (``keys`` sorted)."""
    if not len(keys):
        return np.zeros(len(query), np.int64)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[pos] == query, counts[pos], 0)


def _add_k_log_prob(pair, ctx, k: float, v: int) -> np.ndarray:
    pair = np.asarray(pair, np.float64)
    ctx = np.asarray(ctx, np.float64)
    seen = ctx > 0
    with np.errstate(divide="ignore"):  # k = 0 and an unseen pair: log 0 = -inf, infinite surprise
        lp = np.log(pair + k) - np.log(np.where(seen, ctx + k * v, 1.0))
    return np.where(seen, lp, -math.log(v))  # unseen context: uniform, whatever k


def add_k_cross_entropy(pair_counts, context_counts, k, vocab_size: int, *, weights=None):
    r"""Mean cross-entropy (nats) of add-k smoothed predictions, for one ``k`` or an array of them.

    .. math:: \bar\ell(k) = -\frac{1}{\sum_t w_t} \sum_{t} w_t \ln \frac{N(h_t x_t) + k}{N(h_t) + kV}

    with the uniform :math:`1/V` wherever :math:`N(h_t) = 0` (an unseen
    context, the :math:`k \to 0` limit). ``pair_counts`` and
    ``context_counts`` come from :meth:`CharNgramModel.counts` (one entry per
    character, ``weights=None``: every :math:`w_t = 1`) or from
    :meth:`CharNgramModel.training_counts` (one entry per distinct n-gram,
    with its number of occurrences as ``weights``).

    Notes
    -----
    The log of the ratio splits into :math:`\ln(N(h_t x_t) + k)` minus
    :math:`\ln(N(h_t) + kV)`, and each part takes only a few thousand distinct
    values even for a long text; the sums run over those, so a whole curve
    over ``k`` costs little more than one value.

    Examples
    --------
    Two positions whose pair was seen 3 of 4 times and 1 of 4 times, V = 2:

    >>> [round(float(ce), 4) for ce in add_k_cross_entropy([3, 1], [4, 4], [0.0, 1.0], 2)]
    [0.837, 0.752]
    """
    pair = np.asarray(pair_counts)
    ctx = np.asarray(context_counts)
    if pair.shape != ctx.shape or pair.ndim != 1 or not len(pair):
        raise ValueError(f"pair_counts and context_counts must be non-empty 1-d arrays of the same length; "
                         f"got shapes {pair.shape} and {ctx.shape}.")
    if pair.dtype.kind not in "iu" or ctx.dtype.kind not in "iu" or (pair < 0).any() or (pair > ctx).any():
        raise ValueError("pair_counts and context_counts must be whole counts with 0 <= pair_counts <= context_counts; "
                         "take them from CharNgramModel.counts(text).")
    v = check_int(vocab_size, "vocab_size", 1)
    ks = np.asarray(k, dtype=np.float64)
    if ks.ndim > 1 or not np.all(np.isfinite(ks)) or (ks < 0).any():
        raise ValueError(f"k must be a finite number >= 0, or a 1-d array of them; got {k!r}.")
    if weights is None:
        w = np.ones(len(pair), np.int64)
    else:
        w = np.asarray(weights)
        if w.shape != pair.shape or w.dtype.kind not in "iu" or (w < 1).any():
            raise ValueError(f"weights must hold one whole count >= 1 per entry, shape {pair.shape}; "
                             f"got shape {w.shape}, dtype {w.dtype}. Take them from CharNgramModel.training_counts().")
    return _add_k_cross_entropy(pair, ctx, ks, v, w)


def _add_k_cross_entropy(pair: np.ndarray, ctx: np.ndarray, ks: np.ndarray, v: int, w: np.ndarray):
    """:func:`add_k_cross_entropy` on arrays already checked (``ks`` float64 of 0 or 1 dimensions, ``w`` counts)."""
    # ln P = ln(N(hc) + k) - ln(N(h) + kV) separates: each part needs only the distinct values of one count
    # (a few thousand at most), weighted by how often they occur, so a curve over k is cheap.
    seen = ctx > 0
    total = float(w.sum())
    unseen = float(w[~seen].sum()) * math.log(v)  # an unseen context: uniform, -ln(1/V) each
    a, wa = _grouped(pair[seen], w[seen])
    b, wb = _grouped(ctx[seen], w[seen])
    col = ks.reshape(-1, 1)
    with np.errstate(divide="ignore"):  # k = 0 and an unseen pair: ln 0 = -inf, an infinite loss
        numerator = np.log(a + col) @ wa
    out = (unseen - numerator + np.log(b + col * v) @ wb) / total
    return float(out[0]) if ks.ndim == 0 else out


def perplexity_grid(model: CharNgramModel, ks, text: str | None = None) -> np.ndarray:
    """Perplexity of a fitted model for every order ``1 .. model.n`` and every smoothing ``k`` in ``ks``.

    Row ``m - 1`` is the model of order ``m``: ``model.with_settings(n=m, k=k).perplexity(text)``,
    computed from one set of counts per order (:func:`add_k_cross_entropy`).
    ``text=None`` means the training text (through
    :meth:`CharNgramModel.training_counts`, without scanning it again).

    Returns
    -------
    (model.n, len(ks)) array; ``inf`` where some character gets probability 0 (``k = 0``).

    Examples
    --------
    >>> model = CharNgramModel(n=2).fit("abracadabra")
    >>> grid = perplexity_grid(model, [0.0, 1.0], "abra")
    >>> bool(np.isclose(grid[1, 1], model.with_settings(n=2, k=1.0).perplexity("abra")))
    True
    """
    if not isinstance(model, CharNgramModel):
        raise TypeError(f"model must be a CharNgramModel; got {type(model).__name__}.")
    model._check_fitted()
    if text is not None:
        codes = model._encode(check_text(text, "text"), "text")
    k_values = np.asarray(ks, dtype=np.float64)
    if k_values.ndim > 1 or not np.all(np.isfinite(k_values)) or (k_values < 0).any():
        raise ValueError(f"k must be a finite number >= 0, or a 1-d array of them; got {ks!r}.")
    rows = []
    for m in range(1, model.n + 1):
        sub = model.with_settings(n=m)
        if text is None:
            pair, ctx, weights = sub.training_counts()
        else:
            (pair, ctx), weights = sub._counts(codes), np.ones(len(codes), np.int64)
        # The counts come from the model itself: the checked kernel, not the public function, once per order.
        ce = np.atleast_1d(_add_k_cross_entropy(pair, ctx, k_values, sub.vocab_size, weights))
        with np.errstate(over="ignore"):  # an infinite loss is an infinite perplexity
            rows.append(np.exp(ce))
    return np.array(rows)


def _grouped(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (as floats) and the total weight of each."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return distinct.astype(np.float64), np.bincount(inverse.ravel(), weights=weights, minlength=len(distinct))
