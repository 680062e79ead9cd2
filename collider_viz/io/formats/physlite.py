"""ATLAS DAOD_PHYSLITE: the ``CollectionTree`` of xAOD containers (TTree or RNTuple).

Each xAOD container ``X`` stores its per-object variables as ``XAuxDyn.<var>``
branches (in an RNTuple, usually named ``EventData``, the fields are
``XAuxDyn:<var>``), in MeV and mm (ATLAS PHYSLITE documentation; coffea's
``PHYSLITESchema``). Built here:

* ``electrons``, ``muons``, ``photons``, ``jets`` from ``AnalysisElectrons``,
  ``AnalysisMuons``, ``AnalysisPhotons``, ``AnalysisJets`` (``pt``, ``eta``,
  ``phi``, ``m``, ``charge``; calibrated objects);
* ``tracks`` from ``InDetTrackParticles`` perigee parameters (see :mod:`.physlite_met`);
* ``vertices`` from ``PrimaryVertices`` (``x``, ``y``, ``z``);
* ``met``, rebuilt from the objects and the track soft term (see :mod:`.physlite_met`);
* run, lumi block and event number from ``EventInfoAuxDyn``.

Every other container of the file is named in ``SourceInfo.not_read``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader, entry_span, read_error
from collider_viz.io.formats.physlite_layout import (
    atlas_sqrt_s,
    find_tree,
    numeric_lists,
    variable_names,
)
from collider_viz.io.formats.physlite_met import (
    MET_DESCRIPTION,
    SOFT_TERM,
    calo_clusters,
    rebuilt_met,
    tracks_from_perigee,
)
from collider_viz.io.registry import register
from collider_viz.physics.event import COLLECTIONS, EventBatch, SourceInfo, particles
from collider_viz.physics.masses import ELECTRON_MASS, MUON_MASS

MEV, MM = 1e-3, 1e-3
#: collection -> (xAOD container, mass in GeV used when the container has no ``m``)
OBJECTS: dict[str, tuple[str, float]] = {
    "electrons": ("AnalysisElectrons", ELECTRON_MASS),
    "muons": ("AnalysisMuons", MUON_MASS),
    "photons": ("AnalysisPhotons", 0.0),
    "jets": ("AnalysisJets", 0.0),
}
TRACKS, VERTICES, MET, INFO = ("InDetTrackParticles", "PrimaryVertices",
                               "MET_Core_AnalysisMET", "EventInfo")
TRACK_VARS = ("d0", "z0", "theta", "phi", "qOverP")
CLUSTERS, CLUSTER_VARS = "egammaClusters", ("calE", "calEta", "calPhi")
#: event ids: key in EventBatch.ids -> EventInfo variable
IDS = {"run": "runNumber", "lumi": "lumiBlock", "event": "eventNumber",
       "mu": "averageInteractionsPerCrossing"}
#: per-object variables passed through when the file has them
PASS = {"electrons": ("topoetcone20", "DFCommonElectronsLHTight", "truthType"),
        "muons": ("ptcone30", "quality", "muonType", "truthType"),
        "photons": ("topoetcone40", "DFCommonPhotonsIsEMTight"),
        "jets": ("EMFrac", "Timing", "NNJvtPass", "HadronConeExclTruthLabelID"),
        "tracks": ("chiSquared", "numberDoF", "numberOfPixelHits", "numberOfSCTHits",
                   "numberOfTRTHits"),
        "vertices": ("vertexType",)}
EXPECTED = ("an ATLAS PHYSLITE CollectionTree with AnalysisElectronsAuxDyn.pt/eta/phi, "
            "AnalysisMuonsAuxDyn.* ... (MeV, mm)")
_CONTAINER = re.compile(r"^(\w+?)Aux(?:Dyn)?[.:]")
@register
class PhysliteReader(Reader):
    """Reader of ATLAS DAOD_PHYSLITE files (TTree ``CollectionTree`` or RNTuple ``EventData``)."""

    format_name = "physlite"
    description = "ATLAS DAOD_PHYSLITE (CollectionTree / EventData with Analysis*AuxDyn.*)"
    priority = 40

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        tree = find_tree(handle)
        if tree is None:
            return False
        names = variable_names(tree)
        return any(f"{c}.pt" in names for c, _ in OBJECTS.values()) or \
            f"{INFO}.eventNumber" in names

    def __init__(self, path: str, handle: Any) -> None:
        self.path = path
        self._tree = find_tree(handle)
        if self._tree is None:
            raise FormatError(path, "no CollectionTree", EXPECTED)
        self._names = variable_names(self._tree)
        self._storage = "RNTuple" if "RNTuple" in self._tree.classname else "TTree"
        self._branches: dict[str, Any] | None = None
        if int(self._tree.num_entries) == 0:
            raise FormatError(path, "CollectionTree has no entries", "at least one event")
        self._available = self._find_available()
        if not self._available:
            raise FormatError(path, "CollectionTree has no complete object container", EXPECTED)
        self.info = self._make_info(handle)

    def _has(self, container: str, variables: Sequence[str]) -> bool:
        return all(f"{container}.{v}" in self._names for v in variables)

    def _find_available(self) -> tuple[str, ...]:
        found = [c for c, (cont, _) in OBJECTS.items() if self._has(cont, ("pt", "eta", "phi"))]
        if self._has(TRACKS, TRACK_VARS):
            found.append("tracks")
        if self._has(VERTICES, ("x", "y", "z")):
            found.append("vertices")
        if self._has(CLUSTERS, CLUSTER_VARS):
            found.append("calo")
        if self._has(MET, ("name", "mpx", "mpy")):
            found.append("met")
        return tuple(c for c in COLLECTIONS if c in found)

    def _make_info(self, handle: Any) -> SourceInfo:
        first = self._read([f"{INFO}.{v}" for v in ("runNumber", "eventTypeBitmask",
                                                     "mcChannelNumber")], 0, 1)
        run = int(first[f"{INFO}.runNumber"][0]) if f"{INFO}.runNumber" in first else -1
        bits = first.get(f"{INFO}.eventTypeBitmask")
        # EventType bit 0 is IS_SIMULATION (xAOD::EventInfo); a channel number also says MC
        sim = bool(int(bits[0]) & 1) if bits is not None else f"{INFO}.mcChannelNumber" in first
        sqrt_s = atlas_sqrt_s(run, sim)
        extra: dict[str, Any] = {"tree": self._tree.name, "storage": self._storage,
                                 "first_run": run}
        if sqrt_s is None:
            extra["sqrt_s_source"] = f"unknown: run {run} is in no ATLAS pp period of the table"
        else:
            extra["sqrt_s_source"] = f"run number {run}" + (" (MC campaign)" if sim else "")
        if "met" in self._available:
            extra["met"] = MET_DESCRIPTION
        if sim and f"{INFO}.mcChannelNumber" in first:
            extra["mcChannelNumber"] = int(first[f"{INFO}.mcChannelNumber"][0])
        return SourceInfo(path=self.path, format=self.format_name, detector="ATLAS",
                          collision_system="pp", sqrt_s=sqrt_s, is_simulation=sim,
                          label="ATLAS Open Data" + (" (simulation)" if sim else ""),
                          extra=extra, not_read=self._not_read())

    def _not_read(self) -> tuple[tuple[str, str], ...]:
        used = {cont for cont, _ in OBJECTS.values()} | {TRACKS, VERTICES, MET, INFO, CLUSTERS}
        seen: dict[str, None] = {}
        for key in self._tree.keys():
            match = _CONTAINER.match(key.replace(":", "."))
            if match and match.group(1) not in used:
                seen.setdefault(match.group(1))
        trig = [c for c in seen if c.startswith("AnalysisTrigMatch_")]
        out = [(c, "no common-form collection for this xAOD container")
               for c in seen if c not in trig]
        if trig:
            out.append((f"AnalysisTrigMatch_* ({len(trig)} containers)",
                        "trigger-matching links, not drawn"))
        return tuple(out)

    def __len__(self) -> int:
        return int(self._tree.num_entries)

    @property
    def available(self) -> tuple[str, ...]:
        return self._available

    def _branch(self, name: str) -> Any:
        if self._branches is None:
            self._branches = {b.name: b for b in self._tree.branches}
        return self._branches[name]

    def _read(self, names: Sequence[str], start: int, stop: int) -> dict[str, ak.Array]:
        """Read ``Container.var`` names (those the file has) for entries ``[start, stop)``."""
        real = {n: self._names[n] for n in dict.fromkeys(names) if n in self._names}
        if not real or stop <= start:
            return {}
        try:
            if self._storage == "TTree":  # branch by branch: uproot's name lookup in a
                # tree of ~1,500 branches costs ~20 ms a name, reading a branch far less
                arrays = {r: self._branch(r).array(entry_start=start, entry_stop=stop)
                          for r in real.values()}
            else:
                got = self._tree.arrays(list(real.values()), entry_start=start,
                                        entry_stop=stop)
                arrays = {k: got[k] for k in real.values()}
        except Exception as exc:  # uproot raises many types for damaged data
            raise read_error(self.path, entry_span(start, stop), exc) from exc
        return {n: arrays[r] for n, r in real.items()}

    def read(self, start: int, stop: int,
             collections: Sequence[str] | None = None) -> EventBatch:
        """Read entries ``[start, stop)``; MeV and mm become GeV and metres."""
        start, stop = max(int(start), 0), min(int(stop), len(self))
        stop = max(stop, start)
        wanted = [c for c in (collections or self._available) if c in self._available]
        colls: dict[str, ak.Array] = {}
        for name in OBJECTS:
            if name in wanted or "met" in wanted and name in self._available:
                colls[name] = self._objects(name, start, stop)
        if "tracks" in wanted:
            colls["tracks"] = self._tracks(start, stop)
        if "calo" in wanted:
            data = self._checked(CLUSTERS, self._read([f"{CLUSTERS}.{v}" for v in CLUSTER_VARS],
                                                      start, stop), CLUSTER_VARS, start)
            colls["calo"] = calo_clusters(data, MEV)
        if "vertices" in wanted:
            colls["vertices"] = self._vertices(start, stop)
        if "met" in wanted:
            soft = self._read([f"{MET}.{v}" for v in ("name", "mpx", "mpy")], start, stop)
            colls["met"] = rebuilt_met(colls, *(soft[f"{MET}.{v}"] for v in ("name", "mpx",
                                                                              "mpy")), MEV)
        colls = {k: v for k, v in colls.items() if k in wanted}
        return EventBatch(start=start, collections=colls, ids=self._ids(start, stop))

    def _objects(self, name: str, start: int, stop: int) -> ak.Array:
        cont, mass = OBJECTS[name]
        names = [f"{cont}.{v}" for v in ("pt", "eta", "phi", "m", "charge", *PASS[name])]
        data = self._checked(cont, self._read(names, start, stop), ("pt", "eta", "phi"), start)
        pt = data.pop("pt") * MEV
        eta, phi = data.pop("eta"), data.pop("phi")
        m = data.pop("m", None)
        m = ak.full_like(pt, mass, dtype=np.float64) if m is None else m * MEV
        charge = data.pop("charge", None)
        if name in ("photons", "jets") or charge is None:
            charge = ak.zeros_like(pt, dtype=np.int32)
        else:
            charge = ak.values_astype(np.rint(charge), np.int32)
        return particles(pt, eta, phi, m, charge, **data)

    def _tracks(self, start: int, stop: int) -> ak.Array:
        names = [f"{TRACKS}.{v}" for v in (*TRACK_VARS, "vz", *PASS["tracks"])]
        data = self._checked(TRACKS, self._read(names, start, stop), TRACK_VARS, start)
        beam = self._read([f"{INFO}.beamPosX", f"{INFO}.beamPosY"], start, stop)
        return tracks_from_perigee(data, beam.get(f"{INFO}.beamPosX"),
                                   beam.get(f"{INFO}.beamPosY"), MEV, MM)

    def _vertices(self, start: int, stop: int) -> ak.Array:
        names = [f"{VERTICES}.{v}" for v in ("x", "y", "z", *PASS["vertices"])]
        data = self._checked(VERTICES, self._read(names, start, stop), ("x", "y", "z"), start)
        return ak.zip({k: (v * MM if k in "xyz" else v) for k, v in data.items()})

    def _checked(self, container: str, data: dict[str, ak.Array], required: Sequence[str],
                 start: int) -> dict[str, ak.Array]:
        """Variables by short name; FormatError unless the required ones are one list of
        numbers per event, all of the same lengths (other variables that differ are dropped)."""
        out = {k.split(".", 1)[1]: v for k, v in data.items()}
        ref = out[required[0]]
        span = entry_span(start, start + len(ref))
        for name in required:
            arr = out[name]
            if not numeric_lists(arr):
                raise FormatError(self.path, f"{container}AuxDyn.{name} is {ak.type(arr)} "
                                  f"(reading {span})", "one list of numbers per event")
            if not ak.all(ak.num(arr) == ak.num(ref)):
                raise FormatError(self.path, f"reading {span}: {container}AuxDyn.{name} has "
                                  f"other lengths than {container}AuxDyn.{required[0]}",
                                  "one value per object")
        return {k: v for k, v in out.items() if k in required or
                v.ndim == 2 and bool(ak.all(ak.num(v) == ak.num(ref)))}

    def _ids(self, start: int, stop: int) -> dict[str, np.ndarray]:
        data = self._read([f"{INFO}.{v}" for v in IDS.values()], start, stop)
        out: dict[str, np.ndarray] = {}
        for key, var in IDS.items():
            arr = data.get(f"{INFO}.{var}")
            if arr is not None:
                out[key] = ak.to_numpy(arr).astype(np.float64 if key == "mu" else np.int64)
            elif key != "mu":
                out[key] = np.full(stop - start, -1, dtype=np.int64)
        return out

    def event_ids(self) -> dict[str, np.ndarray]:
        ids = self._ids(0, len(self))
        return {k: ids[k] for k in ("run", "lumi", "event")}

    def counts(self) -> dict[str, np.ndarray]:
        """Objects per event from one variable of each container."""
        ref = {c: f"{cont}.pt" for c, (cont, _) in OBJECTS.items()}
        ref |= {"tracks": f"{TRACKS}.qOverP", "vertices": f"{VERTICES}.x",
                "calo": f"{CLUSTERS}.calE"}
        data = self._read([ref[c] for c in self._available if c in ref], 0, len(self))
        out = {c: ak.to_numpy(ak.num(data[ref[c]], axis=1)).astype(np.int64)
               for c in self._available if c in ref}
        if "met" in self._available:
            out["met"] = np.ones(len(self), dtype=np.int64)
        return {c: out[c] for c in self._available}


__all__ = ["PhysliteReader", "SOFT_TERM", "atlas_sqrt_s"]
