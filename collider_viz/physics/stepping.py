"""Charged particles stepped through a :class:`~collider_viz.physics.field.FieldMap`.

Every step is an exact helix piece in the field found at the step's midpoint,
so inside a uniform region (a solenoid, one yoke layer, the LHCb dipole) the
path is exact whatever the step; only the step that crosses a region
boundary mixes the two fields (its error is of order the step, 4 cm).  Along
the way the momentum falls by the region's ``dedx_gev_per_m`` (muons lose
about 1-2 GeV in CMS's calorimeters and as much again in its yoke, which
bends a 10 GeV muon visibly more).  Vectorised over particles.

For a unit direction ``d``, field direction ``b`` and curvature
``k = C_LIGHT q |B| / p`` a step of length ``s`` is::

    d(s) = d_par + d_perp cos(ks) + (d x b) sin(ks)
    x(s) = x + d_par s + d_perp sin(ks) / k + (d x b) (1 - cos(ks)) / k

(a positive charge in +Bz turns clockwise seen from +z, as in
:mod:`collider_viz.physics.helix`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from collider_viz.physics.field import FieldMap
from collider_viz.physics.paths import Paths

C_LIGHT = 0.299792458
MUON_MASS = 0.1056583755  # GeV, PDG
#: Default step (m) and how many steps apart the recorded vertices are.
STEP_M = 0.04
RECORD_EVERY = 2


@dataclass(frozen=True)
class Bounds:
    """Where stepping stops: outside ``r < r_max`` and ``z_lo < z < z_hi`` (metres)."""

    r_max: float
    z_lo: float
    z_hi: float
    max_length: float = 40.0
    p_min: float = 0.25


def helix_step(pos: np.ndarray, d: np.ndarray, field: np.ndarray, charge: np.ndarray,
               p: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact helix step of length ``s`` in a uniform ``field`` (all rows (n, 3) / (n,))."""
    bmag = np.linalg.norm(field, axis=1)
    b = np.divide(field, bmag[:, None], out=np.zeros_like(field), where=bmag[:, None] > 0)
    k = C_LIGHT * charge * bmag / p
    along = np.sum(d * b, axis=1)[:, None] * b
    perp = d - along
    cross = np.cross(d, b)
    ks = k * s
    sin_term = s * np.sinc(ks / np.pi)                            # sin(ks) / k
    cos_term = s * np.sin(0.5 * ks) * np.sinc(0.5 * ks / np.pi)   # (1 - cos(ks)) / k
    new_pos = pos + along * s + perp * sin_term[:, None] + cross * cos_term[:, None]
    new_d = along + perp * np.cos(ks)[:, None] + cross * np.sin(ks)[:, None]
    new_d /= np.linalg.norm(new_d, axis=1, keepdims=True)
    return new_pos, new_d


def _inside(pos: np.ndarray, bounds: Bounds) -> np.ndarray:
    r = np.hypot(pos[:, 0], pos[:, 1])
    return (r < bounds.r_max) & (pos[:, 2] > bounds.z_lo) & (pos[:, 2] < bounds.z_hi)


def step_paths(start: np.ndarray, direction: np.ndarray, p: np.ndarray, charge: np.ndarray,
               field_map: FieldMap, bounds: Bounds, *, step: float = STEP_M,
               record_every: int = RECORD_EVERY, mass: float = MUON_MASS) -> Paths:
    """Paths of particles stepped from ``start`` until they leave ``bounds`` or range out.

    Parameters
    ----------
    start, direction : np.ndarray
        ``(n, 3)`` start points (m) and momentum directions.
    p, charge : np.ndarray
        ``(n,)`` momenta (GeV) and charges (e).
    field_map : FieldMap
        The detector's field and energy loss.
    bounds : Bounds
        Where the paths end.
    step, record_every : float, int
        Step length (m); every ``record_every``-th point is kept (and the last).
    mass : float
        Particle mass for the energy loss (GeV).

    Returns
    -------
    Paths
        One path per particle, float32, with 3D path lengths.
    """
    pos = np.asarray(start, dtype=np.float64).reshape(-1, 3).copy()
    d = np.asarray(direction, dtype=np.float64).reshape(-1, 3)
    d = d / np.linalg.norm(d, axis=1, keepdims=True)
    energy = np.hypot(np.asarray(p, dtype=np.float64), mass)
    q = np.asarray(charge, dtype=np.float64)
    n = len(pos)
    rows: list[list[np.ndarray]] = [[pos[i].copy()] for i in range(n)]
    lengths: list[list[float]] = [[0.0] for _ in range(n)]
    alive = np.flatnonzero(_inside(pos, bounds) & np.isfinite(energy))
    travelled = 0.0
    count = 0
    while len(alive) and travelled < bounds.max_length:
        mom = np.sqrt(np.maximum(energy[alive] ** 2 - mass * mass, 1e-12))
        mid = pos[alive] + 0.5 * step * d[alive]
        where = field_map.region_index(mid)
        new_pos, new_d = helix_step(pos[alive], d[alive], field_map.field(mid, where), q[alive],
                                    mom, step)
        pos[alive], d[alive] = new_pos, new_d
        energy[alive] -= field_map.dedx(mid, where) * step
        travelled += step
        count += 1
        mom = np.sqrt(np.maximum(energy[alive] ** 2 - mass * mass, 0.0))
        done = ~_inside(new_pos, bounds) | (mom < bounds.p_min)
        if count % record_every == 0 or done.any():
            for j in np.flatnonzero(done | (count % record_every == 0)):
                rows[alive[j]].append(new_pos[j].copy())
                lengths[alive[j]].append(travelled)
        alive = alive[~done]
    return _pack(rows, lengths)


def _pack(rows: list[list[np.ndarray]], lengths: list[list[float]]) -> Paths:
    counts = np.array([len(r) for r in rows], dtype=np.int64)
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    points = np.concatenate([np.asarray(r) for r in rows]) if rows else np.zeros((0, 3))
    plen = np.concatenate([np.asarray(x) for x in lengths]) if rows else np.zeros(0)
    return Paths(points.astype(np.float32), offsets, plen.astype(np.float32))
