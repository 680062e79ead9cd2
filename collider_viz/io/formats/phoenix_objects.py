"""Phoenix JSON objects to common-form rows (one dict of floats per object).

The HSF Phoenix event-data format (``guides/developers/event_data_format.md`` of
github.com/HSF/phoenix) gives lengths in mm and energies in MeV:

* ``Tracks``: ``pos`` (list of ``[x, y, z]``), ``dparams`` = ``[d0, z0, phi, theta,
  qOverP]`` (optional), ``charge``, ``phi``, ``eta``, ``pT``, ``chi2``, ``dof``;
* ``Jets``: ``eta``, ``phi``, ``energy`` or ``et``, ``coneR``;
* ``CaloClusters`` / ``CaloCells``: ``energy``, ``eta``, ``phi``, optional ``radius``, ``z``;
* ``Vertices``: ``x, y, z`` or ``pos``;
* ``MissingEnergy``: ``etx``, ``ety``;
* ``Muons`` / ``Electrons`` / ``Photons``: ``pt`` (``pT``), ``eta``, ``phi``, ``energy``,
  ``pdgId`` (charge), ``LinkedTracks`` (``"COLLECTION:INDEX"``).

Each function returns a row (dict) or raises :class:`ValueError` with what is wrong;
the reader turns that into a :class:`~collider_viz.errors.FormatError` naming the object.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

MEV, MM = 1e-3, 1e-3
PION_MASS = 0.13957
#: Phoenix's default drawing cylinder of calorimeter clusters (mm): radius and half-length
CALO_RADIUS, CALO_Z = 1800.0, 3600.0
LEPTON_MASS = {"muons": 0.10566, "electrons": 0.000511, "photons": 0.0}
LEPTON_PDG = {"muons": 13, "electrons": 11}


def number(obj: Mapping[str, Any], *keys: str, default: float | None = None) -> float:
    """The first of ``keys`` in ``obj`` as a float (``default`` when none is there)."""
    for key in keys:
        value = obj.get(key)
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{key!r} is {type(value).__name__}, expected a number")
            return float(value)
    if default is None:
        raise ValueError(f"no {' or '.join(repr(k) for k in keys)}")
    return default


def _points(pos: Any) -> list[tuple[float, float, float]]:
    if not isinstance(pos, list):
        raise ValueError("'pos' is not a list of [x, y, z]")
    out = []
    for p in pos:
        if not (isinstance(p, list) and len(p) >= 3
                and all(isinstance(c, (int, float)) for c in p[:3])):
            raise ValueError("'pos' has an entry that is not [x, y, z]")
        out.append((float(p[0]) * MM, float(p[1]) * MM, float(p[2]) * MM))
    return out


def _eta(theta: float) -> float:
    return -math.log(math.tan(theta / 2.0)) if 0.0 < theta < math.pi else math.copysign(
        1e3, math.cos(theta))


def track(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A track: kinematics from ``dparams`` (else ``pT``/``eta``/``phi`` or the first
    points), reference point at the perigee (else the first point), recorded path."""
    path = _points(obj.get("pos", []))
    row: dict[str, Any] = {"path_x": [p[0] for p in path], "path_y": [p[1] for p in path],
                           "path_z": [p[2] for p in path]}
    dp = obj.get("dparams")
    if dp is not None:
        if not (isinstance(dp, list) and len(dp) == 5
                and all(isinstance(v, (int, float)) for v in dp)):
            raise ValueError("'dparams' is not [d0, z0, phi, theta, qOverP]")
        d0, z0, phi, theta, qop = (float(v) for v in dp)
        p = 1.0 / abs(qop) * MEV if qop else math.inf
        row.update(pt=p * math.sin(theta), eta=_eta(theta), phi=phi,
                   charge=int(math.copysign(1, qop)) if qop else 0,
                   vx=-d0 * math.sin(phi) * MM, vy=d0 * math.cos(phi) * MM, vz=z0 * MM)
    else:
        _track_without_dparams(obj, path, row)
    row["mass"] = PION_MASS
    row["chi2"] = number(obj, "chi2", default=math.nan)
    row["dof"] = number(obj, "dof", default=math.nan)
    return row


