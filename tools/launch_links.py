"""Launch links: the one place that knows where the repository lives.

    python tools/launch_links.py                # write the README table and notebooks/00_index (.py + executed .ipynb)
    python tools/launch_links.py --check        # exit 1, saying what, if anything below is stale
    python tools/launch_links.py --colab-cells  # insert or refresh the Colab install cell in every lesson,
                                                # then re-execute the lessons it changed

``REPOSITORY`` and ``REF`` below are the only copies of the repository's
address and of the release the links and the Colab cells point at.  If the
repository moves, change ``REPOSITORY`` here and run the three commands above.

**What it writes**

1. ``README.md``, between ``<!-- notebooks:start -->`` and
   ``<!-- notebooks:end -->``: a table with one row per lesson
   (``notebooks/NN_topic.py`` with NN >= 01): its number, its title linking to
   the ``.ipynb``, a one-line description, and "Open in Binder" / "Open in
   Colab" badges.  Nothing outside the markers is touched.
2. ``notebooks/00_index.py``: the same table (links relative to the notebook
   folder) plus how to launch the course locally, in class, on Binder and on
   Colab; then executes it into ``notebooks/00_index.ipynb`` with
   ``tools/sync_notebooks.py``, so it is paired like every other notebook.
3. With ``--colab-cells``: makes the *first code cell* of every lesson the
   Colab install cell (:func:`colab_cell`).  A cell that already starts with
   :data:`COLAB_MARKER` is replaced (so a new ``REF`` refreshes it); otherwise
   the cell is inserted before the first code cell, as text, leaving the rest of
   the file byte for byte.  Every lesson it changed is then re-executed by
   ``tools/sync_notebooks.py`` (``--no-execute`` skips that; the pair test
   fails until ``make notebooks`` is run).

**Where the descriptions come from.**  Each lesson's first markdown cell
starts with its title line, ``# NN · Title: one-line description`` (e.g.
``# 01 · Surprise: where cross-entropy comes from``).  The text between "·"
and the first ": " is the title, the rest the description.  A title line
without ": " gives the whole line as title and the first "After this notebook
you will be able to" bullet as description.  So adding ``notebooks/11_x.py``
with such a title line needs no edit here: run this script (or ``make links``).

**The Colab cell** installs ``xentlib @ git+REPOSITORY@REF`` with
``--no-deps``: Colab already ships numpy, matplotlib and ipywidgets 7.7.1, and
xentlib's own ranges (pyproject.toml) admit them, so nothing Colab ships is
upgraded.  It runs pip as ``sys.executable -m pip`` in a subprocess, not as
``!pip`` / ``%pip``: jupytext's percent format comments magics out, so a magic
inside an ``if`` would leave an ``if`` with an empty body in the ``.py``.
Outside Colab (``"google.colab"`` not in ``sys.modules``) the cell imports
``sys`` and does nothing else: no output, no network.

``REF`` is the git tag ``v<xentlib.__version__>``: publish a release by
tagging it (``git tag v0.1.0 && git push --tags``) so that the Binder and
Colab links, and the install the Colab cell does, resolve to it.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
INDEX = NOTEBOOKS / "00_index.py"


def _version() -> str:
    text = (ROOT / "xentlib" / "__init__.py").read_text()
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, flags=re.M)
    if not match:
        raise RuntimeError("xentlib/__init__.py defines no __version__")
    return match.group(1)


#: The repository on GitHub: the one place its address is written.
REPOSITORY = "https://github.com/xentlib/cross-entropy-notebooks"
#: The git tag the Binder/Colab links open and the Colab cells install: ``v`` + ``xentlib.__version__``.
REF = "v" + _version()

START, END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"
COLAB_MARKER = "# Colab only: install xentlib"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
_TITLE = re.compile(r"^#\s+(\d\d)\s*[·:.\-–—]\s*(.+?)\s*$")
_GOALS = "After this notebook you will be able to"


def _owner_repo() -> str:
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)/?", REPOSITORY)
    if not match:
        raise RuntimeError(f"REPOSITORY must be https://github.com/OWNER/REPO, found {REPOSITORY!r}")
    return match.group(1)


def binder_url(name: str) -> str:
    """Binder opening ``notebooks/<name>`` in JupyterLab, from the environment.yml at ``REF``."""
    return f"https://mybinder.org/v2/gh/{_owner_repo()}/{REF}?labpath={quote('notebooks/' + name, safe='')}"


def colab_url(name: str) -> str:
    """Colab opening ``notebooks/<name>`` at ``REF``."""
    return f"https://colab.research.google.com/github/{_owner_repo()}/blob/{REF}/notebooks/{name}"


def install_spec() -> str:
    return f"xentlib @ git+{REPOSITORY}@{REF}"


def colab_cell() -> str:
    """The source of the first code cell of every lesson."""
    return (
        f"{COLAB_MARKER}, this course's library, from release {REF}\n"
        "# (--no-deps: nothing Colab already ships is upgraded). Anywhere else this cell does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import importlib\n"
        "    import subprocess\n"
        "\n"
        '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",\n'
        f'                    "{install_spec()}"], check=True)\n'
        "    importlib.invalidate_caches()"
    )


# --------------------------------------------------------------------------- the lessons
@dataclass(frozen=True)
class Lesson:
    number: str
    stem: str
    title: str
    description: str

    @property
    def ipynb(self) -> str:
        return self.stem + ".ipynb"


def lesson_sources() -> list[Path]:
    """Every notebooks/NN_topic.py with NN >= 01 (00_index is the index itself)."""
    return [p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py")) if p.name[:2] != "00"]


def describe(source: Path) -> Lesson:
    """Title and one-line description from the lesson's title line (see the module docstring)."""
    nb = jupytext.read(source)
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    text = first.source if first is not None else ""
    lines = [line.strip() for line in text.splitlines()]
    heading = next((line for line in lines if line.startswith("# ")), "")
    match = _TITLE.match(heading)
    title = match.group(2) if match else heading.lstrip("# ").strip()
    description = ""
    if ": " in title:
        title, description = (part.strip() for part in title.split(": ", 1))
    if not description and _GOALS in text:
        after = text.split(_GOALS, 1)[1].splitlines()
        bullet = next((line.strip()[2:] for line in after if line.strip().startswith(("- ", "* "))), "")
        description = bullet.rstrip(";.")
    if not title:
        title = source.stem[3:].replace("_", " ").capitalize()
    return Lesson(source.name[:2], source.stem, _one_line(title), _one_line(description))


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def lessons() -> list[Lesson]:
    return [describe(p) for p in lesson_sources()]


