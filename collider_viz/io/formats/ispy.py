"""CMS iSpy ``.ig`` files: a zip with one ``Events/Run_R/Event_E`` member per event.

Each member is parsed (safely, see :mod:`collider_viz.io.igparse`) only when one
of its events is read; fields are found by name through the event's ``Types``.
iSpy positions are in metres (the ECAL barrel front face is at r = 1.29 m).

* tracks: ``Tracks_V1..V4`` (pos, pt, eta, phi, charge; pion mass) with CMS's
  own trajectory in ``path_x/_y/_z`` (:mod:`~collider_viz.io.formats.ispy_paths`)
* photons: ``Photons``/``PATPhotons`` (pt = et); electrons: ``GsfElectrons_V1..V3``
  or ``PATElectrons``, with their ``Extras_V1`` trajectory
* muons: ``GlobalMuons``/``PATGlobalMuons``, plus tracker and stand-alone (reco or
  PAT) muons not matching one already taken (``kind`` says which), with CMS's
  propagated ``Points_V1`` (else their ``Extras_V1``) as path
* jets: ``PFJets`` else ``PATJets`` else ``Jets`` (pt = et); met: ``PFMETs`` else
  ``PATMETs`` else ``METs`` else ``CaloMETs``
* vertices: ``PrimaryVertices``/``Vertices``; calo: ``EB/EE/ES/HB/HE/HF/HORecHits``
  at the centre of the cell's front face
* muon system: DT/CSC segments, RPC/DT/CSC rec-hits and matched chambers
  (:mod:`~collider_viz.io.formats.ispy_muon_system`)

Ids come from ``Event_V1..V3`` (run, event, lumi section ``ls``); √s per event
from the run (``EventMeta.extra["sqrt_s"]``, :func:`~collider_viz.io.cms_runs.cms_sqrt_s`).
Every collection the file holds but that is not shown is named in
``SourceInfo.not_read`` (:mod:`~collider_viz.io.formats.ispy_catalog`).  Members are
inflated as streams under :data:`~collider_viz.io.igparse.MAX_MEMBER_BYTES` and
refused beyond :data:`~collider_viz.io.igparse.MAX_ROWS` rows per collection.
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

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.cms_runs import cms_sqrt_s
from collider_viz.io.formats import ispy_catalog, ispy_muon_system
from collider_viz.io.formats.ispy_collections import BUILDERS, Columns, as_ids, n_rows, pick
from collider_viz.io.igparse import IgSyntaxError, check_rows, parse_event, read_member, table
from collider_viz.io.registry import register
from collider_viz.physics.event import (
    COLLECTIONS,
    MUON_SYSTEM_COLLECTIONS,
    PARTICLE_COLLECTIONS,
    EventBatch,
    SourceInfo,
    missing_et,
)
from collider_viz.physics.masses import ELECTRON_MASS, MUON_MASS, PION_MASS

_MEMBER = re.compile(r"^Events/Run_(\d+)/Event_(\d+)$")
EXPECTED = "a CMS iSpy .ig zip with Events/Run_R/Event_E members"
_CACHE_SIZE = 8
#: members whose ``Types`` head is surveyed when the file is opened
SURVEY_LIMIT = 2000
ALL_BUILDERS = {**BUILDERS, **ispy_muon_system.BUILDERS}
#: mass (GeV) given to each particle collection
MASSES = {
    "tracks": PION_MASS,
    "photons": 0.0,
    "electrons": ELECTRON_MASS,
    "muons": MUON_MASS,
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
        names, self._head_ids = ispy_catalog.survey(
            self._zip, [m for _, _, m in self._events], SURVEY_LIMIT)
        energies = sorted({e for e in (cms_sqrt_s(r) for r, _, _ in self._events) if e})
        self.info = SourceInfo(
            path=path, format=self.format_name, detector="CMS", collision_system="pp",
            sqrt_s=energies[0] if len(energies) == 1 else None,
            is_simulation=self._events[0][0] == 1, label="CMS Open Data",
            extra={"source": "CMS iSpy event display file", "sqrt_s_values": energies,
                   "members_surveyed": min(len(self._events), SURVEY_LIMIT)},
            not_read=ispy_catalog.not_read(names),
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
        events = [self._event(i) for i in range(max(start, 0), min(stop, len(self)))]
        return batch_of(events, start, collections)

    def _event(self, i: int) -> dict[str, Any]:
        """Flat collections and ids of event ``i`` (parsed once, then cached)."""
        if i in self._cache:
            self._cache.move_to_end(i)
            return self._cache[i]
        run, event, member = self._events[i]
        try:
            built = build_event(read_member(self._zip, member), run, event)
        except IgSyntaxError as exc:
            raise FormatError(self.path, f"{member}: {exc}", EXPECTED) from None
        self._cache[i] = built
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return built

    def event_ids(self) -> dict[str, np.ndarray]:
        """Run and event from the member names, lumi from each ``Event_V*`` row (-1 if none).

        The lumi section is taken from the member's head (read when the file was
        opened) or from the parsed event where it is cached; no member is parsed.
        """
        arr = np.array([(r, e) for r, e, _ in self._events], dtype=np.int64).reshape(-1, 2)
        lumi = np.array([self._cache[i]["ids"]["lumi"] if i in self._cache
                         else self._head_ids[i].get("lumi", -1)
                         for i in range(len(arr))], dtype=np.int64)
        return {"run": arr[:, 0], "lumi": lumi, "event": arr[:, 1],
                "sqrt_s": np.array([cms_sqrt_s(int(r)) or np.nan for r in arr[:, 0]])}

    def counts(self) -> dict[str, np.ndarray]:
        """Per-event counts (every member must be parsed once)."""
        per = [self._event(i) for i in range(len(self))]
        return {c: np.array([n_rows(e[c]) for e in per], dtype=np.int64) for c in COLLECTIONS}

    def close(self) -> None:
        """Close the zip."""
        self._zip.close()


def build_event(text: bytes | str, run: int = -1, number: int = -1) -> dict[str, Any]:
    """Parse one event text and build every collection, its ids and time.

    ``run`` and ``number`` are used where the event has no ``Event_V*`` row.

    Raises
    ------
    IgSyntaxError
        On a malformed text or one beyond :data:`~collider_viz.io.igparse.MAX_ROWS`.
    """
    parsed = parse_event(text)
    check_rows(parsed)
    built: dict[str, Any] = {name: ALL_BUILDERS[name](parsed) for name in COLLECTIONS}
    ids, time = _event_meta(parsed, run, number)
    built.update(ids=ids, time=_iso_time(time))
    return built


def batch_of(events: list[dict[str, Any]], start: int, collections: Sequence[str] | None,
             ) -> EventBatch:
    """Stack built events (see :func:`build_event`) into a batch."""
    wanted = [c for c in (collections or COLLECTIONS) if c in COLLECTIONS]
    colls = {name: _stack(name, [e[name] for e in events]) for name in wanted}
    keys = ("run", "lumi", "event")
    ids = {k: np.array([e["ids"][k] for e in events], dtype=np.int64) for k in keys}
    ids["sqrt_s"] = np.array([cms_sqrt_s(int(r)) or np.nan for r in ids["run"]])
    return EventBatch(start=start, collections=colls, ids=ids, times=[e["time"] for e in events])


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
    if not per_event:
        per_event = [ALL_BUILDERS[name]({"Types": {}, "Collections": {}})]
    flat = {k: _concat([c[k] for c in per_event]) for k in per_event[0]}
    if name == "met":
        return missing_et(flat["pt"], flat["phi"])
    if name in PARTICLE_COLLECTIONS:
        pt, eta, phi = flat.pop("pt"), flat.pop("eta"), flat.pop("phi")
        charge = flat.pop("charge", np.zeros(len(pt))).astype(np.int32)
        fields = {"pt": pt, "eta": eta, "phi": phi, "mass": np.full(len(pt), MASSES[name]),
                  "charge": charge, **flat}
        records = ak.zip(fields, with_name="Momentum4D", depth_limit=1)
    else:
        if "detid" in flat and name not in MUON_SYSTEM_COLLECTIONS:
            flat["detid"] = as_ids(flat["detid"])
        records = ak.zip(flat, depth_limit=1)
    return ak.unflatten(records, sizes)


def _concat(values: list[Any]) -> Any:
    if isinstance(values[0], ak.Array):
        return ak.concatenate(values)
    return np.concatenate(values)
