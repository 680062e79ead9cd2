"""Parts: one vispy visual each, holding world geometry tagged by object index.

A layer (one collection) owns a few parts, e.g. the helices of all tracks
(:class:`LinePart`) or the towers of all photons (:class:`MeshPart`).  A part
keeps its full world geometry plus ``owner`` (the object index of every
vertex); showing a subset of objects only rebuilds an index mask, never the
geometry.  Parts also hand their drawn primitives to picking/highlighting.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vispy import scene

from collider_viz.scene.geometry import shade
from collider_viz.scene.views import to_view

_EMPTY3 = np.zeros((0, 3), np.float32)


class Part:
    """Base: a visual, the views it appears in, world geometry and owners.

    Parameters
    ----------
    visual : vispy visual node
        The node drawing this part.
    views : iterable of str
        Views in which the part is shown.
    space : str
        ``"world"`` (metres, mapped by :func:`to_view`) or ``"lego"`` (already
        in η-φ-height coordinates; drawn as is in the lego view).
    """

    def __init__(self, visual: Any, views: tuple[str, ...], space: str = "world") -> None:
        self.visual = visual
        self.views = frozenset(views)
        self.space = space
        self.points = _EMPTY3
        self.owner = np.zeros(0, np.int64)
        self._view: str | None = None

    def _view_points(self, view: str, signs: np.ndarray | None) -> np.ndarray:
        if self.space == "lego":
            return self.points
        vsigns = None if signs is None or view != "rz" else signs[self.owner]
        return to_view(self.points, view, vsigns)

    def update(self, view: str, mask: np.ndarray, signs: np.ndarray | None,
               visible: bool) -> None:
        """Show the objects where ``mask`` is True in ``view`` (or hide everything)."""
        show = visible and view in self.views and len(self.owner) > 0 and bool(mask[self.owner].any())
        if show:
            self._push(view, mask, signs)
        self.visual.visible = show

    def _push(self, view: str, mask: np.ndarray, signs: np.ndarray | None) -> None:
        raise NotImplementedError

    def primitives(self, view: str, mask: np.ndarray,
                   signs: np.ndarray | None) -> tuple[str, tuple[np.ndarray, ...], np.ndarray] | None:
        """Drawn primitives for picking: (kind, arrays, owner) or None when not shown."""
        raise NotImplementedError

    def detach(self) -> None:
        """Remove the visual from the scene graph."""
        self.visual.parent = None


class LinePart(Part):
    """Many polylines (``connect`` mask) or dash pairs (``connect=None``) in one ``Line``.

    The segments are handed to vispy as an explicit ``(m, 2)`` vertex-index
    array.  The full array and the owner of every segment are computed once
    per geometry; a cut only selects rows of it (no helix, no position upload).
    """

    def __init__(self, parent: Any, views: tuple[str, ...], width: float = 1.5,
                 space: str = "world", order: int = 10) -> None:
        line = scene.visuals.Line(parent=parent, method="gl", antialias=False, width=width)
        line.order = order
        super().__init__(line, views, space)
        self.base_connect = np.zeros(0, bool)
        self.colors = np.zeros((0, 4), np.float32)
        self._segments: tuple[Any, np.ndarray, np.ndarray] | None = None

    def set_geometry(self, points: np.ndarray, owner: np.ndarray,
                     connect: np.ndarray | None = None) -> None:
        """Store world points, their owners and the base connect mask (None: segment pairs)."""
        self.points = np.ascontiguousarray(points, dtype=np.float32)
        self.owner = np.asarray(owner, dtype=np.int64)
        if connect is None:
            connect = np.zeros(len(self.points), bool)
            connect[0::2] = True
        self.base_connect = np.asarray(connect, dtype=bool)
        self._view = None

    def segments(self) -> tuple[np.ndarray, np.ndarray]:
        """``(m, 2)`` uint32 vertex pairs of all segments and the owner of each (cached)."""
        cached = self._segments
        if cached is None or cached[0] is not self.base_connect:
            start = np.flatnonzero(self.base_connect[:-1]).astype(np.uint32)
            pairs = np.empty((len(start), 2), dtype=np.uint32)
            pairs[:, 0] = start
            pairs[:, 1] = start + 1
            cached = (self.base_connect, pairs, self.owner[start])
            self._segments = cached
        return cached[1], cached[2]

    def set_colors(self, object_colors: np.ndarray) -> None:
        """Per-object RGBA -> per-vertex colours (uploaded on the next draw)."""
        self.colors = np.ascontiguousarray(object_colors[self.owner], dtype=np.float32)
        if len(self.colors):
            self.visual.set_data(color=self.colors)

    def connect_mask(self, mask: np.ndarray) -> np.ndarray:
        """Connect mask with the segments of hidden objects switched off."""
        return self.base_connect & mask[self.owner]

    def update(self, view: str, mask: np.ndarray, signs: np.ndarray | None,
               visible: bool) -> None:
        """Show the segments of the objects where ``mask`` is True in ``view``."""
        show = visible and view in self.views and len(self.owner) > 0
        if show:
            pairs, seg_owner = self.segments()
            drawn = pairs[mask[seg_owner]]
            show = len(drawn) > 0
        if show:
            pos = None
            if self._view != view:
                pos = self._view_points(view, signs)
                self._view = view
            self.visual.set_data(pos=pos, color=self.colors if pos is not None else None,
                                 connect=drawn)
        self.visual.visible = show

    def primitives(self, view, mask, signs):
        if view not in self.views or not len(self.owner):
            return None
        pairs, seg_owner = self.segments()
        keep = mask[seg_owner]
        return "segments", (self._view_points(view, signs), pairs[keep, 0].astype(np.int64)), \
            seg_owner[keep]


class MeshPart(Part):
    """Many closed solids (towers, cones, boxes) in one flat-shaded ``Mesh``."""

    def __init__(self, parent: Any, views: tuple[str, ...], space: str = "world",
                 order: int = 5, depth_write: bool = True) -> None:
        mesh = scene.visuals.Mesh(parent=parent)
        mesh.set_gl_state("translucent", depth_test=True, cull_face=False, depth_mask=depth_write)
        mesh.order = order
        super().__init__(mesh, views, space)
        self.faces = np.zeros((0, 3), np.int32)
        self.face_colors = np.zeros((0, 4), np.float32)

    def set_geometry(self, vertices: np.ndarray, faces: np.ndarray, owner: np.ndarray) -> None:
        """Store world vertices, triangles and the owner of every vertex."""
        self.points = np.ascontiguousarray(vertices, dtype=np.float32)
        self.faces = np.asarray(faces, dtype=np.int32)
        self.owner = np.asarray(owner, dtype=np.int64)

    def set_colors(self, object_colors: np.ndarray) -> None:
        """Per-object RGBA -> shaded per-face colours."""
        raw = object_colors[self.owner[self.faces[:, 0]]] if len(self.faces) else object_colors[:0]
        self.face_colors = shade(self.points, self.faces, raw) if len(raw) else raw

    def _push(self, view, mask, signs):
        keep = mask[self.owner[self.faces[:, 0]]]
        self.visual.set_data(vertices=self._view_points(view, signs), faces=self.faces[keep],
                             face_colors=self.face_colors[keep])

    def primitives(self, view, mask, signs):
        if view not in self.views or not len(self.faces):
            return None
        keep = mask[self.owner[self.faces[:, 0]]]
        pts = self._view_points(view, signs)
        faces = self.faces[keep]
        return "triangles", (pts[faces],), self.owner[faces[:, 0]]


class MarkerPart(Part):
    """Point-like objects (vertices) as ``Markers``."""

    def __init__(self, parent: Any, views: tuple[str, ...], size: float = 7.0,
                 order: int = 20) -> None:
        markers = scene.visuals.Markers(parent=parent, pos=np.zeros((1, 3), np.float32))
        markers.order = order
        super().__init__(markers, views)
        self.size = size
        self.colors = np.zeros((0, 4), np.float32)

    def set_geometry(self, points: np.ndarray) -> None:
        """Store world positions, one object per point."""
        self.points = np.ascontiguousarray(points, dtype=np.float32)
        self.owner = np.arange(len(self.points), dtype=np.int64)

    def set_colors(self, object_colors: np.ndarray) -> None:
        """Per-object RGBA."""
        self.colors = np.asarray(object_colors, dtype=np.float32)

    def _push(self, view, mask, signs):
        pts = self._view_points(view, signs)
        self.visual.set_data(pts[mask], face_color=self.colors[mask], edge_width=0,
                             size=self.size)

    def primitives(self, view, mask, signs):
        if view not in self.views or not len(self.owner):
            return None
        return "points", (self._view_points(view, signs)[mask],), self.owner[mask]
