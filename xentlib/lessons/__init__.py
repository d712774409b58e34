"""The lessons: one package per notebook, under the notebook's own name without its number.

Notebook ``notebooks/05_calibration.py`` is lesson ``calibration``:

* ``xentlib/lessons/calibration/figures.py``: its interactive and static
  figures (functions returning a :class:`~xentlib.drawing.Panel` or a
  :class:`~xentlib.drawing.StaticFigure`), and nothing else;
* ``xentlib/lessons/calibration/experiments.py`` (where the lesson has one):
  the fixed data sets, seeds and trained models the notebook shows and
  quotes, NumPy only, so checking an answer never loads matplotlib;
* ``xentlib/lessons/calibration/exercises.py``: its exercises;
* ``tests/lessons/test_calibration.py``: their tests;
* ``xentlib/lessons/calibration/__init__.py``: ``NOTEBOOK = "05_calibration"``.

The number orders the notebooks and may change when a lesson is added; the
name does not.  No lesson imports another: what two lessons share lives in
the topic modules (:mod:`xentlib.calibration`, :mod:`xentlib.models`, ...).
"""

from __future__ import annotations

import importlib
import pkgutil

__all__ = ["names", "all_exercises"]


def names() -> list[str]:
    """Every lesson's name, in the order of the notebooks."""
    return sorted((m.name for m in pkgutil.iter_modules(__path__) if m.ispkg), key=_order)


def all_exercises() -> dict:
    """Every lesson's exercises, by key (importing each lesson's ``exercises`` module registers them)."""
    from .. import quiz

    for name in names():
        importlib.import_module(f"{__name__}.{name}.exercises")
    return quiz.registered()


def _order(name: str) -> str:
    """A lesson's notebook, e.g. ``"05_calibration"`` (its package says so in ``NOTEBOOK``)."""
    return importlib.import_module(f"{__name__}.{name}").NOTEBOOK
