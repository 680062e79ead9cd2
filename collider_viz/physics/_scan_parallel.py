"""Both cores for a local scan: one forked process per contiguous entry range.

The entries of all files, in order, are cut into ``processes`` contiguous
pieces; each forked worker scans its (file, start, stop) ranges with
:func:`~collider_viz.physics.scan.scan_source` (the same code as a one-core
scan), hands each batch's candidates to its row sink (``scan --json`` writes
them to its own part file as batches finish) and sends its
:class:`~collider_viz.physics._scan_result.ScanResult` back through a pipe.
Results are merged in range order, so candidates and histogram equal those
of a one-process scan. Only the command line uses this (a GUI process has
threads and must not fork); Dask stays the engine for ``--scheduler``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from collider_viz.errors import ColliderVizError
from collider_viz.physics._scan_result import ScanResult, empty_histogram

MIN_EVENTS_PER_PROCESS = 400_000
"""Below this many events per process the fork and merge cost more than they save."""

Progress = Callable[[int, int], None]
SinkFactory = Callable[[int], Any]


def usable_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def choose_processes(total_events: int, requested: int | None = None) -> int:
    """How many processes to use: ``requested``, else one per core while each gets enough work."""
    if requested is not None:  # never more processes than cores (more would only slow it down)
        return max(1, min(int(requested), usable_cores(), max(total_events, 1)))
    if "fork" not in mp.get_all_start_methods():
        return 1
    return max(1, min(usable_cores(), total_events // MIN_EVENTS_PER_PROCESS))


def split_ranges(lengths: Sequence[int], parts: int) -> list[list[tuple[int, int, int]]]:
    """Cut the concatenated entries of the files into ``parts`` contiguous pieces.

    Returns, per piece, its ``(file number, start, stop)`` ranges in order.
    """
    total = sum(lengths)
    bounds = [round(total * k / parts) for k in range(parts + 1)]
    pieces: list[list[tuple[int, int, int]]] = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        piece, offset = [], 0
        for i, n in enumerate(lengths):
            a, b = max(lo, offset), min(hi, offset + n)
            if a < b:
                piece.append((i, a - offset, b - offset))
            offset += n
        pieces.append(piece)
    return pieces


def _worker(conn: Any, k: int, paths: list[str], piece: list[tuple[int, int, int]], plan: Any,
            step: int, sink_factory: SinkFactory | None, done: Any,
            keep_rows: int | None = None) -> None:
    """Body of worker ``k``: scan its ranges, send ``("ok", results)`` or ``("error", text)``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    from collider_viz.io.registry import open_events
    from collider_viz.physics.scan import scan_source

    sink = sink_factory(k) if sink_factory is not None else None
    results, base = [], 0
    try:
        for i, lo, hi in piece:
            def report(n: int, _: int, b: int = base) -> None:
                done[k] = b + n

            with open_events(paths[i]) as src:
                res = scan_source(src, plan=plan, step=step, start=lo, stop=hi,
                                  progress=report, sink=sink, prefetch=False,
                                  keep_rows=keep_rows)
            results.append(res)
            base += res.n_events
        if sink is not None:
            sink.close()
        conn.send(("ok", results))
    except ColliderVizError as exc:
        conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("error", f"worker {k}: out of memory"))
    finally:
        conn.close()


def scan_forked(paths: list[str], lengths: list[int], plan: Any, *, processes: int, step: int,
                progress: Progress | None = None, cancel: threading.Event | None = None,
                sink_factory: SinkFactory | None = None,
                keep_rows: int | None = None) -> ScanResult:
    """Scan ``paths`` with ``processes`` forked workers and merge their results in order."""
    ctx = mp.get_context("fork")
    pieces = split_ranges(lengths, processes)
    done = ctx.Array("q", len(pieces), lock=False)
    workers, conns = [], []
    for k, piece in enumerate(pieces):
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(child, k, paths, piece, plan, step,
                                                 sink_factory, done, keep_rows), daemon=True)
        proc.start()
        child.close()
        workers.append(proc)
        conns.append(parent)
    try:
        replies = _wait(conns, done, sum(lengths), progress, cancel)
    finally:
        for proc in workers:
            if proc.is_alive():
                proc.terminate()
            proc.join()
    if replies is None:
        merged = ScanResult.merge([], empty=empty_histogram(plan.binning))
        merged.cancelled = True
        merged.files = list(paths)
        return merged
    results = [r for reply in replies for r in reply]
    merged = ScanResult.merge(results, empty=empty_histogram(plan.binning))
    merged.axis_label = plan.axis_label
    return merged


def _wait(conns: list[Any], done: Any, total: int, progress: Progress | None,
          cancel: threading.Event | None) -> list[list[ScanResult]] | None:
    """Receive every worker's results (in order); None when cancelled."""
    replies: dict[int, list[ScanResult]] = {}
    pending = dict(enumerate(conns))
    while pending:
        if cancel is not None and cancel.is_set():
            return None
        ready = mp.connection.wait(list(pending.values()), timeout=0.2)
        for k in [k for k, c in pending.items() if c in ready]:
            try:
                status, payload = pending.pop(k).recv()
            except EOFError:
                raise ColliderVizError(f"scan worker {k} stopped without a result "
                                       "(killed, or out of memory)") from None
            if status != "ok":
                raise ColliderVizError(payload)
            replies[k] = payload
        if progress is not None:
            progress(int(sum(done)), total)
        if not ready:
            time.sleep(0.01)
    return [replies[k] for k in sorted(replies)]
