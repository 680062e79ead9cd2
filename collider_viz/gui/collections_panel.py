"""The collection panel: what is drawn and how.

One row per collection present in the file (visibility check box and a
pT or energy threshold slider whose label shows the value), the track
colouring, the line width and the detector layers. Every control writes its
value to :class:`~collider_viz.gui.settings.Preferences` and emits a signal
the window forwards to the canvas.
"""

from __future__ import annotations

from dataclasses import dataclass

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from collider_viz.gui.not_read_panel import NotReadBox
from collider_viz.gui.settings import Preferences

COLOR_BY = (("charge", "Charge"), ("pt", "pT"), ("species", "Species"))
_ORDER = ("tracks", "photons", "electrons", "muons", "jets", "met", "vertices", "calo")


@dataclass(frozen=True)
class Cut:
    """Slider scale of a collection's threshold: ``value = step * position``."""

    quantity: str
    maximum: float
    step: float

    @property
    def positions(self) -> int:
        """Number of slider steps."""
        return round(self.maximum / self.step)


CUTS = {
    "tracks": Cut("pT", 20.0, 0.1),
    "photons": Cut("pT", 100.0, 0.5),
    "electrons": Cut("pT", 100.0, 0.5),
    "muons": Cut("pT", 100.0, 0.5),
    "jets": Cut("pT", 200.0, 1.0),
    "met": Cut("pT", 200.0, 1.0),
    "calo": Cut("E", 20.0, 0.1),
}


class CollectionRow:
    """Check box, slider and value label of one collection."""

    def __init__(self, name: str, panel: CollectionPanel, visible: bool, cut_value: float):
        self.name = name
        self.cut = CUTS.get(name)
        self.check = QCheckBox(name, panel)
        self.check.setObjectName(f"visible_{name}")
        self.check.setChecked(visible)
        self.slider: QSlider | None = None
        self.label: QLabel | None = None
        if self.cut is not None:
            self.slider = QSlider(Qt.Orientation.Horizontal, panel)
            self.slider.setObjectName(f"threshold_{name}")
            self.slider.setRange(0, self.cut.positions)
            self.slider.setValue(round(cut_value / self.cut.step))
            self.slider.setToolTip(f"minimum {self.cut.quantity} of {name} drawn")
            self.label = QLabel(panel)
            self.label.setMinimumWidth(78)
            self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.update_label()

    @property
    def value(self) -> float:
        """The threshold in GeV."""
        if self.slider is None or self.cut is None:
            return 0.0
        return round(self.slider.value() * self.cut.step, 6)

    def update_label(self) -> None:
        """Show the threshold as ``pT ≥ 1.5 GeV``."""
        if self.label is not None and self.cut is not None:
            self.label.setText(f"{self.cut.quantity} ≥ {self.value:g} GeV")

    def set_count(self, count: int | None, drawn: int | None = None) -> None:
        """Show the number of objects in the current event (drawn of total under a cut)."""
        if count is None:
            text = self.name
        elif drawn is not None and drawn < count and self.check.isChecked():
            text = f"{self.name}  ({drawn:,} of {count:,})"
        else:
            text = f"{self.name}  ({count:,})"
        self.check.setText(text)


