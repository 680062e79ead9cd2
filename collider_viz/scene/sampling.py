"""Adaptive helix sampling: as many vertices per track as its curvature needs.

A 0.5 GeV pion in the 0.5 T ALICE field turns by about 0.6 rad before it
leaves the TPC; a 20 GeV track by 0.03 rad.  Sampling every track with the
48 vertices a half-turn looper needs wastes three quarters of the vertices of
a central heavy-ion event (building, uploading and drawing them).  Here each
track gets ``n`` vertices from a few fixed sizes (:data:`BUCKETS`) so that one
segment turns by at most :data:`MAX_TURN_PER_SEGMENT`; each bucket is one
vectorised :func:`collider_viz.physics.helix.helix_paths` call, and the result
is put back in track order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from collider_viz.physics import helix

#: Vertex counts a track may get (the largest is the physics default).
BUCKETS: tuple[int, ...] = (4, 8, 12, 16, 24, 32, 48)
#: Largest turning angle of one segment, radians (π/47: a half-turn looper gets 48 vertices).
MAX_TURN_PER_SEGMENT = np.pi / 47


@dataclass(frozen=True)
class TrackGeometry:
    """Polylines of many tracks, back to back in track order.

    Attributes
    ----------
    points : np.ndarray
        (N, 3) float32 world vertices, metres.
    offsets : np.ndarray
        (n + 1,) int64; track ``i`` is ``points[offsets[i]:offsets[i + 1]]``.
    owner : np.ndarray
        (N,) int64 track index of every vertex.
    """

    points: np.ndarray
    offsets: np.ndarray
    owner: np.ndarray

    def connect(self) -> np.ndarray:
        """Length-N bool mask, False at each track's last vertex."""
        mask = np.ones(len(self.points), dtype=bool)
        counts = np.diff(self.offsets)
        mask[self.offsets[1:][counts > 0] - 1] = False
        return mask


def turning_angle(pt: np.ndarray, eta: np.ndarray, charge: np.ndarray, vx: np.ndarray,
                  vy: np.ndarray, vz: np.ndarray, *, field_t: float, r_max: float,
                  z_max: float, max_turn: float = np.pi) -> np.ndarray:
    """Upper bound of the angle each track turns through inside the cylinder (r_max, z_max)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.abs(helix.C_LIGHT * charge * field_t / pt)
        chord = r_max + np.hypot(vx, vy)
        to_barrel = 2.0 * np.arcsin(np.minimum(1.0, 0.5 * chord * kappa))
        to_barrel = np.where(0.5 * chord * kappa >= 1.0, max_turn, to_barrel)
        to_endcap = kappa * (z_max + np.abs(vz)) / np.abs(np.sinh(eta))
    angle = np.fmin(np.fmin(to_barrel, to_endcap), max_turn)
    return np.where(np.isfinite(angle), angle, max_turn)


def vertex_counts(angle: np.ndarray) -> np.ndarray:
    """Vertices per track: the smallest bucket keeping segments under the angle limit."""
    need = np.ceil(np.asarray(angle) / MAX_TURN_PER_SEGMENT) + 1
    buckets = np.asarray(BUCKETS)
    pick = np.searchsorted(buckets, need, side="left")
    return buckets[np.minimum(pick, len(buckets) - 1)]


def adaptive_helices(pt: np.ndarray, eta: np.ndarray, phi: np.ndarray, charge: np.ndarray,
                     vx: np.ndarray, vy: np.ndarray, vz: np.ndarray, *, field_t: float,
                     r_max: float, z_max: float) -> TrackGeometry:
    """Helices from each vertex to the cylinder (r_max, z_max) with adaptive vertex counts.

    Parameters
    ----------
    pt, eta, phi, charge, vx, vy, vz : np.ndarray
        (n,) finite track parameters (GeV, rad, e, m).
    field_t, r_max, z_max : float
        Solenoid field (T) and the cylinder the tracks stop at (m).

    Returns
    -------
    TrackGeometry
        Every track's polyline, in the order of the input.
    """
    args = [np.asarray(a, dtype=np.float64) for a in (pt, eta, phi, charge, vx, vy, vz)]
    angle = turning_angle(args[0], args[1], args[3], *args[4:], field_t=field_t,
                          r_max=r_max, z_max=z_max)
    counts = vertex_counts(angle).astype(np.int64)
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    points = np.empty((int(offsets[-1]), 3), dtype=np.float32)
    for n in np.unique(counts):
        idx = np.flatnonzero(counts == n)
        paths = helix.helix_paths(*(a[idx] for a in args), field_t=field_t, r_max=r_max,
                                  z_max=z_max, n_points=int(n))
        rows = offsets[idx][:, None] + np.arange(n)[None, :]
        points[rows.ravel()] = paths.points
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    return TrackGeometry(points, offsets, owner)
