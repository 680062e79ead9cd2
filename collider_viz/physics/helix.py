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

from typing import TYPE_CHECKING, Any

import awkward as ak
import numpy as np

from collider_viz.physics.paths import Paths, pack_samples

if TYPE_CHECKING:  # re-exported lazily by __getattr__: trajectories imports this module
    from collider_viz.physics.trajectories import (
        calorimeter_impact,
        electron_paths,
        muon_paths,
        photon_paths,
    )

C_LIGHT = 0.299792458
"""Momentum per unit charge, field and radius: pT[GeV] = C_LIGHT * |q| * B[T] * R[m]."""
TWO_PI = 2.0 * np.pi
_TINY_CURVATURE = 1e-20  # stands in for 0: exact straight lines without a 0/0


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
    return pack_samples(pos, plen)


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


_TRAJECTORIES = frozenset({"calorimeter_impact", "electron_paths", "muon_paths", "photon_paths"})

__all__ = ["C_LIGHT", "Paths", "TWO_PI", "calorimeter_impact", "curvature", "electron_paths",
           "exit_length", "helix_exit_point", "helix_paths", "helix_positions", "helix_radius",
           "muon_paths", "photon_paths", "straight_paths"]


def __getattr__(name: str) -> Any:
    """Detector-aware trajectories live in :mod:`collider_viz.physics.trajectories`.

    They are loaded on first use, so that either module may be imported first.
    """
    if name in _TRAJECTORIES:
        from collider_viz.physics import trajectories

        return getattr(trajectories, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """Module attributes, the lazily loaded trajectories included."""
    return sorted(set(globals()) | _TRAJECTORIES)
