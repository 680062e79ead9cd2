"""Animated exports of one event: turntable and replay, as GIF or MP4."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.export import scene_bridge
from collider_viz.export.animate import (
    Progress,
    check_animation,
    frames_from,
    replay_fractions,
    turntable_angles,
    write_animation,
)
from collider_viz.export.atomic import check_target
from collider_viz.export.image import (
    ImageOptions,
    detector_for,
    finish,
    prepare_canvas,
    render_scene,
)
from collider_viz.export.replay_scene import SceneReplay


def frame_setters(ec: Any, kind: str, frames: int) -> list[Any]:
    """One callable per frame that puts the scene into that frame's state."""
    if kind == "turntable":
        cam = ec.view.camera
        if not hasattr(cam, "azimuth"):
            scene_bridge.turntable_setter(ec, 0.0)  # raises the clear error
        start = float(cam.azimuth)
        return [partial(scene_bridge.turntable_setter, ec, a)
                for a in turntable_angles(frames, start)]
    replay = SceneReplay(ec)
    return [partial(replay.apply, f) for f in replay_fractions(frames)]


def export_animation(event: Any, path: str | os.PathLike[str], opts: ImageOptions,
                     kind: str = "turntable", frames: int = 60, fps: float = 20.0,
                     detector: Any | None = None, progress: Progress | None = None,
                     force: bool = False) -> Path:
    """Render ``frames`` frames of a ``kind`` animation of ``event`` into ``path``.

    The replay's last frame is the still picture of :func:`render_image`;
    the turntable's first frame is the still picture and the camera turns
    360° in azimuth over the animation.
    """
    check_animation(kind, frames, fps, path, opts.size)
    check_target(path, force)
    detector = detector if detector is not None else detector_for(event)
    ec = prepare_canvas(event, detector, opts)
    try:
        background = _background(ec)
        render = partial(_frame, ec, event, opts)
        setters = frame_setters(ec, kind, frames)
        return write_animation(frames_from(setters, render), path, fps, frames, progress,
                               force, background)
    finally:
        ec.close()


def _frame(ec: Any, event: Any, opts: ImageOptions) -> np.ndarray:
    image, notes = render_scene(ec, opts.size, transparent=False)
    return finish(image, event, opts, notes)


def _background(ec: Any) -> tuple[int, int, int]:
    rgba = ec.canvas.bgcolor.rgba
    return tuple(int(round(255 * c)) for c in rgba[:3])  # type: ignore[return-value]
