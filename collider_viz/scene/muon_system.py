"""Layers of the muon system: DT/CSC segments, RPC/DT/CSC rec-hits, the chambers hit.

Styled after iSpy-WebGL (``js/objects-config.js``) and Fireworks: segments as
thick lines (DT orange, CSC pink), rec-hits as small markers (RPC lime, DT
green, CSC aqua) and the chambers a muon was matched to as translucent red
boxes with their edges.  The collections are described in
:mod:`collider_viz.physics.event`; each layer is one visual per part.
"""

from __future__ import annotations

from typing import Any

import awkward as ak
import numpy as np

from collider_viz.scene.layers import PATH_VIEWS, BuildContext, Layer
from collider_viz.scene.parts import LinePart, MarkerPart, MeshPart
from collider_viz.scene.style import for_theme, rgba

#: segment colours by subdetector (iSpy-WebGL: DT altColor, CSC segments)
SEGMENT_COLORS = {"DT": "#ff9f1c", "CSC": "#ff99ff", "GEM": "#66d9ff"}
#: rec-hit colours by subdetector (iSpy-WebGL: RPC, DT and CSC rec-hits)
HIT_COLORS = {"RPC": "#ccff00", "DT": "#3cff3c", "CSC": "#99ffe6", "GEM": "#66d9ff"}
#: matched chambers (iSpy-WebGL "Matching muon chambers": red, translucent)
CHAMBER_COLOR = "#ff2020"
CHAMBER_ALPHA = 0.15
OTHER_COLOR = "#c8c8c8"
#: objects beyond this |z| (m) are endcap ones (CMS barrel muon wheels end at ~6.6 m)
BARREL_HALF_LENGTH = 6.7
ENDCAP_SUBDETS = ("CSC", "GEM", "ME0")
#: triangles of a box from its corners front_1..4 (0-3), back_1..4 (4-7), as iSpy-WebGL
BOX_FACES = np.array([[0, 1, 2], [2, 3, 0], [4, 5, 6], [6, 7, 4], [4, 5, 1], [1, 0, 4],
                      [7, 6, 2], [2, 3, 7], [0, 3, 7], [7, 4, 0], [1, 5, 6], [6, 2, 1]])
BOX_EDGES = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [4, 5], [5, 6], [6, 7], [7, 4],
                      [0, 4], [1, 5], [2, 6], [3, 7]])


def subdet_colors(subdet: np.ndarray, table: dict[str, str], theme: str,
                  alpha: float = 1.0) -> np.ndarray:
    """(n, 4) RGBA of each object from its ``subdet`` (grey where unknown)."""
    subdet = np.asarray(subdet).astype(str)
    out = np.tile(rgba(OTHER_COLOR, alpha), (len(subdet), 1))
    for name, color in table.items():
        out[subdet == name] = rgba(color, alpha)
    return for_theme(out, theme)


def _subdet(array: Any) -> np.ndarray:
    if array is None or not len(array) or "subdet" not in ak.fields(array):
        return np.full(0 if array is None else len(array), "", dtype=str)
    return np.asarray(ak.to_list(array["subdet"]), dtype=str)


class _MuonSystemLayer(Layer):
    """Base: no threshold; endcap objects (CSC, GEM, or beyond the barrel) hidden in ρ-φ.

    Endcap chambers project onto the whole transverse plane in ρ-φ and hide
    the barrel, so, as in Fireworks, only the barrel is drawn there.
    """

    threshold_field = None

    def __init__(self, name: str, parent: Any) -> None:
        self.barrel = np.zeros(0, bool)
        super().__init__(name, parent)

    def set_data(self, array: Any, ctx: BuildContext) -> None:
        self.subdet = _subdet(array)
        super().set_data(array, ctx)

    def _read_fields(self, array: Any) -> None:
        super()._read_fields(array)
        self.barrel = np.zeros(self.n, bool)

    def _set_barrel(self, centres: np.ndarray) -> None:
        endcap = np.isin(self.subdet, ENDCAP_SUBDETS)
        self.barrel = ~endcap & (np.abs(centres[:, 2]) < BARREL_HALF_LENGTH)
        self.signs = _signs(centres)

    def mask(self) -> np.ndarray:
        """:meth:`Layer.mask`, and only barrel objects in the ρ-φ view."""
        mask = super().mask()
        if self.view == "rphi" and len(self.barrel) == len(mask):
            mask = mask & self.barrel
        return mask


def _signs(points: np.ndarray) -> np.ndarray:
    """Side of each object in the ρ-z view (upper half for y >= 0)."""
    return np.where(points[:, 1] >= 0, 1.0, -1.0).astype(np.float32)


