"""Reading files and events off the GUI thread.

:class:`Loader` runs opening a file, reading one event and counting objects
in worker threads and reports back with Qt signals, which arrive in the GUI
thread. Opening and reading share one serial worker, so a reader is never
used from two threads at once; counting opens its own copy of the source.
Requests made while a read is running are coalesced: only the newest entry
is read next, so holding an arrow key never queues hundreds of reads.

Opening a URL (:meth:`Loader.open_url`) runs in its own daemon thread with a
timeout, progress and a cancel flag: a stalled server never blocks stepping
through the file already open, nor quitting. The newest open request wins;
older ones are abandoned (and their downloads told to stop).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from PyQt6.QtCore import QObject, QThreadPool, pyqtSignal

from collider_viz.gui.loader_jobs import (
    Opened,
    Opener,
    Signals,
    Task,
    UrlOpener,
    count,
    counts_of,
    default_opener,
    default_url_opener,
    is_url,
    open_and_read,
    start_thread,
)
from collider_viz.io.base import EventSource
from collider_viz.physics.event import Event

__all__ = ["Loader", "Opened", "Opener", "UrlOpener"]


class Loader(QObject):
    """Open files and read events in worker threads.

    Parameters
    ----------
    opener : callable, optional
        ``(path, mapping) -> EventSource``; :func:`default_opener` when omitted.
    parent : QObject, optional
        Qt parent.
    url_opener : callable, optional
        ``(url, timeout, progress, cancel) -> EventSource``;
        :func:`collider_viz.io.remote.open_url` when omitted.

    Signals
    -------
    opened(Opened)
        A file was opened and its first event read.
    event_ready(Event)
        The newest requested event was read.
    counts_ready(dict)
        Per-event object counts of the current file.
    failed(str, str)
        ``(what, message)``; ``what`` is ``"open"``, ``"open_url"``, ``"read"`` or ``"counts"``.
    busy_changed(bool)
        Whether a local open or a read is in progress.
    progress(int, int)
        ``(bytes_done, bytes_total)`` of the URL being downloaded (total -1 when unknown).
    cancelled()
        The URL open was cancelled; nothing changed.
    """

    opened = pyqtSignal(object)
    event_ready = pyqtSignal(object)
    counts_ready = pyqtSignal(object)
    failed = pyqtSignal(str, str)
    busy_changed = pyqtSignal(bool)
    progress = pyqtSignal(int, int)
    cancelled = pyqtSignal()

    def __init__(self, opener: Opener | None = None, parent: QObject | None = None,
                 url_opener: UrlOpener | None = None) -> None:
        super().__init__(parent)
        self.opener = opener or default_opener
        self.url_opener = url_opener or default_url_opener
        self.source: EventSource | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._count_pool = QThreadPool(self)
        self._count_pool.setMaxThreadCount(1)
        self._generation = 0  # the installed source; answers of reads carry it
        self._request = 0  # the newest open request; answers of opens carry it
        self._active = 0
        self._reading: int | None = None
        self._opening: int | None = None  # token of the local open in flight
        self._pending: int | None = None
        self._cancel: threading.Event | None = None
        self._signals: dict[str, Signals] = {}
        for what, on_done in (("open", self._on_opened), ("open_url", self._install),
                              ("read", self._on_read), ("counts", self._on_counts)):
            self._connect(what, on_done)
        self._signals["open_url"].progress.connect(self._on_progress)
        self._signals["open_url"].cancelled.connect(self._on_cancelled)

    def _connect(self, what: str, on_done: Callable[[int, Any], None]) -> None:
        signals = Signals(self)
        signals.done.connect(lambda token, result: on_done(token, result))
        signals.failed.connect(lambda token, msg: self._on_failed(what, token, msg))
        self._signals[what] = signals

    @property
    def busy(self) -> bool:
        """True while a local file is being opened or an event read."""
        return self._active > 0

    @property
    def opening_url(self) -> bool:
        """True while a URL is being opened (and can be cancelled)."""
        return self._cancel is not None

    def _submit(self, what: str, token: int, work: Callable[[], Any]) -> None:
        self._active += 1
        if self._active == 1:
            self.busy_changed.emit(True)
        self._pool.start(Task(token, work, self._signals[what]))

    def _finished(self) -> None:
        self._active = max(0, self._active - 1)
        if self._active == 0:
            self.busy_changed.emit(False)

    # -- requests ----------------------------------------------------------
    def open(self, path: str, mapping: str | None = None, entry: int = 0) -> None:
        """Open ``path`` and read ``entry``; the current source stays until it succeeds."""
        self._abandon_url()
        self._request += 1
        self._pending = None
        self._opening = self._request
        opener = self.opener
        self._submit("open", self._request, lambda: open_and_read(
            lambda: opener(path, mapping), path, mapping, entry))

    def open_url(self, url: str, timeout: float | None = None, entry: int = 0) -> None:
        """Open ``url`` in its own thread; the current file stays usable meanwhile.

        Progress arrives as ``progress``; :meth:`cancel` stops it (``cancelled``).
        """
        self._abandon_url()
        self._request += 1
        token, cancel, signals = self._request, threading.Event(), self._signals["open_url"]
        self._cancel = cancel
        url_opener = self.url_opener

        def progress(done: int, total: int | None) -> None:
            signals.progress.emit(token, int(done), -1 if total is None else int(total))

        def work() -> Opened:
            return open_and_read(lambda: url_opener(url, timeout, progress, cancel),
                                 url, None, entry)

        start_thread(Task(token, work, signals), f"collider_viz open {url}")

    def cancel(self) -> None:
        """Stop the URL being opened: the display stays as it was (``cancelled``)."""
        if self._cancel is None:
            return
        self._abandon_url()
        self._request += 1  # a late answer of the abandoned request is ignored
        self.cancelled.emit()

    def _abandon_url(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None

    def read(self, entry: int) -> None:
        """Read ``entry`` of the current source (coalesced with earlier requests)."""
        if self.source is None or self._opening is not None:
            return
        if self._reading is not None:
            self._pending = entry
            return
        self._reading = entry
        source = self.source
        self._submit("read", self._generation, lambda: source[entry])

    def count(self, path: str, mapping: str | None = None) -> None:
        """Count objects per event of ``path`` in the background (see ``counts_ready``).

        A URL is counted with the open source in the serial worker (no second download).
        """
        token, signals = self._generation, self._signals["counts"]
        if is_url(path) and mapping is None:
            if self.source is not None:
                source = self.source
                self._pool.start(Task(token, lambda: counts_of(source), signals))
            return
        opener = self.opener
        self._count_pool.start(Task(token, lambda: count(opener, path, mapping), signals))

    def wait(self, msecs: int = 5000) -> bool:
        """Block until queued work is done (for scripts and tests; not URL opens)."""
        return self._pool.waitForDone(msecs) and self._count_pool.waitForDone(msecs)

    def close(self) -> None:
        """Stop any URL open and close the current source after any queued work."""
        self._abandon_url()
        self._request += 1
        source, self.source = self.source, None
        self._generation += 1
        if source is not None:
            self._pool.start(Task(-1, source.close, Signals()))

    # -- results -----------------------------------------------------------
    def _on_opened(self, token: int, result: Opened) -> None:
        self._finished()
        if self._opening == token:
            self._opening = None
        self._install(token, result)

    def _install(self, token: int, result: Opened) -> None:
        if token != self._request:
            result.source.close()
            return
        self._cancel = None
        self._generation += 1
        old, self.source = self.source, result.source
        self._reading = self._pending = None
        if old is not None:
            self._pool.start(Task(-1, old.close, Signals()))
        self.opened.emit(result)

    def _on_read(self, token: int, event: Event) -> None:
        self._finished()
        if token != self._generation:
            return
        self._reading = None
        pending, self._pending = self._pending, None
        if pending is not None and pending != event.meta.entry:
            self.read(pending)
            return
        self.event_ready.emit(event)

    def _on_counts(self, token: int, counts: dict[str, np.ndarray]) -> None:
        if token == self._generation:
            self.counts_ready.emit(counts)

    def _on_progress(self, token: int, done: int, total: int) -> None:
        if token == self._request and self._cancel is not None:
            self.progress.emit(done, total)

    def _on_cancelled(self, token: int) -> None:
        if token == self._request:  # cancelled from elsewhere than :meth:`cancel`
            self._cancel = None
            self._request += 1
            self.cancelled.emit()

    def _on_failed(self, what: str, token: int, message: str) -> None:
        if what in ("open", "read"):
            self._finished()
        if what == "open" and self._opening == token:
            self._opening = None
        current = self._request if what.startswith("open") else self._generation
        if token != current:
            return
        if what == "open_url":
            self._cancel = None
        if what == "read":
            self._reading = self._pending = None
        self.failed.emit(what, message)
