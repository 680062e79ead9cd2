"""Column access to a flat ``TTree`` or ``RNTuple``, and the reader built on it.

:class:`TreeAccess` and :class:`SchemaReader` serve the NanoAOD reader, the
collider_viz sample reader and the user-mapping reader: a reader describes its
collections as :class:`~collider_viz.io.schema.Resolved` and gets lazy,
block-cached, field-restricted reads with the structure checks of
:mod:`collider_viz.io.schema`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader, entry_span, read_error
from collider_viz.io.schema import NANOAOD_IDS, Resolved, build_collection, restrict
from collider_viz.physics.event import COLLECTIONS, EventBatch, SourceInfo

TREE_CLASSES = ("TTree", "ROOT::RNTuple")
#: Small reads are served from a cached block of this many entries.
BLOCK = 64


class TreeAccess:
    """Column access to one ``TTree`` or ``ROOT::RNTuple``.

    Parameters
    ----------
    path : str
        The file, for error messages.
    obj : uproot TTree or RNTuple
        The tree.

    Attributes
    ----------
    branches : dict of str to str
        Flat branch name (``Photon_pt``) to the name in the file
        (``Photon_pt`` or, for an RNTuple record field, ``Photon.pt``).
    storage : str
        ``"TTree"`` or ``"RNTuple"``.
    """

    def __init__(self, path: str, obj: Any) -> None:
        self.path = path
        self.obj = obj
        self.storage = "RNTuple" if "RNTuple" in obj.classname else "TTree"
        keys = obj.keys()
        self.branches = _flat_names(keys) if self.storage == "RNTuple" else {k: k for k in keys}

    def __len__(self) -> int:
        return int(self.obj.num_entries)

    def read(self, names: Sequence[str], start: int, stop: int) -> dict[str, ak.Array]:
        """Read the branches ``names`` (flat names) for entries ``[start, stop)``."""
        wanted = [n for n in dict.fromkeys(names) if n in self.branches]
        if not wanted or stop <= start:
            return {}
        real = [self.branches[n] for n in wanted]
        # a set lookup is much faster than uproot matching a long list of names
        chosen = set(real).__contains__ if self.storage == "TTree" else real
        try:
            arrays = self.obj.arrays(filter_name=chosen, entry_start=start, entry_stop=stop)
        except Exception as exc:  # uproot raises many types for damaged data
            raise read_error(self.path, entry_span(start, stop), exc) from exc
        return {n: self._get(arrays, self.branches[n]) for n in wanted}

    def _get(self, arrays: ak.Array, name: str) -> ak.Array:
        if self.storage == "TTree":  # uproot names the output by the short branch name
            return arrays[self.obj[name].name if name not in arrays.fields else name]
        if name in arrays.fields:
            return arrays[name]
        outer, inner = name.split(".", 1)
        return arrays[outer][inner]


def _slice(batch: EventBatch, a: int, b: int) -> EventBatch:
    """Events ``[a, b)`` of a batch (positions within it)."""
    return EventBatch(start=batch.start + a,
                      collections={k: v[a:b] for k, v in batch.collections.items()},
                      ids={k: v[a:b] for k, v in batch.ids.items()})


def _flat_names(keys: Sequence[str]) -> dict[str, str]:
    """Map flat names to file names: ``X.field`` becomes ``X_field``; record parents are dropped."""
    parents = {k.split(".", 1)[0] for k in keys if "." in k}
    out: dict[str, str] = {}
    for key in keys:
        if key in parents:
            continue
        if key.count(".") == 1:
            out.setdefault(key.replace(".", "_"), key)
        else:
            out.setdefault(key, key)
    return out


def find_tree(handle: Any, name: str = "Events") -> Any | None:
    """Return the TTree or RNTuple ``name`` of an open file, or None (reads no event data)."""
    if handle is None:
        return None
    classname = handle.classnames(cycle=False).get(name)
    if classname not in TREE_CLASSES:
        return None
    return handle[name]


class SchemaReader(Reader):
    """A reader whose collections are :class:`~collider_viz.io.schema.Resolved` descriptions.

    Subclasses call :meth:`_setup` from ``__init__``.
    """

    reads_fields = True
    access: TreeAccess
    resolved: dict[str, Resolved]
    ids: dict[str, str]
    _cache: tuple[tuple[Any, ...], EventBatch] | None = None

    def _setup(self, access: TreeAccess, resolved: dict[str, Resolved],
               ids: Mapping[str, str], info: SourceInfo) -> None:
        self.access = access
        self.resolved = resolved
        self.ids = {k: v for k, v in ids.items() if v in access.branches}
        self.info = info
        if len(access) == 0:
            raise FormatError(info.path, f"tree {access.obj.name} has no entries",
                              "at least one event")
        if not resolved:
            why = "; ".join(f"{k}: {v}" for k, v in info.extra.get("incomplete", {}).items())
            raise FormatError(info.path, f"tree {access.obj.name} has no complete collection"
                              + (f" ({why})" if why else ""),
                              "branches such as nPhoton, Photon_pt, Photon_eta, Photon_phi")

    def __len__(self) -> int:
        return len(self.access)

    @property
    def available(self) -> tuple[str, ...]:
        order = {name: i for i, name in enumerate(COLLECTIONS)}
        return tuple(sorted(self.resolved, key=lambda n: order.get(n, len(order))))

    def _clamp(self, start: int, stop: int) -> tuple[int, int]:
        n = len(self)
        start = min(max(int(start), 0), n)
        return start, min(max(int(stop), start), n)

    def read(self, start: int, stop: int, collections: Sequence[str] | None = None,
             fields: Mapping[str, Iterable[str]] | None = None) -> EventBatch:
        """Read entries ``[start, stop)``.

        ``fields`` maps a collection to the field names needed beyond the
        kinematic ones (see :func:`~collider_viz.io.schema.restrict`); the
        other ``X_*`` branches of that collection are not read.

        Raises
        ------
        FormatError
            A counter or field disagrees with the reference branch of its
            collection (see :mod:`collider_viz.io.schema`), or the data is damaged.
        """
        start, stop = self._clamp(start, stop)
        names = self.available if collections is None else tuple(
            c for c in dict.fromkeys(collections) if c in self.resolved)
        wanted = _wanted(fields, names)
        lo = start - start % BLOCK
        if 0 < stop - start <= BLOCK // 4 and stop <= lo + BLOCK:
            # stepping through events: one block costs about as much as one event
            key = (lo, names, tuple(sorted(wanted.items())))
            if self._cache is None or self._cache[0] != key:
                self._cache = (key, self._read(lo, min(lo + BLOCK, len(self)), names, wanted))
            return _slice(self._cache[1], start - lo, stop - lo)
        return self._read(start, stop, names, wanted)

    def _read(self, start: int, stop: int, names: Sequence[str],
              wanted: Mapping[str, frozenset[str]] | None = None) -> EventBatch:
        wanted = wanted or {}
        res = {n: restrict(self.resolved[n], wanted.get(n)) for n in names}
        branches = [b for n in names for b in res[n].branches]
        data = self.access.read(branches + list(self.ids.values()), start, stop)
        colls = {n: build_collection(res[n], data, self.access.path, start) for n in names}
        return EventBatch(start=start, collections=colls, ids=self._ids(data, stop - start))

    def _ids(self, data: Mapping[str, ak.Array], n: int) -> dict[str, np.ndarray]:
        out = {k: np.full(n, -1, dtype=np.int64) for k in NANOAOD_IDS}
        for key, branch in self.ids.items():
            arr = data.get(branch)
            if arr is None or arr.ndim != 1:  # not read, or not one value per event
                continue
            values = ak.to_numpy(arr)
            out[key] = values.astype(np.int64) if key in NANOAOD_IDS else values
        return out

    def event_ids(self) -> dict[str, np.ndarray]:
        ids = {k: v for k, v in self.ids.items() if k in NANOAOD_IDS}
        return self._ids(self.access.read(list(ids.values()), 0, len(self)), len(self))

    def counts(self) -> dict[str, np.ndarray]:
        """Per-event object counts, read from the counter branches where there are any.

        The counters are trusted here: checking them would mean reading (and
        decompressing) a jagged branch per collection for the whole file, many
        times the small integer counter, and no cheaper source of the number
        of values exists in the file. Instead :meth:`read` checks the counters
        of every batch it reads, so a file where ``nX`` and the ``X_*`` lengths
        disagree is a FormatError on display or scan, never numbers that
        silently differ from what is drawn.
        """
        n = len(self)
        need = {name: res.counter or res.reference for name, res in self.resolved.items()
                if res.kind != "met"}
        data = self.access.read(list(need.values()), 0, n)
        out = {}
        for name in self.available:
            arr = data.get(need.get(name, ""))
            if arr is None or arr.ndim == 1 and not self.resolved[name].counter:
                out[name] = np.ones(n, dtype=np.int64)
            elif arr.ndim == 1:
                out[name] = ak.to_numpy(arr).astype(np.int64)
            else:
                out[name] = ak.to_numpy(ak.num(arr, axis=1)).astype(np.int64)
        return out

    def close(self) -> None:
        file = getattr(self.access.obj, "file", None)
        if file is not None and hasattr(file, "close"):
            file.close()


def _wanted(fields: Mapping[str, Iterable[str]] | None,
            names: Sequence[str]) -> dict[str, frozenset[str]]:
    """The ``fields`` hint of :meth:`SchemaReader.read`, for the collections ``names``."""
    if not fields:
        return {}
    return {n: frozenset((fields[n],) if isinstance(fields[n], str) else fields[n])
            for n in names if n in fields and fields[n] is not None}
