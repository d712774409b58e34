"""Figures of notebook 07: per-token loss, perplexity against the order and smoothing, and sampling with temperature.

Every figure reuses the one fit of :func:`.experiments.lm_setup`. A slider
step only reads precomputed tables (the perplexity grid) or a per-setting
cache (samples).
"""

from __future__ import annotations

import math

import numpy as np

from ...drawing import COLORS, Panel, choice, int_slider, log_slider, new_figure, readout, slider, style
from ...language import apply_temperature
from .experiments import K_EXPONENTS, MAX_ORDER, PROMPT, best_setting, lm_setup, show_sample

__all__ = [
    "token_surprise",
    "perplexity_vs_order",
    "sampling",
]


# ---------------------------------------------------------------- interactive figures

def token_surprise(p_apple: float = 0.7, p_banana: float = 0.6) -> Panel:
    r"""The two-token sentence "apple banana": each token's loss, their mean, and the perplexity.

    Question it answers: how do the per-token losses :math:`-\ln P(x_t \mid x_{<t})`
    combine into one number for the sentence, and why is :math:`e^{\text{mean}}`
    the reciprocal of the geometric-mean probability? Left, the probability the
    model gave each actual token, with their geometric mean; right, the
    surprise of each token, with their mean.
    """
    tokens = ["apple", "banana"]
    x = np.arange(2)
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(10.0, 4.4))
        fig.suptitle("One number per sentence: mean loss per token, and perplexity = e^(mean loss)", fontsize=14)
        prob_bars = left.bar(x, [0.0, 0.0], width=0.55, color=[COLORS["blue"], COLORS["orange"]])
        geo = left.axhline(0.5, color=COLORS["black"], ls="--", lw=1.8, label="geometric mean = 1 / perplexity")
        left.set_xticks(x, ["P(apple)", "P(banana | apple)"])
        left.set_ylim(0, 1.05)
        left.set_ylabel("probability of the actual token")
        left.set_title("what the model predicted")
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, fontsize=11)
        loss_bars = right.bar(x, [0.0, 0.0], width=0.55, color=[COLORS["blue"], COLORS["orange"]])
        mean = right.axhline(0.5, color=COLORS["vermillion"], lw=2.5, label="mean loss per token")
        right.set_xticks(x, [f"−ln P({t})" for t in tokens])
        right.set_ylim(0, 6.6)
        right.set_ylabel("loss (nats)")
        right.set_title("the loss of each token")
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, fontsize=11)
        labels = [right.text(i, 0, "", ha="center", va="bottom", fontsize=12, zorder=4,
                             bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})
                  for i in x]
        box = readout(right, 0.97, 0.97, ha="right", size=12)

    def update(p_apple, p_banana):
        probs = np.array([p_apple, p_banana])
        losses = -np.log(probs)
        for bar, p in zip(prob_bars, probs):
            bar.set_height(p)
        for bar, label, loss in zip(loss_bars, labels, losses):
            bar.set_height(loss)
            label.set_position((label.get_position()[0], loss + 0.06))
            label.set_text(f"{loss:.4f}")
        avg = float(losses.mean())
        geometric = math.exp(-avg)
        geo.set_ydata([geometric, geometric])
        mean.set_ydata([avg, avg])
        box.set_text(f"mean loss  {avg:.4f} nats\n"
                         f"perplexity e^mean = {math.exp(avg):.3f}\n"
                         f"1 / geo. mean     = {1 / geometric:.3f}")

    controls = {"p_apple": slider("P(apple) (probability)", 0.01, 1.0, 0.01, p_apple),
                "p_banana": slider("P(banana | apple) (probability)", 0.01, 1.0, 0.01, p_banana)}
    scenes = {"worked example (0.7, 0.6)": {"p_apple": 0.7, "p_banana": 0.6},
              "uniform over 3 words (1/3 each)": {"p_apple": 0.33, "p_banana": 0.33},
              "one confident miss (0.99, 0.05)": {"p_apple": 0.99, "p_banana": 0.05}}
    return Panel(fig, update, controls, artists=[*prob_bars, geo, *loss_bars, mean, *labels, box],
                 title="per-token loss, mean and perplexity", scenes=scenes)


