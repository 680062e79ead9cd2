"""Charged-particle helices and straight lines in a solenoid, vectorised over tracks.

Conventions
-----------
A track starts at its reference point ``v = (vx, vy, vz)`` (metres) with
transverse direction ``phi`` and ``pz / pT = sinh(eta)``.  It is parametrised
by its *transverse* arc length ``L`` (metres).  In a uniform field ``Bz`` a
particle of charge ``q`` has the signed curvature::

    kappa = 0.299792458 * q * Bz / pT        [1/m],   R = 1 / |kappa|

and its direction turns as ``phi(L) = phi0 - kappa * L``: a positive charge in
a positive field bends clockwise seen from +z.  The position is the chord
form, exact for any curvature and smooth as ``kappa -> 0`` (straight line)::

    x = vx + L sinc(kappa L / 2) cos(phi0 - kappa L / 2)
    y = vy + L sinc(kappa L / 2) sin(phi0 - kappa L / 2)
    z = vz + L sinh(eta)

The turning angle is ``alpha = |kappa| L`` and the 3D path length ``L cosh(eta)``.
Exits through the cylinder ``r = r_max`` are solved analytically from the
circle geometry; ``|z| = z_max`` is a plane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.physics.detector import Detector

C_LIGHT = 0.299792458
"""Momentum per unit charge, field and radius: pT[GeV] = C_LIGHT * |q| * B[T] * R[m]."""
TWO_PI = 2.0 * np.pi
_TINY_CURVATURE = 1e-20  # stands in for 0: exact straight lines without a 0/0


@dataclass(frozen=True)
class Paths:
    """Many polylines in one array, ready for one vispy ``Line`` visual.

    Attributes
    ----------
    points : np.ndarray
        ``(N, 3)`` float32 vertices in metres, all paths back to back.
    offsets : np.ndarray
        ``(n + 1,)`` int64; path ``i`` is ``points[offsets[i]:offsets[i + 1]]``.
    path_length : np.ndarray
        ``(N,)`` float32 3D arc length from the path's start, metres.
    """

    points: np.ndarray
    offsets: np.ndarray
    path_length: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def counts(self) -> np.ndarray:
        """Number of vertices of each path."""
        return np.diff(self.offsets)

    def connect(self) -> np.ndarray:
        """Length-N bool mask, False at each path's last vertex (vispy ``connect``)."""
        mask = np.ones(len(self.points), dtype=bool)
        ends = self.offsets[1:][self.counts() > 0] - 1
        mask[ends] = False
        return mask

    def path(self, i: int) -> np.ndarray:
        """The ``(m, 3)`` vertices of path ``i``."""
        return self.points[self.offsets[i]:self.offsets[i + 1]]

    def end_points(self) -> np.ndarray:
        """``(n, 3)`` last vertex of every path (NaN for empty paths)."""
        out = np.full((len(self), 3), np.nan, dtype=np.float32)
        filled = self.counts() > 0
        out[filled] = self.points[self.offsets[1:][filled] - 1]
        return out


def _flat(x: Any, n: int | None = None) -> np.ndarray:
    """Float64 numpy view of a flat array-like (awkward allowed); None means zeros."""
    if x is None:
        return np.zeros(0 if n is None else n)
    if isinstance(x, ak.Array):
        x = ak.to_numpy(ak.fill_none(x, 0.0))
    arr = np.asarray(x, dtype=np.float64)
    return arr if n is None else np.broadcast_to(arr, (n,)).copy()


def _tracks(pt: Any, eta: Any, phi: Any, charge: Any, vx: Any, vy: Any, vz: Any) -> tuple:
    """Convert track inputs to equal-length float64 arrays (pt, eta, phi, q, vx, vy, vz)."""
    eta_a = np.atleast_1d(_flat(eta))
    n = len(eta_a)
    return (_flat(pt, n), eta_a, _flat(phi, n), _flat(charge, n), _flat(vx, n),
            _flat(vy, n), _flat(vz, n))


