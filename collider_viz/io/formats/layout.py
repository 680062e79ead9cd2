"""Flat ntuples described by layouts: the shipped ``io/layouts/*.toml`` and user mappings.

:class:`TableReader` reads any column table (a TTree or RNTuple through
:class:`~collider_viz.io.formats.tree_access.TreeAccess`, a CSV through
:class:`~collider_viz.io.formats.csvtable.CsvAccess`) as a
:class:`~collider_viz.io.layout_spec.LayoutSpec` says. :class:`LayoutReader`
is the registered reader of ROOT files: it asks every shipped layout, highest
``priority`` first, whether the file has its tree and signature branches.
A file that has them but lacks a required branch, or holds one of the wrong
type, is a one-line :class:`~collider_viz.errors.FormatError` naming the file,
the family and what is missing.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.cms_runs import cms_collision
from collider_viz.io.formats.tree_access import TREE_CLASSES, TreeAccess
from collider_viz.io.layout_columns import build, check_types, count, count_branches, top_branch
from collider_viz.io.layout_rows import merge_objects, one_row_per_collision
from collider_viz.io.layout_spec import (
    SQRT_S_FROM_RUNS,
    CollectionSpec,
    LayoutSpec,
    parse_layout,
)
from collider_viz.io.registry import register
from collider_viz.physics.event import COLLECTIONS, EventBatch, SourceInfo

#: Typenames that are text, not numbers (a TTree's ``char*``, a CSV's ``object``).
_TEXT = ("char*", "string", "TString", "object")
#: A median object pT (GeV) no collider gives: energies left at GeV are likely MeV.
SUSPICIOUS_GEV = 1000.0
#: Rows read at a time where a whole file is walked (counts).
CHUNK = 100_000


@functools.lru_cache(maxsize=1)
def shipped_layouts() -> tuple[LayoutSpec, ...]:
    """Every layout in ``collider_viz/io/layouts``, highest priority first."""
    folder = resources.files("collider_viz.io").joinpath("layouts")
    specs = [parse_layout(entry.read_text(encoding="utf-8"), f"layouts/{entry.name}")
             for entry in folder.iterdir() if entry.name.endswith(".toml")]
    return tuple(sorted(specs, key=lambda s: (-s.priority, s.path)))


def find_table(handle: Any, spec: LayoutSpec) -> str | None:
    """The first of the layout's trees that the open ROOT file has, or None."""
    classes = handle.classnames(cycle=False)
    return next((t for t in spec.trees if classes.get(t) in TREE_CLASSES), None)


def claims(spec: LayoutSpec, branches: Any) -> bool:
    """True when ``branches`` hold the layout's signature branches."""
    return all(top_branch(b, branches) in branches for b in spec.claims)


def _bad_type(access: Any, branch: str) -> str | None:
    """The typename of ``branch`` when it holds text instead of numbers, else None."""
    typename = getattr(access, "typename", lambda b: None)(branch)
    if typename is None or not any(word in typename for word in _TEXT):
        return None
    return typename


