"""Translucent detector volumes, one mesh + one edge line per subsystem, and the beam axis.

Geometry is rebuilt per view from the (few) volumes of a
:class:`collider_viz.physics.detector.Detector`: tubes in 3D, rings in the
ρ-φ end view (barrels only: endcaps would cover the event), rectangles in the
ρ-z side view.  Surfaces do not write depth, so everything behind stays visible.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vispy import scene

from collider_viz.scene.geometry import annulus, merge, rectangles, tube
from collider_viz.scene.style import Style, for_theme, rgba
from collider_viz.scene.views import detector_extent

SURFACE_ALPHA = {"3d": 0.08, "rphi": 0.16, "rz": 0.16}
EDGE_ALPHA = 0.4
# In 3D the big outer volumes would swamp the event: draw them fainter.
ALPHA_3D_SCALE = {"magnet": 0.25, "muon": 0.3, "hcal": 0.8}
N_SEG = {"3d": 48, "rphi": 96}


def _mirrored(vol: Any) -> list[tuple[float, float]]:
    """z ranges of a volume: endcaps appear at +z and mirrored at -z."""
    if vol.kind == "endcap":
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


class SubsystemOutline:
    """One subsystem (tracker, ecal, ...): a translucent Mesh and an edge Line."""

    def __init__(self, parent: Any, volumes: tuple[Any, ...]) -> None:
        self.volumes = volumes
        self.mesh = scene.visuals.Mesh(parent=parent)
        self.mesh.set_gl_state("translucent", depth_test=False, cull_face=False, depth_mask=False)
        self.mesh.order = -10
        self.edges = scene.visuals.Line(parent=parent, method="gl")
        self.edges.set_gl_state("translucent", depth_test=False)
        self.edges.order = -9
        self.visible = True

    def update(self, view: str, style: Style) -> None:
        """Rebuild the geometry and colours for ``view`` (hidden in the lego view)."""
        meshes, colors, lines, line_colors = [], [], [], []
        scale = ALPHA_3D_SCALE.get(self.volumes[0].subsystem, 1.0) if view == "3d" else 1.0
        for vol in self.volumes:
            m, e = volume_geometry(vol, view)
            meshes += m
            colors += [np.tile(rgba(vol.color, SURFACE_ALPHA.get(view, 0.1) * scale), (len(f), 1))
                       for _, f in m]
            lines += e
            line_colors += [np.tile(rgba(vol.color, EDGE_ALPHA * min(1.0, 2 * scale)), (len(p), 1))
                            for p in e]
        show = self.visible and bool(meshes)
        self.mesh.visible = self.edges.visible = show
        if not show:
            return
        verts, faces = merge(meshes)
        self.mesh.set_data(vertices=verts, faces=faces,
                           face_colors=for_theme(np.concatenate(colors), style.theme))
        counts = np.array([len(p) for p in lines])
        connect = np.ones(int(counts.sum()), bool)
        connect[np.cumsum(counts) - 1] = False
        self.edges.set_data(pos=np.concatenate(lines).astype(np.float32), connect=connect,
                            color=for_theme(np.concatenate(line_colors), style.theme))

    def detach(self) -> None:
        self.mesh.parent = None
        self.edges.parent = None


class DetectorOutline:
    """All subsystems of a detector plus the beam axis.

    Parameters
    ----------
    parent : vispy node
        Scene to draw into.
    detector : Detector
        Volumes to draw.
    """

    def __init__(self, parent: Any, detector: Any) -> None:
        self.detector = detector
        self.subsystems: dict[str, SubsystemOutline] = {}
        for vol in detector.volumes:
            if vol.subsystem not in self.subsystems:
                self.subsystems[vol.subsystem] = SubsystemOutline(
                    parent, tuple(v for v in detector.volumes if v.subsystem == vol.subsystem))
        self.beam = scene.visuals.Line(parent=parent, method="gl", width=1.0)
        self.beam.order = -8
        self.view, self.style = "3d", Style()

    def set_layer_visible(self, subsystem: str, visible: bool) -> None:
        """Show or hide one subsystem; unknown names are ignored (another detector may have it)."""
        sub = self.subsystems.get(subsystem)
        if sub is not None:
            sub.visible = bool(visible)
            sub.update(self.view, self.style)

    def update(self, view: str, style: Style) -> None:
        """Rebuild everything for ``view`` and ``style``."""
        self.view, self.style = view, style
        for sub in self.subsystems.values():
            sub.update(view, style)
        r, z = detector_extent(self.detector)
        beam = {"3d": [[0, 0, -z], [0, 0, z]], "rz": [[-z, 0, 0], [z, 0, 0]],
                "rphi": [[-0.05 * r, 0, 0], [0.05 * r, 0, 0], [0, -0.05 * r, 0], [0, 0.05 * r, 0]]}
        self.beam.visible = view in beam
        if view in beam:
            self.beam.set_data(pos=np.asarray(beam[view], np.float32), connect="segments",
                               color=style.color("beam", 0.7))

    def detach(self) -> None:
        """Remove all visuals from the scene."""
        for sub in self.subsystems.values():
            sub.detach()
        self.beam.parent = None
