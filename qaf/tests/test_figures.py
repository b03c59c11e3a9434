"""percent(): the one rounding of a share that the analysis, the board summary and the home page use."""

from __future__ import annotations

import pytest

from qaf.figures import percent


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (0, 0, None),  # nothing counted: no figure, not 0%
        (0, 7, 0),
        (7, 7, 100),
        (2, 3, 67),  # 66.67 rounds up
        (1, 3, 33),  # 33.33 rounds down
        (1, 8, 12),  # 12.5: halves go to the even neighbour, as round() does
        (3, 8, 38),  # 37.5 -> 38, the even neighbour
    ],
)
def test_percent_rounds_to_a_whole_number_and_says_nothing_of_nothing(part, whole, expected):
    assert percent(part, whole) == expected
