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
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.physics import helix

TWO_PI = 2.0 * np.pi

#: Vertex counts a track may get (48: a half turn; the larger ones are for loopers).
BUCKETS: tuple[int, ...] = (4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
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
                     r_max: float, z_max: float, max_turn: float = np.pi) -> TrackGeometry:
    """Helices from each vertex to the cylinder (r_max, z_max) with adaptive vertex counts.

    Parameters
    ----------
    pt, eta, phi, charge, vx, vy, vz : np.ndarray
        (n,) finite track parameters (GeV, rad, e, m).
    field_t, r_max, z_max : float
        Solenoid field (T) and the cylinder the tracks stop at (m).
    max_turn : float
        Largest turning angle drawn (radians): loopers stop there.

    Returns
    -------
    TrackGeometry
        Every track's polyline, in the order of the input.
    """
    args = [np.asarray(a, dtype=np.float64) for a in (pt, eta, phi, charge, vx, vy, vz)]
    angle = turning_angle(args[0], args[1], args[3], *args[4:], field_t=field_t,
                          r_max=r_max, z_max=z_max, max_turn=max_turn)
    counts = vertex_counts(angle).astype(np.int64)
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    points = np.empty((int(offsets[-1]), 3), dtype=np.float32)
    for n in np.unique(counts):
        idx = np.flatnonzero(counts == n)
        paths = helix.helix_paths(*(a[idx] for a in args), field_t=field_t, r_max=r_max,
                                  z_max=z_max, n_points=int(n), max_turn=max_turn)
        rows = offsets[idx][:, None] + np.arange(n)[None, :]
        points[rows.ravel()] = paths.points
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    return TrackGeometry(points, offsets, owner)


def track_geometry(pt: np.ndarray, eta: np.ndarray, phi: np.ndarray, charge: np.ndarray,
                   vx: np.ndarray, vy: np.ndarray, vz: np.ndarray, detector: Any) -> TrackGeometry:
    """Computed tracks of ``detector``: exact helices to its track end surface.

    Tracks end where the experiment's display ends them
    (``detector.track_end_radius`` / ``track_end_z``: CMS's calorimeter
    face); loopers, which never get there, go on turning until they leave
    ``|z| = track_end_z`` or have made ``detector.max_turns`` turns.  A
    forward spectrometer's tracks (LHCb: no solenoid, a dipole) are stepped
    through its field regions instead, to the end of its tracker.
    """
    if getattr(detector, "forward", False):
        return _stepped(pt, eta, phi, charge, vx, vy, vz, detector)
    return adaptive_helices(pt, eta, phi, charge, vx, vy, vz, field_t=detector.field_t,
                            r_max=detector.track_end_radius, z_max=detector.track_end_z,
                            max_turn=TWO_PI * detector.max_turns)


def looper_mask(pt: np.ndarray, charge: np.ndarray, vx: np.ndarray, vy: np.ndarray,
                detector: Any, eta: np.ndarray | None = None,
                vz: np.ndarray | float = 0.0) -> np.ndarray:
    """Charged tracks whose helix circle never reaches ``detector.track_end_radius``.

    With ``eta`` (and ``vz``): only those loopers that the ``max_turns`` cap
    stops before they leave ``|z| = track_end_z`` (the ones the picture cuts).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        radius = np.abs(np.asarray(pt) / (helix.C_LIGHT * np.asarray(charge) * detector.field_t))
    reach = 2.0 * radius + np.hypot(vx, vy)
    loops = (np.asarray(charge) != 0) & np.isfinite(radius) & (reach < detector.track_end_radius)
    if eta is None:
        return loops
    slope = np.abs(np.sinh(np.asarray(eta, dtype=np.float64)))
    to_plane = detector.track_end_z - np.sign(np.asarray(eta)) * np.asarray(vz)
    with np.errstate(divide="ignore", invalid="ignore"):
        turns = to_plane / (TWO_PI * radius * slope)
    return loops & ~(turns <= detector.max_turns)


def recorded_paths(array: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """The experiment's own trajectory points of a collection, if it has them.

    Returns
    -------
    (points, counts) or None
        ``(N, 3)`` float32 points of all objects back to back (metres) and
        ``(n,)`` points per object (0 where an object has a non-finite point);
        None when the collection has no ``path_x``/``path_y``/``path_z``.
    """
    if array is None or not all(k in ak.fields(array) for k in ("path_x", "path_y", "path_z")):
        return None
    cols = [ak.fill_none(array[k], np.nan, axis=-1) for k in ("path_x", "path_y", "path_z")]
    counts = ak.to_numpy(ak.fill_none(ak.num(cols[0], axis=1), 0)).astype(np.int64)
    points = np.stack([ak.to_numpy(ak.flatten(c, axis=None)).astype(np.float64) for c in cols],
                      axis=1)
    owner = np.repeat(np.arange(len(counts)), counts)
    bad = np.bincount(owner[~np.isfinite(points).all(axis=1)], minlength=len(counts)) > 0
    keep = ~bad[owner]
    counts = np.where(bad, 0, counts)
    return points[keep].astype(np.float32), counts


def with_recorded(geometry: TrackGeometry, recorded: tuple[np.ndarray, np.ndarray] | None
                  ) -> tuple[TrackGeometry, np.ndarray]:
    """``geometry`` with each object that has >= 2 recorded points drawn through them.

    Returns
    -------
    (TrackGeometry, np.ndarray)
        The merged polylines in object order and the bool mask of the objects
        drawn from their recorded points.
    """
    n = len(geometry.offsets) - 1
    if recorded is None or len(recorded[1]) != n:
        return geometry, np.zeros(n, bool)
    points, rec_counts = recorded
    use = rec_counts >= 2
    if not use.any():
        return geometry, use
    helix_counts = np.diff(geometry.offsets)
    counts = np.where(use, rec_counts, helix_counts)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    owner = np.repeat(np.arange(n, dtype=np.int64), counts)
    out = np.empty((int(offsets[-1]), 3), dtype=np.float32)
    from_rec = use[owner]
    rec_owner = np.repeat(np.arange(n), rec_counts)
    out[from_rec] = points[use[rec_owner]]
    out[~from_rec] = geometry.points[~use[geometry.owner]]
    return TrackGeometry(out, offsets, owner), use


def _stepped(pt: np.ndarray, eta: np.ndarray, phi: np.ndarray, charge: np.ndarray,
             vx: np.ndarray, vy: np.ndarray, vz: np.ndarray, detector: Any) -> TrackGeometry:
    """Tracks stepped through ``detector.field_map`` to its tracker (pion mass, no loss)."""
    from collider_viz.physics.stepping import Bounds, step_paths

    eta = np.asarray(eta, dtype=np.float64)
    phi = np.asarray(phi, dtype=np.float64)
    sin_t = 1.0 / np.cosh(eta)
    direction = np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), np.tanh(eta)], axis=-1)
    start = np.stack([np.asarray(v, dtype=np.float64) for v in (vx, vy, vz)], axis=-1)
    bounds = Bounds(r_max=detector.track_end_radius, z_lo=-1.0, z_hi=detector.track_end_z,
                    max_length=2.0 * detector.track_end_z + 2.0)
    paths = step_paths(start, direction, np.abs(pt) * np.cosh(eta), charge, detector.field_map,
                       bounds, mass=0.13957)
    owner = np.repeat(np.arange(len(paths), dtype=np.int64), paths.counts())
    return TrackGeometry(paths.points, np.asarray(paths.offsets), owner)
