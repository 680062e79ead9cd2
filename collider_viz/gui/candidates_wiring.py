"""Candidates and mass spectrum: the controller of the two docks and their wiring.

``attach_candidates(window)`` adds the "Candidates" and "Mass spectrum" docks,
a "Candidates" menu and the keys N / P (also Ctrl+→ / Ctrl+←) to a
:class:`~collider_viz.gui.window.MainWindow`. It uses only the window's public
side: ``event_shown``, ``show_entry``, ``set_candidate``, ``canvas.highlight``,
``loader`` (its opener and current source), ``path``/``mapping``,
``menuBar``/``view_menu``/``statusBar`` and ``report_error``.

Every file opened in the window is scanned in a
:class:`~collider_viz.gui.scan_worker.ScanWorker` thread, so the spectrum
fills up while the window stays responsive; a new file, preset or filter
cancels the running scan.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QEvent, QObject, Qt, pyqtSignal
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import QDockWidget

from collider_viz.errors import ColliderVizError
from collider_viz.gui.candidates import CandidatesPanel
from collider_viz.gui.scan_worker import ScanWorker, choose_preset, mass_text
from collider_viz.gui.spectrum import SpectrumPanel
from collider_viz.physics.scan import ScanPlan, ScanResult


class CandidatesController(QObject):
    """Run scans for the window's file and step its display through the candidates.

    Parameters
    ----------
    window : MainWindow
        The window (see the module docstring for what is used).
    panel : CandidatesPanel
    spectrum : SpectrumPanel

    Signals
    -------
    scan_finished(ScanResult)
        A scan ran to its end (not emitted for a cancelled or failed one).
    """

    scan_finished = pyqtSignal(object)

    def __init__(self, window: Any, panel: CandidatesPanel, spectrum: SpectrumPanel) -> None:
        super().__init__(window)
        self.window, self.panel, self.spectrum = window, panel, spectrum
        self.result: ScanResult | None = None
        self.worker: ScanWorker | None = None
        self.scanned: tuple[str, str | None] | None = None
        self.current: int | None = None
        self.visited: set[int] = set()
        self._pending: int | None = None
        self._running: set[ScanWorker] = set()
        self._total = 0
        window.event_shown.connect(self.on_event_shown)
        panel.scan_requested.connect(self.rescan)
        panel.cancel_requested.connect(self.cancel)
        panel.step_requested.connect(self.step)
        panel.row_chosen.connect(self.show_candidate)
        spectrum.window_selected.connect(self.set_window)
        spectrum.export_failed.connect(lambda msg: window.report_error("Cannot export plot", msg))
        window.installEventFilter(self)

    # -- scanning ------------------------------------------------------------
    def on_event_shown(self, event: Any) -> None:
        """Scan a newly opened file; otherwise show the mass when the event is a candidate."""
        opened = (self.window.path, self.window.mapping)
        if opened != self.scanned:
            self.scanned = opened
            source = self.window.loader.source
            self.panel.set_preset(choose_preset(opened[0], source.info, source.available))
            self.rescan()
            return
        self._sync(int(event.meta.entry))

    def rescan(self) -> None:
        """Scan the current file with the panel's preset and filter (cancels a running scan)."""
        self.cancel()
        self._clear()
        if self.scanned is None or self.window.loader.source is None or \
                not self.panel.check_filter():
            return
        try:
            plan = ScanPlan(self.panel.preset, self.panel.filter_text())
        except ColliderVizError as exc:
            self.panel.show_error(str(exc))
            return
        worker = self.worker = ScanWorker(self.window.loader.opener, *self.scanned, plan, self)
        worker.partial.connect(lambda r: self._on_partial(r) if worker is self.worker else None)
        worker.finished_scan.connect(
            lambda r: self._on_finished(r) if worker is self.worker else None)
        worker.failed.connect(lambda m: self._on_failed(m) if worker is self.worker else None)
        worker.finished.connect(lambda: self._forget(worker))
        self._running.add(worker)
        self._total = len(self.window.loader.source)
        self.panel.set_running(True)
        self.panel.set_progress(0, self._total)
        worker.start()

    def cancel(self) -> None:
        """Stop the running scan (its later reports are ignored)."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.cancel.set()
        self.panel.set_running(False)

    def _forget(self, worker: ScanWorker) -> None:
        self._running.discard(worker)
        worker.deleteLater()

    def _clear(self) -> None:
        self.result, self.current, self._pending = None, None, None
        self.visited = set()
        self.panel.set_result(None)
        self.spectrum.reset_visited()
        self.spectrum.set_result(None)
        self.window.set_candidate(None)

    def _on_partial(self, result: ScanResult) -> None:
        self.result = result
        self.panel.set_result(result)
        self.panel.set_progress(result.n_events, self._total)
        self.spectrum.set_result(result)

    def _on_finished(self, result: ScanResult) -> None:
        self._on_partial(result)
        self.worker = None
        self.panel.set_running(False)
        if self.window.event is not None:
            self._sync(int(self.window.event.meta.entry))
        self.scan_finished.emit(result)

    def _on_failed(self, message: str) -> None:
        self.worker = None
        self.panel.set_running(False)
        self.panel.show_error(message)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.window and event.type() == QEvent.Type.Close:
            self.cancel()
            for worker in list(self._running):
                worker.cancel.set()
                worker.wait(5000)
        return False

    # -- candidates ----------------------------------------------------------
    def step(self, delta: int) -> None:
        """Show the next (+1) or previous (-1) candidate of the list, in its order."""
        count = self.panel.visible_count()
        if count == 0:
            self.window.statusBar().showMessage("No candidates to step through", 3000)
            return
        base = self._pending if self._pending is not None else self.current  # keys held down
        position = self.panel.position_of(base)
        target = (0 if delta > 0 else count - 1) if position < 0 else position + delta
        if not 0 <= target < count:
            which = "last" if delta > 0 else "first"
            self.window.statusBar().showMessage(f"This is the {which} candidate", 3000)
            return
        self.show_candidate(self.panel.row_at(target))

    def show_candidate(self, row: int) -> None:
        """Show candidate ``row`` (of the result) in the window."""
        if self.result is None or not 0 <= row < len(self.result):
            return
        entry = int(self.result.entry[row])
        shown = self.window.event
        if shown is not None and int(shown.meta.entry) == entry:
            self._apply(row)
            return
        self._pending = row
        self.window.show_entry(entry)

    def _sync(self, entry: int) -> None:
        row, self._pending = self._pending, None
        if self.result is None:
            return
        if row is None or int(self.result.entry[row]) != entry:
            row = self._row_of_entry(entry)
        if row is None:
            self.current = None
            self.window.set_candidate(None)
            self.spectrum.set_mark(None)
            self.panel.select_row(None)
            return
        self._apply(row)

    def _row_of_entry(self, entry: int) -> int | None:
        hits = (self.result.entry == entry).nonzero()[0] if self.result is not None else ()
        return int(hits[0]) if len(hits) else None

    def _apply(self, row: int) -> None:
        candidate = self.result.candidate(row)  # type: ignore[union-attr]
        self.current = row
        highlight = getattr(self.window.canvas, "highlight_many", None)
        if highlight is not None:
            highlight(candidate["objects"])
        else:
            for name, indices in candidate["objects"].items():
                self.window.canvas.highlight(name, indices)
        self.window.set_candidate(mass_text(self.result.axis_label, candidate["mass"]))
        if self.spectrum.watching and row not in self.visited:
            self.visited.add(row)
            self.spectrum.add_visited(candidate["mass"])
        self.spectrum.set_mark(candidate["mass"])
        self.panel.select_row(row)

    def set_window(self, window: tuple[float, float] | None) -> None:
        """Restrict the list (and so the stepping) to masses inside ``window``."""
        self.panel.set_window(window)
        self.panel.select_row(self.current)


def _action(window: Any, text: str, slot: Any, keys: tuple[str, ...] = ()) -> QAction:
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    shown = ", ".join(QKeySequence(k).toString() for k in keys)
    action.setToolTip(f"{text} ({shown})" if shown else text)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def _dock(window: Any, title: str, name: str, widget: Any, area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    window.addDockWidget(area, dock)
    view_menu = getattr(window, "view_menu", None)
    if view_menu is not None:
        view_menu.addAction(dock.toggleViewAction())
    return dock


def _menu(window: Any, ctl: CandidatesController) -> dict[str, QAction]:
    actions = {
        "next": _action(window, "Next candidate", lambda: ctl.step(1), ("N", "Ctrl+Right")),
        "prev": _action(window, "Previous candidate", lambda: ctl.step(-1), ("P", "Ctrl+Left")),
        "clear": _action(window, "Clear mass window", lambda: ctl.spectrum.select_window(None)),
        "rescan": _action(window, "Scan again", ctl.rescan),
        "export": _action(window, "Export spectrum plot…", lambda: ctl.spectrum.export()),
    }
    watch = ctl.spectrum.watch_check
    actions["watch"] = _action(window, "Watch the bump build up", lambda: None, ("B",))
    actions["watch"].setCheckable(True)
    actions["watch"].toggled.connect(watch.setChecked)
    watch.toggled.connect(actions["watch"].setChecked)
    menu = window.menuBar().addMenu("&Candidates")
    for key in ("next", "prev", "watch", "clear", "rescan", "export"):
        menu.addAction(actions[key])
    return actions


def attach_candidates(window: Any) -> CandidatesController:
    """Add the "Candidates" and "Mass spectrum" docks, their menu and keys to ``window``.

    The candidate list docks on the right (a tab beside "Events"), the spectrum
    below the event display. A window state saved with the docks is restored.

    Returns
    -------
    CandidatesController
        Also stored as ``window.candidates``.
    """
    panel, spectrum = CandidatesPanel(window), SpectrumPanel(window)
    ctl = CandidatesController(window, panel, spectrum)
    window.candidates_dock = _dock(window, "Candidates", "candidatesDock", panel,
                                   Qt.DockWidgetArea.RightDockWidgetArea)
    events_dock = getattr(window, "events_dock", None)
    if events_dock is not None:
        window.tabifyDockWidget(events_dock, window.candidates_dock)
        window.candidates_dock.raise_()
    window.spectrum_dock = _dock(window, "Mass spectrum", "spectrumDock", spectrum,
                                 Qt.DockWidgetArea.BottomDockWidgetArea)
    ctl.actions = _menu(window, ctl)
    _restore_docks(window)
    window.candidates = ctl
    return ctl


def _restore_docks(window: Any) -> None:
    prefs = getattr(window, "prefs", None)
    state = prefs.window_state()[1] if prefs is not None else None
    if state is not None:
        window.restoreState(state)
