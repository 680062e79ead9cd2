"""Reader protocol and the event source every format is wrapped in.

A *reader* knows one file format. It reports whether a file is its format
(:meth:`Reader.sniff`) and reads consecutive entries into an
:class:`~collider_viz.physics.event.EventBatch`. Opening a reader must not
read event data; :meth:`Reader.read` reads only the collections asked for.
"""

from __future__ import annotations

import functools
import http.client
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from collider_viz.errors import ColliderVizError, FormatError
from collider_viz.physics.event import Event, EventBatch, SourceInfo

#: Reader methods whose low-level failures (uproot, awkward, zipfile ...) become FormatError.
GUARDED = ("__len__", "read", "counts", "event_ids")
_MESSAGE_CHARS = 160


def first_line(exc: BaseException) -> str:
    """``"<type>: <first line of the message>"`` (shortened), for one-line errors."""
    lines = [line.strip() for line in str(exc).strip().splitlines()]
    text = lines[0] if lines else ""
    if text.endswith((",", ":")) and len(lines) > 1:  # uproot continues on the next line
        text = f"{text} {lines[1]}"
    if len(text) > _MESSAGE_CHARS:
        text = text[:_MESSAGE_CHARS - 3] + "..."
    name = type(exc).__name__
    if name.islower():  # zlib.error, struct.error: say which
        name = f"{type(exc).__module__}.{name}"
    return f"{name}: {text}" if text else name


def text_head(path: str, handle: Any, size: int) -> str | None:
    """The first ``size`` bytes of a local non-ROOT file as text, for a reader's ``sniff``.

    Returns None when ``handle`` is an open ROOT file or ``path`` is not a
    regular file; undecodable bytes become U+FFFD.
    """
    if handle is not None or not os.path.isfile(path):
        return None
    with open(path, "rb") as fh:
        return fh.read(size).decode("utf-8", errors="replace")


def is_network_error(exc: BaseException) -> bool:
    """True for a timeout, a refused or reset connection, or a broken HTTP answer."""
    return isinstance(exc, (TimeoutError, ConnectionError, http.client.HTTPException))


def read_error(path: str, what: str, exc: BaseException) -> FormatError:
    """The :class:`FormatError` for a low-level failure while reading ``what``."""
    hint = "the network connection failed or timed out" if is_network_error(exc) else \
        "the file may be truncated or corrupt"
    return FormatError(path, f"could not read {what} ({first_line(exc)}); {hint}")


def entry_span(start: int, stop: int) -> str:
    """``"entry 3"`` or ``"entries 0–9"`` for the entries ``[start, stop)``."""
    start, stop = int(start), int(stop)
    return f"entry {start}" if stop - start == 1 else f"entries {start}–{stop - 1}"


def _reader_path(reader: Any) -> str:
    path = getattr(reader, "path", None)
    if path is None:
        info = getattr(reader, "__dict__", {}).get("info")
        path = getattr(info, "path", "<file>")
    return str(path)


