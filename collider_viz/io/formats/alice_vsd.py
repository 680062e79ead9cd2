"""ALICE Visualisation Summary Data (VSD), as used by the ALICE masterclasses.

One directory per event, ``EventNNNN`` (numbers not contiguous), each with a
``RecTracks`` tree holding one ``TEveRecTrack`` per entry: ``R/fV/fV.fX..fZ`` (a
point on the track, cm), ``R/fP/fP.fX..fZ`` (momentum at that point, GeV),
``R/fSign`` (charge), ``R/fLabel``, ``R/fIndex``, ``R/fStatus``, ``R/fBeta``.
The ``RecV0s`` trees are not read (named in ``SourceInfo.not_read``). Tracks get
the charged-pion mass.

Collision system and √s. A VSD file has no event header: its trees hold only
``TEveRecTrack`` / ``TEveRecV0`` objects. The masterclass files are named after
their data (``AliVSD_MasterClass_PbPb_*.root`` for the Pb–Pb 2010 data at
√s_NN = 2.76 TeV of the R_AA masterclass; the strangeness masterclass uses pp
data at 7 TeV), so the system is taken from the file name (``PbPb``, ``pPb``,
``pp``), else from the multiplicity the file itself shows (a Pb–Pb event has
thousands of tracks, a pp event tens), and ``info`` says which (``extra
["system_source"]``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.registry import register
from collider_viz.physics.event import EventBatch, SourceInfo, particles
from collider_viz.physics.masses import PION_MASS as _PION_MASS

PION_MASS = _PION_MASS
_EVENT_DIR = re.compile(r"^Event(\d+)$")
_POINT = ("R/fV/fV.fX", "R/fV/fV.fY", "R/fV/fV.fZ")
_MOMENTUM = ("R/fP/fP.fX", "R/fP/fP.fY", "R/fP/fP.fZ")
#: optional per-track branches passed through, by output field name
_EXTRA = {"label": "R/fLabel", "index": "R/fIndex", "status": "R/fStatus", "beta": "R/fBeta"}
EXPECTED = ("ALICE VSD directories EventNNNN/RecTracks with R/fV/fV.fX..fZ, "
            "R/fP/fP.fX..fZ and R/fSign")


#: file-name token -> (collision system, √s_NN GeV) of the ALICE masterclass data sets
_SYSTEMS = ((re.compile(r"(?<![A-Za-z])Pb-?Pb(?![a-z])", re.I), "Pb+Pb", 2760.0),
            (re.compile(r"(?<![A-Za-z])p-?Pb(?![a-z])", re.I), "p+Pb", 5020.0),
            (re.compile(r"(?<![A-Za-z])pp(?![a-z])", re.I), "pp", 7000.0))
#: more reconstructed tracks than this in one event means a heavy-ion collision
HEAVY_ION_TRACKS = 500


def collision_from_name(path: str) -> tuple[str, float] | None:
    """``(system, √s_NN)`` named by the file name, or None."""
    name = os.path.basename(path)
    return next(((system, e) for pattern, system, e in _SYSTEMS if pattern.search(name)), None)


def _event_dirs(handle: Any) -> list[tuple[int, str]]:
    """``(event number, directory)`` pairs of the file's ``EventNNNN/RecTracks``, sorted."""
    found = []
    for key in handle.keys(recursive=False, cycle=False):
        match = _EVENT_DIR.match(key)
        if match and f"{key}/RecTracks" in handle:
            found.append((int(match.group(1)), key))
    return sorted(found)