def perplexity_vs_order(n: int = 5, k: float = 0.01) -> Panel:
    r"""Train and held-out perplexity of the character n-gram model, against the order n and the smoothing k.

    Question it answers: as the model looks at more characters of context,
    does it keep getting better? On the training text, yes; on the held-out
    chapters only up to a point, and where that point lies depends on the
    add-k smoothing. Left, perplexity against n at the current k; right,
    against k at the current n. The right-hand axis reads the same curves in
    bits per character (:math:`\log_2` of the perplexity).
    """
    setup = lm_setup()
    ks, orders = setup.ks, np.arange(1, MAX_ORDER + 1)
    v = setup.model.vocab_size
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(11.0, 4.9), sharey=True)
        fig.suptitle("More context fits the training text ever better; held-out text only up to a point",
                     fontsize=14)
        ticks = [1.5, 2, 3, 5, 10, 20, 50, 100]
        for ax in (left, right):
            ax.set_yscale("log")
            ax.axhline(v, color=COLORS["grey"], ls=":", lw=1.8)
        left.set_ylim(1.4, 110)
        left.set_yticks(ticks, [f"{t:g}" for t in ticks])
        left.minorticks_off()
        left.text(0.98, v * 0.9, f"uniform guess: V = {v}", transform=left.get_yaxis_transform(), ha="right",
                  va="top", color=COLORS["grey"], fontsize=10)
        (train_n,) = left.plot(orders, setup.train_ppl[:, 0], "o-", color=COLORS["blue"], label="training text")
        (held_n,) = left.plot(orders, setup.held_ppl[:, 0], "s-", color=COLORS["vermillion"],
                              label="held-out chapters")
        (pick_n,) = left.plot([], [], "o", ms=16, mfc="none", mec=COLORS["black"], mew=2)
        left.set_xticks(orders)
        left.set_xlabel("order n (the model sees n − 1 previous characters)")
        left.set_ylabel("perplexity (log scale)")
        left.set_title("against the order, at this k")
        left.legend(loc="lower left", fontsize=11)
        right.set_xscale("log")
        right.set_xlim(ks[0], ks[-1])
        right.minorticks_off()
        (train_k,) = right.plot(ks, setup.train_ppl[0], color=COLORS["blue"])
        (held_k,) = right.plot(ks, setup.held_ppl[0], color=COLORS["vermillion"])
        (pick_k,) = right.plot([], [], "o", ms=16, mfc="none", mec=COLORS["black"], mew=2, linestyle="none")
        right.set_xlabel("add-k smoothing k (log scale)")
        right.set_title("against the smoothing, at this n")
        # Bits per character = log2(perplexity): the same curves read on a second scale, ticks at 2^b.
        bits = right.secondary_yaxis("right")
        bits.set_yticks([2.0**b for b in range(1, 7)], [str(b) for b in range(1, 7)])
        bits.minorticks_off()
        bits.set_ylabel("bits per character")
        box = readout(right, 0.03, 0.86, size=12)  # under the uniform line, above every curve's left end

    def update(n, k):
        j = int(np.argmin(np.abs(np.log10(ks) - math.log10(k))))  # the grid point of this slider value
        i = int(n) - 1
        train_n.set_ydata(setup.train_ppl[:, j])
        held_n.set_ydata(setup.held_ppl[:, j])
        pick_n.set_data([n, n], [setup.train_ppl[i, j], setup.held_ppl[i, j]])
        train_k.set_ydata(setup.train_ppl[i])
        held_k.set_ydata(setup.held_ppl[i])
        pick_k.set_data([ks[j], ks[j]], [setup.train_ppl[i, j], setup.held_ppl[i, j]])
        tr, he = setup.train_ppl[i, j], setup.held_ppl[i, j]
        box.set_text(f"n = {int(n)}, k = {ks[j]:.3g}\n"
                         f"train     {tr:6.2f}  ({math.log2(tr):.2f} bits/char)\n"
                         f"held-out  {he:6.2f}  ({math.log2(he):.2f} bits/char)")

    best_n, best_k, _ = best_setting()
    controls = {"n": int_slider("order n (characters)", 1, MAX_ORDER, int(n)),
                "k": log_slider("smoothing k (counts)", K_EXPONENTS[0], K_EXPONENTS[1], K_EXPONENTS[2], k, fmt=".3g")}
    scenes = {"add-one smoothing (k = 1)": {"n": 3, "k": 1.0},
              "best on held-out text": {"n": best_n, "k": best_k},
              "overfitting (n = 8, k = 0.001)": {"n": 8, "k": 0.001},
              "character frequencies only (n = 1)": {"n": 1, "k": 0.01}}
    return Panel(fig, update, controls, artists=[train_n, held_n, pick_n, train_k, held_k, pick_k, box],
                 title="train vs held-out perplexity of a character n-gram model", scenes=scenes)


