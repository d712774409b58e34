#!/usr/bin/env python
"""Benchmark the notebooks' interactive figures: slider value change -> encoded image.

For every notebook ``notebooks/NN_*.ipynb`` (or the ones named with
``--notebooks``) this script

1. executes the notebook in a fresh ``python3`` kernel with nbclient, working
   directory ``notebooks/``, exactly as ``tools/sync_notebooks.py`` does, with
   one extra code cell appended at the end;
2. in that same kernel, the extra cell takes every live
   :class:`xentlib.drawing.Panel` (``live_panels()`` of ``tools/panels.py``: every interactive figure
   the notebook made) and moves each of its controls, one at a time, across
   the control's whole range (``--steps`` values per slider, every option of a
   button row; the values ``Panel.sweep`` and the tests use), timing
   ``control.value = v`` with ``time.perf_counter``.  Setting the value runs
   the panel's observer synchronously: update, restore the cached background,
   draw the moving artists, encode the PNG and hand it to the ``Image`` widget
   (which also sends it over the kernel's comm), so the time is "value change
   to encoded image".  The frame cache is off (``frame_cache.max_bytes = 0``),
   so every frame is drawn: the times are of drawing, not of re-sending a
   frame shown before;
3. in a second pass over the same figures, for every ``--naive-every``-th of
   those values, times ``naive_frame(panel)``: the full redraw + ``savefig``
   PNG that ``interact`` with the inline backend does on every event (the
   baseline; it does not even pay for re-creating the figure).  It runs after
   the frame pass so its savefig cannot disturb the frames being timed;
4. treats every warning as an error (``warnings.simplefilter("error")``) and
   also records matplotlib/ipywidgets log records of level WARNING and above,
   a value change that produces no new image, errors or stderr output while
   the notebook itself runs, and any failing baseline frame.

It prints one Markdown table per notebook (one row per figure, by
``Panel.title``, plus a total row): frames, p50 and p95 frame time, naive
p50, speed-up (naive p50 / p50) and PASS/FAIL against the targets

    p50 <= 16 ms (one 60 Hz frame),  p95 <= 33 ms,  speed-up >= 5x,

and writes every raw time to ``benchmarks/results/sliders.json``.  An extra
column gives the kernel thread's CPU time (``time.thread_time``) for the same
frames: on a shared machine the wall time also contains time spent waiting for
a core, and the CPU column shows how much of a slow frame is that.  PASS/FAIL
always uses the wall time, which is what a student feels.

Exit status: 0 if every value of every control rendered without an exception
or warning, 1 otherwise (or if a notebook failed to execute), 2 for a bad
``--notebooks`` selection.  Missing a speed target is reported in the table but
only changes the exit status with ``--strict``.

Usage::

    .venv/bin/python benchmarks/bench_sliders.py                  # every notebook
    .venv/bin/python benchmarks/bench_sliders.py --notebooks 01 02 --steps 25
    .venv/bin/python benchmarks/bench_sliders.py --by-control     # a row per control too
    .venv/bin/python benchmarks/bench_sliders.py --profile        # where a frame's time goes

``--profile`` adds a third pass that renders each frame through ``Panel``'s
own phases, timing each (value set without rendering; ``apply``: ``update``
plus a full redraw when it asks for one; ``compose``: background restore and
``draw_artist`` per artist, also timed per artist; PNG encode into a ``data:`` URL; image send) and
prints the per-phase p50/p95 for each figure.  That pass calls ``Panel``'s
private phase methods, so it is diagnostic only.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import inspect
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
RESULTS_FILE = RESULTS_DIR / "sliders.json"

TARGET_P50_MS = 16.0   # one frame at 60 Hz
TARGET_P95_MS = 33.0   # two frames
TARGET_SPEEDUP = 5.0   # versus the naive redraw + savefig
MARK = "@@BENCH_SLIDERS_JSON@@"
CELL_TIMEOUT_S = 600


# --------------------------------------------------------------------------- kernel side
# This function is shipped to the kernel as source (inspect.getsource) and run
# there after the notebook, so it must import everything it uses itself.
def _bench_sliders_measure(steps: int, naive_every: int, profile: bool) -> dict:
    import logging
    import sys
    import time
    import traceback
    import warnings

    import ipywidgets
    import matplotlib
    import numpy

    import base64

    from panels import control_values, live_panels, naive_frame  # tools/panels.py
    from xentlib.drawing import frame_cache

    frame_cache.max_bytes = 0  # time drawing: no frame is sent again from the cache
    frame_cache.clear()

    perf, cpu = time.perf_counter, time.thread_time

    class _Records(logging.Handler):
        def __init__(self):
            super().__init__(level=logging.WARNING)
            self.records = []

        def emit(self, record):
            self.records.append(f"log {record.name} {record.levelname}: {record.getMessage()}"[:500])

    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)

    def guarded(failures, where, fn):
        """Run fn with warnings as errors; record an exception or a WARNING log record as a failure."""
        handler.records.clear()
        out = None
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                out = fn()
            except Exception as err:  # noqa: BLE001 - every failure is recorded, none stops the sweep
                failures.append({**where, "error": f"{type(err).__name__}: {err}"[:500],
                                 "traceback": traceback.format_exc()[-1500:]})
        for message in handler.records:
            failures.append({**where, "error": message})
        handler.records.clear()
        return out

    def same(a, b):
        try:
            return bool(a == b)
        except Exception:  # noqa: BLE001
            return False

    result = {"python": sys.executable, "matplotlib": matplotlib.__version__,
              "ipywidgets": ipywidgets.__version__, "numpy": numpy.__version__,
              "backend": matplotlib.get_backend(), "panels": []}
    try:
        for index, panel in enumerate(live_panels()):
            title = panel.title or f"figure {index + 1}"
            entry = {"index": index, "title": title, "artists": len(panel.artists),
                     "size_px": list(panel.canvas.get_width_height(physical=True)),
                     "controls": {}, "failures": []}
            failures = entry["failures"]
            start = dict(panel.values)

            # Pass 1: the blitted frames, timed from value change to encoded image.
            for name, control in panel.controls.items():
                record = {"type": type(control).__name__, "values": [], "ms": [], "cpu_ms": [],
                          "same_value_renders": 0, "failed_values": [],
                          "naive_values": [], "naive_ms": [], "naive_cpu_ms": []}
                entry["controls"][name] = record
                for value in control_values(control, steps):
                    where = {"phase": "frame", "control": name, "value": value}
                    before = panel.image.value
                    if same(control.value, value):
                        # No change event would fire: render this value explicitly so it is still checked.
                        record["same_value_renders"] += 1
                        action = panel.render
                    else:
                        def action(control=control, value=value):
                            control.value = value
                    n_failures = len(failures)
                    c0, t0 = cpu(), perf()
                    guarded(failures, where, action)
                    elapsed, cpu_elapsed = perf() - t0, cpu() - c0
                    if len(failures) == n_failures and panel.image.value is before:
                        failures.append({**where, "error": "the value change produced no new image"})
                    if len(failures) > n_failures:  # not a frame: keep it out of the timings
                        record["failed_values"].append(value)
                        continue
                    record["values"].append(value)
                    record["ms"].append(elapsed * 1e3)
                    record["cpu_ms"].append(cpu_elapsed * 1e3)
                guarded(failures, {"phase": "restore", "control": name, "value": start[name]},
                        lambda control=control, name=name: setattr(control, "value", start[name]))

            # Pass 2: the naive baseline on a subset of the same values.
            for name, control in panel.controls.items():
                record = entry["controls"][name]
                for value in control_values(control, steps)[::naive_every]:
                    where = {"phase": "naive", "control": name, "value": value}
                    # Pass 1 already checked this frame; a failure here would only repeat it.
                    guarded([], where, lambda control=control, value=value: setattr(control, "value", value))
                    c0, t0 = cpu(), perf()
                    png = guarded(failures, where, lambda: naive_frame(panel))
                    elapsed, cpu_elapsed = perf() - t0, cpu() - c0
                    if png is not None:
                        record["naive_values"].append(value)
                        record["naive_ms"].append(elapsed * 1e3)
                        record["naive_cpu_ms"].append(cpu_elapsed * 1e3)
                guarded(failures, {"phase": "restore", "control": name, "value": start[name]},
                        lambda control=control, name=name: setattr(control, "value", start[name]))

            # Pass 3 (optional): the same frames, phase by phase.
            if profile:
                phase_names = ("set_value", "apply", "compose", "encode_png", "send_image")
                phases = {k: [] for k in (*phase_names, "total")}  # lists of (wall ms, cpu ms)
                per_artist = {}
                labels = {id(a): f"{i}:{type(a).__name__}" for i, a in enumerate(panel.artists)}
                full_draw_frames = 0

                def timed_draw(artist):
                    a0, c0 = perf(), cpu()
                    panel.fig.draw_artist(artist)
                    per_artist.setdefault(labels[id(artist)], []).append(((perf() - a0) * 1e3, (cpu() - c0) * 1e3))

                def one_frame(control, value):
                    """Panel.render, phase by phase (the same calls in the same order), timing each."""
                    nonlocal full_draw_frames
                    marks = []  # (wall, cpu) after each phase

                    def mark():
                        marks.append((perf(), cpu()))

                    mark()
                    panel._holding = True  # value set without the observer's render
                    try:
                        control.value = value
                    finally:
                        panel._holding = False
                    mark()
                    # Panel._draw, written out phase by phase:
                    if panel.update(**panel.values) or panel._background is None:
                        panel._full_draw()
                        full_draw_frames += 1
                    mark()
                    panel.canvas.restore_region(panel._background)
                    for artist in panel.artists:
                        timed_draw(artist)
                    mark()
                    url = b"data:image/png;base64," + base64.b64encode(panel._encoder.encode(panel.canvas))
                    mark()
                    panel._send(url)
                    mark()
                    for key, a, b in zip(phase_names, marks, marks[1:]):
                        phases[key].append(((b[0] - a[0]) * 1e3, (b[1] - a[1]) * 1e3))
                    phases["total"].append(((marks[-1][0] - marks[0][0]) * 1e3, (marks[-1][1] - marks[0][1]) * 1e3))

                for name, control in panel.controls.items():
                    for value in control_values(control, steps):
                        guarded(failures, {"phase": "profile", "control": name, "value": value},
                                lambda control=control, value=value: one_frame(control, value))
                    guarded(failures, {"phase": "restore", "control": name, "value": start[name]},
                            lambda control=control, name=name: setattr(control, "value", start[name]))
                entry["profile"] = {"phases_ms": phases, "per_artist_ms": per_artist,
                                    "full_draw_frames": full_draw_frames,
                                    "png_bytes": len(panel.frame)}

            guarded(failures, {"phase": "restore", "control": "*", "value": None}, lambda: panel.set(**start))
            result["panels"].append(entry)
    finally:
        root.removeHandler(handler)
    return result


# --------------------------------------------------------------------------- host side
def _percentile(values, q) -> float | None:
    return float(np.percentile(values, q)) if len(values) else None


def summarize(frames_ms: list, naive_ms: list, n_failures: int, cpu_ms=(), naive_cpu_ms=()) -> dict:
    """Wall-clock stats judged against the targets, plus the kernel thread's CPU time for the same frames."""
    p50, p95, naive = _percentile(frames_ms, 50), _percentile(frames_ms, 95), _percentile(naive_ms, 50)
    speedup = naive / p50 if (naive is not None and p50) else None
    misses = []
    if p50 is not None:  # no frames at all (no figure, or every value failed): nothing to judge
        if p50 > TARGET_P50_MS:
            misses.append("p50")
        if p95 > TARGET_P95_MS:
            misses.append("p95")
        if speedup is None or speedup < TARGET_SPEEDUP:
            misses.append("speed-up")
    targets_met = not misses
    if n_failures:
        misses.insert(0, f"{n_failures} failure{'s' * (n_failures != 1)}")
    return {"frames": len(frames_ms), "p50_ms": p50, "p95_ms": p95, "naive_frames": len(naive_ms),
            "naive_p50_ms": naive, "speedup": speedup, "failures": n_failures,
            "cpu_p50_ms": _percentile(cpu_ms, 50), "cpu_p95_ms": _percentile(cpu_ms, 95),
            "naive_cpu_p50_ms": _percentile(naive_cpu_ms, 50),
            "targets_met": targets_met, "pass": not misses, "misses": misses}


