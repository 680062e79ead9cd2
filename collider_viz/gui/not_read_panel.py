"""What the file has but the window does not show, named with its reason.

Readers list every collection or branch group they could not build in
``SourceInfo.not_read`` (``(name, reason)`` pairs). :class:`NotReadBox`, a
greyed "Not shown" group of the Display dock, lists them (the reason as the
row's second line and its tooltip) and :func:`status_line` is the sentence the
status bar says when the file opens: nothing is lost in silence.
"""

from __future__ import annotations

from collections.abc import Iterable

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QPalette
from PyQt6.QtWidgets import QGroupBox, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

#: Rows shown before the list scrolls (the Display dock stays usable).
MAX_HEIGHT = 170


def status_line(items: Iterable[tuple[str, str]]) -> str | None:
    """``"3 collections in the file not shown — see the Display dock"``, or None when all are."""
    n = len(tuple(items))
    if n == 0:
        return None
    noun = "collection" if n == 1 else "collections"
    return f"{n} {noun} in the file not shown — see “Not shown” in the Display dock"


class NotReadBox(QGroupBox):
    """A greyed list of the file's collections that are not drawn, each with its reason.

    Parameters
    ----------
    parent : QWidget, optional
        The collections panel.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Not shown", parent)
        self.setObjectName("notReadBox")
        self.setToolTip("In the file but not drawn: each row says why")
        self.items: tuple[tuple[str, str], ...] = ()
        self.list = QListWidget(self)
        self.list.setObjectName("notReadList")
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(MAX_HEIGHT)
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.list)
        self.setVisible(False)

    def set_items(self, items: Iterable[tuple[str, str]]) -> None:
        """Show ``(name, reason)`` rows; the box hides when there are none."""
        self.items = tuple((str(name), str(why)) for name, why in items)
        self.list.clear()
        grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for name, why in self.items:
            row = QListWidgetItem(f"{name}\n    {why}" if why else name)
            row.setToolTip(f"{name}: {why}" if why else name)
            row.setForeground(grey)
            row.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(row)
        self.setTitle(f"Not shown ({len(self.items)})" if self.items else "Not shown")
        self.setVisible(bool(self.items))

    def names(self) -> list[str]:
        """Names of the listed collections, in the reader's order."""
        return [name for name, _ in self.items]
