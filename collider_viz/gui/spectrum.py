"""The "Mass spectrum" dock: the file-wide candidate-mass histogram.

Drawn with matplotlib by the same functions as ``collider-viz scan --hist``
(:func:`~collider_viz.commands.scan.plot_frame` and
:func:`~collider_viz.commands.scan.plot_counts`: mplhep, the file's
experiment, "Open Data" or "Simulation"), in the colours of the window's
theme (:mod:`~collider_viz.gui.spectrum_plot`), refreshed as partial scan
results arrive so that the peak builds up. The current candidate's mass is a
dashed line; with "watch the bump build up" on, the candidates visited so far
are drawn as points over the full spectrum scaled to as many candidates (the
shape they fill in). Clicking a bin or dragging over a range chooses a mass
window (signal ``window_selected``). "Export plot…" writes the command line's
publication figure (light, whatever the theme).

matplotlib (with mplhep about half a second to import) is loaded when there
is first something to plot, not with the window: until then a plain label
shows the panel's message ("no scan yet"), so the first event is on screen
sooner.  ``figure``, ``canvas`` and ``ax`` build the plot when asked for.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PyQt6.QtCore import Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QShowEvent
from PyQt6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from collider_viz.commands.scan import experiment_name, plot_frame
from collider_viz.errors import ColliderVizError
from collider_viz.gui.spectrum_figure import SpectrumFigure, bin_window  # noqa: F401 (re-export)
from collider_viz.gui.spectrum_plot import (
    added,
    anchor_label_suffix,
    apply_figure_colours,
    ask_export_path,
    dock_style,
    draw_layers,
    export_plot,
    move_mark,
    remove_artist,
    result_key,
)

DRAW_DELAY_MS = 40
"""How long after a change the plot is drawn (the event display's frame comes first)."""


class SpectrumPanel(SpectrumFigure, QWidget):
    """The histogram canvas with its buttons.

    Signals
    -------
    window_selected(object)
        ``(lo, hi)`` in GeV when a bin is clicked or a range dragged; None when cleared.
    export_failed(str)
        The message of a failed export.
    """

    window_selected = pyqtSignal(object)
    export_failed = pyqtSignal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: Any = None
        self.mark: float | None = None
        self.window: tuple[float, float] | None = None
        self.visited: list[float] = []
        self.theme, self.experiment = "light", "CMS"
        self.note: str | None = None
        self.span: Any = None
        self._plot: tuple[Any, Any, Any] | None = None  # (figure, canvas, axes) once built
        self._frame: tuple[Any, ...] | None = ()
        self._layers: list[Any] = []
        self._press: tuple[float, float] | None = None
        self._layout_due = True
        # the plot is drawn a moment after a change: the 3D view of a new event first
        self._draw_timer = QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(DRAW_DELAY_MS)
        self._draw_timer.timeout.connect(self._draw_now)
        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMinimumSize(280, 200)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.placeholder, 1)
        layout.addLayout(self._buttons())
        self.redraw()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.watch_check = QCheckBox("Watch the bump build up", self)
        self.watch_check.setObjectName("watchBump")
        self.watch_check.setToolTip("Draw the candidates visited with 'next candidate' "
                                    "over the full spectrum")
        self.watch_check.toggled.connect(lambda _on: self.redraw())
        self.clear_button = QPushButton("Clear window", self)
        self.clear_button.setObjectName("clearWindow")
        self.clear_button.clicked.connect(lambda: self.select_window(None))
        self.export_button = QPushButton("Export plot…", self)
        self.export_button.setObjectName("exportPlot")
        self.export_button.clicked.connect(lambda: self.export())
        row.addWidget(self.watch_check)
        row.addStretch(1)
        row.addWidget(self.clear_button)
        row.addWidget(self.export_button)
        return row

    # -- state -------------------------------------------------------------
    def set_result(self, result: Any) -> None:
        """Show the histogram of ``result`` (None: empty); the window is kept."""
        self.result = result
        self.export_button.setEnabled(result is not None and self.note is None)
        self.redraw()

    def set_note(self, note: str | None) -> None:
        """Show ``note`` (e.g. "no mass") instead of the histogram; None shows it again."""
        if note != self.note:
            self.note = note
            self.set_result(self.result)

    def set_experiment(self, detector: str | None) -> None:
        """Label the plot with the experiment of ``detector`` (``"CMS"``, ``"ALICE"``, ``"STAR"``)."""
        name = experiment_name(detector)
        if name != self.experiment:
            self.experiment = name
            self.redraw()

    def set_theme(self, theme: str) -> None:
        """Draw in the colours of window theme ``"dark"`` or ``"light"`` (exports stay light)."""
        self.theme = theme
        if self._plot is not None:
            apply_figure_colours(self.figure, self.ax, theme)
        self.redraw()

    def set_mark(self, mass: float | None) -> None:
        """Mark the current candidate's mass (None removes the mark)."""
        self.mark = mass
        if self._plot is not None and not self.watching:
            with dock_style(self.theme):
                moved = move_mark(self.ax, self._layers, mass)
            if moved:  # nothing else changed: no new layers, no new layout
                self._draw_timer.start()
                return
        self.redraw(layout=self.watching)  # the visited counts may change the scale

    def add_visited(self, mass: float | None) -> None:
        """Count a visited candidate in the "watch the bump" histogram."""
        if mass is not None and np.isfinite(mass):
            self.visited.append(float(mass))

    def reset_visited(self) -> None:
        """Forget the visited candidates."""
        if self.visited:
            self.visited = []
            self.redraw()

    @property
    def watching(self) -> bool:
        """True in "watch the bump build up" mode."""
        return self.watch_check.isChecked()

    def select_window(self, window: tuple[float, float] | None) -> None:
        """Choose the mass window (shaded) and emit ``window_selected``."""
        self.window = window
        self.redraw()
        self.window_selected.emit(window)

    # -- drawing -------------------------------------------------------------
    def redraw(self, layout: bool = True) -> None:
        """Draw the histogram, the window, the visited candidates and the mark.

        The frame (titles, experiment label: slow to lay out) is drawn again
        only when the binning or the kind of data changes; the layers on it
        are replaced on every call, so partial scan results are cheap.
        Before there is anything to plot, only the placeholder's text changes.
        ``layout=False`` keeps the axes where they are (a change that cannot
        move them, such as the mark).  The canvas is drawn
        :data:`DRAW_DELAY_MS` later, once for a burst of changes.
        """
        if self._plot is None:
            message = self._message()
            if message is None:
                self._build_plot()              # draws the state itself
            else:
                self.placeholder.setText(message)
            return
        if layout:
            self.want_layout()
        with dock_style(self.theme):
            key = (self.theme, self.experiment, self.note, result_key(self.result))
            if key != self._frame:
                self._frame = key
                self._draw_frame()
            for artist in self._layers:
                remove_artist(artist)
            self._layers = [] if self._message() else added(self.ax, self._draw_layers)
        self._draw_timer.start()

    def _draw_now(self) -> None:
        if self._plot is not None and self.isVisible():  # hidden: drawn when shown again
            self.canvas.draw_idle()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._plot is not None:
            self.canvas.draw_idle()

    def _message(self) -> str | None:
        """The text shown instead of a histogram, or None."""
        return self.note or ("no scan yet" if self.result is None else None)

    def _draw_frame(self) -> None:
        self.ax.clear()
        self._layers = []
        message, result = self._message(), self.result
        if message:
            self.ax.text(0.5, 0.5, message, ha="center", va="center",
                         transform=self.ax.transAxes)
        else:
            plot_frame(self.ax, result.edges, result.axis_label, bool(result.is_simulation),
                       result.sqrt_s, self.experiment, offset_aware=False)  # no counts yet
            anchor_label_suffix(self.ax)
        self._new_span()

    def _draw_layers(self) -> None:
        visited = self.visited if self.watching else None
        draw_layers(self.ax, self.result, visited, self.window, self.mark)

    # -- export --------------------------------------------------------------
    def export(self, path: str | None = None, overwrite: bool = False) -> str | None:
        """Write the plot to ``path``, or to a file chosen in a dialog.

        A file chosen in the dialog may replace an existing one (the dialog asks
        first); a ``path`` given directly never does unless ``overwrite``.

        Returns
        -------
        str or None
            The path written, or None when cancelled or failed (``export_failed``).
        """
        if self.result is None or self.note is not None:
            return None
        if path is None:
            path, overwrite = ask_export_path(self)
            if not path:
                return None
        try:
            export_plot(self.result, path, overwrite, self.experiment)
        except (ColliderVizError, OSError) as exc:
            self.export_failed.emit(str(exc))
            return None
        return path
