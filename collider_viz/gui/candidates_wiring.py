"""Candidates and mass spectrum: the two docks, their menu and keys in the window.

``attach_candidates(window)`` adds the "Candidates" and "Mass spectrum" docks,
a "Candidates" menu and the keys N / P (also Ctrl+→ / Ctrl+←) to a
:class:`~collider_viz.gui.window.MainWindow`, with a
:class:`~collider_viz.gui.candidates_controller.CandidatesController` that
scans every file opened and steps through its candidates. Of the window it
uses ``menuBar``, ``view_menu``, ``events_dock``, ``prefs`` and what the
controller uses.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import QDockWidget

from collider_viz.gui.candidates import CandidatesPanel
from collider_viz.gui.candidates_controller import CandidatesController
from collider_viz.gui.spectrum import SpectrumPanel

__all__ = ["CandidatesController", "attach_candidates"]


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
