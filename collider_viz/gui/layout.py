"""Where the parts of the main window go: docks, navigation bar, status bar.

The canvas is the central widget; the display controls dock on the left,
the properties and the event table on the right, the navigation bar runs
along the bottom and the status bar shows the file and a busy indicator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QDockWidget, QLabel, QProgressBar, QToolBar, QWidget

if TYPE_CHECKING:
    from collider_viz.gui.window import MainWindow

LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


def dock(window: MainWindow, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    """Put ``widget`` in a dock called ``title`` with a View-menu toggle."""
    result = QDockWidget(title, window)
    result.setObjectName(f"{title.lower()}Dock")
    result.setWidget(widget)
    window.addDockWidget(area, result)
    window.view_menu.addAction(result.toggleViewAction())
    return result


def arrange(window: MainWindow) -> None:
    """Place the canvas, docks, navigation bar and status bar of ``window``."""
    native = window.canvas.native
    native.setMinimumSize(320, 240)
    native.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    window.setCentralWidget(native)
    window.collections_dock = dock(window, "Display", window.collections, LEFT)
    window.properties_dock = dock(window, "Properties", window.properties, RIGHT)
    window.events_dock = dock(window, "Events", window.event_table, RIGHT)
    window.splitDockWidget(window.properties_dock, window.events_dock, Qt.Orientation.Vertical)
    window.resizeDocks([window.collections_dock, window.properties_dock], [270, 400],
                       Qt.Orientation.Horizontal)
    bar = QToolBar("Navigation", window)
    bar.setObjectName("navigationToolBar")
    bar.setMovable(False)
    bar.addWidget(window.nav)
    window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, bar)
    status_bar(window)


def status_bar(window: MainWindow) -> None:
    """Add the file label and the busy indicator to the status bar."""
    window.busy_bar = QProgressBar(window)
    window.busy_bar.setObjectName("busyBar")
    window.busy_bar.setRange(0, 0)  # busy: an animated bar without a percentage
    window.busy_bar.setMaximumWidth(160)
    window.busy_bar.setMaximumHeight(14)
    window.busy_bar.setVisible(False)
    window.file_label = QLabel("", window)
    window.statusBar().addPermanentWidget(window.file_label)
    window.statusBar().addPermanentWidget(window.busy_bar)
