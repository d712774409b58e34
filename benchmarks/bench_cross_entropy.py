#!/usr/bin/env python
"""Benchmark xentlib's softmax cross-entropy (forward value + gradient).

Measures, per call, the loss *and* the gradient with respect to the logits
(``reduction="mean"``, integer labels) for

* ``xentlib``: ``softmax_cross_entropy`` followed by ``softmax_cross_entropy_grad``;
* ``naive``:   a textbook two-pass NumPy version written below (softmax with the
  max shift, then log, then gather; gradient = softmax - onehot, with the
  softmax recomputed for the gradient);
* ``torch``:   ``torch.nn.functional.cross_entropy`` forward + ``.backward()``
  on the CPU, if torch is importable (otherwise it is skipped).

Everything runs on one thread: OMP/OpenBLAS/MKL thread counts are set to 1
before NumPy is imported, and ``torch.set_num_threads(1)``.

Usage::

    .venv/bin/python benchmarks/bench_cross_entropy.py            # full run
    .venv/bin/python benchmarks/bench_cross_entropy.py --repeat 15
    .venv/bin/python benchmarks/bench_cross_entropy.py --quick    # small shapes, smoke test

Prints the thread settings, an agreement check between the implementations,
and a Markdown table of median / p90 wall-clock times; writes the same
results as JSON to ``benchmarks/results/cross_entropy.json`` (``--quick``
writes ``cross_entropy_quick.json``).  Exits with status 1 if the
implementations disagree.
"""

from __future__ import annotations

import os

# Must happen before NumPy (and its BLAS) is imported: one thread everywhere.
THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
for _var in THREAD_ENV_VARS:
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime as _dt  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, NamedTuple  # noqa: E402

import numpy as np  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # measure the xentlib of this checkout

import xentlib  # noqa: E402
from xentlib.losses import softmax_cross_entropy, softmax_cross_entropy_and_grad, softmax_cross_entropy_grad  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except (ImportError, OSError):  # not installed, or a broken install
    torch = None
    F = None

FULL_SHAPES = [((20000, 1000), np.float64), ((2048, 32000), np.float32)]
QUICK_SHAPES = [((2000, 1000), np.float64), ((256, 32000), np.float32)]
LOGIT_SCALE = 2.0  # logits ~ N(0, LOGIT_SCALE^2)
SEED = 0

# Agreement tolerances: loss relative error, and grad max-abs-diff relative to max|grad|.
RTOL = {np.dtype(np.float32): 1e-5, np.dtype(np.float64): 1e-10}

RESULTS_DIR = Path(__file__).resolve().parent / "results"


# --------------------------------------------------------------------------- implementations

def xentlib_value_and_grad(z: np.ndarray, y: np.ndarray):
    loss = softmax_cross_entropy(z, y, reduction="mean")
    grad = softmax_cross_entropy_grad(z, y, reduction="mean")
    return float(loss), grad


def xentlib_fused(z: np.ndarray, y: np.ndarray):
    loss, grad = softmax_cross_entropy_and_grad(z, y, reduction="mean")
    return float(loss), grad


def _naive_softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))  # max shift: no overflow
    return e / e.sum(axis=1, keepdims=True)


def naive_forward(z: np.ndarray, y: np.ndarray):
    """Textbook: softmax, then log, then gather the label column, then mean."""
    log_p = np.log(_naive_softmax(z))
    return -log_p[np.arange(len(z)), y].mean()