def _span(reader: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """Which entries a failed call was reading, e.g. ``entries 0–9``."""
    if name == "__len__":
        return "the number of entries"
    if name == "read":
        bounds = [*args[:2], *(kwargs[k] for k in ("start", "stop") if k in kwargs)]
        if len(bounds) >= 2:
            return entry_span(bounds[0], bounds[1])
    try:
        n = len(reader)
    except Exception:  # the count itself is unreadable
        return "the entries"
    return f"entries 0–{n - 1}" if n > 1 else "the entries"


def guard(method: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a reader method so that any non-collider_viz exception becomes one-line
    :class:`FormatError` naming the file and the entries."""
    if getattr(method, "_guarded", False):
        return method

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ColliderVizError:
            raise
        except Exception as exc:  # uproot, awkward, numpy, zlib, zipfile ... on damaged data
            what = _span(self, method.__name__, args, kwargs)
            raise read_error(_reader_path(self), what, exc) from exc

    wrapper._guarded = True  # type: ignore[attr-defined]
    return wrapper


class Reader(ABC):
    """One file format.

    Subclasses set :attr:`format_name` and :attr:`description`, implement
    :meth:`sniff`, ``__init__(path, handle)``, :meth:`__len__`,
    :meth:`read`, :meth:`event_ids` and :attr:`info`.
    """

    format_name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: Higher priority readers are asked first (specific before generic).
    priority: ClassVar[int] = 0
    #: True when :meth:`read` accepts ``fields=`` (see :meth:`EventSource.read`).
    reads_fields: ClassVar[bool] = False

    info: SourceInfo

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Guard the reading methods each reader defines (see :func:`guard`)."""
        super().__init_subclass__(**kwargs)
        for name in GUARDED:
            if name in cls.__dict__:
                setattr(cls, name, guard(cls.__dict__[name]))

    @classmethod
    @abstractmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """Return True when ``handle`` (an open uproot file, or None for
        non-ROOT files) is this reader's format. Must not read event data."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of events."""

    @property
    def available(self) -> tuple[str, ...]:
        """Collections this source can provide."""
        return ()

    @abstractmethod
    def read(
        self, start: int, stop: int, collections: Sequence[str] | None = None
    ) -> EventBatch:
        """Read entries ``[start, stop)``; only ``collections`` when given.

        Readers that set :attr:`reads_fields` also accept ``fields=``, a mapping
        of collection name to the field names needed (see :meth:`EventSource.read`).
        """

    @guard
    def event_ids(self) -> dict[str, np.ndarray]:
        """Run, lumi and event numbers of all entries (-1 where unknown)."""
        n = len(self)
        minus = np.full(n, -1, dtype=np.int64)
        return {"run": minus, "lumi": minus.copy(), "event": minus.copy()}

    @guard
    def counts(self) -> dict[str, np.ndarray]:
        """Per-event object counts for each available collection."""
        batch = self.read(0, len(self))
        import awkward as ak

        return {k: ak.to_numpy(ak.num(v, axis=1)) for k, v in batch.collections.items()}

    def close(self) -> None:  # noqa: B027 - optional hook, most readers hold no handle
        """Release file handles."""


class EventSource:
    """A sequence of events from one file: ``len``, indexing and iteration.

    Parameters
    ----------
    reader : Reader
        The format-specific reader.
    """

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self._ids: dict[str, np.ndarray] | None = None

    @property
    def info(self) -> SourceInfo:
        """File-level metadata."""
        return self.reader.info

    @property
    def format(self) -> str:
        """Detected format name."""
        return self.reader.format_name

    @property
    def path(self) -> str:
        """The file or URL."""
        return self.info.path

    @property
    def available(self) -> tuple[str, ...]:
        """Collections this source can provide."""
        return self.reader.available

    def __len__(self) -> int:
        return len(self.reader)

    def __getitem__(self, index: int) -> Event:
        n = len(self)
        if not isinstance(index, (int, np.integer)):
            raise TypeError(f"event index must be an integer, not {type(index).__name__}")
        i = int(index) + n if index < 0 else int(index)
        if not 0 <= i < n:
            raise IndexError(f"{self.path}: event {index} out of range (0..{n - 1})")
        return self._event(self.reader.read(i, i + 1), 0, i)

    def __iter__(self) -> Iterator[Event]:
        for batch in self.iter_batches():
            for j in range(len(batch)):
                yield self._event(batch, j, batch.start + j)

    def _event(self, batch: EventBatch, j: int, entry: int) -> Event:
        """Event ``j`` of ``batch``; a batch the reader could not fill is a FormatError."""
        try:
            return batch.event(j, self.info)
        except ColliderVizError:
            raise
        except Exception as exc:  # e.g. fewer entries than the file claims
            raise read_error(self.path, f"entry {entry}", exc) from exc

    def iter_batches(
        self, step: int = 1000, collections: Sequence[str] | None = None,
        start: int = 0, stop: int | None = None,
        fields: Mapping[str, Iterable[str]] | None = None,
    ) -> Iterator[EventBatch]:
        """Yield consecutive :class:`EventBatch` objects of at most ``step`` events
        (``fields`` as in :meth:`read`)."""
        stop = len(self) if stop is None else min(stop, len(self))
        for lo in range(start, stop, step):
            yield self._read(lo, min(lo + step, stop), collections, fields)

    def read(self, start: int, stop: int, collections: Sequence[str] | None = None,
             fields: Mapping[str, Iterable[str]] | None = None) -> EventBatch:
        """Read entries ``[start, stop)`` as one batch.

        Parameters
        ----------
        start, stop : int
            The entries.
        collections : sequence of str, optional
            Only these collections (default: all available).
        fields : mapping of str to iterable of str, optional
            A hint that only these fields of a collection are needed, e.g.
            ``{"photons": ["cutBased"]}``: the kinematic fields (``pt, eta, phi,
            mass, charge`` ...) are always read, collections not named are read
            whole, and names the file lacks are ignored. Readers that cannot
            select fields (``reader.reads_fields`` False) read everything.
        """
        return self._read(start, min(stop, len(self)), collections, fields)

    def _read(self, start: int, stop: int, collections: Sequence[str] | None,
              fields: Mapping[str, Iterable[str]] | None) -> EventBatch:
        if fields is not None and self.reader.reads_fields:
            return self.reader.read(start, stop, collections, fields=fields)  # type: ignore[call-arg]
        return self.reader.read(start, stop, collections)

    def event_ids(self) -> dict[str, np.ndarray]:
        """Run, lumi and event numbers of all entries (cached)."""
        if self._ids is None:
            self._ids = self.reader.event_ids()
        return self._ids

    def find(self, run: int, event: int) -> int:
        """Return the entry of ``run:event``.

        Raises
        ------
        KeyError
            When no entry has that run and event number.
        """
        ids = self.event_ids()
        hits = np.flatnonzero((ids["run"] == run) & (ids["event"] == event))
        if len(hits) == 0:
            raise KeyError(f"{self.path}: no event {run}:{event}")
        return int(hits[0])

    def close(self) -> None:
        """Release file handles."""
        self.reader.close()

    def __enter__(self) -> EventSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<EventSource {self.format} {self.path!r} n={len(self)}>"
