"""What export needs from the scene: an offscreen ``EventCanvas``, set up and drawn big.

The same :class:`collider_viz.scene.EventCanvas` as the GUI draws every
export, so a picture matches the screen for the same event, view, camera and
theme. This module builds one on a logical canvas 1080 pixels high, applies
a camera given as azimuth / elevation / distance, scales the GL line widths
with the image (vispy does not), and renders through :mod:`hires`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from collider_viz.errors import ColliderVizError
from collider_viz.export.hires import logical_size, render_canvas, scale_factor

VIEWS = ("3d", "rphi", "rz", "lego")


def parse_camera(text: str | Sequence[float] | None) -> tuple[float, float, float] | None:
    """``"AZ,EL,DIST"`` (degrees, degrees, metres) into a tuple; None stays None."""
    if text is None:
        return None
    parts = text.split(",") if isinstance(text, str) else list(text)
    try:
        az, el, dist = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise ColliderVizError(f"bad camera {text!r}; expected AZ,EL,DIST such as -50,18,12") from None
    if not dist > 0:
        raise ColliderVizError(f"camera distance must be positive, not {dist}")
    return az, el, dist


def camera_attributes(view: str, camera: tuple[float, float, float] | None,
                      fov: float = 30.0) -> dict[str, Any]:
    """Camera attributes for ``view``: the form ``render_event(camera=...)`` accepts.

    In 3-D views the distance is that of the eye from the centre (the
    visible height at the centre follows from the field of view); in the
    flat views it is the half-height of the shown region.
    """
    if camera is None:
        return {}
    az, el, dist = camera
    if view in ("3d", "lego"):
        return {"azimuth": az, "elevation": el,
                "scale_factor": dist * 2.0 * math.tan(math.radians(fov) / 2.0)}
    return {"rect": (-dist, -dist, 2.0 * dist, 2.0 * dist)}


def make_canvas(size: tuple[int, int], theme: str = "dark") -> Any:
    """An offscreen ``EventCanvas`` whose logical size has ``size``'s aspect ratio."""
    from collider_viz.scene import EventCanvas

    return EventCanvas(size=logical_size(size), show=False, theme=theme)


def configure(ec: Any, event: Any, detector: Any, view: str = "3d",
              color_by: str | None = None, camera: tuple[float, float, float] | None = None,
              highlight: dict[str, list[int]] | None = None,
              camera_state: dict[str, Any] | None = None,
              display: dict[str, Any] | None = None) -> None:
    """Show ``event`` in ``ec`` with the given view, colours, camera, highlight and display."""
    if view not in VIEWS:
        raise ColliderVizError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    if display:
        apply_display(ec, display)
    ec.set_event(event, detector)
    ec.set_view(view)
    if color_by:
        ec.set_color_by(color_by)
    set_camera(ec, view, camera)
    if camera_state:
        ec.view.camera.set_state(dict(camera_state))
    ec.highlight_many({name: list(idx) for name, idx in (highlight or {}).items() if len(idx)})


def apply_display(ec: Any, state: dict[str, Any]) -> None:
    """Apply the window's display choices (``CollectionPanel.state()``) to a canvas.

    Keys: ``visible`` and ``thresholds`` (per collection), ``color_by``,
    ``line_width``, ``layers`` (per detector subsystem); all optional.
    """
    for name, on in state.get("visible", {}).items():
        ec.set_collection_visible(name, bool(on))
    for name, value in state.get("thresholds", {}).items():
        ec.set_threshold(name, float(value))
    if state.get("color_by"):
        ec.set_color_by(state["color_by"])
    if state.get("line_width"):
        ec.set_line_width(float(state["line_width"]))
    for name, on in state.get("layers", {}).items():
        ec.set_layer_visible(name, bool(on))


def set_camera(ec: Any, view: str, camera: tuple[float, float, float] | None) -> None:
    """Apply :func:`camera_attributes` to the canvas's current camera."""
    cam = ec.view.camera
    attrs = camera_attributes(view, camera, getattr(cam, "fov", 30.0) or 30.0)
    for key, value in attrs.items():
        setattr(cam, key, value)


def camera_state(ec: Any) -> dict[str, Any]:
    """The live camera's state (to pass as ``ImageOptions.camera_state``)."""
    return dict(ec.view.camera.get_state())


def _line_visuals(root: Any) -> Iterator[Any]:
    from vispy.visuals import LineVisual

    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, LineVisual) and getattr(node, "method", "gl") == "gl":
            yield node
        stack.extend(getattr(node, "children", ()))


@contextmanager
def scaled_line_widths(ec: Any, factor: float) -> Iterator[None]:
    """Multiply the width of every GL line by ``factor`` while drawing."""
    lines = list(_line_visuals(ec.canvas.scene)) if abs(factor - 1.0) > 1e-3 else []
    widths = [line.width for line in lines]
    try:
        for line, width in zip(lines, widths):
            line.set_data(width=max(1.0, width * factor))
        yield
    finally:
        for line, width in zip(lines, widths):
            line.set_data(width=width)


def render(ec: Any, size: tuple[int, int], transparent: bool = False,
           max_tile: int | None = None) -> np.ndarray:
    """Render ``ec`` into an RGBA image of ``size`` with lines scaled to the image."""
    with scaled_line_widths(ec, scale_factor(size)):
        return render_canvas(ec, size, transparent=transparent, max_tile=max_tile)


def turntable_setter(ec: Any, azimuth: float) -> None:
    """Set the 3-D camera's azimuth (degrees)."""
    cam = ec.view.camera
    if not hasattr(cam, "azimuth"):
        raise ColliderVizError("a turntable needs a 3-D view (--view 3d or lego)")
    cam.azimuth = float(azimuth)
