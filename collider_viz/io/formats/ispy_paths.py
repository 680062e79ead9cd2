"""CMS's own trajectories in an iSpy event: associations -> ``path_x/_y/_z`` points.

iSpy links objects through ``Associations``: each entry is
``[[collection, row], [collection, row]]`` where ``collection`` is the position
of the collection in the event's ``Types`` (e.g. ``TrackExtras_V1`` links
``Tracks_V3`` rows to ``Extras_V1`` rows).  Three kinds of recorded trajectory
become paths (metres, ordered along the trajectory):

* ``Extras_V1`` (``pos_1``/``dir_1`` inner state, ``pos_2``/``dir_2`` outer
  state, for tracks, electrons and some muons): sampled as iSpy-WebGL draws it
  (``js/objects-draw.js``, ``makeTracks``), a cubic Bézier from ``pos_1`` to
  ``pos_2`` whose inner control points lie a quarter of the chord along the
  unit directions, at 33 points (``getPoints(32)``);
* ``Hits_V1`` (``Tracks_V2`` files): the inner state, the track's hits in
  association order, and the outer state where it lies beyond the last hit;
* ``Points_V1`` (global, tracker and stand-alone muons): CMS's propagation
  through the field map, in association order.
"""

from __future__ import annotations

from typing import Any

import awkward as ak
import numpy as np

#: points of a sampled Bézier (iSpy-WebGL's ``curve.getPoints(32)``)
N_BEZIER = 33
#: control points at this fraction of the chord (iSpy-WebGL's "fudge factor")
BEZIER_SCALE = 0.25
_T = np.linspace(0.0, 1.0, N_BEZIER)
_CHUNK = 4096


def links(event: dict[str, Any], source: str, target: str) -> dict[int, list[int]]:
    """Rows of ``target`` linked to each row of ``source``, in association order.

    Every association of the event whose entries join the two collections
    (by their positions in ``Types``) is used; malformed entries are skipped.
    """
    names = list(event["Types"])
    if source not in names or target not in names:
        return {}
    pair = (names.index(source), names.index(target))
    out: dict[int, list[int]] = {}
    for entries in (event.get("Associations") or {}).values():
        arr = _pairs(entries)
        if arr is None or not len(arr) or (arr[0, 0, 0], arr[0, 1, 0]) != pair:
            continue
        keep = (arr[:, 0, 0] == pair[0]) & (arr[:, 1, 0] == pair[1])
        for src, dst in zip(arr[keep, 0, 1].tolist(), arr[keep, 1, 1].tolist(), strict=True):
            out.setdefault(src, []).append(dst)
    return out


def _pairs(entries: Any) -> np.ndarray | None:
    """An association list as an ``(n, 2, 2)`` int array (None when malformed)."""
    if not isinstance(entries, list):
        return None
    try:
        arr = np.asarray(entries, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):
        return None
    return arr if arr.ndim == 3 and arr.shape[1:] == (2, 2) else None


def bezier(p1: np.ndarray, d1: np.ndarray, p2: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """iSpy-WebGL's cubic Bézier of each inner/outer state pair, ``(n, 33, 3)``.

    Parameters
    ----------
    p1, d1, p2, d2 : np.ndarray
        ``(n, 3)`` inner position and direction, outer position and direction
        (directions need not be unit vectors).
    """
    u1 = d1 / np.linalg.norm(d1, axis=1, keepdims=True)
    u2 = d2 / np.linalg.norm(d2, axis=1, keepdims=True)
    scale = BEZIER_SCALE * np.linalg.norm(p2 - p1, axis=1, keepdims=True)
    c1, c2 = p1 + scale * u1, p2 - scale * u2
    t = _T[None, :, None]
    s = 1.0 - t
    return (s**3 * p1[:, None] + 3 * s**2 * t * c1[:, None] + 3 * s * t**2 * c2[:, None]
            + t**3 * p2[:, None])


def extras_paths(event: dict[str, Any], source: str, n: int) -> list[np.ndarray | None]:
    """Bézier path of each of the ``n`` rows of ``source`` that has a valid ``Extras_V1``."""
    paths: list[np.ndarray | None] = [None] * n
    linked = links(event, source, "Extras_V1")
    rows = event["Collections"].get("Extras_V1") or []
    pick = [(i, r[0]) for i, r in sorted(linked.items()) if 0 <= i < n and 0 <= r[0] < len(rows)]
    if not pick:
        return paths
    try:
        states = np.asarray([rows[r][:4] for _, r in pick], dtype=np.float64).reshape(-1, 4, 3)
    except (TypeError, ValueError, OverflowError):
        return paths
    p1, d1, p2, d2 = (states[:, k] for k in range(4))
    valid = (np.isfinite(states).all(axis=(1, 2)) & (np.linalg.norm(d1, axis=1) > 0)
             & (np.linalg.norm(d2, axis=1) > 0) & (np.linalg.norm(p2 - p1, axis=1) > 0))
    for first in range(0, len(pick), _CHUNK):  # bounded temporaries on huge events
        sl = slice(first, first + _CHUNK)
        with np.errstate(invalid="ignore", divide="ignore"):
            curves = bezier(p1[sl], d1[sl], p2[sl], d2[sl])
        for k, (i, _) in enumerate(pick[sl]):
            if valid[first + k]:
                paths[i] = curves[k].copy()
    return paths


def point_paths(event: dict[str, Any], source: str, target: str, n: int,
                ) -> list[np.ndarray | None]:
    """Path of each row of ``source`` through its linked ``target`` points (``pos``)."""
    paths: list[np.ndarray | None] = [None] * n
    rows = event["Collections"].get(target) or []
    for i, idx in links(event, source, target).items():
        idx = [j for j in idx if 0 <= j < len(rows)]
        if 0 <= i < n and len(idx) >= 2:
            try:
                paths[i] = np.asarray([rows[j][0] for j in idx], dtype=np.float64).reshape(-1, 3)
            except (TypeError, ValueError, OverflowError):
                continue
    return paths


def track_paths(event: dict[str, Any], source: str, n: int) -> list[np.ndarray | None]:
    """Paths of tracks: through their hits where the file has them, else the Bézier."""
    curves = extras_paths(event, source, n)
    hits = point_paths(event, source, "Hits_V1", n)
    return [_through_hits(c, h) if h is not None else c for c, h in zip(curves, hits, strict=True)]


def _through_hits(curve: np.ndarray | None, hits: np.ndarray) -> np.ndarray:
    """Inner state, hits, and the outer state where it lies beyond the last hit."""
    if curve is None:
        return hits
    inner, outer = curve[:1], curve[-1:]
    parts = [inner, hits]
    if np.linalg.norm(outer) > np.linalg.norm(hits[-1]) + 0.01:
        parts.append(outer)
    return np.concatenate(parts)


def as_columns(paths: list[np.ndarray | None]) -> dict[str, ak.Array]:
    """``path_x``, ``path_y``, ``path_z`` ragged over objects (empty where no path)."""
    counts = np.array([0 if p is None else len(p) for p in paths], dtype=np.int64)
    flat = [p for p in paths if p is not None]
    points = np.concatenate(flat) if flat else np.zeros((0, 3))
    return {f"path_{axis}": ak.unflatten(points[:, k], counts) for k, axis in enumerate("xyz")}


def empty_paths(n: int) -> dict[str, ak.Array]:
    """``n`` objects without paths."""
    return as_columns([None] * n)
