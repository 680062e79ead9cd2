"""The Masterclass dock: measure the selection, classify with one key, record, resume.

``attach_masterclass(window)`` adds the dock (a tab beside Events), a
"Masterclass" menu and the keys of :data:`~collider_viz.masterclass.categories.CATEGORIES`
(Q W / A S for W⁺/W⁻ → eν / μν, 5-0 for ee, μμ, 4e, 4μ, 2e2μ, γγ, X for the
zoo, C to clear the selection; L, M, E, G select the drawn leptons, muons,
electrons, photons). Every answer is written at once to the
group's results file (:class:`~collider_viz.masterclass.records.ResultsFile`);
reopening an event file shows the answers already given. With "Exercise"
on, the answers the program knows stay hidden until the event is classified:
the candidate mass in the overlay, the charges of the selection; the
Properties, Candidates and Mass spectrum docks are hidden and tracks are not
coloured by charge for the whole exercise.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QStandardPaths, Qt
from PyQt6.QtGui import QAction
from PyQt6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from collider_viz.gui.errors import guarded
from collider_viz.gui.masterclass_results import ClassResults, MassHistogram
from collider_viz.gui.menus import window_action
from collider_viz.gui.selection_measure import SelectionMeasure
from collider_viz.masterclass import combine
from collider_viz.masterclass.categories import BY_CODE, CATEGORIES, CLEAR_KEY
from collider_viz.masterclass.measure import summary_lines
from collider_viz.masterclass.records import Record, ResultsFile

_HIDDEN_DOCKS = ("properties_dock", "candidates_dock", "spectrum_dock")


def default_results_path(group: str) -> Path:
    """``<data dir>/masterclass/<group>.csv`` (``COLLIDER_VIZ_DATA_DIR`` or Qt's app data)."""
    base = os.environ.get("COLLIDER_VIZ_DATA_DIR") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation)
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in group) or "group"
    return Path(base) / "masterclass" / f"{safe}.csv"


class MasterclassPanel(QWidget):
    """The dock's widgets (no logic): selection, group, categories, status, histograms."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.measure_label = QLabel(summary_lines(_empty())[0])
        self.measure_label.setObjectName("masterclassMeasure")
        self.group_edit = QLineEdit("group1")
        self.file_button = QPushButton("Results file…")
        self.exercise_check = QCheckBox("Exercise: hide the answers until classified")
        self.advance_check = QCheckBox("Next event after classifying")
        self.advance_check.setChecked(True)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, cat in enumerate(CATEGORIES):
            button = QPushButton(f"{cat.label}  [{cat.key}]")
            button.setCheckable(True)
            self.buttons[cat.code] = button
            grid.addWidget(button, i // 2, i % 2)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.hists = {kind: MassHistogram(combine.TITLES[kind]) for kind in ("2l", "4l")}
        self.combine_button = QPushButton("Combine class results…")
        layout = QVBoxLayout(self)
        for item in (self.measure_label, QLabel("Group / student:"), self.group_edit,
                     self.file_button, self.exercise_check, self.advance_check):
            layout.addWidget(item)
        layout.addLayout(grid)
        for item in (self.status, *self.hists.values(), self.combine_button):
            layout.addWidget(item)
        layout.addStretch(1)


def _empty() -> Any:
    from collider_viz.masterclass.measure import Measurement

    return Measurement((), None, 0.0, 0.0, ())


class MasterclassController:
    """Classify the shown event, record it, and keep the dock in step with the window."""

    def __init__(self, window: Any, panel: MasterclassPanel) -> None:
        self.window, self.panel = window, panel
        self.selection = SelectionMeasure(window)
        self.results: ResultsFile | None = None
        self._saved_color: str | None = None
        self.selection.changed.connect(lambda _m: self._show_measurement())
        window.event_shown.connect(lambda _e: self.refresh())
        panel.exercise_check.toggled.connect(self.set_exercise)
        panel.file_button.clicked.connect(self.choose_file)
        panel.combine_button.clicked.connect(self.open_class_results)
        for code, button in panel.buttons.items():
            button.clicked.connect(lambda _c=False, code=code: self.classify(code))

    # -- results file ----------------------------------------------------
    def set_results(self, path: str | os.PathLike[str], group: str | None = None) -> None:
        """Use ``path`` as the results file (resumed when it exists)."""
        if group is not None:
            self.panel.group_edit.setText(group)
        self.results = ResultsFile(path, self.panel.group_edit.text().strip())
        self.refresh()

    def _ensure_results(self) -> ResultsFile:
        group = self.panel.group_edit.text().strip()
        if self.results is None or self.results.group != group:
            self.set_results(default_results_path(group))
        assert self.results is not None
        return self.results

    @guarded
    def choose_file(self) -> None:
        """Ask for the results file (a new name starts a new one)."""
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Results file", str(default_results_path(self.panel.group_edit.text())),
            "CSV (*.csv)", options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.set_results(path)

    # -- classifying -------------------------------------------------------
    def current(self) -> Record | None:
        """The answer already recorded for the shown event, if any."""
        w = self.window
        if self.results is None or w.event is None or w.path is None:
            return None
        return self.results.get(w.path, w.event.meta.entry)

    @guarded
    def classify(self, code: str) -> None:
        """Record the shown event as category ``code`` with the selection's objects and mass."""
        w = self.window
        if w.event is None or w.path is None:
            return
        m = self.selection.measurement
        meta = w.event.meta
        rec = self._ensure_results().record(Record(
            w.path, meta.run, meta.event, meta.entry, BY_CODE[code].code, m.picks, m.mass))
        w.statusBar().showMessage(f"Recorded entry {meta.entry} as {BY_CODE[code].label} "
                                  f"in {self.results.path}", 4000)
        self.refresh()
        if self.panel.advance_check.isChecked() and rec is not None:
            w.step(1)

    # -- display -----------------------------------------------------------
    def refresh(self) -> None:
        """Buttons, status line, histograms and hidden answers for the shown event."""
        rec = self.current()
        for code, button in self.panel.buttons.items():
            button.setChecked(rec is not None and rec.category == code)
        hidden = self.panel.exercise_check.isChecked() and rec is None
        if getattr(self.window, "answers_hidden", False) != hidden:
            self.window.answers_hidden = hidden
            self.window.refresh_overlay()
        self._show_status(rec)
        records = list(self.results.records.values()) if self.results is not None else []
        hists = combine.histograms(records)
        for kind, plot in self.panel.hists.items():
            plot.set_histogram(hists[kind])
        self._show_measurement()

    def _show_status(self, rec: Record | None) -> None:
        if self.results is None:
            self.panel.status.setText("No results file yet (the first answer creates one).")
            return
        name = os.path.basename(self.window.path or "")
        done = sum(1 for r in self.results.records.values() if r.file == name)
        this = "not classified" if rec is None else BY_CODE[rec.category].label + (
            "" if rec.mass is None else f" (M = {rec.mass:.2f} GeV)")
        self.panel.status.setText(f"{self.results.path.name}: {done} events of this file "
                                  f"classified · this event: {this}")

    def _show_measurement(self) -> None:
        hidden = getattr(self.window, "answers_hidden", False)
        lines = summary_lines(self.selection.measurement, show_charges=not hidden)
        self.panel.measure_label.setText("\n".join(lines))

    def set_exercise(self, on: bool) -> None:
        """Exercise mode: hide what gives the answer away (see the module docstring)."""
        w = self.window
        for name in _HIDDEN_DOCKS:
            dock = getattr(w, name, None)
            if dock is not None:
                dock.setVisible(not on)
        if on and getattr(w, "masterclass_dock", None) is not None:
            w.masterclass_dock.show()
            w.masterclass_dock.raise_()
        combo = w.collections.color_combo
        if on and combo.currentData() == "charge":
            self._saved_color = "charge"
            combo.setCurrentIndex(combo.findData("pt"))
        elif not on and self._saved_color is not None:
            combo.setCurrentIndex(combo.findData(self._saved_color))
            self._saved_color = None
        self.refresh()

    @guarded
    def open_class_results(self) -> None:
        """Open the combined-results window."""
        self.class_results = ClassResults(self.window)
        self.class_results.show()
        self.class_results.choose()


