"""Scan results: columnar candidate lists plus the mass histogram, mergeable in order."""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import boost_histogram as bh
import numpy as np

from collider_viz.errors import SelectionError
from collider_viz.limits import MAX_BINS, MAX_HIST_RANGE, check
from collider_viz.physics.event import EventBatch

_IDS = ("run", "lumi", "event")


@dataclass(frozen=True)
class Binning:
    """Regular histogram binning: ``n`` bins from ``lo`` to ``hi`` (GeV)."""

    n: int
    lo: float
    hi: float

    @classmethod
    def parse(cls, value: Any) -> Binning:
        """Accept a Binning, an ``(n, lo, hi)`` tuple or the text ``"N,LO,HI"``."""
        if isinstance(value, Binning):
            return value
        parts = value.split(",") if isinstance(value, str) else list(value)
        try:
            n, lo, hi = int(str(parts[0]).strip()), float(parts[1]), float(parts[2])
            ok = len(parts) == 3 and n >= 1 and math.isfinite(lo) and math.isfinite(hi) and lo < hi
        except (ValueError, IndexError, TypeError):
            ok = False
        if not ok:
            raise SelectionError(f"bins {value!r}: expected N,LO,HI with N >= 1 and LO < HI, "
                                 "e.g. 80,100,180")
        check("bins", n, MAX_BINS, "bins")
        check("bins range", max(abs(lo), abs(hi)), MAX_HIST_RANGE, "GeV")
        return cls(n, lo, hi)

    def as_tuple(self) -> tuple[int, float, float]:
        return (self.n, self.lo, self.hi)


def empty_histogram(binning: Binning) -> bh.Histogram:
    """An integer-count histogram with ``binning`` (with under- and overflow)."""
    return bh.Histogram(bh.axis.Regular(binning.n, binning.lo, binning.hi),
                        storage=bh.storage.Int64())


