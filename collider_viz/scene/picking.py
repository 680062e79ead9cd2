"""CPU-side picking: nearest drawn primitive to a canvas pixel.

Layers hand over their drawn primitives in view coordinates
(``"segments"``, ``"triangles"`` or ``"points"``, see :mod:`parts`); a
``project`` callable maps those to canvas pixels with the camera's transform.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from collider_viz.scene.views import to_view

PICK_RADIUS_PX = 8.0
# A click inside a (translucent) solid counts as this far away, so a line drawn
# over a jet cone or tower within a few pixels still wins.
INSIDE_DISTANCE_PX = 4.0

Projector = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
Primitive = tuple[str, tuple[np.ndarray, ...], np.ndarray]


def segment_distances(a: np.ndarray, b: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Distances from pixel ``p`` (2,) to the 2-D segments ``a``-``b`` (each (m, 2))."""
    ab = b - a
    denom = np.einsum("ij,ij->i", ab, ab)
    t = np.divide(np.einsum("ij,ij->i", p - a, ab), denom, out=np.zeros(len(a)), where=denom > 0)
    closest = a + np.clip(t, 0.0, 1.0)[:, None] * ab
    return np.hypot(*(closest - p).T)


def triangles_contain(tri: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Whether pixel ``p`` lies inside each 2-D triangle ``tri`` (m, 3, 2)."""
    def cross(o, a):
        return (a[:, 0] - o[:, 0]) * (p[1] - o[:, 1]) - (a[:, 1] - o[:, 1]) * (p[0] - o[:, 0])
    d1 = cross(tri[:, 0], tri[:, 1])
    d2 = cross(tri[:, 1], tri[:, 2])
    d3 = cross(tri[:, 2], tri[:, 0])
    neg = (d1 < 0) | (d2 < 0) | (d3 < 0)
    pos = (d1 > 0) | (d2 > 0) | (d3 > 0)
    return ~(neg & pos)


def primitive_distances(prim: Primitive, project: Projector,
                        p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pixel distance of every primitive to ``p`` and its owner index.

    ``"segments"`` primitives are ``(points, starts)``: segment ``k`` joins
    ``points[starts[k]]`` and ``points[starts[k] + 1]``.
    """
    kind, arrays, owner = prim
    if kind == "segments":
        pts, starts = arrays
        used = np.zeros(len(pts), bool)
        used[starts] = True
        used[starts + 1] = True
        px_used, valid_used = project(pts[used])
        px = np.zeros((len(pts), 2))
        valid = np.zeros(len(pts), bool)
        px[used], valid[used] = px_used, valid_used
        a, b = px[starts], px[starts + 1]
        near = ((np.minimum(a, b) <= p + PICK_RADIUS_PX) & (np.maximum(a, b) >= p - PICK_RADIUS_PX)).all(1)
        dist = np.full(len(starts), np.inf)
        dist[near] = segment_distances(a[near], b[near], p)
        ok = valid[starts] & valid[starts + 1]
    elif kind == "triangles":
        tri = arrays[0]
        flat, valid = project(tri.reshape(-1, 3))
        tri2 = flat.reshape(-1, 3, 2)
        ok = valid.reshape(-1, 3).all(axis=1)
        corner = np.hypot(*(tri2 - p).transpose(2, 0, 1)).min(axis=1)
        dist = np.where(triangles_contain(tri2, p), np.minimum(corner, INSIDE_DISTANCE_PX), corner)
    else:
        px, ok = project(arrays[0])
        dist = np.hypot(*(px - p).T)
    dist = np.where(ok, dist, np.inf)
    return dist, owner


def nearest(candidates: Iterable[tuple[str, list[Primitive]]], project: Projector,
            x: float, y: float, radius: float = PICK_RADIUS_PX) -> tuple[str, int] | None:
    """The (layer name, object index) drawn nearest to pixel (x, y), within ``radius``."""
    p = np.array([x, y], dtype=np.float64)
    best: tuple[float, str, int] | None = None
    for name, prims in candidates:
        for prim in prims:
            if not len(prim[2]):
                continue
            dist, owner = primitive_distances(prim, project, p)
            i = int(np.argmin(dist))
            if dist[i] <= radius and (best is None or dist[i] < best[0]):
                best = (float(dist[i]), name, int(owner[i]))
    return None if best is None else (best[1], best[2])


def select(prims: list[Primitive], indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Outline of the objects ``indices``: (segment pairs (2m, 3), points (k, 3)) in view coords."""
    segs, points = [], []
    for kind, arrays, owner in prims:
        keep = np.isin(owner, indices)
        if kind == "segments":
            pts, starts = arrays
            segs.append(np.stack([pts[starts[keep]], pts[starts[keep] + 1]], axis=1).reshape(-1, 3))
        elif kind == "triangles":
            tri = arrays[0][keep]
            edges = np.stack([tri, np.roll(tri, -1, axis=1)], axis=2)
            segs.append(edges.reshape(-1, 3))
        else:
            points.append(arrays[0][keep])
    empty = np.zeros((0, 3), np.float32)
    seg = np.concatenate(segs).astype(np.float32) if segs else empty
    pts = np.concatenate(points).astype(np.float32) if points else empty
    return seg, pts


class PickingMixin:
    """Projection, picking and highlighting of :class:`~collider_viz.scene.EventCanvas`.

    Uses the canvas's ``canvas``, ``view``, ``view_name``, ``layers``,
    ``highlighter``, ``_highlight`` and ``_style``.
    """

    canvas: Any
    view: Any
    view_name: str
    layers: dict[str, Any]
    highlighter: Any
    _highlight: dict[str, np.ndarray]
    _style: Any

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
        return nearest(cands, self._project_view, x, y)

    def highlight(self, name: str | None, indices: Any = ()) -> None:
        """Draw objects ``indices`` of collection ``name`` thicker and brighter (None clears).

        Replaces any previous highlight; see :meth:`highlight_many` for
        objects of several collections at once.
        """
        self.highlight_many({} if name is None else {name: indices})

    def highlight_many(self, selection: dict[str, Any] | None) -> None:
        """Highlight objects of several collections at once (``{}`` or None clears).

        Parameters
        ----------
        selection : dict of str to sequence of int
            Collection name -> object indices, e.g. the two electrons and two
            muons of an H→ZZ→2e2μ candidate: ``{"electrons": [0, 1], "muons": [0, 2]}``.
        """
        chosen = {}
        for name, indices in (selection or {}).items():
            idx = np.atleast_1d(np.asarray(indices, dtype=np.int64))
            if len(idx):
                chosen[name] = idx
        self._highlight = chosen
        self._refresh_highlight()

    def highlighted(self) -> dict[str, np.ndarray]:
        """The highlighted object indices per collection."""
        return dict(self._highlight)

    def _refresh_highlight(self) -> None:
        segs, pts, names = [], [], ([], [])
        for name, indices in self._highlight.items():
            layer = self.layers.get(name)
            if layer is not None:
                s, p = select(layer.primitives(), indices)
                segs.append(s)
                pts.append(p)
                names[0].append(np.full(len(s), name))
                names[1].append(np.full(len(p), name))
        if not segs or not (sum(map(len, segs)) or sum(map(len, pts))):
            self.highlighter.clear()
            return
        self.highlighter.show(np.concatenate(segs), np.concatenate(pts), self._style,
                              (np.concatenate(names[0]), np.concatenate(names[1])))
