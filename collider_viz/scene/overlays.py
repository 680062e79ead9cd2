"""Screen-space text overlay (top-left annotation) and the selection highlight."""

from __future__ import annotations

from typing import Any

import numpy as np
from vispy import scene

from collider_viz.scene.fonts import text_face
from collider_viz.scene.style import Style

LINE_SPACING_PX = 22
MARGIN_PX = 6
#: Width of one character as a fraction of the line spacing (DejaVu Sans, measured loosely).
CHAR_WIDTH = 0.42
#: Opacity of the panel behind the text, so that no track is drawn under the letters.
BACKDROP_ALPHA = 0.72


class TextOverlay:
    """Lines of text in a corner of the canvas, in canvas pixel coordinates.

    Parameters
    ----------
    parent : vispy node
        The canvas root scene (``canvas.scene``), whose coordinates are pixels.
    font_size : float
        Point size of the text.
    corner : str
        ``"top-left"`` (the event annotation) or ``"bottom-left"`` (notices
        such as skipped or capped objects).
    font_manager : FontManager, optional
        Shared glyph atlas of the canvas (:mod:`collider_viz.scene.fonts`).
    """

    def __init__(self, parent: Any, font_size: float = 11.0, corner: str = "top-left",
                 font_manager: Any = None) -> None:
        self.parent = parent
        self.font_size = font_size
        self.font_manager = font_manager
        self.text: Any = None  # the vispy Text, made when there is first something to say
        self.color = np.ones(4, np.float32)
        self.corner = corner
        self.lines: list[str] = []
        self.offset = (0.0, 0.0)
        self.height = 0.0
        self.scale = 1.0
        self.margin = float(MARGIN_PX)
        self.backdrop: Any = None  # a panel behind the text (made with the text)
        self.drawn = True  # False: keep the lines for someone else to draw (picture exports)
        self.backdrop_color = np.array([0.0, 0.0, 0.0, BACKDROP_ALPHA], np.float32)

    def _make_text(self) -> Any:
        self.text = scene.visuals.Text(parent=self.parent, anchor_x="left", anchor_y="bottom",
                                       font_size=self.font_size, color=self.color,
                                       font_manager=self.font_manager, face=text_face())
        self.text.order = 100
        self.backdrop = scene.visuals.Rectangle(parent=self.parent, center=(0, 0), width=1,
                                                height=1, color=self.backdrop_color)
        self.backdrop.set_gl_state("translucent", depth_test=False)
        self.backdrop.order = 99
        return self.text

    def set_scale(self, scale: float, margin_px: float | None = None) -> None:
        """Scale the text, its line spacing and its margin (presentation mode: ~1.6).

        ``margin_px`` overrides the distance from the canvas edge (unscaled
        pixels); by default it grows with the text.
        """
        self.scale = max(float(scale), 0.1)
        self.margin = MARGIN_PX * self.scale if margin_px is None else float(margin_px)
        if self.text is not None:
            self.text.font_size = self.font_size * self.scale
        self.set_lines(self.lines)

    def set_offset(self, offset: tuple[float, float]) -> None:
        """Shift the text by ``offset`` pixels (used when rendering a crop of the canvas)."""
        self.offset = (float(offset[0]), float(offset[1]))
        self.set_lines(self.lines)

    def layout(self, size: tuple[float, float]) -> None:
        """Re-anchor for a canvas of ``size`` pixels (only the bottom corner depends on it)."""
        self.height = float(size[1])
        self.set_lines(self.lines)

    def set_drawn(self, drawn: bool) -> None:
        """Draw the lines on the canvas (True) or only keep them (:attr:`lines`)."""
        self.drawn = bool(drawn)
        self.set_lines(self.lines)

    def set_lines(self, lines: list[str] | None) -> None:
        """Show ``lines`` (empty or None: no overlay)."""
        self.lines = [str(s) for s in (lines or []) if str(s)]
        if not self.lines or not self.drawn:
            if self.text is not None:
                self.text.visible = self.backdrop.visible = False
            return
        text = self.text if self.text is not None else self._make_text()
        n, spacing, margin = len(self.lines), LINE_SPACING_PX * self.scale, self.margin
        rows = margin + spacing * np.arange(1, n + 1)
        if self.corner == "bottom-left":
            # the anchor is the bottom of the letters: leave room for descenders
            rows = self.height - margin - 0.4 * spacing - spacing * np.arange(n - 1, -1, -1)
        pos = np.stack([np.full(n, margin), rows], 1) + np.asarray(self.offset)
        text.text = self.lines
        text.font_size = self.font_size * self.scale
        text.pos = pos.astype(np.float32)
        text.visible = True
        self._place_backdrop()

    def box(self) -> tuple[float, float, float, float]:
        """``(x, y, width, height)`` in canvas pixels of the panel behind the text."""
        if not self.lines or self.text is None:
            return (0.0, 0.0, 0.0, 0.0)
        spacing = LINE_SPACING_PX * self.scale
        pad = 0.35 * spacing
        width = max(len(s) for s in self.lines) * CHAR_WIDTH * spacing * 1.15 + 2 * pad
        top = float(np.min(self.text.pos[:, 1])) - spacing - pad * 0.2
        height = len(self.lines) * spacing + 1.2 * pad + 0.3 * spacing  # and the descenders
        return (float(self.text.pos[0, 0]) - pad, top, width, height)

    def _place_backdrop(self) -> None:
        x, y, w, h = self.box()
        self.backdrop.center = (x + w / 2, y + h / 2)
        self.backdrop.width, self.backdrop.height = max(w, 1.0), max(h, 1.0)
        self.backdrop.color = self.backdrop_color
        self.backdrop.visible = True

    def set_style(self, style: Style) -> None:
        """Text colour for the theme."""
        self.color = style.color("text")
        self.backdrop_color = style.color("background", BACKDROP_ALPHA)
        if self.text is not None:
            self.text.color = self.color
            self.backdrop.color = self.backdrop_color


