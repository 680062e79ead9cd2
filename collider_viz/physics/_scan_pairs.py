"""A faster, identical evaluation of a pair preset (hgg, zmumu, zee, jpsi) for the scan.

:meth:`collider_viz.physics.selections.PairSelection.apply` is the reference;
this runs the same steps with the same float64 arithmetic in the same order
(object cuts, events with two or more passing objects, every pair, the same
four-vector sum for the mass, the same pair cuts, the highest scalar pT sum
with ties to the first pair), so the candidates, masses and object indices
are bit for bit equal (``tests/test_scan.py`` checks it). What differs is
the bookkeeping: each field is flattened once, the object's event comes from
``np.repeat`` instead of a binary search, four-vectors are computed in place
and the best pair of each event comes from ``np.minimum.reduceat`` instead
of a sort. Only presets that keep :class:`PairSelection`'s own ``apply`` and
``pair_mask`` are run here; anything else goes to its own ``apply``.
"""

from __future__ import annotations

from typing import Any

import awkward as ak
import numpy as np

from collider_viz.physics import _selection_base as cb
from collider_viz.physics.event import EventBatch
from collider_viz.physics.selections import PairSelection

_EMPTY = np.zeros(0, dtype=np.int64)


def handles(selection: Any) -> bool:
    """True when ``selection`` is a pair preset whose steps this module reproduces."""
    cls = type(selection)
    return (isinstance(selection, PairSelection) and cls.apply is PairSelection.apply
            and cls.pair_mask is PairSelection.pair_mask)


def apply(selection: PairSelection, batch: EventBatch) -> cb.SelectionResult:
    """``selection.apply(batch)``, faster (see the module docstring)."""
    objs = batch.collections.get(selection.collection)
    if objs is None:
        return selection.apply(batch)  # the preset's own error message
    ev, mass, objects = candidates(selection, batch)
    return cb.result(len(batch), ev, mass, objects)


def candidates(selection: PairSelection,
               batch: EventBatch) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The passing events (indices in the batch), their masses and object indices.

    What :func:`apply` spreads over every event, for a scan that keeps only
    the candidates.
    """
    objs = batch.collections.get(selection.collection)
    if objs is None:
        selection.apply(batch)  # raises the preset's own error message
    counts, mask = selection.object_mask(objs)
    n = len(counts)
    group_all = np.repeat(np.arange(n, dtype=np.int64), counts)
    pos = np.flatnonzero(mask)
    group = group_all[pos]
    keep = np.bincount(group, minlength=n)[group] >= 2
    pos, group = pos[keep], group[keep]
    offsets = np.cumsum(counts) - counts
    local = pos - offsets[group]
    ev, a, b = cb.pairs(group)
    fields = ("pt", "eta", "phi", "mass") + (("charge",) if selection.opposite_charge else ())
    sel = _gather(objs, pos, fields)
    mass = _pair_mass(sel, a, b)
    ok = np.flatnonzero(selection.pair_mask(sel, a, b, mass))
    best = ok[_first_min_per_group(ev[ok], -(sel["pt"][a] + sel["pt"][b])[ok])]
    idx = np.stack([local[a[best]], local[b[best]]], axis=1)
    return ev[best], mass[best], {selection.collection: idx}


def _gather(objs: ak.Array, pos: np.ndarray, fields: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Flat float64 values of ``fields`` at the flat objects ``pos`` (zeros where absent)."""
    present = set(ak.fields(objs))
    flat = ak.flatten(objs[[f for f in fields if f in present]], axis=1) if present else None
    out = {}
    for f in fields:
        if f in present:
            out[f] = np.asarray(ak.to_numpy(flat[f]))[pos].astype(np.float64)
        else:
            out[f] = np.zeros(len(pos))
    return out


def _pair_mass(obj: dict[str, np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`_selection_base.invariant_mass` of :func:`four_momenta`, computed in place."""
    p4 = cb.four_momenta(obj)
    e = p4[3, a] + p4[3, b]
    m2 = e * e
    comp = np.empty_like(e)
    total = np.zeros_like(e)
    for k in range(3):
        np.add(p4[k, a], p4[k, b], out=comp)
        comp *= comp
        total += comp
    m2 -= total
    np.maximum(m2, 0.0, out=m2)
    return np.sqrt(m2, out=m2)


def _first_min_per_group(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Index of the smallest ``key`` of each run of equal ``group`` (ties: the first).

    The result of :func:`_selection_base.best_per_group` with one key.
    """
    if len(group) == 0:
        return _EMPTY
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, len(group)])
    if (sizes == 1).all():
        return starts
    key = np.where(np.isnan(key), np.inf, key)
    lowest = np.repeat(np.minimum.reduceat(key, starts), sizes)
    hits = np.flatnonzero(key == lowest)
    hit_group = group[hits]
    return hits[np.r_[True, hit_group[1:] != hit_group[:-1]]]