class TableReader(Reader):
    """Events of one column table as a layout describes them (see the module docstring)."""

    reads_fields = False

    def _setup(self, path: str, access: Any, spec: LayoutSpec, strict: bool) -> None:
        self.path, self.access, self.spec = path, access, spec
        self.format_name = spec.format
        self.not_read: list[tuple[str, str]] = []
        self.colls = self._usable(strict)
        self.not_read += [(f"{prefix}*", why) for prefix, why in spec.not_read
                          if any(b.startswith(prefix) for b in access.branches)]
        self.ids = {k: v for k, v in spec.ids.items() if v in access.branches}
        self.extra = [b for b in spec.extra if b in access.branches]
        self.rows = self.members = None
        if spec.unique:
            self.rows, members, note = one_row_per_collision(access, spec)
            if spec.merge:
                rows, counts = members
                self.members = (rows, np.concatenate([[0], np.cumsum(counts)]))
            if len(self.rows) < len(access):
                self.not_read.append(note)
        if len(self) == 0:
            raise FormatError(path, f"{self._family}: the table has no entries", "at least one event")
        if "energy" not in spec.units:
            self._check_unstated_energy()
        self.info = self._info()

    def _check_unstated_energy(self) -> None:
        """Say so (in ``not_read``) when a layout leaves energies at GeV but the file's
        momenta are hundreds of times too large for GeV: MeV read as GeV loses candidates."""
        name = next((c for c in self.available if c != "met"), None)
        if name is None:
            return
        n = min(len(self), 200)
        pt = ak.to_numpy(ak.flatten(self.read(0, n, [name]).collections[name].pt, axis=None))
        median = float(np.median(pt)) if len(pt) else 0.0
        if median > SUSPICIOUS_GEV:
            self.not_read.append(("units", (
                f"{self.spec.path} does not state [units] energy, so GeV is assumed, but the "
                f"median pT of {name} in the first {n} events is {median:,.0f} GeV: if the file "
                f"holds MeV set energy = \"MeV\" (masses and selections are 1000 times off)")))

    @property
    def _family(self) -> str:
        return self.spec.family or f"the layout {self.spec.path}"

    def _missing(self, names: Sequence[str]) -> list[str]:
        return [n for n in names if top_branch(n, self.access.branches) not in self.access.branches]

    def _usable(self, strict: bool) -> dict[str, Any]:
        """The collections whose branches the table has; the others go to ``not_read``."""
        spec, name = self.spec, os.path.basename(self.path)
        missing = self._missing(spec.require)
        if missing:
            raise FormatError(self.path, f"{self._family}: missing {', '.join(missing)}",
                              f"the branches {', '.join(spec.require)}")
        out = {}
        for cname, coll in spec.collections.items():
            if coll.file_name and not re.search(coll.file_name, name):
                continue
            if coll.counter and self._missing([coll.counter]) and not strict:
                coll = replace(coll, counter=None)  # the counter is only checked
            gone = self._missing(coll.branches())
            if gone and strict:
                raise FormatError(self.path, f"{self._family}: {cname} needs {', '.join(gone)}")
            if gone and len(gone) < len(coll.branches()):  # the file has part of it
                self.not_read.append((cname, f"missing {', '.join(gone)}"))
            if gone:
                continue
            wrong = [(b, t) for b in coll.branches() if (t := _bad_type(self.access, b))]
            if wrong:
                raise FormatError(self.path, f"{self._family}: {wrong[0][0]} is {wrong[0][1]}",
                                  f"numbers for {cname}")
            out[cname] = _with_optional(coll, self._missing)
        if not out:
            raise FormatError(self.path, f"{self._family}: no collection can be built",
                              "; ".join(f"{n}: {r}" for n, r in self.not_read) or None)
        return out

    def _first_run(self) -> int | None:
        if "run" not in self.ids:
            return None
        row = 0 if self.rows is None else int(self.rows[0])
        arr = self.access.read([self.ids["run"]], row, row + 1)[self.ids["run"]]
        return int(ak.to_numpy(arr)[0])

    def _info(self) -> SourceInfo:
        src, spec = self.spec.source, self.spec
        system, sqrt_s = src.get("collision_system", "pp"), src.get("sqrt_s")
        if sqrt_s == SQRT_S_FROM_RUNS:
            run = self._first_run()
            system, sqrt_s = cms_collision(run) if run is not None else (system, None)
        sim = src.get("is_simulation", False)
        if isinstance(sim, str):
            sim = re.search(sim, os.path.basename(self.path)) is not None
        label = src.get("label", "")
        if sim and label and "Simulation" not in label:
            label = f"{label} — Simulation"
        extra = {"layout": spec.path, "family": spec.family, "storage": self.access.storage,
                 "units": dict(spec.units) or {"length": "m", "energy": "GeV"}}
        if self.access.storage != "CSV":
            extra["tree"] = self.access.name
        return SourceInfo(path=self.path, format=spec.format, detector=src.get("detector", "CMS"),
                          collision_system=system, sqrt_s=None if sqrt_s is None else float(sqrt_s),
                          is_simulation=bool(sim), label=label, extra=extra,
                          not_read=tuple(self.not_read))

    def __len__(self) -> int:
        return len(self.access) if self.rows is None else len(self.rows)

    @property
    def available(self) -> tuple[str, ...]:
        return tuple(c for c in COLLECTIONS if c in self.colls)

    def _span(self, start: int, stop: int) -> tuple[int, int, np.ndarray | None]:
        """Rows to read for events ``[start, stop)`` and the rows to take from them."""
        if self.rows is None:
            return start, stop, None
        rows = self.rows[start:stop]
        return int(rows[0]), int(rows[-1]) + 1, rows - rows[0]

    def read(self, start: int, stop: int, collections: Sequence[str] | None = None) -> EventBatch:
        """Read events ``[start, stop)`` (only ``collections`` when given)."""
        start, stop = max(int(start), 0), min(int(stop), len(self))
        names = [c for c in (collections if collections is not None else self.available)
                 if c in self.colls]
        if stop <= start:
            return EventBatch(start=start, collections={}, ids={})
        if self.members is not None:
            return self._read_merged(start, stop, names)
        lo, hi, take = self._span(start, stop)
        columns = [b for c in names for b in self.colls[c].branches()]
        tops = [top_branch(b, self.access.branches) for b in columns]
        data = self.access.read([*tops, *self.ids.values(), *self.extra], lo, hi)
        if take is not None:
            data = {k: v[take] for k, v in data.items()}
        check_types(self.spec, data, self.path, lo)
        colls = {c: build(self.spec, self.colls[c], data, self.access.branches, self.path, lo)
                 for c in names}
        return EventBatch(start=start, collections=colls, ids=self._ids(data, stop - start))

    def _read_merged(self, start: int, stop: int, names: list[str]) -> EventBatch:
        """Events whose objects are those of all the rows of their kept kind."""
        rows, offsets = self.members
        flat = rows[offsets[start]:offsets[stop]]
        lo, hi = int(flat.min()), int(flat.max()) + 1
        tops = [top_branch(b, self.access.branches) for c in names for b in self.colls[c].branches()]
        data = self.access.read([*tops, *self.ids.values(), *self.extra], lo, hi)
        data = {k: v[flat - lo] for k, v in data.items()}
        check_types(self.spec, data, self.path, lo)
        counts = np.diff(offsets[start:stop + 1])
        colls = {c: merge_objects(build(self.spec, self.colls[c], data, self.access.branches,
                                        self.path, lo), counts) for c in names}
        heads = offsets[start:stop] - offsets[start]
        ids = self._ids({k: v[heads] for k, v in data.items()}, stop - start)
        return EventBatch(start=start, collections=colls, ids=ids)

    def _ids(self, data: dict[str, ak.Array], n: int) -> dict[str, np.ndarray]:
        out = {k: np.full(n, -1, dtype=np.int64) for k in ("run", "lumi", "event")}
        for key, branch in self.ids.items():
            out[key] = ak.to_numpy(data[branch]).astype(np.int64)
        for branch in self.extra:
            arr = data[branch]
            out[branch] = ak.to_numpy(arr) if arr.ndim == 1 and \
                ak.to_numpy(arr).dtype.kind in "biuf" else np.asarray(ak.to_list(arr))
        if self.spec.source.get("sqrt_s") == SQRT_S_FROM_RUNS and "run" in self.ids:
            out["sqrt_s"] = np.array([cms_collision(int(r))[1] or np.nan for r in out["run"]])
        return out

    def event_ids(self) -> dict[str, np.ndarray]:
        n = len(self)
        lo, hi, take = self._span(0, n)
        data = self.access.read(list(self.ids.values()), lo, hi)
        if take is not None:
            data = {k: v[take] for k, v in data.items()}
        out = {k: np.full(n, -1, dtype=np.int64) for k in ("run", "lumi", "event")}
        out.update({k: ak.to_numpy(data[b]).astype(np.int64) for k, b in self.ids.items()})
        return out

    def counts(self) -> dict[str, np.ndarray]:
        """Objects per event of each collection, reading only what tells the number: the
        type branch of a split collection, the counter (or one field) of a jagged one;
        fixed groups and MET need nothing."""
        n = len(self)
        if self.members is not None:  # merged rows: only building tells the distinct objects
            return _built_counts(self)
        out = {c: np.full(n, max(len(self.colls[c].groups), 1), np.int64) for c in self.available
               if not self.colls[c].select and (self.colls[c].groups or _is_met(self.colls[c]))}
        need = {c: count_branches(self.colls[c]) for c in self.available if c not in out}
        parts: dict[str, list[np.ndarray]] = {c: [] for c in need}
        names = list(dict.fromkeys(b for branches in need.values() for b in branches))
        for lo in range(0, n, CHUNK):
            first, last, take = self._span(lo, min(lo + CHUNK, n))
            data = self.access.read(names, first, last)
            if take is not None:
                data = {k: v[take] for k, v in data.items()}
            for c in need:
                parts[c].append(count(self.colls[c], data))
        out.update({c: np.concatenate(v) if v else np.zeros(0, np.int64) for c, v in parts.items()})
        return {c: out[c] for c in self.available}


