"""CMS iSpy ``.ig`` files: a zip with one ``Events/Run_R/Event_E`` member per event.

Each member is parsed (safely, see :mod:`collider_viz.io.igparse`) only when one
of its events is read; fields are found by name through the event's ``Types``.
iSpy positions are in metres (the ECAL barrel front face is at r = 1.29 m).

* tracks: ``Tracks_V1..V3`` (pos, pt, eta, phi, charge; pion mass)
* photons: ``Photons_V1`` (pt = et); electrons: ``GsfElectrons_V1/V2``
* muons: ``GlobalMuons``, plus tracker and stand-alone muons not matching one
  already taken (``kind`` says which)
* jets: ``PFJets`` else ``Jets`` (pt = et); met: ``PFMETs`` else ``METs`` else ``CaloMETs``
* vertices: ``Vertices``/``PrimaryVertices``; calo: ``EB/EE/HB/HE/HF/HORecHits`` at
  the centre of the cell's front face
"""

from __future__ import annotations

import re
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import awkward as ak
import numpy as np
from particle import Particle

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.igparse import IgSyntaxError, parse_event, table
from collider_viz.io.registry import register
from collider_viz.physics.event import (
    COLLECTIONS,
    PARTICLE_COLLECTIONS,
    EventBatch,
    SourceInfo,
    missing_et,
    particles,
)

_MEMBER = re.compile(r"^Events/Run_(\d+)/Event_(\d+)$")
EXPECTED = "a CMS iSpy .ig zip with Events/Run_R/Event_E members"
_CACHE_SIZE = 8
Columns = dict[str, np.ndarray]
#: mass (GeV) given to each particle collection
MASSES = {
    "tracks": Particle.from_pdgid(211).mass / 1e3,
    "photons": 0.0,
    "electrons": Particle.from_pdgid(11).mass / 1e3,
    "muons": Particle.from_pdgid(13).mass / 1e3,
    "jets": 0.0,
}
CALO_SUBDETS = ("EB", "EE", "HB", "HE", "HF", "HO")