class CollectionPanel(QWidget):
    """Controls of the drawn collections, colouring, line width and detector layers.

    Parameters
    ----------
    prefs : Preferences
        Where the choices are remembered.

    Signals
    -------
    visibility_changed(str, bool), threshold_changed(str, float),
    color_by_changed(str), line_width_changed(float), layer_changed(str, bool)
    """

    visibility_changed = pyqtSignal(str, bool)
    threshold_changed = pyqtSignal(str, float)
    color_by_changed = pyqtSignal(str)
    line_width_changed = pyqtSignal(float)
    layer_changed = pyqtSignal(str, bool)

    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.rows: dict[str, CollectionRow] = {}
        self.layer_checks: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        self.collections_box = QGroupBox("Collections", self)
        self._grid = QGridLayout(self.collections_box)
        self._grid.setColumnStretch(1, 1)
        layout.addWidget(self.collections_box)
        self.not_read = NotReadBox(self)  # what the file has but is not drawn, with why
        layout.addWidget(self.not_read)
        layout.addWidget(self._style_box())
        self.layers_box = QGroupBox("Detector", self)
        self._layers_layout = QVBoxLayout(self.layers_box)
        layout.addWidget(self.layers_box)
        layout.addStretch(1)

    def _style_box(self) -> QGroupBox:
        box = QGroupBox("Style", self)
        form = QFormLayout(box)
        self.color_combo = QComboBox(box)
        self.color_combo.setObjectName("colorBy")
        for key, text in COLOR_BY:
            self.color_combo.addItem(text, key)
        self.color_combo.setCurrentIndex([k for k, _ in COLOR_BY].index(self.prefs.color_by))
        self.color_combo.currentIndexChanged.connect(self._color_changed)
        self.width_spin = QDoubleSpinBox(box)
        self.width_spin.setObjectName("lineWidth")
        self.width_spin.setRange(0.5, 10.0)
        self.width_spin.setSingleStep(0.5)
        self.width_spin.setSuffix(" px")
        self.width_spin.setValue(self.prefs.line_width)
        self.width_spin.valueChanged.connect(self._width_changed)
        self.pin_check = QCheckBox("Keep cuts and colours for the next file", box)
        self.pin_check.setObjectName("pinDisplay")
        self.pin_check.setToolTip("Off: every file opens with all objects shown, no cuts, "
                                  "coloured by charge")
        self.pin_check.setChecked(self.prefs.pin_display)
        self.pin_check.toggled.connect(lambda on: setattr(self.prefs, "pin_display", on))
        form.addRow("Colour by", self.color_combo)
        form.addRow("Line width", self.width_spin)
        form.addRow(self.pin_check)
        return box

    def new_file(self) -> None:
        """A file was opened: clear cuts, hidden collections and colouring unless pinned.

        The widgets are updated without signals: the window applies
        :meth:`state` to the canvas with the new file's first event.
        """
        if self.prefs.pin_display:
            return
        self.prefs.reset_display()
        for row in self.rows.values():
            _quietly(row.check, row.check.setChecked, True)
            if row.slider is not None:
                _quietly(row.slider, row.slider.setValue, 0)
            row.update_label()
        _quietly(self.color_combo, self.color_combo.setCurrentIndex, 0)

    # -- building --------------------------------------------------------
    def set_collections(self, names: list[str]) -> None:
        """Show one row per collection in ``names`` (known ones in a fixed order)."""
        ordered = [n for n in _ORDER if n in names] + sorted(n for n in names if n not in _ORDER)
        if ordered == list(self.rows):
            return
        self._clear(self._grid)
        self.rows = {}
        for i, name in enumerate(ordered):
            row = CollectionRow(name, self, self.prefs.visible(name),
                                self.prefs.threshold(name))
            row.check.toggled.connect(lambda on, n=name: self._visible_changed(n, on))
            self._grid.addWidget(row.check, 2 * i, 0, 1, 3)
            if row.slider is not None:
                row.slider.valueChanged.connect(lambda _v, n=name: self._threshold_moved(n))
                self._grid.addWidget(row.slider, 2 * i + 1, 0, 1, 2)
                self._grid.addWidget(row.label, 2 * i + 1, 2)
            self.rows[name] = row

    def set_layers(self, subsystems: list[str]) -> None:
        """Show one check box per detector subsystem."""
        if subsystems == list(self.layer_checks):
            return
        self._clear(self._layers_layout)
        self.layer_checks = {}
        for name in subsystems:
            check = QCheckBox(name, self.layers_box)
            check.setObjectName(f"layer_{name}")
            check.setChecked(self.prefs.layer_visible(name))
            check.toggled.connect(lambda on, n=name: self._layer_toggled(n, on))
            self._layers_layout.addWidget(check)
            self.layer_checks[name] = check
        self.layers_box.setVisible(bool(subsystems))

    def set_counts(self, counts: dict[str, int], drawn: dict[str, int] | None = None) -> None:
        """Show the object counts of the current event beside the names.

        Where ``drawn`` says fewer are drawn (a cut, a hidden collection) the
        label reads ``tracks  (180 of 17,019)``.
        """
        for name, row in self.rows.items():
            row.set_count(counts.get(name), None if drawn is None else drawn.get(name))

    @staticmethod
    def _clear(layout: QGridLayout | QVBoxLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()

    # -- reactions -------------------------------------------------------
    def _visible_changed(self, name: str, on: bool) -> None:
        self.prefs.set_visible(name, on)
        self.visibility_changed.emit(name, on)

    def _threshold_moved(self, name: str) -> None:
        row = self.rows[name]
        row.update_label()
        self.prefs.set_threshold(name, row.value)
        self.threshold_changed.emit(name, row.value)

    def _color_changed(self, index: int) -> None:
        key = self.color_combo.itemData(index)
        self.prefs.color_by = key
        self.color_by_changed.emit(key)

    def _width_changed(self, value: float) -> None:
        self.prefs.line_width = value
        self.line_width_changed.emit(float(value))

    def _layer_toggled(self, name: str, on: bool) -> None:
        self.prefs.set_layer_visible(name, on)
        self.layer_changed.emit(name, on)

    # -- current state, for applying to a fresh canvas ------------------
    def state(self) -> dict[str, object]:
        """Visibility, thresholds, colouring, width and layers as chosen now."""
        return {
            "visible": {n: r.check.isChecked() for n, r in self.rows.items()},
            "thresholds": {n: r.value for n, r in self.rows.items() if r.cut is not None},
            "color_by": self.color_combo.currentData(),
            "line_width": self.width_spin.value(),
            "layers": {n: c.isChecked() for n, c in self.layer_checks.items()},
        }


def _quietly(widget: QWidget, setter: object, value: object) -> None:
    """Call ``setter(value)`` with the widget's signals blocked."""
    widget.blockSignals(True)
    try:
        setter(value)  # type: ignore[operator]
    finally:
        widget.blockSignals(False)
