"""Execute each notebook's .py source and write its executed .ipynb pair.

    python tools/sync_notebooks.py notebooks/01_surprise.py [more.py ...]

For each source it
1. executes it in a fresh kernel with the notebook folder as working directory,
2. fails if any cell stores an error, a stderr stream or a warning,
3. keeps the static first frame of every interactive figure but drops the
   live widget reference from the stored output, so GitHub, nbviewer and a
   kernel-less JupyterLab all show the picture instead of "model not found",
4. writes the .ipynb, then rewrites the .py from it through the jupytext
   command line (which applies jupytext.toml), so the pair is in sync by
   construction, and prints how long the run took.

Cell ids are derived from the cells' text (see ``stable_cell_ids``), so
re-executing an unchanged notebook does not rewrite every id in the diff.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TIMEOUT_S = 300


def problems(nb) -> list[str]:
    """Stored outputs a reader must never see: errors, stderr, warnings."""
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"cell {index}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                found.append(f"cell {index}: stderr: {out.text.strip()[:200]}")
    return found


def strip_live_widgets(nb) -> None:
    """Keep image/png and text/plain, drop the widget-view entry and any saved widget state."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("data", {}).pop(WIDGET_VIEW, None) is not None and "image/png" not in out.data:
                raise RuntimeError("a widget output has no static image; display a xentlib Panel, not a bare widget")
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)


def stable_cell_ids(nb) -> None:
    """Give every cell an id made from its type and text (the n-th repeat of a cell gets ``-n``).

    jupytext gives the cells of a notebook read from its ``.py`` random ids.
    """
    seen: dict[str, int] = {}
    for cell in nb.cells:
        digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
        seen[digest] = seen.get(digest, 0) + 1
        cell.id = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def paired_source(ipynb: Path) -> str:
    """The percent-format text of a notebook, exactly as the pair check computes it."""
    cmd = [sys.executable, "-m", "jupytext", "--quiet", "--to", "py:percent", "--output", "-", str(ipynb)]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def sync(source: Path) -> float:
    nb = jupytext.read(source)
    start = time.perf_counter()
    NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3",
                   resources={"metadata": {"path": str(source.parent)}}).execute()
    elapsed = time.perf_counter() - start
    bad = problems(nb)
    if bad:
        raise RuntimeError(f"{source} stores errors or warnings:\n  " + "\n  ".join(bad))
    strip_live_widgets(nb)
    stable_cell_ids(nb)
    target = source.with_suffix(".ipynb")
    nb.metadata.get("jupytext", {}).pop("formats", None)  # the pairing lives in jupytext.toml
    jupytext.write(nb, target, fmt="ipynb")
    nbformat.validate(nbformat.read(target, as_version=4))
    # Regenerate the source from the pair, so the two are in sync by construction
    # (same cells; only jupytext's normal form of the header can change).
    source.write_text(paired_source(target))
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for source in args.sources:
        elapsed = sync(source)
        print(f"{source}: executed in {elapsed:.1f} s -> {source.with_suffix('.ipynb')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
