"""POET ntuples: the CMS open-data PhysObjectExtractorTool output.

One directory per object type, each with its own ``Events`` tree, all joined by
entry number: ``myevents`` (``run``, ``luminosityBlock``, ``event``), ``mytracks``
(``numtracks``, ``track_pt/eta/phi/charge`` ...), ``myphotons``, ``mymuons``,
``myelectrons``, ``myjets`` (``numberX`` + ``X_pt/eta/phi/ch`` ...), ``mymets``
(``met_pt``, ``met_phi`` ...) and ``mypvertex`` (``PV_x/y/z`` in cm). Only the
directories of the requested collections are read.

Variants of the PhysObjectExtractorTool history are read too: the trees may be
named ``mtree`` instead of ``Events`` (2021), all objects may share one
``mtree`` (the 2021 ``PhysicsObjectsInfo`` analyzer, where MET is a
``std::vector`` per event), and ``myevents`` may be missing (2015 POET), in
which case the run and event numbers come from any tree that has them, or are
unknown. Directories of objects collider_viz does not draw are named in
``SourceInfo.not_read``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import awkward as ak
import numpy as np
import uproot

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.cms_runs import cms_sqrt_s
from collider_viz.io.formats.poet_layout import (
    OTHER_DIRS,
    PACKED,
    PARTICLES,
    TREE_NAMES,
    VECTOR_NAMES,
    Objects,
    poet_layout,
    poet_trees,
    same_lengths,
)
from collider_viz.io.registry import register
from collider_viz.physics.event import EventBatch, SourceInfo, missing_et, particles

EVENTS = "myevents/Events"
EXPECTED = "POET directories (myevents/Events with run, event; mytracks/Events ...)"


@register
class PoetReader(Reader):
    """Reader of POET ntuples (one ``Events`` or ``mtree`` tree per object directory,
    or one shared ``mtree``).

    Opened as ``Reader(path, handle)`` (see :class:`~collider_viz.io.base.Reader`).
    """

    format_name = "poet"
    description = "CMS POET ntuple (myevents/Events, mytracks/Events, mymuons/Events ...)"
    priority = 50

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """True for a file with POET trees holding at least one known object."""
        return handle is not None and bool(set(poet_layout(handle)) - {"vertices"})

    def __init__(self, path: str, handle: Any) -> None:
        self.path = path
        self._file = handle
        self._trees: dict[str, Any] = {}
        self._where = {} if handle is None else poet_layout(handle)
        if not self._where:
            raise FormatError(path, "no POET object trees", EXPECTED)
        self._events = self._ids_tree()
        self._objects = dict(PARTICLES)
        if "tracks" in self._where and \
                "track_pt" not in self._tree(self._where["tracks"]).keys():
            self._objects["tracks"] = PACKED
        self._check_lengths()

    def _ids_tree(self) -> Any | None:
        """``myevents`` (or any POET tree) with ``run`` and ``event``; None when none has them."""
        candidates = sorted(poet_trees(self._file), key=lambda t: not t.startswith("myevents"))
        for key in candidates:
            if {"run", "event"} <= set(self._file[key].keys()):
                return self._file[key]
        return None

    def _check_lengths(self) -> None:
        sizes = {d: int(self._tree(d).num_entries) for d in set(self._where.values())}
        if self._events is not None:
            sizes[self._events.object_path.strip("/").split(";")[0]] = \
                int(self._events.num_entries)
        if len(set(sizes.values())) > 1:
            listed = ", ".join(f"{k} {v}" for k, v in sorted(sizes.items()))
            raise FormatError(self.path, f"POET trees of different lengths ({listed})",
                              "trees joined entry by entry")
        self._n = next(iter(sizes.values()))

    def __len__(self) -> int:
        return self._n

    @cached_property
    def info(self) -> SourceInfo:  # type: ignore[override]
        """CMS proton-proton; the energy follows the first run number (run 1 = simulation)."""
        run = -1
        if self._events is not None and len(self):
            run = int(self._events["run"].array(entry_stop=1, library="np")[0])
        sqrt_s = cms_sqrt_s(run)
        sim = run == 1
        source = f"run number {run}" if sqrt_s else \
            "unknown: the file stores no run number" if run < 0 else f"run {run} not in the table"
        return SourceInfo(
            path=self.path, format=self.format_name, detector="CMS", collision_system="pp",
            sqrt_s=sqrt_s, is_simulation=sim,
            label="CMS Open Data — Simulation" if sim else "CMS Open Data",
            extra={"first_run": run, "sqrt_s_source": source,
                   "trees": sorted(set(self._where.values()))},
            not_read=self._not_read(),
        )

    def _not_read(self) -> tuple[tuple[str, str], ...]:
        used = set(self._where.values()) | {"myevents"}
        dirs = {t.split("/")[0] for t in poet_trees(self._file) if "/" in t}
        return tuple((d, "no common-form collection for this POET directory")
                     for d in sorted(dirs - used))

    def _tree(self, directory: str) -> Any | None:
        if directory not in self._trees:
            paths = [f"{directory}/{n}" for n in TREE_NAMES] + [directory]
            classes = self._file.classnames(cycle=False)
            found = next((p for p in paths if classes.get(p) == "TTree"), None)
            self._trees[directory] = self._file[found] if found else None
        return self._trees[directory]

    @property
    def available(self) -> tuple[str, ...]:
        """Collections whose trees are in the file."""
        order = (*PARTICLES, *OTHER_DIRS)
        return tuple(c for c in order if c in self._where)

    def read(
        self, start: int, stop: int, collections: Sequence[str] | None = None
    ) -> EventBatch:
        """Read entries ``[start, stop)`` from the directories of ``collections`` only."""
        start, stop = max(int(start), 0), min(int(stop), len(self))
        stop = max(start, stop)
        wanted = [c for c in (collections or self.available) if c in self.available]
        colls: dict[str, ak.Array] = {}
        for name in wanted:
            if name in PARTICLES:
                colls[name] = self._particles(self._objects[name], start, stop,
                                              self._where[name])
            elif name == "met":
                colls[name] = self._met(start, stop)
            else:
                colls[name] = self._vertices(start, stop)
        return EventBatch(start=start, collections=colls, ids=self._ids(start, stop))

    def _particles(self, obj: Objects, start: int, stop: int, where: str) -> ak.Array:
        tree = self._tree(where)
        pre = obj.prefix + "_"
        jagged = [k for k, b in tree.items() if k.startswith(pre) or where == obj.directory
                  if isinstance(b.interpretation, uproot.AsJagged)]
        for name in (pre + v for v in ("pt", "eta", "phi")):
            if name not in jagged:
                raise FormatError(self.path, f"{where} has no per-object branch {name!r}",
                                  EXPECTED)
        arr = tree.arrays(jagged, entry_start=start, entry_stop=stop, how=dict)
        fields = {(k[len(pre):] if k.startswith(pre) else k): v for k, v in arr.items()}
        pt, eta, phi = (fields.pop(v) for v in ("pt", "eta", "phi"))
        charge = fields.pop("ch", fields.pop("charge", None))
        if charge is None:
            charge = ak.zeros_like(pt, dtype=np.int32)
        elif obj.prefix != "jet":  # jets carry a fractional charge
            charge = ak.values_astype(np.rint(charge), np.int32)
        mass = fields.pop("mass", None)
        mass = ak.full_like(pt, obj.mass, dtype=np.float64) if mass is None else mass
        extra = {k: (v * 0.01 if k in ("vx", "vy", "vz") else v)  # cm, as PV_x
                 for k, v in fields.items() if k not in VECTOR_NAMES and same_lengths(v, pt)}
        out = particles(pt, eta, phi, mass, charge, **extra)
        return out[out.charge != 0] if obj is PACKED else out

    def _met(self, start: int, stop: int) -> ak.Array:
        """One MET per event; a ``std::vector`` MET (2021 POET) keeps its entries."""
        where = self._where["met"]
        tree = self._tree(where)
        names = [k for k in tree.keys() if k.startswith("met_")]
        for name in ("met_pt", "met_phi"):
            if name not in names:
                raise FormatError(self.path, f"{where} has no branch {name!r}", EXPECTED)
        arr = tree.arrays(names, entry_start=start, entry_stop=stop, how=dict)
        pt, phi = arr.pop("met_pt"), arr.pop("met_phi")
        extra = {k[4:]: v for k, v in arr.items() if k[4:] not in VECTOR_NAMES
                 and v.ndim == pt.ndim and same_lengths(v, pt)}
        if pt.ndim == 1:
            return missing_et(ak.to_numpy(pt), ak.to_numpy(phi),
                              **{k: ak.to_numpy(v) for k, v in extra.items()})
        return ak.zip({"pt": pt, "phi": phi, **extra}, with_name="Momentum2D")

    def _vertices(self, start: int, stop: int) -> ak.Array:
        where = self._where["vertices"]
        tree = self._tree(where)
        names = [n for n in ("PV_x", "PV_y", "PV_z", "PV_ndof", "PV_chi2") if n in tree.keys()]
        if not {"PV_x", "PV_y", "PV_z"} <= set(names):
            raise FormatError(self.path, f"{where} lacks PV_x, PV_y or PV_z", EXPECTED)
        arr = tree.arrays(names, entry_start=start, entry_stop=stop, how=dict)
        fields = {k[3:]: (v / 100.0 if k in ("PV_x", "PV_y", "PV_z") else v)
                  for k, v in arr.items()}
        return ak.zip(fields)

    def _ids(self, start: int, stop: int) -> dict[str, np.ndarray]:
        n = stop - start
        minus = np.full(n, -1, dtype=np.int64)
        if self._events is None:
            return {"run": minus, "lumi": minus.copy(), "event": minus.copy()}
        names = [n for n in ("run", "luminosityBlock", "event") if n in self._events.keys()]
        arr = self._events.arrays(names, entry_start=start, entry_stop=stop, library="np")
        lumi = arr.get("luminosityBlock", minus)
        return {"run": arr["run"].astype(np.int64), "lumi": lumi.astype(np.int64),
                "event": arr["event"].astype(np.int64)}

    def event_ids(self) -> dict[str, np.ndarray]:
        """Run, lumi and event numbers from ``myevents/Events`` (-1 where the file has none)."""
        return self._ids(0, len(self))

    def counts(self) -> dict[str, np.ndarray]:
        """Per-event counts from the ``pt`` (``PV_x``) branches only; met from ``met_pt``."""
        out: dict[str, np.ndarray] = {}
        for name in self.available:
            branch = {"met": "met_pt", "vertices": "PV_x"}.get(name)
            if branch is None:
                # The num* counters may count objects before the stored selection
                # (numbermuon, numberjet do in 2012 POET), so count the stored pt values.
                branch = f"{self._objects[name].prefix}_pt"
            if self._objects.get(name) is PACKED:  # the charged candidates are the tracks
                branch = "packed_ch"
            arr = self._tree(self._where[name])[branch].array()
            if branch == "packed_ch":
                arr = arr[arr != 0]
            out[name] = np.ones(len(self), dtype=np.int64) if arr.ndim == 1 else \
                ak.to_numpy(ak.num(arr)).astype(np.int64)
        return out
