"""Reading files and events off the GUI thread.

:class:`Loader` runs opening a file, reading one event and counting objects
in worker threads and reports back with Qt signals, which arrive in the GUI
thread. Opening and reading share one serial worker, so a reader is never
used from two threads at once; counting opens its own copy of the source.
Requests made while a read is running are coalesced: only the newest entry
is read next, so holding an arrow key never queues hundreds of reads.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from PyQt6.QtCore import QObject, QRunnable, QThreadPool, pyqtSignal

from collider_viz.errors import ColliderVizError
from collider_viz.gui.errors import describe
from collider_viz.io.base import EventSource
from collider_viz.physics.event import Event

Opener = Callable[[str, "str | None"], EventSource]


@dataclass
class Opened:
    """Result of opening a file: the source, its identifiers and its first event."""

    source: EventSource
    ids: dict[str, np.ndarray]
    event: Event
    detector: Any


def default_opener(path: str, mapping: str | None = None) -> EventSource:
    """Open ``path`` with :func:`collider_viz.open_events`."""
    from collider_viz.io.registry import open_events

    return open_events(path, mapping)


@lru_cache(maxsize=8)
def detector_for(name: str) -> Any:
    """Return the :class:`Detector` called ``name``, or None when it cannot be loaded."""
    try:
        from collider_viz.physics.detector import load_detector

        return load_detector(name)
    except Exception as exc:  # the event is still worth showing without a detector
        print(f"collider-viz: no detector geometry for {name!r}: {describe(exc)}", file=sys.stderr)
        return None


class _Signals(QObject):
    done = pyqtSignal(int, object)
    failed = pyqtSignal(int, str)


class _Task(QRunnable):
    """Run ``work()`` in a pool thread and emit its result or its error message."""

    def __init__(self, token: int, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.token, self.work, self.signals = token, work, signals

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # reported to the GUI thread, shown in a dialog
            self.signals.failed.emit(self.token, describe(exc))
        else:
            self.signals.done.emit(self.token, result)


def _open_and_read(opener: Opener, path: str, mapping: str | None, entry: int) -> Opened:
    source = opener(path, mapping)
    try:
        n = len(source)
        if n == 0:
            raise ColliderVizError(f"{path}: the file holds no events")
        ids = source.event_ids()
        event = source[min(max(int(entry), 0), n - 1)]
        return Opened(source, ids, event, detector_for(source.info.detector))
    except BaseException:
        source.close()
        raise


def _count(opener: Opener, path: str, mapping: str | None) -> dict[str, np.ndarray]:
    source = opener(path, mapping)
    try:
        return {k: np.asarray(v) for k, v in source.reader.counts().items()}
    finally:
        source.close()


class Loader(QObject):
    """Open files and read events in worker threads.

    Parameters
    ----------
    opener : callable, optional
        ``(path, mapping) -> EventSource``; :func:`default_opener` when omitted.
    parent : QObject, optional
        Qt parent.

    Signals
    -------
    opened(Opened)
        A file was opened and its first event read.
    event_ready(Event)
        The newest requested event was read.
    counts_ready(dict)
        Per-event object counts of the current file.
    failed(str, str)
        ``(what, message)`` where ``what`` is ``"open"``, ``"read"`` or ``"counts"``.
    busy_changed(bool)
        Whether any work is in progress.
    """

    opened = pyqtSignal(object)
    event_ready = pyqtSignal(object)
    counts_ready = pyqtSignal(object)
    failed = pyqtSignal(str, str)
    busy_changed = pyqtSignal(bool)

    def __init__(self, opener: Opener | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.opener = opener or default_opener
        self.source: EventSource | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._count_pool = QThreadPool(self)
        self._count_pool.setMaxThreadCount(1)
        self._generation = 0
        self._active = 0
        self._reading: int | None = None
        self._opening = False
        self._pending: int | None = None
        self._signals: dict[str, _Signals] = {}
        self._connect("open", self._on_opened)
        self._connect("read", self._on_read)
        self._connect("counts", self._on_counts)

    def _connect(self, what: str, on_done: Callable[[int, Any], None]) -> None:
        signals = _Signals(self)
        signals.done.connect(on_done)
        signals.failed.connect(lambda token, msg: self._on_failed(what, token, msg))
        self._signals[what] = signals

    @property
    def busy(self) -> bool:
        """True while a file is being opened or an event read."""
        return self._active > 0

    def _submit(self, what: str, token: int, work: Callable[[], Any]) -> None:
        self._active += 1
        if self._active == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Task(token, work, self._signals[what]))

    def _finished(self) -> None:
        self._active = max(0, self._active - 1)
        if self._active == 0:
            self.busy_changed.emit(False)

    # -- requests ----------------------------------------------------------
    def open(self, path: str, mapping: str | None = None, entry: int = 0) -> None:
        """Open ``path`` and read ``entry``; the current source stays until it succeeds."""
        self._generation += 1
        self._pending = None
        self._opening = True
        opener = self.opener
        self._submit("open", self._generation,
                     lambda: _open_and_read(opener, path, mapping, entry))

    def read(self, entry: int) -> None:
        """Read ``entry`` of the current source (coalesced with earlier requests)."""
        if self.source is None or self._opening:
            return
        if self._reading is not None:
            self._pending = entry
            return
        self._reading = entry
        source = self.source
        self._submit("read", self._generation, lambda: source[entry])

    def count(self, path: str, mapping: str | None = None) -> None:
        """Count objects per event of ``path`` in the background (see ``counts_ready``)."""
        opener, token = self.opener, self._generation
        self._count_pool.start(_Task(token, lambda: _count(opener, path, mapping),
                                     self._signals["counts"]))

    def wait(self, msecs: int = 5000) -> bool:
        """Block until queued work is done (for scripts and tests)."""
        return self._pool.waitForDone(msecs) and self._count_pool.waitForDone(msecs)

    def close(self) -> None:
        """Close the current source after any queued work."""
        source, self.source = self.source, None
        self._generation += 1
        if source is not None:
            self._pool.start(_Task(-1, source.close, _Signals()))

    # -- results -----------------------------------------------------------
    def _on_opened(self, token: int, result: Opened) -> None:
        self._finished()
        if token != self._generation:
            result.source.close()
            return
        self._opening = False
        old, self.source = self.source, result.source
        self._reading = self._pending = None
        if old is not None:
            self._pool.start(_Task(-1, old.close, _Signals()))
        self.opened.emit(result)

    def _on_read(self, token: int, event: Event) -> None:
        self._finished()
        self._reading = None
        if token != self._generation:
            return
        pending, self._pending = self._pending, None
        if pending is not None and pending != event.meta.entry:
            self.read(pending)
            return
        self.event_ready.emit(event)

    def _on_counts(self, token: int, counts: dict[str, np.ndarray]) -> None:
        if token == self._generation:
            self.counts_ready.emit(counts)

    def _on_failed(self, what: str, token: int, message: str) -> None:
        if what != "counts":
            self._finished()
        if what == "open" and token == self._generation:
            self._opening = False
        if what == "read":
            self._reading = None
            self._pending = None
        if token == self._generation:
            self.failed.emit(what, message)
