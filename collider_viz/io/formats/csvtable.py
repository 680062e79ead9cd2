"""CSV tables of events (the CMS open-data portal CSVs), read through the shipped layouts.

A CSV is a flat table: one row per event (or per candidate), one column per
value. The same layout engine as for flat ROOT ntuples reads it
(:mod:`collider_viz.io.formats.layout`); the layouts with ``[tree] name =
"csv"`` say which column sets are which family (``Run, Event, pt1, eta1 ...``
dimuons, ``PID1, E1, px1 ...`` four-lepton events, ...).

Files as students re-save them are read too: ``;`` or tab separators, a
trailing separator on every line, spaces around names and values, and a
decimal comma where the separator is ``;``. The file is parsed with pandas,
only the columns a read needs, each column once (cached).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.formats.layout import TableReader, claims, shipped_layouts
from collider_viz.io.layout_spec import LayoutSpec
from collider_viz.io.registry import register

__all__ = ["CsvAccess", "CsvReader", "csv_layouts", "is_csv"]

_SEPARATORS = (",", ";", "\t")
_HEADER_BYTES = 1 << 16
_SUFFIXES = (".csv", ".tsv")
#: Largest CSV read (its needed columns are held in memory as numbers).
MAX_CSV_BYTES = 4 * 2**30


def is_csv(path: str) -> bool:
    """True for a local file named ``*.csv`` or ``*.tsv``."""
    return path.lower().endswith(_SUFFIXES) and os.path.isfile(path)


def _head(path: str) -> list[str]:
    """The first two lines (header and a data row), decoded."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_HEADER_BYTES)
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise FormatError(path, f"cannot be read ({exc.__class__.__name__})") from None
    except UnicodeDecodeError:
        raise FormatError(path, "not a text CSV file (not UTF-8)",
                          "a CSV table with a header line of column names") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise FormatError(path, "an empty CSV file", "a header line of column names")
    return lines[:2]


class CsvAccess:
    """Column access to a CSV file, the interface of ``TreeAccess``.

    Parameters
    ----------
    path : str
        The CSV file.
    """

    storage = "CSV"
    name = "csv"

    def __init__(self, path: str) -> None:
        self.path = path
        size = os.path.getsize(path)
        if size > MAX_CSV_BYTES:
            raise FormatError(path, f"a CSV of {size / 2**30:.1f} GiB, over the "
                              f"{MAX_CSV_BYTES / 2**30:.0f} GiB read into memory",
                              "a smaller CSV (split it) or a ROOT file")
        lines = _head(path)
        self.sep = max(_SEPARATORS, key=lines[0].count)
        names = [n.strip().strip('"').strip() for n in lines[0].split(self.sep)]
        self.raw = {n: i for i, n in enumerate(names) if n}  # column name -> position
        self.branches = {n: n for n in self.raw}
        self.decimal = "," if self.sep == ";" and len(lines) > 1 and "," in lines[1] else "."
        self._columns: dict[str, np.ndarray] = {}
        first = next(iter(self.raw), None)
        if first is None:
            raise FormatError(path, "the CSV header names no columns")
        self._n = len(self._load([first])[first])

    def _load(self, names: Sequence[str]) -> dict[str, np.ndarray]:
        new = [n for n in names if n not in self._columns]
        if new:
            import pandas as pd

            try:
                where = sorted(self.raw[n] for n in new)
                frame = pd.read_csv(self.path, sep=self.sep, usecols=where, header=0,
                                    skipinitialspace=True, decimal=self.decimal,
                                    index_col=False, encoding="utf-8-sig")
            except (ValueError, pd.errors.ParserError) as exc:
                raise FormatError(self.path, f"could not parse the CSV ({str(exc).strip()[:120]})",
                                  "rows of the header's columns") from None
            for n in new:
                self._columns[n] = frame.iloc[:, where.index(self.raw[n])].to_numpy()
        return {n: self._columns[n] for n in names}

    def __len__(self) -> int:
        return self._n

    def typename(self, name: str) -> str | None:
        """``float64``, ``int64`` ... or ``object`` (text) for column ``name``."""
        return str(self._load([name])[name].dtype) if name in self.branches else None

    def read(self, names: Sequence[str], start: int, stop: int) -> dict[str, ak.Array]:
        """Columns ``names`` for rows ``[start, stop)``."""
        wanted = [n for n in dict.fromkeys(names) if n in self.branches]
        cols = self._load(wanted)
        return {n: ak.Array(cols[n][start:stop]) if cols[n].dtype.kind != "O"
                else ak.Array(list(cols[n][start:stop])) for n in wanted}


def csv_layouts() -> list[LayoutSpec]:
    """The shipped layouts of CSV tables (``[tree] name = "csv"``), highest priority first."""
    return [s for s in shipped_layouts() if s.trees == ("csv",)]


@register
class CsvReader(TableReader):
    """A CMS open-data CSV (or another CSV a shipped layout describes)."""

    format_name = "csv"
    description = "CMS open-data CSV tables (dimuon, dielectron, J/psi, Higgs -> 4 leptons ...)"
    priority = 40

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        return handle is None and is_csv(path)

    def __init__(self, path: str, handle: Any = None, spec: LayoutSpec | None = None,
                 strict: bool = False) -> None:
        access = CsvAccess(path)
        if spec is None:
            spec = next((s for s in csv_layouts() if claims(s, access.branches)), None)
        if spec is None:
            found = ", ".join(list(access.branches)[:12])
            raise FormatError(path, f"a CSV of no known column set; found columns {found}",
                              "Run, Event and per-lepton columns such as pt1, eta1, phi1, Q1 or "
                              "E1, px1, py1, pz1 (or pass a --mapping TOML)")
        self._setup(path, access, spec, strict)
