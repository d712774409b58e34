"""The notebooks as files: pairs in sync, stored outputs executed and clean, and the parts every notebook must have.

nbval (run by the same `make test`) re-executes every .ipynb and compares the
cells marked ``# NBVAL_CHECK_OUTPUT`` with their stored outputs.
"""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
sys.path.insert(0, str(NOTEBOOKS.parent / "tools"))
from sync_notebooks import stable_cell_ids  # noqa: E402

SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
LESSONS = [s for s in SOURCES if not s.name.startswith("00_")]  # 00_index is a table of links, not a lesson
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _cells(source: Path) -> list[dict]:
    return json.loads(source.with_suffix(".ipynb").read_text())["cells"]


def _code(cell) -> str:
    return "".join(cell["source"])


def test_there_are_notebooks():
    assert len(SOURCES) >= 1


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_pair_is_in_sync(source):
    """The .ipynb says exactly what its .py source says (run `make notebooks` after editing a .py)."""
    cmd = [sys.executable, "-m", "jupytext", "--quiet", "--to", "py:percent", "--output", "-", str(source.with_suffix(".ipynb"))]
    converted = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert converted == source.read_text(), f"{source.name} and its .ipynb differ: run `make notebooks`"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_stored_outputs_are_executed_and_clean(source):
    code_cells = [c for c in _cells(source) if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code_cells]
    assert None not in counts, "every code cell must be stored executed"
    assert counts == sorted(counts), "cells must be executed top to bottom"
    for cell in code_cells:
        for out in cell["outputs"]:
            assert out["output_type"] != "error", _code(cell)
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), _code(cell)
            assert WIDGET_VIEW not in out.get("data", {}), "stored outputs keep the static frame, not a live widget"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_cell_ids_come_from_the_cells_text(source):
    """Re-executing an unchanged notebook must not rewrite its cell ids (jupytext would make random ones)."""
    nb = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    stored = [cell.id for cell in nb.cells]
    stable_cell_ids(nb)
    assert stored == [cell.id for cell in nb.cells], f"{source.name}: run `make notebooks`"
    assert len(set(stored)) == len(stored)


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_has_what_every_notebook_must_have(source):
    cells = _cells(source)
    intro = "".join(cells[0]["source"])
    for phrase in ("After this notebook you will be able to", "Prerequisites", "Time"):
        assert phrase in intro, phrase
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "## Summary" in markdown and "## Exercises" in markdown
    figures = [out for c in cells if c["cell_type"] == "code" for out in c["outputs"]
               if "image/png" in out.get("data", {}) and "[interactive figure" in "".join(out["data"].get("text/plain", ""))]
    assert len(figures) >= 2, "at least two interactive figures, each with its static first frame stored"
    checks = [c for c in cells if c["cell_type"] == "code" and "exercises.check(" in _code(c)]
    assert len(checks) >= 2, "at least two checked exercises"
    quoted = [c for c in cells if c["cell_type"] == "code" and "# NBVAL_CHECK_OUTPUT" in _code(c)]
    assert quoted and all(c["outputs"] for c in quoted), "numbers the prose quotes are printed by checked cells"
