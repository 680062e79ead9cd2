"""Many polylines packed into one array, the form one vispy ``Line`` visual draws."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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


def pack_samples(pos: np.ndarray, path_length: np.ndarray, keep: np.ndarray | None = None) -> Paths:
    """Flatten ``(n, m, 3)`` samples into a :class:`Paths`, one path per row.

    Parameters
    ----------
    pos : np.ndarray
        ``(n, m, 3)`` vertices.
    path_length : np.ndarray
        ``(n, m)`` arc length of each vertex.
    keep : np.ndarray, optional
        ``(n, m)`` bool mask of the samples to keep (default all).

    Returns
    -------
    Paths
        Float32 vertices and path lengths, int64 offsets.
    """
    if keep is None:
        keep = np.ones(pos.shape[:2], dtype=bool)
    offsets = np.zeros(pos.shape[0] + 1, dtype=np.int64)
    np.cumsum(keep.sum(axis=1), out=offsets[1:])
    if keep.all():
        pts, plen = pos.reshape(-1, 3), path_length.reshape(-1)
    else:
        pts, plen = pos[keep], path_length[keep]
    return Paths(pts.astype(np.float32, copy=False), offsets, plen.astype(np.float32, copy=False))
