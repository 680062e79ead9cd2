"""Detector descriptions, loaded from one TOML file per experiment.

The geometry is deliberately coarse: a handful of cylinders (barrels) and
disks (endcaps) per subsystem, enough for the scene to draw translucent
volumes and for :mod:`collider_viz.physics.helix` to know where tracks end.
Every number is cited in its TOML file (``detectors/<name>.toml``).

Units: metres, tesla, radians.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from collider_viz.errors import ColliderVizError
from collider_viz.physics.field import FieldMap, region_from_toml, solenoid_map

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

DETECTOR_DIR = Path(__file__).resolve().parent / "detectors"


@dataclass(frozen=True)
class Volume:
    """One drawable piece of a detector: a barrel (tube) or an endcap (disk).

    Attributes
    ----------
    name : str
        Human-readable name, e.g. ``"ECAL barrel"``.
    subsystem : str
        Layer key for the scene: ``"tracker"``, ``"ecal"``, ``"hcal"``,
        ``"magnet"``, ``"muon"`` (or ``"pid"`` for ALICE/STAR extras).
    kind : str
        ``"barrel"`` or ``"endcap"``. Endcaps describe the +z side only and
        are mirrored to -z by whoever draws them (unless ``mirror`` is False:
        a forward spectrometer's stations exist at +z only).
    r_min, r_max : float
        Inner and outer radius in metres.
    z_min, z_max : float
        Longitudinal extent in metres (barrels: usually ``-z_max..z_max``).
    color : str
        ``"#rrggbb"`` colour for drawing.
    phi_min, phi_max : float
        Azimuthal coverage in radians (full circle by default).
    source : str
        Where the numbers come from.
    mirror : bool
        Endcaps only: also drawn at -z (default True).
    """

    name: str
    subsystem: str
    kind: str
    r_min: float
    r_max: float
    z_min: float
    z_max: float
    color: str
    phi_min: float = 0.0
    phi_max: float = 6.283185307179586
    source: str = ""
    mirror: bool = True


@dataclass(frozen=True)
class Detector:
    """Field and radii of one experiment (see docs/ARCHITECTURE.md).

    Attributes
    ----------
    name : str
        ``"CMS"``, ``"STAR"``, ``"ALICE"``, ``"ATLAS"`` or ``"LHCB"``.
    field_t : float
        Solenoid field Bz inside the coil in tesla.
    return_field_t : float or None
        Field in the barrel return yoke (opposite sign), None without a yoke model.
    tracker_radius, tracker_half_length : float
        The tracking cylinder where charged-track helices stop.
    ecal_radius, ecal_endcap_z : float
        Front faces of the electromagnetic calorimeter barrel and endcap.
    ecal_barrel_eta : float
        |eta| where the ECAL barrel hands over to the endcap.
    calo_radius_max : float
        Outer radius of the calorimetry (for jet cones / towers).
    muon_radius_max, muon_endcap_z_max : float
        Where muon paths stop (last muon station).
    solenoid_radius, solenoid_half_length : float
        Extent of the uniform solenoid field (the tracks' helices).
    track_end_radius, track_end_z : float
        Where computed track helices end: the calorimeter front face where the
        experiment's own display ends its tracks (CMS), else the tracker.
    max_turns : float
        Loopers (tracks that never reach ``track_end_radius``) are drawn for
        at most this many turns, or until they leave ``track_end_z``.
    field_map : FieldMap
        Field regions (solenoid, coil, yoke layers, toroids, dipoles) muons are
        stepped through; the solenoid alone when the TOML has no ``[[field]]``.
    forward : bool
        A forward spectrometer along +z (LHCb): its own cameras and views.
    volumes : tuple of Volume
        Drawable volumes.
    sources : tuple of str
        References for the numbers.
    """

    name: str
    field_t: float
    return_field_t: float | None
    tracker_radius: float
    tracker_half_length: float
    ecal_radius: float
    ecal_endcap_z: float
    ecal_barrel_eta: float
    calo_radius_max: float
    muon_radius_max: float
    muon_endcap_z_max: float
    volumes: tuple[Volume, ...]
    sources: tuple[str, ...]
    solenoid_radius: float = 0.0
    solenoid_half_length: float = 0.0
    description: str = ""
    track_end_radius: float = 0.0
    track_end_z: float = 0.0
    max_turns: float = 5.0
    field_map: FieldMap = FieldMap(())
    forward: bool = False

    @property
    def subsystems(self) -> tuple[str, ...]:
        """Subsystem names in drawing order, without repeats."""
        return tuple(dict.fromkeys(v.subsystem for v in self.volumes))

    def volumes_of(self, subsystem: str) -> tuple[Volume, ...]:
        """All volumes of one subsystem."""
        return tuple(v for v in self.volumes if v.subsystem == subsystem)


def known_detectors() -> tuple[str, ...]:
    """Names of the bundled detectors (upper case, sorted)."""
    return tuple(sorted(p.stem.upper() for p in DETECTOR_DIR.glob("*.toml")))


def load_detector(name: str) -> Detector:
    """Load a bundled detector description by name (case-insensitive).

    Parameters
    ----------
    name : str
        ``"CMS"``, ``"STAR"``, ``"ALICE"``, ``"ATLAS"`` or ``"LHCb"`` in any case.

    Returns
    -------
    Detector

    Raises
    ------
    ColliderVizError
        If no detector of that name is bundled; the message lists known ones.
    """
    key = str(name).strip().lower()
    if key.upper() not in known_detectors():
        known = ", ".join(known_detectors())
        raise ColliderVizError(f"unknown detector {name!r}; known detectors: {known}")
    return _load(key)


@cache
def _load(key: str) -> Detector:
    path = DETECTOR_DIR / f"{key}.toml"
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        return _build(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ColliderVizError(f"{path}: invalid detector description ({exc})") from exc


def _build(data: dict[str, Any]) -> Detector:
    det = dict(data["detector"])
    volumes = tuple(_volume(v) for v in data.get("volumes", []))
    sources = tuple(str(s) for s in det.pop("sources", ()))
    forward = bool(det.pop("forward", False))
    det.setdefault("return_field_t", None)
    det.setdefault("track_end_radius", det["tracker_radius"])
    det.setdefault("track_end_z", det["tracker_half_length"])
    floats = {k: (None if v is None else float(v)) for k, v in det.items()
              if k not in ("name", "description")}
    regions = tuple(region_from_toml(r) for r in data.get("field", []))
    field_map = FieldMap(regions) if regions else solenoid_map(
        floats["field_t"], floats.get("solenoid_radius", 0.0),
        floats.get("solenoid_half_length", 0.0))
    return Detector(name=str(det["name"]), description=str(det.get("description", "")),
                    volumes=volumes, sources=sources, field_map=field_map, forward=forward,
                    **floats)


def _volume(entry: dict[str, Any]) -> Volume:
    if entry["kind"] not in ("barrel", "endcap"):
        raise ValueError(f"volume {entry.get('name')!r}: kind must be 'barrel' or 'endcap'")
    numeric = ("r_min", "r_max", "z_min", "z_max", "phi_min", "phi_max")
    values = {k: float(entry[k]) for k in numeric if k in entry}
    if values["r_min"] > values["r_max"] or values["z_min"] > values["z_max"]:
        raise ValueError(f"volume {entry['name']!r}: min > max")
    return Volume(name=str(entry["name"]), subsystem=str(entry["subsystem"]),
                  kind=str(entry["kind"]), color=str(entry["color"]),
                  source=str(entry.get("source", "")), mirror=bool(entry.get("mirror", True)),
                  **values)