def _built_counts(reader: TableReader) -> dict[str, np.ndarray]:
    parts: dict[str, list[np.ndarray]] = {c: [] for c in reader.available}
    for lo in range(0, len(reader), CHUNK):
        batch = reader.read(lo, min(lo + CHUNK, len(reader)))
        for name, arr in batch.collections.items():
            parts[name].append(np.ones(len(arr), np.int64) if arr.ndim == 1
                               else ak.to_numpy(ak.num(arr, axis=1)).astype(np.int64))
    return {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in parts.items()}


def _is_met(coll: CollectionSpec) -> bool:
    return coll.name == "met"


def _with_optional(coll: CollectionSpec, missing: Any) -> CollectionSpec:
    """``coll`` with the optional fields whose branches (every group's) are present."""
    present = {f: b for f, b in coll.optional.items()
               if not missing([b.format(i=g) for g in coll.groups or ("",)])}
    return replace(coll, fields={**coll.fields, **present}) if present else coll


class RootTable(TreeAccess):
    """A :class:`TreeAccess` that also names its tree and the type of a branch."""

    def __init__(self, path: str, obj: Any, name: str) -> None:
        super().__init__(path, obj)
        self.name = name

    def typename(self, branch: str) -> str | None:
        """The typename of a TTree branch or RNTuple field (None for sub-fields)."""
        if branch not in self.branches:
            return None
        try:
            return str(self.obj[self.branches[branch]].typename)
        except Exception:  # noqa: BLE001 - a field uproot cannot name: not checked here
            return None


@register
class LayoutReader(TableReader):
    """A ROOT file of a family that a shipped layout describes."""

    format_name = "layout"
    description = "flat ntuples of the shipped layouts (ATLAS mini/analysis, LHCb B2HHH, ...)"
    priority = 50

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        return handle is not None and _match(handle) is not None

    def __init__(self, path: str, handle: Any, spec: LayoutSpec | None = None,
                 strict: bool = False) -> None:
        found = (spec, find_table(handle, spec)) if spec is not None else _match(handle)
        if found is None or found[1] is None:
            raise FormatError(path, "no table of a known layout")
        spec, table = found
        self._setup(path, RootTable(path, handle[table], table), spec, strict)


def _match(handle: Any) -> tuple[LayoutSpec, str] | None:
    """The first shipped layout that claims the open file, with its table."""
    for spec in shipped_layouts():
        if spec.trees == ("csv",):
            continue
        table = find_table(handle, spec)
        if table is not None and claims(spec, TreeAccess("", handle[table]).branches):
            return spec, table
    return None
