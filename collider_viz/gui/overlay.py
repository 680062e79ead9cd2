"""Text of the on-canvas overlay: experiment, run/lumi/event, date, √s.

Pure functions of an :class:`~collider_viz.physics.event.Event`; the window
passes the lines to ``EventCanvas.set_overlay``.
"""

from __future__ import annotations

import re

from collider_viz.physics.event import Event, SourceInfo
from collider_viz.scene.summary import SourceStats
from collider_viz.scene.summary import overlay_lines as heavy_ion_lines


def energy_text(info: SourceInfo) -> str:
    """Return e.g. ``"√s = 13 TeV, pp"`` or ``"√sNN = 200 GeV, Au+Au"``.

    Heavy-ion energies are per nucleon pair, written ``√sNN``.
    """
    system = info.collision_system or ""
    if info.sqrt_s is None:
        return system
    symbol = "√s" if system in ("pp", "p+p", "") else "√sNN"
    gev = float(info.sqrt_s)
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


def overlay_lines(event: Event, candidate: str | None = None,
                  stats: SourceStats | None = None) -> list[str]:
    """Return the overlay lines of ``event``.

    Parameters
    ----------
    event : Event
        The event shown.
    candidate : str, optional
        The candidate mass line (e.g. ``"m(γγ) = 125.3 GeV"``); omitted when None.
    stats : SourceStats, optional
        The file's multiplicity distribution, for the centrality class of
        heavy-ion events (charged tracks and dN/dη are shown without it).

    Returns
    -------
    list of str
        Experiment label, identifiers, date when known, energy and system,
        the heavy-ion summary, then the candidate line.
    """
    info = event.info
    label = info.label or (f"{info.detector} Simulation" if info.is_simulation else info.detector)
    lines = [label, id_text(event)]
    date = date_text(event.meta.time)
    if date:
        lines.append(date)
    energy = energy_text(info)
    if energy:
        lines.append(energy)
    lines += heavy_ion_lines(event, stats)
    if candidate:
        lines.append(candidate)
    return lines
