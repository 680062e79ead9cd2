"""The main window: wires the canvas, the controls and the loader together.

The window holds no physics and draws nothing itself: the
:class:`~collider_viz.scene.EventCanvas` draws, the docks
(:mod:`collections_panel`, :mod:`properties`, :mod:`event_table`) and the
:mod:`navigation` bar emit requests, :class:`~collider_viz.gui.loader.Loader`
reads files in worker threads and :mod:`file_actions` turns paths, URLs and
drops into loader jobs. Navigation, picking, view, theme and slideshow
methods come from :mod:`window_mixins`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QByteArray, pyqtSignal
from PyQt6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PyQt6.QtWidgets import QMainWindow, QMessageBox

from collider_viz.gui.autoplay import Autoplay
from collider_viz.gui.candidates_wiring import attach_candidates
from collider_viz.gui.collections_panel import CollectionPanel
from collider_viz.gui.errors import guarded, show_error
from collider_viz.gui.event_table import EventTable
from collider_viz.gui.event_text import id_label
from collider_viz.gui.file_actions import FILE_FILTER, FileActions, display_name
from collider_viz.gui.flow_dock import attach_flow
from collider_viz.gui.layout import arrange
from collider_viz.gui.lecture_wiring import attach_lecture
from collider_viz.gui.loader import Loader, Opened, Opener
from collider_viz.gui.logging_setup import log_warning
from collider_viz.gui.masterclass_dock import attach_masterclass
from collider_viz.gui.menus import build_actions
from collider_viz.gui.navigation import NavigationBar
from collider_viz.gui.not_read_panel import status_line
from collider_viz.gui.picking import CanvasPicker
from collider_viz.gui.properties import PropertiesPanel
from collider_viz.gui.recent import RecentFiles
from collider_viz.gui.settings import Preferences
from collider_viz.gui.window_mixins import NavigationMixin, ViewMixin
from collider_viz.gui.wiring import CanvasControl
from collider_viz.physics.event import Event
from collider_viz.scene.summary import SourceStats, estimator_ids, is_heavy_ion
from collider_viz.scene.views import default_view

__all__ = ["FILE_FILTER", "MainWindow"]
ERROR_TITLES = {"open": "Cannot open file", "open_url": "Cannot open URL",
                "read": "Cannot read event"}


class MainWindow(NavigationMixin, ViewMixin, QMainWindow):
    """The event display window.

    Parameters
    ----------
    prefs : Preferences, optional
        Stored preferences; the user's settings when omitted.
    opener : callable, optional
        ``(path, mapping) -> EventSource``; :func:`collider_viz.open_events` by default.
    canvas_factory : callable, optional
        Returns the canvas; ``EventCanvas()`` by default.

    Signals
    -------
    event_shown(Event)
        An event is on screen.
    theme_changed(str)
        Theme ``"dark"`` or ``"light"`` applied (the spectrum dock follows it).
    """

    event_shown = pyqtSignal(object)
    theme_changed = pyqtSignal(str)

    def __init__(self, prefs: Preferences | None = None, opener: Opener | None = None,
                 canvas_factory: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self.setObjectName("colliderVizMainWindow")
        self.setWindowTitle("collider_viz")
        self.setAcceptDrops(True)
        self.prefs = prefs if prefs is not None else Preferences()
        self.loader = Loader(opener, self)
        self.canvas = canvas_factory() if canvas_factory else _default_canvas()
        self.control = CanvasControl(self.canvas)
        self.event: Event | None = None
        self.path: str | None = None
        self.mapping: str | None = None
        self.candidate: str | None = None
        self.source_stats: SourceStats | None = None
        self.last_error: QMessageBox | None = None
        self._target = 0
        self.autoplay = Autoplay(self)
        self._build()
        self._connect()
        self.set_theme(self.prefs.theme)
        self._restore()
        self._watch_settings()

    # -- construction ----------------------------------------------------
    def _build(self) -> None:
        self.picker = CanvasPicker(self.canvas.native, self.canvas.pick, self.describe_object)
        self.nav = NavigationBar(self)
        self.collections = CollectionPanel(self.prefs, self)
        self.properties = PropertiesPanel(self)
        self.event_table = EventTable(self)
        self.actions_ = build_actions(self)
        arrange(self)
        self.files = FileActions(self)
        self.recent = RecentFiles(self.actions_.recent_menu, self.prefs, self)
        self.lecture = attach_lecture(self)
        self.candidates = attach_candidates(self)
        self.flow = attach_flow(self)
        self.masterclass = attach_masterclass(self)

    def _connect(self) -> None:
        self.loader.opened.connect(self._on_opened)
        self.loader.event_ready.connect(self._on_event)
        self.loader.failed.connect(self._on_failed)
        self.loader.busy_changed.connect(self._on_busy)
        self.loader.counts_ready.connect(self._on_counts)
        self.nav.entry_requested.connect(self.show_entry)
        self.nav.step_requested.connect(self.step)
        self.nav.goto_requested.connect(self.goto)
        self.event_table.entry_selected.connect(self.show_entry)
        self.collections.visibility_changed.connect(self.control.set_visible)
        self.collections.threshold_changed.connect(self.control.set_threshold)
        self.collections.visibility_changed.connect(self.refresh_overlay)  # cuts always said
        self.collections.threshold_changed.connect(self.refresh_overlay)
        self.collections.color_by_changed.connect(self.control.set_color_by)
        self.collections.line_width_changed.connect(self.control.set_line_width)
        self.collections.layer_changed.connect(self.control.set_layer_visible)
        self.picker.picked.connect(self.select_object)
        self.picker.missed.connect(self.clear_selection)
        self.properties.object_selected.connect(self.select_object)
        self.recent.open_requested.connect(self.open_file)
        self.autoplay.tick.connect(self._advance)

    def _restore(self) -> None:
        geometry, state = self.prefs.window_state()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1500, 920)
        if state is not None:
            self.restoreState(state)

    def _watch_settings(self) -> None:
        """Show problems with the stored settings now and whenever they are found."""
        self.prefs.on_warning = lambda message: self.statusBar().showMessage(message, 20000)
        if self.prefs.warnings:
            self.statusBar().showMessage(" · ".join(self.prefs.warnings), 20000)

    # -- files -----------------------------------------------------------
    @guarded
    def open_file(self, path: str, entry: int = 0, mapping: str | None = None) -> None:
        """Open a path or URL in the background and show ``entry``; errors go to a dialog."""
        self.files.open(path, entry, mapping)

    @guarded
    def open_dialog(self) -> None:
        """Ask for a file (starting in the last directory) and open it."""
        self.files.open_dialog()

    @guarded
    def open_url_dialog(self) -> None:
        """File → Open URL: ask for an http(s):// or root:// URL and open it."""
        self.files.open_url_dialog()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.files.dropped_path(event.mimeData()) is not None:
            event.acceptProposedAction()

    @guarded
    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        path = self.files.dropped_path(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.files.drop(path)  # a layout .toml re-opens the open file with it

    # -- loader results --------------------------------------------------
    @guarded
    def _on_opened(self, result: Opened) -> None:
        self.source_stats = None
        source = result.source
        self.path, self.mapping = result.path, result.mapping
        self.recent.add(self.path)
        self.nav.set_count(len(source))
        self.event_table.event_model.set_source(len(source), result.ids)
        names = list(dict.fromkeys([*result.event.collections, *source.available]))
        self.collections.new_file()  # per-file cuts and colours start clean unless pinned
        self.collections.set_collections(names)
        subsystems = [] if result.detector is None else list(
            dict.fromkeys(v.subsystem for v in result.detector.volumes))
        self.collections.set_layers(subsystems)
        self.collections.not_read.set_items(source.info.not_read)
        view = default_view(result.detector)  # a forward detector (LHCb) opens side-on
        switch = view != default_view(getattr(self, "detector", None))
        self.detector = result.detector
        self.setWindowTitle(display_name(self.path))  # Qt adds " — collider_viz" itself
        self.file_label.setText(f"{source.format} · {len(source):,} events · {source.info.detector}")
        self._display(result.event, new_file=True)
        if switch:
            self.set_view(view)
        if line := status_line(source.info.not_read):
            self.statusBar().showMessage(line, 20000)
        self.loader.count(self.path, self.mapping)

    @guarded
    def _on_event(self, event: Event) -> None:
        self._display(event)

    def _on_failed(self, what: str, message: str) -> None:
        self.statusBar().showMessage("")
        title = ERROR_TITLES.get(what)
        if title is None:  # counting is a convenience: say so quietly
            self.statusBar().showMessage(f"Event table counts unavailable: {message}", 8000)
            return
        if self.event is not None and what != "open_url":
            self._target = self.event.meta.entry
        log_warning(f"{title}: {message}")
        self.report_error(title, message)

    def _on_counts(self, counts: dict) -> None:
        """Object counts of every entry: the event table, and for heavy ions centrality."""
        model = self.event_table.event_model
        model.set_counts(counts)
        self.source_stats = None
        source = self.loader.source
        if source is not None and is_heavy_ion(source.info) and "tracks" in counts:
            self.source_stats = SourceStats.from_counts(counts, estimator_ids(source))
            model.set_centrality(self.source_stats.class_labels(), self.source_stats.sort_keys())
        self.refresh_overlay()

    def _on_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)

    def _display(self, event: Event, new_file: bool = False) -> None:
        self.event = event
        self._target = event.meta.entry
        self.control.show_event(event, self.detector, self.collections.state() if new_file else None)
        self.refresh_overlay()
        self.nav.set_entry(event.meta.entry, id_label(event))
        self.event_table.show_entry(event.meta.entry)
        self.properties.clear()
        self.statusBar().clearMessage()
        self.event_shown.emit(event)

    # -- errors and closing ----------------------------------------------
    def report_error(self, title: str, message: str) -> None:
        """Show ``message`` in a dialog; the display stays as it was."""
        self.statusBar().showMessage(message, 10000)
        self.last_error = show_error(self, title, message)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.autoplay.stop()
        self.prefs.save_window_state(QByteArray(self.saveGeometry()), QByteArray(self.saveState()))
        self.prefs.sync()
        self.loader.close()
        self.loader.wait(3000)
        super().closeEvent(event)


def _default_canvas() -> Any:
    from collider_viz.scene import EventCanvas

    return EventCanvas()
