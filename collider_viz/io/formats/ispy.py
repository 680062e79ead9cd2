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
from collider_viz.io.cms_runs import cms_sqrt_s
from collider_viz.io.formats.ispy_collections import BUILDERS, Columns, n_rows, pick
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
#: mass (GeV) given to each particle collection
MASSES = {
    "tracks": Particle.from_pdgid(211).mass / 1e3,
    "photons": 0.0,
    "electrons": Particle.from_pdgid(11).mass / 1e3,
    "muons": Particle.from_pdgid(13).mass / 1e3,
    "jets": 0.0,
}


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
        energies = sorted({e for e in (cms_sqrt_s(r) for r, _, _ in self._events) if e})
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
        return {c: np.array([n_rows(e[c]) for e in per], dtype=np.int64) for c in COLLECTIONS}

    def close(self) -> None:
        """Close the zip."""
        self._zip.close()


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


def _event_meta(event: dict[str, Any], run: int, number: int) -> tuple[dict[str, int], Any]:
    """Run, lumi (``ls``) and event from ``Event_V*`` (member name as fallback), and time."""
    ids = {"run": run, "lumi": -1, "event": number}
    name = pick(event, "Event")
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
    sizes = np.array([n_rows(c) for c in per_event], dtype=np.int64)
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
