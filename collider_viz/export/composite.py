"""The picture of record: 3D, ρ-φ and ρ-z side by side in one image, annotated.

As the ALICE event display's screenshot does, the three views of one event
are drawn into three equal panels of one picture (each panel rendered
offscreen at its own size, so nothing is scaled), each panel names its view,
and the annotation block (experiment, run/event, √s, candidate) is drawn once
over the whole image.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from collider_viz.export import scene_bridge
from collider_viz.export.annotate import COLORS, _font
from collider_viz.export.hires import check_size, scale_factor
from collider_viz.export.image import ImageOptions, detector_for, finish, prepare_canvas, save_png

#: the panels, left to right: (view, caption)
PANELS = (("3d", "3D"), ("rphi", "ρ-φ (transverse)"), ("rz", "ρ-z (longitudinal)"))


def panel_bounds(width: int) -> list[tuple[int, int]]:
    """Column ranges ``[(x0, x1), ...]`` of the three panels of an image ``width`` wide."""
    cuts = [round(width * i / len(PANELS)) for i in range(len(PANELS) + 1)]
    return list(zip(cuts[:-1], cuts[1:], strict=True))


def render_triptych(event: Any, detector: Any | None = None,
                    opts: ImageOptions | None = None) -> np.ndarray:
    """``event`` in the three views side by side, an RGBA array of ``opts.size``."""
    opts = opts or ImageOptions()
    width, height = check_size(opts.size)
    detector = detector if detector is not None else detector_for(event)
    image = np.zeros((height, width, 4), dtype=np.uint8)
    for (x0, x1), (view, _) in zip(panel_bounds(width), PANELS, strict=True):
        size = (x1 - x0, height)
        # the 3D panel keeps the window's camera; the 2D views start at their default
        panel_opts = replace(opts, size=size, view=view,
                             camera=opts.camera if view == "3d" else None,
                             camera_state=opts.camera_state if view == "3d" else None)
        ec = prepare_canvas(event, detector, panel_opts, gl_notices=True)
        try:
            image[:, x0:x1] = scene_bridge.render(ec, size, opts.transparent)
        finally:
            ec.close()
    image = _captions(image, opts.theme)
    return finish(image, event, replace(opts, size=(width, height)))


def _captions(image: np.ndarray, theme: str) -> np.ndarray:
    """Name each panel at its top-right corner (the canvas' notices sit bottom-left)
    and draw thin separators."""
    fg, _ = COLORS.get(theme, COLORS["dark"])
    height, width = image.shape[:2]
    scale = scale_factor((width, height))
    pil = Image.fromarray(image, "RGBA")
    draw = ImageDraw.Draw(pil)
    font = _font(max(10, int(22 * scale)))
    margin = int(16 * scale)
    for (x0, x1), (_, caption) in zip(panel_bounds(width), PANELS, strict=True):
        text_width = draw.textlength(caption, font=font)
        draw.text((x1 - margin - text_width, margin), caption, fill=fg, font=font)
        if x0:
            draw.line([(x0, 0), (x0, height)], fill=(128, 128, 128, 255), width=max(1, int(scale)))
    return np.asarray(pil).copy()


def export_triptych(event: Any, path: str | os.PathLike[str], opts: ImageOptions | None = None,
                    detector: Any | None = None, force: bool = False) -> Path:
    """Render :func:`render_triptych` and write it to ``path`` as PNG atomically."""
    from collider_viz.export.atomic import check_target

    check_target(path, force)
    return save_png(render_triptych(event, detector, opts), path, force)
