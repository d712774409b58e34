"""The fixed examples of lesson ``surprise`` (notebook 01): the units of information and the weather source.

NumPy only (here, not even that).  The measures themselves are in :mod:`xentlib.information`.
"""

from __future__ import annotations

import math

__all__ = ["UNITS", "WEATHER"]


#: Units of information by log base.
UNITS = {"nats (base e)": math.e, "bits (base 2)": 2.0, "bans (base 10)": 10.0}


#: The weather source of the coder's view: four symbols with a skewed distribution.
WEATHER = {"sun": 0.5, "cloud": 0.25, "rain": 0.125, "snow": 0.125}
