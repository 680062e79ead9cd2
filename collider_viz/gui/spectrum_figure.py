"""The matplotlib side of the "Mass spectrum" dock, built on first use.

:class:`SpectrumFigure` is a mixin of :class:`~collider_viz.gui.spectrum.SpectrumPanel`:
it makes the figure, its Qt canvas and the axes when first asked for (so
matplotlib and mplhep, about half a second to import, load after the first
event is on screen), and turns mouse presses on the axes into a mass window
(a click picks a bin, a drag a range).

The figure is laid out (constrained layout) only when something that moves
the axes changes (:meth:`SpectrumFigure.want_layout`): a new frame, new
counts, a resize; moving the current-event mark only draws.

The panel provides ``placeholder``, ``theme``, ``result``, ``span``,
``_plot``, ``_press``, ``_frame``, ``_layout_due``, ``_message()``,
``redraw()`` and ``select_window()``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from collider_viz.gui.spectrum_plot import WINDOW_COLOR, apply_figure_colours

CLICK_PIXELS = 4
"""A press and release this close (pixels) is a click on a bin, not a drag."""


def bin_window(edges: np.ndarray, x: float) -> tuple[float, float] | None:
    """The ``(lo, hi)`` edges of the bin holding ``x``; None outside the histogram."""
    i = int(np.searchsorted(edges, x, side="right")) - 1
    if not 0 <= i < len(edges) - 1:
        return None
    return float(edges[i]), float(edges[i + 1])


class SpectrumFigure:
    """Lazily built figure, canvas and axes, and the mouse handling on them."""

    @property
    def figure(self) -> Any:
        """The matplotlib ``Figure`` (built on first access)."""
        return self._built()[0]

    @property
    def canvas(self) -> Any:
        """The ``FigureCanvasQTAgg`` widget (built on first access)."""
        return self._built()[1]

    @property
    def ax(self) -> Any:
        """The histogram axes (built on first access)."""
        return self._built()[2]

    def _built(self) -> tuple[Any, Any, Any]:
        if self._plot is None:
            self._build_plot()
        assert self._plot is not None
        return self._plot

    def _build_plot(self) -> None:
        """Import matplotlib, put its canvas where the placeholder was, draw the state."""
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(5.0, 3.2), layout="constrained")
        canvas = FigureCanvasQTAgg(figure)
        canvas.setObjectName("spectrumCanvas")
        canvas.setMinimumSize(280, 200)
        self._plot = (figure, canvas, figure.add_subplot())
        canvas.mpl_connect("button_press_event", self.on_press)
        canvas.mpl_connect("button_release_event", self.on_release)
        canvas.mpl_connect("resize_event", lambda _event: self.want_layout())
        canvas.mpl_connect("draw_event", self._laid_out)
        self.layout().replaceWidget(self.placeholder, canvas)
        self.placeholder.hide()
        apply_figure_colours(figure, self.ax, self.theme)
        self._frame = ()
        self.redraw()

    def want_layout(self) -> None:
        """Lay the figure out again (constrained layout) at its next draw."""
        if self._plot is not None:
            self._layout_due = True
            self.figure.set_layout_engine("constrained")

    def _laid_out(self, _event: Any) -> None:
        """After a draw, keep the axes where they are until a layout is wanted again.

        Constrained layout measures every tick label: ~60 % of a draw of
        this dock (~150 of ~260 ms on Mesa), paid again for each event's
        mark unless the layout is frozen in between.
        """
        if self._layout_due:
            self._layout_due = False
            self.figure.set_layout_engine("none")

    def on_press(self, event: Any) -> None:
        """Remember where a left button went down in the axes."""
        inside = event.inaxes is self.ax and event.button == 1 and event.xdata is not None
        self._press = (event.x, float(event.xdata)) if inside else None

    def on_release(self, event: Any) -> None:
        """A click (release within a few pixels of the press) chooses the bin under it."""
        press, self._press = self._press, None
        if press is None or self._message() or abs(event.x - press[0]) > CLICK_PIXELS:
            return
        window = bin_window(self.result.edges, press[1])
        if window is not None:
            self.select_window(window)

    def on_span(self, lo: float, hi: float) -> None:
        """A drag over ``[lo, hi]`` chooses that range (a plain click is a bin)."""
        if self._message():  # no histogram shown
            return
        edges = self.result.edges
        if hi - lo < 0.5 * (edges[1] - edges[0]):
            return
        self.select_window((max(float(lo), float(edges[0])), min(float(hi), float(edges[-1]))))

    def _new_span(self) -> None:
        from matplotlib.widgets import SpanSelector

        # clearing the axes removes the selector's rectangle: make a fresh one
        if self.span is not None:
            self.span.disconnect_events()
        self.span = SpanSelector(self.ax, self.on_span, "horizontal", useblit=True,
                                 props={"alpha": 0.25, "facecolor": WINDOW_COLOR},
                                 button=1)
