"""The collision replay: tracks grow from the vertex, then the calorimeters light up.

Every particle moves at (nearly) the speed of light, so at time ``t`` all
tracks have travelled the same path length ``L = c t``. A frame at replay
fraction ``f`` draws each polyline only up to ``L = f_tracks · L_max``
(the last segment cut at exactly ``L``), then lets calorimeter deposits and
photon towers appear, most energetic first. ``f = 1`` is the still picture.

The functions here are pure numpy on the arrays a ``Line`` visual is fed
with: vertices and the vispy ``connect`` mask (False at the last vertex of
each polyline).
"""

from __future__ import annotations

import numpy as np

#: Fraction of the replay during which tracks grow; the calorimeter phase follows.
TRACK_PHASE = 0.7


def schedule(fraction: float) -> tuple[float, float]:
    """Split a replay fraction into (track growth, calorimeter reveal), each in [0, 1]."""
    f = float(np.clip(fraction, 0.0, 1.0))
    tracks = min(1.0, f / TRACK_PHASE)
    calo = 0.0 if f <= TRACK_PHASE else (f - TRACK_PHASE) / (1.0 - TRACK_PHASE)
    return tracks, min(1.0, calo)


def polyline_starts(connect: np.ndarray) -> np.ndarray:
    """Boolean mask of vertices that begin a polyline."""
    connect = np.asarray(connect, dtype=bool)
    starts = np.ones(len(connect), dtype=bool)
    starts[1:] = ~connect[:-1]
    return starts


def arc_lengths(points: np.ndarray, connect: np.ndarray) -> np.ndarray:
    """Path length of every vertex from the start of its polyline (same units as points).

    Equivalent to :attr:`collider_viz.physics.helix.Paths.path_length` for
    the vertices of :class:`~collider_viz.physics.helix.Paths`.
    """
    points = np.asarray(points, dtype=np.float64)
    if len(points) == 0:
        return np.zeros(0)
    seg = np.zeros(len(points))
    seg[1:] = np.linalg.norm(np.diff(points, axis=0), axis=1)
    seg[polyline_starts(connect)] = 0.0
    total = np.cumsum(seg)
    start_index = np.maximum.accumulate(np.where(polyline_starts(connect),
                                                 np.arange(len(points)), 0))
    return total - total[start_index]


def clip_polylines(points: np.ndarray, connect: np.ndarray, lengths: np.ndarray,
                   limit: float) -> tuple[np.ndarray, np.ndarray]:
    """Cut every polyline at path length ``limit``.

    Parameters
    ----------
    points : (N, 3) array
        Vertices of all polylines, back to back.
    connect : (N,) bool array
        vispy connect mask (False at each polyline's last vertex).
    lengths : (N,) array
        Path length of each vertex from its polyline's start (monotonic per polyline).
    limit : float
        Path length to draw up to.

    Returns
    -------
    points, connect : np.ndarray
        Vertices beyond ``limit`` moved onto the cut point; segments that
        start at or beyond ``limit`` switched off.
    """
    points = np.array(points, dtype=np.float32, copy=True)
    connect = np.asarray(connect, dtype=bool)
    lengths = np.asarray(lengths, dtype=np.float64)
    beyond = lengths > limit
    if not beyond.any():
        return points, connect.copy()
    prev = np.flatnonzero(beyond & ~polyline_starts(connect)) - 1
    prev = prev[~beyond[prev]]                      # last vertex before the cut, per polyline
    span = np.maximum(lengths[prev + 1] - lengths[prev], 1e-12)
    t = ((limit - lengths[prev]) / span)[:, None]
    cut = points[prev] + t.astype(np.float32) * (points[prev + 1] - points[prev])
    line = np.cumsum(polyline_starts(connect)) - 1   # polyline id of every vertex
    cut_of_line = np.full(line[-1] + 1, -1)
    cut_of_line[line[prev]] = np.arange(len(prev))
    fill = beyond & (cut_of_line[line] >= 0)
    points[fill] = cut[cut_of_line[line[fill]]]
    new_connect = connect & (lengths < limit)
    return points, new_connect


def reveal_threshold(values: np.ndarray, fraction: float, floor: float) -> float:
    """Threshold showing the most energetic ``fraction`` of ``values`` (at least ``floor``).

    ``fraction = 0`` hides everything (``inf``); ``fraction = 1`` gives ``floor``.
    """
    values = np.asarray(values, dtype=np.float64)
    values = np.sort(values[np.isfinite(values) & (values >= floor)])[::-1]
    if fraction >= 1.0 or len(values) == 0:
        return floor if fraction > 0 else np.inf
    n_show = int(np.floor(fraction * len(values)))
    return np.inf if n_show == 0 else float(values[n_show - 1])