def naive_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Textbook: (softmax - onehot) / N, recomputing the softmax."""
    g = _naive_softmax(z)
    g[np.arange(len(z)), y] -= 1
    return g / len(z)


def naive_value_and_grad(z: np.ndarray, y: np.ndarray):
    return float(naive_forward(z, y)), naive_grad(z, y)


def torch_value_and_grad(z: np.ndarray, y_t):
    x = torch.from_numpy(z).requires_grad_(True)  # zero-copy view of the NumPy logits
    loss = F.cross_entropy(x, y_t, reduction="mean")
    loss.backward()
    return loss.item(), x.grad.numpy()  # zero-copy


class Impl(NamedTuple):
    name: str
    fn: Callable  # (z, prepared_labels) -> (float loss, ndarray grad)
    prepare: Callable  # labels ndarray -> what fn takes (done outside the timed region)


def implementations(use_torch: bool) -> list[Impl]:
    impls = [
        Impl("xentlib", xentlib_value_and_grad, lambda y: y),
        Impl("xentlib fused", xentlib_fused, lambda y: y),
        Impl("naive", naive_value_and_grad, lambda y: y),
    ]
    if use_torch:
        impls.append(Impl("torch", torch_value_and_grad, lambda y: torch.from_numpy(y)))
    return impls


# --------------------------------------------------------------------------- environment

def thread_report(torch_used: bool) -> dict:
    info = {var: os.environ.get(var) for var in THREAD_ENV_VARS}
    try:
        from threadpoolctl import threadpool_info

        info["numpy_threadpools"] = [
            {"api": p.get("internal_api"), "num_threads": p.get("num_threads")}
            for p in threadpool_info()
            if "numpy" in str(p.get("filepath", "")) or "scipy_openblas" in str(p.get("filepath", ""))
        ]
    except ImportError:
        info["numpy_threadpools"] = "threadpoolctl not installed"
    info["numpy_elementwise"] = "single-threaded (NumPy ufuncs do not thread)"
    if torch_used:
        info["torch_num_threads"] = torch.get_num_threads()
        info["torch_num_interop_threads"] = torch.get_num_interop_threads()
    return info


def memory_report() -> dict:
    """Huge-page settings: fresh (N, C) buffers are page-faulted in on every call, which costs much
    less with 2 MiB pages.  NumPy madvises large arrays for huge pages; torch's CPU allocator only
    does so with THP_MEM_ALLOC_ENABLE=1."""
    try:
        from numpy._core.multiarray import _get_madvise_hugepage

        numpy_madvise = bool(_get_madvise_hugepage())
    except ImportError:
        numpy_madvise = None
    try:
        thp = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text().strip()
    except OSError:
        thp = None
    return {
        "transparent_hugepage": thp,
        "numpy_madvise_hugepage": numpy_madvise,
        "THP_MEM_ALLOC_ENABLE": os.environ.get("THP_MEM_ALLOC_ENABLE"),
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_info() -> dict:
    def run(*args):
        try:
            out = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
            return out.stdout.strip() if out.returncode == 0 else None
        except (OSError, subprocess.SubprocessError):
            return None

    status = run("status", "--porcelain", "--", "xentlib")
    return {"commit": run("rev-parse", "HEAD"), "xentlib_dirty": None if status is None else bool(status)}


# --------------------------------------------------------------------------- measurement

def make_data(shape, dtype, seed=SEED):
    rng = np.random.default_rng(seed)
    n, c = shape
    z = rng.standard_normal(shape, dtype=np.dtype(dtype).type)
    z *= LOGIT_SCALE
    y = rng.integers(0, c, size=n)  # int64
    return z, y


def timed(fn, z, labels) -> tuple[float, float]:
    """(wall-clock s, process CPU s) of one call."""
    gc.collect()
    gc.disable()
    try:
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = fn(z, labels)
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - c0
    finally:
        gc.enable()
    del out  # free the gradient outside the timed region, as every implementation returns one
    return elapsed, cpu


def summarize(samples: list[tuple[float, float]]) -> dict:
    ms = np.asarray([wall for wall, _ in samples]) * 1e3
    cpu_ms = np.asarray([cpu for _, cpu in samples]) * 1e3
    return {
        "median_ms": float(np.median(ms)),
        "p90_ms": float(np.percentile(ms, 90)),  # linear interpolation between order statistics
        "min_ms": float(ms.min()),
        "mean_ms": float(ms.mean()),
        "times_ms": [round(float(t), 3) for t in ms],
        # process CPU time (user + system, all threads): less sensitive to other load on the machine
        "cpu_median_ms": float(np.median(cpu_ms)),
        "cpu_times_ms": [round(float(t), 3) for t in cpu_ms],
    }


def agreement(outputs: dict, dtype) -> dict:
    """Compare every implementation's loss and gradient with xentlib's."""
    rtol = RTOL[np.dtype(dtype)]
    ref_loss, ref_grad = outputs["xentlib"]
    grad_scale = float(np.abs(ref_grad).max())
    checks = {}
    for name, (loss, grad) in outputs.items():
        if name == "xentlib":
            continue
        loss_rel = abs(loss - ref_loss) / abs(ref_loss)
        grad_abs = float(np.abs(grad.astype(np.float64) - ref_grad).max())
        ok = (
            grad.shape == ref_grad.shape
            and grad.dtype == ref_grad.dtype
            and loss_rel <= rtol
            and grad_abs <= rtol * grad_scale
        )
        checks[name] = {
            "loss": loss,
            "loss_rel_diff": loss_rel,
            "grad_dtype": str(grad.dtype),
            "grad_max_abs_diff": grad_abs,
            "grad_max_abs_diff_rel": grad_abs / grad_scale,
            "ok": bool(ok),
        }
    return {"xentlib_loss": ref_loss, "grad_max_abs": grad_scale, "rtol": rtol, "vs_xentlib": checks}


def bench_shape(shape, dtype, impls: list[Impl], repeat: int, warmup: int) -> dict:
    z, y = make_data(shape, dtype)
    labels = {impl.name: impl.prepare(y) for impl in impls}

    # Warm-up; the first call's outputs feed the agreement check.
    outputs = {}
    for impl in impls:
        outputs[impl.name] = impl.fn(z, labels[impl.name])
    check = agreement(outputs, dtype)
    del outputs
    for _ in range(warmup - 1):
        for impl in impls:
            timed(impl.fn, z, labels[impl.name])

    # Interleave implementations, rotating the order, so drift on a noisy machine hits all alike.
    times = {impl.name: [] for impl in impls}
    for r in range(repeat):
        k = r % len(impls)
        for impl in impls[k:] + impls[:k]:
            times[impl.name].append(timed(impl.fn, z, labels[impl.name]))

    return {
        "shape": list(shape),
        "dtype": np.dtype(dtype).name,
        "impls": {name: summarize(ts) for name, ts in times.items()},
        "check": check,
    }


# --------------------------------------------------------------------------- output

def _cell(res: dict, name: str) -> str:
    s = res["impls"].get(name)
    return "skipped" if s is None else f"{s['median_ms']:.1f} (p90 {s['p90_ms']:.1f})"


def _ratio(res: dict, a: str, b: str) -> str:
    if a not in res["impls"] or b not in res["impls"]:
        return "n/a"
    return f"{res['impls'][a]['median_ms'] / res['impls'][b]['median_ms']:.2f}"


def markdown_table(results: list[dict]) -> str:
    lines = [
        "| shape | dtype | xentlib ms | xentlib fused ms | naive ms | torch ms | xentlib/torch | fused/torch | xentlib/naive |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for res in results:
        shape = "(" + ", ".join(str(d) for d in res["shape"]) + ")"
        lines.append(
            f"| {shape} | {res['dtype']} | {_cell(res, 'xentlib')} | {_cell(res, 'xentlib fused')} | {_cell(res, 'naive')} | "
            f"{_cell(res, 'torch')} | {_ratio(res, 'xentlib', 'torch')} | {_ratio(res, 'xentlib fused', 'torch')} | "
            f"{_ratio(res, 'xentlib', 'naive')} |"
        )
    return "\n".join(lines)


def cpu_lines(results: list[dict]) -> list[str]:
    lines = []
    for res in results:
        parts = ", ".join(f"{name} {s['cpu_median_ms']:.1f}" for name, s in res["impls"].items())
        lines.append(f"{tuple(res['shape'])} {res['dtype']}: {parts}")
    return lines


def check_lines(results: list[dict]) -> list[str]:
    lines = []
    for res in results:
        c = res["check"]
        head = f"{tuple(res['shape'])} {res['dtype']}: xentlib loss={c['xentlib_loss']:.10g}, max|grad|={c['grad_max_abs']:.3g}, rtol={c['rtol']:g}"
        lines.append(head)
        for name, v in c["vs_xentlib"].items():
            lines.append(
                f"    {name:7s} loss={v['loss']:.10g} rel.diff={v['loss_rel_diff']:.2e}  "
                f"grad max|diff|={v['grad_max_abs_diff']:.2e} ({v['grad_max_abs_diff_rel']:.2e} of max|grad|)  "
                f"{'OK' if v['ok'] else 'MISMATCH'}"
            )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=None, help="timed repeats per (impl, shape); default 7 (3 with --quick)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed calls per (impl, shape) before timing; default 2")
    parser.add_argument("--quick", action="store_true", help="small shapes and 3 repeats: a smoke test, not a measurement")
    parser.add_argument("--no-torch", action="store_true", help="skip torch even if it is installed")
    parser.add_argument("--json", type=Path, default=None, help="where to write the JSON results")
    args = parser.parse_args(argv)
    repeat = args.repeat if args.repeat is not None else (3 if args.quick else 7)
    if repeat < 1 or args.warmup < 1:
        parser.error("--repeat and --warmup must be at least 1")
    shapes = QUICK_SHAPES if args.quick else FULL_SHAPES
    json_path = args.json or RESULTS_DIR / ("cross_entropy_quick.json" if args.quick else "cross_entropy.json")

    use_torch = torch is not None and not args.no_torch
    if use_torch:
        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:  # only allowed before any inter-op work has started
            pass

    threads = thread_report(use_torch)
    meta = {
        "date_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if use_torch else None,
        "xentlib_path": str(Path(xentlib.__file__).parent),
        "git": git_info(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "threads": threads,
        "memory": memory_report(),
        "repeat": repeat,
        "warmup": args.warmup,
        "quick": args.quick,
        "logit_scale": LOGIT_SCALE,
        "seed": SEED,
    }

    print(f"xentlib {meta['xentlib_path']} (git {meta['git']['commit'] and meta['git']['commit'][:10]}"
          f"{', xentlib/ has uncommitted changes' if meta['git']['xentlib_dirty'] else ''})")
    print(f"Python {meta['python']}, NumPy {meta['numpy']}, CPU {meta['cpu']} x{meta['cpu_count']}")
    if use_torch:
        print(f"torch {torch.__version__}")
    elif torch is None:
        print("torch not installed, skipped")
    else:
        print("torch skipped (--no-torch)")
    print("threads: " + ", ".join(f"{v}={threads[v]}" for v in THREAD_ENV_VARS)
          + f"; numpy BLAS pools: {threads['numpy_threadpools']}; numpy elementwise: 1"
          + (f"; torch.get_num_threads()={threads['torch_num_threads']}, interop={threads['torch_num_interop_threads']}" if use_torch else ""))
    mem = meta["memory"]
    print(f"huge pages: kernel THP {mem['transparent_hugepage']}; numpy madvise {mem['numpy_madvise_hugepage']}; "
          f"torch THP_MEM_ALLOC_ENABLE={mem['THP_MEM_ALLOC_ENABLE']}")
    print(f"repeat={repeat} (median, p90 of wall-clock per forward+gradient call), warmup={args.warmup}, "
          f"logits ~ N(0, {LOGIT_SCALE:g}^2), reduction='mean', int64 labels")
    print()

    impls = implementations(use_torch)
    results = []
    for shape, dtype in shapes:
        print(f"running {shape} {np.dtype(dtype).name} ...", flush=True)
        results.append(bench_shape(shape, dtype, impls, repeat, args.warmup))

    print()
    print("Agreement check (each implementation against xentlib; grad tolerance = rtol * max|grad|):")
    for line in check_lines(results):
        print(line)
    all_ok = all(v["ok"] for res in results for v in res["check"]["vs_xentlib"].values())
    print("agreement: " + ("all OK" if all_ok else "MISMATCH"))
    print()
    table = markdown_table(results)
    print(table)
    print()
    print("Process CPU time per call, median ms (user + system; less sensitive to other load than wall-clock):")
    for line in cpu_lines(results):
        print("    " + line)

    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps({"meta": meta, "results": results, "table_markdown": table, "agreement_ok": all_ok}, indent=2) + "\n")
    print()
    print(f"wrote {json_path}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
