"""Presentation mode: full screen, side docks hidden, larger text, autoplay.

Wiring (main window)::

    self.presentation = PresentationController(self)
    view_menu.addAction("Presentation mode", self.presentation.toggle)   # F5
    # `collider-viz FILE --play 5`:
    self.presentation.start(seconds=5)

What the controller uses of the window (all public):

* ``QMainWindow`` itself: ``showFullScreen``, ``showNormal``, ``isFullScreen``,
  ``findChildren(QDockWidget)``, ``findChildren(QToolBar)``, ``menuBar()``,
  ``statusBar()``;
* ``window.step(delta)`` — show the entry ``delta`` away (next/previous);
* ``window.first()`` — wrap to the first entry after the last;
* ``window.event`` (``meta.entry``) and ``window.loader.source`` (its ``len``)
  to know when the end is reached;
* optionally ``window.canvas.overlay.text`` (the vispy ``Text`` of the
  overlay) whose ``font_size`` is enlarged while presenting.

``advance`` and ``back`` callables may replace the default "next entry,
wrapping" and "previous entry" (the main window steps through the candidates
of a scan with them, see :func:`collider_viz.gui.lecture_wiring.present_step`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QObject, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QKeySequence, QShortcut
from PyQt6.QtWidgets import QApplication, QDockWidget, QToolBar

FONT_SCALE = 1.6
#: Distance of the overlay text from the screen edge while presenting (pixels).
MARGIN_PX = 40


class PresentationController(QObject):
    """Full-screen lecture mode with an autoplay slideshow.

    Parameters
    ----------
    window : MainWindow
        The main window (see the module docstring for what it must offer).
    advance : callable, optional
        Called to show the next slide; default: next entry, wrapping to the first.
    back : callable, optional
        Called to show the previous slide; default: the previous entry.

    Signals
    -------
    activeChanged(bool)
        Presentation mode entered (True) or left (False).
    pausedChanged(bool)
        Autoplay paused (True) or running (False).
    """

    activeChanged = pyqtSignal(bool)  # noqa: N815 (Qt naming)
    pausedChanged = pyqtSignal(bool)  # noqa: N815

    def __init__(self, window: Any, advance: Callable[[], None] | None = None,
                 back: Callable[[], None] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.advance = advance or self.next_entry
        self.back = back or (lambda: self.window.step(-1))
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.active = False
        self._hidden: list[Any] = []
        self._font: Any = None
        self._overlay_size: float | None = None
        self._shortcuts = [self._shortcut(key, slot) for key, slot in (
            (Qt.Key.Key_Space, self.toggle_pause), (Qt.Key.Key_Escape, self.stop),
            (Qt.Key.Key_Right, self.next_slide), (Qt.Key.Key_Left, self.previous_slide))]

    def _shortcut(self, key: Qt.Key, slot: Callable[[], None]) -> QShortcut:
        shortcut = QShortcut(QKeySequence(key), self.window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(slot)
        shortcut.setEnabled(False)
        return shortcut

    # -- entering and leaving ---------------------------------------------
    def start(self, seconds: float | None = None) -> None:
        """Enter presentation mode; with ``seconds`` also start the slideshow."""
        if not self.active:
            self.active = True
            self._hide_chrome()
            self._enlarge_text()
            for shortcut in self._shortcuts:
                shortcut.setEnabled(True)
            self.window.showFullScreen()
            self.activeChanged.emit(True)
        if seconds:
            self.timer.start(max(int(seconds * 1000), 200))
            self.pausedChanged.emit(False)

    def stop(self) -> None:
        """Leave presentation mode and restore the window as it was."""
        if not self.active:
            return
        self.timer.stop()
        self.active = False
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self._restore_text()
        self.window.showNormal()
        self.activeChanged.emit(False)

    def toggle(self) -> None:
        """Enter or leave presentation mode."""
        if self.active:
            self.stop()
        else:
            self.start()

    def _hide_chrome(self) -> None:
        widgets = self.window.findChildren(QDockWidget) + self.window.findChildren(QToolBar)
        widgets += [self.window.menuBar(), self.window.statusBar()]
        self._hidden = [w for w in widgets if w is not None and w.isVisible()]
        for widget in self._hidden:
            widget.hide()

    def _enlarge_text(self) -> None:
        app = QApplication.instance()
        self._font = app.font()
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * FONT_SCALE)
        app.setFont(font)
        canvas = getattr(self.window, "canvas", None)
        overlay = getattr(canvas, "overlay", None)
        if hasattr(overlay, "set_scale"):  # larger text, spacing and margin, on its panel
            self._overlay_size = float(overlay.scale)
            overlay.set_scale(FONT_SCALE, margin_px=MARGIN_PX)
            notices = getattr(canvas, "notices", None)
            if hasattr(notices, "set_scale"):
                notices.set_scale(FONT_SCALE, margin_px=MARGIN_PX / 2)
            return
        text = getattr(overlay, "text", None)
        if text is not None:
            self._overlay_size = float(text.font_size)
            text.font_size = self._overlay_size * FONT_SCALE

    def _restore_text(self) -> None:
        if self._font is not None:
            QApplication.instance().setFont(self._font)
            self._font = None
        overlay = getattr(getattr(self.window, "canvas", None), "overlay", None)
        text = getattr(overlay, "text", None)
        if hasattr(overlay, "set_scale") and self._overlay_size is not None:
            overlay.set_scale(self._overlay_size)
            notices = getattr(getattr(self.window, "canvas", None), "notices", None)
            if hasattr(notices, "set_scale"):
                notices.set_scale(1.0)
        elif text is not None and self._overlay_size is not None:
            text.font_size = self._overlay_size
        self._overlay_size = None

    # -- slideshow ----------------------------------------------------------
    @property
    def paused(self) -> bool:
        """True while the slideshow timer is stopped."""
        return not self.timer.isActive()

    def toggle_pause(self) -> None:
        """Pause or resume the slideshow (Space)."""
        if self.timer.isActive():
            self.timer.stop()
            self.pausedChanged.emit(True)
        elif self.timer.interval() > 0:
            self.timer.start()
            self.pausedChanged.emit(False)

    def _tick(self) -> None:
        self.advance()

    def next_slide(self) -> None:
        """Show the next slide now (Right arrow); the timer restarts."""
        self.advance()
        if self.timer.isActive():
            self.timer.start()

    def previous_slide(self) -> None:
        """Show the previous slide now (Left arrow); the timer restarts."""
        self.back()
        if self.timer.isActive():
            self.timer.start()

    def next_entry(self) -> None:
        """Default advance: next entry, back to the first after the last."""
        source = getattr(getattr(self.window, "loader", None), "source", None)
        event = getattr(self.window, "event", None)
        if source is not None and event is not None and event.meta.entry >= len(source) - 1:
            self.window.first()
        else:
            self.window.step(1)
