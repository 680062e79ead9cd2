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
        heavy-ion events (charged tracks and dN/dη are shown without it).

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
    energy = energy_text(info)
    if energy:
        lines.append(energy)
    lines += heavy_ion_lines(event, stats)
    if candidate:
        lines.append(candidate)
    return lines + list(cuts or [])
