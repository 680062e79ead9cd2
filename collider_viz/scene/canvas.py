"""``EventCanvas``: the vispy scene of one event, without any Qt widget.

The GUI embeds ``EventCanvas.native``; the headless export uses
:func:`collider_viz.scene.render.render_event`.  One layer per collection is
created from :data:`BUILDERS` (collection name -> layer class) and reused for
every event; per-collection settings (visibility, thresholds) persist.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vispy import scene

from collider_viz.scene import offscreen, picking
from collider_viz.scene.collections import CollectionsMixin, eta_limit
from collider_viz.scene.colorbar import ColorBar
from collider_viz.scene.detector_outline import DetectorOutline
from collider_viz.scene.event_plane import EventPlaneLayer
from collider_viz.scene.fonts import font_manager
from collider_viz.scene.layers import BuildContext, Layer, MuonLayer, TrackLayer, column
from collider_viz.scene.lego import LegoGrid
from collider_viz.scene.muon_system import LAYERS as MUON_SYSTEM_LAYERS
from collider_viz.scene.objects import (
    CaloLayer,
    ElectronLayer,
    JetLayer,
    MetLayer,
    PhotonLayer,
    VertexLayer,
)
from collider_viz.scene.overlays import Highlighter, TextOverlay
from collider_viz.scene.style import Style
from collider_viz.scene.styling import StyleMixin
from collider_viz.scene.views import VIEWS, make_camera

BUILDERS: dict[str, type[Layer]] = {
    "calo": CaloLayer,
    "jets": JetLayer,
    "tracks": TrackLayer,
    "electrons": ElectronLayer,
    "photons": PhotonLayer,
    "muons": MuonLayer,
    "met": MetLayer,
    "vertices": VertexLayer,
    **MUON_SYSTEM_LAYERS,
    "event_plane": EventPlaneLayer,  # Ψ2 of heavy-ion events, ρ-φ only
}


class EventCanvas(StyleMixin, CollectionsMixin, picking.PickingMixin):
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
    max_tracks : int, optional
        Draw at most this many tracks (highest pT first); the canvas then
        says "N of M tracks shown".  None (default) draws every track.
    """

    def __init__(self, size: tuple[int, int] = (1280, 800), show: bool = False,
                 app: Any = None, theme: str = "dark", max_tracks: int | None = None) -> None:
        self._style = Style(theme=theme)
        self.canvas = scene.SceneCanvas(keys=None, size=size, show=show, app=app,
                                        bgcolor=self._style.color("background"))
        offscreen.bind_context(self.canvas)
        self.view = self.canvas.central_widget.add_view()
        self.view_name = "3d"
        self.layers: dict[str, Layer] = {}
        self.outline: DetectorOutline | None = None
        self.event: Any = None
        self.detector: Any = None
        self._visible: dict[str, bool] = {}
        self._thresholds: dict[str, float] = {}
        self._eta_cuts: dict[str, float | None] = {}
        self._caps: dict[str, int | None] = {"tracks": max_tracks}
        self._highlight: dict[str, np.ndarray] = {}
        self._pt_range_fixed = False
        self._cameras: dict[str, Any] = {}
        fonts = font_manager()  # one glyph atlas for all text of this canvas
        self.lego_grid = LegoGrid(self.view.scene, fonts)
        self.highlighter = Highlighter(self.view.scene)
        self.overlay = TextOverlay(self.canvas.scene, font_manager=fonts)
        self.notices = TextOverlay(self.canvas.scene, font_size=10, corner="bottom-left",
                                   font_manager=fonts)
        self.colorbar = ColorBar(self.canvas.scene, fonts)
        self._layout_overlays(tuple(self.canvas.size))
        # Translucent surfaces switch depth writes off; the next frame's clear needs them on.
        self.canvas.events.draw.connect(self._enable_depth_writes, position="first")
        self.canvas.events.resize.connect(lambda ev: self._layout_overlays(tuple(ev.size)))
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
        self._auto_range(event)
        ctx = BuildContext(detector=detector, origin=_primary_vertex(event))
        for name in list(BUILDERS):
            array = BUILDERS[name].select(event, name)
            if (array is None or not len(array)) and name not in self.layers:
                continue  # no visuals for collections this canvas never had
            self._layer(name).set_data(array, ctx)
        self._highlight = {}
        self.highlighter.clear()
        self._update_annotations()

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
            layer.cuts.eta_max = eta_limit(self._eta_cuts.get(name))
            layer.cuts.cap = self._caps.get(name)
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
        self._update_annotations()

    def reset_camera(self) -> None:
        """Back to the default camera of the current view."""
        self._cameras.pop(self.view_name, None)
        self.set_view(self.view_name)

    def set_layer_visible(self, subsystem: str, visible: bool) -> None:
        """Show or hide a detector subsystem (``"tracker"``, ``"ecal"``, ``"muon"`` ...)."""
        if self.outline is not None:
            self.outline.set_layer_visible(subsystem, visible)

    # ---- overlay and output --------------------------------------------------
    def set_overlay(self, lines: list[str] | None) -> None:
        """Text lines at the top-left corner (experiment, run/lumi/event, date, √s ...)."""
        self.overlay.set_lines(lines)

    def render(self, size: tuple[int, int] | None = None, transparent: bool = False) -> np.ndarray:
        """Draw offscreen and return an RGBA uint8 image (height, width, 4).

        ``size`` other than the canvas size is drawn truly at that size (see
        :meth:`render_offscreen`); the canvas itself keeps its size.
        """
        if size is not None and tuple(size) != tuple(self.canvas.size):
            return self.render_offscreen(size[0], size[1], transparent)
        self.canvas.set_current()
        self._enable_depth_writes()
        return self.canvas.render(bgcolor=_background(transparent), alpha=True)

    def render_offscreen(self, width: int, height: int, transparent: bool = False) -> np.ndarray:
        """Draw into a ``width`` × ``height`` framebuffer laid out for that size.

        The camera gets the aspect ratio of the requested size and the
        overlays are placed for it: nothing is cropped or resampled.  Sizes
        up to the GL renderbuffer limit work (tile above it).  Lengths in
        pixels (line widths, fonts) are not scaled.

        Returns
        -------
        np.ndarray
            (height, width, 4) uint8 RGBA.
        """
        self.canvas.set_current()
        self._enable_depth_writes()
        return offscreen.render_at(self.canvas, (width, height), _background(transparent),
                                   self._layout_overlays)

    def _layout_overlays(self, size: tuple[int, int]) -> None:
        self.notices.layout(size)
        self.colorbar.layout(size)

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


def _background(transparent: bool) -> Any:
    """Clear colour: transparent black, or None for the canvas background."""
    return (0.0, 0.0, 0.0, 0.0) if transparent else None
