"""Every way in: README and 00_index launch links, the Colab install cell, what a Colab install ships.

``tools/launch_links.py`` holds the repository address and the release tag;
these tests check that everything it writes is current and points at
notebooks that exist, and that the Colab cell is silent outside Colab.
"""

import fnmatch
import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path
from urllib.parse import unquote

import pytest

import xentlib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import launch_links as links  # noqa: E402

LESSONS = links.lesson_sources()
OWNER_REPO = links._owner_repo()
BINDER = re.compile(r"https://mybinder\.org/v2/gh/([^/\s)]+/[^/\s)]+)/([^?\s)]+)\?labpath=([^\s)]+)")
COLAB = re.compile(r"https://colab\.research\.google\.com/github/([^/\s)]+/[^/\s)]+)/blob/([^/\s)]+)/([^\s)]+)")


def _documents() -> dict[str, str]:
    return {"README.md": (ROOT / "README.md").read_text(), "notebooks/00_index.py": links.INDEX.read_text()}


def test_there_are_lessons():
    assert LESSONS, "no notebooks/NN_topic.py found"


def test_ref_is_the_tag_of_this_version():
    assert links.REF == "v" + xentlib.__version__
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(rf'^version = "{re.escape(xentlib.__version__)}"$', pyproject, flags=re.M), \
        "pyproject.toml and xentlib.__version__ disagree, so the tag the links use would be wrong"


@pytest.mark.parametrize("document", ["README.md", "notebooks/00_index.py"])
def test_every_badge_points_at_a_notebook_that_exists(document):
    text = _documents()[document]
    binder, colab = BINDER.findall(text), COLAB.findall(text)
    assert binder and colab, f"{document} has no Binder or no Colab links"
    for repo, ref, labpath in binder:
        assert (repo, ref) == (OWNER_REPO, links.REF), f"Binder link to {repo}@{ref}"
        path = unquote(labpath)
        assert path.startswith("notebooks/") and (ROOT / path).is_file(), f"Binder link to missing {path}"
    for repo, ref, path in colab:
        assert (repo, ref) == (OWNER_REPO, links.REF), f"Colab link to {repo}@{ref}"
        assert path.startswith("notebooks/") and (ROOT / path).is_file(), f"Colab link to missing {path}"


@pytest.mark.parametrize("document", ["README.md", "notebooks/00_index.py"])
def test_every_lesson_has_both_badges(document):
    text = _documents()[document]
    for source in LESSONS:
        name = source.with_suffix(".ipynb").name
        assert links.binder_url(name) in text, f"{document}: no Binder link for {name} (run `make links`)"
        assert links.colab_url(name) in text, f"{document}: no Colab link for {name} (run `make links`)"


def test_readme_table_is_current():
    readme = (ROOT / "README.md").read_text()
    assert links.render_readme(readme, links.lessons()) == readme, "README table is stale: run `make links`"


def test_index_is_current_and_executed():
    problems = [p for p in links.stale() if "Colab cell" not in p]
    assert not problems, "\n".join(problems)


def test_repository_address_lives_in_one_place():
    """Outside the generated parts, only tools/launch_links.py names the repository."""
    address = links.REPOSITORY.split("://", 1)[1]
    readme = (ROOT / "README.md").read_text()
    head, rest = readme.split(links.START, 1)
    assert address not in head + rest.split(links.END, 1)[1], "README names the repository outside the generated table"
    files = [p for pattern in ("*.py", "*.md", "*.toml", "*.yml", "*.txt", "Makefile", ".ci/run")
             for p in ROOT.glob(pattern)]
    files += list((ROOT / "xentlib").rglob("*.py")) + list((ROOT / "tools").glob("*.py")) + list((ROOT / "tests").glob("*.py"))
    files += list((ROOT / "benchmarks").glob("*.py"))
    allowed = {ROOT / "tools" / "launch_links.py", ROOT / "README.md"}
    for path in files:
        if path not in allowed and path.is_file():
            assert address not in path.read_text(errors="replace"), f"{path.relative_to(ROOT)} names the repository"
    for source in LESSONS:
        text = source.read_text().replace(links.colab_cell(), "")
        assert address not in text, f"{source.name} names the repository outside its Colab cell"


# --------------------------------------------------------------------------- the Colab cell
def _run_cell(monkeypatch, in_colab: bool) -> list:
    calls = []

    def fake_run(args, **kwargs):
        calls.append((args, kwargs))
        return subprocess.CompletedProcess(args, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    if in_colab:
        google = types.ModuleType("google")
        colab = types.ModuleType("google.colab")
        google.colab = colab
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", colab)
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(links.colab_cell(), "<colab cell>", "exec"), {"__name__": "__main__"})
    return calls


def test_colab_cell_does_nothing_outside_colab(monkeypatch, capfd):
    calls = _run_cell(monkeypatch, in_colab=False)
    out, err = capfd.readouterr()
    assert calls == [] and out == "" and err == ""


def test_colab_cell_installs_the_tagged_release_without_touching_colab_packages(monkeypatch, capfd):
    calls = _run_cell(monkeypatch, in_colab=True)
    assert len(calls) == 1
    args, kwargs = calls[0]
    assert args[:4] == [sys.executable, "-m", "pip", "install"]
    assert "--no-deps" in args, "Colab's numpy, matplotlib and ipywidgets must not be upgraded"
    assert not {"-U", "--upgrade", "--force-reinstall"} & set(args)
    assert args[-1] == f"xentlib @ git+{links.REPOSITORY}@{links.REF}"
    assert kwargs.get("check") is True
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_colab_cell_refresh_is_idempotent_and_touches_nothing_else():
    text = LESSONS[0].read_text()
    once = links.with_colab_cell(text)
    assert links.with_colab_cell(once) == once
    assert once.replace("# %%\n" + links.colab_cell() + "\n\n", "", 1) == text.replace(
        "# %%\n" + links.colab_cell() + "\n\n", "", 1)


