"""The candidate scan: stream sources in batches, select, histogram the mass.

Used by ``collider-viz scan`` and by the GUI (which runs it in a worker thread)::

    result = scan_files(paths, "hgg", "mass > 110", progress=cb, cancel=event)
    result.candidates()          # [{"file", "entry", "run", "lumi", "event", "mass"}, ...]
    result.histogram             # boost_histogram.Histogram of the candidate mass

Memory stays bounded by the batch size (``step``): each batch is read with only
the collections the selection and filter need, reduced to its candidates and
dropped. With ``workers`` (forked processes on this machine, see
:mod:`._scan_parallel`) or a ``scheduler`` address (``dask.distributed``)
the files are cut into (file, entry range) tasks that run this same code;
their results are merged in task order, so the candidate list and the
histogram are identical to a local scan.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence

import numpy as np

from collider_viz.errors import SelectionError
from collider_viz.io.base import EventSource
from collider_viz.physics._scan_batches import (
    Prefetcher,
    Sequential,
    basket_offsets,
    batch_ranges,
)
from collider_viz.physics._scan_result import Binning, ScanResult, empty_histogram
from collider_viz.physics.event import EventBatch
from collider_viz.physics.expr import Filter
from collider_viz.physics.selections import PRESETS, Selection, get_selection

__all__ = ["DEFAULT_STEP", "Binning", "ScanResult", "ScanPlan", "scan_source", "scan_files"]

DEFAULT_STEP = 200_000
"""Events per batch: large batches amortise the per-read overhead of uproot."""

Progress = Callable[[int, int], None]
Sink = Callable[..., None]


class ScanPlan:
    """What to select: a preset and/or a filter, and the histogram binning.

    Parameters
    ----------
    selection : str or Selection, optional
        Preset name (see :data:`collider_viz.physics.selections.PRESETS`).
    filter : str or Filter, optional
        Filter expression (see :mod:`collider_viz.physics.expr`).
    bins : Binning, str or (n, lo, hi), optional
        Histogram binning; default: the preset's, else 100 bins 0–200 GeV.

    Raises
    ------
    SelectionError
        Unknown preset, invalid filter, invalid binning, or neither given.
    """

    def __init__(self, selection: str | Selection | None = None,
                 filter: str | Filter | None = None,
                 bins: Binning | str | tuple[int, float, float] | None = None) -> None:
        if selection is None and filter is None:
            raise SelectionError("give a selection preset or a filter expression")
        self.selection = None if selection is None else get_selection(selection)
        self.filter = filter if isinstance(filter, Filter) or filter is None else Filter(filter)
        default = self.selection.bins if self.selection else (100, 0.0, 200.0)
        self.binning = Binning.parse(bins if bins is not None else default)
        self.axis_label = self.selection.axis_label if self.selection else "mass [GeV]"

    @property
    def collections(self) -> tuple[str, ...]:
        """Collections to read."""
        names = list(self.selection.collections) if self.selection else []
        names += list(self.filter.collections) if self.filter else []
        return tuple(dict.fromkeys(names))

    @property
    def fields(self) -> dict[str, tuple[str, ...]]:
        """Fields needed per collection beyond the kinematics (a read hint).

        A filter only counts objects, so it needs no extra field."""
        needed = {name: () for name in self.collections}
        if self.selection is not None:
            needed.update(self.selection.extra_fields)
        return needed

    def portable(self) -> tuple[object, str | None, tuple[int, float, float]]:
        """(selection, filter text, bins) in a form cheap to send to a worker."""
        sel: object = self.selection
        if self.selection is not None and PRESETS.get(self.selection.name) is self.selection:
            sel = self.selection.name
        text = self.filter.text if self.filter else None
        return sel, text, self.binning.as_tuple()

    def select(self, batch: EventBatch) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Indices (within the batch) of the candidates, their masses and object indices."""
        n = len(batch)
        if self.selection is not None:
            from collider_viz.physics import _scan_pairs

            fast = _scan_pairs.handles(self.selection)
            if fast and self.filter is None:  # the candidates as they are, not spread out
                return _scan_pairs.candidates(self.selection, batch)
            res = _scan_pairs.apply(self.selection, batch) if fast else self.selection.apply(batch)
            mask, mass, objects = res.passed, res.mass, res.objects
        else:
            mask, mass, objects = np.ones(n, dtype=bool), np.full(n, np.nan), {}
        if self.filter is not None:
            mask = mask & self.filter.evaluate(batch, mass)
        idx = np.flatnonzero(mask)
        return idx, mass[idx], {name: arr[idx] for name, arr in objects.items()}

    def check_source(self, source: EventSource) -> None:
        """Fail early when the source has none of the selection's collections."""
        have = set(source.available)
        if self.selection is None or not have:
            return
        if not have.intersection(self.selection.collections):
            raise SelectionError(
                f"{source.path}: selection {self.selection.name!r} needs "
                f"{' or '.join(self.selection.collections)}; the file has {', '.join(sorted(have))}")


def _as_plan(plan: ScanPlan | None, selection: object, filter: object, bins: object) -> ScanPlan:
    return plan if plan is not None else ScanPlan(selection, filter, bins)  # type: ignore[arg-type]


