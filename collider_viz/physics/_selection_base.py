"""Selection base classes and the flat-array machinery the presets share.

Objects of all events are handled as flat numpy arrays (``ak.flatten`` of each
field) with a *group* array giving each object's event. Combinations inside a
group are built per multiplicity class (all events with k objects at once), so
the cost is numpy work on the objects, not Python work per event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import awkward as ak
import numpy as np

from collider_viz.physics.event import EventBatch

_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass
class SelectionResult:
    """Per-event outcome of a selection.

    Attributes
    ----------
    passed : np.ndarray
        Boolean mask, one entry per event.
    mass : np.ndarray
        Candidate invariant mass in GeV (float64); NaN where the event fails.
    objects : dict of str to np.ndarray
        Collection name to an ``(n_events, k)`` int64 array of the candidate's
        object indices in that collection (the event's own numbering), padded
        with -1; all -1 where the event fails.
    """

    passed: np.ndarray
    mass: np.ndarray
    objects: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.passed)

    def indices(self, i: int) -> dict[str, list[int]]:
        """Object indices of event ``i``'s candidate, per collection (empty if none)."""
        out = {name: [int(j) for j in arr[i] if j >= 0] for name, arr in self.objects.items()}
        return {name: idx for name, idx in out.items() if idx}


class Selection:
    """Base class of a named selection.

    Subclasses set :attr:`name`, :attr:`collections` (read from the file),
    :attr:`bins` (default histogram ``(n, lo, hi)`` in GeV), :attr:`axis_label`
    and implement :meth:`apply`.
    """

    name: ClassVar[str] = ""
    collections: ClassVar[tuple[str, ...]] = ()
    bins: ClassVar[tuple[int, float, float]] = (100, 0.0, 200.0)
    axis_label: ClassVar[str] = "mass [GeV]"
    #: Fields beyond the kinematics (pt, eta, phi, mass, charge) the selection
    #: uses where the file has them, by collection; readers may skip the rest.
    extra_fields: ClassVar[dict[str, tuple[str, ...]]] = {}

    def apply(self, batch: EventBatch) -> SelectionResult:
        """Evaluate the selection on every event of ``batch``."""
        raise NotImplementedError

    @property
    def summary(self) -> str:
        """First line of the class docstring."""
        return (type(self).__doc__ or self.name).strip().splitlines()[0]

    def __repr__(self) -> str:
        return f"<Selection {self.name}: {self.summary}>"


def flat_field(objs: ak.Array, name: str) -> np.ndarray:
    """One field of a jagged record array as a flat numpy array."""
    return np.asarray(ak.to_numpy(ak.flatten(objs[name], axis=1)))


def flatten(objs: ak.Array, fields: Sequence[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Per-event counts and flat float64 arrays of ``fields`` (zeros where absent)."""
    counts = np.asarray(ak.to_numpy(ak.num(objs, axis=1)), dtype=np.int64)
    present = set(ak.fields(objs))
    total = int(counts.sum())
    flat = {f: (flat_field(objs, f).astype(np.float64, copy=False) if f in present
                else np.zeros(total)) for f in fields}
    return counts, flat


def gather(objs: ak.Array, pos: np.ndarray, fields: Sequence[str]) -> dict[str, np.ndarray]:
    """Flat float64 arrays of ``fields`` for the flat objects ``pos`` (zeros where absent)."""
    present = set(ak.fields(objs))
    return {f: (flat_field(objs, f)[pos].astype(np.float64) if f in present
                else np.zeros(len(pos))) for f in fields}


def local_index(counts: np.ndarray, pos: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Event number and index inside its event of the flat objects ``pos`` (default all)."""
    offsets = np.cumsum(counts) - counts
    if pos is None:
        group = np.repeat(np.arange(len(counts)), counts)
        return group, np.arange(int(counts.sum()), dtype=np.int64) - offsets[group]
    # Empty events share their offset with the next event; side="right" picks the
    # last event of such a run, the only one that can own an object.
    group = np.searchsorted(offsets, pos, side="right") - 1
    return group, pos - offsets[group]


def _runs(group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and length of each run of equal values of a non-decreasing array."""
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    return starts, np.diff(np.r_[starts, len(group)])


def pairs(group: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs ``a < b`` of items sharing a group.

    Parameters
    ----------
    group : np.ndarray
        Group (event) number of each item, non-decreasing.

    Returns
    -------
    group, a, b : np.ndarray
        The pair's group and item indices, in (group, a, b) order — the order of
        ``ak.combinations(..., 2)``. Built per multiplicity class, without sorting.
    """
    if len(group) < 2:
        return _EMPTY, _EMPTY, _EMPTY
    starts, sizes = _runs(group)
    npair = sizes * (sizes - 1) // 2
    first = np.cumsum(npair) - npair
    a = np.empty(int(npair.sum()), dtype=np.int64)
    b = np.empty_like(a)
    for k in np.unique(sizes[sizes >= 2]):
        i, j = np.triu_indices(int(k), 1)
        which = np.flatnonzero(sizes == k)
        slots = (first[which][:, None] + np.arange(len(i))).ravel()
        base = starts[which][:, None]
        a[slots] = (base + i).ravel()
        b[slots] = (base + j).ravel()
    return group[a], a, b


def best_per_group(group: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Index of the item with the smallest ``keys`` (compared in order) in each group.

    Ties go to the first item. ``group`` must be non-decreasing; the result is
    ordered by group. Groups of one item (the common case) need no sorting.
    """
    if len(group) == 0:
        return _EMPTY
    starts, sizes = _runs(group)
    single = starts[sizes == 1]
    sub = np.flatnonzero(np.repeat(sizes > 1, sizes))
    if len(sub) == 0:
        return single
    order = sub[np.lexsort((sub, *[k[sub] for k in keys[::-1]], group[sub]))]
    g = group[order]
    return np.sort(np.concatenate([single, order[np.r_[True, g[1:] != g[:-1]]]]))


def four_momenta(obj: dict[str, np.ndarray]) -> np.ndarray:
    """``(4, n)`` array of px, py, pz, E from flat ``pt``, ``eta``, ``phi``, ``mass``."""
    pt, eta, phi, m = (obj[f] for f in ("pt", "eta", "phi", "mass"))
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    return np.stack([px, py, pz, np.sqrt(px * px + py * py + pz * pz + m * m)])


def invariant_mass(p4: np.ndarray, *idx: np.ndarray) -> np.ndarray:
    """Invariant mass of the sum of the objects ``idx[0][i], idx[1][i], ...`` of ``p4``."""
    p = p4[:, idx[0]]
    for i in idx[1:]:
        p = p + p4[:, i]
    m2 = p[3] * p[3] - (p[0] * p[0] + p[1] * p[1] + p[2] * p[2])
    return np.sqrt(np.maximum(m2, 0.0))


def result(n: int, ev: np.ndarray, mass: np.ndarray,
           objects: dict[str, np.ndarray]) -> SelectionResult:
    """Spread per-candidate arrays (one candidate per passing event) over ``n`` events."""
    passed = np.zeros(n, dtype=bool)
    passed[ev] = True
    full_mass = np.full(n, np.nan)
    full_mass[ev] = mass
    full_objs = {}
    for name, idx in objects.items():
        arr = np.full((n, idx.shape[1]), -1, dtype=np.int64)
        arr[ev] = idx
        full_objs[name] = arr
    return SelectionResult(passed, full_mass, full_objs)
