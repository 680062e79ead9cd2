"""Drawing of the "Mass spectrum" dock: its style, its layers and its export.

On screen the plot follows the window's theme: the CMS style of mplhep
scaled down to a dock, with dark figure and axes colours in the dark theme
and white ones in the light theme (:func:`dock_style`). An exported plot is
always the command line's publication figure (white, 10 inches,
:func:`collider_viz.commands.scan.draw_histogram`), whatever the theme.

The frame (titles, experiment label) is drawn once per binning; the layers
(:func:`draw_layers`: counts, mass window, mark, legend) are replaced on each
partial scan result, :func:`added` telling which artists they are.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
from PyQt6.QtWidgets import QFileDialog, QWidget

from collider_viz.commands.scan import PLOT_FORMATS, atomic_write, draw_histogram, plot_counts
from collider_viz.errors import ColliderVizError

DOCK_RC = {"font.size": 9.0, "xtick.major.size": 5.0, "xtick.minor.size": 2.5,
           "ytick.major.size": 5.0, "ytick.minor.size": 2.5, "lines.linewidth": 1.5,
           "legend.fontsize": 8.0}
"""The CMS style scaled down to a dock (the style is made for 10-inch figures)."""

_DARK_TEXT, _DARK_EDGE = "#e6e6e6", "#b8bcc4"
THEME_RC: dict[str, dict[str, str]] = {
    "dark": {"figure.facecolor": "#1b1d21", "axes.facecolor": "#111316",
             "axes.edgecolor": _DARK_EDGE, "axes.labelcolor": _DARK_TEXT,
             "text.color": _DARK_TEXT, "xtick.color": _DARK_EDGE, "ytick.color": _DARK_EDGE,
             "xtick.labelcolor": _DARK_TEXT, "ytick.labelcolor": _DARK_TEXT,
             "legend.labelcolor": _DARK_TEXT},
    "light": {"figure.facecolor": "white", "axes.facecolor": "white"},
}
"""Colours over the CMS style per window theme (the dark ones match the Qt palette)."""
MARK_COLOR, VISITED_COLOR, WINDOW_COLOR = "#c0392b", "#e67e22", "#f1c40f"
MARK_GID = "collider_viz-mark"
EXPORT_FILTER = "PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)"


@contextlib.contextmanager
def dock_style(theme: str) -> Iterator[None]:
    """Draw inside this context for the dock's style in ``theme`` (``"dark"`` or ``"light"``)."""
    import matplotlib
    import matplotlib.style
    import mplhep

    # Qt redraws the dock outside this context, with matplotlib's own mathtext fonts, whose
    # calligraphic one is the generic "cursive" family: missing on most Linux machines, it
    # logged "findfont: Font family ['cursive'] not found" on every launch.
    if matplotlib.rcParams["mathtext.cal"] == "cursive":
        matplotlib.rcParams["mathtext.cal"] = "DejaVu Sans:italic"
    with matplotlib.style.context(mplhep.style.CMS), matplotlib.rc_context(DOCK_RC), \
            matplotlib.rc_context(THEME_RC.get(theme, THEME_RC["light"])):
        yield


def apply_figure_colours(figure: Any, ax: Any, theme: str) -> None:
    """Give an existing figure and its axes the background and frame colours of ``theme``."""
    colours = THEME_RC.get(theme, THEME_RC["light"])
    figure.set_facecolor(colours["figure.facecolor"])
    ax.set_facecolor(colours["axes.facecolor"])
    for spine in ax.spines.values():  # made with the axes, not redrawn by ax.clear()
        spine.set_edgecolor(colours.get("axes.edgecolor", "black"))


def export_plot(result: Any, path: str, overwrite: bool = False,
                experiment: str | None = None) -> None:
    """Write the histogram of ``result`` to ``path`` (.png, .pdf, .svg) atomically.

    The figure is the command line's (publication style, light), whatever the
    window's theme.

    Parameters
    ----------
    result : ScanResult
    path : str
    overwrite : bool
        Replace an existing file.
    experiment : str, optional
        Experiment name for the label (default CMS).

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
    atomic_write(path, lambda fh: draw_histogram(result, fh, fmt, experiment), force=overwrite)


def ask_export_path(parent: QWidget) -> tuple[str, bool]:
    """A path from the save dialog, and whether the dialog confirmed replacing it.

    A suffix added here (the name was typed without one) was not confirmed.
    """
    name = os.path.join(os.path.expanduser("~"), "mass_spectrum.png")
    path, chosen = QFileDialog.getSaveFileName(parent, "Export plot", name, EXPORT_FILTER)
    if not path or os.path.splitext(path)[1]:
        return path, True
    return path + (".pdf" if "pdf" in chosen else ".svg" if "svg" in chosen else ".png"), False


def result_key(result: Any) -> tuple[Any, ...] | None:
    """What the frame of ``result`` depends on (a new frame is drawn when it changes)."""
    if result is None:
        return None
    return (result.axis_label, bool(result.is_simulation), result.sqrt_s,
            tuple(np.asarray(result.edges).tolist()))


def added(ax: Any, draw: Any) -> list[Any]:
    """Run ``draw()`` and return what it added to ``ax``: containers first, then artists."""
    children, containers = set(ax.get_children()), {id(c) for c in ax.containers}
    draw()
    new = [c for c in ax.containers if id(c) not in containers]
    return new + [a for a in ax.get_children() if a not in children]


def remove_artist(artist: Any) -> None:
    """Take ``artist`` off its axes (nothing when it is already gone)."""
    try:
        artist.remove()
    except (ValueError, NotImplementedError, AttributeError):
        pass  # already gone with its container


def draw_layers(ax: Any, result: Any, visited: list[float] | None,
                window: tuple[float, float] | None, mark: float | None) -> None:
    """The counts (or the ``visited`` masses over the scaled spectrum), window, mark, legend."""
    if visited:
        draw_visited(ax, result, visited)
    elif result.is_simulation:
        plot_counts(ax, result.edges, result.counts, True,
                    legend="all candidates" + enhancement_text(result))
    else:
        plot_data_points(ax, result.edges, result.counts, "all candidates")
    if window is not None:
        ax.axvspan(*window, color=WINDOW_COLOR, alpha=0.3, zorder=0)
    if mark is not None and np.isfinite(mark):
        ax.axvline(mark, color=MARK_COLOR, ls="--", lw=1.5, label=mark_label(mark, ax),
                   gid=MARK_GID)
    ax.legend(loc="upper right", frameon=False)


def enhancement_text(result: Any) -> str:
    """``" (signal ×110 for visibility)"`` where the file's signal is enhanced, else ``""``."""
    factor = getattr(result, "signal_enhancement", None)
    return f" (signal ×{float(factor):g} for visibility)" if factor else ""


