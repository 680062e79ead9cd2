"""Menus, toolbar and keyboard shortcuts of the main window.

:func:`build_actions` creates every :class:`QAction` once; the menus and the
toolbar share them, so a key, a menu entry and a button always do the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QAction, QActionGroup, QKeySequence
from PyQt6.QtWidgets import QMenu, QToolBar

if TYPE_CHECKING:
    from collider_viz.gui.window import MainWindow

VIEWS = (("3d", "3D", "1"), ("rphi", "ρ-φ", "2"), ("rz", "ρ-z", "3"), ("lego", "η-φ lego", "4"))


@dataclass
class Actions:
    """The window's actions, by purpose."""

    open: QAction
    open_url: QAction
    quit: QAction
    views: dict[str, QAction]
    reset: QAction
    fullscreen: QAction
    theme: QAction
    themes: dict[str, QAction]
    nav: dict[str, QAction]
    play: QAction
    recent_menu: QMenu
    docks: list[QAction] = field(default_factory=list)


def window_action(window: Any, text: str, slot: Callable[..., object],
                  keys: tuple[str | QKeySequence.StandardKey, ...] = (), tip: str = "") -> QAction:
    """A window-wide action calling ``slot()``, with its shortcuts shown in the tool tip."""
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip or keys:
        shown = ", ".join(QKeySequence(k).toString() for k in keys)
        action.setToolTip(f"{tip or text} ({shown})" if shown else tip or text)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def _views(window: MainWindow) -> dict[str, QAction]:
    group = QActionGroup(window)
    views = {}
    for key, text, shortcut in VIEWS:
        action = window_action(window, text, lambda k=key: window.set_view(k), (shortcut,),
                         f"{text} view")
        action.setCheckable(True)
        group.addAction(action)
        views[key] = action
    views["3d"].setChecked(True)
    return views


def _themes(window: MainWindow) -> dict[str, QAction]:
    group = QActionGroup(window)
    themes = {}
    for key, text in (("dark", "Dark background"), ("light", "Light background (print)")):
        action = window_action(window, text, lambda k=key: window.set_theme(k))
        action.setCheckable(True)
        group.addAction(action)
        themes[key] = action
    return themes


def _navigation(window: MainWindow) -> dict[str, QAction]:
    return {
        "next": window_action(window, "Next event", lambda: window.step(1), ("Right", "PgDown")),
        "prev": window_action(window, "Previous event", lambda: window.step(-1), ("Left", "PgUp")),
        "first": window_action(window, "First event", window.first, ("Home",)),
        "last": window_action(window, "Last event", window.last, ("End",)),
        "goto": window_action(window, "Go to…", window.focus_goto, ("Ctrl+G",)),
    }


def build_actions(window: MainWindow) -> Actions:
    """Create the actions, the menu bar and the toolbar of ``window``."""
    actions = Actions(
        open=window_action(window, "&Open…", window.open_dialog, (QKeySequence.StandardKey.Open,)),
        open_url=window_action(window, "Open &URL…", window.open_url_dialog, ("Ctrl+U",),
                         "Open an event file from an http(s):// or root:// URL"),
        quit=window_action(window, "&Quit", window.close, (QKeySequence.StandardKey.Quit,)),
        views=_views(window),
        reset=window_action(window, "Reset camera", window.reset_camera, ("R",)),
        fullscreen=window_action(window, "Full screen", window.toggle_fullscreen, ("F11",),
                           "Full screen for presenting (F11; Esc leaves)"),
        theme=window_action(window, "Toggle theme", window.toggle_theme, ("T",),
                      "Switch dark/light background"),
        themes=_themes(window),
        nav=_navigation(window),
        play=window_action(window, "Play / pause", window.toggle_play, ("Space",),
                     "Advance automatically"),
        recent_menu=QMenu("Open &Recent", window),
    )
    _menus(window, actions)
    _toolbar(window, actions)
    return actions


def _menus(window: MainWindow, a: Actions) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    window.file_menu = file_menu
    file_menu.addAction(a.open)
    file_menu.addAction(a.open_url)
    file_menu.addMenu(a.recent_menu)
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    view_menu = bar.addMenu("&View")
    for action in a.views.values():
        view_menu.addAction(action)
    view_menu.addAction(a.reset)
    view_menu.addAction(a.fullscreen)
    view_menu.addSeparator()
    view_menu.addAction(a.theme)
    for action in a.themes.values():
        view_menu.addAction(action)
    window.view_menu = view_menu
    view_menu.addSeparator()
    nav_menu = bar.addMenu("&Event")
    for action in (*a.nav.values(), a.play):
        nav_menu.addAction(action)


def _toolbar(window: MainWindow, a: Actions) -> None:
    bar = QToolBar("Main", window)
    bar.setObjectName("mainToolBar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    bar.addAction(a.open)
    bar.addSeparator()
    for action in a.views.values():
        bar.addAction(action)
    bar.addAction(a.reset)
    bar.addSeparator()
    bar.addAction(a.theme)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    window.toolbar = bar
