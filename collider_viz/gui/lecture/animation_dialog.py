"""File ▸ Export animation…: turntable or replay as GIF/MP4 with a progress dialog.

Wiring (main window)::

    from collider_viz.gui.lecture import AnimationExportDialog, run_animation_export
    dialog = AnimationExportDialog(self, view=self.canvas.view_name)
    if dialog.exec():
        run_animation_export(self, self.event, self.detector, dialog.path(),
                             dialog.options(), dialog.kind(), dialog.frames(), dialog.fps())

Frames are drawn on the GUI thread (OpenGL needs it); the progress dialog
keeps the window responsive and its Cancel button stops the export, leaving
no partial file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QSpinBox,
    QWidget,
)

from collider_viz.errors import ColliderVizError
from collider_viz.export.animate import ExportCancelled
from collider_viz.export.image import ImageOptions

KINDS = {"Turntable (camera circles the detector)": "turntable",
         "Replay (the collision unfolding)": "replay"}


class AnimationExportDialog(QDialog):
    """Ask for animation kind, frames, frame rate, size and file.

    Signals
    -------
    exportRequested(str, object)
        On OK: the file and a dict with ``kind, frames, fps, options``.
    """

    exportRequested = pyqtSignal(str, object)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None, view: str = "3d", theme: str = "dark",
                 path: str = "event.gif") -> None:
        super().__init__(parent)
        self.setWindowTitle("Export animation")
        self._view, self._theme = view, theme
        form = QFormLayout(self)
        self.kind_box = QComboBox()
        for label, value in KINDS.items():
            self.kind_box.addItem(label, value)
        self.frames_box = _int_box(2, 2000, 60)
        self.fps_box = QDoubleSpinBox()
        self.fps_box.setRange(1.0, 60.0)
        self.fps_box.setValue(20.0)
        self.width_box, self.height_box = _int_box(16, 3840, 960), _int_box(16, 2160, 540)
        self.path_edit = QLineEdit(path)
        for label, widget in (("Animation", self.kind_box), ("Frames", self.frames_box),
                              ("Frames per second", self.fps_box), ("Width", self.width_box),
                              ("Height", self.height_box), ("File (.gif or .mp4)", self.path_edit)):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.accepted.connect(self._emit)

    def _emit(self) -> None:
        self.exportRequested.emit(self.path(), {"kind": self.kind(), "frames": self.frames(),
                                                "fps": self.fps(), "options": self.options()})

    def kind(self) -> str:
        """``"turntable"`` or ``"replay"``."""
        return str(self.kind_box.currentData())

    def frames(self) -> int:
        """Number of frames."""
        return int(self.frames_box.value())

    def fps(self) -> float:
        """Frames per second."""
        return float(self.fps_box.value())

    def path(self) -> str:
        """Output file."""
        return self.path_edit.text().strip()

    def options(self) -> ImageOptions:
        """Picture options of each frame."""
        return ImageOptions(size=(self.width_box.value(), self.height_box.value()),
                            view=self._view, theme=self._theme)


def _int_box(lo: int, hi: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setValue(value)
    return box


def progress_callback(dialog: QProgressDialog) -> Any:
    """A ``progress(done, total)`` for the exporter that drives ``dialog``."""

    def progress(done: int, total: int) -> bool:
        dialog.setMaximum(total)
        dialog.setValue(done)
        QApplication.processEvents()
        return not dialog.wasCanceled()

    return progress


def run_animation_export(parent: QWidget | None, event: Any, detector: Any, path: str,
                         opts: ImageOptions, kind: str, frames: int, fps: float,
                         force: bool = True) -> Path | None:
    """Export with a modal :class:`QProgressDialog`; returns the file or None."""
    from collider_viz.export.movie import export_animation

    dialog = QProgressDialog(f"Rendering {kind} animation…", "Cancel", 0, frames, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setValue(0)
    try:
        return export_animation(event, path, opts, kind, frames, fps, detector=detector,
                                progress=progress_callback(dialog), force=force)
    except ExportCancelled:
        return None
    except ColliderVizError as exc:
        QMessageBox.warning(parent, "Export failed", str(exc))
        return None
    finally:
        dialog.close()
