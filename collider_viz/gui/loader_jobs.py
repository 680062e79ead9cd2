"""The work :class:`~collider_viz.gui.loader.Loader` runs off the GUI thread.

Everything here runs in a worker thread and talks to the GUI thread only
through the Qt signals of :class:`Signals` (queued across threads). An
exception in a job becomes a one-line message; one that is not a
:class:`~collider_viz.errors.ColliderVizError` (a bug rather than a bad file)
is also written, with its traceback, to the log.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from PyQt6.QtCore import QObject, QRunnable, pyqtSignal

from collider_viz.errors import ColliderVizError
from collider_viz.gui.errors import describe
from collider_viz.gui.logging_setup import log_exception
from collider_viz.io.base import EventSource
from collider_viz.io.remote import Cancelled
from collider_viz.physics.event import Event

Opener = Callable[[str, "str | None"], EventSource]
#: ``(url, timeout, progress, cancel) -> EventSource``, like :func:`collider_viz.io.remote.open_url`.
UrlOpener = Callable[..., EventSource]


@dataclass
class Opened:
    """Result of opening a file: the source, its identifiers and its first event."""

    source: EventSource
    ids: dict[str, np.ndarray]
    event: Event
    detector: Any
    path: str = ""
    mapping: str | None = None


def default_opener(path: str, mapping: str | None = None) -> EventSource:
    """Open ``path`` with :func:`collider_viz.open_events`."""
    from collider_viz.io.registry import open_events

    return open_events(path, mapping)


def default_url_opener(url: str, timeout: float | None = None, progress: Any = None,
                       cancel: threading.Event | None = None) -> EventSource:
    """Open ``url`` with :func:`collider_viz.io.remote.open_url`."""
    from collider_viz.io.registry import readers

    readers()  # registers every reader open_url may detect
    from collider_viz.io.remote import open_url

    return open_url(url, timeout, progress, cancel)


def is_url(path: str) -> bool:
    """True for ``scheme://...`` other than ``file://`` (what :func:`open_events` fetches)."""
    return "://" in path and not path.lower().startswith("file://")


@lru_cache(maxsize=8)
def detector_for(name: str) -> Any:
    """Return the :class:`Detector` called ``name``, or None when it cannot be loaded."""
    try:
        from collider_viz.physics.detector import load_detector

        return load_detector(name)
    except Exception as exc:  # the event is still worth showing without a detector
        print(f"collider-viz: no detector geometry for {name!r}: {describe(exc)}", file=sys.stderr)
        return None


class Signals(QObject):
    """Results of jobs, tagged with the request token they answer."""

    done = pyqtSignal(int, object)
    failed = pyqtSignal(int, str)
    cancelled = pyqtSignal(int)
    progress = pyqtSignal(int, int, int)


class Task(QRunnable):
    """Run ``work()`` in a pool thread and emit its result or its error message."""

    def __init__(self, token: int, work: Callable[[], Any], signals: Signals) -> None:
        super().__init__()
        self.token, self.work, self.signals = token, work, signals

    def run(self) -> None:
        try:
            result = self.work()
        except Cancelled:
            self._emit(self.signals.cancelled, self.token)
        except Exception as exc:  # reported to the GUI thread, shown in a dialog
            if not isinstance(exc, ColliderVizError):
                log_exception("exception in a loader job", exc)
            self._emit(self.signals.failed, self.token, describe(exc))
        else:
            self._emit(self.signals.done, self.token, result)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window closed while a download was still running
            pass


def start_thread(task: Task, name: str) -> threading.Thread:
    """Run ``task`` in a daemon thread (a stalled server never holds up quitting)."""
    thread = threading.Thread(target=task.run, name=name, daemon=True)
    thread.start()
    return thread


def open_and_read(make_source: Callable[[], EventSource], path: str, mapping: str | None,
                  entry: int) -> Opened:
    """Open with ``make_source()``, read the identifiers and event ``entry``."""
    source = make_source()
    try:
        n = len(source)
        if n == 0:
            raise ColliderVizError(f"{path}: the file holds no events")
        ids = source.event_ids()
        event = source[min(max(int(entry), 0), n - 1)]
        return Opened(source, ids, event, detector_for(source.info.detector), path, mapping)
    except BaseException:
        source.close()
        raise


def counts_of(source: EventSource) -> dict[str, np.ndarray]:
    """Per-event object counts of an open ``source``."""
    return {k: np.asarray(v) for k, v in source.reader.counts().items()}


def count(opener: Opener, path: str, mapping: str | None) -> dict[str, np.ndarray]:
    """Open a second copy of ``path`` and count its objects per event."""
    source = opener(path, mapping)
    try:
        return counts_of(source)
    finally:
        source.close()
