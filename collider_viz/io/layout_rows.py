"""Rows that are one collision: keep one row per ``[tree] unique`` key.

Some flat ntuples store a collision once per object combination: the CMS
2010 dimuon ntuple (``uproot-Zmumu.root``) has one row per muon-type pair
(``Type`` GG, GT, TT: both global muons, one global and one tracker muon,
both tracker muons), so its 500 collisions fill 2,304 rows. A layout says
which columns identify a collision (``unique = ["Run", "Event"]``) and which
row to keep (``prefer = { branch = "Type", order = ["GG", "GT", "TT"] }``);
the others are named in ``SourceInfo.not_read``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.layout_spec import LayoutSpec

__all__ = ["merge_objects", "note", "one_row_per_collision"]


def _values(access: Any, name: str) -> np.ndarray:
    arr = access.read([name], 0, len(access))[name]
    if arr.ndim != 1:
        raise FormatError(access.path, f"{name} is not one value per row")
    try:
        return ak.to_numpy(arr)
    except (ValueError, TypeError):  # strings (the Type column)
        return np.asarray(ak.to_list(arr), dtype=object)


def _rank(values: np.ndarray, order: tuple[str, ...]) -> np.ndarray:
    lookup = {v: i for i, v in enumerate(order)}
    return np.array([lookup.get(str(v), len(order)) for v in values], dtype=np.int64)


def one_row_per_collision(access: Any, spec: LayoutSpec) -> tuple[
        np.ndarray, tuple[np.ndarray, np.ndarray], tuple[str, str]]:
    """The first row of each collision (ascending), the rows of the kept kind per
    collision as ``(rows, counts)``, and a ``(name, reason)`` note for ``SourceInfo.not_read``."""
    missing = [b for b in spec.unique if b not in access.branches]
    if missing:
        raise FormatError(access.path, f"{spec.family or spec.path}: missing {', '.join(missing)}")
    n = len(access)
    prefer = spec.prefer if spec.prefer and spec.prefer[0] in access.branches else None
    keys = [_values(access, b) for b in spec.unique]
    kinds = _values(access, prefer[0]) if prefer else np.zeros(n, dtype=object)
    rank = _rank(kinds, prefer[1]) if prefer else np.zeros(n, np.int64)
    order = np.lexsort((np.arange(n), rank, *reversed(keys)))
    same = np.ones(max(n - 1, 0), dtype=bool)
    for key in keys:
        ordered = key[order]
        same &= ordered[1:] == ordered[:-1]
    first = np.concatenate([[True], ~same]) if n else np.zeros(0, dtype=bool)
    members = _members(order, first, rank)
    rows = np.sort(order[first])
    again = int(np.sum(members[1] > 1))
    branch, kind = note(spec, prefer, n, rows, kinds)
    if again:
        what = "their distinct objects are merged into one event" if spec.merge else \
            "the first is shown"
        kind += (f"; {again} collisions have more than one row of the kept "
                 f"{prefer[0] if prefer else 'kind'}: {what}")
    return rows, members, (branch, kind)


def _members(order: np.ndarray, first: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray,
                                                                               np.ndarray]:
    """Rows of the kept (best-ranked) kind of each collision, in event order, and their counts."""
    if not len(order):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    group = np.cumsum(first) - 1
    heads = order[first]
    ranks = rank[order]
    member = ranks == ranks[first][group]
    event = np.argsort(np.argsort(heads))[group[member]]
    rows = order[member]
    sort = np.lexsort((rows, event))
    return rows[sort], np.bincount(event, minlength=len(heads)).astype(np.int64)


def note(spec: LayoutSpec, prefer: tuple[str, tuple[str, ...]] | None, n: int,
          rows: np.ndarray, kinds: np.ndarray) -> tuple[str, str]:
    ids = ", ".join(spec.unique)
    kept = Counter(str(v) for v in kinds[rows])
    all_kinds = Counter(str(v) for v in kinds)
    if not prefer:
        return (f"{n - len(rows)} repeated rows",
                f"{n} rows hold {len(rows)} collisions ({ids}); one row per collision kept")
    branch, order = prefer
    prefer = ", then ".join(order)
    kept_text = ", ".join(f"{k} {kept[k]}" for k in order if kept[k])
    stored = ", ".join(f"{k} {all_kinds[k]}" for k in order if all_kinds[k])
    return (f"{n - len(rows)} repeated rows",
            f"{n} rows ({branch} {stored}) hold {len(rows)} collisions ({ids}); one row per "
            f"collision is kept, preferring {branch} {prefer} (kept: {kept_text})")


def merge_objects(coll: ak.Array, counts: np.ndarray) -> ak.Array:
    """Objects of ``counts[i]`` consecutive rows per event joined, exact repeats dropped.

    ``coll`` is jagged over rows; a muon stored in two pair rows of one collision
    (same momentum, same charge) is one muon of the event.
    """
    per_row = ak.to_numpy(ak.num(coll, axis=1)).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    per_event = np.add.reduceat(per_row, starts) if len(per_row) else np.zeros(0, np.int64)
    flat = ak.flatten(coll, axis=1)
    event = np.repeat(np.arange(len(counts)), per_event)
    numeric = [ak.to_numpy(flat[f]).astype(np.float64) for f in ak.fields(flat)
               if flat[f].ndim == 1 and ak.to_numpy(flat[f]).dtype.kind in "biuf"]
    key = np.column_stack([event.astype(np.float64), *numeric])
    _, first = np.unique(key, axis=0, return_index=True)
    keep = np.sort(first)
    return ak.unflatten(flat[keep], np.bincount(event[keep], minlength=len(counts)))
