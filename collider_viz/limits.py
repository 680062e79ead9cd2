"""Limits on what one input or one option may ask for, in one table.

Every number a user or a file can choose that sets how much time or memory
collider_viz spends is checked against a limit here *before* the work starts.
A refusal is one line naming the file or option, the limit and the value
(:func:`check`); the command line exits with status 2, the GUI shows a
message box and stays up. The table is :data:`TABLE`, printed in
``docs/LIMITS.md``.

Readers import the per-file limits (:data:`MAX_MEMBER_BYTES`,
:data:`MAX_OBJECTS`); commands the per-option ones.
"""

from __future__ import annotations

import math

from collider_viz.errors import ColliderVizError

__all__ = [
    "LimitError", "TABLE", "check", "check_camera", "check_finite",
    "MAX_MEMBER_BYTES", "MAX_OBJECTS", "MAX_EXPR_CHARS", "MAX_EXPR_DEPTH", "MAX_EXPR_TERMS",
    "MAX_BINS", "MIN_SCAN_STEP", "MAX_IMAGE_PIXELS", "MAX_IMAGE_SIDE", "MAX_FRAMES", "MAX_FRAME_PIXELS", "MAX_GIF_PIXELS",
    "MAX_CAMERA_DISTANCE", "MIN_CAMERA_DISTANCE", "MAX_CAMERA_ANGLE", "MAX_STORY_BYTES", "MAX_STORY_STEPS",
    "MAX_STORY_DEPTH", "MAX_HIST_RANGE",
]

MAX_MEMBER_BYTES = 64 * 2**20
"""Inflated bytes of one event member of an archive (an ``.ig`` event, a JSON event)."""
MAX_OBJECTS = 200_000
"""Objects (rows) in one collection of one event."""
MAX_EXPR_CHARS = 2_000
"""Characters of one filter or cut expression."""
MAX_EXPR_DEPTH = 32
"""Nesting of parentheses, unary operators and function calls in an expression."""
MAX_EXPR_TERMS = 200
"""Operands of one expression (``a + b + c`` has 3)."""
MIN_SCAN_STEP = 100
"""Smallest ``scan --step-size`` (events per batch; below it the per-batch cost dominates)."""
MAX_BINS = 100_000
"""Histogram bins (``--bins N,LO,HI``)."""
MAX_HIST_RANGE = 1e7
"""|LO| and |HI| of a histogram range, GeV (beyond any collider's energy)."""
MAX_IMAGE_SIDE = 7680
"""Width or height of one picture, pixels (8K UHD; ``export/hires.py`` enforces it)."""
MAX_IMAGE_PIXELS = 7680 * 4320
"""Width × height of one picture (8K UHD)."""
MAX_FRAMES = 3_600
"""Frames of one animation (two minutes at 30 frames/s)."""
MAX_FRAME_PIXELS = 3840 * 2160 * 600
"""Width × height × frames of one animation (600 4K frames, streamed to the encoder)."""
MAX_GIF_PIXELS = 1920 * 1080 * 120
"""Width × height × frames of one GIF (a format for short, small loops; MP4 beyond)."""
MAX_CAMERA_DISTANCE = 1e4
"""Camera distance, metres (the largest detector is 46 m long)."""
MIN_CAMERA_DISTANCE = 1e-3
"""Smallest camera distance, metres (a millimetre; vispy fails on denormal distances)."""
MAX_CAMERA_ANGLE = 1e4
"""|elevation| and |azimuth| of a camera, degrees."""
MAX_STORY_BYTES = 1 * 2**20
"""Bytes of one story file (TOML)."""
MAX_STORY_STEPS = 500
"""Steps of one story."""
MAX_STORY_DEPTH = 16
"""Nesting of arrays and tables in a story file."""

TABLE: tuple[tuple[str, float, str], ...] = (
    ("event member bytes (.ig, JSON event)", MAX_MEMBER_BYTES, "per inflated member"),
    ("objects per collection", MAX_OBJECTS, "per event"),
    ("expression length", MAX_EXPR_CHARS, "characters"),
    ("expression depth", MAX_EXPR_DEPTH, "nested (), unary ops, calls"),
    ("expression terms", MAX_EXPR_TERMS, "operands"),
    ("scan batch, at least", MIN_SCAN_STEP, "events (--step-size)"),
    ("histogram bins", MAX_BINS, "--bins N"),
    ("histogram range", MAX_HIST_RANGE, "GeV, the larger magnitude of LO and HI"),
    ("image side", MAX_IMAGE_SIDE, "pixels"),
    ("image pixels", MAX_IMAGE_PIXELS, "width x height"),
    ("animation frames", MAX_FRAMES, "frames"),
    ("animation pixels x frames", MAX_FRAME_PIXELS, "width x height x frames"),
    ("GIF pixels x frames", MAX_GIF_PIXELS, "width x height x frames (MP4 beyond)"),
    ("camera distance", MAX_CAMERA_DISTANCE, "m"),
    ("camera distance, at least", MIN_CAMERA_DISTANCE, "m"),
    ("camera angles", MAX_CAMERA_ANGLE, "degrees"),
    ("story file", MAX_STORY_BYTES, "bytes"),
    ("story steps", MAX_STORY_STEPS, "steps"),
    ("story nesting", MAX_STORY_DEPTH, "nested arrays/tables"),
)


class LimitError(ColliderVizError):
    """A value is beyond one of the limits of :data:`TABLE` (or not finite)."""


def check(what: str, value: float, limit: float, unit: str = "") -> None:
    """Refuse ``value`` above ``limit`` (or not finite) in one line.

    Parameters
    ----------
    what : str
        The file or option, e.g. ``"--bins"`` or ``"story.toml: steps"``.
    value, limit : float
        The asked value and its limit (compared as magnitudes).
    unit : str
        Unit named in the message.

    Raises
    ------
    LimitError
    """
    check_finite(what, value)
    if abs(value) > limit:
        suffix = f" {unit}" if unit else ""
        raise LimitError(f"{what}: {_fmt(value)}{suffix} is beyond the limit of "
                         f"{_fmt(limit)}{suffix} (see docs/LIMITS.md)")


def check_finite(what: str, value: float) -> None:
    """Refuse ``inf`` and ``nan`` in one line naming ``what``."""
    try:
        finite = math.isfinite(value)
    except (TypeError, OverflowError):
        finite = False
    if not finite:
        raise LimitError(f"{what}: {value!r} is not a finite number")


def _fmt(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:g}"


def check_camera(what: str, camera: tuple[float, float, float] | None) -> None:
    """Refuse a camera ``(azimuth, elevation, distance)`` beyond the table's ranges.

    ``what`` names the option or the file and step (``--camera``, ``lhc.toml: step 3``).
    """
    if camera is None:
        return
    az, el, dist = camera
    check(f"{what} azimuth", az, MAX_CAMERA_ANGLE, "degrees")
    check(f"{what} elevation", el, MAX_CAMERA_ANGLE, "degrees")
    check(f"{what} distance", dist, MAX_CAMERA_DISTANCE, "m")
    if not dist >= MIN_CAMERA_DISTANCE:
        raise LimitError(f"{what} distance: {dist:g} m; expected at least "
                         f"{MIN_CAMERA_DISTANCE:g} m")
