"""The full CMS HiForest: one analyzer tree per object type, joined by entry number.

``hiEvtAnalyzer/HiTree`` holds the event (``run``, ``evt``, ``lumi``, vertex
``vx, vy, vz`` in cm, ``hiBin`` = centrality bin 0–199 in 0.5 % steps, HF
energies, event planes); ``anaTrack/trackTree`` (``ppTrack/trackTree`` in pp
forests) the tracks (``nTrk``, ``trkPt``, ``trkEta``, ``trkPhi``, ``trkCharge``,
``highPurity``, ``trkDxy1``/``trkDz1`` to the first vertex ``xVtx, yVtx, zVtx``
in cm ...); ``<algo>JetAnalyzer/t`` jets (``jtpt``, ``jteta``, ``jtphi``, ``jtm``);
``multiPhotonAnalyzer/photon`` or ``ggHiNtuplizer/EventTree`` photons (and the
latter's electrons and muons). Tracks are the ``highPurity`` ones, the CMS
heavy-ion track selection; the others are counted in ``not_read``. Collision
system and √s_NN come from the run number (:mod:`collider_viz.io.cms_runs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.cms_runs import cms_collision
from collider_viz.io.registry import register
from collider_viz.physics.event import EventBatch, SourceInfo, particles

EVENT_TREE = "hiEvtAnalyzer/HiTree"
#: 2010–2015 forests, pp forests, 2018 Pb+Pb forests
TRACK_TREES = ("anaTrack/trackTree", "ppTrack/trackTree", "PbPbTracks/trackTree")
EXPECTED = "a HiForest with hiEvtAnalyzer/HiTree (run, evt, lumi, hiBin) and analyzer trees"
CM = 0.01
#: names ``vector`` reads as coordinates: pass-through fields so named become ``file_<name>``
VECTOR_NAMES = frozenset({"E", "M", "e", "energy", "eta", "m", "mass", "phi", "pt", "px", "py",
                          "pz", "rho", "t", "tau", "theta", "x", "y", "z"})


class Spec(NamedTuple):
    """Where one particle collection lives: tree, common field -> branch, mass (GeV)."""

    tree: str
    fields: dict[str, str]
    mass: float
    extra: tuple[str, ...] = ()


TRACKS = {t: Spec(t, {"pt": "trkPt", "eta": "trkEta", "phi": "trkPhi", "charge": "trkCharge"},
                  0.13957, ("highPurity", "trkNHit", "trkChi2", "trkNdof", "trkPtError",
                            "trkDxy1", "trkDz1", "trkAlgo")) for t in TRACK_TREES}
GG = ("ggHiNtuplizer/EventTree", "ggHiNtuplizerGED/EventTree")
OTHERS = {
    "photons": (Spec("multiPhotonAnalyzer/photon", {"pt": "pt", "eta": "eta", "phi": "phi"},
                     0.0, ("energy", "r9", "sigmaIetaIeta", "hadronicOverEm")),
                *(Spec(g, {"pt": "phoEt", "eta": "phoEta", "phi": "phoPhi"}, 0.0,
                       ("phoE", "phoR9", "phoSigmaIEtaIEta")) for g in GG)),
    "electrons": tuple(Spec(g, {"pt": "elePt", "eta": "eleEta", "phi": "elePhi",
                                "charge": "eleCharge"}, 0.000511, ("eleD0", "eleDz"))
                       for g in GG),
    "muons": tuple(Spec(g, {"pt": "muPt", "eta": "muEta", "phi": "muPhi", "charge": "muCharge"},
                        0.10566, ("muD0", "muDz")) for g in GG),
}
#: preferred jet analyzers (anti-kT R = 0.3/0.4, pile-up subtracted PF first)
JET_ORDER = ("akPu3PF", "akCs4PF", "akPu4PF", "akVs3PF", "akCs3PF", "ak4PF", "akPu3Calo")
JET_FIELDS = {"pt": "jtpt", "eta": "jteta", "phi": "jtphi", "mass": "jtm"}
#: event scalars passed to EventMeta.extra (name there -> HiTree branch)
EVENT_EXTRA = {"hiBin": "hiBin", "hiHF": "hiHF", "hiNpix": "hiNpix", "vz_cm": "vz"}


def _has(handle: Any, tree: str, branches: Sequence[str]) -> bool:
    return tree in handle and set(branches) <= set(handle[tree].keys())


def _jet_tree(handle: Any, trees: Sequence[str]) -> tuple[str | None, list[str]]:
    jets = [t for t in trees if t.endswith("JetAnalyzer/t")
            and _has(handle, t, ("jtpt", "jteta", "jtphi"))]
    rank = {algo: i for i, algo in enumerate(JET_ORDER)}
    jets.sort(key=lambda t: rank.get(t.split("JetAnalyzer")[0], len(rank)))
    return (jets[0] if jets else None), jets[1:]


@register
class HiForestFullReader(Reader):
    """Reader of a full HiForest (``hiEvtAnalyzer/HiTree`` plus analyzer trees)."""

    format_name = "hiforest"
    description = "CMS HiForest (hiEvtAnalyzer/HiTree, anaTrack/trackTree, jet/photon trees)"
    priority = 55

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        return handle is not None and _has(handle, EVENT_TREE, ("run", "evt"))

    def __init__(self, path: str, handle: Any) -> None:
        self.path, self._file = path, handle
        if not self.sniff(path, handle):
            raise FormatError(path, f"no {EVENT_TREE} with run, evt", EXPECTED)
        self._events = handle[EVENT_TREE]
        trees = [k for k, c in handle.classnames(cycle=False).items() if c in ("TTree",
                                                                               "TNtuple")]
        self._specs: dict[str, Spec] = {}
        track = next((t for t in TRACK_TREES if _has(handle, t, TRACKS[t].fields.values())),
                     None)
        if track:
            self._specs["tracks"] = TRACKS[track]
        jet, other_jets = _jet_tree(handle, trees)
        if jet:
            radius = next((int(c) for c in jet.split("JetAnalyzer")[0] if c.isdigit()), 4) / 10
            self._specs["jets"] = Spec(jet, dict(JET_FIELDS), 0.0, ("rawpt", "refpt"))
            self._radius = radius
        for name, options in OTHERS.items():
            spec = next((s for s in options if _has(handle, s.tree, s.fields.values())), None)
            if spec:
                self._specs[name] = spec
        self._check_lengths()
        self.info = self._make_info(trees, other_jets)

    def _check_lengths(self) -> None:
        n = int(self._events.num_entries)
        for spec in self._specs.values():
            m = int(self._file[spec.tree].num_entries)
            if m != n:
                raise FormatError(self.path, f"{spec.tree} has {m} entries but {EVENT_TREE} "
                                  f"has {n}", "analyzer trees joined entry by entry")

    def _make_info(self, trees: Sequence[str], other_jets: Sequence[str]) -> SourceInfo:
        run = int(self._events["run"].array(entry_stop=1, library="np")[0]) if len(self) else 0
        collision = cms_collision(run)
        system, sqrt_s = collision
        used = {s.tree for s in self._specs.values()} | {EVENT_TREE}
        not_read = [(t, "another jet algorithm (shown: "
                     f"{self._specs['jets'].tree.split('JetAnalyzer')[0]})") for t in other_jets]
        not_read += [(t, "no common-form collection for this analyzer tree")
                     for t in trees if t not in used and t not in other_jets]
        if "tracks" in self._specs:
            hp = self._file[self._specs["tracks"].tree]
            if "highPurity" in hp.keys():
                n_all = int(np.sum(hp["nTrk"].array(library="np"))) if "nTrk" in hp.keys() \
                    else None
                if n_all is not None:
                    not_read.append(("tracks without highPurity", "not high purity (the CMS "
                                     f"heavy-ion track selection); the forest has {n_all} "
                                     "tracks in all"))
        return SourceInfo(path=self.path, format=self.format_name, detector="CMS",
                          collision_system=system, sqrt_s=sqrt_s, is_simulation=False,
                          label="CMS Open Data",
                          extra={"tree": EVENT_TREE, "first_run": run,
                                 "sqrt_s_source": f"run number {run}",
                                 "centrality": "hiBin / 2 (%), the forest's own estimator"},
                          not_read=tuple(not_read))

    def __len__(self) -> int:
        return int(self._events.num_entries)

    @property
    def available(self) -> tuple[str, ...]:
        order = ("tracks", "photons", "electrons", "muons", "jets")
        return tuple(c for c in order if c in self._specs) + ("vertices",)

    def read(self, start: int, stop: int,
             collections: Sequence[str] | None = None) -> EventBatch:
        """Read entries ``[start, stop)`` from the trees of ``collections`` only."""
        start, stop = max(int(start), 0), min(int(stop), len(self))
        stop = max(start, stop)
        wanted = [c for c in (collections or self.available) if c in self.available]
        colls = {c: self._particles(c, start, stop) for c in wanted if c in self._specs}
        if "vertices" in wanted:
            colls["vertices"] = self._vertices(start, stop)
        return EventBatch(start=start, collections=colls, ids=self._ids(start, stop))

    def _arrays(self, tree: str, names: Sequence[str], start: int, stop: int) -> dict:
        have = set(self._file[tree].keys())
        return self._file[tree].arrays([n for n in names if n in have], entry_start=start,
                                       entry_stop=stop, how=dict)

    def _particles(self, name: str, start: int, stop: int) -> ak.Array:
        spec = self._specs[name]
        arr = self._arrays(spec.tree, [*spec.fields.values(), *spec.extra], start, stop)
        core = {k: arr.pop(b) for k, b in spec.fields.items() if b in arr}
        if name == "tracks" and "highPurity" in arr:
            keep = arr["highPurity"]
            core = {k: v[keep] for k, v in core.items()}
            arr = {k: v[keep] for k, v in arr.items()}
        pt = core["pt"]
        mass = core.get("mass", ak.full_like(pt, spec.mass, dtype=np.float64))
        charge = core.get("charge")
        charge = None if charge is None else ak.values_astype(charge, np.int32)
        extra = {(f"file_{k}" if k in VECTOR_NAMES else k): v for k, v in arr.items()}
        if name == "jets":
            extra["radius"] = ak.full_like(pt, self._radius, dtype=np.float64)
        if name == "tracks":
            extra.update(self._reference(start, stop, core["phi"], arr))
        return particles(pt, core["eta"], core["phi"], mass, charge, **extra)

    def _reference(self, start: int, stop: int, phi: ak.Array, arr: dict) -> dict:
        """Track reference point (m): the first vertex moved by ``trkDxy1``, ``trkDz1``."""
        vtx = self._vertex_xyz(start, stop)
        first = {k: ak.fill_none(ak.firsts(v), 0.0) for k, v in vtx.items()}
        dxy = arr.get("trkDxy1", ak.zeros_like(phi))
        dz = arr.get("trkDz1", ak.zeros_like(phi))
        return {"vx": first["x"] - dxy * CM * np.sin(phi), "vy": first["y"] + dxy * CM *
                np.cos(phi), "vz": first["z"] + dz * CM}

    def _vertex_xyz(self, start: int, stop: int) -> dict[str, ak.Array]:
        spec = self._specs.get("tracks")
        if spec and _has(self._file, spec.tree, ("xVtx", "yVtx", "zVtx")):
            arr = self._arrays(spec.tree, ["xVtx", "yVtx", "zVtx"], start, stop)
            return {k[0]: v * CM for k, v in arr.items()}
        arr = self._arrays(EVENT_TREE, ["vx", "vy", "vz"], start, stop)
        zeros = np.zeros(stop - start)
        return {k: ak.unflatten(ak.Array(np.asarray(arr.get(f"v{k}", zeros), np.float64) * CM), 1)
                for k in "xyz"}

    def _vertices(self, start: int, stop: int) -> ak.Array:
        return ak.zip(self._vertex_xyz(start, stop))

    def _ids(self, start: int, stop: int) -> dict[str, np.ndarray]:
        names = ["run", "evt", "lumi", *EVENT_EXTRA.values()]
        arr = self._events.arrays([n for n in names if n in self._events.keys()],
                                  entry_start=start, entry_stop=stop, library="np")
        n = stop - start
        ids = {"run": arr["run"].astype(np.int64), "event": arr["evt"].astype(np.int64),
               "lumi": arr.get("lumi", np.full(n, -1)).astype(np.int64)}
        for key, branch in EVENT_EXTRA.items():
            if branch in arr:
                ids[key] = arr[branch]
        if "hiBin" in arr and self.info.collision_system != "pp":  # pp forests: no centrality
            ids["centrality"] = arr["hiBin"].astype(np.float64) * 0.5
        return ids

    def event_ids(self) -> dict[str, np.ndarray]:
        ids = self._ids(0, len(self))
        return {k: ids[k] for k in ("run", "lumi", "event")}
