"""Heavy-ion files in the window: summary in the overlay, table sortable by multiplicity."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt


def test_star_overlay_and_table_sorted_by_multiplicity(window, open_wait, sample, qtbot):
    path = sample("auau_200GeV_star.root")
    event = open_wait(window, path, entry=3)
    model = window.event_table.event_model
    qtbot.waitUntil(lambda: "centrality" in model.columns, timeout=60000)
    qtbot.waitUntil(lambda: any("Centrality" in line for line in window.canvas.overlay.lines),
                    timeout=10000)
    text = "\n".join(window.canvas.overlay.lines)
    n_charged = int(np.sum(np.asarray(event["tracks"].charge) != 0))
    assert f"{n_charged:,} charged tracks" in text
    assert "Centrality" in text and "%" in text
    table = window.event_table
    tracks_col = model.columns.index("tracks")
    table.sortByColumn(tracks_col, Qt.SortOrder.DescendingOrder)
    first = table.proxy.mapToSource(table.proxy.index(0, 0)).row()
    counts = np.array([model.value(r, "tracks") for r in range(model.rowCount())])
    assert counts[first] == counts.max()
    busiest = window.event_table.proxy.index(0, 0)
    with qtbot.waitSignal(window.event_shown, timeout=30000):
        table.setCurrentIndex(busiest)
    assert window.event.meta.entry == first
    # the busiest event is in a central class
    col = model.columns.index("centrality")
    label = model.data(model.index(first, col))
    assert label.startswith("0–")