class Highlighter:
    """Thick bright outline drawn over the selected objects.

    The two visuals are made on the first :meth:`show` (most pictures never
    highlight anything; each visual costs a shader program); until then
    ``line`` and ``markers`` are None.

    Parameters
    ----------
    parent : vispy node
        The view's scene (view coordinates).
    """

    def __init__(self, parent: Any) -> None:
        self.parent = parent
        self.line: Any = None
        self.markers: Any = None

    def _make_visuals(self) -> None:
        self.line = scene.visuals.Line(parent=self.parent, method="gl", width=4.0,
                                       connect="segments")
        self.line.set_gl_state("translucent", depth_test=False)
        self.line.order = 50
        self.markers = scene.visuals.Markers(parent=self.parent, pos=np.zeros((1, 3), np.float32))
        self.markers.set_gl_state("translucent", depth_test=False)
        self.markers.order = 51

    def clear(self) -> None:
        """Remove the highlight."""
        if self.line is not None:
            self.line.visible = False
            self.markers.visible = False

    def show(self, segments: np.ndarray, points: np.ndarray, style: Style,
             names: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Draw ``segments`` (pairs of view-space points) and ``points`` highlighted.

        ``names`` (collection name per segment vertex and per point) gives each
        object its collection's highlight colour (:meth:`Style.highlight_color`);
        without it everything takes the theme's highlight colour.
        """
        if self.line is None:
            self._make_visuals()
        seg_color, pt_color = (_colors(n, style) for n in names) if names is not None else \
            (style.color("highlight"), style.color("highlight"))
        self.line.visible = len(segments) > 0
        if len(segments):
            self.line.set_data(pos=segments, color=seg_color, width=style.line_width + 3.0)
        self.markers.visible = len(points) > 0
        if len(points):
            self.markers.set_data(points, face_color=pt_color, edge_width=0, size=14)


def _colors(names: np.ndarray, style: Style) -> np.ndarray:
    """(n, 4) highlight colours for an array of collection names."""
    out = np.empty((len(names), 4), np.float32)
    for name in np.unique(names):
        out[names == name] = style.highlight_color(str(name))
    return out
