"""Lecture widgets: export dialog options and the presentation controller (pytest-qt)."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("pytestqt")
pytestmark = pytest.mark.gui
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM") == "offscreen"):
    pytest.skip("no display for Qt widgets (run under Xvfb)", allow_module_level=True)


def test_lecture_export_dialog_options(qtbot):
    from collider_viz.gui.lecture.export_dialog import ExportImageDialog

    dialog = ExportImageDialog(view="rphi", theme="light", path="/tmp/x.png")
    qtbot.addWidget(dialog)
    dialog.size_box.setCurrentText("4K 3840×2160")
    dialog.transparent.setChecked(True)
    opts = dialog.options()
    assert opts.size == (3840, 2160) and opts.view == "rphi" and opts.theme == "light"
    assert opts.transparent and opts.annotate and dialog.path() == "/tmp/x.png"
    with qtbot.waitSignal(dialog.exportRequested) as blocker:
        dialog.accept()
    assert blocker.args[0] == "/tmp/x.png"


class _Meta:
    def __init__(self, entry):
        self.entry = entry


class _Event:
    def __init__(self, entry):
        self.meta = _Meta(entry)


def _window(qtbot):
    from PyQt6.QtCore import Qt
    from PyQt6.QtWidgets import QDockWidget, QLabel, QMainWindow

    class Window(QMainWindow):
        def __init__(self):
            super().__init__()
            self.setCentralWidget(QLabel("canvas"))
            self.dock = QDockWidget("Collections", self)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
            self.loader = type("L", (), {"source": [0, 1, 2]})()
            self.event = _Event(0)

        def step(self, delta):
            self.event = _Event(self.event.meta.entry + delta)

        def first(self):
            self.event = _Event(0)

    window = Window()
    qtbot.addWidget(window)
    window.show()
    return window


def test_lecture_presentation_hides_docks_and_autoplays(qtbot):
    from collider_viz.gui.lecture.presentation import PresentationController

    window = _window(qtbot)
    ctl = PresentationController(window)
    ctl.start(seconds=0.2)
    assert ctl.active and window.dock.isHidden() and not ctl.paused
    qtbot.waitUntil(lambda: window.event.meta.entry == 2, timeout=3000)
    qtbot.waitUntil(lambda: window.event.meta.entry == 0, timeout=3000)  # wraps
    ctl.toggle_pause()
    assert ctl.paused
    ctl.stop()
    assert not ctl.active and window.dock.isVisible()
