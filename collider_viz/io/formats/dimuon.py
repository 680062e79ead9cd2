"""Flat two-muon ntuples from the CMS open-data education material.

One TTree (``events``) with one row per muon pair: ``Type`` (``GG``, ``GT``, ``TT``:
global/tracker muon types), ``Run``, ``Event``, and for each muon ``E1``, ``px1``,
``py1``, ``pz1``, ``pt1``, ``eta1``, ``phi1``, ``Q1`` (the same with ``2``), and the
pair's invariant mass ``M``. The scikit-hep ``uproot-Zmumu.root`` file holds 2304
pairs from the 2010 run B (7 TeV). ``M`` and ``Type`` are passed through as
per-event ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.registry import register
from collider_viz.physics.event import EventBatch, SourceInfo, particles_from_cartesian

TREE = "events"
_PER_MUON = ("E", "px", "py", "pz", "Q")
REQUIRED = ("Run", "Event", "M") + tuple(f"{v}{i}" for i in (1, 2) for v in _PER_MUON)
EXPECTED = "a TTree 'events' with Run, Event, E1, px1, py1, pz1, Q1, the same with 2, and M"


@register
class DimuonReader(Reader):
    """Reader of flat dimuon ntuples (two muons per row).

    Opened as ``Reader(path, handle)`` (see :class:`~collider_viz.io.base.Reader`).
    """

    format_name = "dimuon"
    description = "Flat CMS dimuon ntuple (Run, Event, E1, px1 ... E2, px2 ..., M)"
    priority = 50

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """True for a file whose ``events`` tree has the two-muon columns."""
        if handle is None or TREE not in handle:
            return False
        return set(REQUIRED) <= set(handle[TREE].keys())

    def __init__(self, path: str, handle: Any) -> None:
        self.path = path
        if handle is None or TREE not in handle:
            raise FormatError(path, f"no TTree {TREE!r}", EXPECTED)
        self._tree = handle[TREE]
        self._names = set(self._tree.keys())
        missing = [n for n in REQUIRED if n not in self._names]
        if missing:
            raise FormatError(path, f"branch {missing[0]!r} is missing", EXPECTED)
        self.info = SourceInfo(
            path=path, format=self.format_name, detector="CMS", collision_system="pp",
            sqrt_s=7000.0, is_simulation=False, label="CMS Open Data",
            extra={"dataset": "CMS 2010 run B muon pairs"},
        )

    def __len__(self) -> int:
        return int(self._tree.num_entries)

    @property
    def available(self) -> tuple[str, ...]:
        """Only ``muons``."""
        return ("muons",)

    def read(
        self, start: int, stop: int, collections: Sequence[str] | None = None
    ) -> EventBatch:
        """Read rows ``[start, stop)`` as events with two muons each."""
        colls: dict[str, ak.Array] = {}
        if collections is None or "muons" in collections:
            colls["muons"] = self._muons(start, stop)
        return EventBatch(start=start, collections=colls, ids=self._ids(start, stop))

    def _muons(self, start: int, stop: int) -> ak.Array:
        names = [f"{v}{i}" for i in (1, 2) for v in _PER_MUON]
        arr = self._tree.arrays(names, entry_start=start, entry_stop=stop, library="np")
        n = len(arr["E1"])

        def pair(var: str, dtype: type = np.float64) -> ak.Array:
            both = np.stack([arr[f"{var}1"], arr[f"{var}2"]], axis=1).astype(dtype)
            return ak.unflatten(both.reshape(-1), np.full(n, 2, dtype=np.int64))

        return particles_from_cartesian(
            pair("px"), pair("py"), pair("pz"), pair("E"), pair("Q", np.int32)
        )

    def _ids(self, start: int, stop: int) -> dict[str, np.ndarray]:
        names = ["Run", "Event", "M"] + (["Type"] if "Type" in self._names else [])
        arr = self._tree.arrays(names, entry_start=start, entry_stop=stop, library="np")
        n = len(arr["Run"])
        ids = {
            "run": arr["Run"].astype(np.int64),
            "lumi": np.full(n, -1, dtype=np.int64),
            "event": arr["Event"].astype(np.int64),
            "M": arr["M"].astype(np.float64),
        }
        if "Type" in arr:
            ids["Type"] = arr["Type"].astype(str)
        return ids

    def event_ids(self) -> dict[str, np.ndarray]:
        """Run and event numbers of all rows (lumi is not stored: -1)."""
        ids = self._ids(0, len(self))
        return {k: ids[k] for k in ("run", "lumi", "event")}

    def counts(self) -> dict[str, np.ndarray]:
        """Always two muons per row; nothing is read."""
        return {"muons": np.full(len(self), 2, dtype=np.int64)}
