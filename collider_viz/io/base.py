"""Reader protocol and the event source every format is wrapped in.

A *reader* knows one file format. It reports whether a file is its format
(:meth:`Reader.sniff`) and reads consecutive entries into an
:class:`~collider_viz.physics.event.EventBatch`. Opening a reader must not
read event data; :meth:`Reader.read` reads only the collections asked for.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

import numpy as np

from collider_viz.physics.event import Event, EventBatch, SourceInfo


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

    info: SourceInfo

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
        """Read entries ``[start, stop)``; only ``collections`` when given."""

    def event_ids(self) -> dict[str, np.ndarray]:
        """Run, lumi and event numbers of all entries (-1 where unknown)."""
        n = len(self)
        minus = np.full(n, -1, dtype=np.int64)
        return {"run": minus, "lumi": minus.copy(), "event": minus.copy()}

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
        return self.reader.read(i, i + 1).event(0, self.info)

    def __iter__(self) -> Iterator[Event]:
        for batch in self.iter_batches():
            for j in range(len(batch)):
                yield batch.event(j, self.info)

    def iter_batches(
        self, step: int = 1000, collections: Sequence[str] | None = None,
        start: int = 0, stop: int | None = None,
    ) -> Iterator[EventBatch]:
        """Yield consecutive :class:`EventBatch` objects of at most ``step`` events."""
        stop = len(self) if stop is None else min(stop, len(self))
        for lo in range(start, stop, step):
            yield self.reader.read(lo, min(lo + step, stop), collections)

    def read(self, start: int, stop: int, collections: Sequence[str] | None = None) -> EventBatch:
        """Read entries ``[start, stop)`` as one batch."""
        return self.reader.read(start, min(stop, len(self)), collections)

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
