"""The limits table (collider_viz/limits.py) and docs/LIMITS.md say the same; refusals are one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from collider_viz import limits
from collider_viz.limits import LimitError, check, check_camera

DOC = Path(__file__).resolve().parents[1] / "docs" / "LIMITS.md"


def test_every_limit_is_in_the_documented_table():
    text = DOC.read_text()
    for what, value, unit in limits.TABLE:
        assert f"| {what} | {limits._fmt(value)} | {unit} |" in text, what


def test_readers_and_exports_use_the_same_numbers():
    from collider_viz.export.hires import MAX_SIZE
    from collider_viz.io import igparse
    from collider_viz.physics import expr

    assert MAX_SIZE == (limits.MAX_IMAGE_SIDE, limits.MAX_IMAGE_PIXELS // limits.MAX_IMAGE_SIDE)
    assert igparse.MAX_MEMBER_BYTES == limits.MAX_MEMBER_BYTES
    assert igparse.MAX_ROWS == limits.MAX_OBJECTS
    assert (expr.MAX_LENGTH, expr.MAX_DEPTH, expr.MAX_TERMS) == \
        (limits.MAX_EXPR_CHARS, limits.MAX_EXPR_DEPTH, limits.MAX_EXPR_TERMS)


@pytest.mark.parametrize("value, words", [(float("inf"), "inf is not a finite number"),
                                          (float("nan"), "nan is not a finite number"),
                                          (1e308, "1e+308 m is beyond the limit of 10,000 m"),
                                          (10_001, "10,001 m is beyond the limit of 10,000 m")])
def test_a_refusal_names_the_option_the_limit_and_the_value(value, words):
    with pytest.raises(LimitError) as info:
        check("--camera distance", value, limits.MAX_CAMERA_DISTANCE, "m")
    message = str(info.value)
    assert message.startswith("--camera distance: ") and words in message
    assert "\n" not in message


def test_camera_ranges():
    check_camera("--camera", (-50.0, 18.0, 12.0))
    check_camera("--camera", None)
    for bad in ((float("inf"), 0, 10), (0, 1e308, 10), (0, 0, 1e5), (0, 0, 0.0), (0, 0, -1)):
        with pytest.raises(LimitError, match="--camera"):
            check_camera("--camera", bad)