class _MonoText:
    """Monospaced text composed from glyphs rasterised once: a new text costs ~0.3 ms, not ~10.

    Matplotlib lays out and rasterises every glyph of a text artist on every
    draw, which for a few hundred characters costs more than the rest of a
    frame. Here each printable ASCII character (and ``↵``) is drawn once by
    Agg, in the house monospace font, into a cell of one advance width
    (DejaVu Sans Mono: 0.6 em, 10 px at 12 pt and 100 dpi) by one line
    height; a text is then a grid of cells, copied with one NumPy fancy
    index. The result is an RGBA array for :func:`_pixels_artist`.
    """

    CHARS = "".join(chr(c) for c in range(32, 127)) + "↵"

    def __init__(self, fontsize: float = 12.0, dpi: float = 100.0, line_px: int = 22, color=(0, 0, 0)):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.cell_w = int(round(0.6 * fontsize * dpi / 72))  # the font's advance width in pixels
        self.line_px, self.color = line_px, np.asarray(color, np.uint8)
        ascent = int(round(0.95 * fontsize * dpi / 72))  # baseline this far below the top of a cell: room for "f|()"
        pitch = self.cell_w + 8  # room around each glyph in the atlas, so none is clipped while drawing
        width, height = pitch * len(self.CHARS), line_px + 8
        fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        fig.patch.set_alpha(0.0)
        FigureCanvasAgg(fig)
        for i, char in enumerate(self.CHARS):
            fig.text((i * pitch + 4) / width, 1 - (4 + ascent) / height, char, family="monospace",
                     fontsize=fontsize, ha="left", va="baseline")
        fig.canvas.draw()
        alpha = np.asarray(fig.canvas.buffer_rgba())[..., 3]
        self.atlas = np.stack([alpha[4: 4 + line_px, i * pitch + 4: i * pitch + 4 + self.cell_w]
                               for i in range(len(self.CHARS))])
        self._index = {char: i for i, char in enumerate(self.CHARS)}

    def render(self, lines: list[str], columns: int) -> np.ndarray:
        """The lines as an (len(lines) * line_px, columns * cell_w, 4) uint8 RGBA array, transparent background."""
        blank, unknown = self._index[" "], self._index["?"]
        grid = np.full((len(lines), columns), blank, np.intp)
        for row, line in enumerate(lines):
            codes = [self._index.get(char, unknown) for char in line[:columns]]
            grid[row, : len(codes)] = codes
        cells = self.atlas[grid]  # (rows, columns, line_px, cell_w)
        alpha = cells.transpose(0, 2, 1, 3).reshape(len(lines) * self.line_px, columns * self.cell_w)
        rgba = np.empty(alpha.shape + (4,), np.uint8)
        rgba[..., :3] = self.color
        rgba[..., 3] = alpha
        return rgba