def _members(names: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(run, event, member)`` of the event members, sorted by run then event."""
    found = [(int(m.group(1)), int(m.group(2)), n) for n in names if (m := _MEMBER.match(n))]
    return sorted(found)


@register
class IspyReader(Reader):
    """Reader of CMS iSpy ``.ig`` event files.

    Parameters
    ----------
    path : str
        Path of the ``.ig`` file.
    handle : None
        Unused (``.ig`` files are zips, not ROOT files).
    """

    format_name = "ispy"
    description = "CMS iSpy .ig event file (zip of Events/Run_R/Event_E texts)"
    priority = 50

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """True for a zip holding at least one ``Events/Run_R/Event_E`` member."""
        if handle is not None or not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as zf:
            return bool(_members(zf.namelist()))

    def __init__(self, path: str, handle: Any = None) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise FormatError(path, f"not a readable zip ({exc})", EXPECTED) from None
        self._events = _members(self._zip.namelist())
        if not self._events:
            raise FormatError(path, "no Events/Run_R/Event_E members", EXPECTED)
        self._cache: OrderedDict[int, dict[str, Any]] = OrderedDict()
        energies = sorted({e for e in (_sqrt_s(r) for r, _, _ in self._events) if e})
        self.info = SourceInfo(
            path=path, format=self.format_name, detector="CMS", collision_system="pp",
            sqrt_s=energies[0] if len(energies) == 1 else None,
            is_simulation=self._events[0][0] == 1, label="CMS Open Data",
            extra={"source": "CMS iSpy event display file", "sqrt_s_values": energies},
        )

    def __len__(self) -> int:
        return len(self._events)

    @property
    def available(self) -> tuple[str, ...]:
        """Every collection of the common form (empty where an event has none)."""
        return COLLECTIONS

    def read(
        self, start: int, stop: int, collections: Sequence[str] | None = None
    ) -> EventBatch:
        """Parse the members of events ``[start, stop)`` (one member per event)."""
        wanted = [c for c in (collections or COLLECTIONS) if c in COLLECTIONS]
        events = [self._event(i) for i in range(max(start, 0), min(stop, len(self)))]
        colls = {name: _stack(name, [e[name] for e in events]) for name in wanted}
        keys = ("run", "lumi", "event")
        ids = {k: np.array([e["ids"][k] for e in events], dtype=np.int64) for k in keys}
        return EventBatch(start=start, collections=colls, ids=ids,
                          times=[e["time"] for e in events])

    def _event(self, i: int) -> dict[str, Any]:
        """Flat collections and ids of event ``i`` (parsed once, then cached)."""
        if i in self._cache:
            self._cache.move_to_end(i)
            return self._cache[i]
        run, event, member = self._events[i]
        try:
            parsed = parse_event(self._zip.read(member))
            built: dict[str, Any] = {name: BUILDERS[name](parsed) for name in COLLECTIONS}
            ids, time = _event_meta(parsed, run, event)
        except IgSyntaxError as exc:
            raise FormatError(self.path, f"{member}: {exc}", EXPECTED) from None
        built.update(ids=ids, time=_iso_time(time))
        self._cache[i] = built
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return built

    def event_ids(self) -> dict[str, np.ndarray]:
        """Run and event numbers from the member names (no parsing; lumi -1)."""
        arr = np.array([(r, e) for r, e, _ in self._events], dtype=np.int64).reshape(-1, 2)
        return {"run": arr[:, 0], "lumi": np.full(len(arr), -1, np.int64), "event": arr[:, 1]}

    def counts(self) -> dict[str, np.ndarray]:
        """Per-event counts (every member must be parsed once)."""
        per = [self._event(i) for i in range(len(self))]
        return {c: np.array([_size(e[c]) for e in per], dtype=np.int64) for c in COLLECTIONS}

    def close(self) -> None:
        """Close the zip."""
        self._zip.close()


def _sqrt_s(run: int) -> float | None:
    """LHC proton-proton energy (GeV) of a CMS run number."""
    for first, last, energy in ((133874, 180252, 7000.0), (190456, 208686, 8000.0),
                                (246908, 325175, 13000.0), (355100, 999999, 13600.0)):
        if first <= run <= last:
            return energy
    return None


def _iso_time(value: Any) -> str | None:
    """``'2012-May-14 05:37:38.031429 GMT'`` -> ``'2012-05-14T05:37:38.031429+00:00'``."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace(" GMT", "").replace(" UTC", "").strip()
    for fmt in ("%Y-%b-%d %H:%M:%S.%f", "%Y-%b-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc).isoformat()
        except ValueError:
            continue
    return value


# --- one event: iSpy collections -> flat numpy columns -------------------------------------


def _pick(event: dict[str, Any], *prefixes: str) -> str | None:
    """The collection to use: first prefix with a ``<prefix>_V<n>`` entry in ``Types``;
    among its versions the highest one that has rows (else the highest)."""
    colls = event["Collections"]
    for prefix in prefixes:
        versions = sorted((int(m.group(1)), name) for name in event["Types"]
                          if (m := re.fullmatch(re.escape(prefix) + r"_V(\d+)", name)))
        if versions:
            filled = [name for _, name in versions if colls.get(name)]
            return filled[-1] if filled else versions[-1][1]
    return None


def _size(cols: Columns) -> int:
    return len(next(iter(cols.values()))) if cols else 0


def _empty(*names: str) -> Columns:
    return {n: np.zeros(0) for n in names}


def _with_point(cols: Columns, key: str) -> Columns:
    """Replace the ``(n, 3)`` column ``key`` (metres) by ``vx``, ``vy``, ``vz``."""
    point = cols.pop(key).reshape(-1, 3)
    cols.update(vx=point[:, 0], vy=point[:, 1], vz=point[:, 2])
    return cols


def _tracks(event: dict[str, Any]) -> Columns:
    name = _pick(event, "Tracks")
    if name is None:
        return _empty("pt", "eta", "phi", "charge", "vx", "vy", "vz", "chi2", "ndof")
    cols = table(event, name, ("pt", "eta", "phi", "charge", "pos"), ("chi2", "ndof"))
    return _with_point(cols, "pos")


def _photons(event: dict[str, Any]) -> Columns:
    name = _pick(event, "Photons")
    if name is None:
        return _empty("pt", "eta", "phi", "vx", "vy", "vz", "hadronicOverEm", "r9")
    cols = table(event, name, ("et", "eta", "phi", "pos"), ("hadronicOverEm", "r9"))
    cols["pt"] = cols.pop("et")
    return _with_point(cols, "pos")


def _electrons(event: dict[str, Any]) -> Columns:
    name = _pick(event, "GsfElectrons")
    if name is None:
        return _empty("pt", "eta", "phi", "charge", "vx", "vy", "vz")
    return _with_point(table(event, name, ("pt", "eta", "phi", "charge", "pos")), "pos")


def _muons(event: dict[str, Any]) -> Columns:
    """Global muons, then tracker (dR < 0.02) and stand-alone (dR < 0.1) ones not yet taken."""
    parts = []
    for prefix, kind, d_r in (("GlobalMuons", "global", 0.0), ("TrackerMuons", "tracker", 0.02),
                              ("StandaloneMuons", "standalone", 0.1)):
        name = _pick(event, prefix)
        if name is None:
            continue
        point = "rp" if _has(event, name, "rp") else "pos"
        cols = _with_point(table(event, name, ("pt", "eta", "phi", "charge", point)), point)
        cols["kind"] = np.full(len(cols["pt"]), kind)
        keep = ~_matched(cols, parts, d_r) if parts else np.ones(len(cols["pt"]), bool)
        parts.append({k: v[keep] for k, v in cols.items()})
    if not parts:
        return {**_empty("pt", "eta", "phi", "charge", "vx", "vy", "vz"),
                "kind": np.zeros(0, dtype=str)}
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _has(event: dict[str, Any], name: str, field: str) -> bool:
    return any(f[0] == field for f in event["Types"][name])


def _matched(cols: Columns, taken: list[Columns], d_r: float) -> np.ndarray:
    """True where a muon of ``cols`` lies within ``d_r`` of one already taken."""
    eta = np.concatenate([t["eta"] for t in taken])
    phi = np.concatenate([t["phi"] for t in taken])
    d_eta = cols["eta"][:, None] - eta[None, :]
    d_phi = (cols["phi"][:, None] - phi[None, :] + np.pi) % (2 * np.pi) - np.pi
    return (np.hypot(d_eta, d_phi) < d_r).any(axis=1) if len(eta) else \
        np.zeros(len(cols["eta"]), bool)


def _jets(event: dict[str, Any]) -> Columns:
    name = _pick(event, "PFJets", "Jets")
    if name is None:
        return _empty("pt", "eta", "phi")
    cols = table(event, name, ("et", "eta", "phi"))
    cols["pt"] = cols.pop("et")
    return cols


def _met(event: dict[str, Any]) -> Columns:
    """Exactly one record: the first of PF, plain and calo MET (zero when absent)."""
    name = _pick(event, "PFMETs", "METs", "CaloMETs")
    cols = table(event, name, ("pt", "phi")) if name else _empty("pt", "phi")
    if len(cols["pt"]) == 0:
        return {"pt": np.zeros(1), "phi": np.zeros(1)}
    return {k: v[:1] for k, v in cols.items()}


def _vertices(event: dict[str, Any]) -> Columns:
    name = _pick(event, "PrimaryVertices", "Vertices")
    if name is None:
        return _empty("x", "y", "z", "ndof", "chi2")
    cols = table(event, name, ("pos",), ("ndof", "chi2"))
    pos = cols.pop("pos").reshape(-1, 3)
    return {"x": pos[:, 0], "y": pos[:, 1], "z": pos[:, 2], **cols}


def _calo(event: dict[str, Any]) -> Columns:
    """Rec-hits of every calorimeter, at the centre of each cell's front face."""
    parts = []
    for sub in CALO_SUBDETS:
        name = _pick(event, f"{sub}RecHits")
        if name is None:
            continue
        fronts = tuple(f"front_{k}" for k in range(1, 5))
        cols = table(event, name, ("energy", "eta", "phi", *fronts), ("time", "detid"))
        centre = sum(cols.pop(f).reshape(-1, 3) for f in fronts) / 4.0
        cols.update(x=centre[:, 0], y=centre[:, 1], z=centre[:, 2],
                    subdet=np.full(len(centre), sub))
        parts.append(cols)
    if not parts:
        return {**_empty("energy", "eta", "phi", "time", "detid", "x", "y", "z"),
                "subdet": np.zeros(0, dtype=str)}
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


BUILDERS = {"tracks": _tracks, "photons": _photons, "electrons": _electrons, "muons": _muons,
            "jets": _jets, "met": _met, "vertices": _vertices, "calo": _calo}


def _event_meta(event: dict[str, Any], run: int, number: int) -> tuple[dict[str, int], Any]:
    """Run, lumi (``ls``) and event from ``Event_V*`` (member name as fallback), and time."""
    ids = {"run": run, "lumi": -1, "event": number}
    name = _pick(event, "Event")
    if name is None or not event["Collections"].get(name):
        return ids, None
    cols = table(event, name, (), ("run", "event", "ls", "time"))
    for key, field in (("run", "run"), ("event", "event"), ("lumi", "ls")):
        if np.isfinite(cols[field][0]):
            ids[key] = int(cols[field][0])
    return ids, cols["time"][0]


# --- a batch: flat columns of each event -> arrays jagged over events ----------------------


def _stack(name: str, per_event: list[Columns]) -> ak.Array:
    """Concatenate the events' columns and build the common-form collection."""
    sizes = np.array([_size(c) for c in per_event], dtype=np.int64)
    keys = per_event[0].keys() if per_event else BUILDERS[name]({"Types": {}, "Collections": {}})
    flat = {k: np.concatenate([c[k] for c in per_event]) if per_event else np.zeros(0)
            for k in keys}
    if name == "met":
        return missing_et(flat["pt"], flat["phi"])
    if name in PARTICLE_COLLECTIONS:
        pt, eta, phi = flat.pop("pt"), flat.pop("eta"), flat.pop("phi")
        charge = flat.pop("charge", np.zeros(len(pt))).astype(np.int32)
        mass = np.full(len(pt), MASSES[name])
        records = particles(pt, eta, phi, mass, charge, **flat)
    else:
        if "detid" in flat:
            flat["detid"] = np.nan_to_num(flat["detid"], nan=-1).astype(np.int64)
        records = ak.zip(flat)
    return ak.unflatten(records, sizes)
