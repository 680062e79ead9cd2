"""The η-φ lego plot: bar geometry for any collection and the η-φ grid with its scale.

The grid carries η and φ tick labels and an E_T (pT) scale bar: a vertical line
at the (η = -5, φ = π) corner with ticks at 25, 50 and 100 GeV, drawn with the
same :func:`lego_height` as the bars (a bar as tall as the 50 GeV tick is 50 GeV).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vispy import scene

from collider_viz.scene.fonts import text_face
from collider_viz.scene.geometry import boxes
from collider_viz.scene.style import Style
from collider_viz.scene.views import LEGO_ETA_MAX, lego_height

_UP = np.array([0.0, 0.0, 1.0])
_U = np.array([1.0, 0.0, 0.0])
_V = np.array([0.0, 1.0, 0.0])


def lego_bars(eta: np.ndarray, phi: np.ndarray, value: np.ndarray,
              half_width: float | np.ndarray = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bars standing on the η-φ plane, height from :func:`lego_height` of ``value`` (GeV).

    Returns
    -------
    vertices, faces, owner : np.ndarray
        Lego-space vertices (η, φ, height), triangles and the object index of each vertex.
    """
    eta = np.clip(np.asarray(eta, dtype=np.float64), -LEGO_ETA_MAX, LEGO_ETA_MAX)
    phi = np.asarray(phi, dtype=np.float64)
    n = len(eta)
    base = np.stack([eta, phi, np.zeros(n)], axis=1)
    height = np.maximum(lego_height(value), 0.02)
    ones = np.ones((n, 1))
    verts, faces = boxes(base, _UP * ones, _U * ones, _V * ones, height, half_width)
    return verts, faces, np.repeat(np.arange(n), 8)


#: Heights marked on the E_T (pT) scale bar standing at the (η = -5, φ = π) corner, GeV.
SCALE_GEV = (25.0, 50.0, 100.0)
#: Distance of the tick labels from the grid's edge, in η (φ) units: the η labels sit
#: below the φ = -π edge, the φ labels beside the η = +5 edge, far enough apart that the
#: two at the (5, -π) corner never overlap.
ETA_LABEL_GAP, PHI_LABEL_GAP = 0.75, 1.0


def scale_points() -> np.ndarray:
    """Segments of the scale bar: a vertical line with a tick at each of :data:`SCALE_GEV`."""
    x, y = -LEGO_ETA_MAX, np.pi
    top = float(lego_height(np.array([max(SCALE_GEV)]))[0])
    segs = [(x, y, 0.0), (x, y, top)]
    for gev in SCALE_GEV:
        h = float(lego_height(np.array([gev]))[0])
        segs += [(x - 0.15, y, h), (x + 0.15, y, h)]
    return np.asarray(segs, dtype=np.float32)


def axis_labels() -> tuple[list[str], np.ndarray]:
    """Texts and lego-space positions of the axis titles, tick labels and scale-bar labels."""
    e, p = LEGO_ETA_MAX, np.pi
    items = [("η", (0.0, -p - 2 * ETA_LABEL_GAP, 0)), ("φ", (e + 2 * PHI_LABEL_GAP, 0.0, 0))]
    items += [(f"{v:g}", (v, -p - ETA_LABEL_GAP, 0)) for v in (-e, -e / 2, 0.0, e / 2, e)]
    items += [(t, (e + PHI_LABEL_GAP, v, 0)) for t, v in (("-π", -p), ("0", 0.0), ("π", p))]
    items += [(f"{g:g} GeV", (-e - 0.5, p + 0.3, float(lego_height(np.array([g]))[0])))
              for g in SCALE_GEV]
    items += [("E_T, pT", (-e - 0.5, p + 0.3,
                           float(lego_height(np.array([max(SCALE_GEV)]))[0]) + 0.8))]
    return [t for t, _ in items], np.array([xyz for _, xyz in items], dtype=np.float32)


class LegoGrid:
    """The η ∈ [−5, 5], φ ∈ [−π, π] grid with axis labels, shown in the lego view only.

    The visuals are made the first time the grid is shown.

    Parameters
    ----------
    parent : vispy node
        Scene to draw into.
    font_manager : FontManager, optional
        Shared glyph atlas of the canvas.
    """

    def __init__(self, parent: Any, font_manager: Any = None) -> None:
        self.parent = parent
        self.font_manager = font_manager
        self.line: Any = None
        self.labels: Any = None
        self.style = Style()
        self.visible = False

    def _make_visuals(self) -> None:
        self.line = scene.visuals.Line(parent=self.parent, method="gl", connect="segments")
        self.line.order = 1
        self.labels = scene.visuals.Text(parent=self.parent, font_size=14, bold=True,
                                         font_manager=self.font_manager, face=text_face())
        self.line.set_data(pos=np.concatenate([self._grid_points(), scale_points()]))
        texts, pos = axis_labels()
        self.labels.text = texts
        self.labels.pos = pos

    @staticmethod
    def _grid_points() -> np.ndarray:
        segs = []
        for eta in np.arange(-LEGO_ETA_MAX, LEGO_ETA_MAX + 0.01, 0.5):
            segs += [(eta, -np.pi, 0.0), (eta, np.pi, 0.0)]
        for phi in np.linspace(-np.pi, np.pi, 17):
            segs += [(-LEGO_ETA_MAX, phi, 0.0), (LEGO_ETA_MAX, phi, 0.0)]
        return np.asarray(segs, dtype=np.float32)

    def set_style(self, style: Style) -> None:
        """Grid and label colours for the theme."""
        self.style = style
        if self.line is not None:
            self.line.set_data(color=style.color("grid"))
            self.labels.color = style.color("text")

    def set_visible(self, visible: bool) -> None:
        """Show or hide grid and labels."""
        self.visible = bool(visible)
        if self.visible and self.line is None:
            self._make_visuals()
            self.set_style(self.style)
        if self.line is not None:
            self.line.visible = self.visible
            self.labels.visible = self.visible
