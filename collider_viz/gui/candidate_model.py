"""The table model of the candidate list: numeric columns, numeric sorting, a mass window.

:class:`CandidateModel` shows the candidates of a
:class:`~collider_viz.physics.scan.ScanResult` (entry, run, event, mass);
:class:`MassWindowProxy` sorts by the numbers behind the cells (never by the
text, so 9 comes before 10) and keeps only candidates inside a mass window.
:func:`count_text` and :func:`filter_error_text` are the texts around the list.
"""

from __future__ import annotations

import math
from typing import Any

from PyQt6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from collider_viz.physics.expr import ExpressionError

COLUMNS = (("entry", "Entry"), ("run", "Run"), ("event", "Event"), ("mass", "Mass [GeV]"))
SORT_ROLE = Qt.ItemDataRole.UserRole
"""Role of the numeric value a column sorts by (never the displayed text)."""


class CandidateModel(QAbstractTableModel):
    """The candidates of a scan result: entry, run, event, mass (one row each)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.result: Any = None

    def set_result(self, result: Any) -> None:
        """Show the candidates of ``result`` (a ``ScanResult``; None empties the table)."""
        self.beginResetModel()
        self.result = result
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.result is None else len(self.result)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def value(self, row: int, column: int) -> float:
        """Numeric value of a cell (-1 for an unknown id, NaN for no mass)."""
        return float(getattr(self.result, COLUMNS[column][0])[row])

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.result is None:
            return None
        value = self.value(index.row(), index.column())
        if role == SORT_ROLE:
            return value if math.isfinite(value) else -math.inf
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell_text(COLUMNS[index.column()][0], value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None


def _cell_text(key: str, value: float) -> str:
    if key == "mass":
        return f"{value:.2f}" if math.isfinite(value) else "–"
    return str(int(value)) if value >= 0 else "?"


class MassWindowProxy(QSortFilterProxyModel):
    """Numeric sorting plus a mass window ``lo <= m < hi`` (None: every candidate)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.window: tuple[float, float] | None = None
        self.setSortRole(SORT_ROLE)

    def set_window(self, window: tuple[float, float] | None) -> None:
        """Keep only candidates with ``window[0] <= mass < window[1]``."""
        self.window = None if window is None else (float(window[0]), float(window[1]))
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        if self.window is None:
            return True
        mass = self.sourceModel().value(row, 3)
        return self.window[0] <= mass < self.window[1]


def filter_error_text(exc: ExpressionError) -> str:
    """The expression with a caret under the faulty column, then the problem."""
    return f"{exc.text}\n{' ' * max(exc.column - 1, 0)}^ column {exc.column}: {exc.problem}"


def count_text(found: int, scanned: int, preset: bool) -> str:
    """``12 candidates in 4,500 events`` (a preset) or ``12 of 4,500 events pass the filter``."""
    if preset:
        return f"{found:,} candidates in {scanned:,} events" if found else \
            f"No candidates in {scanned:,} events"
    return f"{found:,} of {scanned:,} events pass the filter"
