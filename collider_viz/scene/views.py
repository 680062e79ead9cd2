"""The four projections of the display and their cameras.

Every drawable is kept in world coordinates (metres, beam along z) and
mapped into *view coordinates* by :func:`to_view` before it is uploaded;
picking and :meth:`EventCanvas.project` use the same function, so what is
clicked is what is drawn.

* ``"3d"``   world coordinates, turntable camera.
* ``"rphi"`` end view: (x, y, 0), orthographic, looking down the beam.
* ``"rz"``   side view: (z, ±ρ, 0); the sign of ρ is chosen per object
  (by its azimuth) so a track never jumps across the beam axis.
* ``"lego"`` η-φ plane: (η, φ, height) with a turntable camera.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from vispy import scene

from collider_viz.scene import framing

VIEWS: tuple[str, ...] = ("3d", "rphi", "rz", "lego")
LEGO_ETA_MAX = 5.0
LEGO_HEIGHT_PER_GEV = 0.04
LEGO_HEIGHT_MAX = 7.0


def object_signs(phi: np.ndarray, horizontal: bool = False) -> np.ndarray:
    """Sign of ρ in the ρ-z view for objects at azimuth ``phi``: +1 for y ≥ 0, else -1.

    ``horizontal`` takes the sign of x instead: a forward spectrometer whose
    dipole bends in x–z (LHCb) is then seen as from above, as its own displays show it.
    """
    trig = np.cos if horizontal else np.sin
    return np.where(trig(np.asarray(phi, dtype=np.float64)) >= 0, 1.0, -1.0).astype(np.float32)


def eta_phi(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pseudorapidity and azimuth of positions (n, 3) seen from the origin."""
    p = np.asarray(points, dtype=np.float64)
    rho = np.hypot(p[:, 0], p[:, 1])
    eta = np.arcsinh(np.divide(p[:, 2], rho, out=np.zeros(len(p)), where=rho > 0))
    eta[(rho == 0) & (p[:, 2] != 0)] = np.sign(p[(rho == 0) & (p[:, 2] != 0), 2]) * LEGO_ETA_MAX
    return eta, np.arctan2(p[:, 1], p[:, 0])


def to_view(points: np.ndarray, view: str, signs: np.ndarray | None = None) -> np.ndarray:
    """Map world points (n, 3) in metres into the coordinates of ``view``.

    Parameters
    ----------
    points : np.ndarray
        World positions.
    view : str
        One of :data:`VIEWS`.
    signs : np.ndarray, optional
        Per-point sign of ρ for the ``"rz"`` view; the sign of y when omitted.

    Returns
    -------
    np.ndarray
        (n, 3) float32 view coordinates.
    """
    p = np.asarray(points, dtype=np.float32)
    out = np.zeros((len(p), 3), dtype=np.float32)
    if view == "3d":
        out[:] = p
    elif view == "rphi":
        out[:, :2] = p[:, :2]
    elif view == "rz":
        if signs is None:
            signs = np.where(p[:, 1] >= 0, 1.0, -1.0)
        out[:, 0] = p[:, 2]
        out[:, 1] = signs * np.hypot(p[:, 0], p[:, 1])
    elif view == "lego":
        eta, phi = eta_phi(p)
        out[:, 0] = np.clip(eta, -LEGO_ETA_MAX, LEGO_ETA_MAX)
        out[:, 1] = phi
    else:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    return out


def lego_height(value: np.ndarray) -> np.ndarray:
    """Bar height in the lego view for a pT or energy in GeV."""
    return np.minimum(np.asarray(value, dtype=np.float64) * LEGO_HEIGHT_PER_GEV, LEGO_HEIGHT_MAX)


def detector_extent(detector: Any) -> tuple[float, float]:
    """Largest radius and |z| of the detector volumes (metres), with sensible fall-backs."""
    vols = getattr(detector, "volumes", ()) or ()
    r = max([v.r_max for v in vols] + [getattr(detector, "calo_radius_max", 3.0)])
    z = max([abs(v.z_max) for v in vols] + [abs(v.z_min) for v in vols]
            + [getattr(detector, "tracker_half_length", 3.0)])
    return float(r), float(z)


CAMERA_3D = {"fov": 30.0, "elevation": 18.0, "azimuth": -50.0}
#: A forward spectrometer (LHCb) is seen from the side, the beam running left to right.
CAMERA_FORWARD = {"fov": 30.0, "elevation": 15.0, "azimuth": -20.0}


def default_view(detector: Any | None) -> str:
    """The view a detector is best shown in first: the side view for a forward spectrometer."""
    return "rz" if getattr(detector, "forward", False) else "3d"


def make_camera(view: str, detector: Any | None) -> scene.cameras.BaseCamera:
    """Default camera for ``view`` framing ``detector`` (or a 3 m detector when None).

    See :mod:`collider_viz.scene.framing` for what each view frames.
    """
    if view == "3d":
        r, z = framing.frame_3d(detector)
        angles = CAMERA_FORWARD if getattr(detector, "forward", False) else CAMERA_3D
        scale = framing.fit_scale(framing.cylinder_points(r, z), angles["azimuth"],
                                  angles["elevation"], angles["fov"])
        return scene.TurntableCamera(up="+y", center=(0.0, 0.0, framing.frame_centre(detector)),
                                     scale_factor=scale, **angles)
    r, z0, z1 = framing.window_2d(detector)
    if view == "rphi":
        m = 1.05 * framing.rphi_radius(detector)
        return scene.PanZoomCamera(aspect=1.0, rect=(-m, -m, 2 * m, 2 * m))
    if view == "rz":
        mz, mr = 0.5 * (z1 - z0) * 1.05, 1.05 * r
        zc = 0.5 * (z0 + z1)
        return scene.PanZoomCamera(aspect=1.0, rect=(zc - mz, -mr, 2 * mz, 2 * mr))
    if view == "lego":
        return scene.TurntableCamera(fov=30.0, elevation=38.0, azimuth=-25.0, up="+z",
                                     center=(0.0, 0.0, 1.0), scale_factor=13.0)
    raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