def _pixels_artist(x0: int, y0: int, data: np.ndarray):
    """An artist that copies an (H, W, 4) uint8 RGBA array to the canvas at pixel (x0, y0), no resampling."""
    from matplotlib.artist import Artist

    class Pixels(Artist):
        def __init__(self):
            super().__init__()
            self.data = data

        def set_data(self, array):
            self.data = array
            self.stale = True

        def draw(self, renderer):
            if not self.get_visible():
                return
            gc = renderer.new_gc()
            renderer.draw_image(gc, x0, y0, self.data[::-1])  # Agg fills from the bottom row up
            gc.restore()

    return Pixels()


def _bar_outlines(x: np.ndarray, heights: np.ndarray, width: float) -> tuple[np.ndarray, np.ndarray]:
    """The outlines of bars as one NaN-separated polyline (one artist instead of one patch per bar)."""
    left, right = x - width / 2, x + width / 2
    zero, nan = np.zeros_like(x), np.full_like(x, np.nan)
    xs = np.stack([left, left, right, right, nan], axis=1).ravel()
    ys = np.stack([zero, heights, heights, zero, nan], axis=1).ravel()
    return xs, ys


def _bar_polygons(x: np.ndarray, heights: np.ndarray, width: float) -> np.ndarray:
    """Filled bars as (N, 4, 2) rectangles for a PolyCollection."""
    left, right, zero = x - width / 2, x + width / 2, np.zeros_like(x)
    return np.stack([np.stack([left, zero], 1), np.stack([left, heights], 1),
                     np.stack([right, heights], 1), np.stack([right, zero], 1)], axis=1)


