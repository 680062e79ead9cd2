"""The command line's mass plot draws data points only in the bins that have entries."""

from __future__ import annotations

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")


def _finite_points(ax) -> int:
    """Finite (x, y) data points of the error-bar lines on ``ax``."""
    n = 0
    for line in ax.lines:
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        if line.get_marker() not in (None, "None", "", " "):
            n += int(np.sum(np.isfinite(x) & np.isfinite(y)))
    return n


def test_few_candidates_give_points_only_in_filled_bins():
    from matplotlib.figure import Figure

    from collider_viz.commands.scan import plot_counts

    edges = np.linspace(100.0, 160.0, 61)
    counts = np.zeros(60)
    counts[[5, 25, 26]] = [1, 2, 1]
    ax = Figure().subplots()
    plot_counts(ax, edges, counts, is_simulation=False)
    assert _finite_points(ax) == 3
    assert ax.get_ylim()[1] >= 2 + np.sqrt(2)  # room for the highest error bar


def test_export_spectrum_points_only_in_filled_bins():
    from matplotlib.figure import Figure

    from collider_viz.export.spectrum import _draw

    edges = np.linspace(0.0, 10.0, 11)
    counts = np.zeros(10)
    counts[[2, 7]] = [4, 1]
    ax = Figure().subplots()
    _draw(ax, edges, counts, "white", "orange")
    assert _finite_points(ax) == 2
