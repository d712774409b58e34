#!/usr/bin/env python
"""How long Chromium takes to show a new figure frame, given as a ``blob:`` URL or as a ``data:`` URL.

A core ``ipywidgets.Image`` shows its value through the ``<img>``'s ``src``:
for ``format="png"`` the front end wraps the bytes in a ``Blob`` and uses its
``blob:`` URL; for ``format="url"`` it uses the value itself, which
``xentlib.drawing.Panel`` makes a ``data:image/png;base64,...`` URL.  This
script measures what that choice costs the browser alone, with no kernel
and no server: the frames are the figures' first frames as stored in the
lessons (each ``Panel``'s ``image/png`` in ``notebooks/NN_*.ipynb``).

For each frame and each kind of URL, in rotating order, the page sets the
``src`` of one ``<img>`` (1366x1100 viewport) and takes, from that moment:

* **loaded**: the image's data has arrived (Element Timing ``loadTime``);
* **decoded**: ``img.decode()`` resolved;
* **painted**: a task queued from the next ``requestAnimationFrame`` callback
  after that, as ``bench_browser.py`` measures a press;
* **rendered**: the frame that shows the image was presented (Element Timing
  ``renderTime``).

Usage::

    .venv/bin/python benchmarks/bench_image_load.py               # 10 rounds
    .venv/bin/python benchmarks/bench_image_load.py --rounds 30

Prints a Markdown table of medians (ms); raw times go to
``benchmarks/results/image_load.json``.  Exit status 2 without Chromium/Playwright.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import e2e  # noqa: E402
from bench_browser import select  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "image_load.json"
KINDS = ("blob", "data")
MEASURES = ("loaded", "decoded", "painted", "rendered")

# Shows every frame `rounds` times as each kind of URL; returns {kind: [[loaded, decoded, painted, rendered], ...]}.
SHOW_FRAMES_JS = """async ([frames, rounds]) => {
  const img = document.querySelector('img');
  img.setAttribute('elementtiming', 'frame');
  const timings = [];
  new PerformanceObserver(list => timings.push(...list.getEntries())).observe({type: 'element', buffered: true});
  const bytes = frames.map(b64 => Uint8Array.from(atob(b64), c => c.charCodeAt(0)));
  const pause = ms => new Promise(ok => setTimeout(ok, ms));
  const kinds = ['blob', 'data'], out = {blob: [], data: []};
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < frames.length; i++) {
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(round + i + k) % kinds.length];
        await pause(20 + 17 * Math.random());  // a random phase against the display's frames
        // Every URL is new, so that no round finds an image Chromium cached in an earlier one.
        const url = kind === 'blob' ? URL.createObjectURL(new Blob([bytes[i]], {type: 'image/png'}))
                                    : `data:image/png;round=${round};base64,` + frames[i];
        const seen = timings.length;
        const t0 = performance.now();
        img.src = url;
        await img.decode();
        const decoded = performance.now();
        await new Promise(ok => requestAnimationFrame(() => setTimeout(ok, 0)));
        const painted = performance.now();
        await pause(100);  // Element Timing reports after presentation
        const entry = timings.slice(seen).find(e => e.identifier === 'frame');  // (a data: URL is reported cut short)
        if (kind === 'blob') URL.revokeObjectURL(url);
        out[kind].push(entry ? [entry.loadTime - t0, decoded - t0, painted - t0, entry.renderTime - t0]
                             : [NaN, decoded - t0, painted - t0, NaN]);
      }
    }
  }
  return out;
}"""


def stored_frames(notebooks: list[Path]) -> list[str]:
    """The base64 ``image/png`` of every interactive figure (a ``Panel``'s first frame) stored in ``notebooks``."""
    frames = []
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/png" in data and data.get("text/plain", "").startswith("[interactive figure"):
                    frames.append(data["image/png"].replace("\n", ""))
    return frames


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="times each frame is shown as each kind of URL")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    reason = e2e.missing_browser_reason()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    frames = stored_frames(select(None))
    sizes = [len(base64.b64decode(f)) for f in frames]
    with sync_playwright() as playwright:
        browser = e2e.launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 1100})
        page.set_content("<!doctype html><body style='margin:0'><img alt=''></body>")
        times = page.evaluate(SHOW_FRAMES_JS, [frames, args.rounds])
        version = browser.version
        browser.close()

    print(f"{len(frames)} stored frames ({min(sizes) / 1024:.0f}-{max(sizes) / 1024:.0f} KiB of PNG), "
          f"{args.rounds} rounds, Chromium {version}; median ms from setting src:\n")
    print("| src | " + " | ".join(MEASURES) + " |")
    print("|---|" + "---:|" * len(MEASURES))
    for kind in KINDS:
        columns = np.array(times[kind], dtype=float).T
        print(f"| {kind}: | " + " | ".join(f"{np.nanmedian(c):.1f}" for c in columns) + " |")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"chromium": version, "rounds": args.rounds, "png_bytes": sizes,
                                       "measures": MEASURES, "ms": times}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
