"""Turn a story step into what to show: an event (with options) or a mass spectrum.

No drawing happens here: the GUI player and the headless story export both
call :func:`resolve_step` and draw the result their own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.errors import ColliderVizError
from collider_viz.export import candidates as cands
from collider_viz.export.annotate import heavy_ion_lines
from collider_viz.export.stories import Step, Story, resolve_file


@dataclass
class ResolvedStep:
    """A story step ready to draw.

    Attributes
    ----------
    step : Step
        The step as written in the story.
    number : int
        1-based position in the story.
    event : Event or None
        The event to show (``kind == "event"``).
    candidate : str or None
        Annotation line for a selected candidate (with its mass).
    highlight : dict
        Collection → indices of the candidate's objects.
    extra_lines : list of str
        Further annotation lines (charged tracks, centrality).
    spectrum : ScanResult or None
        The scan for ``kind == "spectrum"``.
    note : str
        Why the step was skipped (empty when it was not).
    """

    step: Step
    number: int
    event: Any = None
    candidate: str | None = None
    highlight: dict[str, list[int]] = field(default_factory=dict)
    extra_lines: list[str] = field(default_factory=list)
    spectrum: Any = None
    note: str = ""

    @property
    def skipped(self) -> bool:
        """True when the step could not be prepared (missing optional file ...)."""
        return bool(self.note)


def resolve_step(story: Story, number: int) -> ResolvedStep:
    """Prepare step ``number`` (1-based) of ``story``.

    A missing ``shared_opendata:`` file, or any missing file of an
    ``optional`` step, gives a skipped step with a note; other problems raise
    :class:`~collider_viz.errors.ColliderVizError` naming the story and step.
    """
    step = story.steps[number - 1]
    path, note = resolve_file(step, story.path)
    if path is None:
        return ResolvedStep(step, number, note=note)
    try:
        return _resolve(step, number, path)
    except ColliderVizError as exc:
        if step.optional:
            return ResolvedStep(step, number, note=f"{exc} (skipped)")
        raise ColliderVizError(f"{story.path}: step {number}: {exc}") from None


def _resolve(step: Step, number: int, path: Path) -> ResolvedStep:
    from collider_viz.io.registry import open_events

    source = open_events(path)
    if step.kind == "spectrum":
        bins = step.bins if step.bins is not None else None
        return ResolvedStep(step, number, spectrum=cands.scan(source, step.select, bins))
    out = ResolvedStep(step, number)
    if step.select:
        cand = cands.pick(cands.scan(source, step.select), step.order_by, step.index)
        out.candidate = cands.candidate_line(step.select, cand.get("mass"))
        out.highlight = dict(cand.get("objects", {}))
        entry = cand["entry"]
    else:
        entry = choose_entry(source, step)
    out.event = source[entry]
    out.extra_lines = heavy_ion_lines(out.event)
    return out


def choose_entry(source: Any, step: Step) -> int:
    """Entry named by ``entry``, ``run``/``event`` or a ``pick`` rule (default 0)."""
    if step.run is not None and step.event is not None:
        try:
            return source.find(step.run, step.event)
        except KeyError:
            raise ColliderVizError(f"{source.path}: no event {step.run}:{step.event}") from None
    if step.pick == "multiplicity_quantile":
        return multiplicity_quantile_entry(source, float(step.value or 0.0))
    entry = step.entry or 0
    if not 0 <= entry < len(source):
        raise ColliderVizError(f"{source.path}: entry {entry} out of range (0..{len(source) - 1})")
    return entry


def multiplicities(source: Any) -> np.ndarray:
    """Charged-track count of every event (the file's ``nCharged`` when it has one)."""
    from collider_viz.physics.heavyion import charged_multiplicity

    batch = source.read(0, len(source), ["tracks"])
    if "nCharged" in batch.ids:
        return np.asarray(batch.ids["nCharged"])
    tracks = batch.collections.get("tracks")
    if tracks is None:
        raise ColliderVizError(f"{source.path}: has no tracks to count")
    return np.asarray(charged_multiplicity(tracks))


def multiplicity_quantile_entry(source: Any, quantile: float) -> int:
    """Entry whose charged multiplicity sits at ``quantile`` (0 = fewest, 1 = most)."""
    if not 0.0 <= quantile <= 1.0:
        raise ColliderVizError(f"multiplicity_quantile value must be in 0..1, not {quantile}")
    counts = multiplicities(source)
    ranked = np.argsort(counts, kind="stable")
    return int(ranked[int(round(quantile * (len(ranked) - 1)))])