def _track_without_dparams(obj: Mapping[str, Any], path: Sequence[tuple], row: dict) -> None:
    if len(path) >= 2:
        (x0, y0, z0), (x1, y1, z1) = path[0], path[1]
        phi = math.atan2(y1 - y0, x1 - x0)
        eta = math.asinh((z1 - z0) / max(math.hypot(x1 - x0, y1 - y0), 1e-12))
    else:
        phi, eta = number(obj, "phi"), number(obj, "eta")
    start = path[0] if path else (0.0, 0.0, 0.0)
    row.update(pt=number(obj, "pT", "pt", default=0.0) * MEV,
               eta=number(obj, "eta", default=eta), phi=number(obj, "phi", default=phi),
               charge=int(number(obj, "charge", default=0.0)),
               vx=start[0], vy=start[1], vz=start[2])


def jet(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A jet: ``et`` is its transverse energy, else pT = energy / cosh(eta)."""
    eta, phi = number(obj, "eta"), number(obj, "phi")
    if "et" in obj:
        pt = number(obj, "et") * MEV
    else:
        pt = number(obj, "energy", default=0.0) * MEV / math.cosh(eta)
    return {"pt": pt, "eta": eta, "phi": phi, "mass": 0.0, "charge": 0,
            "radius": number(obj, "coneR", default=0.4)}


def calo(obj: Mapping[str, Any], subdet: str) -> dict[str, Any]:
    """A cluster or cell placed where Phoenix draws it: on the cylinder r = 1.8 m,
    |z| = 3.6 m (or the object's own ``radius`` / ``z``)."""
    energy, eta, phi = number(obj, "energy") * MEV, number(obj, "eta"), number(obj, "phi")
    theta = 2.0 * math.atan(math.exp(-eta))
    radius = number(obj, "radius", default=CALO_RADIUS)
    zmax = abs(number(obj, "z", default=CALO_Z))
    sin, cos = math.sin(theta), math.cos(theta)
    t = min(radius / sin if sin > 0 else math.inf, zmax / abs(cos) if cos else math.inf)
    return {"energy": energy, "eta": eta, "phi": phi, "x": t * sin * math.cos(phi) * MM,
            "y": t * sin * math.sin(phi) * MM, "z": t * cos * MM, "subdet": subdet}


def vertex(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A vertex from ``x, y, z`` or ``pos``."""
    if "pos" in obj:
        (x, y, z), = _points([obj["pos"]])
    else:
        x, y, z = (number(obj, k) * MM for k in ("x", "y", "z"))
    return {"x": x, "y": y, "z": z}


def missing(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Missing transverse energy from ``etx``, ``ety``."""
    etx, ety = number(obj, "etx") * MEV, number(obj, "ety") * MEV
    return {"pt": math.hypot(etx, ety), "phi": math.atan2(ety, etx)}


def lepton(obj: Mapping[str, Any], kind: str,
           tracks: Mapping[str, Sequence[dict[str, Any]]]) -> dict[str, Any]:
    """A muon, electron or photon; kinematics of the first linked track when it has none."""
    linked = _linked_track(obj, tracks)
    if "pt" not in obj and "pT" not in obj and linked is not None:
        row = dict(linked)
    else:
        row = {"pt": number(obj, "pt", "pT") * MEV, "eta": number(obj, "eta"),
               "phi": number(obj, "phi")}
        pdg = obj.get("pdgId")
        sign = -math.copysign(1, pdg) if isinstance(pdg, (int, float)) and pdg else 0
        row["charge"] = int(number(obj, "charge", default=sign)) if kind != "photons" else 0
        if linked is not None:
            row.update({k: linked[k] for k in ("path_x", "path_y", "path_z")})
    row["mass"] = LEPTON_MASS[kind]
    row["energy_file"] = number(obj, "energy", default=math.nan) * MEV
    return row


def _linked_track(obj: Mapping[str, Any],
                  tracks: Mapping[str, Sequence[dict[str, Any]]]) -> dict[str, Any] | None:
    for link in obj.get("LinkedTracks") or ():
        if isinstance(link, str) and ":" in link:
            coll, _, index = link.rpartition(":")
            rows = tracks.get(coll, ())
            if index.isdigit() and int(index) < len(rows):
                return rows[int(index)]
    return None
