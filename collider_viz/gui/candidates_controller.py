"""The controller of the "Candidates" and "Mass spectrum" docks.

:class:`CandidatesController` runs a
:class:`~collider_viz.gui.scan_worker.ScanWorker` over every file opened in
the window, so the spectrum fills up while the window stays responsive (a new
file, preset or filter cancels the running scan), and steps the window's
display through the candidates. It uses only the window's public side:
``event_shown``, ``theme_changed``, ``show_entry``, ``set_candidate``,
``canvas.highlight``, ``loader`` (its opener and current source),
``path``/``mapping``, ``statusBar`` and ``report_error``.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QEvent, QObject, pyqtSignal

from collider_viz.errors import ColliderVizError
from collider_viz.gui.candidates import CandidatesPanel
from collider_viz.gui.scan_worker import ScanWorker, choose_preset, mass_text
from collider_viz.gui.spectrum import SpectrumPanel
from collider_viz.physics.scan import ScanPlan, ScanResult

NO_PRESET = ("No candidates: this file has no photons, electrons or muons to pair. "
             "Choose \"filter only\" and type a filter to list events.")
FILTER_HINT = "Filter only: type a filter such as nPhoton >= 2 and press Enter."
NO_MASS = "no mass: filter only\n(choose a preset for a mass spectrum)"

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
        theme_changed = getattr(window, "theme_changed", None)
        if theme_changed is not None:
            theme_changed.connect(spectrum.set_theme)
        window.installEventFilter(self)

    # -- scanning ------------------------------------------------------------
    def on_event_shown(self, event: Any) -> None:
        """Scan a newly opened file; otherwise show the mass when the event is a candidate."""
        opened = (self.window.path, self.window.mapping)
        if opened != self.scanned:
            self.scanned = opened
            source = self.window.loader.source
            self.spectrum.set_experiment(source.info.detector)
            preset = choose_preset(opened[0], source.info, source.available)
            self.panel.set_preset(preset)
            self.rescan()
            if preset is None:  # nothing to pair: say so quietly, a filter still works
                self.panel.set_status(NO_PRESET)
                self.spectrum.set_note("no candidates")
            return
        self._sync(int(event.meta.entry))

    def rescan(self) -> None:
        """Scan the current file with the panel's preset and filter (cancels a running scan)."""
        self.cancel()
        self._clear()
        plan = self._plan()
        if plan is not None:
            self._start(plan)

    def _plan(self) -> ScanPlan | None:
        """The plan of the panel's choices, or None (with the reason shown) when none runs."""
        if self.scanned is None or self.window.loader.source is None or \
                not self.panel.check_filter():
            return None
        preset, text = self.panel.preset, self.panel.filter_text()
        self.spectrum.set_note(None if preset else NO_MASS)
        if preset is None and text is None:
            self.panel.set_status(FILTER_HINT)
            return None
        try:
            return ScanPlan(preset, text)
        except ColliderVizError as exc:
            self.panel.show_error(str(exc))
            return None

    def _start(self, plan: ScanPlan) -> None:
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

    @property
    def scanning(self) -> bool:
        """True while a scan of the open file runs in the background."""
        return bool(self._running)

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
    def has_candidates(self) -> bool:
        """True when the list holds candidates to step through (a scan result, even partial)."""
        return self.result is not None and self.panel.visible_count() > 0

    def step(self, delta: int, wrap: bool = False) -> None:
        """Show the next (+1) or previous (-1) candidate of the list, in its order.

        With ``wrap`` the first follows the last (and the last the first);
        otherwise the status bar says that the end is reached.
        """
        count = self.panel.visible_count()
        if count == 0:
            self.window.statusBar().showMessage("No candidates to step through", 3000)
            return
        base = self._pending if self._pending is not None else self.current  # keys held down
        position = self.panel.position_of(base)
        target = position + delta if position >= 0 else self._nearest_position(delta, count)
        if wrap:
            target %= count
        if not 0 <= target < count:
            which = "last" if delta > 0 else "first"
            self.window.statusBar().showMessage(f"This is the {which} candidate", 3000)
            return
        self.show_candidate(self.panel.row_at(target))

    def _nearest_position(self, delta: int, count: int) -> int:
        """List position of the first candidate after (``delta > 0``) or before the shown entry.

        Used when the shown event is not a candidate: N goes on from where the
        lecturer is, not back to the top of the list. Past the end gives
        ``count`` (or -1), so the caller reports the end or wraps.
        """
        shown = self.window.event
        if shown is None or self.result is None:
            return 0 if delta > 0 else count - 1
        here = int(shown.meta.entry)
        entries = [int(self.result.entry[self.panel.row_at(i)]) for i in range(count)]
        if delta > 0:
            return next((i for i, e in enumerate(entries) if e > here), count)
        return next((i for i in range(count - 1, -1, -1) if entries[i] < here), -1)

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
