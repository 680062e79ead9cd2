"""Text about an event that the display shows besides the picture (no Qt, no vispy).

* :func:`overlay_lines` — heavy-ion summary lines: charged tracks, the count at
  mid-rapidity and the centrality class (generator impact-parameter class
  where the sample stores it, else the multiplicity percentile in the file).
* :class:`SourceStats` — the file's multiplicity distribution, computed once
  from ``reader.counts()["tracks"]``, for the overlay and the event table.
* :func:`notice_lines` — what the canvas says about objects it does not
  draw (invalid kinematics, display cap): thinning is never silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from collider_viz.physics import centrality, heavyion
from collider_viz.physics.centrality import Centrality
from collider_viz.scene.flow_overlay import flow_line

#: Collision systems that are not heavy-ion collisions.
NOT_HEAVY_ION = frozenset({"", "pp", "p+p", "ppbar", "p+pbar", "e+e-", "ee"})
#: Below this many events a multiplicity percentile is only a rank, not a centrality class.
MIN_EVENTS_FOR_CLASS = centrality.MIN_EVENTS_FOR_PERCENTILE
_SINGULAR = {"tracks": "track", "photons": "photon", "electrons": "electron", "muons": "muon",
             "jets": "jet", "vertices": "vertex", "calo": "calorimeter deposit"}


@dataclass(frozen=True)
class SourceStats:
    """Per-entry charged multiplicity of a file and its centrality percentiles.

    Attributes
    ----------
    multiplicity : np.ndarray
        (n_events,) tracks per entry.
    percentiles : np.ndarray
        (n_events,) percentile of each entry (0 = busiest), see
        :func:`collider_viz.physics.heavyion.centrality_percentiles`.
    """

    multiplicity: np.ndarray
    percentiles: np.ndarray
    centralities: tuple[Centrality | None, ...] = ()

    @classmethod
    def from_counts(cls, counts: Mapping[str, Any],
                    ids: Mapping[str, Any] | None = None) -> SourceStats:
        """From ``reader.counts()`` (or any mapping with a ``"tracks"`` array).

        ``ids`` are the per-entry scalars of the file (``EventBatch.ids``, see
        :func:`estimator_ids`): its own centrality estimator, used first.
        """
        mult = np.asarray(counts.get("tracks", np.zeros(0)), dtype=np.int64)
        cents = centrality.for_file(ids or {}, mult, len(mult))
        return cls(mult, heavyion.centrality_percentiles(mult), tuple(cents))

    @classmethod
    def from_source(cls, source: Any) -> SourceStats:
        """From an open ``EventSource`` (its counters and per-entry estimator)."""
        return cls.from_counts(source.reader.counts(), estimator_ids(source))

    def __len__(self) -> int:
        return len(self.multiplicity)

    def percentile(self, entry: int) -> float | None:
        """Multiplicity percentile of ``entry`` (None when out of range)."""
        return float(self.percentiles[entry]) if 0 <= entry < len(self) else None

    def rank(self, entry: int) -> int:
        """1 for the busiest entry of the file, 2 for the next ... (ties share a rank)."""
        return int(np.sum(self.multiplicity > self.multiplicity[entry])) + 1

    def centrality(self, entry: int) -> Centrality | None:
        """The centrality of ``entry`` (:func:`collider_viz.physics.centrality.for_file`)."""
        return self.centralities[entry] if 0 <= entry < len(self.centralities) else None

    def class_labels(self) -> list[str]:
        """Centrality class of every entry for the event table ("" where unknown)."""
        return [c.label if c is not None else "" for c in self.centralities]

    def sort_keys(self) -> np.ndarray:
        """Per-entry percentile for sorting the table (NaN where unknown)."""
        return np.array([c.percent if c is not None else np.nan for c in self.centralities])


def estimator_ids(source: Any) -> dict[str, np.ndarray]:
    """Per-entry centrality estimators of an open source (``hiBin``, ``bClass`` ...).

    Reads the smallest collection the file has (the scalars come with every batch).
    """
    names = [n for n in ("vertices", "met") if n in source.available][:1]
    try:
        ids = source.read(0, len(source), collections=names).ids
    except Exception:  # noqa: BLE001 - the estimator is optional; multiplicity remains
        return {}
    return {k: v for k, v in ids.items() if k in ("hiBin", "centrality", "bClass")}


def is_heavy_ion(info: Any) -> bool:
    """Whether the source's collision system is nucleus-nucleus (or proton-nucleus)."""
    system = str(getattr(info, "collision_system", "") or "").strip()
    return system.lower() not in NOT_HEAVY_ION


