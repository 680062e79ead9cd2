"""The "Open Recent" menu, kept in step with :class:`Preferences`."""

from __future__ import annotations

import os

from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtWidgets import QMenu, QWidget

from collider_viz.gui.settings import Preferences


class RecentFiles(QObject):
    """Fill ``menu`` with the recent files of ``prefs``.

    Signals
    -------
    open_requested(str)
        The user chose a recent file.
    """

    open_requested = pyqtSignal(str)

    def __init__(self, menu: QMenu, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.menu, self.prefs = menu, prefs
        self.refresh()

    def add(self, path: str) -> None:
        """Put ``path`` (made absolute when it is a local file) at the top."""
        self.prefs.add_recent(os.path.abspath(path) if os.path.exists(path) else path)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the menu from the preferences."""
        self.menu.clear()
        for path in self.prefs.recent_files:
            action = self.menu.addAction(os.path.basename(path) or path)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_requested.emit(p))
        if self.menu.isEmpty():
            self.menu.addAction("(none)").setEnabled(False)
        else:
            self.menu.addSeparator()
            self.menu.addAction("Clear list", self.clear)

    def clear(self) -> None:
        """Forget every recent file."""
        self.prefs.clear_recent()
        self.refresh()
