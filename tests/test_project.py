"""The project's set-up: one source of truth for pins, a light `import xentlib`, a complete public API."""

import re
import subprocess
import sys
from pathlib import Path

import xentlib

ROOT = Path(__file__).resolve().parents[1]


def _requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _environment_pip_section() -> list[str]:
    text = (ROOT / "environment.yml").read_text()
    section = text.split("- pip:", 1)[1]
    return [m.group(1).strip() for m in re.finditer(r"^\s+-\s+(.+)$", section, flags=re.M)]


def test_environment_yml_installs_exactly_the_requirements():
    assert _requirements(), "requirements.txt lists nothing"
    assert _environment_pip_section() == _requirements()


def test_environment_yml_pins_python_in_the_supported_range():
    match = re.search(r"^\s+-\s+python=(3\.\d+)\s*$", (ROOT / "environment.yml").read_text(), flags=re.M)
    assert match, "environment.yml must pin python"
    assert 10 <= int(match.group(1).split(".")[1]) <= 13


def test_every_requirement_is_pinned():
    for line in _requirements():
        assert line == "-e ." or re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), line


def _pins(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text().splitlines()
    return dict(line.strip().split("==") for line in lines if "==" in line and not line.startswith("#"))


def _declared_lower_bounds() -> dict[str, str]:
    """``{"numpy": "1.26.4", ...}`` from pyproject.toml's dependencies (each ``name>=version[,<...]``)."""
    text = (ROOT / "pyproject.toml").read_text()
    block = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    return {m.group(1): m.group(2) for m in re.finditer(r'"([A-Za-z0-9_.\-]+)>=([\w.]+)', block)}


def test_the_oldest_environment_pins_exactly_the_declared_lower_bounds():
    """`make test-oldest` tests the lower end of every range the package declares, and nothing older or newer."""
    declared, oldest = _declared_lower_bounds(), _pins("requirements-oldest.txt")
    assert declared and {name: oldest.get(name) for name in declared} == declared
    requires = re.search(r'requires-python = ">=(3\.\d+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert requires == "3.10" and "PYTHON_OLDEST ?= $(call find_python,3.10)" in (ROOT / "Makefile").read_text()


def test_the_newest_environment_pins_nothing_and_covers_every_dependency():
    lines = [line.strip() for line in (ROOT / "requirements-newest.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert not [line for line in lines if re.search(r"[=<>~]", line)], "requirements-newest.txt must be unpinned"
    assert set(_declared_lower_bounds()) <= set(lines)
    assert "PYTHON_NEWEST ?= $(call find_python,3.13)" in (ROOT / "Makefile").read_text()


def test_import_is_light():
    code = "import sys, xentlib; print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython', 'scipy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_lazy_submodules_load_on_access():
    assert xentlib.drawing.Panel.__name__ == "Panel"
    assert callable(xentlib.drawing.style)


def test_public_api_is_complete_and_documented():
    contract = """surprisal entropy cross_entropy kl_divergence js_divergence mutual_information sigmoid log_sigmoid
    logit softmax log_softmax logsumexp binary_cross_entropy binary_cross_entropy_with_logits softmax_cross_entropy
    sigmoid_focal_loss softmax_focal_loss sigmoid_mse_loss hinge_loss zero_one_loss distillation_loss brier_score
    energy_score numerical_grad reliability_curve expected_calibration_error fit_temperature balanced_class_weights
    sequence_cross_entropy perplexity""".split()
    losses = contract[contract.index("binary_cross_entropy"):contract.index("brier_score")]
    for name in contract + [f"{loss}_grad" for loss in losses]:
        assert name in xentlib.__all__, name
        assert getattr(xentlib, name).__doc__, f"{name} has no docstring"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
