"""Presentation mode: advance to the next event every few seconds (Space pauses)."""

from __future__ import annotations

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

DEFAULT_SECONDS = 5.0


class Autoplay(QObject):
    """A timer that asks for the next event.

    Signals
    -------
    tick()
        Time to show the next event.
    """

    tick = pyqtSignal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seconds = DEFAULT_SECONDS
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)

    @property
    def active(self) -> bool:
        """True while events advance automatically."""
        return self.timer.isActive()

    def start(self, seconds: float | None = None) -> None:
        """Advance every ``seconds`` (the last interval when omitted; at least 0.1 s)."""
        if seconds is not None:
            self.seconds = max(float(seconds), 0.1)
        self.timer.start(int(self.seconds * 1000))

    def stop(self) -> None:
        """Stop advancing."""
        self.timer.stop()

    def toggle(self) -> bool:
        """Pause or resume; returns whether it now plays."""
        if self.active:
            self.stop()
        else:
            self.start()
        return self.active
