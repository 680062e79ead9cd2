"""Scale-out of :func:`collider_viz.physics.scan.scan_files` with ``dask.distributed``.

The files are cut into (file, entry range) tasks; each task opens its file on
the worker and runs :func:`~collider_viz.physics.scan.scan_source` on its range
(the same code as a local scan) and returns a
:class:`~collider_viz.physics._scan_result.ScanResult`. Results are merged in
task order, so candidates and histogram counts equal those of a local run.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from collider_viz.errors import SelectionError
from collider_viz.physics._scan_result import ScanResult, empty_histogram

MIN_TASK = 10_000
CONNECT_TIMEOUT_S = 10
TASKS_PER_WORKER = 4


def scan_range(path: str, start: int, stop: int, selection: Any, filter_text: str | None,
               bins: tuple[int, float, float], step: int) -> ScanResult:
    """Task body: scan entries ``[start, stop)`` of ``path`` (runs on a worker)."""
    from collider_viz.io.registry import open_events
    from collider_viz.physics.scan import scan_source

    with open_events(path) as src:
        return scan_source(src, selection, filter_text, bins=bins, step=step,
                           start=start, stop=stop)


@contextmanager
def dask_client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A client of ``scheduler``, or of a new local cluster of ``workers`` processes."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SelectionError(f"could not connect to the dask scheduler {scheduler!r} "
                                 f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
                                 ) from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=int(workers or 1), threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


def plan_tasks(lengths: list[int], n_workers: int, step: int) -> list[tuple[int, int, int]]:
    """``(file number, start, stop)`` ranges, about ``TASKS_PER_WORKER`` per worker."""
    total = sum(lengths)
    chunk = max(min(step, MIN_TASK), math.ceil(total / max(n_workers * TASKS_PER_WORKER, 1)))
    return [(i, lo, min(lo + chunk, n)) for i, n in enumerate(lengths)
            for lo in range(0, n, chunk)]


def scan_distributed(paths: list[str], plan: Any, *, step: int, workers: int | None,
                     scheduler: str | None, progress: Callable[[int, int], None] | None,
                     cancel: threading.Event | None) -> ScanResult:
    """Run the scan of ``paths`` as dask tasks and merge the results in order."""
    from collider_viz.physics.scan import _source_length

    lengths = [_source_length(p) for p in paths]
    selection, text, bins = plan.portable()
    with dask_client(workers, scheduler) as client:
        n_workers = max(len(client.nthreads()), 1)
        tasks = plan_tasks(lengths, n_workers, step)
        futures = [client.submit(scan_range, paths[i], lo, hi, selection, text, bins, step,
                                 pure=False) for i, lo, hi in tasks]
        results, cancelled = _collect(client, futures, sum(lengths), progress, cancel)
    merged = ScanResult.merge(results, empty=empty_histogram(plan.binning))
    merged.cancelled = merged.cancelled or cancelled
    merged.axis_label = plan.axis_label
    return merged


def _collect(client: Any, futures: list[Any], total: int,
             progress: Callable[[int, int], None] | None,
             cancel: threading.Event | None) -> tuple[list[ScanResult], bool]:
    """Wait for the futures, reporting progress; stop early on ``cancel``.

    Returns the results in task order (on cancel: the completed unbroken
    prefix) and whether the scan was cancelled.
    """
    results: list[ScanResult | None] = [None] * len(futures)
    pending = dict(enumerate(futures))
    done = 0
    while pending:
        if cancel is not None and cancel.is_set():
            client.cancel(list(pending.values()))
            break
        finished = [i for i, fut in pending.items() if fut.done()]
        for i in finished:
            fut = pending.pop(i)
            try:
                res = results[i] = fut.result()
            except BaseException:
                client.cancel(list(pending.values()))
                raise
            done += res.n_events
            if progress is not None:
                progress(done, total)
        if not finished:
            time.sleep(0.05)
    stop = min(pending) if pending else len(results)
    return [r for r in results[:stop] if r is not None], bool(pending)
