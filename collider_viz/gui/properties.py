"""The properties dock: every field of the picked object, and its collection.

The upper table lists the fields of one record (pT, η, φ, charge, E, mass
first, then every other field the file carries); the lower table lists the
objects of that collection, and selecting a row selects that object.
"""

from __future__ import annotations

import math
from typing import Any

import awkward as ak
import numpy as np
from PyQt6.QtCore import QAbstractTableModel, QModelIndex, Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

_FIRST = ("pt", "eta", "phi", "charge", "E", "mass", "energy")
_SHOWN = ("pt", "energy", "eta", "phi", "charge", "mass", "x", "y", "z", "subdet")
#: Units of the common event form's fields (docs/ARCHITECTURE.md): positions in metres.
UNITS = {"pt": "GeV", "E": "GeV", "energy": "GeV", "mass": "GeV", "sumEt": "GeV", "et": "GeV",
         "phi": "rad", "charge": "e", "b": "fm",
         **{k: "m" for k in ("x", "y", "z", "vx", "vy", "vz", "x1", "y1", "z1", "x2", "y2", "z2",
                             "radius", "path_x", "path_y", "path_z", "corners_x", "corners_y",
                             "corners_z")}}


def unit_of(key: str) -> str:
    """Unit of field ``key`` ("" for dimensionless or unknown fields, e.g. η, pdgId)."""
    return UNITS.get(key, "")


def format_value(value: Any) -> str:
    """Format one field value for display (floats with 5 significant digits)."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return "nan" if math.isnan(value) else f"{float(value):.5g}"
    if isinstance(value, (list, tuple)):
        text = ", ".join(format_value(v) for v in value[:6])
        return f"[{text}{', …' if len(value) > 6 else ''}]"
    return str(value)


def record_fields(array: ak.Array, index: int) -> list[tuple[str, str]]:
    """Return ``(field, text)`` for every field of ``array[index]``.

    Kinematic fields come first; for particle records the energy ``E`` is
    derived from pT, η and mass.
    """
    record = ak.to_list(array[index])
    if not isinstance(record, dict):
        return [("value", format_value(record))]
    if {"pt", "eta", "mass"} <= record.keys() and "E" not in record and "energy" not in record:
        pt, eta, mass = (float(record[k]) for k in ("pt", "eta", "mass"))
        record["E"] = math.sqrt((pt * math.cosh(eta)) ** 2 + mass ** 2)
    order = [k for k in _FIRST if k in record] + [k for k in record if k not in _FIRST]
    return [(key, format_value(record[key])) for key in order]


class ObjectsModel(QAbstractTableModel):
    """Compact table of the objects of one collection (index plus main fields)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns: list[str] = []
        self._data: dict[str, np.ndarray] = {}
        self._n = 0

    def set_array(self, array: ak.Array | None) -> None:
        """Show the records of ``array`` (None: empty)."""
        self.beginResetModel()
        self._data, self._n = {}, 0 if array is None else len(array)
        if array is not None:
            fields = ak.fields(array)
            for key in [k for k in _SHOWN if k in fields][:6]:
                values = ak.to_numpy(array[key]) if key != "subdet" else np.asarray(ak.to_list(array[key]))
                self._data[key] = values
        self._columns = ["#", *self._data]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._n

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        key = self._columns[index.column()]
        if key == "#":
            return str(index.row())
        return format_value(self._data[key][index.row()])

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            key = self._columns[section]
            return f"{key} [{unit_of(key)}]" if unit_of(key) else key
        return None


class PropertiesPanel(QWidget):
    """Fields of the selected object above the objects of its collection.

    Signals
    -------
    object_selected(str, int)
        The user selected an object in the collection table.
    """

    object_selected = pyqtSignal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.collection: str | None = None
        self.index: int | None = None
        self._array: ak.Array | None = None
        self._syncing = False
        self.title = QLabel("Click an object to see its properties", self)
        self.title.setWordWrap(True)
        self.fields = QTableWidget(0, 3, self)
        self.fields.setObjectName("propertiesTable")
        self.fields.setHorizontalHeaderLabels(["field", "value", "unit"])
        self.objects_model = ObjectsModel(self)
        self.objects = QTableView(self)
        self.objects.setObjectName("objectsTable")
        self.objects.setModel(self.objects_model)
        for table in (self.fields, self.objects):
            table.verticalHeader().setVisible(False)
            table.verticalHeader().setDefaultSectionSize(20)
            table.setAlternatingRowColors(True)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.objects.selectionModel().currentRowChanged.connect(self._row_changed)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.fields)
        splitter.addWidget(self.objects)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)

    def show_object(self, name: str, array: ak.Array, index: int) -> None:
        """Show the fields of ``array[index]`` of collection ``name``."""
        if name != self.collection or array is not self._array:
            self.collection, self._array = name, array
            self.objects_model.set_array(array)
        self.index = index
        self.title.setText(f"<b>{name}</b> #{index} of {len(array)}")
        rows = record_fields(array, index)
        self.fields.setRowCount(len(rows))
        for i, (key, text) in enumerate(rows):
            self.fields.setItem(i, 0, QTableWidgetItem(key))
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.fields.setItem(i, 1, item)
            self.fields.setItem(i, 2, QTableWidgetItem(unit_of(key)))
        self._syncing = True
        try:
            self.objects.selectRow(index)
            self.objects.scrollTo(self.objects_model.index(index, 0))
        finally:
            self._syncing = False

    def field_text(self, key: str) -> str | None:
        """The displayed text of field ``key`` of the shown object, None when absent."""
        for row in range(self.fields.rowCount()):
            if self.fields.item(row, 0).text() == key:
                return self.fields.item(row, 1).text()
        return None

    def clear(self) -> None:
        """Forget the selection (a new event is shown)."""
        self.collection, self.index, self._array = None, None, None
        self.objects_model.set_array(None)
        self.fields.setRowCount(0)
        self.title.setText("Click an object to see its properties")

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing and current.isValid() and self.collection is not None:
            self.object_selected.emit(self.collection, current.row())