class MuonSegmentLayer(_MuonSystemLayer):
    """Reconstructed DT and CSC segments: one line from end to end each."""

    fields_wanted = ("x1", "y1", "z1", "x2", "y2", "z2")

    def _make_parts(self) -> None:
        self.line = LinePart(self.parent, PATH_VIEWS, width=3.0, order=22)
        self.parts.append(self.line)

    def _build(self, ctx: BuildContext) -> None:
        f = self.fields
        p1 = np.stack([f["x1"], f["y1"], f["z1"]], axis=1)
        p2 = np.stack([f["x2"], f["y2"], f["z2"]], axis=1)
        ok = np.isfinite(p1).all(axis=1) & np.isfinite(p2).all(axis=1)
        self.valid = self.valid & ok
        p1, p2 = np.where(ok[:, None], p1, 0.0), np.where(ok[:, None], p2, 0.0)
        self.line.set_geometry(np.stack([p1, p2], axis=1).reshape(-1, 3),
                               np.repeat(np.arange(self.n), 2))
        self._set_barrel((p1 + p2) / 2)

    def _recolor(self) -> None:
        self.line.set_colors(subdet_colors(self.subdet, SEGMENT_COLORS, self.style.theme))

    def set_style(self, style) -> None:
        super().set_style(style)
        self.line.visual.set_data(width=style.line_width + 1.5)


class MuonHitLayer(_MuonSystemLayer):
    """Muon rec-hits (RPC, DT, CSC) as markers."""

    fields_wanted = ("x", "y", "z")

    def _make_parts(self) -> None:
        self.markers = MarkerPart(self.parent, PATH_VIEWS, size=5.0, order=21)
        self.parts.append(self.markers)

    def _build(self, ctx: BuildContext) -> None:
        f = self.fields
        points = np.stack([f["x"], f["y"], f["z"]], axis=1)
        self.markers.set_geometry(points)
        self._set_barrel(points)

    def _recolor(self) -> None:
        self.markers.set_colors(subdet_colors(self.subdet, HIT_COLORS, self.style.theme))


class MuonChamberLayer(_MuonSystemLayer):
    """The muon chambers that were hit: translucent boxes with their 12 edges."""

    fields_wanted = ()

    def _make_parts(self) -> None:
        self.boxes = MeshPart(self.parent, PATH_VIEWS, order=3, depth_write=False)
        self.edges = LinePart(self.parent, PATH_VIEWS, width=1.0, order=4)
        self.parts += [self.boxes, self.edges]

    def set_data(self, array: Any, ctx: BuildContext) -> None:
        self.corners = _corners(array)
        super().set_data(array, ctx)


    def _build(self, ctx: BuildContext) -> None:
        ok = np.isfinite(self.corners).all(axis=(1, 2))
        self.valid = self.valid & ok
        corners = np.where(ok[:, None, None], self.corners, 0.0)
        verts = corners.reshape(-1, 3)
        base = 8 * np.arange(self.n)
        faces = (base[:, None, None] + BOX_FACES[None]).reshape(-1, 3)
        self.boxes.set_geometry(verts, faces, np.repeat(np.arange(self.n), 8))
        edges = corners[:, BOX_EDGES].reshape(-1, 3)
        self.edges.set_geometry(edges, np.repeat(np.arange(self.n), 2 * len(BOX_EDGES)))
        self._set_barrel(corners.mean(axis=1))

    def _recolor(self) -> None:
        color = for_theme(rgba(CHAMBER_COLOR, CHAMBER_ALPHA), self.style.theme)
        self.boxes.set_colors(np.tile(color, (self.n, 1)))
        edge = for_theme(rgba(CHAMBER_COLOR, 0.6), self.style.theme)
        self.edges.set_colors(np.tile(edge, (self.n, 1)))


def _corners(array: Any) -> np.ndarray:
    """``(n, 8, 3)`` corners of each chamber (NaN where a box has not 8 corners)."""
    n = 0 if array is None else len(array)
    out = np.full((n, 8, 3), np.nan)
    if not n or not all(f"corners_{a}" in ak.fields(array) for a in "xyz"):
        return out
    eight = ak.to_numpy(ak.num(array["corners_x"], axis=1)) == 8
    for k, axis in enumerate("xyz"):
        values = array[f"corners_{axis}"][eight]
        out[eight, :, k] = np.asarray(ak.to_numpy(ak.flatten(values)), float).reshape(-1, 8)
    return out


LAYERS = {"muon_chambers": MuonChamberLayer, "muon_segments": MuonSegmentLayer,
          "muon_hits": MuonHitLayer}