def curvature(pt: Any, charge: Any, field_t: Any) -> np.ndarray:
    """Signed curvature ``kappa = C_LIGHT * q * Bz / pT`` in 1/m (0 for neutral or B = 0).

    ``pT <= 0`` of a charged track gives an infinite curvature (its points become NaN).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return C_LIGHT * _flat(charge) * _flat(field_t) / _flat(pt)


def helix_radius(pt: Any, charge: Any, field_t: Any) -> np.ndarray:
    """Transverse radius ``R = pT / (C_LIGHT |q| |B|)`` in metres (inf when straight)."""
    with np.errstate(divide="ignore"):
        return 1.0 / np.abs(curvature(pt, charge, field_t))


def helix_positions(pt: Any, eta: Any, phi: Any, charge: Any, vx: Any, vy: Any, vz: Any,
                    length: Any, *, field_t: Any, dtype: Any = np.float64) -> np.ndarray:
    """Positions at transverse arc length(s) ``length``.

    Parameters
    ----------
    pt, eta, phi, charge, vx, vy, vz : array-like, shape (n,)
        Track parameters (GeV, rad, e, m).
    length : array-like, shape (n,) or (n, m)
        Transverse arc length(s) from the vertex in metres.
    field_t : float or array-like
        Bz in tesla.
    dtype : numpy dtype, optional
        Precision of the sampled part (float32 is about twice as fast).

    Returns
    -------
    np.ndarray
        ``length.shape + (3,)`` positions in metres.
    """
    pt, eta, phi, q, vx, vy, vz = _tracks(pt, eta, phi, charge, vx, vy, vz)
    kappa = curvature(pt, q, _flat(field_t, len(pt)))
    kappa = np.where(kappa == 0, _TINY_CURVATURE, kappa)  # sin(k L / 2) * 2 / k == L exactly
    length = np.asarray(length, dtype=dtype)
    ex = (slice(None),) + (None,) * (length.ndim - 1)
    half = (0.5 * kappa).astype(dtype)[ex] * length
    chord = np.sin(half)
    chord *= (2.0 / kappa).astype(dtype)[ex]
    direction = phi.astype(dtype)[ex] - half
    out = np.empty(length.shape + (3,), dtype=dtype)
    for axis, (trig, start) in enumerate(((np.cos, vx), (np.sin, vy))):
        col = trig(direction)
        col *= chord
        col += start.astype(dtype)[ex]
        out[..., axis] = col
    out[..., 2] = vz.astype(dtype)[ex] + length * np.sinh(eta).astype(dtype)[ex]
    return out


def _circle(kappa: np.ndarray, phi: np.ndarray, vx: np.ndarray, vy: np.ndarray) -> tuple:
    """Radius R, centre distance d, d - R (stable) and start angle e of each helix circle.

    ``e`` is the turning angle at which the distance from the z axis is largest
    (mod 2 pi); the squared distance is ``d² + R² + 2 R d cos(alpha - e)``.
    """
    inv = 1.0 / kappa
    sx, sy = inv * np.sin(phi), -inv * np.cos(phi)  # centre - vertex
    cx, cy = vx + sx, vy + sy
    radius = np.abs(inv)
    dist = np.hypot(cx, cy)
    d_minus_r = (vx * vx + vy * vy + 2.0 * (vx * sx + vy * sy)) / (dist + radius)
    delta0 = np.arctan2(-cx * sy + cy * sx, -cx * sx - cy * sy)
    return radius, dist, d_minus_r, np.sign(kappa) * delta0


def _barrel_length(kappa: np.ndarray, phi: np.ndarray, vx: np.ndarray, vy: np.ndarray,
                   r_max: float) -> tuple[np.ndarray, np.ndarray]:
    """Transverse length to the first crossing of ``r = r_max`` (inf if never) and to the apex."""
    with np.errstate(all="ignore"):
        radius, dist, d_minus_r, e = _circle(kappa, phi, vx, vy)
        one_plus_k = (r_max * r_max - d_minus_r * d_minus_r) / (2.0 * radius * dist)
        b = 2.0 * np.arcsin(np.sqrt(0.5 * one_plus_k))  # pi - arccos(K), stable near K = -1
        a = np.pi - b
        alpha = np.minimum(np.mod(e - a, TWO_PI), np.mod(e + a, TWO_PI))
        curved = np.where(np.isnan(alpha), np.inf, radius * alpha)
        apex = radius * np.mod(e, TWO_PI)
        ux, uy = np.cos(phi), np.sin(phi)
        proj = vx * ux + vy * uy
        disc = proj * proj - (vx * vx + vy * vy) + r_max * r_max
        straight = np.where(disc >= 0, -proj + np.sqrt(np.maximum(disc, 0.0)), np.inf)
    neutral = kappa == 0
    return np.where(neutral, straight, curved), np.where(neutral, np.inf, apex)


def _endcap_length(eta: np.ndarray, vz: np.ndarray, z_max: float) -> np.ndarray:
    """Transverse length to the plane ``|z| = z_max`` (inf for eta = 0)."""
    slope = np.sinh(eta)
    with np.errstate(divide="ignore", invalid="ignore"):
        length = (np.copysign(z_max, slope) - vz) / slope
    return np.where(slope == 0, np.inf, np.maximum(length, 0.0))


def exit_length(pt: Any, eta: Any, phi: Any, charge: Any, vx: Any, vy: Any, vz: Any, *,
                field_t: Any, r_max: float, z_max: float, max_turn: float = np.pi) -> np.ndarray:
    """Transverse arc length where each track leaves the cylinder (r_max, z_max).

    Tracks that never reach ``r_max`` (loopers) stop after a turning angle of
    ``max_turn`` radians (also the limit for any track).

    Returns
    -------
    np.ndarray
        ``(n,)`` lengths in metres.
    """
    pt, eta, phi, q, vx, vy, vz = _tracks(pt, eta, phi, charge, vx, vy, vz)
    kappa = curvature(pt, q, _flat(field_t, len(pt)))
    barrel, _ = _barrel_length(kappa, phi, vx, vy, r_max)
    with np.errstate(divide="ignore"):
        turn = max_turn / np.abs(kappa)
    return np.minimum(np.minimum(barrel, _endcap_length(eta, vz, z_max)), turn)


def _sampled(pt, eta, phi, q, vx, vy, vz, field, span, t) -> tuple:
    """Float32 positions (n, m, 3) and 3D path lengths (n, m) at ``span * t``."""
    length = span.astype(np.float32)[:, None] * t.astype(np.float32)[None, :]
    pos = helix_positions(pt, eta, phi, q, vx, vy, vz, length, field_t=field, dtype=np.float32)
    return pos, length * np.cosh(eta).astype(np.float32)[:, None]


def _pack(pos: np.ndarray, path_length: np.ndarray, keep: np.ndarray | None = None) -> Paths:
    """Flatten (n, m, 3) samples (optionally masked per sample) into a :class:`Paths`."""
    if keep is None:
        keep = np.ones(pos.shape[:2], dtype=bool)
    offsets = np.zeros(pos.shape[0] + 1, dtype=np.int64)
    np.cumsum(keep.sum(axis=1), out=offsets[1:])
    if keep.all():
        pts, plen = pos.reshape(-1, 3), path_length.reshape(-1)
    else:
        pts, plen = pos[keep], path_length[keep]
    return Paths(pts.astype(np.float32, copy=False), offsets, plen.astype(np.float32, copy=False))


def helix_paths(pt: Any, eta: Any, phi: Any, charge: Any, vx: Any, vy: Any, vz: Any, *,
                field_t: float, r_max: float, z_max: float, n_points: int = 48,
                max_turn: float = np.pi) -> Paths:
    """Helices from each vertex to the cylinder (r_max, z_max), n_points each.

    Neutral tracks (or ``field_t == 0``) give straight lines.  ``vx, vy, vz``
    may be None (origin) or scalars.  See :func:`exit_length` for loopers.
    """
    args = _tracks(pt, eta, phi, charge, vx, vy, vz)
    field = _flat(field_t, len(args[0]))
    stop = exit_length(*args, field_t=field, r_max=r_max, z_max=z_max, max_turn=max_turn)
    t = np.linspace(0.0, 1.0, n_points)
    pos, plen = _sampled(*args, field, stop, t)
    return _pack(pos, plen)


def helix_exit_point(pt: Any, eta: Any, phi: Any, charge: Any, vx: Any, vy: Any, vz: Any, *,
                     field_t: float, r_max: float, z_max: float,
                     max_turn: float = np.pi) -> np.ndarray:
    """``(n, 3)`` float64 end point of each helix at the cylinder (r_max, z_max)."""
    args = _tracks(pt, eta, phi, charge, vx, vy, vz)
    stop = exit_length(*args, field_t=field_t, r_max=r_max, z_max=z_max, max_turn=max_turn)
    return helix_positions(*args, stop, field_t=field_t)


def straight_paths(eta: Any, phi: Any, vx: Any, vy: Any, vz: Any, *, r_max: float,
                   z_max: float, n_points: int = 2) -> Paths:
    """Straight lines (photons) from each vertex to the cylinder (r_max, z_max)."""
    eta_a = np.atleast_1d(_flat(eta))
    ones = np.ones_like(eta_a)
    return helix_paths(ones, eta_a, phi, 0.0 * ones, vx, vy, vz, field_t=0.0,
                       r_max=r_max, z_max=z_max, n_points=n_points)


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
    return _pack(pos, plen)


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
    return _pack(pos, plen, keep)
