"""Mouse picking on the canvas: clicks select objects, hovering shows a tooltip.

:class:`CanvasPicker` filters the Qt events of ``EventCanvas.native``. A
press and release at (nearly) the same place is a click, not a camera drag,
and calls ``EventCanvas.pick``. Hovering is throttled: the canvas is asked
at most once per :attr:`CanvasPicker.hover_ms` milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer, pyqtSignal
from PyQt6.QtWidgets import QToolTip, QWidget

#: Largest mouse movement (pixels) between press and release still counted as a click.
CLICK_SLOP = 4


class CanvasPicker(QObject):
    """Turn clicks and hovering on ``widget`` into picks.

    Parameters
    ----------
    widget : QWidget
        The canvas' native widget.
    pick : callable
        ``(x, y) -> (name, index) | None`` in widget pixels.
    describe : callable
        ``(name, index) -> str`` for the hover tooltip.

    Signals
    -------
    picked(str, int)
        An object was clicked.
    missed()
        A click hit nothing.
    """

    picked = pyqtSignal(str, int)
    missed = pyqtSignal()
    hover_ms = 120

    def __init__(self, widget: QWidget, pick: Callable[[float, float], Any],
                 describe: Callable[[str, int], str]) -> None:
        super().__init__(widget)
        self.widget, self.pick, self.describe = widget, pick, describe
        self._press: QPointF | None = None
        #: whether Shift was held at the last click (masterclass selection adds objects)
        self.shift = False
        self._hover_pos: QPointF | None = None
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(self.hover_ms)
        self._hover_timer.timeout.connect(self._hover)
        widget.setMouseTracking(True)
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            self._press = event.position()
        elif kind == QEvent.Type.MouseButtonRelease and self._press is not None:
            start, self._press = self._press, None
            self.shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            pos = event.position()
            if (pos - start).manhattanLength() <= CLICK_SLOP:
                self._click(pos)
        elif kind == QEvent.Type.MouseMove and not event.buttons():
            self._hover_pos = event.position()
            if not self._hover_timer.isActive():
                self._hover_timer.start()
        elif kind == QEvent.Type.Leave:
            self._hover_timer.stop()
            QToolTip.hideText()
        return False

    def _click(self, pos: QPointF) -> None:
        try:
            hit = self.pick(pos.x(), pos.y())
        except Exception as exc:  # a failed pick must not break the canvas
            print(f"collider-viz: pick failed: {exc!r}")
            return
        if hit is None:
            self.missed.emit()
        else:
            self.picked.emit(str(hit[0]), int(hit[1]))

    def _hover(self) -> None:
        pos = self._hover_pos
        if pos is None:
            return
        try:
            hit = self.pick(pos.x(), pos.y())
        except Exception:  # hovering is best effort
            hit = None
        if hit is None:
            QToolTip.hideText()
            return
        text = self.describe(str(hit[0]), int(hit[1]))
        QToolTip.showText(self.widget.mapToGlobal(QPoint(int(pos.x()), int(pos.y()))), text,
                          self.widget)
