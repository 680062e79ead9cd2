"""Detector-aware trajectories: photons, electrons and muons from the vertex to their detector.

Built on the helix primitives of :mod:`collider_viz.physics.helix` (which
re-exports every public name here): photons fly straight to the ECAL front
face, electrons curve to it, muons cross the solenoid and the return yoke.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from collider_viz.physics.detector import Detector
from collider_viz.physics.helix import (
    _barrel_length,
    _endcap_length,
    _sampled,
    _tracks,
    curvature,
    helix_paths,
    helix_positions,
)
from collider_viz.physics.paths import Paths, pack_samples

__all__ = ["calorimeter_impact", "electron_paths", "muon_paths", "photon_paths"]


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


def _solenoid_exit(args: tuple, det: Detector) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Length in the solenoid, and masks: left through the coil / through its end."""
    pt, eta, phi, q, vx, vy, vz = args
    kappa = curvature(pt, q, det.field_t)
    barrel, _ = _barrel_length(kappa, phi, vx, vy, det.solenoid_radius)
    endcap = _endcap_length(eta, vz, det.solenoid_half_length)
    with np.errstate(divide="ignore"):
        turn = np.pi / np.abs(kappa)
    stop = np.minimum(np.minimum(barrel, endcap), turn)
    return stop, barrel <= np.minimum(endcap, turn), endcap < np.minimum(barrel, turn)


def _yoke_length(args: tuple, field: np.ndarray, det: Detector) -> np.ndarray:
    """Length outside the solenoid: to the last muon station, or to the outermost point."""
    pt, eta, phi, q, vx, vy, vz = args
    kappa = curvature(pt, q, field)
    barrel, apex = _barrel_length(kappa, phi, vx, vy, det.muon_radius_max)
    endcap = _endcap_length(eta, vz, det.muon_endcap_z_max)
    return np.minimum(np.minimum(barrel, apex), endcap)


def muon_paths(pt: Any, eta: Any, phi: Any, charge: Any, vx: Any, vy: Any, vz: Any,
               detector: Detector, n_points: int = 48) -> Paths:
    """Muon trajectories through the solenoid and the return yoke to the last station.

    Inside ``solenoid_radius`` the helix turns in ``field_t``; muons leaving
    through the coil continue in ``return_field_t`` (opposite sign, so they bend
    back) up to ``muon_radius_max`` / ``muon_endcap_z_max``, or stop at their
    outermost point if they cannot get there (they range out in the steel).
    Muons leaving through the end of the solenoid continue straight; loopers
    stop after half a turn.  Detectors without a yoke (``return_field_t`` None)
    get one helix in ``field_t`` out to the muon radius.
    """
    det = detector
    if det.return_field_t is None:
        return helix_paths(pt, eta, phi, charge, vx, vy, vz, field_t=det.field_t,
                           r_max=det.muon_radius_max, z_max=det.muon_endcap_z_max,
                           n_points=n_points)
    args = _tracks(pt, eta, phi, charge, vx, vy, vz)
    pt_a, eta_a, phi_a, q = args[:4]
    n_in = max(n_points // 2, 2)
    n_out = max(n_points - n_in, 1)
    stop, via_coil, via_end = _solenoid_exit(args, det)
    pos1, plen1 = _sampled(*args, det.field_t, stop, np.linspace(0.0, 1.0, n_in))
    phi_out = phi_a - curvature(pt_a, q, det.field_t) * stop
    start = helix_positions(*args, stop, field_t=det.field_t)
    outer = (pt_a, eta_a, phi_out, q, start[:, 0], start[:, 1], start[:, 2])
    field = np.where(via_coil, det.return_field_t, 0.0)
    span = np.where(via_coil | via_end, _yoke_length(outer, field, det), 0.0)
    pos2, plen2 = _sampled(*outer, field, span, np.arange(1, n_out + 1) / n_out)
    keep = np.ones((len(stop), n_in + n_out), dtype=bool)
    keep[:, n_in:] = (span > 0)[:, None]
    pos = np.concatenate([pos1, pos2], axis=1)
    plen = np.concatenate([plen1, plen2 + plen1[:, -1:]], axis=1)
    return pack_samples(pos, plen, keep)