def _centrality_line(event: Any, stats: SourceStats | None) -> str | None:
    extra = event.meta.extra or {}
    own = centrality.from_estimator(extra)
    if own is not None and own.source == "bClass":
        b = extra.get("b")
        where = f", b = {float(b):.1f} fm" if b is not None else ""
        return f"Centrality {own.label} (generator impact parameter{where})"
    if own is not None:
        return f"Centrality {own.text}"
    entry = event.meta.entry
    if stats is None or not 0 <= entry < len(stats):
        return None
    if len(stats) < MIN_EVENTS_FOR_CLASS:
        return (f"Multiplicity rank {stats.rank(entry)} of {len(stats)} in this file "
                "(too few events for a centrality class)")
    cent = stats.centrality(entry)
    if cent is None:
        return None
    return f"Centrality {cent.label} (from multiplicity, {len(stats):,} events in this file)"


def overlay_lines(event: Any, source_stats: SourceStats | None = None) -> list[str]:
    """Heavy-ion summary lines of ``event`` (empty for pp and for events without tracks).

    Parameters
    ----------
    event : Event
        The event shown.
    source_stats : SourceStats, optional
        Its file's multiplicity distribution (:meth:`SourceStats.from_source`).

    Returns
    -------
    list of str
        e.g. ``["17,209 charged tracks · 1,652 with |η| < 0.5",
        "Centrality 0–10% (generator impact parameter, b = 1.1 fm)"]``.
    """
    tracks = event.get("tracks") if hasattr(event, "get") else None
    if tracks is None or not len(tracks) or not is_heavy_ion(event.info):
        return []
    n_charged = int(heavyion.charged_multiplicity(tracks))
    dndeta = float(heavyion.dndeta_midrapidity(tracks))
    # a raw count, not dN/dη: no efficiency or acceptance correction (published values are)
    lines = [f"{n_charged:,} charged tracks · {dndeta:,.0f} with |η| < 0.5"]
    centrality = _centrality_line(event, source_stats)
    plane = flow_line(event)
    return lines + ([centrality] if centrality else []) + ([plane] if plane else [])


def noun(name: str, count: int) -> str:
    """Collection name in the singular or plural for ``count``."""
    if name == "calo":
        return "calorimeter deposit" + ("" if count == 1 else "s")
    return _SINGULAR.get(name, name) if count == 1 else name


def notice_lines(counts: Mapping[str, tuple[int, int, int, int | None]]) -> list[str]:
    """Notices about objects not drawn.

    Parameters
    ----------
    counts : mapping
        Collection name -> ``(skipped, drawn, passing, cap)``: objects with
        invalid kinematics, objects drawn, objects passing the cuts and the
        display cap (None: no cap).

    Returns
    -------
    list of str
        e.g. ``["3 tracks with invalid kinematics skipped",
        "5,000 of 17,209 tracks shown (display limit; highest pT first)"]``.
    """
    lines = []
    for name, (skipped, _drawn, passing, cap) in counts.items():
        if skipped:
            lines.append(f"{skipped:,} {noun(name, skipped)} with invalid kinematics skipped")
        if cap is not None and passing > cap:
            lines.append(f"{cap:,} of {passing:,} {noun(name, passing)} shown "
                         "(display limit; highest pT first)")
    return lines
