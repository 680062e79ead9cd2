"""iSpy collections of one parsed event -> flat columns per common collection.

Each builder of :data:`BUILDERS` takes a parsed ``.ig`` event (``Types``,
``Collections``, ``Associations``; see :mod:`collider_viz.io.igparse`) and
returns the columns of one collection of the common event form (``pt``,
``eta``, ``phi``, ``charge``, positions, recorded ``path_x/_y/_z`` ...);
:mod:`collider_viz.io.formats.ispy` stacks them over events.  The iSpy
collections each builder reads, in order of preference, are in
:data:`SOURCES` (every version ``<prefix>_V<n>`` of a prefix is accepted, as
published by cms-outreach/ispy-analyzers and drawn by iSpy-WebGL).
"""

from __future__ import annotations

import re
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.io.formats import ispy_paths as paths
from collider_viz.io.igparse import table

Columns = dict[str, Any]
#: calorimeter rec-hits drawn (``ESRecHits``, the preshower's MeV deposits, are named in
#: ``not_read`` instead: iSpy-WebGL too has them off by default)
CALO_SUBDETS = ("EB", "EE", "HB", "HE", "HF", "HO")
#: iSpy collection prefixes read by each builder, preferred first (muons: one per kind)
SOURCES: dict[str, tuple[str, ...]] = {
    "tracks": ("Tracks",),
    "photons": ("Photons", "PATPhotons"),
    "electrons": ("GsfElectrons", "PATElectrons"),
    "muons_global": ("GlobalMuons", "PATGlobalMuons"),
    "muons_tracker": ("TrackerMuons", "PATTrackerMuons"),
    "muons_standalone": ("StandaloneMuons", "PATStandaloneMuons"),
    "jets": ("PFJets", "PATJets", "Jets"),
    "met": ("PFMETs", "PATMETs", "METs", "CaloMETs"),
    "vertices": ("PrimaryVertices", "Vertices"),
    "calo": tuple(f"{sub}RecHits" for sub in CALO_SUBDETS),
    "event": ("Event",),
}
_VERSION = re.compile(r"(\w+?)_V(\d+)")


def versions(names: Any, prefix: str) -> list[str]:
    """The ``<prefix>_V<n>`` names among ``names``, lowest version first."""
    found = [(int(m.group(2)), n) for n in names
             if (m := _VERSION.fullmatch(n)) and m.group(1) == prefix]
    return [n for _, n in sorted(found)]


def pick(event: dict[str, Any], *prefixes: str) -> str | None:
    """The collection to use: first prefix with a ``<prefix>_V<n>`` entry in ``Types``;
    among its versions the highest one that has rows (else the highest)."""
    colls = event["Collections"]
    for prefix in prefixes:
        found = versions(event["Types"], prefix)
        if found:
            filled = [name for name in found if colls.get(name)]
            return filled[-1] if filled else found[-1]
    return None


def as_ids(values: np.ndarray) -> np.ndarray:
    """Integer ids (CMS DetIds) from float columns; -1 where missing or out of range."""
    values = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(values) & (np.abs(values) < 2.0**63)
    return np.where(ok, values, -1.0).astype(np.int64)


def n_rows(cols: Columns) -> int:
    return len(next(iter(cols.values()))) if cols else 0


def _empty(*names: str, paths_too: bool = False) -> Columns:
    cols: Columns = {n: np.zeros(0) for n in names}
    return {**cols, **paths.empty_paths(0)} if paths_too else cols


def _with_point(cols: Columns, key: str) -> Columns:
    """Replace the ``(n, 3)`` column ``key`` (metres) by ``vx``, ``vy``, ``vz``."""
    point = cols.pop(key).reshape(-1, 3)
    cols.update(vx=point[:, 0], vy=point[:, 1], vz=point[:, 2])
    return cols


def _has(event: dict[str, Any], name: str, field: str) -> bool:
    return any(f[0] == field for f in event["Types"][name])


def _tracks(event: dict[str, Any]) -> Columns:
    name = pick(event, *SOURCES["tracks"])
    if name is None:
        return _empty("pt", "eta", "phi", "charge", "vx", "vy", "vz", "chi2", "ndof",
                      paths_too=True)
    cols = _with_point(table(event, name, ("pt", "eta", "phi", "charge", "pos"),
                             ("chi2", "ndof")), "pos")
    return {**cols, **paths.as_columns(paths.track_paths(event, name, n_rows(cols)))}


def _et_as_pt(cols: Columns) -> Columns:
    """``pt`` from ``et`` (or from ``energy`` and ``eta`` where a version has no ``et``)."""
    et, energy = cols.pop("et"), cols.pop("energy")
    cols["pt"] = np.where(np.isfinite(et), et, energy / np.cosh(cols["eta"]))
    return cols


