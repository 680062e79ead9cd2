"""Opening files: the Open dialog, Open URL, drag and drop, the command line.

:class:`FileActions` turns the user's requests into
:class:`~collider_viz.gui.loader.Loader` jobs: local paths go to
:meth:`Loader.open`, ``http(s)://`` and ``root://`` URLs to
:meth:`Loader.open_url` (with the timeout of the preferences, progress and
Cancel in the status bar). The window only delegates to it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PyQt6.QtCore import QMimeData, QObject
from PyQt6.QtWidgets import QDialog, QFileDialog

from collider_viz.gui.loader_jobs import is_url
from collider_viz.gui.open_url import DownloadStatus, OpenUrlDialog, check_url

if TYPE_CHECKING:
    from collider_viz.gui.window import MainWindow

FILE_FILTER = ("Event files (*.root *.ig *.zip *.csv *.tsv *.json);;ROOT files (*.root);;"
               "iSpy files (*.ig);;CSV tables (*.csv *.tsv);;All files (*)")


def display_name(path: str) -> str:
    """The last part of a path or URL (the URL itself when it ends in ``/``)."""
    return os.path.basename(path.rstrip("/")) or path


class FileActions(QObject):
    """What the window does to open files.

    Parameters
    ----------
    window : MainWindow
        The window; its loader, preferences and status bar are used.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.download = DownloadStatus(window)
        window.statusBar().addPermanentWidget(self.download)
        loader = window.loader
        self.download.cancel_requested.connect(loader.cancel)
        loader.progress.connect(self.download.set_progress)
        loader.cancelled.connect(self._on_cancelled)
        loader.opened.connect(lambda _result: self.download.stop())
        loader.failed.connect(self._on_failed)
        self._url = ""

    def open(self, path: str, entry: int = 0, mapping: str | None = None) -> None:
        """Open a local ``path`` or a URL in the background and show ``entry``."""
        path = os.fspath(path)
        if is_url(path) and mapping is None:
            self.open_url(path, entry=entry)
            return
        self.download.stop()  # a URL still being opened is abandoned by the loader
        self.window.statusBar().showMessage(f"Opening {display_name(path)} …")
        self.window.loader.open(path, mapping, entry)

    def open_url(self, url: str, timeout: float | None = None, entry: int = 0) -> None:
        """Open ``url`` (timeout from the preferences unless given); the window stays usable."""
        problem = check_url(url)
        if problem is not None:
            self.window.report_error("Cannot open URL", f"{url}: {problem}")
            return
        seconds = self.window.prefs.network_timeout if timeout is None else float(timeout)
        self._url = url
        self.download.start(display_name(url))
        self.window.statusBar().showMessage(f"Opening {url} (timeout {seconds:g} s) …")
        self.window.loader.open_url(url, seconds, entry)

    def open_dialog(self) -> None:
        """Ask for a file (starting in the last directory) and open it."""
        prefs = self.window.prefs
        path, _ = QFileDialog.getOpenFileName(self.window, "Open event file",
                                              prefs.last_directory, FILE_FILTER)
        if path:
            prefs.last_directory = os.path.dirname(path)
            self.open(path)

    def open_url_dialog(self) -> OpenUrlDialog:
        """File → Open URL: ask for a URL and a timeout, then open it."""
        prefs = self.window.prefs
        dialog = OpenUrlDialog(self.window, prefs.last_url, prefs.network_timeout)
        if dialog.exec() == QDialog.DialogCode.Accepted and check_url(dialog.url()) is None:
            prefs.last_url, prefs.network_timeout = dialog.url(), dialog.timeout()
            self.open_url(dialog.url(), dialog.timeout())
        return dialog

    def cancel(self) -> None:
        """Stop opening the URL (the same as the Cancel button)."""
        self.window.loader.cancel()

    # -- drag and drop -----------------------------------------------------
    def drop(self, path: str) -> None:
        """Open a dropped event file; a dropped layout or mapping ``.toml`` re-opens the open
        file with that mapping, at the event on screen."""
        if not path.lower().endswith(".toml"):
            self.open(path)
            return
        window = self.window
        if window.path is None:
            window.report_error("Cannot use layout", f"{display_name(path)}: a layout or "
                                "mapping applies to an event file; open the file first, "
                                "then drop the .toml onto the window")
            return
        entry = window.event.meta.entry if window.event is not None else 0
        self.open(window.path, entry, mapping=path)

    @staticmethod
    def dropped_path(mime: QMimeData) -> str | None:
        """The first local file or http(s)/root URL in ``mime``, or None."""
        for url in mime.urls():
            if url.isLocalFile():
                return url.toLocalFile()
            if check_url(url.toString()) is None:
                return url.toString()
        return None

    # -- loader results ----------------------------------------------------
    def _on_cancelled(self) -> None:
        self.download.stop()
        self.window.statusBar().showMessage(f"Opening {self._url} cancelled", 8000)

    def _on_failed(self, what: str, _message: str) -> None:
        if what == "open_url":
            self.download.stop()
