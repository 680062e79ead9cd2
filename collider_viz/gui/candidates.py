"""The "Candidates" dock: preset, filter, scan progress and the candidate list.

The panel holds no physics: it shows a
:class:`~collider_viz.physics.scan.ScanResult` in a sortable table
(:mod:`~collider_viz.gui.candidate_model`: sorted by the numbers, restricted
to the chosen mass window) and emits requests; the
:class:`~collider_viz.gui.candidates_wiring.CandidatesController` runs the
scans and moves the window.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QModelIndex, Qt, pyqtSignal
from PyQt6.QtGui import QFont
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from collider_viz.gui.candidate_model import (
    CandidateModel,
    MassWindowProxy,
    count_text,
    filter_error_text,
)
from collider_viz.physics.expr import ExpressionError, Filter
from collider_viz.physics.selections import PRESETS, describe

FILTER_ONLY = "filter only"
"""The preset choice without a preset: the events passing the filter, no mass."""


class CandidatesPanel(QWidget):
    """Preset and filter controls, scan progress and the candidate table.

    Signals
    -------
    scan_requested()
        The preset was changed or Enter was pressed in a valid filter.
    cancel_requested()
        The user pressed the cancel button of the running scan.
    step_requested(int)
        "previous" (-1) or "next" (+1) candidate.
    row_chosen(int)
        The user chose a candidate (row of the model, not of the view).
    """

    scan_requested = pyqtSignal()
    cancel_requested = pyqtSignal()
    step_requested = pyqtSignal(int)
    row_chosen = pyqtSignal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._syncing = False
        self.model = CandidateModel(self)
        self.proxy = MassWindowProxy(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._plan_row())
        self.error_label = _label(self, "filterError", mono=True)
        self.error_label.setStyleSheet("color: #e74c3c;")
        layout.addWidget(self.error_label)
        layout.addLayout(self._progress_row())
        self.status_label = _label(self, "candidateStatus")
        layout.addWidget(self.status_label)
        layout.addWidget(self._table(), 1)
        layout.addLayout(self._step_row())
        self.set_running(False)

    # -- construction ----------------------------------------------------
    def _plan_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.preset_combo = QComboBox(self)
        self.preset_combo.setObjectName("presetCombo")
        for i, (name, summary) in enumerate(describe().items()):
            self.preset_combo.addItem(name)
            self.preset_combo.setItemData(i, summary, Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.addItem(FILTER_ONLY)
        self.preset_combo.setItemData(self.preset_combo.count() - 1,
                                      "No preset: the events passing the filter "
                                      "(e.g. nPhoton >= 2), without a mass",
                                      Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.activated.connect(lambda _i: self.scan_requested.emit())
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText("filter, e.g. mass > 110 and nPhoton == 2")
        self.filter_edit.setToolTip("Filter expression; Enter runs the scan")
        self.filter_edit.textChanged.connect(self.check_filter)
        self.filter_edit.returnPressed.connect(self._filter_entered)
        row.addWidget(self.preset_combo)
        row.addWidget(self.filter_edit, 1)
        return row

    def _progress_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("scanProgress")
        self.progress.setMaximumHeight(16)
        self.cancel_button = _button(self, "Cancel", "Stop the scan", self.cancel_requested.emit)
        policy = self.cancel_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # showing it must not lay out the whole window
        self.cancel_button.setSizePolicy(policy)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        return row

    def _table(self) -> QTableView:
        self.table = QTableView(self)
        self.table.setObjectName("candidateTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # file order until clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        return self.table

    def _step_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.prev_button = _button(self, "◀ Previous candidate", "Previous candidate (P)",
                                   lambda: self.step_requested.emit(-1))
        self.next_button = _button(self, "Next candidate ▶", "Next candidate (N)",
                                   lambda: self.step_requested.emit(1))
        row.addWidget(self.prev_button)
        row.addWidget(self.next_button)
        return row

    # -- plan --------------------------------------------------------------
    @property
    def preset(self) -> str | None:
        """The chosen preset name; None for "filter only"."""
        text = self.preset_combo.currentText()
        return None if text == FILTER_ONLY else text

    def set_preset(self, name: str | None) -> None:
        """Choose preset ``name`` (None: "filter only") without requesting a scan."""
        if name is None or name in PRESETS:
            self.preset_combo.setCurrentText(name or FILTER_ONLY)

    def filter_text(self) -> str | None:
        """The filter expression, or None when the field is empty."""
        return self.filter_edit.text().strip() or None

    def check_filter(self, *_: Any) -> bool:
        """Parse the filter text; show the problem and its column inline. True when valid."""
        text = self.filter_edit.text().strip()
        try:
            if text:
                Filter(text)
        except ExpressionError as exc:
            self.show_error(filter_error_text(exc))
            return False
        self.show_error(None)
        return True

    def show_error(self, message: str | None) -> None:
        """Show ``message`` under the plan controls (None hides it)."""
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    def _filter_entered(self) -> None:
        if self.check_filter():
            self.scan_requested.emit()

    # -- scan and result ---------------------------------------------------
    def set_running(self, running: bool) -> None:
        """Show or hide the cancel button of a running scan."""
        self.cancel_button.setVisible(running)

    def set_progress(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` events scanned."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress.setFormat(f"{done:,} / {total:,} events")

    def set_result(self, result: Any) -> None:
        """Show the candidates of ``result`` (None empties the table)."""
        self.model.set_result(result)
        self.update_status()

    def set_window(self, window: tuple[float, float] | None) -> None:
        """Keep only the candidates with a mass inside ``window`` (None: all)."""
        self.proxy.set_window(window)
        self.update_status()

    def set_status(self, text: str) -> None:
        """Show ``text`` where the number of candidates goes (a hint, not an error)."""
        self.status_label.setText(text)

    def update_status(self) -> None:
        """Say how many candidates there are (and in the mass window)."""
        result = self.model.result
        if result is None:
            self.status_label.setText("")
            return
        text = count_text(len(result), result.n_events, self.preset is not None)
        if self.proxy.window is not None:
            lo, hi = self.proxy.window
            text += f"  ·  {self.proxy.rowCount():,} with {lo:.4g} ≤ m < {hi:.4g} GeV"
        self.status_label.setText(text)

    # -- rows --------------------------------------------------------------
    def visible_count(self) -> int:
        """Candidates listed (inside the mass window)."""
        return self.proxy.rowCount()

    def position_of(self, row: int | None) -> int:
        """Position of model ``row`` in the list's current order (-1 when not listed)."""
        if row is None or not 0 <= row < self.model.rowCount():
            return -1
        return self.proxy.mapFromSource(self.model.index(row, 0)).row()

    def row_at(self, position: int) -> int:
        """Model row shown at ``position`` of the list."""
        return self.proxy.mapToSource(self.proxy.index(position, 0)).row()

    def select_row(self, row: int | None) -> None:
        """Select model ``row`` in the table without emitting ``row_chosen``."""
        position = self.position_of(row)
        self._syncing = True
        try:
            if position < 0:
                self.table.clearSelection()
                return
            index = self.proxy.index(position, 0)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
        finally:
            self._syncing = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing and current.isValid():
            self.row_chosen.emit(self.proxy.mapToSource(current).row())


def _label(parent: QWidget, name: str, mono: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(not mono)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if mono:
        label.setFont(QFont("monospace"))
        label.setVisible(False)
    return label


def _button(parent: QWidget, text: str, tip: str, slot: Any) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.clicked.connect(lambda _checked=False: slot())
    return button
