"""Default camera framing: which part of a detector the first picture shows.

The 3D view opens on the region where the event is: the calorimeters of a
detector with a muon system outside its magnet (CMS: tracks, towers and jets
fill the picture; muons leave it towards the muon stations, as in iSpy and
Fireworks; ATLAS likewise), the time projection chamber of a heavy-ion
detector (STAR, ALICE), and a forward spectrometer (LHCb) from its vertex
detector to its calorimeters, seen from the side.  :func:`fit_scale` computes the turntable camera's ``scale_factor``
that fits that cylinder into the picture, perspective included, so the
camera is never placed inside the outer volumes.

The 2D views frame every volume except the magnet (its yoke is context;
ALICE's L3 magnet would otherwise shrink the TPC to a third of the picture);
the ρ-φ view of CMS and ATLAS frames their calorimeters (:func:`rphi_radius`).
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
FRAME_3D: dict[str, tuple[str, ...]] = {"CMS": ("ecal", "hcal"), "ATLAS": ("ecal", "hcal")}
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


def forward_extent(detector: Any) -> tuple[float, float, float]:
    """Radius, first and last z (m) of a forward spectrometer's volumes up to its calorimeters.

    The muon stations behind the calorimeters are left out (context, like
    CMS's muon system in its 3D frame).
    """
    vols = [v for v in getattr(detector, "volumes", ()) or () if v.subsystem != "muon"]
    if not vols:
        return float(detector.tracker_radius), 0.0, float(detector.tracker_half_length)
    return (max(v.r_max for v in vols), min(v.z_min for v in vols), max(v.z_max for v in vols))


def frame_centre(detector: Any | None) -> float:
    """z (m) of the framed region's centre: 0, or the middle of a forward spectrometer."""
    if detector is None or not getattr(detector, "forward", False):
        return 0.0
    _, z0, z1 = forward_extent(detector)
    return 0.5 * (z0 + z1)


def frame_3d(detector: Any | None) -> tuple[float, float]:
    """Radius and half-length (m) of the cylinder the default 3D camera frames.

    The cylinder is centred on z = :func:`frame_centre` (a forward
    spectrometer's region from its vertex detector to its calorimeters).
    """
    if detector is None:
        return 1.5, 2.5
    if getattr(detector, "forward", False):
        r, z0, z1 = forward_extent(detector)
        return float(r), 0.5 * float(z1 - z0)
    name = str(getattr(detector, "name", "")).upper()
    extent = _barrel_extent(detector, FRAME_3D.get(name, ("tracker",)))
    if extent is None:
        extent = (detector.tracker_radius, detector.tracker_half_length)
    return float(extent[0]), float(extent[1])


def frame_2d(detector: Any | None) -> tuple[float, float]:
    """Largest radius and |z| (m) of the volumes the 2D views frame (see :func:`window_2d`)."""
    if detector is None:
        return 3.0, 4.0
    vols = [v for v in getattr(detector, "volumes", ()) or () if v.subsystem not in SKIP_2D]
    r = max([v.r_max for v in vols] + [float(getattr(detector, "calo_radius_max", 3.0))])
    z = max([max(abs(v.z_min), abs(v.z_max)) for v in vols]
            + [float(getattr(detector, "tracker_half_length", 3.0))])
    return float(r), float(z)


def rphi_radius(detector: Any | None) -> float:
    """Radius (m) the default ρ-φ view frames.

    Where the muon system sits outside the magnet (CMS, ATLAS: :data:`FRAME_3D`)
    the end view frames the tracker and calorimeters, as the 3D view does:
    framing the muon stations made the event a small disk in the middle of the
    picture. The muon system is a zoom-out (mouse wheel) away. Other detectors
    frame every volume but the magnet (:func:`frame_2d`).
    """
    name = str(getattr(detector, "name", "")).upper()
    if detector is not None and name in FRAME_3D and not getattr(detector, "forward", False):
        extent = _barrel_extent(detector, FRAME_3D[name])
        if extent is not None:
            return float(extent[0])
    return frame_2d(detector)[0]


def window_2d(detector: Any | None) -> tuple[float, float, float]:
    """Radius, first and last z (m) the 2D views frame.

    Symmetric about z = 0 (``-z, z`` from :func:`frame_2d`) except for a
    forward spectrometer: from just behind its interaction point to its last
    station.
    """
    r, z = frame_2d(detector)
    if detector is None or not getattr(detector, "forward", False):
        return r, -z, z
    vols = [v for v in detector.volumes if v.subsystem not in SKIP_2D] or detector.volumes
    return r, min(0.0, min(v.z_min for v in vols)) - 0.5, max(v.z_max for v in vols) + 0.5


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
