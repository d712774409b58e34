"""Interactive figures, one module per notebook.

Each public function builds one figure and returns a :class:`xentlib.drawing.Panel`
(or a static image), so a notebook cell is a single call.  The functions are
tested in ``tests/test_explore.py``: every slider value across its range
must draw without an error or a warning.
"""
