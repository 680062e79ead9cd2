"""Translucent detector volumes, their edges and the beam axis.

Everything is merged into one ``Mesh`` and one ``Line``.  Geometry is rebuilt
per view from the (few) volumes of a
:class:`collider_viz.physics.detector.Detector`: tubes in 3D, rings in the
ρ-φ end view (barrels only: endcaps would cover the event), rectangles in the
ρ-z side view.  Surfaces do not write depth, so everything behind stays visible.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vispy import scene

from collider_viz.scene.framing import frame_3d
from collider_viz.scene.geometry import annulus, merge, rectangles, tube
from collider_viz.scene.style import Style, for_theme, rgba
from collider_viz.scene.views import detector_extent

SURFACE_ALPHA = {"3d": 0.08, "rphi": 0.16, "rz": 0.16}
EDGE_ALPHA = 0.4
# In 3D the big outer volumes would swamp the event: draw them fainter.
ALPHA_3D_SCALE = {"magnet": 0.25, "muon": 0.3, "hcal": 0.8}
N_SEG = {"3d": 48, "rphi": 96}
# Fainter surfaces are left out (edges only): invisible, but on a software
# renderer a screen-filling translucent tube costs a large part of a frame.
MIN_SURFACE_ALPHA = 0.03
# 3D edges of volumes outside the framed region: context, kept faint.
OUTER_EDGE_SCALE = 0.6


def _mirrored(vol: Any) -> list[tuple[float, float]]:
    """z ranges of a volume: endcaps appear at +z and mirrored at -z (unless ``mirror`` is off)."""
    if vol.kind == "endcap" and getattr(vol, "mirror", True):
        return [(vol.z_min, vol.z_max), (-vol.z_max, -vol.z_min)]
    return [(vol.z_min, vol.z_max)]


def _circle(r: float, z: float, phi0: float, phi1: float, n: int) -> np.ndarray:
    phi = np.linspace(phi0, phi1, n + 1)
    return np.stack([r * np.cos(phi), r * np.sin(phi), np.full(n + 1, z)], axis=1)


def volume_geometry(vol: Any, view: str) -> tuple[list, list]:
    """Surface meshes and edge polylines of one volume in ``view`` coordinates."""
    meshes, edges = [], []
    full = (vol.phi_max - vol.phi_min) >= 2 * np.pi - 1e-6
    if view == "3d":
        for z0, z1 in _mirrored(vol):
            meshes.append(tube(vol.r_min, vol.r_max, z0, z1, vol.phi_min, vol.phi_max,
                               N_SEG["3d"], inner=False))
            for z in (z0, z1):
                edges.append(_circle(vol.r_max, z, vol.phi_min, vol.phi_max, N_SEG["3d"]))
    elif view == "rphi" and vol.kind == "barrel":
        meshes.append(annulus(vol.r_min, vol.r_max, vol.phi_min, vol.phi_max, N_SEG["rphi"]))
        for r in (vol.r_min, vol.r_max):
            edges.append(_circle(r, 0.0, vol.phi_min, vol.phi_max, N_SEG["rphi"]) * [1, 1, 0])
        if not full:
            for phi in (vol.phi_min, vol.phi_max):
                edges.append(np.array([[vol.r_min * np.cos(phi), vol.r_min * np.sin(phi), 0],
                                       [vol.r_max * np.cos(phi), vol.r_max * np.sin(phi), 0]]))
    elif view == "rz":
        for z0, z1 in _mirrored(vol):
            for s in (1.0, -1.0):
                y0, y1 = sorted((s * vol.r_min, s * vol.r_max))
                meshes.append(rectangles(z0, z1, y0, y1))
                edges.append(np.array([[z0, y0, 0], [z1, y0, 0], [z1, y1, 0], [z0, y1, 0],
                                       [z0, y0, 0]]))
    return meshes, edges


def subsystem_geometry(volumes: tuple[Any, ...], view: str,
                       fill_radius: float = np.inf) -> tuple[list, list, list, list]:
    """Meshes, face colours, edge polylines and edge colours of one subsystem in ``view``.

    In 3D only volumes within ``fill_radius`` (the framed region) get
    surfaces; those outside it are drawn as edges, so the picture is not
    veiled by big translucent tubes between the camera and the event.
    """
    meshes, colors, lines, line_colors = [], [], [], []
    scale = ALPHA_3D_SCALE.get(volumes[0].subsystem, 1.0) if view == "3d" else 1.0
    surface_alpha = SURFACE_ALPHA.get(view, 0.1) * scale
    for vol in volumes:
        m, e = volume_geometry(vol, view)
        filled = view != "3d" or vol.r_max <= fill_radius * 1.01
        if surface_alpha >= MIN_SURFACE_ALPHA and filled:
            meshes += m
            colors += [np.tile(rgba(vol.color, surface_alpha), (len(f), 1)) for _, f in m]
        edge_alpha = EDGE_ALPHA * min(1.0, 2 * scale) * (1.0 if filled else OUTER_EDGE_SCALE)
        lines += e
        line_colors += [np.tile(rgba(vol.color, edge_alpha), (len(p), 1)) for p in e]
    return meshes, colors, lines, line_colors


def beam_line(detector: Any, view: str) -> np.ndarray | None:
    """The beam axis (or a cross at the origin in the end view) as segment pairs."""
    r, z = detector_extent(detector)
    beam = {"3d": [[0, 0, -z], [0, 0, z]], "rz": [[-z, 0, 0], [z, 0, 0]],
            "rphi": [[-0.05 * r, 0, 0], [0.05 * r, 0, 0], [0, -0.05 * r, 0], [0, 0.05 * r, 0]]}
    return np.asarray(beam[view], np.float32) if view in beam else None


def _segment_pairs(lines: list[np.ndarray]) -> np.ndarray:
    """Consecutive-vertex index pairs of several polylines laid end to end."""
    counts = np.array([len(p) for p in lines])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return np.concatenate([np.stack([s + np.arange(c - 1), s + np.arange(1, c)], 1)
                           for s, c in zip(starts, counts)]).astype(np.uint32)


class DetectorOutline:
    """All subsystems of a detector plus the beam axis: one ``Mesh`` and one ``Line``.

    Two visuals whatever the number of volumes (each visual costs a shader
    program and a draw call; on a software renderer the first picture of a
    canvas spends much of its time compiling them).  Hiding a subsystem
    rebuilds the (small) merged geometry.

    Parameters
    ----------
    parent : vispy node
        Scene to draw into.
    detector : Detector
        Volumes to draw.
    """

    def __init__(self, parent: Any, detector: Any) -> None:
        self.detector = detector
        self.volumes: dict[str, tuple[Any, ...]] = {}
        for vol in detector.volumes:
            self.volumes.setdefault(vol.subsystem, ())
            self.volumes[vol.subsystem] += (vol,)
        self.hidden: set[str] = set()
        self.mesh = scene.visuals.Mesh(parent=parent)
        self.mesh.set_gl_state("translucent", depth_test=False, cull_face=False, depth_mask=False)
        self.mesh.order = -10
        self.edges = scene.visuals.Line(parent=parent, method="gl", width=1.0)
        self.edges.set_gl_state("translucent", depth_test=False)
        self.edges.order = -9
        self.view, self.style = "3d", Style()
        self.fill_radius = frame_3d(detector)[0]

    @property
    def subsystems(self) -> tuple[str, ...]:
        """Names of the detector's subsystems."""
        return tuple(self.volumes)

    def set_layer_visible(self, subsystem: str, visible: bool) -> None:
        """Show or hide one subsystem; unknown names are ignored (another detector may have it)."""
        if subsystem in self.volumes:
            (self.hidden.discard if visible else self.hidden.add)(subsystem)
            self.update(self.view, self.style)

    def update(self, view: str, style: Style) -> None:
        """Rebuild everything for ``view`` and ``style``."""
        self.view, self.style = view, style
        meshes, colors, lines, line_colors = [], [], [], []
        for name, vols in self.volumes.items():
            if name not in self.hidden:
                parts = subsystem_geometry(vols, view, self.fill_radius)
                for store, new in zip((meshes, colors, lines, line_colors), parts):
                    store += new
        self.mesh.visible = bool(meshes)
        if meshes:
            verts, faces = merge(meshes)
            self.mesh.set_data(vertices=verts, faces=faces,
                               face_colors=for_theme(np.concatenate(colors), style.theme))
        self._update_edges(view, style, lines, line_colors)

    def _update_edges(self, view: str, style: Style, lines: list, line_colors: list) -> None:
        pairs = _segment_pairs(lines) if lines else np.zeros((0, 2), np.uint32)
        colors = [for_theme(np.concatenate(line_colors), style.theme)] if lines else []
        beam = beam_line(self.detector, view)
        if beam is not None:
            first = sum(len(p) for p in lines)
            pairs = np.concatenate([pairs, first + np.arange(len(beam), dtype=np.uint32).reshape(-1, 2)])
            lines = [*lines, beam]
            colors.append(np.tile(style.color("beam", 0.7), (len(beam), 1)))
        self.edges.visible = len(pairs) > 0
        if len(pairs):
            self.edges.set_data(pos=np.concatenate(lines).astype(np.float32), connect=pairs,
                                color=np.concatenate(colors).astype(np.float32))

    def detach(self) -> None:
        """Remove all visuals from the scene."""
        self.mesh.parent = None
        self.edges.parent = None