def _actions(window: Any, ctl: MasterclassController) -> dict[str, QAction]:
    actions = {}
    menu = window.menuBar().addMenu("&Masterclass")
    for cat in CATEGORIES:
        actions[cat.code] = _action(window, f"Classify: {cat.label}", cat.key,
                                    lambda code=cat.code: ctl.classify(code))
    actions["clear"] = _action(window, "Clear selection", CLEAR_KEY, ctl.selection.clear)
    actions["leptons"] = _action(window, "Select all leptons", "L",
                                 lambda: ctl.selection.select_all(("electrons", "muons")))
    actions["muons"] = _action(window, "Select all muons", "M",
                               lambda: ctl.selection.select_all(("muons",)))
    actions["electrons"] = _action(window, "Select all electrons", "E",
                                   lambda: ctl.selection.select_all(("electrons",)))
    actions["photons"] = _action(window, "Select all photons", "G",
                                 lambda: ctl.selection.select_all(("photons",)))
    actions["combine"] = _action(window, "Combine class results…", "", ctl.open_class_results)
    for action in actions.values():
        menu.addAction(action)
    return actions


def _action(window: Any, text: str, key: str, slot: Any) -> QAction:
    return window_action(window, text, slot, (key,) if key else ())


def attach_masterclass(window: Any) -> MasterclassController:
    """Add the Masterclass dock, menu and keys to ``window``; returns the controller."""
    panel = MasterclassPanel(window)
    ctl = MasterclassController(window, panel)
    dock = QDockWidget("Masterclass", window)
    dock.setObjectName("masterclassDock")
    scroll = QScrollArea(dock)  # the dock never forces the window's size
    scroll.setWidgetResizable(True)
    scroll.setWidget(panel)
    dock.setWidget(scroll)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    events_dock = getattr(window, "events_dock", None)
    if events_dock is not None:  # a tab beside Events and Candidates
        window.tabifyDockWidget(events_dock, dock)
    view_menu = getattr(window, "view_menu", None)
    if view_menu is not None:
        view_menu.addAction(dock.toggleViewAction())
    window.masterclass_dock = dock
    ctl.actions = _actions(window, ctl)
    return ctl