def sampling(temperature: float = 1.0, n: int = 6, k: float = 0.001, draw: int = 1) -> Panel:
    r"""Text generated by the n-gram model at a temperature, and the next-character distribution it samples from.

    Question it answers: what does the temperature do to generated text? Top,
    250 characters continuing :data:`PROMPT`; bottom, the model's distribution
    of the first generated character at temperature 1 (outline) and at the
    current temperature (filled), :math:`p_i^{1/T} / \sum_j p_j^{1/T}`. With
    a fixed draw the random numbers are the same at every setting, so what
    changes is what the temperature and the model do with them.

    The frames of every temperature for the starting (n, k, draw), and of
    every setting one control away from the start, are made when the figure
    is built (about 0.3 s); the others on first use, then cached.
    The text is composed from pre-rasterised glyphs (:class:`_MonoText`).
    """
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    setup = lm_setup()
    model = setup.model
    alphabet = model.alphabet
    length, t_step = 250, 0.1
    seeds = {1: 1, 2: 2, 3: 3}
    shown_ks = (0.001, 0.01, 0.1, 1.0)
    # The characters on the x axis: the ten most likely after the prompt at n = 5, k = 0.01; the rest as one bar.
    reference = model.with_settings(n=5, k=0.01).next_char_probs(PROMPT)
    top = np.argsort(-reference, kind="stable")[:10]
    rest = np.setdiff1d(np.arange(len(alphabet)), top)
    names = [repr(alphabet[i])[1:-1].replace(" ", "␣") for i in top] + [f"other {len(rest)}"]
    x = np.arange(len(names), dtype=float)

    width_in, height_in, dpi = 10.6, 6.2, 100.0
    text_origin, columns, text_lines = (20, 400), 102, 8  # pixels from the bottom left; 102 columns of 10 px
    wrap = 76  # the generated text's column width; the readout starts at column 80
    mono = _MonoText(fontsize=12, dpi=dpi)
    with style():
        fig, bottom = new_figure(figsize=(width_in, height_in))
        fig.set_layout_engine("none")  # fixed positions: the text image is placed in pixels
        bottom.set_position((0.07, 0.11, 0.91, 0.45))
        fig.text(text_origin[0] / (width_in * dpi), 0.975, "Generated text: low temperature repeats itself, "
                 "high temperature babbles", fontsize=14, ha="left", va="top")
        body = _pixels_artist(*text_origin, mono.render([""] * text_lines, columns))
        fig.add_artist(body)
        (base,) = bottom.plot([], [], color=COLORS["grey"], lw=1.5)
        scaled = PolyCollection([], facecolors=COLORS["blue"], edgecolors="none")
        bottom.add_collection(scaled)
        bottom.set_xlim(-0.6, len(names) - 0.4)
        bottom.set_xticks(x, names, fontsize=13)
        bottom.set_ylim(0, 1.02)
        bottom.set_ylabel("probability")
        bottom.set_xlabel(f"next character after “{PROMPT.strip()} ” (␣ = space)")
        handles = [Patch(fill=False, edgecolor=COLORS["grey"], lw=1.5, label="temperature 1 (the model)"),
                   Patch(color=COLORS["blue"], label="temperature T")]
        bottom.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=11, frameon=False)

    def frame(n, k, t, draw):
        """The text image and the two bar heights for one setting."""
        sub = model.with_settings(n=n, k=k)
        text = sub.sample(length, temperature=t, seed=seeds[draw], prompt=PROMPT)
        p = sub.next_char_probs(PROMPT)
        q = apply_temperature(p, t)
        with np.errstate(divide="ignore", invalid="ignore"):  # 0 log 0 = 0
            h_p = abs(float(np.sum(np.where(p > 0, p * np.log2(p), 0.0))))  # abs: no "-0.00" at T = 0
            h_q = abs(float(np.sum(np.where(q > 0, q * np.log2(q), 0.0))))
        left = [f"n = {n}, k = {k:g}, T = {t:.2f}, draw {draw}:"] + show_sample(PROMPT + text, wrap).split("\n")
        right = ["next-character entropy", f"at T = 1:    {h_p:.2f} bits", f"at T = {t:.2f}: {h_q:.2f} bits"]
        lines = [f"{a:<{wrap + 4}}{b}" for a, b in zip(left + [""] * text_lines, right + [""] * text_lines)]
        heights = [np.append(d[top], d[rest].sum()) for d in (p, q)]
        return mono.render(lines[:text_lines], columns), heights

    frames: dict[tuple, tuple] = {}

    def cached(n, k, temperature, draw):
        t = round(round(temperature / t_step) * t_step, 4)  # the slider's grid: every reachable value shares a frame
        key = (int(n), k, t, draw)
        if key not in frames:
            frames[key] = frame(*key)
        return frames[key]

    # Up front: every temperature of the starting setting, and every setting one other control away from it.
    for step in range(int(round(2.0 / t_step)) + 1):
        cached(n, k, step * t_step, draw)
    for other in range(1, MAX_ORDER + 1):
        cached(other, k, temperature, draw)
    for other in shown_ks:
        cached(n, other, temperature, draw)
    for other in seeds:
        cached(n, k, temperature, other)

    def update(temperature, n, k, draw):
        image, (p_heights, q_heights) = cached(n, k, temperature, draw)
        body.set_data(image)
        base.set_data(*_bar_outlines(x, p_heights, 0.8))
        scaled.set_verts(_bar_polygons(x, q_heights, 0.5))

    controls = {"temperature": slider("temperature T (1 = the model)", 0.0, 2.0, t_step, temperature),
                "n": int_slider("order n (characters)", 1, MAX_ORDER, int(n)),
                "k": choice("smoothing k (counts)", list(shown_ks), value=k),
                "draw": choice("random draw", list(seeds), value=draw)}
    scenes = {"greedy (T = 0)": {"temperature": 0.0},
              "cautious (T = 0.5)": {"temperature": 0.5},
              "the model (T = 1)": {"temperature": 1.0},
              "hot (T = 1.5)": {"temperature": 1.5}}
    return Panel(fig, update, controls, artists=[body, base, scaled], title="sampling with temperature", scenes=scenes)
