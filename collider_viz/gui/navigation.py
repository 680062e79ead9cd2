"""Event navigation bar: first/previous/next/last, a slider and "go to".

The bar only emits requests; the window decides what is read. "Go to"
accepts an entry number (``42``) or a run and event number (``195397:1234``).
"""

from __future__ import annotations

import re

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSlider, QToolButton, QWidget

_RUN_EVENT = re.compile(r"^\s*(\d+)\s*:\s*(\d+)\s*$")
_ENTRY = re.compile(r"^\s*#?\s*(\d+)\s*$")


def parse_goto(text: str) -> tuple[str, tuple[int, ...]]:
    """Parse the "go to" text.

    Returns
    -------
    tuple
        ``("entry", (n,))`` or ``("run_event", (run, event))``.

    Raises
    ------
    ValueError
        When the text is neither form.
    """
    match = _RUN_EVENT.match(text)
    if match:
        return "run_event", (int(match.group(1)), int(match.group(2)))
    match = _ENTRY.match(text)
    if match:
        return "entry", (int(match.group(1)),)
    raise ValueError(f"cannot go to {text.strip()!r}: type an entry number or run:event")


class NavigationBar(QWidget):
    """Buttons, slider and "go to" field over the entries of a file.

    Signals
    -------
    entry_requested(int)
        The user asked for an entry (slider, first/last).
    step_requested(int)
        The user asked to move by ``+1`` or ``-1``.
    goto_requested(str)
        The user typed a target in the "go to" field and pressed Enter.
    """

    entry_requested = pyqtSignal(int)
    step_requested = pyqtSignal(int)
    goto_requested = pyqtSignal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        # text glyphs follow the palette (the style's media icons are black on black)
        self.first_button = self._button("|◀", "First event (Home)",
                                         lambda: self.entry_requested.emit(0))
        self.prev_button = self._button("◀", "Previous event (←, PgUp)",
                                        lambda: self.step_requested.emit(-1))
        self.next_button = self._button("▶", "Next event (→, PgDown)",
                                        lambda: self.step_requested.emit(1))
        self.last_button = self._button("▶|", "Last event (End)",
                                        lambda: self.entry_requested.emit(max(self._count - 1, 0)))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("entrySlider")
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.valueChanged.connect(self._slider_moved)
        self.position = QLabel("no file", self)
        self.position.setMinimumWidth(150)
        self.goto_edit = QLineEdit(self)
        self.goto_edit.setObjectName("gotoEdit")
        self.goto_edit.setPlaceholderText("go to entry or run:event")
        self.goto_edit.setMaximumWidth(220)
        self.goto_edit.returnPressed.connect(self._goto)
        for widget in (self.first_button, self.prev_button, self.next_button, self.last_button):
            layout.addWidget(widget)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.position)
        layout.addWidget(self.goto_edit)
        self.set_count(0)

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setMinimumWidth(34)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def set_count(self, count: int) -> None:
        """Set the number of entries of the file (0: no file)."""
        self._count = count
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(count - 1, 0))
        self.slider.setPageStep(max(count // 20, 1))
        self.slider.blockSignals(False)
        for widget in (self.first_button, self.prev_button, self.next_button, self.last_button,
                       self.slider, self.goto_edit):
            widget.setEnabled(count > 0)
        if count == 0:
            self.position.setText("no file")

    def set_entry(self, entry: int, label: str = "") -> None:
        """Show that ``entry`` is displayed (does not emit requests)."""
        self.slider.blockSignals(True)
        self.slider.setValue(entry)
        self.slider.blockSignals(False)
        text = f"Entry {entry:,}  ·  {self._count:,} events"
        self.position.setText(f"{text}   {label}" if label else text)
        self.prev_button.setEnabled(entry > 0)
        self.first_button.setEnabled(entry > 0)
        self.next_button.setEnabled(entry < self._count - 1)
        self.last_button.setEnabled(entry < self._count - 1)

    def _slider_moved(self, value: int) -> None:
        self.entry_requested.emit(int(value))

    def _goto(self) -> None:
        text = self.goto_edit.text()
        if text.strip():
            self.goto_requested.emit(text)