@pytest.mark.parametrize("source", LESSONS, ids=lambda p: p.stem)
def test_first_code_cell_is_the_colab_cell_and_prints_nothing(source):
    """Fails until `python tools/launch_links.py --colab-cells` has been run (it inserts the cells and re-executes)."""
    assert links.colab_cell_is_current(source), \
        f"{source.name}: first code cell is not the Colab cell; run `python tools/launch_links.py --colab-cells`"
    cells = json.loads(source.with_suffix(".ipynb").read_text())["cells"]
    first = next(c for c in cells if c["cell_type"] == "code")
    assert "".join(first["source"]) == links.colab_cell(), f"{source.name}: the .ipynb is not re-executed"
    assert first["outputs"] == [], "outside Colab the cell must print nothing"


# --------------------------------------------------------------------------- what `pip install git+...` ships
def _setuptools_packages() -> list[str] | None:
    """The packages pyproject.toml makes setuptools ship, or None when it uses discovery (checked separately)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        pytest.skip("tomllib needs Python >= 3.11")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text()).get("tool", {}).get("setuptools", {})
    packages = config.get("packages")
    if isinstance(packages, list):
        return packages
    find = (packages or {}).get("find", {}) if isinstance(packages, dict) else {}
    include, exclude = find.get("include", ["*"]), find.get("exclude", [])
    found = [".".join(p.relative_to(ROOT).parts[:-1]) for p in sorted((ROOT / "xentlib").rglob("__init__.py"))]
    return [name for name in found
            if any(fnmatch.fnmatch(name, pat) for pat in include) and not any(fnmatch.fnmatch(name, pat) for pat in exclude)]


def test_a_non_editable_install_ships_every_subpackage():
    """Colab installs xentlib from git (not editable): xentlib.explore and xentlib.exercises must be in the wheel."""
    shipped = set(_setuptools_packages())
    needed = {".".join(p.relative_to(ROOT).parts[:-1]) for p in (ROOT / "xentlib").rglob("__init__.py")
              if "__pycache__" not in p.parts}
    missing = sorted(needed - shipped)
    assert not missing, (f"pyproject.toml ships {sorted(shipped)} but not {missing}: a Colab/pip install from git "
                         "would fail on `from xentlib.explore import ...`. Use [tool.setuptools.packages.find] "
                         'include = ["xentlib", "xentlib.*"].')


# --------------------------------------------------------------------------- the README's servers
def _recipe(target: str) -> str:
    """The commands `make <target>` runs, variables expanded (`make -n`; the .venv set-up is not included)."""
    result = subprocess.run(["make", "-n", "-o", ".venv/.installed", target], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"the Makefile has no `{target}` target: {result.stderr}"
    return result.stdout.replace("\\\n", " ")


@pytest.mark.parametrize("target", ["lab", "present"])
def test_readme_servers_listen_on_localhost_and_keep_the_token(target):
    readme = (ROOT / "README.md").read_text()
    assert f"make {target}" in readme
    recipe = _recipe(target)
    assert "127.0.0.1" in recipe, f"`make {target}` must bind to 127.0.0.1"
    for weakening in ("token=''", 'token=""', "token= ", "password=''", "disable_check_xsrf", "0.0.0.0",
                      "--ip=*", "allow_remote_access", "--no-token"):
        assert weakening not in recipe, f"`make {target}` weakens authentication: {weakening}"
    if target == "present":
        assert re.search(r"--token(\s|$)", recipe), "Voilà has no token unless asked: `make present` must pass --token"


@pytest.mark.parametrize("target, setting", [("present", "VOILA_ARGS"), ("lab", "LAB_ARGS")])
def test_readme_servers_use_the_settings_the_browser_tests_check(target, setting):
    sys.path.insert(0, str(ROOT / "tools"))
    import e2e

    recipe = _recipe(target)
    for arg in getattr(e2e, setting):
        assert arg in recipe.split(), f"`make {target}` lacks {arg} (tools/e2e.py tests the server with it)"
    if target == "present":
        assert f"JUPYTER_PATH={e2e.TEMPLATE_ROOT}" in recipe.split(), \
            f"`make present` must find the classroom template: JUPYTER_PATH={e2e.TEMPLATE_ROOT}"
        assert (e2e.TEMPLATE_ROOT / "voila" / "templates" / "classroom" / "index.html.j2").is_file()


def _recipe_as(user_id: int, target: str) -> list[str]:
    """`make -n <target>` run as another user (needs root): the commands that user would get."""
    cmd = ["setpriv", f"--reuid={user_id}", f"--regid={user_id}", "--clear-groups",
           "make", "-n", "-o", ".venv/.installed", target]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout.replace("\\\n", " ").split()


def test_make_lab_allows_root_only_when_run_as_root():
    """Jupyter refuses root without --allow-root: a container's root user must still get a lab; others never the flag."""
    recipe = _recipe("lab").split()
    assert ("--allow-root" in recipe) == (os.geteuid() == 0), recipe
    if os.geteuid() == 0:  # and as a normal user (nobody), on the same checkout
        assert "--allow-root" not in _recipe_as(65534, "lab")
