"""Candidates of a selection preset, ordered and named for export.

A thin layer over :func:`collider_viz.physics.scan.scan_source`: the scan
finds every event passing a preset (``hgg``, ``h4l``, ``zmumu`` ...) with its
mass and the indices of the candidate's objects; here they are ordered as a
story or an export asks and given file names such as ``run1_event42``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from collider_viz.errors import ColliderVizError


def scan(source: Any, preset: str, bins: tuple[int, float, float] | None = None) -> Any:
    """Run preset ``preset`` over ``source``; returns a ``ScanResult``."""
    from collider_viz.physics.scan import scan_source

    return scan_source(source, preset, bins=bins)


def order(result: Any, order_by: str = "entry") -> np.ndarray:
    """Candidate indices sorted by ``entry``, ``mass``, ``-mass`` or ``closest:<GeV>``."""
    mass = np.asarray(result.mass, dtype=np.float64)
    entry = np.asarray(result.entry)
    if order_by == "entry":
        return np.lexsort((np.arange(len(entry)), entry))
    if order_by in ("mass", "-mass"):
        key = np.where(np.isfinite(mass), mass, np.inf)
        return np.argsort(-key if order_by == "-mass" else key, kind="stable")
    if order_by.startswith("closest:"):
        target = float(order_by.split(":", 1)[1])
        return np.argsort(np.abs(np.nan_to_num(mass, nan=np.inf) - target), kind="stable")
    raise ColliderVizError(f"unknown order {order_by!r}; expected entry, mass, -mass or closest:<GeV>")


def pick(result: Any, order_by: str = "entry", index: int = 0) -> dict[str, Any]:
    """The ``index``-th candidate after ordering (dict with entry, run, event, mass, objects)."""
    if len(result) == 0:
        raise ColliderVizError("the selection found no candidate in this file")
    ranked = order(result, order_by)
    if not -len(ranked) <= index < len(ranked):
        raise ColliderVizError(f"candidate {index} requested; the selection found {len(ranked)}")
    return result.candidate(int(ranked[index]))


def decay_title(preset: str) -> str:
    """Short name of the decay a preset looks for, e.g. ``"H→γγ"``."""
    from collider_viz.physics.selections import get_selection

    summary = get_selection(preset).summary
    return summary.split(":", 1)[0].strip() if ":" in summary else preset


def candidate_line(preset: str, mass: float | None) -> str:
    """``"H→γγ candidate, m = 125.3 GeV"`` for the annotation."""
    text = f"{decay_title(preset)} candidate"
    return text if mass is None else f"{text}, m = {mass:.1f} GeV"


def file_stem(candidate: dict[str, Any]) -> str:
    """``run1_event42`` (``entry17`` where run/event are unknown)."""
    if candidate.get("run") is not None and candidate.get("event") is not None:
        return f"run{candidate['run']}_event{candidate['event']}"
    return f"entry{candidate['entry']}"
