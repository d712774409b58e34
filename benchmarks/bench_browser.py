#!/usr/bin/env python
"""End-to-end slider latency in a real browser: key press -> new figure painted.

For every lesson ``notebooks/NN_topic.ipynb`` (NN >= 01, or the ones named with
``--notebooks``) this script serves two pages with one Voilà server (as
``make present`` does, on 127.0.0.1 with a token, Jupyter state in a temporary
folder) and drives them with Debian's Chromium through Playwright:

1. **Panel**: the notebook itself.  Its figures are ``xentlib.drawing.Panel``
   objects: a persistent figure redrawn by blitting, its PNG sent to a core
   ``ipywidgets.Image`` as a ``data:`` URL; a state shown before (a slider
   moved back) is re-sent from the kernel's frame cache, not drawn again.
2. **naive**: the same notebook plus one appended cell that shows every one of
   those figures a second time the way ``interact`` does: the same controls,
   wired with ``ipywidgets.interactive_output`` to a function that redraws the
   whole figure, saves it as a PNG (``Panel.naive_frame``: full draw +
   ``savefig``) and displays it in an ``Output`` widget, which replaces the
   previous image.  (The Panel's own blitting observer is detached on that page,
   so only the naive path runs.  The naive path does not even re-create the
   figure, which a real ``interact`` re-plot also pays for.)

Each page's kernel is shut down when its measurements are done, so one
notebook's kernel runs at a time, as in a lecture.  On each page, for every
slider (of the Panels, resp. of the naive copies) it focuses the slider and
presses ``--presses`` x ArrowRight, ``--presses`` x ArrowLeft (back to the
notebook's value), End and Home, one key at a time, each after the previous
one has been painted; keys that do not change the value (already at an end) are not
counted, a press whose frame is identical to the previous one (the slider
does nothing at the other controls' values) sends no image and is listed as
"unchanged" in the JSON, and the first counted press of each page is a
warm-up.  Then the slider is put back to the notebook's value, so that every
slider is timed with the others where the notebook put them.  Each press is
timed **in the page**: ``performance.now()`` in a capturing ``keydown``
listener, then a ``MutationObserver`` sees the figure change (Panel: the
``<img>``'s ``src``; naive: a new ``<img>`` in the ``Output``), the image is
decoded (``img.decode()``), and the time is taken in a task queued from the
next ``requestAnimationFrame`` callback, i.e. after that frame, which shows
the new image, has been painted.  So a time is: browser event -> comm message
-> kernel (update, draw, PNG) -> message back -> decode -> paint.

It prints one Markdown table (a row per notebook, then all notebooks): counted
presses, p50 and p95 for each pattern, the speed-up of the p50s, and PASS/FAIL
against the target **p50 <= 50 ms** for the Panel pattern; raw times go to
``benchmarks/results/browser.json``.  The Panel presses are also split in two:
to a **new state**, and to a state **shown before** on that page (its frame
is byte for byte one the page has shown: the ArrowLeft presses walk back over
the ArrowRight ones, and the starting value was shown when the page opened),
whose frame the kernel re-sends from its frame cache without drawing it.

Usage::

    .venv/bin/python benchmarks/bench_browser.py                 # every lesson
    .venv/bin/python benchmarks/bench_browser.py --notebooks 01 04 --presses 12
    .venv/bin/python benchmarks/bench_browser.py --stock-websocket  # Jupyter's own websocket (Nagle on), for comparison
    .venv/bin/python benchmarks/bench_browser.py --against v0.1.0   # this checkout against a revision, interleaved

Exit status 0, or 1 if a page failed to load or showed an error (``--strict``:
also when the target is missed), 2 without Chromium/Playwright.  A press that
brings no new image within 5 s is not timed; it is listed under "unchanged"
with the presses whose frame was identical (the page cannot tell them apart).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import e2e  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "browser.json"
COMPARE_RESULTS = RESULTS.with_name("browser_compare.json")
TARGET_P50_MS = 50.0
NAIVE_CLASS = "xl-naive"
PRESS_TIMEOUT_MS = 5_000
#: Jupyter's own kernel websocket, for --stock-websocket (the servers otherwise use e2e.CONNECTION_CLASS).
STOCK_WEBSOCKET = "jupyter_server.services.kernels.connection.channels.ZMQChannelsWebsocketConnection"

NAIVE_CELL = f'''\
# bench_browser: every figure again, the way `interact` re-plots it.
import IPython.display as _xl_display
import sys as _xl_sys
import ipywidgets as _xl_w
_xl_sys.path.insert(0, {str(ROOT / "tools")!r})
from panels import live_panels as _xl_live_panels, naive_frame as _xl_naive_frame  # tools/panels.py


def _xl_naive_view(panel):
    for control in panel.controls.values():
        control.unobserve(panel._on_change, names="value")  # this page runs the naive path only

    def replot(**values):
        _xl_display.display(_xl_display.Image(_xl_naive_frame(panel)))  # full draw + savefig PNG

    out = _xl_w.interactive_output(replot, panel.controls)
    box = _xl_w.VBox(list(panel.controls.values()) + [out])
    box.add_class("{NAIVE_CLASS}")
    return box


_xl_display.display(*[_xl_naive_view(p) for p in _xl_live_panels()])
'''

#: The SHA-256 (hex) of the frame an <img> shows: the same for two presses exactly when they showed the same
#: bytes. (The slider's aria-valuenow cannot tell states apart: noUiSlider rounds it to one decimal.)
FRAME_NAME_JS = """async img => Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256',
  new TextEncoder().encode(img.src))), b => b.toString(16).padStart(2, '0')).join('')"""

# Arms one measurement for the next key press on `el` (a slider handle); returns nothing.
# window.__xlbench.done resolves to [keydown, src changed, painted] in performance.now() ms, and (Panel pages)
# the name of the new frame.
ARM_JS = """([el, naive]) => {
  const figureOf = %s, frameName = %s;
  const st = window.__xlbench = {t0: null};
  document.addEventListener('keydown', () => { st.t0 = performance.now(); }, {capture: true, once: true});
  let target, options;
  if (naive) {
    target = el.closest('.%s').querySelector('.widget-output');
    options = {childList: true, subtree: true};
  } else {
    target = figureOf(el);
    options = {attributes: true, attributeFilter: ['src']};
  }
  st.done = new Promise(resolve => {
    const obs = new MutationObserver(mutations => {
      let img = null;
      if (!naive) img = target;
      else for (const m of mutations) for (const n of m.addedNodes) {
        if (n.tagName === 'IMG') img = n;
        else if (n.querySelector && n.querySelector('img')) img = n.querySelector('img');
      }
      if (!img) return;
      obs.disconnect();
      const changed = performance.now();
      img.decode().catch(() => null).then(() => requestAnimationFrame(() => setTimeout(async () => {
        const painted = performance.now();  // the frame is named after the time is taken
        resolve([st.t0, changed, painted, naive ? null : await frameName(img)]);
      }, 0)));
    });
    obs.observe(target, options);
  });
}""" % (e2e.FIGURE_OF_JS, FRAME_NAME_JS, NAIVE_CLASS)

WAIT_JS = """(timeout) => Promise.race([window.__xlbench.done,
                                         new Promise(r => setTimeout(() => r(null), timeout))])"""

# Resolves once the figure (Panel image, or the naive Output's image) has not changed for `quiet` ms.
SETTLE_JS = """async ([target, quiet]) => {
  const current = () => { const img = target.tagName === 'IMG' ? target : target.querySelector('img');
                          return img ? img.src.length + ':' + img.src.slice(-64) : ''; };
  let last = current(), since = performance.now();
  while (performance.now() - since < quiet) {
    await new Promise(r => setTimeout(r, 50));
    const now = current();
    if (now !== last) { last = now; since = performance.now(); }
  }
}"""


def select(wanted: list[str] | None) -> list[Path]:
    lessons = [p for p in e2e.served_notebooks() if not p.name.startswith("00_")]
    if not wanted:
        return lessons
    chosen = [p for p in lessons if any(p.stem == w or p.stem.startswith(w + "_") or p.stem[:2] == w for w in wanted)]
    unknown = [w for w in wanted if not any(p.stem == w or p.stem[:2] == w or p.stem.startswith(w + "_") for p in lessons)]
    if unknown:
        raise SystemExit(f"unknown notebook(s) {unknown}; have {[p.stem for p in lessons]}")
    return chosen


def build_site(notebooks: list[Path], site: Path) -> None:
    for path in notebooks:
        shutil.copy2(path, site / path.name)
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(NAIVE_CELL))
        nbformat.write(nb, site / f"{path.stem}__naive.ipynb")


def measure_page(page, server, name: str, naive: bool, presses: int, figures: int) -> dict:
    page.goto(server.url(f"/voila/render/{name}"), timeout=600_000)
    e2e.wait_for_voila(page, figures, 600_000)
    if naive:
        page.wait_for_function(f"() => document.querySelectorAll('.{NAIVE_CLASS} .widget-output img').length >= "
                               f"document.querySelectorAll('.{NAIVE_CLASS}').length", timeout=120_000)
    scope = f".{NAIVE_CLASS} " if naive else ""
    handles = page.locator(f"{scope}.widget-slider [role=slider]")
    samples, failures, unchanged, sliders = [], [], [], handles.count()
    keys = ["ArrowRight"] * presses + ["ArrowLeft"] * presses + ["End", "Home"]
    shown = set()  # the frames this page has shown (FRAME_NAME_JS)
    for i in range(sliders):
        handle = handles.nth(i).element_handle()
        label = handle.evaluate("el => (el.closest('.widget-slider').querySelector('.widget-label') || {}).textContent")
        image = (handle.evaluate_handle(f"el => el.closest('.{NAIVE_CLASS}').querySelector('.widget-output')")
                 if naive else handle.evaluate_handle(f"el => ({e2e.FIGURE_OF_JS})(el)"))
        image.evaluate("el => el.scrollIntoView({block: 'center'})")
        handle.evaluate("el => el.focus({preventScroll: true})")
        start = float(handle.get_attribute("aria-valuetext"))
        start_text = e2e.readout_text(handle)
        if not naive:
            shown.add(image.evaluate(FRAME_NAME_JS))
        for key in keys:
            before = handle.get_attribute("aria-valuetext")
            page.evaluate(ARM_JS, [handle, naive])
            page.keyboard.press(key)
            if handle.get_attribute("aria-valuetext") == before:
                continue  # at an end already: no new frame expected
            result = page.evaluate(WAIT_JS, PRESS_TIMEOUT_MS)
            if result is None or result[0] is None:
                # An identical frame sends no new image (a control that does nothing at the others' values).
                unchanged.append(f"{label} {key} -> {handle.get_attribute('aria-valuetext')}")
                continue
            t0, changed, painted, frame = result
            samples.append({"slider": label, "key": key, "ms": painted - t0, "to_src_ms": changed - t0,
                            "shown_before": None if naive else frame in shown})
            shown.add(frame)
        # Back to the notebook's value, so that the next slider is timed where the notebook put the others.
        e2e.restore_slider(page, handle, start_text, start)
        page.evaluate(SETTLE_JS, [image, 500])
    warm = samples[1:] if len(samples) > 1 else samples
    return {"page": name, "sliders": sliders, "samples": warm, "warmup": samples[:1], "failures": failures,
            "unchanged": unchanged, "errors": e2e.page_errors(page)}


def stats(ms: list[float]) -> dict:
    if not ms:
        return {"n": 0, "p50": None, "p95": None}
    return {"n": len(ms), "p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95))}


def panel_stats(samples: list[dict]) -> dict:
    """:func:`stats` of Panel presses, plus count and p50 of those to a new state and to a state shown before."""
    out = stats([s["ms"] for s in samples])
    for part, before in (("new", False), ("shown_before", True)):
        split = stats([s["ms"] for s in samples if s["shown_before"] is before])
        out[f"{part}_n"], out[f"{part}_p50"] = split["n"], split["p50"]
    return out


def _f(x) -> str:
    return "n/a" if x is None else f"{x:.0f}"


def table(rows: list[tuple[str, dict, dict, int]]) -> str:
    lines = ["| notebook | sliders | presses | Panel p50 ms | Panel p95 ms | p50 new state (presses) | "
             "p50 state shown before (presses) | naive presses | naive p50 ms | naive p95 ms | speed-up | "
             "Panel p50 ≤ 50 ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for label, panel, naive, sliders in rows:
        speedup = (naive["p50"] / panel["p50"]) if panel["p50"] and naive["p50"] else None
        verdict = "n/a" if panel["p50"] is None else ("PASS" if panel["p50"] <= TARGET_P50_MS else "FAIL")
        lines.append(f"| {label} | {sliders} | {panel['n']} | {_f(panel['p50'])} | {_f(panel['p95'])} | "
                     f"{_f(panel.get('new_p50'))} ({panel.get('new_n', 0)}) | "
                     f"{_f(panel.get('shown_before_p50'))} ({panel.get('shown_before_n', 0)}) | {naive['n']} | "
                     f"{_f(naive['p50'])} | {_f(naive['p95'])} | "
                     f"{'n/a' if speedup is None else f'{speedup:.1f}×'} | {verdict} |")
    return "\n".join(lines)


def compare(rev: str, notebooks: list[Path], presses: int, rounds: int, output: Path) -> int:
    """Panel pages of this checkout against revision ``rev``, interleaved, for changes smaller than the machine's drift.

    Two Voilà servers, one browser: the baseline serves ``rev``'s own copy of
    each notebook to kernels that import ``rev``'s xentlib (a git worktree
    first on ``PYTHONPATH``); the other serves this checkout.  Each round
    measures every notebook on both, the order alternating between rounds.
    """
    from playwright.sync_api import sync_playwright

    runs = {"baseline": [], "this": []}
    with tempfile.TemporaryDirectory(prefix="xentlib-bench-compare-") as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
                       check=True, capture_output=True)
        try:
            sites = {"baseline": Path(tmp) / "site-baseline", "this": Path(tmp) / "site-this"}
            for label, folder in (("baseline", tree), ("this", ROOT)):
                sites[label].mkdir()
                for path in notebooks:
                    shutil.copy2(folder / "notebooks" / path.name, sites[label] / path.name)
            with e2e.Server("voila", sites["baseline"], workdir=Path(tmp) / "server-baseline",
                            env={"PYTHONPATH": str(tree)}) as baseline, \
                    e2e.Server("voila", sites["this"], workdir=Path(tmp) / "server-this") as this, \
                    sync_playwright() as playwright:
                browser = e2e.launch_chromium(playwright)
                servers = [("baseline", baseline), ("this", this)]
                for round_ in range(rounds):
                    for path in notebooks:
                        for label, server in servers[::1 if round_ % 2 == 0 else -1]:
                            context = browser.new_context(viewport={"width": 1366, "height": 1100})
                            page = context.new_page()
                            try:
                                run = measure_page(page, server, path.name, False, presses, e2e.expected_figures(path))
                            finally:
                                server.shutdown_kernel_of(page)
                                context.close()
                            run.update(notebook=path.name, round=round_)
                            runs[label].append(run)
                            ms = [s["ms"] for s in run["samples"]]
                            print(f"round {round_} {path.stem} {label}: p50 {_f(stats(ms)['p50'])} ms over {len(ms)} "
                                  f"presses", flush=True)
                            problems = run["failures"] + run["errors"]
                            if problems:  # a broken page would make the comparison meaningless
                                raise SystemExit(f"{label} {path.name}: {problems[0]}")
                browser.close()
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True)
    print(f"\n| notebook | {rev} p50 ms | this p50 ms |\n|---|---:|---:|")
    for path in notebooks + [None]:
        cells = []
        for label in ("baseline", "this"):
            ms = [s["ms"] for run in runs[label] if path is None or run["notebook"] == path.name for s in run["samples"]]
            cells.append(_f(stats(ms)["p50"]))
        print(f"| {'**all**' if path is None else path.stem} | {cells[0]} | {cells[1]} |")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"baseline": rev, "rounds": rounds, "presses": presses, "runs": runs}, indent=1) + "\n")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", nargs="+", metavar="NN", help="lessons by number or name (default: all)")
    parser.add_argument("--presses", type=int, default=6,
                        help="ArrowLeft and ArrowRight presses per slider, besides End and Home (default 6)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the p50 target is missed")
    parser.add_argument("--stock-websocket", action="store_true",
                        help="serve with Jupyter's own kernel websocket (Nagle's algorithm on) instead of "
                             "xentlib.serving's, to measure what that class saves")
    parser.add_argument("--against", metavar="REV",
                        help="instead: Panel pages of this checkout against git revision REV, interleaved")
    parser.add_argument("--rounds", type=int, default=2, help="with --against: rounds of every notebook (default 2)")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"raw times (default {RESULTS.relative_to(ROOT)}; with --against, "
                             f"{COMPARE_RESULTS.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    reason = e2e.missing_browser_reason()
    if reason:
        print(f"bench_browser: {reason}", file=sys.stderr)
        return 2
    notebooks = select(args.notebooks)
    from playwright.sync_api import sync_playwright

    if args.against:
        return compare(args.against, notebooks, args.presses, args.rounds, args.output or COMPARE_RESULTS)
    args.output = args.output or RESULTS

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"# Browser benchmark: key press -> new figure painted\n\n{len(notebooks)} notebook(s); Chromium "
          f"{e2e.chromium_path()} headless via Playwright, Voilà on 127.0.0.1; {args.presses}x ArrowRight, "
          f"{args.presses}x ArrowLeft, End, Home per slider; target Panel p50 ≤ {TARGET_P50_MS:g} ms. {os.cpu_count()} CPUs, "
          f"load average {', '.join(f'{x:.2f}' for x in load or [])} at start; kernel websocket: "
          f"{STOCK_WEBSOCKET if args.stock_websocket else e2e.CONNECTION_CLASS}.\n", flush=True)
    started = time.perf_counter()
    results, rows, failed = [], [], False
    with tempfile.TemporaryDirectory(prefix="xentlib-bench-browser-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        build_site(notebooks, site)
        connection = STOCK_WEBSOCKET if args.stock_websocket else e2e.CONNECTION_CLASS
        with e2e.Server("voila", site, workdir=Path(tmp) / "server", connection_class=connection) as server, \
                sync_playwright() as playwright:
            browser = e2e.launch_chromium(playwright)
            for path in notebooks:
                figures = e2e.expected_figures(path)
                entry = {"notebook": path.name, "figures": figures}
                for kind, name in (("panel", path.name), ("naive", f"{path.stem}__naive.ipynb")):
                    context = browser.new_context(viewport={"width": 1366, "height": 1100})
                    page = context.new_page()
                    try:
                        entry[kind] = measure_page(page, server, name, kind == "naive", args.presses, figures)
                    except Exception as err:  # noqa: BLE001 - reported, the other notebooks still run
                        entry[kind] = {"page": name, "sliders": 0, "samples": [], "failures": [f"{type(err).__name__}: "
                                       f"{str(err)[:800]}"], "errors": []}
                    finally:
                        try:  # one notebook's kernel at a time, as in a lecture
                            server.shutdown_kernel_of(page)
                        except Exception as err:  # noqa: BLE001 - the server culls it later anyway
                            print(f"  {kind}: could not shut its kernel down: {err}", file=sys.stderr, flush=True)
                        context.close()
                    for problem in entry[kind]["failures"] + entry[kind]["errors"]:
                        print(f"  {kind}: {problem}", file=sys.stderr, flush=True)
                        failed = True
                panel = panel_stats(entry["panel"]["samples"])
                naive = stats([s["ms"] for s in entry["naive"]["samples"]])
                entry["summary"] = {"panel": panel, "naive": naive}
                rows.append((path.stem, panel, naive, entry["panel"]["sliders"]))
                results.append(entry)
                unchanged = len(entry["panel"].get("unchanged", [])) + len(entry["naive"].get("unchanged", []))
                print(f"{path.stem}: Panel p50 {_f(panel['p50'])} ms over {panel['n']} presses (new states "
                      f"{_f(panel['new_p50'])}, shown before {_f(panel['shown_before_p50'])}), naive p50 "
                      f"{_f(naive['p50'])} ms over {naive['n']}"
                      + (f"; {unchanged} press(es) gave an identical frame (no image sent)" if unchanged else ""),
                      flush=True)
            browser.close()
    every_panel = panel_stats([s for r in results for s in r["panel"]["samples"]])
    every_naive = stats([s["ms"] for r in results for s in r["naive"]["samples"]])
    rows.append(("**all**", every_panel, every_naive, sum(r[3] for r in rows)))
    total = time.perf_counter() - started
    print("\n" + table(rows) + "\n")
    load_end = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"Total {total:.0f} s; load average {', '.join(f'{x:.2f}' for x in load_end or [])} at the end.")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "when": _dt.datetime.now().isoformat(timespec="seconds"), "platform": platform.platform(),
        "cpu_count": os.cpu_count(), "loadavg_start": load, "loadavg_end": load_end,
        "settings": {"presses": args.presses, "stock_websocket": args.stock_websocket}, "target_p50_ms": TARGET_P50_MS,
        "summary": {"panel": every_panel, "naive": every_naive}, "notebooks": results,
    }, indent=1) + "\n")
    print(f"Wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}.")
    if failed:
        return 1
    if args.strict and (every_panel["p50"] is None or every_panel["p50"] > TARGET_P50_MS):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
