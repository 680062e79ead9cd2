"""The pT colour bar: a small horizontal gradient with decade labels, bottom right.

The tick labels and the title are *one* ``Text`` visual: every vispy
``Text`` is its own GL program, and on a software-GL machine each costs
~40–90 ms on its first draw (vispy parses and compiles an ~80 kB shader),
which a one-shot export pays in full.

Drawn in canvas pixel coordinates (``canvas.scene``) from the same ramp as
:func:`collider_viz.scene.style.pt_colors`, so the bar always matches the
tracks.  :meth:`ColorBar.layout` places it for a canvas size (the offscreen
renderer lays it out again for the size it draws at).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vispy import scene
from vispy.visuals.transforms import STTransform

from collider_viz.scene.fonts import text_face
from collider_viz.scene.style import PT_LOG_RANGE, Style, pt_colors

BAR_SIZE = (220.0, 9.0)
MARGIN = (24.0, 34.0)
TITLE = "track pT (GeV)"
#: Text size (pt) and the title's top edge above the bar, in pixels (one 9-pt line + a gap).
FONT_SIZE = 9
TITLE_RISE = 18.0
_N_COLORS = 256


def tick_values(log_range: tuple[float, float] = PT_LOG_RANGE) -> np.ndarray:
    """pT values (GeV) of the labelled ticks: every decade of the ramp."""
    lo, hi = log_range
    return 10.0 ** np.arange(np.ceil(lo), np.floor(hi) + 1)


def tick_label(value: float, log_range: tuple[float, float] = PT_LOG_RANGE) -> str:
    """``0.1``, ``1``, ``10`` ... with ``≥`` at the saturated top end."""
    text = f"{value:g}"
    return "≥" + text if np.isclose(np.log10(value), log_range[1]) else text


def gradient(style: Style) -> np.ndarray:
    """(1, 256, 4) float32 RGBA image of the pT ramp, low pT on the left."""
    lo, hi = style.pt_range
    pt = 10.0 ** np.linspace(lo, hi, _N_COLORS)
    return pt_colors(pt, style)[None, :, :]


class ColorBar:
    """Gradient, frame, ticks and labels of the pT colour scale.

    Parameters
    ----------
    parent : vispy node
        The canvas root scene (pixel coordinates, y down).
    font_manager : FontManager, optional
        Shared glyph atlas of the canvas.
    """

    def __init__(self, parent: Any, font_manager: Any = None) -> None:
        self.parent = parent
        self.font_manager = font_manager
        self.visuals: tuple[Any, ...] = ()  # made when first shown
        self.visible = False
        self.log_range = PT_LOG_RANGE
        self.size = (1.0, 1.0)
        self.style = Style()

    def _make_visuals(self) -> None:
        parent, fonts = self.parent, self.font_manager
        self.image = scene.visuals.Image(gradient(self.style), parent=parent,
                                         interpolation="linear")
        self.image.transform = STTransform()
        self.frame = scene.visuals.Line(parent=parent, method="gl", connect="segments")
        # In the y-down pixel frame of canvas.scene, "bottom" hangs text below its position.
        # Tick labels under the bar and the title centred above it: one Text visual.
        self.labels = scene.visuals.Text(parent=parent, font_size=FONT_SIZE, anchor_x="center",
                                         anchor_y="bottom", font_manager=fonts, face=text_face())
        self.visuals = (self.image, self.frame, self.labels)
        for order, visual in enumerate(self.visuals):
            visual.order = 90 + order
        self.layout(self.size)
        self.set_style(self.style)

    def set_style(self, style: Style) -> None:
        """Ramp, range and text colours of ``style``."""
        self.style = style
        relayout = style.pt_range != self.log_range
        self.log_range = style.pt_range
        if not self.visuals:
            return
        self.image.set_data(gradient(style))
        if relayout:
            self.layout(self.size)
        text = style.color("text")
        self.labels.color = text
        self.frame.set_data(color=np.array([*text[:3], 0.7], np.float32))

    def layout(self, size: tuple[float, float]) -> None:
        """Place the bar in the bottom-right corner of a canvas of ``size`` pixels."""
        self.size = size
        if not self.visuals:
            return
        width, height = BAR_SIZE
        x1 = float(size[0]) - MARGIN[0]
        x0, y0 = x1 - width, float(size[1]) - MARGIN[1] - height
        self.image.transform.scale = (width / _N_COLORS, height, 1.0)
        self.image.transform.translate = (x0, y0, 0.0)
        lo, hi = self.log_range
        ticks = tick_values(self.log_range)
        xs = x0 + width * (np.log10(ticks) - lo) / (hi - lo)
        y1 = y0 + height
        frame = [[x0, y0], [x1, y0], [x1, y0], [x1, y1], [x1, y1], [x0, y1], [x0, y1], [x0, y0]]
        marks = np.stack([np.stack([xs, np.full_like(xs, y1)], 1),
                          np.stack([xs, np.full_like(xs, y1 + 4)], 1)], 1).reshape(-1, 2)
        self.frame.set_data(pos=np.concatenate([np.asarray(frame), marks]).astype(np.float32))
        self.labels.text = [*(tick_label(v, self.log_range) for v in ticks), TITLE]
        label_pos = np.stack([xs, np.full_like(xs, y1 + 6)], 1)
        title_pos = [[x0 + width / 2, y0 - TITLE_RISE]]
        self.labels.pos = np.concatenate([label_pos, title_pos]).astype(np.float32)

    def set_visible(self, visible: bool) -> None:
        """Show or hide every part of the bar."""
        self.visible = bool(visible)
        if self.visible and not self.visuals:
            self._make_visuals()
        for visual in self.visuals:
            visual.visible = self.visible
