"""gradient_check of xentlib.gradcheck: right gradients pass, wrong ones do not."""

from __future__ import annotations

import numpy as np
import pytest

from xentlib.gradcheck import gradient_check


def test_gradient_check_separates_right_from_wrong():
    cube = lambda v: float(np.sum(v**3))  # noqa: E731
    assert gradient_check(cube, lambda v: 3 * v**2, [1.0, -2.0, 0.5]) < 1e-8
    assert gradient_check(cube, lambda v: 2 * v**2, [1.0, -2.0, 0.5]) == pytest.approx(4.0, rel=1e-6)  # |12 - 8| at v = -2


def test_gradient_check_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match="shape"):
        gradient_check(lambda v: float(np.sum(v)), lambda v: np.ones(3), [1.0, 2.0])
