"""Detector-aware trajectories: photons, electrons and muons from the vertex to their detector.

Built on the helix primitives of :mod:`collider_viz.physics.helix` (which
re-exports every public name here): photons fly straight to the ECAL front
face, electrons curve to it, muons are stepped through the detector's field
regions (:mod:`collider_viz.physics.field`) to the last muon station.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from collider_viz.physics.detector import Detector
from collider_viz.physics.helix import (
    _barrel_length,
    _endcap_length,
    _tracks,
    helix_paths,
    helix_positions,
)
from collider_viz.physics.paths import Paths, pack_samples
from collider_viz.physics.stepping import Bounds, step_paths

__all__ = ["calorimeter_impact", "electron_paths", "muon_bounds", "muon_paths", "photon_paths"]


def calorimeter_impact(eta: Any, phi: Any, detector: Detector, vx: Any = 0.0, vy: Any = 0.0,
                       vz: Any = 0.0) -> np.ndarray:
    """``(n, 3)`` points on the ECAL front face hit by straight lines from the vertex.

    The barrel cylinder ``r = ecal_radius`` is used for ``|eta| < ecal_barrel_eta``,
    the endcap plane ``|z| = ecal_endcap_z`` otherwise.
    """
    args = _tracks(1.0, eta, phi, 0.0, vx, vy, vz)
    _, eta_a, phi_a, q, vx_a, vy_a, vz_a = args
    barrel, _ = _barrel_length(q, phi_a, vx_a, vy_a, detector.ecal_radius)
    endcap = _endcap_length(eta_a, vz_a, detector.ecal_endcap_z)
    length = np.where(np.abs(eta_a) < detector.ecal_barrel_eta, barrel, endcap)
    return helix_positions(*args, length, field_t=0.0)


def photon_paths(eta: Any, phi: Any, detector: Detector, vx: Any = 0.0, vy: Any = 0.0,
                 vz: Any = 0.0) -> Paths:
    """Two-point lines from the vertex to :func:`calorimeter_impact`."""
    args = _tracks(1.0, eta, phi, 0.0, vx, vy, vz)
    end = calorimeter_impact(eta, phi, detector, vx, vy, vz)
    start = np.stack(args[4:], axis=-1)
    pos = np.stack([start, end], axis=1)
    plen = np.stack([np.zeros(len(end)), np.linalg.norm(end - start, axis=-1)], axis=1)
    return pack_samples(pos, plen)


def electron_paths(pt: Any, eta: Any, phi: Any, charge: Any, vx: Any, vy: Any, vz: Any,
                   detector: Detector, n_points: int = 48) -> Paths:
    """Helices from the vertex to the ECAL front (cylinder ecal_radius, plane ecal_endcap_z)."""
    return helix_paths(pt, eta, phi, charge, vx, vy, vz, field_t=detector.field_t,
                       r_max=detector.ecal_radius, z_max=detector.ecal_endcap_z,
                       n_points=n_points)


def muon_bounds(detector: Detector) -> Bounds:
    """Where muon paths end: the last muon station (barrel radius, endcap |z|).

    A forward spectrometer (``detector.forward``) ends at ``+muon_endcap_z_max``
    and a little behind the interaction point.
    """
    z_hi = detector.muon_endcap_z_max
    z_lo = -1.0 if detector.forward else -z_hi
    return Bounds(r_max=detector.muon_radius_max, z_lo=z_lo, z_hi=z_hi)


def muon_paths(pt: Any, eta: Any, phi: Any, charge: Any, vx: Any, vy: Any, vz: Any,
               detector: Detector, n_points: int = 48) -> Paths:
    """Muon trajectories stepped through the detector's field regions to the last station.

    Each muon starts at its vertex with momentum ``pT cosh(eta)`` along
    (eta, phi) and is stepped (:func:`collider_viz.physics.stepping.step_paths`)
    through ``detector.field_map``: exact helix pieces in the solenoid, the
    coil, the yoke's steel layers (CMS: zero field in the gaps that hold the
    chambers), toroids or dipoles, losing the energy the regions' material
    takes.  A path ends at ``muon_radius_max`` / ``muon_endcap_z_max``, or
    where the muon ranges out in the steel.  ``n_points`` is kept for the
    callers of the former two-piece model; the vertex spacing is 8 cm.
    """
    del n_points  # the stepper's own spacing
    pt_a, eta_a, phi_a, q, vx_a, vy_a, vz_a = _tracks(pt, eta, phi, charge, vx, vy, vz)
    start = np.stack([vx_a, vy_a, vz_a], axis=-1)
    sin_t = 1.0 / np.cosh(eta_a)
    direction = np.stack([sin_t * np.cos(phi_a), sin_t * np.sin(phi_a), np.tanh(eta_a)], -1)
    with np.errstate(invalid="ignore", over="ignore"):
        p = np.abs(pt_a) * np.cosh(eta_a)
    return step_paths(start, direction, p, q, detector.field_map, muon_bounds(detector))
