"""Layers for reconstructed objects: electrons, photons, jets, MET, vertices, calo deposits."""

from __future__ import annotations

from typing import Any

import awkward as ak
import numpy as np

from collider_viz.physics import helix
from collider_viz.scene.geometry import cones, dashes, directions, prisms
from collider_viz.scene.layers import PATH_VIEWS, BuildContext, Layer, TrackLayer
from collider_viz.scene.parts import LinePart, MarkerPart, MeshPart
from collider_viz.scene.style import calo_colors

TOWER_M_PER_GEV = 0.012
TOWER_MAX_M = 1.6
JET_M_PER_GEV = 0.02
CALO_M_PER_GEV = 0.02
MET_M_PER_GEV = 0.02
CALO_HALF_WIDTH = {"EB": 0.025, "EE": 0.03, "HB": 0.07, "HE": 0.08, "HF": 0.1, "HO": 0.1}


def energy(fields: dict[str, np.ndarray]) -> np.ndarray:
    """Energy estimate pT cosh η (massless), GeV."""
    return fields["pt"] * np.cosh(fields["eta"])


def tower_mesh(fields: dict[str, np.ndarray], ctx: BuildContext, vx: np.ndarray,
               vy: np.ndarray, vz: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Projective energy towers standing on the ECAL surface (vertices, faces, owner)."""
    base = np.asarray(helix.calorimeter_impact(fields["eta"], fields["phi"], ctx.detector,
                                               vx, vy, vz), dtype=np.float64)
    height = np.clip(energy(fields) * TOWER_M_PER_GEV, 0.03, TOWER_MAX_M)
    verts, faces = prisms(base, directions(fields["eta"], fields["phi"]), height, 0.05)
    return verts, faces, np.repeat(np.arange(len(base)), 8)


class ElectronLayer(TrackLayer):
    """Electrons: a helix to the ECAL face plus an energy tower."""

    lego_half_width = 0.06

    def _make_parts(self) -> None:
        super()._make_parts()
        self.towers = MeshPart(self.parent, PATH_VIEWS)
        self.parts.append(self.towers)

    def _reach(self, detector: Any) -> tuple[float, float]:
        return detector.ecal_radius, detector.ecal_endcap_z

    def _build(self, ctx: BuildContext) -> None:
        super()._build(ctx)
        self.towers.set_geometry(*tower_mesh(self.fields, ctx, *self._origin(ctx)))

    def _line_colors(self) -> np.ndarray:
        return np.tile(self.style.color("electrons"), (self.n, 1))

    def _recolor(self) -> None:
        super()._recolor()
        self.towers.set_colors(np.tile(self.style.color("electron_tower", 0.85), (self.n, 1)))


class PhotonLayer(Layer):
    """Photons: a dashed line from the vertex to the ECAL and an energy tower."""

    def _make_parts(self) -> None:
        self.line = LinePart(self.parent, PATH_VIEWS, width=1.5)
        self.towers = MeshPart(self.parent, PATH_VIEWS)
        self.lego = self._lego_part()
        self.parts += [self.line, self.towers]

    def _build(self, ctx: BuildContext) -> None:
        vx, vy, vz = self._origin(ctx)
        start = np.stack([vx, vy, vz], axis=1)
        end = np.asarray(helix.calorimeter_impact(self.fields["eta"], self.fields["phi"],
                                                  ctx.detector, vx, vy, vz), dtype=np.float64)
        points, owner = dashes(start, end)
        self.line.set_geometry(points, owner)
        self.towers.set_geometry(*tower_mesh(self.fields, ctx, vx, vy, vz))
        self._set_lego(self.lego, self.fields["pt"], 0.06)

    def _recolor(self) -> None:
        self.line.set_colors(np.tile(self.style.color("photons"), (self.n, 1)))
        tower = np.tile(self.style.color("photon_tower", 0.9), (self.n, 1))
        self.towers.set_colors(tower)
        self.lego.set_colors(tower)


class JetLayer(Layer):
    """Jets: translucent cones (one mesh), length ∝ E, opening from the jet radius."""

    fields_wanted = ("pt", "eta", "phi", "radius")

    def _make_parts(self) -> None:
        self.cones = MeshPart(self.parent, PATH_VIEWS, order=30, depth_write=False)
        self.lego = self._lego_part()
        self.parts.append(self.cones)

    def _build(self, ctx: BuildContext) -> None:
        f = self.fields
        radius = np.where(f["radius"] > 0, f["radius"], 0.4)
        axis = directions(f["eta"], f["phi"])
        length = np.clip(energy(f) * JET_M_PER_GEV, 0.5, 4.0)
        apex = np.tile(np.asarray(ctx.origin, dtype=np.float64), (self.n, 1))
        verts, faces = cones(apex, axis, length, radius / np.cosh(f["eta"]))
        self.cones.set_geometry(verts, faces, np.repeat(np.arange(self.n), len(verts) // self.n))
        self._set_lego(self.lego, f["pt"], 0.2)

    def _recolor(self) -> None:
        self.cones.set_colors(np.tile(self.style.color("jets", 0.28), (self.n, 1)))
        self.lego.set_colors(np.tile(self.style.color("jets", 0.75), (self.n, 1)))


class MetLayer(Layer):
    """Missing transverse momentum: an arrow in the transverse plane outside the ECAL."""

    fields_wanted = ("pt", "phi")

    def _make_parts(self) -> None:
        self.line = LinePart(self.parent, PATH_VIEWS, width=3.0, order=25)
        self.parts.append(self.line)

    def _build(self, ctx: BuildContext) -> None:
        phi = self.fields["phi"]
        r0 = float(ctx.detector.ecal_radius)
        length = np.clip(self.fields["pt"] * MET_M_PER_GEV, 0.2, 4.0)
        d = np.stack([np.cos(phi), np.sin(phi), np.zeros(self.n)], axis=1)
        n_vec = np.stack([-d[:, 1], d[:, 0], d[:, 2]], axis=1)
        start, tip = d * r0, d * (r0 + length[:, None])
        head = 0.25 * np.minimum(length, 1.0)[:, None]
        wing1 = tip - d * head + n_vec * 0.5 * head
        wing2 = tip - d * head - n_vec * 0.5 * head
        segs = np.stack([start, tip, tip, wing1, tip, wing2], axis=1).reshape(-1, 3)
        self.line.set_geometry(segs, np.repeat(np.arange(self.n), 6))

    def _recolor(self) -> None:
        self.line.set_colors(np.tile(self.style.color("met"), (self.n, 1)))

    def passing(self) -> np.ndarray:
        """A MET of exactly 0 (files that store none) draws no arrow."""
        return super().passing() & (self.values > 0)

    def set_style(self, style) -> None:
        super().set_style(style)
        self.line.visual.set_data(width=style.line_width + 1.5)


class VertexLayer(Layer):
    """Reconstructed vertices as markers."""

    threshold_field = None
    fields_wanted = ("x", "y", "z")

    def _make_parts(self) -> None:
        self.markers = MarkerPart(self.parent, PATH_VIEWS)
        self.parts.append(self.markers)

    def _build(self, ctx: BuildContext) -> None:
        f = self.fields
        self.markers.set_geometry(np.stack([f["x"], f["y"], f["z"]], axis=1))
        self.signs = np.where(f["y"] >= 0, 1.0, -1.0).astype(np.float32)

    def _recolor(self) -> None:
        self.markers.set_colors(np.tile(self.style.color("vertices"), (self.n, 1)))


class CaloLayer(Layer):
    """Calorimeter deposits: outward boxes at the cell centres, height ∝ energy."""

    threshold_field = "energy"
    fields_wanted = ("energy", "eta", "phi", "x", "y", "z")

    def _make_parts(self) -> None:
        self.boxes = MeshPart(self.parent, PATH_VIEWS)
        self.lego = self._lego_part()
        self.parts.append(self.boxes)

    def set_data(self, array, ctx) -> None:
        self.subdet = _subdet(array)
        super().set_data(array, ctx)

    def _build(self, ctx: BuildContext) -> None:
        f = self.fields
        centre = np.stack([f["x"], f["y"], f["z"]], axis=1)
        norm = np.linalg.norm(centre, axis=1, keepdims=True)
        axis = np.divide(centre, norm, out=np.tile([0.0, 0.0, 1.0], (self.n, 1)), where=norm > 0)
        half = np.array([CALO_HALF_WIDTH.get(s, 0.05) for s in self.subdet])
        height = np.clip(f["energy"] * CALO_M_PER_GEV, 0.01, 1.5)
        verts, faces = prisms(centre - axis * 0.5 * half[:, None], axis, height, half)
        self.boxes.set_geometry(verts, faces, np.repeat(np.arange(self.n), 8))
        self._set_lego(self.lego, f["energy"], 0.0435)
        self.signs = np.where(f["y"] >= 0, 1.0, -1.0).astype(np.float32)

    def _recolor(self) -> None:
        colors = calo_colors(self.subdet, self.style)
        self.boxes.set_colors(colors)
        self.lego.set_colors(colors)


def _subdet(array: Any) -> np.ndarray:
    """The ``subdet`` strings of a calo collection ("" where absent)."""
    if array is None or not len(array):
        return np.zeros(0, dtype=str)
    if "subdet" not in ak.fields(array):
        return np.full(len(array), "", dtype=str)
    return np.asarray(ak.to_list(array["subdet"]), dtype=str)