def plot_data_points(ax: Any, edges: np.ndarray, counts: np.ndarray, legend: str) -> None:
    """Data as points with √N errors in the bins that have entries (empty bins stay empty).

    With a handful of candidates a point and an error bar in every empty bin
    drew a row of dots along the axis; the y range leaves room above the
    highest error bar.
    """
    import matplotlib
    import mplhep

    raw = np.asarray(counts, dtype=float)
    shown = np.where(raw > 0, raw, np.nan)
    mplhep.histplot(shown, edges, ax=ax, histtype="errorbar", yerr=np.sqrt(shown), label=legend,
                    color=matplotlib.rcParams["text.color"])
    ax.set_xlim(edges[0], edges[-1])
    top = float(np.max(raw + np.sqrt(raw), initial=0.0))
    ax.set_ylim(bottom=0, top=max(top * 1.2, 1.0))


def anchor_label_suffix(ax: Any) -> None:
    """Keep "Simulation" / "Open Data" beside the experiment name at any dock size.

    mplhep places that text at an axes fraction measured for the figure's size
    when the frame is drawn; the dock is laid out later, so the two drifted
    apart ("CMS      Simulation"). The text is re-made as an annotation
    anchored to the right edge of the experiment name's own box.
    """
    texts = list(ax.texts)
    name = next((t for t in texts if type(t).__name__ == "ExpLabel"), None)
    suffix = next((t for t in texts if type(t).__name__ == "ExpText"), None)
    if name is None or suffix is None or not suffix.get_text():
        return
    ax.annotate(suffix.get_text(), xy=(1.0, 0.0), xycoords=name, xytext=(0.35 * suffix.get_fontsize(), 0),
                textcoords="offset points", ha="left", va="bottom", fontsize=suffix.get_fontsize(),
                fontstyle=suffix.get_fontstyle(), color=suffix.get_color(),
                gid="collider_viz-label-suffix")
    suffix.remove()


def mark_label(mass: float, ax: Any = None) -> str:
    """Legend text of the current event's mark (saying so when it is off the axis)."""
    text = f"this event: {mass:.1f} GeV"
    if ax is not None:
        lo, hi = sorted(ax.get_xlim())
        if not lo <= mass <= hi:
            text += " (off the axis)"
    return text


def move_mark(ax: Any, layers: list[Any], mass: float | None) -> bool:
    """Move the mark among ``layers`` to ``mass`` and renew the legend (in place).

    Returns False (nothing changed) when there is no mark to move or no mass.
    """
    line = next((a for a in layers if getattr(a, "get_gid", lambda: None)() == MARK_GID), None)
    if line is None or mass is None or not np.isfinite(mass):
        return False
    line.set_xdata([mass, mass])
    line.set_label(mark_label(mass, ax))
    old = ax.get_legend()
    legend = ax.legend(loc="upper right", frameon=False)
    layers[:] = [legend if a is old else a for a in layers]
    return True


def draw_visited(ax: Any, result: Any, visited: list[float]) -> None:
    """The visited candidates, over the full spectrum scaled to as many candidates."""
    import mplhep

    edges, n = result.edges, len(visited)
    total = float(result.counts.sum())
    plot_counts(ax, edges, result.counts, bool(result.is_simulation),
                n / total if total else 0.0, f"all candidates, scaled to {n}")
    counts = np.histogram(visited, bins=edges)[0].astype(float)
    shown = np.where(counts > 0, counts, np.nan)  # no markers along the empty bins
    mplhep.histplot(shown, edges, ax=ax, histtype="errorbar", color=VISITED_COLOR,
                    yerr=np.sqrt(shown), label=f"visited ({n})")
    ax.set_ylim(0, max(ax.get_ylim()[1], float(counts.max()) * 1.35 + 1.0))
