"""File ▸ Export image…: a dialog for size, view, theme, background and annotation.

Wiring (main window)::

    from collider_viz.gui.lecture import export_image_interactive
    action.triggered.connect(lambda: export_image_interactive(
        self, self.event, self.detector, self.canvas, candidate=self.candidate))

The picture is drawn by the same scene code on an offscreen canvas of the
chosen size, with the window's current camera.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from collider_viz.errors import ColliderVizError
from collider_viz.export.image import ImageOptions

SIZES = {"Full HD 1920×1080": (1920, 1080), "4K 3840×2160": (3840, 2160),
         "8K 7680×4320": (7680, 4320), "Slide 1600×1200": (1600, 1200), "Custom": None}
VIEWS = {"3D": "3d", "ρ-φ (end view)": "rphi", "ρ-z (side view)": "rz", "Lego (η-φ)": "lego",
         "Picture of record (3D | ρ-φ | ρ-z)": "triptych"}


class ExportImageDialog(QDialog):
    """Ask for the options of a picture export.

    Signals
    -------
    exportRequested(str, ImageOptions)
        Emitted on OK with the chosen file and options.
    """

    exportRequested = pyqtSignal(str, object)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None, view: str = "3d", theme: str = "dark",
                 path: str = "event.png") -> None:
        super().__init__(parent)
        self.setWindowTitle("Export image")
        self._build(view, theme, path)
        self.accepted.connect(lambda: self.exportRequested.emit(self.path(), self.options()))

    def _build(self, view: str, theme: str, path: str) -> None:
        form = QFormLayout(self)
        self.size_box = QComboBox()
        self.size_box.addItems(list(SIZES))
        self.width_box, self.height_box = _spin(1920), _spin(1080)
        custom = QHBoxLayout()
        custom.addWidget(self.width_box)
        custom.addWidget(self.height_box)
        self.view_box = _combo(VIEWS, view)
        self.theme_box = _combo({"Dark (projector)": "dark", "Light (print)": "light"}, theme)
        self.transparent = QCheckBox("Transparent background")
        self.annotate = QCheckBox("Experiment, run and event text")
        self.annotate.setChecked(True)
        self.path_edit = QLineEdit(path)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit)
        row.addWidget(browse)
        for label, item in (("Size", self.size_box), ("Custom size", custom),
                            ("View", self.view_box), ("Theme", self.theme_box),
                            ("", self.transparent), ("", self.annotate), ("File", row)):
            form.addRow(label, item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.size_box.currentTextChanged.connect(self._size_changed)
        self._size_changed(self.size_box.currentText())

    def _size_changed(self, text: str) -> None:
        size = SIZES.get(text)
        for box in (self.width_box, self.height_box):
            box.setEnabled(size is None)
        if size is not None:
            self.width_box.setValue(size[0])
            self.height_box.setValue(size[1])

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export image", self.path_edit.text(),
                                              "PNG image (*.png)")
        if name:
            self.path_edit.setText(name if name.lower().endswith(".png") else name + ".png")

    def path(self) -> str:
        """The chosen output file."""
        return self.path_edit.text().strip()

    def options(self) -> ImageOptions:
        """The chosen :class:`~collider_viz.export.image.ImageOptions`."""
        return ImageOptions(size=(self.width_box.value(), self.height_box.value()),
                            view=self.view_box.currentData(), theme=self.theme_box.currentData(),
                            transparent=self.transparent.isChecked(),
                            annotate=self.annotate.isChecked())


def _spin(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(16, 7680)
    box.setValue(value)
    return box


def _combo(items: dict[str, str], current: str) -> QComboBox:
    box = QComboBox()
    for label, value in items.items():
        box.addItem(label, value)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    return box


def confirm_overwrite(parent: QWidget | None, path: str) -> bool:
    """True when ``path`` does not exist or the user agrees to replace it."""
    if not Path(path).exists():
        return True
    answer = QMessageBox.question(parent, "Replace file?", f"{path} exists. Replace it?")
    return answer == QMessageBox.StandardButton.Yes


def export_image_interactive(parent: QWidget | None, event: Any, detector: Any, canvas: Any = None,
                             candidate: str | None = None,
                             highlight: dict[str, list[int]] | None = None,
                             path: str = "event.png",
                             screen: dict[str, Any] | None = None) -> Path | None:
    """Run the dialog and write the picture; errors are shown in a message box.

    ``canvas`` (the window's ``EventCanvas``) supplies the current view, theme,
    camera and (where ``highlight`` is None) the highlighted objects;
    ``screen`` holds further :class:`ImageOptions` fields taken from the
    window (``display``, ``lines``) so that the picture is the screen's.
    Returns the written file, or None when cancelled or failed.
    """
    if event is None:
        return None
    view = getattr(canvas, "view_name", "3d")
    theme = getattr(getattr(canvas, "style", None), "theme", "dark")
    dialog = ExportImageDialog(parent, view, theme, path)
    if dialog.exec() != QDialog.DialogCode.Accepted or not confirm_overwrite(parent, dialog.path()):
        return None
    opts = as_on_screen(dialog.options(), canvas, view, candidate, highlight, screen)
    return _write(parent, event, detector, dialog.path(), opts)


def as_on_screen(opts: ImageOptions, canvas: Any, view: str, candidate: str | None,
                 highlight: dict[str, list[int]] | None,
                 screen: dict[str, Any] | None) -> ImageOptions:
    """``opts`` with what the window shows: candidate, highlight, camera, display, overlay."""
    if highlight is None and hasattr(canvas, "highlighted"):
        highlight = {k: [int(i) for i in v] for k, v in canvas.highlighted().items()}
    opts.candidate, opts.highlight = candidate, dict(highlight or {})
    for key, value in (screen or {}).items():
        setattr(opts, key, value)
    if canvas is not None and opts.view == view:
        opts.camera_state = dict(canvas.view.camera.get_state())
    return opts


def _write(parent: QWidget | None, event: Any, detector: Any, path: str,
           opts: ImageOptions) -> Path | None:
    from collider_viz.export.image import export_image

    try:
        if opts.view == "triptych":  # the three views side by side (export/composite.py)
            from dataclasses import replace

            from collider_viz.export.composite import export_triptych

            return export_triptych(event, path, replace(opts, view="3d"), detector=detector,
                                   force=True)
        return export_image(event, path, opts, detector=detector, force=True)
    except ColliderVizError as exc:
        QMessageBox.warning(parent, "Export failed", str(exc))
        return None
