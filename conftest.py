"""Test-suite settings shared by the unit tests and the nbval notebook run."""

import os
import sys
from pathlib import Path

import matplotlib

# Headless everywhere, and no window ever opens during the tests.
matplotlib.use("Agg")

# Kernels started by nbval inherit this: a numerical or plotting warning in a
# notebook fails the run instead of scrolling past in a stderr output.
os.environ.setdefault("PYTHONWARNINGS", "error::RuntimeWarning,error::UserWarning")

# The helpers the tests and benchmarks share (tools/panels.py, tools/e2e.py, ...).
sys.path.insert(0, str(Path(__file__).parent / "tools"))


# Test tiers, by where a test lives (`make test-fast` runs the first only):
#   (no marker)  the library's unit, property and doctests: xentlib/ and tests/ outside the folders below;
#   lesson       a lesson's figures, experiments and exercises: xentlib/lessons/, tests/lessons/;
#   notebook     the notebooks as files and under nbval: notebooks/, tests/test_notebooks.py, tests/test_launch.py;
#   browser      Chromium against JupyterLab and Voila: tests/test_browser.py.
_ROOT = Path(__file__).resolve().parent
_TIERS = [("browser", ("tests/test_browser.py",)),
          ("notebook", ("notebooks/", "tests/test_notebooks.py", "tests/test_launch.py")),
          ("lesson", ("xentlib/lessons/", "tests/lessons/"))]


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        where = Path(str(item.path)).resolve().relative_to(_ROOT).as_posix()
        for marker, places in _TIERS:
            if where.startswith(places):
                item.add_marker(getattr(pytest.mark, marker))
                break
