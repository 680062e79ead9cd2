"""Heavy-ion summaries: multiplicity, dN/dη and centrality ordering."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest

from collider_viz.physics import heavyion as hi
from collider_viz.physics.event import particles


def _event(etas, charges):
    n = len(etas)
    return particles(np.ones(n), np.asarray(etas, float), np.zeros(n), np.zeros(n),
                     np.asarray(charges, np.int32))


def test_multiplicity_counts_only_charged_finite_tracks():
    trk = _event([0.1, 0.2, 3.0, np.nan, 0.0], [1, -1, 1, 1, 0])
    assert hi.charged_multiplicity(trk) == 3


def test_dndeta_uses_midrapidity_window():
    trk = _event([0.1, -0.4, 0.6, -0.49, 0.2], [1, -1, 1, 1, 0])
    # three charged tracks in |eta| < 0.5, window width 1.0
    assert hi.dndeta_midrapidity(trk) == pytest.approx(3.0)
    assert hi.dndeta_midrapidity(trk, eta_max=1.0) == pytest.approx(2.0)


def test_jagged_multiplicity_per_event():
    a = _event([0.0, 0.1], [1, 1])
    b = _event([0.0], [-1])
    jag = ak.Array([a, b])
    assert list(hi.charged_multiplicity(jag)) == [2, 1]


def test_percentiles_order_by_multiplicity():
    mult = np.array([10, 500, 50, 2000, 120])
    pct = hi.centrality_percentiles(mult)
    assert pct[3] == 0.0  # busiest event is the most central
    order = np.argsort(pct)
    assert list(mult[order]) == sorted(mult, reverse=True)
    assert np.all(np.diff(mult[order]) <= 0)


def test_class_labels():
    assert hi.class_label(0.0) == "0–5%"
    assert hi.class_label(7.5) == "5–10%"
    assert hi.class_label(95.0) == "90–100%"
    assert hi.class_label(None) == ""
    assert hi.decile_label(0) == "0–10%"
    assert hi.decile_label(-1) == ""


def test_summary_prefers_stored_class():
    trk = _event([0.0] * 4, [1] * 4)
    s = hi.summarize(trk, percentile=55.0, b_class=2)
    assert s.centrality_class == "20–30%"
    assert s.n_charged == 4
    assert hi.summarize(trk, percentile=55.0).centrality_class == "50–60%"
