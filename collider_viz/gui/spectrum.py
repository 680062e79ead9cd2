"""The "Mass spectrum" dock: the file-wide candidate-mass histogram.

Drawn with matplotlib in the style of ``collider-viz scan --hist`` (mplhep,
CMS style, "Open Data" or "Simulation"), refreshed as partial scan results
arrive so that the peak builds up. The current candidate's mass is a dashed
line; with "watch the bump build up" on, the candidates visited so far are
drawn as points over the full spectrum scaled to as many candidates (the
shape they fill in). Clicking a bin or dragging over a range
chooses a mass window (signal ``window_selected``). "Export plot…" writes the
same figure as the command line, through :func:`collider_viz.commands.scan.draw_histogram`.
"""

from __future__ import annotations

import os
from typing import Any

import matplotlib.style
import mplhep
import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.widgets import SpanSelector
from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from collider_viz.commands.scan import PLOT_FORMATS, atomic_write, draw_histogram
from collider_viz.errors import ColliderVizError

EXPORT_FILTER = "PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)"
_DOCK_RC = {"font.size": 9.0, "xtick.major.size": 5.0, "xtick.minor.size": 2.5,
            "ytick.major.size": 5.0, "ytick.minor.size": 2.5, "lines.linewidth": 1.5,
            "legend.fontsize": 8.0}
"""The CMS style scaled down to a dock (the style is made for 10-inch figures)."""
CLICK_PIXELS = 4
"""A press and release this close (pixels) is a click on a bin, not a drag."""
MARK_COLOR, VISITED_COLOR, WINDOW_COLOR = "#c0392b", "#e67e22", "#f1c40f"


def plot_frame(ax: Any, result: Any) -> None:
    """Axis titles, mass range and experiment label as ``collider-viz scan --hist`` draws them."""
    sim = bool(result.is_simulation)
    width = (result.edges[-1] - result.edges[0]) / max(len(result.counts), 1)
    ax.set_xlabel(result.axis_label)
    ax.set_ylabel(f"Candidates / {width:.3g} GeV")
    ax.set_xlim(result.edges[0], result.edges[-1])
    com = result.sqrt_s / 1000.0 if result.sqrt_s else None
    mplhep.cms.label("" if sim else "Open Data", data=not sim, com=com, ax=ax)


def plot_counts(ax: Any, result: Any, scale: float = 1.0, label: str = "all candidates") -> None:
    """The histogram as the command line draws it: filled (simulation) or points with errors.

    ``scale`` multiplies the counts (and their errors), e.g. to overlay the
    shape on the few candidates visited so far.
    """
    sim = bool(result.is_simulation)
    counts = result.counts.astype(float) * scale
    first = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][0]  # a fresh axes' colour
    style: dict[str, Any] = ({"histtype": "fill", "alpha": 0.6, "color": first} if sim
                             else {"histtype": "errorbar", "color": "black"})
    mplhep.histplot(counts, result.edges, ax=ax, label=label,
                    yerr=None if sim else np.sqrt(result.counts) * scale, **style)
    ax.set_xlim(result.edges[0], result.edges[-1])
    ax.set_ylim(bottom=0, top=max(float(counts.max(initial=0.0)) * 1.35, 1.0))


def bin_window(edges: np.ndarray, x: float) -> tuple[float, float] | None:
    """The ``(lo, hi)`` edges of the bin holding ``x``; None outside the histogram."""
    i = int(np.searchsorted(edges, x, side="right")) - 1
    if not 0 <= i < len(edges) - 1:
        return None
    return float(edges[i]), float(edges[i + 1])


def export_plot(result: Any, path: str, overwrite: bool = False) -> None:
    """Write the histogram of ``result`` to ``path`` (.png, .pdf, .svg) atomically.

    Raises
    ------
    ColliderVizError
        Unknown file type, or ``path`` exists and ``overwrite`` is false.
    """
    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    if fmt not in PLOT_FORMATS:
        raise ColliderVizError(f"{path}: unknown image type {fmt or '(none)'!r}; "
                               f"expected {', '.join('.' + f for f in PLOT_FORMATS)}")
    if os.path.exists(path) and not overwrite:
        raise ColliderVizError(f"{path} exists; not overwritten")
    atomic_write(path, lambda fh: draw_histogram(result, fh, fmt))


def _frame_key(result: Any) -> tuple[Any, ...] | None:
    if result is None:
        return None
    return (result.axis_label, bool(result.is_simulation), result.sqrt_s,
            tuple(np.asarray(result.edges).tolist()))


def _added(ax: Any, draw: Any) -> list[Any]:
    """Run ``draw()`` and return what it added to ``ax``: containers first, then artists."""
    children, containers = set(ax.get_children()), {id(c) for c in ax.containers}
    draw()
    new = [c for c in ax.containers if id(c) not in containers]
    return new + [a for a in ax.get_children() if a not in children]


def _remove(artist: Any) -> None:
    try:
        artist.remove()
    except (ValueError, NotImplementedError, AttributeError):
        pass  # already gone with its container


