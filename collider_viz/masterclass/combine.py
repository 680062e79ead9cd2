"""A class's results combined: tables, W⁺/W⁻ and e/μ ratios, mass histograms.

Ratios and their statistical errors (documented in the README):

* W⁺/W⁻ = N(e⁺ν + μ⁺ν) / N(e⁻ν + μ⁻ν);
* e/μ = N(e⁺ν + e⁻ν + ee) / N(μ⁺ν + μ⁻ν + μμ) (W and Z candidates, as the CMS
  WZH exercise compares them).

For counts ``a`` and ``b`` the ratio ``R = a/b`` has the error
``R·sqrt(1/a + 1/b)`` (both counts Poisson; the same as the binomial error of the
fraction ``f = a/(a+b)``, ``sqrt(f(1-f)/(a+b))``, propagated to ``R = f/(1-f)``);
the fraction is given as well. A ratio with an empty count is None.

Two groups recording the same collision (same run and event, or same file and
entry where the file has no numbers) are both kept in the merged table; with
``dedupe`` the ratios and histograms count that collision once, under the
category most of its records give (the first recorded on a tie).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from collider_viz.errors import FormatError
from collider_viz.masterclass.categories import BY_CODE, CATEGORIES
from collider_viz.masterclass.records import Record, read_records

#: histogram binning per kind: (low, high, bins) in GeV
BINNING = {"2l": (0.0, 150.0, 75), "4l": (70.0, 250.0, 45), "gg": (100.0, 160.0, 30)}
TITLES = {"2l": "two leptons (ee, μμ)", "4l": "four leptons (4e, 4μ, 2e2μ)", "gg": "γγ"}


@dataclass(frozen=True)
class Ratio:
    """``numerator / denominator`` with its statistical error."""

    name: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def error(self) -> float | None:
        if not self.numerator or not self.denominator:
            return None
        r = self.numerator / self.denominator
        return r * math.sqrt(1.0 / self.numerator + 1.0 / self.denominator)

    @property
    def fraction(self) -> tuple[float, float] | None:
        """``a/(a+b)`` and its binomial error."""
        n = self.numerator + self.denominator
        if not n:
            return None
        f = self.numerator / n
        return f, math.sqrt(f * (1 - f) / n)

    def text(self) -> str:
        if self.value is None:
            return f"{self.name} = — ({self.numerator}/{self.denominator})"
        err = "" if self.error is None else f" ± {self.error:.2f}"
        return f"{self.name} = {self.value:.2f}{err} ({self.numerator}/{self.denominator})"


@dataclass
class Histogram:
    """Masses of one kind of candidate, with the records in each bin."""

    kind: str
    edges: np.ndarray
    counts: np.ndarray
    members: list[list[Record]]
    axis_label: str = "mass [GeV]"

    def bin_of(self, mass: float) -> int | None:
        """The bin holding ``mass`` (None outside the range)."""
        i = int(np.searchsorted(self.edges, mass, side="right")) - 1
        return i if 0 <= i < len(self.counts) else None


@dataclass
class Merged:
    """Every record of the files that could be read, and a line per file that could not."""

    records: list[Record] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def merge(paths: Sequence[str | os.PathLike[str]]) -> Merged:
    """Read every results file; a damaged or foreign one is skipped with its one line."""
    out = Merged()
    for path in paths:
        try:
            records = read_records(path)
        except FormatError as exc:
            out.skipped.append(str(exc))
            continue
        out.records.extend(records)
        out.files.append(os.fspath(path))
    return out


def counted(records: Sequence[Record], dedupe: bool = False) -> list[Record]:
    """The records the ratios and histograms count (one per collision with ``dedupe``)."""
    if not dedupe:
        return list(records)
    by_event: dict[tuple, list[Record]] = {}
    for rec in records:
        by_event.setdefault(rec.event_id, []).append(rec)
    out = []
    for group in by_event.values():
        votes = Counter(r.category for r in group)
        best = max(votes.values())
        out.append(next(r for r in group if votes[r.category] == best))
    return out


def table(records: Sequence[Record]) -> dict[str, int]:
    """Number of records per category code (every category, zeros included)."""
    counts = Counter(r.category for r in records)
    return {c.code: counts.get(c.code, 0) for c in CATEGORIES}


def ratios(records: Sequence[Record]) -> list[Ratio]:
    """W⁺/W⁻ and e/μ of ``records`` (see the module docstring)."""
    n = table(records)
    plus, minus = n["e+nu"] + n["mu+nu"], n["e-nu"] + n["mu-nu"]
    e = n["e+nu"] + n["e-nu"] + n["ee"]
    mu = n["mu+nu"] + n["mu-nu"] + n["mumu"]
    return [Ratio("W+/W-", plus, minus), Ratio("e/mu", e, mu)]


def histograms(records: Sequence[Record]) -> dict[str, Histogram]:
    """The mass histogram of each kind ("2l", "4l", "gg") of the records that have a mass."""
    out = {}
    for kind, (low, high, bins) in BINNING.items():
        edges = np.linspace(low, high, bins + 1)
        members: list[list[Record]] = [[] for _ in range(bins)]
        hist = Histogram(kind, edges, np.zeros(bins, dtype=np.int64), members)
        for rec in records:
            if rec.mass is None or BY_CODE[rec.category].kind != kind:
                continue
            i = hist.bin_of(rec.mass)
            if i is not None:
                hist.counts[i] += 1
                members[i].append(rec)
        out[kind] = hist
    return out


def summary_lines(merged: Merged, dedupe: bool = False) -> list[str]:
    """The text report of a merge: files, counts per category, ratios, skipped files."""
    used = counted(merged.records, dedupe)
    lines = [f"{len(merged.records)} records from {len(merged.files)} files"
             + (f" ({len(used)} collisions counted once each)" if dedupe else "")]
    lines += [f"  {code:6s} {n}" for code, n in table(used).items()]
    lines += [r.text() for r in ratios(used)]
    lines += [f"skipped: {line}" for line in merged.skipped]
    return lines
