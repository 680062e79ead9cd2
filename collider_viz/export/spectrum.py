"""The mass spectrum of a scan drawn as a picture (a story's ``spectrum`` step)."""

from __future__ import annotations

from typing import Any

import numpy as np

from collider_viz.export.hires import scale_factor

_THEME = {"dark": ("#000000", "#e6e6e6", "#ffe14d"), "light": ("#ffffff", "#1a1a1a", "#c0392b")}


def render_spectrum(result: Any, size: tuple[int, int] = (1920, 1080), theme: str = "dark",
                    title: str = "", mark: float | None = None,
                    label: str = "") -> np.ndarray:
    """Draw the histogram of ``result`` (a ``ScanResult``) as an RGBA image of ``size``.

    Parameters
    ----------
    result : ScanResult
        Scan with ``edges``, ``counts`` and ``axis_label``.
    size : (int, int)
        Image size in pixels; fonts scale with the height.
    theme : str
        ``"dark"`` or ``"light"``.
    title : str
        Heading above the plot.
    mark : float, optional
        Draw a dashed line at this mass (e.g. 125 GeV) with its value.
    label : str
        Experiment label written top-left inside the axes.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    bg, fg, accent = _THEME.get(theme, _THEME["dark"])
    dpi = 100.0 * scale_factor(size) * 1.6
    fig = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, facecolor=bg)
    agg = FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1, facecolor=bg)
    _draw(ax, np.asarray(result.edges), np.asarray(result.counts), fg, accent)
    _style(ax, fg, getattr(result, "axis_label", "mass [GeV]"))
    if mark is not None:
        ax.axvline(mark, color=fg, linestyle="--", linewidth=1.2)
        ax.annotate(f"{mark:g} GeV", (mark, 0.97), xycoords=("data", "axes fraction"),
                    ha="left", va="top", color=fg, xytext=(4, 0), textcoords="offset points")
    if label:
        ax.text(0.02, 0.97, label, transform=ax.transAxes, ha="left", va="top", color=fg,
                fontweight="bold")
    factor = getattr(result, "signal_enhancement", None)
    if factor:  # an enhanced signal is always said where the spectrum is shown
        ax.text(0.02, 0.90, f"signal ×{float(factor):g} for visibility", transform=ax.transAxes,
                ha="left", va="top", color=fg)
    if title:
        ax.set_title(title, color=fg)
    fig.tight_layout()
    agg.draw()
    image = np.asarray(agg.buffer_rgba()).copy()
    return _fit(image, size)


def _draw(ax: Any, edges: np.ndarray, counts: np.ndarray, fg: str, accent: str) -> None:
    centres = 0.5 * (edges[1:] + edges[:-1])
    ax.stairs(counts, edges, fill=True, color=accent, alpha=0.35)
    ax.stairs(counts, edges, color=accent, linewidth=1.5)
    filled = counts > 0  # no dots and error bars in the empty bins
    ax.errorbar(centres[filled], counts[filled], yerr=np.sqrt(counts[filled]), fmt="o", color=fg,
                markersize=3, linewidth=1)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(0, max(1.0, float(counts.max(initial=0)) * 1.25))


def _style(ax: Any, fg: str, xlabel: str) -> None:
    ax.set_xlabel(xlabel, color=fg)
    ax.set_ylabel("Events / bin", color=fg)
    ax.tick_params(colors=fg)
    for spine in ax.spines.values():
        spine.set_color(fg)


def _fit(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Crop or pad (edge colour) to exactly ``size`` after rounding of the figure size."""
    width, height = size
    out = np.empty((height, width, 4), dtype=np.uint8)
    out[...] = image[0, 0]
    h, w = min(height, image.shape[0]), min(width, image.shape[1])
    out[:h, :w] = image[:h, :w]
    return out
