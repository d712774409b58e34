"""Figures for notebook 01: surprise, entropy, cross-entropy and the coder's view.

The measures they draw are in :mod:`xentlib.information`; the units and the
weather source in :mod:`xentlib.lessons.surprise.experiments`.
"""

from __future__ import annotations

import math

import numpy as np

from ...drawing import COLORS, READOUT_BOX, Panel, choice, log_slider, new_figure, slider, style
from ...information import cross_entropy, entropy, kl_divergence, surprisal
from .experiments import UNITS, WEATHER

__all__ = ["surprise_curve", "belief_vs_truth", "code_lengths"]


def _unit(base: float) -> str:
    return {math.e: "nats", 2.0: "bits", 10.0: "bans"}.get(base, f"log base {base:g}")


def surprise_curve(p: float = 0.1) -> Panel:
    """Surprise −log p of the outcome that happened, and the fixed cost of ten times worse odds.

    Question it answers: if the forecaster had given the outcome ten times less
    probability, how much more surprised would they be, whatever ``p`` is?
    """
    with style():
        fig, ax = new_figure(figsize=(9.0, 4.2))
        grid = np.logspace(-5, 0, 400)
        (curve,) = ax.plot(grid, surprisal(grid), color=COLORS["blue"], label="surprise $-\\log p$")
        ax.set_xscale("log")
        ax.set_xlabel("probability the forecaster gave the outcome, p (log scale)")
        ax.set_title("Ten times worse odds always cost the same: + log 10")
        (here,) = ax.plot([], [], "o", color=COLORS["blue"], zorder=3)
        (tenth,) = ax.plot([], [], "o", color=COLORS["vermillion"], zorder=3, label="p / 10")
        (gap,) = ax.plot([], [], color=COLORS["vermillion"], lw=2.5, ls="--")
        readout = ax.text(0.98, 0.95, "", transform=ax.transAxes, ha="right", va="top", fontsize=13,
                          bbox=READOUT_BOX)
        ax.legend(loc="center right")

    def update(p, unit):
        base = UNITS[unit]
        y, y10 = float(surprisal(p, base=base)), float(surprisal(p / 10, base=base))
        here.set_data([p], [y])
        tenth.set_data([p / 10], [y10])
        gap.set_data([p / 10, p / 10], [y, y10])
        readout.set_text(f"p = {p:.4g}:  {y:.3f} {_unit(base)}\n"
                         f"p/10 = {p / 10:.4g}:  {y10:.3f} {_unit(base)}\n"
                         f"difference: {y10 - y:.3f} = log 10")
        rescaled = ax.get_ylabel() != f"surprise ({_unit(base)})"
        if rescaled:  # a new unit rescales the whole curve: redraw the static part once
            curve.set_ydata(surprisal(grid, base=base))
            ax.set_ylabel(f"surprise ({_unit(base)})")
            ax.set_ylim(0, float(surprisal(1e-5, base=base)) * 1.02)
            ax.set_xlim(1e-5, 1.0)
        return rescaled

    controls = {"p": log_slider("p given to the outcome", -3, 0, 0.01, p, fmt=".4f"),
                "unit": choice("unit", list(UNITS))}
    return Panel(fig, update, controls, artists=[here, tenth, gap, readout],
                 title="surprise -log p against p",
                 scenes={"hesitant miss (p = 0.4)": {"p": 0.4}, "confident miss (p = 0.01)": {"p": 0.01}})