# --------------------------------------------------------------------------- README table
def badges(name: str) -> str:
    return (f"[![Open in Binder]({BINDER_BADGE})]({binder_url(name)}) "
            f"[![Open in Colab]({COLAB_BADGE})]({colab_url(name)})")


def table(items: list[Lesson], link_prefix: str) -> str:
    rows = ["| # | notebook | what it is about | launch |", "|---|---|---|---|"]
    for item in items:
        rows.append(f"| {item.number} | [{item.title}]({link_prefix}{item.ipynb}) | {item.description} | {badges(item.ipynb)} |")
    return "\n".join(rows)


def readme_block(items: list[Lesson]) -> str:
    return "\n".join([
        START,
        "<!-- Written by tools/launch_links.py from each notebook's title line; run `make links` after adding one. -->",
        f"Every notebook opens on [Binder]({binder_url('00_index.ipynb')}) (JupyterLab with everything installed) "
        f"or Colab (its first cell installs `xentlib` {REF}) with one click, at release `{REF}`.",
        "",
        table(items, "notebooks/"),
        END,
    ])


def render_readme(current: str, items: list[Lesson]) -> str:
    if current.count(START) != 1 or current.count(END) != 1 or current.index(START) > current.index(END):
        raise RuntimeError(f"README.md must contain {START} ... {END} exactly once")
    head, rest = current.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + readme_block(items) + tail


# --------------------------------------------------------------------------- 00_index
def index_cells(items: list[Lesson]) -> list[str]:
    """The markdown cells of notebooks/00_index."""
    intro = (
        "# 00 · Index: the course at a glance\n"
        "\n"
        "Cross-entropy, felt with sliders: every idea is a figure you can move. Open a notebook, run it from "
        "the top (**Run → Run All Cells**), then move the sliders; the **Scenes** buttons above a figure jump to "
        "the settings the text discusses.\n"
        "\n"
        "Start with 01 and go in order: each notebook lists its prerequisites at the top."
    )
    notebooks = "## The notebooks\n\n" + table(items, "")
    launch = (
        "## How to launch\n"
        "\n"
        "- **On your own machine** (Python ≥ 3.10 and `make`): `make lab` opens the notebooks in JupyterLab "
        "at `http://127.0.0.1:8888`. The first run creates the virtual environment `.venv`.\n"
        "- **In class:** `make present` serves the notebooks with Voilà on `http://127.0.0.1:8866`: code hidden, "
        "text, sliders and figures only, with a landing page that lists the notebooks (this index first). "
        "Open the address it prints (it carries the access token) on the projector's browser.\n"
        f"- **Binder:** the Binder badge opens the notebook in JupyterLab with the pinned environment "
        f"(`environment.yml`), nothing to install. The first launch of release `{REF}` takes a few minutes.\n"
        f"- **Colab:** the Colab badge opens the notebook in Google Colab; its first code cell installs "
        f"`xentlib` {REF} there (and does nothing anywhere else). Sliders work with Colab's ipywidgets 7.7."
    )
    return [intro, notebooks, launch]


def index_notebook(items: list[Lesson]):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text) for text in index_cells(items)]
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["jupytext"] = {"text_representation": {"extension": ".py", "format_name": "percent"}}
    return nb


def _markdown_sources(path: Path) -> list[str] | None:
    if not path.exists():
        return None
    nb = jupytext.read(path)
    return [c.source for c in nb.cells]


