"""The package's shape: one name per lesson everywhere, import layers that never climb back up, no private helper
shared across modules, and ``import xentlib`` light."""

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import xentlib.lessons
from xentlib.drawing import Panel, StaticFigure

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xentlib"
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.py") if not p.stem.startswith("00_"))

#: Each module's layer; a module may import only from its own layer or lower ones.  Modules of one layer
#: may import each other (losses uses links' softmax; information and losses are peers).
LAYERS = [
    {"_numerics", "_validation"},
    {"links", "gradcheck"},
    {"losses", "information"},
    {"calibration", "imbalance", "language", "ngram", "multilabel", "ood", "segments", "soft_targets",
     "gaussian_fits", "chain_rule", "landscape"},
    {"datasets", "models", "bayes"},
    {"drawing", "serving", "quiz"},
    {"lessons"},
]


def _module_of(path: Path) -> str:
    """The top-level unit a file belongs to: ``xentlib/drawing/panel.py`` -> ``drawing``."""
    rel = path.relative_to(PACKAGE).with_suffix("")
    return rel.parts[0]


def _layer(unit: str) -> int:
    for i, layer in enumerate(LAYERS):
        if unit in layer:
            return i
    raise AssertionError(f"xentlib.{unit} has no layer: add it to LAYERS in {Path(__file__).name}")


def _imports(path: Path):
    """(module imported, names imported, line) for every ``from .x import ...`` / ``import xentlib.x`` in a file."""
    tree = ast.parse(path.read_text())
    package = list(path.relative_to(ROOT).with_suffix("").parts)
    if package[-1] != "__init__":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("xentlib"):
                for alias in node.names:
                    yield target, alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("xentlib"):
                    yield alias.name, None, node.lineno


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_climbs_back_up(path):
    here = _layer(_module_of(path))
    for target, name, line in _imports(path):
        parts = target.split(".")
        unit = parts[1] if len(parts) > 1 else None
        if unit is None:  # from xentlib import models
            unit = name
        assert _layer(unit) <= here, f"line {line}: xentlib.{_module_of(path)} imports {target} (a higher layer)"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_crosses_modules(path):
    """A private name stays in its module, or in its package: ``xentlib.models``' modules share ``models._base``."""
    own = "xentlib." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    package = own.rsplit(".", 1)[0]
    for target, name, line in _imports(path):
        if name and name.startswith("_") and not name.startswith("__"):
            assert target == own or (package != "xentlib" and target.startswith(package + ".")), (
                f"line {line}: imports private {name} from {target}; make it public where it belongs")


@pytest.mark.parametrize("path", sorted((PACKAGE / "lessons").rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_lesson_imports_another(path):
    own = path.relative_to(PACKAGE / "lessons").parts[0]
    for target, _name, line in _imports(path):
        parts = target.split(".")
        if len(parts) > 2 and parts[1] == "lessons":
            assert parts[2] == own, f"line {line}: lesson {own} imports lesson {parts[2]}"


def test_every_notebook_is_a_lesson_under_its_own_name():
    lessons = {importlib.import_module(f"xentlib.lessons.{name}").NOTEBOOK: name for name in xentlib.lessons.names()}
    assert sorted(lessons) == NOTEBOOKS
    for notebook, name in lessons.items():
        assert notebook.split("_", 1)[1] == name, f"notebook {notebook} is lesson {name}: one name everywhere"
        for part in ("figures", "exercises"):
            assert (PACKAGE / "lessons" / name / f"{part}.py").is_file(), f"lesson {name} has no {part}.py"
        assert (ROOT / "tests" / "lessons" / f"test_{name}.py").is_file(), f"lesson {name} has no test file"
    assert xentlib.lessons.names() == [lessons[n] for n in NOTEBOOKS], "lessons are listed in notebook order"


@pytest.mark.parametrize("name", xentlib.lessons.names())
def test_a_lessons_figures_module_exports_only_figures(name):
    module = importlib.import_module(f"xentlib.lessons.{name}.figures")
    for export in module.__all__:
        obj = getattr(module, export)
        assert inspect.isfunction(obj), f"{name}.figures exports {export}, not a figure function"
        assert inspect.signature(obj).return_annotation in (Panel, StaticFigure, "Panel", "StaticFigure"), (
            f"{name}.figures.{export} does not return a Panel or a StaticFigure")


@pytest.mark.parametrize("name", xentlib.lessons.names())
def test_checking_an_answer_or_running_an_experiment_never_loads_matplotlib(name):
    modules = [f"xentlib.lessons.{name}.exercises"]
    if (PACKAGE / "lessons" / name / "experiments.py").is_file():
        modules.append(f"xentlib.lessons.{name}.experiments")
    code = (f"import sys\nfor m in {modules!r}: __import__(m)\n"
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]", f"importing {modules} loads {out.strip()}"


def test_module_sizes_stay_readable():
    """No module over about 500 lines unless it is one idea (listed here, with the reason)."""
    one_idea = {
        "losses.py": "every loss of the course, each with its closed-form gradient beside it",
        "calibration.py": "calibration: the proper scoring rules and how to measure and fix a model's calibration",
        "imbalance.py": "class imbalance: weights, resampling, logit adjustment and the focal loss's optimum",
        "ngram.py": "one model: the character n-gram language model with add-k smoothing",
        "lessons/soft_targets/figures.py": "the six figures of one lesson",
    }
    long = {str(p.relative_to(PACKAGE)): n for p in SOURCES
            if (n := len(p.read_text().splitlines())) > 550 and str(p.relative_to(PACKAGE)) not in one_idea}
    assert not long, long
