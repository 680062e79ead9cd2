"""CMS's own trajectory information read straight from real iSpy ``.ig`` files.

Independent of the reader under test: the ``.ig`` members are parsed with
:func:`collider_viz.io.igparse.parse_event` and the collections and
associations are picked here by hand.

* Tracks (``Tracks_V2..V4``) with their ``Extras_V1`` states through
  ``TrackExtras_V1``: ``pos_2`` is, in the 2012 files, CMS's extrapolation
  to the calorimeter face (in the 2011 files the outermost hit).
* Global muons (``GlobalMuons_V1``, ``PATGlobalMuons_V1``) with their
  ``Points_V1`` through ``MuonGlobalPoints_V1`` / ``PATMuonGlobalPoints_V1``
  (CMS's propagation through its field map).
* Hits (``Hits_V1`` through ``TrackHits_V1``) of each track where present.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from collider_viz.io.igparse import parse_event

OPENDATA = Path(__file__).resolve().parents[2].parent / "shared" / "opendata" / "cms_ispy"
IG_FILES = ("4lepton.ig", "DoublePhoton_Run2012B_0.ig", "masterclass_DoubleMu2016G_5.ig")


@dataclass
class IgTracks:
    """Tracks of all events of a file: parameters, outer states, hits."""

    pt: list = field(default_factory=list)
    eta: list = field(default_factory=list)
    phi: list = field(default_factory=list)
    charge: list = field(default_factory=list)
    pos: list = field(default_factory=list)
    pos_2: list = field(default_factory=list)
    hits: list = field(default_factory=list)

    def arrays(self) -> dict[str, np.ndarray]:
        """Flat float64 arrays (``pos``/``pos_2`` are (n, 3))."""
        return {k: np.asarray(getattr(self, k), dtype=np.float64)
                for k in ("pt", "eta", "phi", "charge", "pos", "pos_2")}


def _events(path: Path):
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("Events/") and not name.endswith("/"):
                yield parse_event(zf.read(name))


def _pick(collections: dict, prefixes: tuple[str, ...]) -> str | None:
    for prefix in prefixes:
        names = sorted(k for k in collections if k.startswith(prefix + "_V"))
        if names:
            return names[-1]
    return None


def _targets(assoc: list, index: int) -> list[int]:
    return [b[1] for a, b in assoc if a[1] == index]


@cache
def read_tracks(path: Path) -> IgTracks:
    """All tracks with an ``Extras_V1`` outer state, over every event of ``path`` (cached)."""
    out = IgTracks()
    for ev in _events(path):
        cols, assoc = ev["Collections"], ev.get("Associations", {})
        name = _pick(cols, ("Tracks",))
        if name is None or "TrackExtras_V1" not in assoc:
            continue
        extras = {a[1]: cols["Extras_V1"][b[1]] for a, b in assoc["TrackExtras_V1"]}
        hits = assoc.get("TrackHits_V1", [])
        hit_pos = np.array([h[0] for h in cols.get("Hits_V1", [])]).reshape(-1, 3)
        by_track: dict[int, list[int]] = {}
        for a, b in hits:
            by_track.setdefault(a[1], []).append(b[1])
        for i, row in enumerate(cols[name]):
            if i not in extras:
                continue
            out.pos.append(row[0])
            out.pt.append(row[2])
            out.phi.append(row[3])
            out.eta.append(row[4])
            out.charge.append(row[5])
            out.pos_2.append(extras[i][2])
            out.hits.append(hit_pos[by_track.get(i, [])])
    return out


@cache
def read_global_muons(path: Path) -> list[dict]:
    """Global muons with CMS's trajectory points: ``pt, eta, phi, charge, pos, points``."""
    out = []
    for ev in _events(path):
        cols, assoc = ev["Collections"], ev.get("Associations", {})
        name = _pick(cols, ("GlobalMuons", "PATGlobalMuons"))
        link = "MuonGlobalPoints_V1" if "MuonGlobalPoints_V1" in assoc else \
            "PATMuonGlobalPoints_V1"
        if name is None or link not in assoc or "Points_V1" not in cols:
            continue
        points = np.array([p[0] for p in cols["Points_V1"]]).reshape(-1, 3)
        for i, row in enumerate(cols[name]):
            idx = _targets(assoc[link], i)
            if len(idx) < 2:
                continue
            out.append({"pt": row[0], "charge": row[1], "pos": np.asarray(row[2]),
                        "phi": row[3], "eta": row[4], "points": points[idx]})
    return out


def point_to_polyline(points: np.ndarray, line: np.ndarray) -> np.ndarray:
    """Distance of each point to the polyline ``line`` (m, 3)."""
    a, b = line[:-1], line[1:]
    ab = b - a
    t = np.einsum("pij,ij->pi", points[:, None, :] - a[None], ab) / np.maximum(
        np.einsum("ij,ij->i", ab, ab), 1e-30)[None]
    t = np.clip(t, 0.0, 1.0)
    closest = a[None] + t[..., None] * ab[None]
    return np.linalg.norm(points[:, None, :] - closest, axis=-1).min(axis=1)


def chamber_planes(path: Path) -> dict[tuple[str, int], list[float]]:
    """Muon chamber positions from the ``MuonChambers_V1`` boxes of every event.

    Drift-tube chambers (DetId subdetector 1; station in bits 22-24): the
    distance from the beam axis of each box's mid-plane, found as the plane of
    least extent of its 8 corners (key ``("MB", station)``).  CSC chambers
    (subdetector 2; station in bits 12-14): the |z| of each box centre
    (key ``("ME", station)``).
    """
    out: dict[tuple[str, int], list[float]] = {}
    for ev in _events(path):
        for row in ev["Collections"].get("MuonChambers_V1", []):
            detid, corners = int(row[0]), np.asarray(row[1:9], dtype=np.float64)
            centre = corners.mean(axis=0)
            subdet = (detid >> 25) & 0x7
            if subdet == 1:
                normal = np.linalg.svd(corners - centre)[2][2]
                normal[2] = 0.0
                key, value = ("MB", (detid >> 22) & 0x7), abs(centre @ normal) / np.linalg.norm(
                    normal)
            elif subdet == 2:
                key, value = ("ME", (detid >> 12) & 0x7), abs(centre[2])
            else:
                continue
            out.setdefault(key, []).append(float(value))
    return out


@cache
def read_dt_segments(path: Path) -> list[tuple[dict, np.ndarray]]:
    """Per event: its global muons (as :func:`read_global_muons` rows, without points) and
    the midpoints of its ``DTRecSegment4D_V1`` drift-tube segments, ``(m, 3)``."""
    out = []
    for ev in _events(path):
        cols = ev["Collections"]
        name = _pick(cols, ("GlobalMuons", "PATGlobalMuons"))
        segs = cols.get("DTRecSegment4D_V1", [])
        if name is None or not cols[name] or not segs:
            continue
        rows = cols[name]
        muons = {"pt": np.array([r[0] for r in rows]), "charge": np.array([r[1] for r in rows]),
                 "pos": np.array([r[2] for r in rows]), "phi": np.array([r[3] for r in rows]),
                 "eta": np.array([r[4] for r in rows])}
        mids = np.array([0.5 * (np.asarray(s[1]) + np.asarray(s[2])) for s in segs])
        out.append((muons, mids))
    return out
