"""Mass histograms drawn in the masterclass dock, and the class's combined results.

:class:`MassHistogram` paints one :class:`~collider_viz.masterclass.combine.Histogram`
(filled bars, the count above the tallest) and says which bin was clicked;
:class:`ClassResults` opens many results files, shows the table of
categories, the W⁺/W⁻ and e/μ ratios, the two- and four-lepton histograms and,
for a clicked bin, the events in it. Damaged files are listed, not fatal.
"""

from __future__ import annotations

from collections.abc import Sequence

from PyQt6.QtCore import QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PyQt6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from collider_viz.masterclass import combine
from collider_viz.masterclass.combine import Histogram


class MassHistogram(QWidget):
    """A small clickable histogram. Signal ``bin_clicked(int)`` gives the bin index."""

    bin_clicked = pyqtSignal(int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.hist = title, None
        self.setMinimumSize(220, 110)

    def set_histogram(self, hist: Histogram | None) -> None:
        """Show ``hist`` (None: empty)."""
        self.hist = hist
        self.update()

    def _plot_rect(self) -> QRectF:
        return QRectF(6, 18, self.width() - 12, self.height() - 36)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        fg = self.palette().windowText().color()
        painter.setPen(fg)
        n = 0 if self.hist is None else int(self.hist.counts.sum())
        painter.drawText(6, 14, f"{self.title}: {n} recorded")
        rect = self._plot_rect()
        painter.drawRect(rect)
        if self.hist is None or not len(self.hist.counts):
            return
        counts, edges = self.hist.counts, self.hist.edges
        top = max(1, int(counts.max()))
        width = rect.width() / len(counts)
        painter.setBrush(QColor(230, 126, 34))
        for i, c in enumerate(counts):
            if c:
                h = rect.height() * c / top
                painter.drawRect(QRectF(rect.left() + i * width, rect.bottom() - h, width, h))
        painter.drawText(int(rect.left()), self.height() - 4, f"{edges[0]:g}")
        painter.drawText(int(rect.right()) - 60, self.height() - 4, f"{edges[-1]:g} GeV")
        painter.drawText(int(rect.right()) - 40, int(rect.top()) + 12, f"max {top}")

    def bin_at(self, x: float) -> int | None:
        """The bin under widget column ``x``."""
        rect = self._plot_rect()
        if self.hist is None or not rect.left() <= x < rect.right():
            return None
        return int((x - rect.left()) / rect.width() * len(self.hist.counts))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        index = self.bin_at(event.position().x())
        if index is not None:
            self.bin_clicked.emit(index)


def bin_lines(hist: Histogram, index: int) -> list[str]:
    """The events of bin ``index`` of ``hist``: group, file, run:event, category, mass."""
    low, high = hist.edges[index], hist.edges[index + 1]
    head = f"{hist.kind} {low:g}–{high:g} GeV: {int(hist.counts[index])} events"
    rows = [f"{r.group or '?'} · {r.file} · {r.run}:{r.event} (entry {r.entry}) · {r.category} "
            f"· {r.mass:.2f} GeV" for r in hist.members[index]]
    return [head, *rows]


class ClassResults(QDialog):
    """Window → Masterclass → Combine class results: many files in, tables and plots out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Class results")
        self.merged = combine.Merged()
        self.summary = QLabel("Open the groups' results files.")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dedupe = QCheckBox("Count an event recorded by several groups once")
        self.dedupe.toggled.connect(lambda _on: self.refresh())
        self.plots = {kind: MassHistogram(combine.TITLES[kind]) for kind in ("2l", "4l")}
        self.events = QListWidget()
        opener = QPushButton("Open results files…")
        opener.clicked.connect(self.choose)
        plots = QHBoxLayout()
        for kind, plot in self.plots.items():
            plot.bin_clicked.connect(lambda i, k=kind: self.show_bin(k, i))
            plots.addWidget(plot)
        layout = QVBoxLayout(self)
        for item in (opener, self.dedupe, self.summary):
            layout.addWidget(item)
        layout.addLayout(plots, 2)
        layout.addWidget(self.events, 1)
        self.resize(820, 640)

    def choose(self) -> None:
        """Ask for results files and load them."""
        paths, _ = QFileDialog.getOpenFileNames(self, "Results files", "", "CSV (*.csv);;All (*)")
        if paths:
            self.load(paths)

    def load(self, paths: Sequence[str]) -> None:
        """Merge ``paths`` (damaged ones are listed as skipped)."""
        self.merged = combine.merge(paths)
        self.refresh()

    def refresh(self) -> None:
        """Redraw tables, ratios and histograms."""
        used = combine.counted(self.merged.records, self.dedupe.isChecked())
        self.summary.setText("\n".join(combine.summary_lines(self.merged, self.dedupe.isChecked())))
        self.hists = combine.histograms(used)
        for kind, plot in self.plots.items():
            plot.set_histogram(self.hists[kind])
        self.events.clear()

    def show_bin(self, kind: str, index: int) -> None:
        """List the events of bin ``index`` of histogram ``kind``."""
        self.events.clear()
        self.events.addItems(bin_lines(self.hists[kind], index))
