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
