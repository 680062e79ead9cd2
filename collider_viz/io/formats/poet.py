"""POET ntuples: the CMS open-data PhysObjectExtractorTool output.

One directory per object type, each with its own ``Events`` tree, all joined by
entry number: ``myevents`` (``run``, ``luminosityBlock``, ``event``), ``mytracks``
(``numtracks``, ``track_pt/eta/phi/charge`` ...), ``myphotons``, ``mymuons``,
``myelectrons``, ``myjets`` (``numberX`` + ``X_pt/eta/phi/ch`` ...), ``mymets``
(``met_pt``, ``met_phi`` ...) and ``mypvertex`` (``PV_x/y/z`` in cm). Only the
directories of the requested collections are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any, NamedTuple

import awkward as ak
import numpy as np
import uproot
from particle import Particle

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.cms_runs import cms_sqrt_s
from collider_viz.io.registry import register
from collider_viz.physics.event import EventBatch, SourceInfo, missing_et, particles

EVENTS = "myevents/Events"
EXPECTED = "POET directories (myevents/Events with run, event; mytracks/Events ...)"


class _Objects(NamedTuple):
    """Where a particle collection lives in a POET file."""

    directory: str
    prefix: str
    mass: float


PARTICLES: dict[str, _Objects] = {
    "tracks": _Objects("mytracks", "track", Particle.from_pdgid(211).mass / 1e3),
    "photons": _Objects("myphotons", "photon", 0.0),
    "electrons": _Objects("myelectrons", "electron", Particle.from_pdgid(11).mass / 1e3),
    "muons": _Objects("mymuons", "muon", Particle.from_pdgid(13).mass / 1e3),
    "jets": _Objects("myjets", "jet", 0.0),
}
OTHER_DIRS = {"met": "mymets", "vertices": "mypvertex"}
#: field names that ``vector`` reads as coordinates: never passed through
VECTOR_NAMES = frozenset({"E", "M", "e", "energy", "eta", "m", "mass", "phi", "pt", "px", "py",
                          "pz", "rho", "t", "tau", "theta", "x", "y", "z"})

@register
class PoetReader(Reader):
    """Reader of POET ntuples (one ``Events`` tree per object directory).

    Opened as ``Reader(path, handle)`` (see :class:`~collider_viz.io.base.Reader`).
    """

    format_name = "poet"
    description = "CMS POET ntuple (myevents/Events, mytracks/Events, mymuons/Events ...)"
    priority = 50

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """True for a file with ``myevents/Events`` and at least one object directory."""
        if handle is None or EVENTS not in handle:
            return False
        dirs = [o.directory for o in PARTICLES.values()] + list(OTHER_DIRS.values())
        return any(f"{d}/Events" in handle for d in dirs)

    def __init__(self, path: str, handle: Any) -> None:
        self.path = path
        if handle is None or EVENTS not in handle:
            raise FormatError(path, f"no tree {EVENTS!r}", EXPECTED)
        self._file = handle
        self._events = handle[EVENTS]
        missing = {"run", "event"} - set(self._events.keys())
        if missing:
            raise FormatError(path, f"{EVENTS} has no branch {sorted(missing)[0]!r}", EXPECTED)
        self._trees: dict[str, Any] = {}

    def __len__(self) -> int:
        return int(self._events.num_entries)

    @cached_property
    def info(self) -> SourceInfo:  # type: ignore[override]
        """CMS proton-proton; the energy follows the first run number (run 1 = simulation)."""
        run = int(self._events["run"].array(entry_stop=1, library="np")[0]) if len(self) else 0
        sqrt_s = cms_sqrt_s(run)
        sim = run == 1
        return SourceInfo(
            path=self.path, format=self.format_name, detector="CMS", collision_system="pp",
            sqrt_s=sqrt_s, is_simulation=sim,
            label="CMS Open Data — Simulation" if sim else "CMS Open Data",
            extra={"first_run": run},
        )

    def _tree(self, directory: str) -> Any | None:
        key = f"{directory}/Events"
        if key not in self._trees:
            self._trees[key] = self._file[key] if key in self._file else None
        return self._trees[key]

    @property
    def available(self) -> tuple[str, ...]:
        """Collections whose directory is in the file."""
        dirs = {**{c: o.directory for c, o in PARTICLES.items()}, **OTHER_DIRS}
        return tuple(c for c, d in dirs.items() if f"{d}/Events" in self._file)

    def read(
        self, start: int, stop: int, collections: Sequence[str] | None = None
    ) -> EventBatch:
        """Read entries ``[start, stop)`` from the directories of ``collections`` only."""
        wanted = [c for c in (collections or self.available) if c in self.available]
        colls: dict[str, ak.Array] = {}
        for name in wanted:
            if name in PARTICLES:
                colls[name] = self._particles(PARTICLES[name], start, stop)
            elif name == "met":
                colls[name] = self._met(start, stop)
            else:
                colls[name] = self._vertices(start, stop)
        return EventBatch(start=start, collections=colls, ids=self._ids(start, stop))

    def _particles(self, obj: _Objects, start: int, stop: int) -> ak.Array:
        tree = self._tree(obj.directory)
        jagged = [k for k, b in tree.items() if isinstance(b.interpretation, uproot.AsJagged)]
        pre = obj.prefix + "_"
        core = [pre + v for v in ("pt", "eta", "phi")]
        for name in core:
            if name not in jagged:
                raise FormatError(self.path, f"{obj.directory}/Events has no branch {name!r}",
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
        extra = {k: v for k, v in fields.items() if k not in VECTOR_NAMES}
        return particles(pt, eta, phi, mass, charge, **extra)

    def _met(self, start: int, stop: int) -> ak.Array:
        tree = self._tree("mymets")
        for name in ("met_pt", "met_phi"):
            if name not in tree.keys():
                raise FormatError(self.path, f"mymets/Events has no branch {name!r}", EXPECTED)
        arr = tree.arrays(entry_start=start, entry_stop=stop, library="np")
        extra = {k[4:] if k.startswith("met_") else k: v for k, v in arr.items()
                 if k not in ("met_pt", "met_phi") and v.ndim == 1 and v.dtype != object}
        extra = {k: v for k, v in extra.items() if k not in VECTOR_NAMES}
        return missing_et(arr["met_pt"], arr["met_phi"], **extra)

    def _vertices(self, start: int, stop: int) -> ak.Array:
        tree = self._tree("mypvertex")
        names = [n for n in ("PV_x", "PV_y", "PV_z", "PV_ndof", "PV_chi2") if n in tree.keys()]
        if not {"PV_x", "PV_y", "PV_z"} <= set(names):
            raise FormatError(self.path, "mypvertex/Events lacks PV_x, PV_y or PV_z", EXPECTED)
        arr = tree.arrays(names, entry_start=start, entry_stop=stop, how=dict)
        fields = {k[3:]: (v / 100.0 if k in ("PV_x", "PV_y", "PV_z") else v)
                  for k, v in arr.items()}
        return ak.zip(fields)

    def _ids(self, start: int, stop: int) -> dict[str, np.ndarray]:
        names = [n for n in ("run", "luminosityBlock", "event") if n in self._events.keys()]
        arr = self._events.arrays(names, entry_start=start, entry_stop=stop, library="np")
        n = len(arr["run"])
        lumi = arr.get("luminosityBlock", np.full(n, -1))
        return {"run": arr["run"].astype(np.int64), "lumi": lumi.astype(np.int64),
                "event": arr["event"].astype(np.int64)}

    def event_ids(self) -> dict[str, np.ndarray]:
        """Run, lumi and event numbers from ``myevents/Events``."""
        return self._ids(0, len(self))

    def counts(self) -> dict[str, np.ndarray]:
        """Per-event counts from the ``pt`` (``PV_x``) branches only; one per event for met."""
        out: dict[str, np.ndarray] = {}
        for name in self.available:
            if name == "met":
                out[name] = np.ones(len(self), dtype=np.int64)
            elif name == "vertices":
                tree = self._tree("mypvertex")
                out[name] = ak.to_numpy(ak.num(tree["PV_x"].array())).astype(np.int64)
            else:
                out[name] = self._count(PARTICLES[name])
        return out

    def _count(self, obj: _Objects) -> np.ndarray:
        # The num* counters may count objects before the stored selection
        # (numbermuon, numberjet do in 2012 POET), so count the stored pt values.
        tree = self._tree(obj.directory)
        return ak.to_numpy(ak.num(tree[f"{obj.prefix}_pt"].array())).astype(np.int64)
