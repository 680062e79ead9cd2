"""iSpy collections of one parsed event -> flat numpy columns per common collection.

Each builder of :data:`BUILDERS` takes a parsed ``.ig`` event (``Types`` and
``Collections``, see :mod:`collider_viz.io.igparse`) and returns the columns
of one collection of the common event form (``pt``, ``eta``, ``phi``,
``charge``, positions ...); :mod:`collider_viz.io.formats.ispy` stacks them
over events.  Which iSpy collections feed which builder is listed there.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from collider_viz.io.igparse import table

Columns = dict[str, np.ndarray]
CALO_SUBDETS = ("EB", "EE", "HB", "HE", "HF", "HO")


def pick(event: dict[str, Any], *prefixes: str) -> str | None:
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


def n_rows(cols: Columns) -> int:
    return len(next(iter(cols.values()))) if cols else 0


def _empty(*names: str) -> Columns:
    return {n: np.zeros(0) for n in names}


def _with_point(cols: Columns, key: str) -> Columns:
    """Replace the ``(n, 3)`` column ``key`` (metres) by ``vx``, ``vy``, ``vz``."""
    point = cols.pop(key).reshape(-1, 3)
    cols.update(vx=point[:, 0], vy=point[:, 1], vz=point[:, 2])
    return cols


def _tracks(event: dict[str, Any]) -> Columns:
    name = pick(event, "Tracks")
    if name is None:
        return _empty("pt", "eta", "phi", "charge", "vx", "vy", "vz", "chi2", "ndof")
    cols = table(event, name, ("pt", "eta", "phi", "charge", "pos"), ("chi2", "ndof"))
    return _with_point(cols, "pos")


def _photons(event: dict[str, Any]) -> Columns:
    name = pick(event, "Photons")
    if name is None:
        return _empty("pt", "eta", "phi", "vx", "vy", "vz", "hadronicOverEm", "r9")
    cols = table(event, name, ("et", "eta", "phi", "pos"), ("hadronicOverEm", "r9"))
    cols["pt"] = cols.pop("et")
    return _with_point(cols, "pos")


def _electrons(event: dict[str, Any]) -> Columns:
    name = pick(event, "GsfElectrons")
    if name is None:
        return _empty("pt", "eta", "phi", "charge", "vx", "vy", "vz")
    return _with_point(table(event, name, ("pt", "eta", "phi", "charge", "pos")), "pos")


def _muons(event: dict[str, Any]) -> Columns:
    """Global muons, then tracker (dR < 0.02) and stand-alone (dR < 0.1) ones not yet taken."""
    parts = []
    for prefix, kind, d_r in (("GlobalMuons", "global", 0.0), ("TrackerMuons", "tracker", 0.02),
                              ("StandaloneMuons", "standalone", 0.1)):
        name = pick(event, prefix)
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
    name = pick(event, "PFJets", "Jets")
    if name is None:
        return _empty("pt", "eta", "phi")
    cols = table(event, name, ("et", "eta", "phi"))
    cols["pt"] = cols.pop("et")
    return cols


def _met(event: dict[str, Any]) -> Columns:
    """Exactly one record: the first of PF, plain and calo MET (zero when absent)."""
    name = pick(event, "PFMETs", "METs", "CaloMETs")
    cols = table(event, name, ("pt", "phi")) if name else _empty("pt", "phi")
    if len(cols["pt"]) == 0:
        return {"pt": np.zeros(1), "phi": np.zeros(1)}
    return {k: v[:1] for k, v in cols.items()}


def _vertices(event: dict[str, Any]) -> Columns:
    name = pick(event, "PrimaryVertices", "Vertices")
    if name is None:
        return _empty("x", "y", "z", "ndof", "chi2")
    cols = table(event, name, ("pos",), ("ndof", "chi2"))
    pos = cols.pop("pos").reshape(-1, 3)
    return {"x": pos[:, 0], "y": pos[:, 1], "z": pos[:, 2], **cols}


def _calo(event: dict[str, Any]) -> Columns:
    """Rec-hits of every calorimeter, at the centre of each cell's front face."""
    parts = []
    for sub in CALO_SUBDETS:
        name = pick(event, f"{sub}RecHits")
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