def scan_source(source: EventSource, selection: str | Selection | None = None,
                filter: str | Filter | None = None, *, bins: object = None,
                step: int = DEFAULT_STEP, start: int = 0, stop: int | None = None,
                progress: Progress | None = None, cancel: threading.Event | None = None,
                plan: ScanPlan | None = None, sink: Sink | None = None,
                prefetch: bool = True, keep_rows: int | None = None) -> ScanResult:
    """Scan entries ``[start, stop)`` of one open source.

    Parameters
    ----------
    source : EventSource
    selection, filter, bins
        See :class:`ScanPlan` (or pass ``plan``).
    step : int
        Events per batch.
    start, stop : int
        Entry range (default: all).
    progress : callable, optional
        ``progress(events_done, events_total)`` after every batch.
    cancel : threading.Event, optional
        Checked after every batch: when set, the scan stops and returns the
        events scanned so far with ``cancelled=True``.
    sink : callable, optional
        ``sink(file, entry, run, lumi, event, mass)`` with each batch's
        candidates as it finishes (``scan --json`` writes them).
    prefetch : bool
        Read the next batch in a thread while this one is selected (a worker
        process that has a core of its own gains nothing from it).
    keep_rows : int, optional
        Keep only the first ``keep_rows`` candidate rows in the result (the
        count and the histogram still hold all; the sink gets every row).

    Returns
    -------
    ScanResult
    """
    plan = _as_plan(plan, selection, filter, bins)
    plan.check_source(source)
    stop = len(source) if stop is None else min(stop, len(source))
    wanted = [c for c in plan.collections if not source.available or c in source.available]
    acc = ScanResult.collector(source, plan, keep_rows)
    total = max(stop - start, 0)
    step = max(int(step), 1)
    ranges = batch_ranges(start, stop, step, basket_offsets(source))
    if cancel is not None and cancel.is_set():
        return acc.finish(cancelled=True)
    reader = Prefetcher if prefetch else Sequential
    with reader(source, ranges, wanted, plan.fields) as batches:
        for batch in batches:
            columns = acc.add(batch, *plan.select(batch))
            if sink is not None:
                sink(source.path, *columns)
            if progress is not None:
                progress(acc.n_events, total)
            if cancel is not None and cancel.is_set():
                return acc.finish(cancelled=acc.n_events < total)
    return acc.finish()


def _source_length(path: str) -> int:
    from collider_viz.io.registry import open_events

    with open_events(path) as src:
        return len(src)


def scan_files(paths: Sequence[str | os.PathLike[str]], selection: str | Selection | None = None,
               filter: str | Filter | None = None, *, bins: object = None,
               step: int = DEFAULT_STEP, workers: int | None = None,
               scheduler: str | None = None, progress: Progress | None = None,
               cancel: threading.Event | None = None, processes: int | None = 1,
               sink_factory: Callable[[int], Sink] | None = None,
               keep_rows: int | None = None) -> ScanResult:
    """Scan several files (in order) and merge the results.

    Parameters
    ----------
    paths : sequence of str or path-like
        Files or URLs.
    selection, filter, bins, step, progress, cancel
        As for :func:`scan_source`; ``progress`` counts events over all files.
    workers : int, optional
        Processes on this machine (forked, see :mod:`._scan_parallel`); with
        ``scheduler``, ignored.
    scheduler : str, optional
        Address of a running dask scheduler (``tcp://host:port``).
    processes : int or None
        Without ``workers``: 1 scans in this process (the GUI's case), None
        picks one process per core where the files are large enough.
    sink_factory : callable, optional
        ``sink_factory(part)`` makes the row sink (see :func:`scan_source`) of
        each contiguous part of the scan, in the process that scans it; it is
        called with part 0 only when one process scans everything.
    keep_rows : int, optional
        Keep only the first ``keep_rows`` candidate rows (see
        :func:`scan_source`): the command line, which prints five and streams
        the rest, moves no more between processes. Ignored with ``scheduler``.

    Returns
    -------
    ScanResult
        Identical for the local, forked and distributed runs.
    """
    from collider_viz.io.inflate import use_fast_inflate

    use_fast_inflate()  # the same bytes, about twice as fast
    plan = ScanPlan(selection, filter, bins)
    paths = [os.fspath(p) for p in paths]
    if not paths:
        raise SelectionError("no input files to scan")
    if scheduler:
        from collider_viz.physics._scan_dask import scan_distributed

        return scan_distributed(paths, plan, step=step, workers=workers, scheduler=scheduler,
                                progress=progress, cancel=cancel)
    n_proc = workers if workers else processes
    if n_proc != 1 and all(os.path.isfile(p) for p in paths):
        from collider_viz.physics import _scan_parallel as par

        lengths = [_source_length(p) for p in paths]
        n_proc = par.choose_processes(sum(lengths), n_proc)
        if n_proc > 1:
            return par.scan_forked(paths, lengths, plan, processes=n_proc, step=step,
                                   progress=progress, cancel=cancel, sink_factory=sink_factory,
                                   keep_rows=keep_rows)
    sink = sink_factory(0) if sink_factory is not None else None
    try:
        return _scan_local(paths, plan, step, progress, cancel, sink, keep_rows)
    finally:
        if sink is not None:
            sink.close()  # type: ignore[attr-defined]


def _scan_local(paths: list[str], plan: ScanPlan, step: int, progress: Progress | None,
                cancel: threading.Event | None, sink: Sink | None = None,
                keep_rows: int | None = None) -> ScanResult:
    from collider_viz.io.registry import open_events

    total = sum(_source_length(p) for p in paths) if progress is not None else 0
    results: list[ScanResult] = []
    done = 0
    for path in paths:
        def report(n: int, _: int, offset: int = done) -> None:
            progress(offset + n, total)  # type: ignore[misc]

        with open_events(path) as src:
            res = scan_source(src, plan=plan, step=step, cancel=cancel, sink=sink,
                              progress=report if progress is not None else None,
                              keep_rows=keep_rows)
        results.append(res)
        done += res.n_events
        if res.cancelled:
            break
    merged = ScanResult.merge(results, empty=empty_histogram(plan.binning))
    merged.axis_label = plan.axis_label
    return merged
