"""The CMS muon system of one iSpy event: segments, rec-hits and the chambers hit.

* ``muon_segments``: ``DTRecSegment4D_V*``, ``CSCSegments_V*`` and ``GEMSegments_V*``
  (``pos_1`` -> ``pos_2``), as ``x1, y1, z1, x2, y2, z2`` (metres), ``subdet``;
* ``muon_hits``: ``RPCRecHits_V*``, ``CSCRecHit2Ds_V*`` and ``GEMRecHits_V*`` (the
  centre of the strip line ``u1``-``u2``) and ``DTRecHits_V*`` (midway between the
  left and right solutions ``lGlobalPos``/``rGlobalPos``, i.e. at the wire), as
  ``x, y, z``, ``subdet`` "RPC"/"CSC"/"GEM"/"DT";
* ``muon_chambers``: ``MuonChambers_V*``, ``MatchingCSCs_V*`` and ``MatchingGEMs_V*`` boxes (the
  chambers a muon was matched to): the 8 corners ``front_1..4``, ``back_1..4``
  as ragged ``corners_x/_y/_z`` and ``subdet`` from the CMS ``DetId``
  (bits 25-27: 1 DT, 2 CSC, 3 RPC, 4 GEM, 5 ME0; DataFormats/MuonDetId).
"""

from __future__ import annotations

from typing import Any

import awkward as ak
import numpy as np

from collider_viz.io.formats.ispy_collections import Columns, as_ids, pick
from collider_viz.io.igparse import table

#: iSpy collection prefixes of each muon-system collection, with their subdetector
SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "muon_segments": (("DTRecSegment4D", "DT"), ("CSCSegments", "CSC"), ("GEMSegments", "GEM")),
    "muon_hits": (("RPCRecHits", "RPC"), ("CSCRecHit2Ds", "CSC"), ("DTRecHits", "DT"),
                  ("GEMRecHits", "GEM")),
    "muon_chambers": (("MuonChambers", ""), ("MatchingCSCs", "CSC"), ("MatchingGEMs", "GEM")),
}
MUON_SUBDETS = {1: "DT", 2: "CSC", 3: "RPC", 4: "GEM", 5: "ME0"}
_CORNERS = tuple(f"{side}_{k}" for side in ("front", "back") for k in range(1, 5))
_HIT_POINTS = {"RPC": ("u1", "u2"), "CSC": ("u1", "u2"), "GEM": ("u1", "u2"),
               "DT": ("lGlobalPos", "rGlobalPos")}


def subdet_of(detid: np.ndarray) -> np.ndarray:
    """Muon subdetector name of each CMS raw ``DetId`` ("" where not a muon id)."""
    raw = np.asarray(detid, dtype=np.int64) & 0xFFFFFFFF
    sub = (raw >> 25) & 0x7
    names = np.array([MUON_SUBDETS.get(int(s), "") for s in sub], dtype=object)
    names[(raw >> 28) != 2] = ""
    return names.astype(str) if len(names) else np.zeros(0, dtype=str)


def _join(parts: list[Columns], empty: Columns) -> Columns:
    if not parts:
        return empty
    out: Columns = {}
    for key in parts[0]:
        values = [p[key] for p in parts]
        out[key] = ak.concatenate(values) if isinstance(values[0], ak.Array) \
            else np.concatenate(values)
    return out


def _segments(event: dict[str, Any]) -> Columns:
    parts = []
    for prefix, sub in SOURCES["muon_segments"]:
        name = pick(event, prefix)
        if name is None:
            continue
        cols = table(event, name, ("pos_1", "pos_2"), ("detid",))
        p1, p2 = cols["pos_1"].reshape(-1, 3), cols["pos_2"].reshape(-1, 3)
        parts.append({"x1": p1[:, 0], "y1": p1[:, 1], "z1": p1[:, 2], "x2": p2[:, 0],
                      "y2": p2[:, 1], "z2": p2[:, 2], "detid": as_ids(cols["detid"]),
                      "subdet": np.full(len(p1), sub)})
    empty = {k: np.zeros(0) for k in ("x1", "y1", "z1", "x2", "y2", "z2")}
    return _join(parts, {**empty, "detid": np.zeros(0, np.int64),
                         "subdet": np.zeros(0, dtype=str)})


def _hits(event: dict[str, Any]) -> Columns:
    parts = []
    for prefix, sub in SOURCES["muon_hits"]:
        name = pick(event, prefix)
        if name is None:
            continue
        a, b = _HIT_POINTS[sub]
        cols = table(event, name, (a, b))
        centre = (cols[a].reshape(-1, 3) + cols[b].reshape(-1, 3)) / 2.0
        parts.append({"x": centre[:, 0], "y": centre[:, 1], "z": centre[:, 2],
                      "subdet": np.full(len(centre), sub)})
    empty = {"x": np.zeros(0), "y": np.zeros(0), "z": np.zeros(0),
             "subdet": np.zeros(0, dtype=str)}
    return _join(parts, empty)


def _chambers(event: dict[str, Any]) -> Columns:
    parts = []
    for prefix, sub in SOURCES["muon_chambers"]:
        name = pick(event, prefix)
        if name is None:
            continue
        cols = table(event, name, _CORNERS, ("detid",))
        box = np.stack([cols[c].reshape(-1, 3) for c in _CORNERS], axis=1)  # (n, 8, 3)
        detid = as_ids(cols["detid"])
        subdet = np.full(len(box), sub) if sub else subdet_of(detid)
        eight = np.full(len(box), 8, dtype=np.int64)
        corners = {f"corners_{axis}": ak.unflatten(box[:, :, k].reshape(-1), eight)
                   for k, axis in enumerate("xyz")}
        parts.append({**corners, "detid": detid, "subdet": subdet.astype(str)})
    none = ak.unflatten(np.zeros(0), np.zeros(0, np.int64))
    empty = {"corners_x": none, "corners_y": none, "corners_z": none,
             "detid": np.zeros(0, np.int64), "subdet": np.zeros(0, dtype=str)}
    return _join(parts, empty)


BUILDERS = {"muon_segments": _segments, "muon_hits": _hits, "muon_chambers": _chambers}
