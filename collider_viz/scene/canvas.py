"""``EventCanvas``: the vispy scene of one event, without any Qt widget.

The GUI embeds ``EventCanvas.native``; the headless export uses
:func:`collider_viz.scene.render.render_event`.  One layer per collection is
created from :data:`BUILDERS` (collection name -> layer class) and reused for
every event; per-collection settings (visibility, thresholds) persist.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from PIL import Image
from vispy import scene

from collider_viz.scene import picking
from collider_viz.scene.detector_outline import DetectorOutline
from collider_viz.scene.layers import BuildContext, Layer, MuonLayer, TrackLayer, column
from collider_viz.scene.lego import LegoGrid
from collider_viz.scene.objects import (
    CaloLayer,
    ElectronLayer,
    JetLayer,
    MetLayer,
    PhotonLayer,
    VertexLayer,
)
from collider_viz.scene.overlays import Highlighter, TextOverlay
from collider_viz.scene.style import COLOR_MODES, THEMES, Style
from collider_viz.scene.views import VIEWS, make_camera, to_view

BUILDERS: dict[str, type[Layer]] = {
    "calo": CaloLayer,
    "jets": JetLayer,
    "tracks": TrackLayer,
    "electrons": ElectronLayer,
    "photons": PhotonLayer,
    "muons": MuonLayer,
    "met": MetLayer,
    "vertices": VertexLayer,
}


class EventCanvas:
    """A vispy ``SceneCanvas`` showing one collision event over a detector outline.

    Parameters
    ----------
    size : tuple of int
        Canvas size in logical pixels.
    show : bool
        Show a native window (False when embedded or offscreen).
    app : str or vispy Application, optional
        vispy application backend (e.g. ``"pyqt6"``); the default backend when None.
    theme : str
        ``"dark"`` or ``"light"``.
    """

    def __init__(self, size: tuple[int, int] = (1280, 800), show: bool = False,
                 app: Any = None, theme: str = "dark") -> None:
        self._style = Style(theme=theme)
        self.canvas = scene.SceneCanvas(keys=None, size=size, show=show, app=app,
                                        bgcolor=self._style.color("background"))
        self.view = self.canvas.central_widget.add_view()
        self.view_name = "3d"
        self.layers: dict[str, Layer] = {}
        self.outline: DetectorOutline | None = None
        self.event: Any = None
        self.detector: Any = None
        self._visible: dict[str, bool] = {}
        self._thresholds: dict[str, float] = {}
        self._highlight: tuple[str, np.ndarray] | None = None
        self._cameras: dict[str, Any] = {}
        self.lego_grid = LegoGrid(self.view.scene)
        self.highlighter = Highlighter(self.view.scene)
        self.overlay = TextOverlay(self.canvas.scene)
        # Translucent surfaces switch depth writes off; the next frame's clear needs them on.
        self.canvas.events.draw.connect(self._enable_depth_writes, position="first")
        self.set_theme(theme)
        self.set_view("3d")

    @property
    def native(self) -> Any:
        """The backend widget (a QWidget under PyQt6) for embedding."""
        return self.canvas.native

    # ---- event -------------------------------------------------------------
    def set_event(self, event: Any, detector: Any) -> None:
        """Draw ``event`` (common event form) inside ``detector``."""
        if detector is not self.detector:
            self._set_detector(detector)
        self.event = event
        ctx = BuildContext(detector=detector, origin=_primary_vertex(event))
        for name in list(BUILDERS):
            array = event.get(name) if event is not None else None
            if array is None and name not in self.layers:
                continue
            self._layer(name).set_data(array, ctx)
        self._highlight = None
        self.highlighter.clear()

    def _set_detector(self, detector: Any) -> None:
        if self.outline is not None:
            self.outline.detach()
        self.detector = detector
        self.outline = DetectorOutline(self.view.scene, detector) if detector is not None else None
        self._cameras.clear()
        self.set_view(self.view_name)

    def _layer(self, name: str) -> Layer:
        layer = self.layers.get(name)
        if layer is None:
            layer = BUILDERS[name](name, self.view.scene)
            layer.visible = self._visible.get(name, True)
            layer.threshold = self._thresholds.get(name, 0.0)
            layer.view = self.view_name
            layer.set_style(self._style)
            self.layers[name] = layer
        return layer

    # ---- view and camera ---------------------------------------------------
    def set_view(self, view: str) -> None:
        """Switch to ``"3d"``, ``"rphi"``, ``"rz"`` or ``"lego"``."""
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
        self.view_name = view
        if view not in self._cameras:
            self._cameras[view] = make_camera(view, self.detector)
        self.view.camera = self._cameras[view]
        for layer in self.layers.values():
            layer.set_view(view)
        if self.outline is not None:
            self.outline.update(view, self._style)
        self.lego_grid.set_visible(view == "lego")
        self._refresh_highlight()

    def reset_camera(self) -> None:
        """Back to the default camera of the current view."""
        self._cameras.pop(self.view_name, None)
        self.set_view(self.view_name)

    # ---- style ---------------------------------------------------------------
    def set_theme(self, theme: str) -> None:
        """``"dark"`` (black background) or ``"light"`` (white, for print)."""
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; expected one of {', '.join(THEMES)}")
        self._restyle(replace(self._style, theme=theme))
        self.canvas.bgcolor = self._style.color("background")
        if self.outline is not None:
            self.outline.update(self.view_name, self._style)

    def set_color_by(self, mode: str) -> None:
        """Colour charged tracks by ``"charge"``, ``"pt"`` or ``"species"``."""
        if mode not in COLOR_MODES:
            raise ValueError(f"unknown colour mode {mode!r}; expected one of {', '.join(COLOR_MODES)}")
        self._restyle(replace(self._style, color_by=mode))

    def set_line_width(self, width: float) -> None:
        """Width of track lines in pixels."""
        self._restyle(replace(self._style, line_width=max(float(width), 1.0)))

    def _restyle(self, style: Style) -> None:
        self._style = style
        for layer in self.layers.values():
            layer.set_style(style)
        self.lego_grid.set_style(style)
        self.overlay.set_style(style)
        self._refresh_highlight()

    @property
    def style(self) -> Style:
        """Current theme, colour mode and line width."""
        return self._style

    # ---- collections -------------------------------------------------------
    def set_collection_visible(self, name: str, visible: bool) -> None:
        """Show or hide a whole collection (kept for later events)."""
        self._visible[name] = bool(visible)
        if name in self.layers:
            self.layers[name].set_visible(visible)
            self._refresh_highlight()

    def set_threshold(self, name: str, value: float) -> None:
        """Draw only objects with pT (energy for ``calo``) >= ``value`` GeV."""
        self._thresholds[name] = float(value)
        if name in self.layers:
            self.layers[name].set_threshold(value)
            self._refresh_highlight()

    def n_drawn(self, name: str) -> int:
        """Objects of collection ``name`` currently drawn (0 if absent or hidden)."""
        layer = self.layers.get(name)
        return layer.n_drawn() if layer is not None and layer.n else 0

    def set_layer_visible(self, subsystem: str, visible: bool) -> None:
        """Show or hide a detector subsystem (``"tracker"``, ``"ecal"``, ``"muon"`` ...)."""
        if self.outline is not None:
            self.outline.set_layer_visible(subsystem, visible)

    # ---- picking and projection ----------------------------------------------
    def _project_view(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """View coordinates -> canvas pixels (origin top-left) and a validity mask."""
        if not len(points):
            return np.zeros((0, 2)), np.zeros(0, bool)
        tr = self.view.scene.node_transform(self.canvas.scene)
        pts = np.asarray(points, dtype=np.float64)
        if tr.Linear:  # one 4x4 matrix (row vectors): the images of the unit vectors
            mat = np.asarray(tr.map(np.eye(4)))
            x, y, w = (pts[:, 0] * mat[0, j] + pts[:, 1] * mat[1, j] + pts[:, 2] * mat[2, j]
                       + mat[3, j] for j in (0, 1, 3))
        else:
            mapped = np.asarray(tr.map(pts))
            x, y, w = mapped[:, 0], mapped[:, 1], mapped[:, 3]
        valid = w > 1e-9
        w = np.where(valid, w, 1.0)
        return np.stack([x / w, y / w], axis=1), valid

    def project(self, points: np.ndarray) -> np.ndarray:
        """World points (n, 3) in metres -> (n, 2) canvas pixels in the current view.

        In the ρ-z view the sign of ρ follows the sign of y of each point.
        """
        pts = np.atleast_2d(np.asarray(points, dtype=np.float64))
        return self._project_view(to_view(pts, self.view_name))[0]

    def pick(self, x: float, y: float) -> tuple[str, int] | None:
        """The (collection, index) drawn nearest to canvas pixel (x, y) within ~8 px, or None."""
        cands = [(name, layer.primitives()) for name, layer in self.layers.items()]
        return picking.nearest(cands, self._project_view, x, y)

    def highlight(self, name: str | None, indices: Any = ()) -> None:
        """Draw objects ``indices`` of collection ``name`` thicker and brighter (None clears)."""
        idx = np.atleast_1d(np.asarray(indices, dtype=np.int64))
        self._highlight = None if name is None or not len(idx) else (name, idx)
        self._refresh_highlight()

    def _refresh_highlight(self) -> None:
        layer = self.layers.get(self._highlight[0]) if self._highlight else None
        if layer is None:
            self.highlighter.clear()
            return
        segs, pts = picking.select(layer.primitives(), self._highlight[1])
        self.highlighter.show(segs, pts, self._style)

    # ---- overlay and output --------------------------------------------------
    def set_overlay(self, lines: list[str] | None) -> None:
        """Text lines at the top-left corner (experiment, run/lumi/event, date, √s ...)."""
        self.overlay.set_lines(lines)

    def render(self, size: tuple[int, int] | None = None, transparent: bool = False) -> np.ndarray:
        """Draw offscreen and return an RGBA uint8 image (height, width, 4).

        For a ``size`` other than the canvas size, the largest centred part of
        the canvas with that aspect ratio is rendered and resampled (a hidden
        or embedded Qt widget cannot be resized on the spot; for an exact
        layout at another size use :func:`collider_viz.scene.render.render_event`).
        """
        bg = (0.0, 0.0, 0.0, 0.0) if transparent else None
        self._enable_depth_writes()
        if size is None or tuple(size) == tuple(self.canvas.size):
            return self.canvas.render(bgcolor=bg, alpha=True)
        full = self.canvas.render(bgcolor=bg, alpha=True)
        x, y, w, h = _centred_region((full.shape[1], full.shape[0]), tuple(size))
        if self.overlay.lines and (x or y):
            self.overlay.set_offset((x, y))
            try:
                self._enable_depth_writes()
                full = self.canvas.render(bgcolor=bg, alpha=True)
            finally:
                self.overlay.set_offset((0, 0))
        crop = Image.fromarray(np.ascontiguousarray(full[y:y + h, x:x + w]))
        return np.asarray(crop.resize(tuple(int(s) for s in size), Image.LANCZOS))

    def _enable_depth_writes(self, event: Any = None) -> None:
        self.canvas.context.set_depth_mask(True)

    def close(self) -> None:
        """Close the canvas and free its GL context."""
        self.canvas.close()


def _primary_vertex(event: Any) -> np.ndarray:
    """First vertex of the event in metres, or the origin."""
    vertices = event.get("vertices") if event is not None else None
    if vertices is None or not len(vertices):
        return np.zeros(3)
    return np.array([column(vertices, k)[0] for k in ("x", "y", "z")], dtype=np.float64)


def _centred_region(canvas: tuple[int, int], target: tuple[int, int]) -> tuple[int, int, int, int]:
    """Largest centred (x, y, w, h) inside ``canvas`` with the aspect ratio of ``target``."""
    cw, ch = canvas
    aspect = target[0] / target[1]
    w, h = (cw, round(cw / aspect)) if cw / ch <= aspect else (round(ch * aspect), ch)
    return (cw - w) // 2, (ch - h) // 2, int(w), int(h)
