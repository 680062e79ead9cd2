"""Batches of a scan: entry ranges cut at basket boundaries, read ahead in a thread or in turn."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from collider_viz.io.base import EventSource
from collider_viz.physics.event import EventBatch

__all__ = ["basket_offsets", "batch_ranges", "Prefetcher", "Sequential"]


def basket_offsets(source: EventSource) -> np.ndarray | None:
    """Entry numbers where every branch of a ROOT tree starts a new basket (None if unknown)."""
    tree = getattr(getattr(getattr(source, "reader", None), "access", None), "obj", None)
    offsets = getattr(tree, "common_entry_offsets", None)
    if offsets is None:
        return None
    try:
        return np.asarray(offsets(), dtype=np.int64)
    except Exception:  # noqa: BLE001 - only a hint; uniform batches still work
        return None


def batch_ranges(start: int, stop: int, step: int,
                 offsets: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Batches of about ``step`` entries of ``[start, stop)``, cut at basket boundaries.

    A batch that ends inside a basket makes the next batch inflate that basket
    again; with ``offsets`` (the tree's common basket boundaries) batches end
    on a boundary where one lies within ``[step/2, 2*step]`` of the batch start.
    """
    ranges, lo = [], start
    inside = None if offsets is None else \
        np.append(offsets[(offsets > start) & (offsets < stop)], stop)
    while lo < stop:
        hi = min(lo + step, stop)
        if inside is not None and hi < stop:
            near = inside[(inside >= lo + step // 2) & (inside <= lo + 2 * step)]
            if len(near):
                hi = int(near[np.argmin(np.abs(near - (lo + step)))])
        ranges.append((lo, hi))
        lo = hi
    return ranges


class Prefetcher:
    """Iterate over batches, reading the next one in a thread while this one is used.

    Reading (decompression) and selecting (numpy) both release the GIL, so they
    overlap; at most two batches are in memory. Reads stay sequential.
    """

    def __init__(self, source: EventSource, ranges: list[tuple[int, int]],
                 collections: list[str], fields: dict[str, tuple[str, ...]] | None = None) -> None:
        self.source, self.ranges, self.collections = source, ranges, collections
        self.fields = fields
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="collider-viz-read")

    def _submit(self, i: int) -> Future[EventBatch] | None:
        if i >= len(self.ranges):
            return None
        lo, hi = self.ranges[i]
        return self.pool.submit(self.source.read, lo, hi, self.collections, self.fields)

    def __enter__(self) -> Iterator[EventBatch]:
        return self._iterate()

    def _iterate(self) -> Iterator[EventBatch]:
        future = self._submit(0)
        for i in range(len(self.ranges)):
            batch = future.result()  # type: ignore[union-attr]
            future = self._submit(i + 1)
            yield batch

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Sequential(Prefetcher):
    """Iterate over batches, reading each when it is needed (no thread)."""

    def __init__(self, source: EventSource, ranges: list[tuple[int, int]],
                 collections: list[str], fields: dict[str, tuple[str, ...]] | None = None) -> None:
        self.source, self.ranges, self.collections = source, ranges, collections
        self.fields = fields

    def _iterate(self) -> Iterator[EventBatch]:
        for lo, hi in self.ranges:
            yield self.source.read(lo, hi, self.collections, self.fields)

    def __exit__(self, *exc: object) -> None:
        return None
