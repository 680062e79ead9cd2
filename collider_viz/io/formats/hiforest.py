"""HiForest-style heavy-ion muon trees (CMS Pb+Pb open data).

The ``demo/Muons`` tree holds one row per event: ``evRunNumber``,
``evEventNumber``, ``Nmu`` and per muon ``muPt``, ``muEta``, ``muPhi``, ``muC``
(charge) with isolation and track-quality columns; the primary vertex is given
as ``Npv``, ``pvNDOF``, ``pvZ`` and ``pvRho`` (cm). Files can be large (10^5
events), so opening reads nothing and a single event reads a single entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.cms_runs import cms_heavy_ion
from collider_viz.io.registry import register
from collider_viz.physics.event import EventBatch, SourceInfo, particles
from collider_viz.physics.masses import MUON_MASS as _MUON_MASS

TREES = ("demo/Muons", "muonTree/Muons", "Muons")
REQUIRED = ("evRunNumber", "evEventNumber", "muPt", "muEta", "muPhi", "muC")
EXPECTED = "a HiForest tree demo/Muons with evRunNumber, evEventNumber, muPt, muEta, muPhi, muC"
MUON_MASS = _MUON_MASS
_VERTEX = ("Npv", "pvNDOF", "pvZ", "pvRho")


def _find_tree(handle: Any) -> str | None:
    """Name of the first known muon tree in ``handle`` that has the required branches."""
    for name in TREES:
        if name in handle and set(REQUIRED) <= set(handle[name].keys()):
            return name
    return None


@register
class HiForestReader(Reader):
    """Reader of HiForest ``Muons`` trees (heavy-ion muon analyses).

    Opened as ``Reader(path, handle)`` (see :class:`~collider_viz.io.base.Reader`).
    """

    format_name = "hiforest"
    description = "CMS HiForest-style heavy-ion muon tree (demo/Muons: muPt, muEta ...)"
    priority = 50

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """True for a file with a ``demo/Muons``-like tree."""
        return handle is not None and _find_tree(handle) is not None

    def __init__(self, path: str, handle: Any) -> None:
        self.path = path
        name = None if handle is None else _find_tree(handle)
        if name is None:
            raise FormatError(path, "no HiForest muon tree with the muon branches", EXPECTED)
        self._tree = handle[name]
        self._names = set(self._tree.keys())
        self._muon_fields = sorted(n for n in self._names
                                   if n.startswith("mu") and n not in REQUIRED)
        run = int(self._tree["evRunNumber"].array(entry_stop=1, library="np")[0]) \
            if self._tree.num_entries else 0
        # a heavy-ion period from the run number; a muon forest outside them is stated as is
        system, sqrt_s = cms_heavy_ion(run) or ("Pb+Pb", 2760.0)
        self.info = SourceInfo(
            path=path, format=self.format_name, detector="CMS", collision_system=system,
            sqrt_s=sqrt_s, is_simulation=False, label="CMS Open Data",
            extra={"tree": name, "first_run": run, **_forest_info(handle),
                   "sqrt_s_source": f"run number {run}" if cms_heavy_ion(run) else
                   "assumed (run not in a CMS heavy-ion period)"},
            not_read=tuple((t, "no common-form collection for this analyzer tree")
                           for t, c in handle.classnames(cycle=False).items()
                           if c in ("TTree", "TNtuple") and t != name
                           and not t.startswith("HiForest/")),
        )

    def __len__(self) -> int:
        return int(self._tree.num_entries)

    @property
    def available(self) -> tuple[str, ...]:
        """``muons`` and, when the vertex branches exist, ``vertices``."""
        return ("muons", "vertices") if "pvZ" in self._names else ("muons",)

    def read(
        self, start: int, stop: int, collections: Sequence[str] | None = None
    ) -> EventBatch:
        """Read entries ``[start, stop)``; only the branches of ``collections``."""
        wanted = [c for c in (collections or self.available) if c in self.available]
        colls: dict[str, ak.Array] = {}
        if "muons" in wanted:
            colls["muons"] = self._muons(start, stop)
        if "vertices" in wanted:
            colls["vertices"] = self._vertices(start, stop)
        return EventBatch(start=start, collections=colls, ids=self._ids(start, stop))

    def _muons(self, start: int, stop: int) -> ak.Array:
        names = list(REQUIRED[2:]) + self._muon_fields
        arr = self._tree.arrays(names, entry_start=start, entry_stop=stop, how=dict)
        pt = arr.pop("muPt")
        eta, phi = arr.pop("muEta"), arr.pop("muPhi")
        charge = ak.values_astype(np.rint(arr.pop("muC")), np.int32)
        mass = ak.full_like(pt, MUON_MASS, dtype=np.float64)
        extra = {k[2:]: v for k, v in arr.items()}
        return particles(pt, eta, phi, mass, charge, **extra)

    def _vertices(self, start: int, stop: int) -> ak.Array:
        """The one primary vertex per event (none when ``Npv`` is 0); x = y = 0."""
        names = [n for n in _VERTEX if n in self._names]
        arr = self._tree.arrays(names, entry_start=start, entry_stop=stop, library="np")
        z = arr["pvZ"].astype(np.float64) / 100.0
        has = arr["Npv"] > 0 if "Npv" in arr else np.ones(len(z), dtype=bool)
        fields = {"x": np.zeros_like(z), "y": np.zeros_like(z), "z": z}
        if "pvRho" in arr:
            fields["rho"] = arr["pvRho"].astype(np.float64) / 100.0
        if "pvNDOF" in arr:
            fields["ndof"] = arr["pvNDOF"]
        flat = ak.zip({k: v[has] for k, v in fields.items()})
        return ak.unflatten(flat, has.astype(np.int64))

    def _ids(self, start: int, stop: int) -> dict[str, np.ndarray]:
        names = ["evRunNumber", "evEventNumber"] + (["Npv"] if "Npv" in self._names else [])
        arr = self._tree.arrays(names, entry_start=start, entry_stop=stop, library="np")
        n = len(arr["evRunNumber"])
        ids = {"run": arr["evRunNumber"].astype(np.int64), "lumi": np.full(n, -1, np.int64),
               "event": arr["evEventNumber"].astype(np.int64)}
        if "Npv" in arr:
            ids["Npv"] = arr["Npv"].astype(np.int64)
        return ids

    def event_ids(self) -> dict[str, np.ndarray]:
        """Run and event numbers of all entries (two branches read)."""
        ids = self._ids(0, len(self))
        return {k: ids[k] for k in ("run", "lumi", "event")}

    def counts(self) -> dict[str, np.ndarray]:
        """Muon counts from ``Nmu`` (or the ``muPt`` sizes); vertices from ``Npv``."""
        if "Nmu" in self._names:
            mu = self._tree["Nmu"].array(library="np").astype(np.int64)
        else:
            mu = ak.to_numpy(ak.num(self._tree["muPt"].array())).astype(np.int64)
        out = {"muons": mu}
        if "vertices" in self.available:
            npv = self._tree["Npv"].array(library="np") if "Npv" in self._names else None
            out["vertices"] = np.ones(len(mu), np.int64) if npv is None else \
                (npv > 0).astype(np.int64)
        return out


def _forest_info(handle: Any) -> dict[str, str]:
    """HiForest version and global tag from ``HiForest/HiForestInfo`` (file metadata)."""
    key = "HiForest/HiForestInfo"
    if key not in handle:
        return {}
    try:
        arr = handle[key].arrays(["HiForestVersion", "GlobalTag"], entry_stop=1, library="np")
    except Exception:  # optional metadata: never fail the open for it
        return {}
    return {k: str(v[0]) for k, v in arr.items() if len(v)}


# the full forest (hiEvtAnalyzer/HiTree, anaTrack/trackTree ...) registers itself on import
from collider_viz.io.formats import hiforest_full  # noqa: E402, F401