def write_index(items: list[Lesson], execute: bool = True) -> bool:
    """Write notebooks/00_index.py if its cells differ, then execute it into its .ipynb pair; True if anything changed."""
    wanted = index_cells(items)
    changed = _markdown_sources(INDEX) != wanted
    if changed:
        jupytext.write(index_notebook(items), INDEX, fmt="py:percent")
    if execute and (changed or not _index_pair_in_sync()):
        _sync([INDEX])
        return True
    return changed


def _index_pair_in_sync() -> bool:
    ipynb = INDEX.with_suffix(".ipynb")
    if not ipynb.exists():
        return False
    from sync_notebooks import paired_source  # noqa: PLC0415 - tools/ is on sys.path (see below)

    return paired_source(ipynb) == INDEX.read_text()


def _sync(sources: list[Path]) -> None:
    from sync_notebooks import sync  # noqa: PLC0415

    for source in sources:
        elapsed = sync(source)
        print(f"{source.relative_to(ROOT)}: executed in {elapsed:.1f} s -> {source.with_suffix('.ipynb').name}")


# --------------------------------------------------------------------------- Colab cells
_CELL_START = re.compile(r"^# %%(.*)$")


def _first_code_cell_span(text: str) -> tuple[int, int] | None:
    """Line range [start, end) of the first code cell of a percent-format source."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _CELL_START.match(line)]
    for k, i in enumerate(starts):
        options = _CELL_START.match(lines[i]).group(1)
        if "[markdown]" not in options and "[raw]" not in options:
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            return i, end
    return None


def with_colab_cell(text: str) -> str:
    """The percent-format source with the Colab cell as its first code cell (inserted or refreshed)."""
    lines = text.splitlines(keepends=True)
    block = ["# %%\n"] + [line + "\n" for line in colab_cell().splitlines()] + ["\n"]
    span = _first_code_cell_span(text)
    if span is None:
        return text.rstrip("\n") + "\n\n" + "".join(block).rstrip("\n") + "\n"
    start, end = span
    if any(line.startswith(COLAB_MARKER) for line in lines[start + 1:start + 3]):
        # Refresh: the existing Colab cell runs to the next cell marker; keep its trailing blank line.
        return "".join(lines[:start] + block + lines[end:])
    return "".join(lines[:start] + block + lines[start:])


def colab_cell_is_current(source: Path) -> bool:
    nb = jupytext.read(source)
    code = [c for c in nb.cells if c.cell_type == "code"]
    return bool(code) and code[0].source == colab_cell()


def apply_colab_cells(execute: bool = True) -> list[Path]:
    changed = []
    for source in lesson_sources():
        text = source.read_text()
        new = with_colab_cell(text)
        if new != text:
            source.write_text(new)
            changed.append(source)
            print(f"{source.relative_to(ROOT)}: Colab cell {'refreshed' if COLAB_MARKER in text else 'inserted'}")
        if not colab_cell_is_current(source):
            raise RuntimeError(f"{source}: the Colab cell did not end up as the first code cell; check the file")
    if execute and changed:
        _sync(changed)
    return changed


# --------------------------------------------------------------------------- check
def stale() -> list[str]:
    """Everything this script would change, as sentences; empty when all is current."""
    found = []
    items = lessons()
    try:
        if render_readme(README.read_text(), items) != README.read_text():
            found.append("README.md: the notebook table is stale (run `python tools/launch_links.py`)")
    except RuntimeError as err:
        found.append(f"README.md: {err}")
    if _markdown_sources(INDEX) != index_cells(items):
        found.append("notebooks/00_index.py is stale (run `python tools/launch_links.py`)")
    elif not _index_pair_in_sync():
        found.append("notebooks/00_index.ipynb is not the executed pair of 00_index.py (run `python tools/launch_links.py`)")
    for source in lesson_sources():
        if not colab_cell_is_current(source):
            found.append(f"{source.relative_to(ROOT)}: the first code cell is not the current Colab cell "
                         "(run `python tools/launch_links.py --colab-cells`)")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is stale")
    mode.add_argument("--colab-cells", action="store_true",
                      help="insert/refresh the Colab cell in every lesson and re-execute the lessons it changed")
    parser.add_argument("--no-execute", action="store_true", help="write sources only; run `make notebooks` later")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for problem in problems:
            print(problem)
        if not problems:
            print(f"launch links current: {len(lesson_sources())} notebooks, {REPOSITORY} at {REF}")
        return 1 if problems else 0
    if args.colab_cells:
        changed = apply_colab_cells(execute=not args.no_execute)
        print(f"Colab cell current in {len(lesson_sources())} notebooks ({len(changed)} changed)")
        return 0
    items = lessons()
    readme = README.read_text()
    new_readme = render_readme(readme, items)
    if new_readme != readme:
        README.write_text(new_readme)
        print("README.md: notebook table written")
    write_index(items, execute=not args.no_execute)
    print(f"{len(items)} notebooks linked at {REPOSITORY} {REF}")
    return 0


sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `from sync_notebooks import ...`

if __name__ == "__main__":
    sys.exit(main())