def belief_vs_truth(p: float = 0.3, q: float = 0.6) -> Panel:
    """Cross-entropy H(p, q) of a rain forecast q when it really rains with probability p.

    Question it answers: which belief q minimises the expected surprise, and
    how large is the gap H(p, q) − H(p) = KL(p‖q) when q is wrong?
    """
    qs = np.linspace(0.001, 0.999, 500)
    with style():
        fig, (left, right) = new_figure(1, 2, figsize=(10.0, 4.2))
        bars = left.bar(["rain", "dry"], [0.0, 0.0], color=[COLORS["blue"], COLORS["orange"]])
        left.set_ylim(0, 7.2)
        left.set_ylabel("surprise if it happens (nats)")
        left.set_title("Surprise under your belief q")
        bar_text = [left.text(i, 0, "", ha="center", va="bottom", fontsize=12) for i in range(2)]
        (ce_curve,) = right.plot(qs, np.zeros_like(qs), color=COLORS["blue"], label="cross-entropy H(p, q)")
        h_line = right.axhline(0, color=COLORS["green"], ls="--", label="entropy H(p)")
        right.set_xlabel("your belief q = P(rain)")
        right.set_ylabel("expected surprise (nats)")
        right.set_ylim(0, 3.0)
        right.set_title("Cross-entropy is smallest at q = p")
        (marker,) = right.plot([], [], "o", color=COLORS["vermillion"], zorder=3)
        (kl_gap,) = right.plot([], [], color=COLORS["vermillion"], lw=3, label="gap = KL(p‖q)")
        (truth,) = right.plot([], [], ls=":", color=COLORS["grey"])
        readout = right.text(0.5, 0.97, "", transform=right.transAxes, ha="center", va="top", fontsize=12,
                             bbox=READOUT_BOX)
        right.legend(loc="lower left", fontsize=10)

    def update(p, q):
        belief, world = np.array([q, 1 - q]), np.array([p, 1 - p])
        s = surprisal(belief)
        for bar, text, height in zip(bars, bar_text, s):
            bar.set_height(height)
            text.set_position((text.get_position()[0], height))
            text.set_text(f"{height:.2f}")
        curve = cross_entropy(np.broadcast_to(world, (len(qs), 2)), np.stack([qs, 1 - qs], axis=1))
        ce_curve.set_ydata(curve)
        h, ce, kl = float(entropy(world)), float(cross_entropy(world, belief)), float(kl_divergence(world, belief))
        h_line.set_ydata([h, h])
        marker.set_data([q], [ce])
        kl_gap.set_data([q, q], [h, ce])
        truth.set_data([p, p], [0, 3])
        readout.set_text(f"H(p) = {h:.3f}   H(p,q) = {ce:.3f}   KL = {kl:.3f}")

    controls = {"p": slider("true P(rain) p", 0.01, 0.99, 0.01, p),
                "q": slider("your belief q", 0.01, 0.99, 0.01, q)}
    return Panel(fig, update, controls, artists=[*bars, *bar_text, ce_curve, h_line, marker, kl_gap, truth, readout],
                 title="cross-entropy of a rain forecast",
                 scenes={"honest (q = p)": {"p": 0.3, "q": 0.3}, "overconfident (q = 0.95)": {"p": 0.3, "q": 0.95}})


def code_lengths(mismatch: float = 0.5) -> Panel:
    """Ideal code lengths −log₂ q of a code built for q, used on data from p.

    ``q`` slides from the true p (``mismatch = 0``) to the reversed
    distribution (``mismatch = 1``).  Question it answers: how many bits per
    symbol does a code built for the wrong distribution waste?
    """
    names = list(WEATHER)
    p = np.array(list(WEATHER.values()))
    wrong = p[::-1].copy()
    x = np.arange(len(names))
    with style():
        fig, ax = new_figure(figsize=(9.0, 4.2))
        ax.bar(x - 0.2, -np.log2(p), width=0.4, color=COLORS["green"], label="ideal length $-\\log_2 p$ (code for the truth)")
        bars = ax.bar(x + 0.2, np.zeros(len(p)), width=0.4, color=COLORS["orange"], label="length $-\\log_2 q$ (code you use)")
        ax.set_xticks(x, [f"{n}\np = {v:g}" for n, v in WEATHER.items()])
        ax.set_ylabel("code length (bits)")
        ax.set_ylim(0, 7)
        ax.set_title("A code built for the wrong distribution wastes KL(p‖q) bits per symbol")
        ax.legend(loc="upper left", fontsize=10)
        readout = ax.text(0.98, 0.97, "", transform=ax.transAxes, ha="right", va="top", fontsize=11,
                          family="monospace", bbox=READOUT_BOX)

    def update(mismatch):
        q = (1 - mismatch) * p + mismatch * wrong
        for bar, length in zip(bars, -np.log2(q)):
            bar.set_height(length)
        h, ce, kl = (float(f(*args, base=2)) for f, args in ((entropy, (p,)), (cross_entropy, (p, q)), (kl_divergence, (p, q))))
        readout.set_text(f"right code  H(p)   = {h:.3f} bits/symbol\n"
                         f"your code   H(p,q) = {ce:.3f} bits/symbol\n"
                         f"wasted      KL     = {kl:.3f} bits/symbol")

    controls = {"mismatch": slider("mismatch (0 = right code)", 0.0, 0.99, 0.01, mismatch)}
    return Panel(fig, update, controls, artists=[*bars, readout], title="code lengths and wasted bits")
