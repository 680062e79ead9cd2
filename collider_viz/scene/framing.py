"""Default camera framing: which part of a detector the first picture shows.

The 3D view opens on the region where the event is: the calorimeters of a
detector with a muon system outside its magnet (CMS: tracks, towers and jets
fill the picture; muons leave it towards the muon stations, as in iSpy and
Fireworks), the time projection chamber of a heavy-ion detector (STAR,
ALICE).  :func:`fit_scale` computes the turntable camera's ``scale_factor``
that fits that cylinder into the picture, perspective included, so the
camera is never placed inside the outer volumes.

The 2D views frame every volume except the magnet (its yoke is context;
ALICE's L3 magnet would otherwise shrink the TPC to a third of the picture).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vispy.util import transforms

#: Assumed width / height of the picture when the camera is made (16:10 .. 16:9).
FRAME_ASPECT = 1.6
#: Fraction of the picture height (width) the framed region may fill.
FRAME_FILL = 0.92
#: Subsystems framed in 3D, per detector; others frame their tracker.
FRAME_3D: dict[str, tuple[str, ...]] = {"CMS": ("ecal", "hcal")}
#: Subsystems left out of the 2D framing.
SKIP_2D = ("magnet",)


def _barrel_extent(detector: Any, subsystems: tuple[str, ...]) -> tuple[float, float] | None:
    """Largest radius and |z| of the barrel volumes of ``subsystems`` (None: no such volume)."""
    vols = [v for v in getattr(detector, "volumes", ()) or ()
            if v.subsystem in subsystems and v.kind == "barrel"]
    if not vols:
        return None
    return (max(v.r_max for v in vols),
            max(max(abs(v.z_min), abs(v.z_max)) for v in vols))


def frame_3d(detector: Any | None) -> tuple[float, float]:
    """Radius and half-length (m) of the cylinder the default 3D camera frames."""
    if detector is None:
        return 1.5, 2.5
    name = str(getattr(detector, "name", "")).upper()
    extent = _barrel_extent(detector, FRAME_3D.get(name, ("tracker",)))
    if extent is None:
        extent = (detector.tracker_radius, detector.tracker_half_length)
    return float(extent[0]), float(extent[1])


def frame_2d(detector: Any | None) -> tuple[float, float]:
    """Largest radius and |z| (m) of the volumes the 2D views frame."""
    if detector is None:
        return 3.0, 4.0
    vols = [v for v in getattr(detector, "volumes", ()) or () if v.subsystem not in SKIP_2D]
    r = max([v.r_max for v in vols] + [float(getattr(detector, "calo_radius_max", 3.0))])
    z = max([max(abs(v.z_min), abs(v.z_max)) for v in vols]
            + [float(getattr(detector, "tracker_half_length", 3.0))])
    return float(r), float(z)


def cylinder_points(radius: float, half_length: float, n: int = 48) -> np.ndarray:
    """(2n, 3) points on the two end circles of a cylinder around the beam (z) axis."""
    phi = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    ring = np.stack([radius * np.cos(phi), radius * np.sin(phi), np.zeros(n)], axis=1)
    return np.concatenate([ring + [0, 0, half_length], ring - [0, 0, half_length]])


def camera_coordinates(points: np.ndarray, azimuth: float, elevation: float) -> np.ndarray:
    """World points in the frame of a ``TurntableCamera(up="+y")`` centred on the origin.

    x points right, y up, z towards the camera (vispy's convention for this camera).
    """
    up, forward = np.array([0.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0])
    right = np.cross(forward, up)
    rotation = transforms.rotate(elevation, -right) @ transforms.rotate(azimuth, up)
    local = np.array([(0, 0, 0), (0, 0, -1), (1, 0, 0), (0, 1, 0)], dtype=float)
    axes = np.array([(0, 0, 0), forward, right, up], dtype=float)
    to_world = (transforms.affine_map(local, axes).T @ rotation)[:3, :3]
    return np.asarray(points, dtype=np.float64) @ np.linalg.inv(to_world)


def fit_scale(points: np.ndarray, azimuth: float, elevation: float, fov: float,
              aspect: float = FRAME_ASPECT, fill: float = FRAME_FILL) -> float:
    """``scale_factor`` of a turntable camera that shows all ``points`` (perspective included).

    The scale factor is the picture height at the centre plane; the camera
    sits ``scale / (2 tan(fov / 2))`` from the centre, so nearer points look
    bigger.  A few fixed-point steps solve for the scale.
    """
    q = camera_coordinates(points, azimuth, elevation)
    k = 1.0 / (2.0 * np.tan(np.radians(fov) / 2.0))
    need = np.maximum(np.abs(q[:, 1]), np.abs(q[:, 0]) / aspect) * 2.0 / fill
    scale = float(need.max())
    for _ in range(20):
        dist = k * scale
        depth = np.maximum(dist - q[:, 2], 1e-3)
        scale = float((need * dist / depth).max())
    return scale