@dataclass
class ScanResult:
    """Candidates of a scan, in file and entry order, and their mass histogram.

    Attributes
    ----------
    files : list of str
        The scanned files; ``file_index`` points into it.
    n_events : int
        Events scanned.
    file_index, entry, run, lumi, event : np.ndarray
        One entry per candidate (ids are -1 where unknown).
    mass : np.ndarray
        Candidate masses in GeV (NaN for a filter without a preset).
    objects : dict of str to np.ndarray
        Collection → ``(n_candidates, k)`` object indices (-1 padded) to highlight.
    histogram : boost_histogram.Histogram
        Candidate masses (flow bins hold those outside the range).
    axis_label : str
        x-axis label, e.g. ``$m_{\\gamma\\gamma}$ [GeV]``.
    is_simulation : bool or None
        True when every scanned file is simulation.
    sqrt_s : float or None
        Centre-of-mass energy (GeV) of the first file, where known.
    detector : str or None
        Detector of the first file (``"CMS"``, ``"ALICE"``, ``"STAR"``), for plot labels.
    cancelled : bool
        True when the scan was stopped early.
    n_dropped : int
        Candidates counted (in ``len`` and the histogram) whose rows were not
        kept: a scan with ``keep_rows`` keeps only the first rows, in order,
        and hands every row to its sink (``scan --json``) instead.
    """

    files: list[str]
    n_events: int
    file_index: np.ndarray
    entry: np.ndarray
    run: np.ndarray
    lumi: np.ndarray
    event: np.ndarray
    mass: np.ndarray
    histogram: bh.Histogram
    objects: dict[str, np.ndarray] = field(default_factory=dict)
    axis_label: str = "mass [GeV]"
    is_simulation: bool | None = None
    sqrt_s: float | None = None
    detector: str | None = None
    cancelled: bool = False
    #: the file's ``signal_enhancement`` (signal ×N for visibility), None for a natural mix
    signal_enhancement: float | None = None
    n_dropped: int = 0

    def __len__(self) -> int:
        return len(self.entry) + self.n_dropped

    @property
    def edges(self) -> np.ndarray:
        """Bin edges of the histogram."""
        return self.histogram.axes[0].edges

    @property
    def counts(self) -> np.ndarray:
        """In-range bin counts."""
        return self.histogram.values().astype(np.int64)

    def candidate(self, i: int) -> dict[str, Any]:
        """Candidate ``i`` as a dict, with ``objects`` ({collection: [indices]})."""
        out = self._row(i)
        objs = {k: [int(j) for j in v[i] if j >= 0] for k, v in self.objects.items()}
        out["objects"] = {k: v for k, v in objs.items() if v}
        return out

    def _row(self, i: int) -> dict[str, Any]:
        row: dict[str, Any] = {"file": self.files[int(self.file_index[i])],
                               "entry": int(self.entry[i])}
        for key in _IDS:
            value = int(getattr(self, key)[i])
            row[key] = value if value >= 0 else None
        mass = float(self.mass[i])
        row["mass"] = mass if math.isfinite(mass) else None
        return row

    def candidates(self) -> list[dict[str, Any]]:
        """All candidates as ``{"file", "entry", "run", "lumi", "event", "mass"}`` dicts.

        Raises
        ------
        SelectionError
            Rows were dropped (a scan with ``keep_rows``): the list would be incomplete.
        """
        if self.n_dropped:
            raise SelectionError(f"only the first {len(self.entry):,} of {len(self):,} "
                                 "candidates were kept (the others went to the scan's sink)")
        return [self._row(i) for i in range(len(self.entry))]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written by ``collider-viz scan --json``."""
        return {"n_events": int(self.n_events), "candidates": self.candidates(),
                "histogram": {"edges": [float(e) for e in self.edges],
                              "counts": [int(c) for c in self.counts]}}

    def to_hist(self) -> Any:
        """The histogram as a :class:`hist.Hist` (for plotting)."""
        import hist

        return hist.Hist(self.histogram)

    @classmethod
    def collector(cls, source: Any, plan: Any, keep: int | None = None) -> _Collector:
        """An accumulator for the batches of one source (keeping the first ``keep`` rows)."""
        return _Collector(source, plan, keep)

    @classmethod
    def merge(cls, results: Sequence[ScanResult], empty: bh.Histogram) -> ScanResult:
        """Concatenate results in the given order (files deduplicated, histograms added)."""
        results, dropped = _rows_prefix(results)
        files: dict[str, int] = {}
        remapped = []
        for res in results:
            index = np.array([files.setdefault(f, len(files)) for f in res.files], dtype=np.int64)
            remapped.append(index[res.file_index] if len(res.entry) else
                            np.zeros(0, dtype=np.int64))
        hist = functools.reduce(operator.add, [r.histogram for r in results], empty.copy())
        first = results[0] if results else None
        return cls(files=list(files), n_events=sum(r.n_events for r in results),
                   file_index=_cat(remapped, np.int64), histogram=hist,
                   **{k: _cat([getattr(r, k) for r in results], np.int64)
                      for k in ("entry", *_IDS)},
                   mass=_cat([r.mass for r in results], np.float64),
                   objects=_merge_objects(results),
                   axis_label=first.axis_label if first is not None else "mass [GeV]",
                   is_simulation=all(r.is_simulation for r in results) if results else None,
                   sqrt_s=first.sqrt_s if first is not None else None,
                   detector=first.detector if first is not None else None,
                   cancelled=any(r.cancelled for r in results),
                   signal_enhancement=max((r.signal_enhancement for r in results
                                           if r.signal_enhancement), default=None),
                   n_dropped=dropped)


def _rows_prefix(results: Sequence[ScanResult]) -> tuple[list[ScanResult], int]:
    """Results whose rows continue an unbroken prefix, and the candidates dropped.

    After a result that dropped rows, later rows would not follow on, so they
    are counted as dropped too (only their histogram and totals are merged).
    """
    kept: list[ScanResult] = []
    dropped, broken = 0, False
    for res in results:
        if broken:
            kept.append(replace(res, **_no_rows(res), n_dropped=len(res)))
        else:
            kept.append(res)
            broken = res.n_dropped > 0
        dropped += kept[-1].n_dropped
    return kept, dropped


def _no_rows(res: ScanResult) -> dict[str, Any]:
    empty = np.zeros(0, dtype=np.int64)
    return {"file_index": empty, "entry": empty, "run": empty, "lumi": empty, "event": empty,
            "mass": np.zeros(0), "objects": {k: v[:0] for k, v in res.objects.items()}}


def _cat(arrays: Sequence[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate([np.asarray(a, dtype=dtype) for a in arrays]) if arrays else \
        np.zeros(0, dtype=dtype)


def _merge_objects(results: Sequence[ScanResult]) -> dict[str, np.ndarray]:
    keys = list(dict.fromkeys(k for r in results for k in r.objects))
    out = {}
    for key in keys:
        parts = [r.objects.get(key, np.full((len(r.entry), 1), -1, dtype=np.int64))
                 for r in results]
        width = max(p.shape[1] for p in parts)
        out[key] = np.concatenate([np.pad(p, ((0, 0), (0, width - p.shape[1])),
                                          constant_values=-1) for p in parts])
    return out


class _Collector:
    """Accumulates the candidates of consecutive batches of one source."""

    def __init__(self, source: Any, plan: Any, keep: int | None = None) -> None:
        self.path, self.info, self.plan = source.path, source.info, plan
        self.room = keep  # rows still to keep (None: all)
        self.n_events, self.n_dropped = 0, 0
        self.parts: dict[str, list[np.ndarray]] = {k: [] for k in ("entry", *_IDS, "mass")}
        self.objects: dict[str, list[np.ndarray]] = {}
        self.hist = empty_histogram(plan.binning)

    def add(self, batch: EventBatch, idx: np.ndarray, mass: np.ndarray,
            objects: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
        """Add one batch's candidates; return all their (entry, run, lumi, event, mass)."""
        self.n_events += len(batch)
        columns = {"entry": batch.start + idx, "mass": mass}
        for key in _IDS:
            ids = batch.ids.get(key)
            columns[key] = np.full(len(idx), -1) if ids is None else np.asarray(ids)[idx]
        finite = mass[np.isfinite(mass)]
        if len(finite):
            self.hist.fill(finite)
        keep = len(idx) if self.room is None else min(self.room, len(idx))
        if self.room is not None:
            self.room -= keep
        self.n_dropped += len(idx) - keep
        for key, arr in columns.items():
            self.parts[key].append(arr[:keep])
        for key, arr in objects.items():
            self.objects.setdefault(key, []).append(arr[:keep])
        return tuple(columns[k] for k in ("entry", *_IDS, "mass"))

    def finish(self, cancelled: bool = False) -> ScanResult:
        cols = {k: _cat(v, np.float64 if k == "mass" else np.int64) for k, v in self.parts.items()}
        objects = {k: np.concatenate(v) for k, v in self.objects.items()}
        return ScanResult(files=[self.path], n_events=self.n_events,
                         file_index=np.zeros(len(cols["entry"]), dtype=np.int64),
                         histogram=self.hist, objects=objects, axis_label=self.plan.axis_label,
                         is_simulation=bool(self.info.is_simulation), sqrt_s=self.info.sqrt_s,
                         detector=self.info.detector, cancelled=cancelled,
                         signal_enhancement=(self.info.extra or {}).get("signal_enhancement"),
                         n_dropped=self.n_dropped, **cols)