@register
class AliceVSDReader(Reader):
    """Reader of ALICE VSD files (one directory per event).

    Opened as ``Reader(path, handle)`` (see :class:`~collider_viz.io.base.Reader`).
    """

    format_name = "alice-vsd"
    description = "ALICE VSD (EventNNNN/RecTracks with TEveRecTrack fV, fP, fSign)"
    priority = 50

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """True for a file with ``EventNNNN/RecTracks`` directories."""
        return handle is not None and bool(_event_dirs(handle))

    def __init__(self, path: str, handle: Any) -> None:
        self.path = path
        self._file = handle
        self._events = [] if handle is None else _event_dirs(handle)
        if not self._events:
            raise FormatError(path, "no EventNNNN/RecTracks directories", EXPECTED)
        system, sqrt_s, source = self._collision()
        self.info = SourceInfo(
            path=path, format=self.format_name, detector="ALICE", collision_system=system,
            sqrt_s=sqrt_s, is_simulation=False, label="ALICE Open Data",
            extra={"source": "ALICE masterclass VSD", "system_source": source,
                   "sqrt_s_source": source},
            not_read=self._not_read(),
        )

    def _collision(self) -> tuple[str, float, str]:
        """System and √s_NN from the file name, else from the track multiplicity."""
        named = collision_from_name(self.path)
        if named:
            return (*named, f"file name {os.path.basename(self.path)!r}")
        most = int(max(self._tracks_tree(i).num_entries for i in range(len(self))))
        if most > HEAVY_ION_TRACKS:
            return ("Pb+Pb", 2760.0, f"guessed from the multiplicity (up to {most} tracks per "
                    "event): the masterclass heavy-ion data are Pb+Pb at 2.76 TeV")
        return ("pp", 7000.0, f"guessed from the multiplicity (at most {most} tracks per "
                "event): the masterclass pp data are at 7 TeV")

    def _not_read(self) -> tuple[tuple[str, str], ...]:
        """Per-event trees other than RecTracks, with how many events hold entries."""
        seen: dict[str, int] = {}
        for _, directory in self._events:
            for key in self._file[directory].keys(recursive=False, cycle=False):
                if key != "RecTracks" and self._file[f"{directory}/{key}"].num_entries:
                    seen[key] = seen.get(key, 0) + 1
        reason = {"RecV0s": "V0 candidates (TEveRecV0) are not drawn"}
        return tuple((k, f"{reason.get(k, 'not a track tree')} ({n} events have entries)")
                     for k, n in seen.items())

    def __len__(self) -> int:
        return len(self._events)

    @property
    def available(self) -> tuple[str, ...]:
        """Only ``tracks``."""
        return ("tracks",)

    def _tracks_tree(self, i: int) -> Any:
        return self._file[f"{self._events[i][1]}/RecTracks"]

    def read(
        self, start: int, stop: int, collections: Sequence[str] | None = None
    ) -> EventBatch:
        """Read events ``[start, stop)`` (one directory each)."""
        indices = range(max(start, 0), min(stop, len(self)))
        colls: dict[str, ak.Array] = {}
        if collections is None or "tracks" in collections:
            per_event = [self._tracks(i) for i in indices]
            colls["tracks"] = _concatenate(per_event)
        return EventBatch(start=start, collections=colls, ids=self._ids(indices))

    def _tracks(self, i: int) -> ak.Array:
        """The tracks of event ``i`` as a flat ``Momentum4D`` array."""
        tree = self._tracks_tree(i)
        names = set(tree.keys())
        needed = (*_POINT, *_MOMENTUM, "R/fSign")
        missing = [n for n in needed if n not in names]
        if missing:
            where = self._events[i][1]
            raise FormatError(self.path, f"{where}/RecTracks has no branch {missing[0]!r}",
                              EXPECTED)
        get = {n: tree[n].array(library="np") for n in needed}
        px, py, pz = (get[n].astype(np.float64) for n in _MOMENTUM)
        pt = np.hypot(px, py)
        with np.errstate(divide="ignore", invalid="ignore"):
            eta = np.arcsinh(pz / pt)
        vx, vy, vz = (get[n].astype(np.float64) / 100.0 for n in _POINT)
        extra = {k: tree[b].array(library="np") for k, b in _EXTRA.items() if b in names}
        return particles(pt, eta, np.arctan2(py, px), np.full_like(pt, PION_MASS),
                         get["R/fSign"].astype(np.int32), vx=vx, vy=vy, vz=vz, **extra)

    def _ids(self, indices: range) -> dict[str, np.ndarray]:
        n = len(indices)
        events = np.array([self._events[i][0] for i in indices], dtype=np.int64)
        return {"run": np.full(n, -1, np.int64), "lumi": np.full(n, -1, np.int64),
                "event": events}

    def event_ids(self) -> dict[str, np.ndarray]:
        """Event numbers from the directory names; run and lumi are not stored (-1)."""
        return self._ids(range(len(self)))

    def counts(self) -> dict[str, np.ndarray]:
        """Track counts from the trees' entry numbers (no track data is read)."""
        n = [self._tracks_tree(i).num_entries for i in range(len(self))]
        return {"tracks": np.asarray(n, dtype=np.int64)}


def _concatenate(per_event: list[ak.Array]) -> ak.Array:
    """Stack flat per-event arrays into one array jagged over events."""
    if not per_event:
        empty = particles(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0),
                          np.zeros(0, np.int32), vx=np.zeros(0), vy=np.zeros(0), vz=np.zeros(0))
        return ak.unflatten(empty, np.zeros(0, dtype=np.int64))
    sizes = np.array([len(a) for a in per_event], dtype=np.int64)
    flat = ak.concatenate(per_event) if len(per_event) > 1 else per_event[0]
    return ak.unflatten(flat, sizes)
