"""The merged two- and four-lepton (and γγ) mass histograms as one picture.

Drawn with matplotlib in the style of :mod:`collider_viz.export.spectrum`
(filled stairs, √N error bars), one panel per kind that has entries.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from collider_viz.export.atomic import write_bytes_atomic
from collider_viz.export.spectrum import _THEME, _draw, _style
from collider_viz.masterclass.combine import TITLES, Histogram


def render_histograms(hists: dict[str, Histogram], size: tuple[int, int] = (1800, 700),
                      theme: str = "light", label: str = "") -> bytes:
    """PNG bytes of the panels of ``hists`` (the 2l and 4l ones always, γγ when filled)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    kinds = [k for k in ("2l", "4l", "gg") if k in hists and (k != "gg" or hists[k].counts.any())]
    bg, fg, accent = _THEME.get(theme, _THEME["light"])
    dpi = 100.0
    fig = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, facecolor=bg)
    agg = FigureCanvasAgg(fig)
    for i, kind in enumerate(kinds, start=1):
        ax = fig.add_subplot(1, len(kinds), i, facecolor=bg)
        hist = hists[kind]
        _draw(ax, hist.edges, hist.counts.astype(float), fg, accent)
        _style(ax, fg, f"invariant mass, {TITLES[kind]} [GeV]")
        ax.set_title(f"{TITLES[kind]}: {int(hist.counts.sum())} events", color=fg)
        if label:
            ax.text(0.02, 0.97, label, transform=ax.transAxes, ha="left", va="top", color=fg,
                    fontweight="bold")
    fig.tight_layout()
    import io

    buf = io.BytesIO()
    agg.print_png(buf)
    return buf.getvalue()


def save_histograms(hists: dict[str, Histogram], path: str | os.PathLike[str],
                    force: bool = False, label: str = "") -> Path:
    """Write :func:`render_histograms` to ``path`` atomically (never over a file without ``force``)."""
    from collider_viz.export.atomic import check_target

    check_target(path, force)
    return write_bytes_atomic(path, render_histograms(hists, label=label), force)


def image_array(png: bytes) -> np.ndarray:
    """Decode PNG bytes (for tests and the window)."""
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
