"""Offscreen rendering of one event to an RGBA image (pixel tests, headless export)."""

from __future__ import annotations

from typing import Any

import numpy as np

from collider_viz.scene.canvas import EventCanvas


def ensure_app(preferred: str = "pyqt6") -> None:
    """Select the vispy application backend ``preferred`` unless one is already in use."""
    from vispy.app import _default_app, use_app

    if _default_app.default_app is None:
        use_app(preferred)


def render_event(event: Any, detector: Any, view: str = "3d",
                 size: tuple[int, int] = (1920, 1080), theme: str = "dark",
                 transparent: bool = False, overlay_lines: list[str] | None = None,
                 camera: dict[str, Any] | None = None) -> np.ndarray:
    """Render ``event`` in ``detector`` to an image without showing a window.

    Parameters
    ----------
    event : Event
        Common-form event.
    detector : Detector
        Detector outline and field.
    view : str
        ``"3d"``, ``"rphi"``, ``"rz"`` or ``"lego"``.
    size : tuple of int
        Image (width, height) in pixels.
    theme : str
        ``"dark"`` or ``"light"``.
    transparent : bool
        Transparent background instead of the theme colour.
    overlay_lines : list of str, optional
        Top-left annotation lines.
    camera : dict, optional
        Attributes to set on the view's camera after the defaults, e.g.
        ``{"azimuth": 30, "elevation": 10, "scale_factor": 8}`` (3D) or
        ``{"rect": (-2, -2, 4, 4)}`` (2D views).

    Returns
    -------
    np.ndarray
        (height, width, 4) uint8 RGBA.
    """
    ensure_app()
    canvas = EventCanvas(size=size, show=False, theme=theme)
    try:
        canvas.set_event(event, detector)
        if view != canvas.view_name:          # a new canvas starts in 3D: no second rebuild
            canvas.set_view(view)
        for key, value in (camera or {}).items():
            setattr(canvas.view.camera, key, value)
        canvas.set_overlay(overlay_lines)
        return canvas.render(transparent=transparent)
    finally:
        canvas.close()