class SpectrumPanel(QWidget):
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
        self.figure = Figure(figsize=(5.0, 3.2), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName("spectrumCanvas")
        self.canvas.setMinimumSize(280, 200)
        self.ax = self.figure.add_subplot()
        self.span: SpanSelector | None = None
        self._frame: tuple[Any, ...] | None = ()
        self._layers: list[Any] = []
        self._press: tuple[float, float] | None = None
        self.canvas.mpl_connect("button_press_event", self.on_press)
        self.canvas.mpl_connect("button_release_event", self.on_release)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.canvas, 1)
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
        self.export_button.setEnabled(result is not None)
        self.redraw()

    def set_mark(self, mass: float | None) -> None:
        """Mark the current candidate's mass (None removes the mark)."""
        self.mark = mass
        self.redraw()

    def add_visited(self, mass: float | None) -> None:
        """Count a visited candidate in the "watch the bump" histogram."""
        if mass is not None and np.isfinite(mass):
            self.visited.append(float(mass))

    def reset_visited(self) -> None:
        """Forget the visited candidates."""
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

    # -- mouse -------------------------------------------------------------
    def on_press(self, event: Any) -> None:
        """Remember where a left button went down in the axes."""
        inside = event.inaxes is self.ax and event.button == 1 and event.xdata is not None
        self._press = (event.x, float(event.xdata)) if inside else None

    def on_release(self, event: Any) -> None:
        """A click (release within a few pixels of the press) chooses the bin under it."""
        press, self._press = self._press, None
        if press is None or self.result is None or abs(event.x - press[0]) > CLICK_PIXELS:
            return
        window = bin_window(self.result.edges, press[1])
        if window is not None:
            self.select_window(window)

    def on_span(self, lo: float, hi: float) -> None:
        """A drag over ``[lo, hi]`` chooses that range (a plain click is a bin)."""
        if self.result is None:
            return
        edges = self.result.edges
        if hi - lo < 0.5 * (edges[1] - edges[0]):
            return
        self.select_window((max(float(lo), float(edges[0])), min(float(hi), float(edges[-1]))))

    # -- drawing -------------------------------------------------------------
    def redraw(self) -> None:
        """Draw the histogram, the window, the visited candidates and the mark.

        The frame (titles, experiment label: slow to lay out) is drawn again
        only when the binning or the kind of data changes; the layers on it
        are replaced on every call, so partial scan results are cheap.
        """
        with matplotlib.style.context(mplhep.style.CMS), matplotlib.rc_context(_DOCK_RC):
            key = _frame_key(self.result)
            if key != self._frame:
                self._frame = key
                self._draw_frame()
            for artist in self._layers:
                _remove(artist)
            self._layers = [] if self.result is None else _added(self.ax, self._draw_layers)
        self.canvas.draw_idle()

    def _draw_frame(self) -> None:
        self.ax.clear()
        self._layers = []
        if self.result is None:
            self.ax.text(0.5, 0.5, "no scan yet", ha="center", va="center",
                         transform=self.ax.transAxes)
        else:
            plot_frame(self.ax, self.result)
        self._new_span()

    def _draw_layers(self) -> None:
        if self.watching and self.visited:
            self._draw_visited()
        else:
            plot_counts(self.ax, self.result)
        if self.window is not None:
            self.ax.axvspan(*self.window, color=WINDOW_COLOR, alpha=0.3, zorder=0)
        if self.mark is not None and np.isfinite(self.mark):
            self.ax.axvline(self.mark, color=MARK_COLOR, ls="--", lw=1.5,
                            label=f"this event: {self.mark:.1f} GeV")
        self.ax.legend(loc="upper right", frameon=False)

    def _draw_visited(self) -> None:
        """The visited candidates, over the full spectrum scaled to as many candidates."""
        edges, n = self.result.edges, len(self.visited)
        total = float(self.result.counts.sum())
        plot_counts(self.ax, self.result, n / total if total else 0.0,
                    f"all candidates, scaled to {n}")
        visited = np.histogram(self.visited, bins=edges)[0].astype(float)
        shown = np.where(visited > 0, visited, np.nan)  # no markers along the empty bins
        mplhep.histplot(shown, edges, ax=self.ax, histtype="errorbar", color=VISITED_COLOR,
                        yerr=np.sqrt(shown), label=f"visited ({n})")
        top = max(self.ax.get_ylim()[1], float(visited.max()) * 1.35 + 1.0)
        self.ax.set_ylim(0, top)

    def _new_span(self) -> None:
        # clearing the axes removes the selector's rectangle: make a fresh one
        if self.span is not None:
            self.span.disconnect_events()
        self.span = SpanSelector(self.ax, self.on_span, "horizontal", useblit=True,
                                 props={"alpha": 0.25, "facecolor": WINDOW_COLOR},
                                 button=1)

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
        if self.result is None:
            return None
        if path is None:
            path, overwrite = self._ask_path()
            if not path:
                return None
        try:
            export_plot(self.result, path, overwrite)
        except (ColliderVizError, OSError) as exc:
            self.export_failed.emit(str(exc))
            return None
        return path

    def _ask_path(self) -> tuple[str, bool]:
        """A path from the save dialog, and whether the dialog confirmed replacing it.

        A suffix added here (the name was typed without one) was not confirmed.
        """
        name = os.path.join(os.path.expanduser("~"), "mass_spectrum.png")
        path, chosen = QFileDialog.getSaveFileName(self, "Export plot", name, EXPORT_FILTER)
        if not path or os.path.splitext(path)[1]:
            return path, True
        return path + (".pdf" if "pdf" in chosen else ".svg" if "svg" in chosen else ".png"), False