def _photons(event: dict[str, Any]) -> Columns:
    name = pick(event, *SOURCES["photons"])
    if name is None:
        return _empty("pt", "eta", "phi", "vx", "vy", "vz", "hadronicOverEm", "r9")
    cols = table(event, name, ("eta", "phi", "pos"), ("et", "energy", "hadronicOverEm", "r9"))
    return _with_point(_et_as_pt(cols), "pos")


def _electrons(event: dict[str, Any]) -> Columns:
    name = pick(event, *SOURCES["electrons"])
    if name is None:
        return _empty("pt", "eta", "phi", "charge", "vx", "vy", "vz", paths_too=True)
    cols = _with_point(table(event, name, ("pt", "eta", "phi", "charge", "pos")), "pos")
    return {**cols, **paths.as_columns(paths.extras_paths(event, name, n_rows(cols)))}


def _muon_kind(event: dict[str, Any], name: str, kind: str) -> Columns:
    """One muon collection with its recorded path (``Points_V1``, else ``Extras_V1``)."""
    point = "rp" if _has(event, name, "rp") else "pos"
    cols = _with_point(table(event, name, ("pt", "eta", "phi", "charge", point)), point)
    n = n_rows(cols)
    cols["kind"] = np.full(n, kind)
    recorded = paths.point_paths(event, name, "Points_V1", n)
    curves = paths.extras_paths(event, name, n)
    best = [p if p is not None else c for p, c in zip(recorded, curves, strict=True)]
    return {**cols, **paths.as_columns(best)}


def _muons(event: dict[str, Any]) -> Columns:
    """Global muons, then tracker (dR < 0.02) and stand-alone (dR < 0.1) ones not yet taken.

    Every version of a kind present is read, newest first (``TrackerMuons_V1`` and
    ``_V2`` of one file overlap but neither holds all muons); a muon within dR of
    one already taken is the same muon and is dropped.
    """
    parts: list[Columns] = []
    for kind, d_r in (("global", 0.02), ("tracker", 0.02), ("standalone", 0.1)):
        name = pick(event, *SOURCES[f"muons_{kind}"])
        if name is None:
            continue
        same = [n for n in versions(event["Types"], name.rsplit("_V", 1)[0]) if n != name]
        for version in (name, *reversed(same)):
            cols = _muon_kind(event, version, kind)
            keep = ~_matched(cols, parts, d_r) if parts else np.ones(n_rows(cols), bool)
            parts.append({k: v[keep] for k, v in cols.items()})
    if not parts:
        return {**_empty("pt", "eta", "phi", "charge", "vx", "vy", "vz", paths_too=True),
                "kind": np.zeros(0, dtype=str)}
    return {k: _concat([p[k] for p in parts]) for k in parts[0]}


def _concat(values: list[Any]) -> Any:
    if isinstance(values[0], ak.Array):
        return ak.concatenate(values)
    return np.concatenate(values)


def _matched(cols: Columns, taken: list[Columns], d_r: float, chunk: int = 4096) -> np.ndarray:
    """True where a muon of ``cols`` lies within ``d_r`` of one already taken.

    Only pairs within ``d_r`` in η are compared (taken muons sorted by η), in
    chunks of ``chunk`` muons, so time and memory stay bounded on huge events.
    """
    eta = np.concatenate([t["eta"] for t in taken])
    phi = np.concatenate([t["phi"] for t in taken])
    order = np.argsort(eta, kind="stable")
    eta, phi = eta[order], phi[order]
    out = np.zeros(len(cols["eta"]), bool)
    for start in range(0, len(out) if len(eta) and d_r > 0 else 0, chunk):
        c_eta = cols["eta"][start:start + chunk]
        c_phi = cols["phi"][start:start + chunk]
        lo = np.searchsorted(eta, c_eta - d_r, side="left")
        width = np.searchsorted(eta, c_eta + d_r, side="right") - lo
        who = np.repeat(np.arange(len(c_eta)), width)
        other = np.repeat(lo - np.cumsum(width) + width, width) + np.arange(width.sum())
        d_phi = (c_phi[who] - phi[other] + np.pi) % (2 * np.pi) - np.pi
        close = np.hypot(c_eta[who] - eta[other], d_phi) < d_r
        out[start + who[close]] = True
    return out


def _jets(event: dict[str, Any]) -> Columns:
    name = pick(event, *SOURCES["jets"])
    if name is None:
        return _empty("pt", "eta", "phi")
    cols = table(event, name, ("et", "eta", "phi"))
    cols["pt"] = cols.pop("et")
    return cols


def _met(event: dict[str, Any]) -> Columns:
    """Exactly one record: the first of PF, PAT, plain and calo MET (zero when absent)."""
    name = pick(event, *SOURCES["met"])
    cols = table(event, name, ("pt", "phi")) if name else _empty("pt", "phi")
    if len(cols["pt"]) == 0:
        return {"pt": np.zeros(1), "phi": np.zeros(1)}
    return {k: v[:1] for k, v in cols.items()}


def _vertices(event: dict[str, Any]) -> Columns:
    name = pick(event, *SOURCES["vertices"])
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
