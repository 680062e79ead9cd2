"""The CMS HEP-tutorial ntuple (C. Sander, A. Schmidt; CMS outreach, 2012).

One TTree ``events``, one row per event: ``NMuon`` and ``Muon_Px/Py/Pz/E/Charge/Iso``,
the same for ``Electron`` and ``Photon`` (no charge), ``NJet`` with
``Jet_Px/Py/Pz/E/btag/ID``, ``MET_px/py``, top-pair MC truth, ``NPrimaryVertices``,
``triggerIsoMu24`` and ``EventWeight``. The file has no run or event numbers.

The tutorial's samples (``data.root``, ``ttbar.root``, ``zz.root`` ... — the
scikit-hep ``uproot-HZZ.root`` test file is its 2421-event Pythia ZZ sample)
were made from 2011 CMS conditions at 7 TeV (a mean of about 8.5 reconstructed
vertices per event); all but ``data.root`` are simulation.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.registry import register
from collider_viz.physics.event import (
    EventBatch,
    SourceInfo,
    missing_et,
    particles_from_cartesian,
)

TREE = "events"
#: collection -> branch prefix in the tutorial ntuple
PREFIXES: dict[str, str] = {
    "muons": "Muon",
    "electrons": "Electron",
    "photons": "Photon",
    "jets": "Jet",
}
_KINEMATIC = ("Px", "Py", "Pz", "E", "Charge")
#: per-event scalars passed through as ids
SCALARS = ("EventWeight", "NPrimaryVertices", "triggerIsoMu24")
EXPECTED = "the HEP-tutorial TTree 'events' with NMuon, Muon_Px/Py/Pz/E, MET_px/py"


@register
class TutorialReader(Reader):
    """Reader of the CMS HEP-tutorial ntuples.

    Opened as ``Reader(path, handle)`` (see :class:`~collider_viz.io.base.Reader`).
    """

    format_name = "hep-tutorial"
    description = "CMS HEP-tutorial ntuple (TTree events: NMuon, Muon_Px ..., MET_px)"
    priority = 50

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """True for a file with the tutorial's ``events`` tree."""
        if handle is None or TREE not in handle:
            return False
        names = set(handle[TREE].keys())
        return {"NMuon", "Muon_Px", "Muon_E", "MET_px"} <= names

    def __init__(self, path: str, handle: Any) -> None:
        self.path = path
        self._tree = _tree(path, handle)
        self._names = set(self._tree.keys())
        stem = os.path.basename(path).lower()
        self.info = SourceInfo(
            path=path, format=self.format_name, detector="CMS", collision_system="pp",
            sqrt_s=7000.0, is_simulation=not stem.startswith("data"),
            label="CMS Open Data" if stem.startswith("data") else "CMS Open Data — Simulation",
            extra={"source": "CMS HEP tutorial (C. Sander, A. Schmidt)"},
        )

    def __len__(self) -> int:
        return int(self._tree.num_entries)

    @property
    def available(self) -> tuple[str, ...]:
        """Particle collections present, plus ``met``."""
        found = [c for c, p in PREFIXES.items() if f"{p}_Px" in self._names]
        return (*found, "met") if "MET_px" in self._names else tuple(found)

    def read(
        self, start: int, stop: int, collections: Sequence[str] | None = None
    ) -> EventBatch:
        """Read entries ``[start, stop)``; only the branches of ``collections``."""
        wanted = [c for c in (collections or self.available) if c in self.available]
        colls: dict[str, ak.Array] = {}
        for name in wanted:
            if name == "met":
                colls[name] = self._met(start, stop)
            else:
                colls[name] = self._particles(PREFIXES[name], start, stop)
        return EventBatch(start=start, collections=colls, ids=self._ids(start, stop))

    def _arrays(self, names: list[str], start: int, stop: int) -> dict[str, Any]:
        missing = [n for n in names if n not in self._names]
        if missing:
            raise FormatError(self.path, f"branch {missing[0]!r} is missing", EXPECTED)
        arrays = self._tree.arrays(names, entry_start=start, entry_stop=stop, how=dict)
        return arrays

    def _particles(self, prefix: str, start: int, stop: int) -> ak.Array:
        extra = sorted(n for n in self._names
                       if n.startswith(prefix + "_") and n[len(prefix) + 1:] not in _KINEMATIC)
        needed = [f"{prefix}_{k}" for k in ("Px", "Py", "Pz", "E")]
        has_charge = f"{prefix}_Charge" in self._names
        arr = self._arrays(needed + extra + ([f"{prefix}_Charge"] if has_charge else []),
                           start, stop)
        px, py, pz, energy = (ak.values_astype(arr[n], np.float64) for n in needed)
        charge = arr[f"{prefix}_Charge"] if has_charge else ak.zeros_like(px, dtype=np.int32)
        fields = {n[len(prefix) + 1:].lower(): arr[n] for n in extra}
        return particles_from_cartesian(px, py, pz, energy, charge, **fields)

    def _met(self, start: int, stop: int) -> ak.Array:
        arr = self._arrays(["MET_px", "MET_py"], start, stop)
        px = np.asarray(arr["MET_px"], dtype=np.float64)
        py = np.asarray(arr["MET_py"], dtype=np.float64)
        return missing_et(np.hypot(px, py), np.arctan2(py, px))

    def _ids(self, start: int, stop: int) -> dict[str, np.ndarray]:
        n = max(stop - start, 0)
        ids = {k: np.full(n, -1, dtype=np.int64) for k in ("run", "lumi", "event")}
        present = [s for s in SCALARS if s in self._names]
        if present and n:
            arr = self._tree.arrays(present, entry_start=start, entry_stop=stop, how=dict)
            ids.update({k: ak.to_numpy(v) for k, v in arr.items()})
        return ids

    def counts(self) -> dict[str, np.ndarray]:
        """Per-event counts from the ``N*`` counter branches only."""
        out: dict[str, np.ndarray] = {}
        for name in self.available:
            if name == "met":
                out[name] = np.ones(len(self), dtype=np.int64)
                continue
            counter = "N" + PREFIXES[name]
            branch = counter if counter in self._names else f"{PREFIXES[name]}_Px"
            arr = self._tree[branch].array(library="ak")
            out[name] = ak.to_numpy(arr if counter in self._names else ak.num(arr))
        return {k: np.asarray(v, dtype=np.int64) for k, v in out.items()}


def _tree(path: str, handle: Any) -> Any:
    """Return the ``events`` tree or raise a one-line :class:`FormatError`."""
    if handle is None or TREE not in handle:
        raise FormatError(path, f"no TTree {TREE!r}", EXPECTED)
    tree = handle[TREE]
    if not hasattr(tree, "num_entries"):
        raise FormatError(path, f"{TREE!r} is not a TTree", EXPECTED)
    return tree
