"""File → Open URL: the dialog asking for the URL and the status-bar download indicator.

:class:`OpenUrlDialog` asks for an ``http(s)://`` or ``root://`` URL and a
timeout; :class:`DownloadStatus` sits in the status bar while the URL is
being opened (a percentage for downloads, a busy bar otherwise) with a
Cancel button. Opening itself runs in
:meth:`collider_viz.gui.loader.Loader.open_url`.
"""

from __future__ import annotations

from urllib.parse import urlparse

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from collider_viz.io.remote import HTTP_SCHEMES, XROOTD_SCHEMES

SCHEMES = HTTP_SCHEMES + XROOTD_SCHEMES
HELP = ("ROOT files are read in place; CMS iSpy .ig files are downloaded first.\n"
        "The file you have open stays usable while the URL is opened.")


def check_url(text: str) -> str | None:
    """The problem with ``text`` as a URL to open, or None when it looks usable."""
    text = text.strip()
    if not text:
        return "Enter a URL."
    parsed = urlparse(text)
    if parsed.scheme.lower() not in SCHEMES:
        return "The URL must start with http://, https:// or root://."
    if not parsed.netloc:
        return "The URL names no server."
    return None


class OpenUrlDialog(QDialog):
    """Ask for the URL of an event file and the network timeout.

    Parameters
    ----------
    parent : QWidget, optional
        The main window.
    url : str
        Pre-filled URL (the last one opened).
    timeout : float
        Pre-set timeout in seconds.
    """

    def __init__(self, parent: QWidget | None = None, url: str = "",
                 timeout: float = 30.0) -> None:
        super().__init__(parent)
        self.setObjectName("openUrlDialog")
        self.setWindowTitle("Open URL")
        self.url_edit = QLineEdit(url, self)
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setPlaceholderText("https://…/events.root  or  root://server//path/file.root")
        self.url_edit.setMinimumWidth(460)
        self.url_edit.setClearButtonEnabled(True)
        self.timeout_box = QDoubleSpinBox(self)
        self.timeout_box.setRange(1.0, 600.0)
        self.timeout_box.setDecimals(0)
        self.timeout_box.setSuffix(" s")
        self.timeout_box.setValue(timeout)
        self.timeout_box.setToolTip("How long to wait for the server before giving up")
        self.problem = QLabel("", self)
        self.problem.setObjectName("urlProblem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self._layout()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.url_edit.textChanged.connect(self._validate)
        self._validate()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("URL:", self.url_edit)
        form.addRow("Timeout:", self.timeout_box)
        note = QLabel(HELP, self)
        note.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.problem)
        box.addWidget(note)
        box.addWidget(self.buttons)

    def _validate(self) -> None:
        problem = check_url(self.url_edit.text())
        shown = "" if problem is None or not self.url_edit.text().strip() else problem
        self.problem.setText(shown)
        self.problem.setVisible(bool(shown))
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(problem is None)

    def url(self) -> str:
        """The URL entered, without surrounding blanks."""
        return self.url_edit.text().strip()

    def timeout(self) -> float:
        """The timeout in seconds."""
        return float(self.timeout_box.value())


class DownloadStatus(QWidget):
    """Status-bar indicator of the URL being opened, with a Cancel button.

    Signals
    -------
    cancel_requested()
        The user pressed Cancel.
    """

    cancel_requested = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("downloadStatus")
        self.label = QLabel("", self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("downloadBar")
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(14)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelOpenButton")
        self.cancel_button.setToolTip("Stop opening the URL; the current event stays")
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.cancel_button.clicked.connect(self.cancel_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            row.addWidget(widget)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.setVisible(False)

    def start(self, name: str) -> None:
        """Show a busy bar for opening ``name``."""
        self.label.setText(f"Opening {name} …")
        self.bar.setRange(0, 0)
        self.setVisible(True)

    def set_progress(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` bytes (a busy bar when ``total`` is unknown)."""
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(min(1000, int(1000 * done / total)))
            self.bar.setFormat(f"{done / 2**20:.1f} of {total / 2**20:.1f} MiB")
            self.bar.setTextVisible(True)
        else:
            self.bar.setRange(0, 0)

    def stop(self) -> None:
        """Hide the indicator."""
        self.setVisible(False)
