"""HSF Phoenix JSON event files (ATLAS, LHCb, CMS dumps for the Phoenix event display).

A file holds one event (``{"event number": .., "run number": .., "Tracks": {..}}``)
or several (``{"EVENT_KEY": event, ...}``); each object type maps collection
names to lists of objects (see :mod:`.phoenix_objects`; mm and MeV). Tracks
keep their recorded ``pos`` points as ``path_x/path_y/path_z`` (metres), so the
scene draws the experiment's own trajectory. The file is parsed once with
:mod:`json` (never evaluated); files above :data:`MAX_BYTES` are refused.
Object types collider_viz cannot draw (``Hits``, planar or irregular cells ...)
are named in ``SourceInfo.not_read``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader, text_head
from collider_viz.io.formats import phoenix_objects as po
from collider_viz.io.registry import register
from collider_viz.limits import MAX_OBJECTS, check
from collider_viz.physics.event import COLLECTIONS, EventBatch, SourceInfo

MAX_BYTES = 200 * 1024 * 1024
EXPECTED = ('a Phoenix event JSON: {"event number": .., "run number": .., "Tracks": '
            '{COLLECTION: [{"pos": [[x, y, z], ...], "dparams": [...]}]}, "Jets": ...}')
#: Phoenix object type -> common collection
TYPES = {"Tracks": "tracks", "Jets": "jets", "CaloClusters": "calo", "CaloCells": "calo",
         "Vertices": "vertices", "MissingEnergy": "met", "Muons": "muons",
         "Electrons": "electrons", "Photons": "photons"}
UNDRAWN = {"Hits": "hits have no common-form collection",
           "PlanarCaloCells": "planar calorimeter cells are not drawn",
           "IrregularCaloCells": "irregular calorimeter cells are not drawn"}
_ID_KEYS = ("event number", "eventNumber", "run number", "runNumber")
_LIST_FIELDS = ("path_x", "path_y", "path_z")
_STRING_FIELDS = ("collection", "subdet")
_DETECTORS = (("LHCb", re.compile(r"lhcb|velo|\bRICH", re.I)),
              ("CMS", re.compile(r"\bcms|_V\d\b|reco::|globalMuons", re.I)),
              ("ATLAS", re.compile(r"atlas|InDetTrack|AntiKt\d|TopoCluster|xAOD", re.I)))


def _is_event(value: Any) -> bool:
    return isinstance(value, dict) and (any(k in value for k in _ID_KEYS)
                                        or any(k in value for k in (*TYPES, *UNDRAWN)))


def _looks_like_phoenix(head: str) -> bool:
    return head.lstrip().startswith("{") and any(
        f'"{k}"' in head for k in (*_ID_KEYS, "Tracks", "Jets", "CaloClusters", "Hits"))


@register
class PhoenixReader(Reader):
    """Reader of Phoenix JSON event files (one or several events)."""

    format_name = "phoenix"
    description = "HSF Phoenix JSON events (Tracks, Jets, CaloClusters, Muons ...; mm, MeV)"
    priority = 30

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """True for a text file starting like a Phoenix event (reads 64 kB at most)."""
        head = text_head(path, handle, 65536)
        return head is not None and _looks_like_phoenix(head)

    def __init__(self, path: str, handle: Any) -> None:
        self.path = path
        data = _load(path)
        if _is_event(data):
            events = [(str(data.get("event number", data.get("eventNumber", 0))), data)]
        else:
            events = [(str(k), v) for k, v in data.items() if _is_event(v)]
        if not events:
            raise FormatError(path, "JSON without Phoenix events", EXPECTED)
        self._names = [k for k, _ in events]
        self._events = [v for _, v in events]
        self._available, not_read = self._survey()
        detector, source = _detector(path, self._events)
        self.info = SourceInfo(
            path=path, format=self.format_name, detector=detector, collision_system="pp",
            sqrt_s=None, is_simulation=False, label=f"{detector} (Phoenix event data)",
            extra={"events": len(events), "units": "mm, MeV (Phoenix format)",
                   "detector_source": source}, not_read=not_read)

    def _survey(self) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        found: set[str] = set()
        not_read: dict[str, str] = {}
        for event in self._events:
            for key, value in event.items():
                if key in TYPES and isinstance(value, dict):
                    found.add(TYPES[key])
                    if key == "MissingEnergy" and len(value) > 1:
                        for name in list(value)[1:]:
                            not_read[f"MissingEnergy/{name}"] = "only the first MET is shown"
                elif key in UNDRAWN:
                    not_read.setdefault(key, UNDRAWN[key])
                elif isinstance(value, dict):
                    not_read.setdefault(key, "unknown Phoenix object type")
        return tuple(c for c in COLLECTIONS if c in found), tuple(not_read.items())

    def __len__(self) -> int:
        return len(self._events)

    @property
    def available(self) -> tuple[str, ...]:
        return self._available

    def read(self, start: int, stop: int,
             collections: Sequence[str] | None = None) -> EventBatch:
        """Events ``[start, stop)`` built from the parsed JSON."""
        start, stop = max(int(start), 0), min(int(stop), len(self))
        stop = max(start, stop)
        wanted = [c for c in (collections or self._available) if c in self._available]
        rows: dict[str, list[list[dict[str, Any]]]] = {c: [] for c in wanted}
        for i in range(start, stop):
            built = self._event_rows(i, wanted)
            for c in wanted:
                rows[c].append(built.get(c, []))
        colls = {c: _columns(c, rows[c]) for c in wanted}
        return EventBatch(start=start, collections=colls, ids=self._ids(range(start, stop)))

    def _event_rows(self, i: int, wanted: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        event, out = self._events[i], {}
        tracks = {name: self._convert(i, "Tracks", name, objs, po.track)
                  for name, objs in _colls(event, "Tracks").items()}
        if "tracks" in wanted:
            out["tracks"] = [{**r, "collection": n} for n, rs in tracks.items() for r in rs]
        for kind in ("Muons", "Electrons", "Photons"):
            c = TYPES[kind]
            if c in wanted:
                out[c] = [dict(r, collection=name) for name, objs in _colls(event, kind).items()
                          for r in self._convert(i, kind, name, objs,
                                                 lambda o, c=c: po.lepton(o, c, tracks))]
        simple: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
            "Jets": po.jet, "Vertices": po.vertex,
            "CaloClusters": lambda o: po.calo(o, "cluster"),
            "CaloCells": lambda o: po.calo(o, "cell")}
        for kind, make in simple.items():
            if TYPES[kind] in wanted:
                out.setdefault(TYPES[kind], []).extend(
                    r for name, objs in _colls(event, kind).items()
                    for r in self._convert(i, kind, name, objs, make))
        if "met" in wanted:
            first = next(iter(_colls(event, "MissingEnergy").items()), None)
            out["met"] = self._convert(i, "MissingEnergy", first[0], first[1][:1],
                                       po.missing) if first else []
        return out

    def _convert(self, i: int, kind: str, name: str, objs: Any,
                 make: Callable[[Mapping[str, Any]], dict[str, Any]]) -> list[dict[str, Any]]:
        where = f"event {self._names[i]!r} {kind}/{name}"
        if not isinstance(objs, list):
            raise FormatError(self.path, f"{where} is not a list of objects", EXPECTED)
        check(f"{self.path}: {where}", len(objs), MAX_OBJECTS, "objects")
        rows = []
        for j, obj in enumerate(objs):
            try:
                if not isinstance(obj, dict):
                    raise ValueError("not an object")
                rows.append(make(obj))
            except (ValueError, TypeError, OverflowError) as exc:
                raise FormatError(self.path, f"{where}[{j}]: {exc}", EXPECTED) from None
        return rows

    def _ids(self, indices: range) -> dict[str, np.ndarray]:
        def get(event: Mapping[str, Any], *keys: str) -> int:
            value = next((event[k] for k in keys if k in event), -1)
            try:
                return int(value)
            except (TypeError, ValueError):
                return -1

        evs = [self._events[i] for i in indices]
        return {"run": np.array([get(e, "run number", "runNumber") for e in evs], np.int64),
                "lumi": np.array([get(e, "lumiBlock", "ls") for e in evs], np.int64),
                "event": np.array([get(e, "event number", "eventNumber") for e in evs],
                                  np.int64)}

    def event_ids(self) -> dict[str, np.ndarray]:
        return self._ids(range(len(self)))


def _load(path: str) -> Any:
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise FormatError(path, f"JSON file of {size / 2**20:.0f} MB is too large",
                          f"a Phoenix event file of at most {MAX_BYTES // 2**20} MB")
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise FormatError(path, f"not valid JSON (line {exc.lineno} column {exc.colno}: "
                          f"{exc.msg})", EXPECTED) from None
    except (UnicodeDecodeError, RecursionError) as exc:
        raise FormatError(path, f"not readable JSON ({type(exc).__name__})", EXPECTED) from None
    if not isinstance(data, dict):
        raise FormatError(path, f"JSON top level is a {type(data).__name__}", EXPECTED)
    return data


def _colls(event: Mapping[str, Any], kind: str) -> dict[str, Any]:
    value = event.get(kind)
    return value if isinstance(value, dict) else {}


def _detector(path: str, events: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """Detector from the file name, else from collection names; ATLAS if nothing says."""
    name = os.path.basename(path)
    for det, pattern in _DETECTORS:
        if pattern.search(name):
            return det, f"file name {name!r}"
    text = " ".join(str(c) for e in events[:5] for v in e.values() if isinstance(v, dict)
                    for c in v)
    text += " " + " ".join(str(e.get(k, "")) for e in events[:1]
                           for k in ("experiment", "detector"))
    for det, pattern in _DETECTORS:
        if pattern.search(text):
            return det, "collection names"
    return "ATLAS", "assumed: neither the file name nor its collections name an experiment"


def _columns(name: str, per_event: list[list[dict[str, Any]]]) -> ak.Array:
    """Rows per event to a jagged record array (``Momentum4D`` / ``Momentum2D`` where apt)."""
    counts = np.array([len(r) for r in per_event], dtype=np.int64)
    flat = [row for rows in per_event for row in rows]
    keys = list(dict.fromkeys(k for row in flat for k in row)) or _DEFAULT_KEYS[name]
    fields: dict[str, Any] = {}
    for key in keys:
        if key in _LIST_FIELDS:  # a one-row placeholder types an empty batch
            lists = ak.Array([row.get(key, []) for row in flat] or [[0.0]])[:len(flat)]
            fields[key] = ak.values_astype(lists, np.float64)
        elif key in _STRING_FIELDS:
            fields[key] = ak.Array([str(row.get(key, "")) for row in flat] or [""])[:len(flat)]
        else:
            dtype = np.int32 if key == "charge" else np.float64
            fields[key] = np.array([row.get(key, np.nan) for row in flat], dtype=dtype)
    with_name = {"met": "Momentum2D", "calo": None, "vertices": None}.get(name, "Momentum4D")
    return ak.unflatten(ak.zip(fields, with_name=with_name, depth_limit=1), counts)


_PARTICLE = ["pt", "eta", "phi", "mass", "charge"]
_DEFAULT_KEYS = {"tracks": [*_PARTICLE, "vx", "vy", "vz", *_LIST_FIELDS],
                 "muons": [*_PARTICLE, *_LIST_FIELDS], "electrons": [*_PARTICLE, *_LIST_FIELDS],
                 "photons": list(_PARTICLE), "jets": [*_PARTICLE, "radius"],
                 "calo": ["energy", "eta", "phi", "x", "y", "z"], "vertices": ["x", "y", "z"],
                 "met": ["pt", "phi"]}
