"""The η-φ lego plot: bar geometry for any collection and the η-φ grid."""

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
        self.line.set_data(pos=self._grid_points())
        self.labels.text = ["η", "φ", "-5", "5", "-π", "π"]
        self.labels.pos = np.array([[0.0, -np.pi - 0.6, 0], [LEGO_ETA_MAX + 0.6, 0.0, 0],
                                    [-LEGO_ETA_MAX, -np.pi - 0.4, 0], [LEGO_ETA_MAX, -np.pi - 0.4, 0],
                                    [LEGO_ETA_MAX + 0.4, -np.pi, 0], [LEGO_ETA_MAX + 0.4, np.pi, 0]],
                                   dtype=np.float32)

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