def failing_values(failures: list[dict]) -> int:
    """Distinct (control, value) pairs that failed in any pass; a value failing in several passes counts once."""
    return len({(f.get("phase") if "control" not in f else "", f.get("control"), repr(f.get("value")))
                for f in failures})


def _fmt(x, spec=".1f", suffix="") -> str:
    return "n/a" if x is None else f"{x:{spec}}{suffix}"


def table(rows: list[tuple[str, dict]]) -> str:
    lines = ["| figure | frames | p50 ms | p95 ms | naive p50 ms | speed-up | CPU p50 / p95 / naive ms | result |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for label, s in rows:
        verdict = ("PASS" if s["frames"] else "no frames") if s["pass"] else "FAIL (" + ", ".join(s["misses"]) + ")"
        cpu = " / ".join(_fmt(s[k]) for k in ("cpu_p50_ms", "cpu_p95_ms", "naive_cpu_p50_ms"))
        lines.append(f"| {label} | {s['frames']} | {_fmt(s['p50_ms'])} | {_fmt(s['p95_ms'])} | "
                     f"{_fmt(s['naive_p50_ms'])} | {_fmt(s['speedup'], '.1f', '×')} | {cpu} | {verdict} |")
    return "\n".join(lines)


def profile_table(panel: dict) -> str:
    prof = panel["profile"]
    phases = prof["phases_ms"]
    lines = [f"Profile of `{panel['title']}` ({prof['full_draw_frames']} of {len(phases['total'])} "
             f"frames needed a full redraw; PNG {prof['png_bytes'] / 1024:.0f} KiB, "
             f"{panel['size_px'][0]}×{panel['size_px'][1]} px):", "",
             "| phase | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms | share of CPU (mean) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    cpu_total = float(np.mean([c for _, c in phases["total"]])) if phases["total"] else 0.0
    for key, pairs in phases.items():
        wall, cpu = [w for w, _ in pairs], [c for _, c in pairs]
        share = f"{100 * np.mean(cpu) / cpu_total:.0f} %" if cpu_total and key != "total" else ""
        lines.append(f"| {key} | {_fmt(_percentile(wall, 50), '.2f')} | {_fmt(_percentile(wall, 95), '.2f')} | "
                     f"{_fmt(max(wall) if wall else None, '.2f')} | {_fmt(_percentile(cpu, 50), '.2f')} | "
                     f"{_fmt(_percentile(cpu, 95), '.2f')} | {share} |")
    if prof["per_artist_ms"]:
        lines += ["", "draw_artist p50 per artist, wall / CPU ms: " + ", ".join(
            f"{k} {np.median([w for w, _ in v]):.2f} / {np.median([c for _, c in v]):.2f}"
            for k, v in prof["per_artist_ms"].items())]
    return "\n".join(lines)


def measurement_cell(steps: int, naive_every: int, profile: bool) -> str:
    source = inspect.getsource(_bench_sliders_measure)
    return (f"import sys as _bench_sys\n_bench_sys.path.insert(0, {str(ROOT / 'tools')!r})\n{source}\n"
            "import json as _bench_json\n"
            f"_bench_result = _bench_sliders_measure({steps}, {naive_every}, {profile})\n"
            f"print({MARK!r} + _bench_json.dumps(_bench_result, default=repr))\n"
            "del _bench_sliders_measure, _bench_json, _bench_result\n")


def notebook_problems(nb, last: int) -> list[dict]:
    """Errors and stderr output stored by the notebook's own cells (the first frames are drawn there)."""
    found = []
    for index, cell in enumerate(nb.cells[:last]):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append({"phase": "notebook", "cell": index, "kind": "error",
                              "error": f"{out.ename}: {out.evalue}"[:500]})
            elif out.output_type == "stream" and out.name == "stderr":
                found.append({"phase": "notebook", "cell": index, "kind": "stderr",
                              "error": "stderr: " + out.text.strip()[:500]})
    return found


def run_notebook(path: Path, steps: int, naive_every: int, profile: bool) -> dict:
    """Execute one notebook plus the measurement cell in one kernel; return the parsed results."""
    out = {"notebook": path.name, "failures": [], "panels": []}
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # noqa: BLE001 - e.g. a notebook being written right now
        out["failures"].append({"phase": "read", "error": f"{type(err).__name__}: {err}"[:500]})
        return out
    n_cells = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(measurement_cell(steps, naive_every, profile)))
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        execution_error = {"phase": "notebook", "error": f"{type(err).__name__}: {str(err)[-1500:]}"}
    else:
        execution_error = None
    out["wall_s"] = time.perf_counter() - t0
    out["failures"] += notebook_problems(nb, n_cells)
    if execution_error and not any(f.get("kind") == "error" for f in out["failures"]):
        out["failures"].insert(0, execution_error)  # else the stored error output already says it

    cell = nb.cells[-1]
    timing = cell.get("metadata", {}).get("execution", {})
    if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
        started = _dt.datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        ended = _dt.datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
        out["measure_s"] = (ended - started).total_seconds()
    stdout = "".join(o.get("text", "") for o in cell.get("outputs", [])
                     if o.output_type == "stream" and o.name == "stdout")
    for o in cell.get("outputs", []):
        if o.output_type == "error":
            out["failures"].append({"phase": "measure", "error": f"{o.ename}: {o.evalue}"[:1500]})
        elif o.output_type == "stream" and o.name == "stderr":
            out["failures"].append({"phase": "measure", "error": "stderr: " + o.text.strip()[:1500]})
    if MARK in stdout:
        payload = json.loads(stdout.split(MARK, 1)[1].strip().splitlines()[0])
        out["kernel"] = {k: v for k, v in payload.items() if k != "panels"}
        out["panels"] = payload["panels"]
    elif not out["failures"]:
        out["failures"].append({"phase": "measure", "error": "the measurement cell printed no results"})
    return out


def report(result: dict, by_control: bool) -> str:
    """Markdown for one notebook; also stores the summaries in ``result``."""
    keys = ("ms", "naive_ms", "cpu_ms", "naive_cpu_ms")
    rows, pooled = [], {k: [] for k in keys}
    for panel in result["panels"]:
        lists = {k: [x for c in panel["controls"].values() for x in c[k]] for k in keys}
        panel["summary"] = summarize(lists["ms"], lists["naive_ms"], failing_values(panel["failures"]),
                                     lists["cpu_ms"], lists["naive_cpu_ms"])
        rows.append((panel["title"], panel["summary"]))
        if by_control:
            for name, c in panel["controls"].items():
                n_fail = failing_values([f for f in panel["failures"] if f.get("control") == name])
                c["summary"] = summarize(c["ms"], c["naive_ms"], n_fail, c["cpu_ms"], c["naive_cpu_ms"])
                rows.append((f"&nbsp;&nbsp;↳ `{name}` ({c['type']})", c["summary"]))
        for k in keys:
            pooled[k] += lists[k]
    n_failures = len(result["failures"]) + sum(failing_values(p["failures"]) for p in result["panels"])
    result["summary"] = summarize(pooled["ms"], pooled["naive_ms"], n_failures,
                                  pooled["cpu_ms"], pooled["naive_cpu_ms"])
    rows.append((f"**total {result['notebook']}**", result["summary"]))
    timing = f"executed + measured in {result.get('wall_s', 0):.1f} s"
    if "measure_s" in result:
        timing += f", of which {result['measure_s']:.1f} s measuring"
    text = [f"### {result['notebook']} ({len(result['panels'])} interactive figures; {timing})", ""]
    if not result["panels"]:
        text += ["No interactive figures (no live `Panel`) after running this notebook.", ""]
    text.append(table(rows))
    failures = result["failures"] + [{"figure": p["title"], **f} for p in result["panels"] for f in p["failures"]]
    if failures:
        text += ["", f"**{len(failures)} failure(s):**", ""]
        for f in failures[:30]:
            where = ", ".join(f"{k}={f[k]!r}" for k in ("figure", "phase", "control", "value", "cell") if k in f)
            text.append(f"- {where}: {f['error'].splitlines()[0] if f['error'] else ''}")
        if len(failures) > 30:
            text.append(f"- … {len(failures) - 30} more in {RESULTS_FILE.relative_to(ROOT)}")
    for panel in result["panels"]:
        if "profile" in panel:
            text += ["", profile_table(panel)]
    return "\n".join(text)


def select_notebooks(wanted: list[str] | None) -> list[Path]:
    # Every lesson NN_topic.ipynb; 00_index is a table of links, with no figure to time.
    available = sorted(p for p in NOTEBOOKS.glob("*.ipynb") if re.match(r"\d\d_", p.name) and not p.name.startswith("00_"))
    if not wanted:
        return available
    chosen = []
    for key in wanted:
        stem = Path(key).stem
        matches = [p for p in available if p.stem == stem or p.stem.split("_", 1)[0] == stem]
        if not matches:
            raise SystemExit(f"no notebook matches {key!r}; available: {', '.join(p.stem for p in available)}")
        chosen += [p for p in matches if p not in chosen]
    return chosen


def environment() -> dict:
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        except Exception:  # noqa: BLE001
            return None

    return {"date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "host_python": sys.version.split()[0], "platform": platform.platform(),
            "cpu_count": os.cpu_count(), "loadavg_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            "git_commit": git("rev-parse", "HEAD"), "git_dirty": bool(git("status", "--porcelain"))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", nargs="+", metavar="NN",
                        help="notebooks to run, by number or name (01, 02_gradients); "
                             "default: every notebooks/NN_*.ipynb")
    parser.add_argument("--steps", type=int, default=25, help="values per slider across its range (default 25)")
    parser.add_argument("--naive-every", type=int, default=8,
                        help="time the naive baseline on every k-th of those values (default 8: with 25 steps, "
                             "4 values per slider including both ends; the baseline is slow and steady)")
    parser.add_argument("--by-control", action="store_true", help="add a row per control under each figure")
    parser.add_argument("--profile", action="store_true", help="also time each phase of a frame, per figure")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a speed target is missed, too")
    parser.add_argument("--output", type=Path, default=RESULTS_FILE,
                        help=f"JSON results (default {RESULTS_FILE.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if args.steps < 2 or args.naive_every < 1:
        parser.error("--steps must be >= 2 and --naive-every >= 1")
    try:
        paths = select_notebooks(args.notebooks)
    except SystemExit as err:
        print(err, file=sys.stderr)
        return 2
    if not paths:
        print(f"no notebooks found in {NOTEBOOKS}", file=sys.stderr)
        return 2

    env = environment()
    print(f"# Slider benchmark: value change -> encoded image\n\n"
          f"{len(paths)} notebook(s), {args.steps} values per slider, naive baseline on every "
          f"{args.naive_every}th value; targets p50 ≤ {TARGET_P50_MS:g} ms, p95 ≤ {TARGET_P95_MS:g} ms, "
          f"speed-up ≥ {TARGET_SPEEDUP:g}×. {env['cpu_count']} CPUs, load average "
          f"{', '.join(f'{x:.2f}' for x in env['loadavg_start'] or [])} at start.\n", flush=True)
    started = time.perf_counter()
    results, all_targets_met, any_failure = [], True, False
    for path in paths:
        result = run_notebook(path, args.steps, args.naive_every, args.profile)
        print(report(result, args.by_control) + "\n", flush=True)
        results.append(result)
        all_targets_met &= result["summary"]["targets_met"]
        any_failure |= bool(result["summary"]["failures"])
    total_s = time.perf_counter() - started
    env["loadavg_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    kernel = next((r["kernel"] for r in results if "kernel" in r), {})
    load_end = ", ".join(f"{x:.2f}" for x in env["loadavg_end"] or [])
    print(f"Total {total_s:.1f} s; load average {load_end} at the end. Kernel: {kernel.get('python', '?')}, "
          f"matplotlib {kernel.get('matplotlib', '?')}, ipywidgets {kernel.get('ipywidgets', '?')}, "
          f"backend {kernel.get('backend', '?')}.")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "environment": {**env, "kernel": kernel, "total_s": total_s},
        "settings": {"steps": args.steps, "naive_every": args.naive_every, "profile": args.profile},
        "targets": {"p50_ms": TARGET_P50_MS, "p95_ms": TARGET_P95_MS, "speedup": TARGET_SPEEDUP},
        "notebooks": results,
    }, indent=1, default=str) + "\n")
    print(f"Wrote {args.output}.")
    if any_failure:
        print("FAILED: some slider values did not render cleanly (see the failures above).", file=sys.stderr)
        return 1
    if args.strict and not all_targets_met:
        print("FAILED (--strict): a speed target was missed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
