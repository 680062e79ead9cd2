"""Plot of v2 vs centrality beside the published STAR and ALICE points (matplotlib, no Qt)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.physics.flow import reference_series

MARKERS = "sD^v<>"


def draw(ax: Any, result: dict[str, Any], references: list[dict[str, Any]]) -> None:
    """Draw the measured classes and ``references`` on ``ax``."""
    for i, ref in enumerate(references):
        lo, hi = np.asarray(ref["lo"], float), np.asarray(ref["hi"], float)
        ax.plot((lo + hi) / 2, ref["v2"], MARKERS[i % len(MARKERS)], mfc="none", ms=7,
                label=ref["name"] + (" (approx.)" if ref.get("approximate") else ""))
    rows = [r for r in result["classes"] if r["v2"] is not None]
    x = [(r["lo"] + r["hi"]) / 2 for r in rows]
    xerr = [(r["hi"] - r["lo"]) / 2 for r in rows]
    yerr = [r["v2_err"] if r["v2_err"] is not None else 0.0 for r in rows]
    ax.errorbar(x, [r["v2"] for r in rows], yerr=yerr, xerr=xerr, fmt="o", color="k",
                label=f"this file: {result['method']}")
    ax.set_xlabel("centrality (%)")
    ax.set_ylabel("$v_2$")
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.05, 0.2)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.legend(fontsize=7, loc="upper left")


def save_plot(result: dict[str, Any], path: str | Path, size: tuple[float, float] = (8, 5.5)) -> None:
    """Write the v2-vs-centrality plot of ``result`` (``commands.flow.measure``) to ``path`` as PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    sqrt_s = result.get("sqrt_s")
    refs = reference_series(sqrt_s) or reference_series()
    draw(ax, result, refs)
    ax.set_title(f"{Path(result['file']).name}: {result['n_events']} events", fontsize=9)
    cites = sorted({re.match(r"^.*?\(\d{4}\)", r["source"]).group(0) for r in refs})
    fig.text(0.01, 0.01, "References: " + "; ".join(cites), fontsize=6, va="bottom")
    fig.subplots_adjust(bottom=0.16)
    fig.savefig(str(path), format="png")
