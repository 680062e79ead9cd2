"""Text of the on-canvas overlay: experiment, run/lumi/event, date, √s.

Pure functions of an :class:`~collider_viz.physics.event.Event`; the window
passes the lines to ``EventCanvas.set_overlay``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.physics.event import Event, SourceInfo
from collider_viz.scene.summary import SourceStats
from collider_viz.scene.summary import overlay_lines as heavy_ion_lines


def energy_text(info: SourceInfo, sqrt_s: float | None = None) -> str:
    """Return e.g. ``"√s = 13 TeV, pp"`` or ``"√sNN = 200 GeV, Au+Au"``.

    Heavy-ion energies are per nucleon pair, written ``√sNN``. ``sqrt_s``
    (the event's own, where a file mixes runs) overrides the source's.
    """
    system = info.collision_system or ""
    sqrt_s = sqrt_s if sqrt_s else info.sqrt_s
    if sqrt_s is None:
        return system
    symbol = "√s" if system in ("pp", "p+p", "") else "√sNN"
    gev = float(sqrt_s)
    value = f"{gev / 1000:g} TeV" if gev >= 1000 else f"{gev:g} GeV"
    return f"{symbol} = {value}" + (f", {system}" if system else "")


def id_text(event: Event) -> str:
    """Return ``"Run 195397 · Lumi 12 · Event 3456"`` or the entry number when unknown."""
    meta = event.meta
    parts = [f"{label} {value}" for label, value in
             (("Run", meta.run), ("Lumi", meta.lumi), ("Event", meta.event)) if value is not None]
    return "  ·  ".join(parts) if parts else f"Entry {meta.entry}"


def date_text(time: str | None) -> str | None:
    """Return a readable date from an ISO 8601 string (``T`` becomes a space)."""
    if not time:
        return None
    text = str(time).replace("T", " ")
    utc = text.endswith(("+00:00", "Z"))
    text = text.removesuffix("Z").removesuffix("+00:00")
    text = re.sub(r"(\d\d:\d\d:\d\d)\.\d+", r"\1", text)  # whole seconds are enough
    return text + " UTC" if utc else text


def cut_lines(counts: dict[str, int], state: dict, drawn: dict[str, int]) -> list[str]:
    """One line per active cut or hidden collection, e.g. ``"tracks pT ≥ 2.6 GeV: 180 of 17,019 shown"``.

    Parameters
    ----------
    counts : dict
        Objects of each collection in the event.
    state : dict
        :meth:`CollectionPanel.state` (``visible``, ``thresholds``).
    drawn : dict
        Objects of each collection the canvas draws now.
    """
    lines = []
    for name, total in counts.items():
        if not total:
            continue
        if not state.get("visible", {}).get(name, True):
            lines.append(f"{name} hidden ({total:,})")
            continue
        cut = float(state.get("thresholds", {}).get(name, 0.0) or 0.0)
        if cut > 0:
            quantity = "E" if name == "calo" else "pT"
            lines.append(f"{name} {quantity} ≥ {cut:g} GeV: {drawn.get(name, 0):,} of "
                         f"{total:,} shown")
    return lines


#: Share of the tracks outside the drawn tracker above which the overlay says so.
OUTSIDE_SHARE = 0.05


def tracker_coverage(detector: Any) -> tuple[float, str, float] | None:
    """``(|η| reach of any tracking volume, name of the outer barrel, its |η| cover)``.

    A barrel volume is crossed to its outer radius for |η| < asinh(z_max / r_max);
    an endcap is reached up to asinh(z_max / r_min).
    """
    vols = [v for v in getattr(detector, "volumes", ()) or () if v.subsystem == "tracker"]
    if not vols:
        return None
    reach = [math.asinh(max(abs(v.z_min), abs(v.z_max)) / (v.r_max if v.kind == "barrel"
                                                            else max(v.r_min, 1e-3)))
             for v in vols]
    barrels = [v for v in vols if v.kind == "barrel"] or vols
    outer = max(barrels, key=lambda v: v.r_max)
    cover = math.asinh(max(abs(outer.z_min), abs(outer.z_max)) / outer.r_max)
    return max(reach), outer.name, cover


def acceptance_line(event: Event, detector: Any) -> str | None:
    """Say where the tracks of ``event`` go beyond the tracker drawn, e.g. a generator
    sample filling |η| < 4 inside an ALICE TPC (|η| < 0.9). None when they fit."""
    tracks = event.get("tracks")
    coverage = tracker_coverage(detector) if detector is not None else None
    if tracks is None or not len(tracks) or coverage is None:
        return None
    eta = np.abs(np.asarray(ak.to_numpy(tracks.eta), dtype=float))
    eta = eta[np.isfinite(eta)]
    reach, name, cover = coverage
    outside = int(np.sum(eta > reach))
    if not len(eta) or outside <= OUTSIDE_SHARE * len(eta):
        return None
    return (f"Tracks reach |η| = {eta.max():.1f}; the {name} drawn covers |η| < {cover:.1f} "
            f"({outside:,} of {len(eta):,} tracks beyond the tracker)")


def overlay_lines(event: Event, candidate: str | None = None,
                  stats: SourceStats | None = None, cuts: list[str] | None = None) -> list[str]:
    """Return the overlay lines of ``event``.

    Parameters
    ----------
    event : Event
        The event shown.
    candidate : str, optional
        The candidate mass line (e.g. ``"m(γγ) = 125.3 GeV"``); omitted when None.
    stats : SourceStats, optional
        The file's multiplicity distribution, for the centrality class of
        heavy-ion events (charged tracks and the |η| < 0.5 count are shown without it).

    Returns
    -------
    list of str
        Experiment label, identifiers, date when known, energy and system,
        the heavy-ion summary, the candidate line, then the active cuts
        (:func:`cut_lines`): a cut is never on screen without saying so.
    """
    info = event.info
    label = info.label or (f"{info.detector} Simulation" if info.is_simulation else info.detector)
    lines = [label, id_text(event)]
    date = date_text(event.meta.time)
    if date:
        lines.append(date)
    energy = energy_text(info, (event.meta.extra or {}).get("sqrt_s"))
    if energy:
        lines.append(energy)
    lines += heavy_ion_lines(event, stats)
    if candidate:
        lines.append(candidate)
    return lines + list(cuts or [])
