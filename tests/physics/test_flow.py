"""Elliptic flow: closure on toy events, no flow, and the real CMS Pb+Pb HiForest file."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest

from collider_viz.physics import centrality, flow, flow_stats


def toy_events(n_events: int, mult: int, v2: float, seed: int) -> ak.Array:
    """Events with dN/dφ ∝ 1 + 2 v2 cos 2(φ − Ψ), Ψ random, η uniform in (−1, 1)."""
    rng = np.random.default_rng(seed)
    events = []
    for _ in range(n_events):
        psi = rng.uniform(0, np.pi)
        phi = rng.uniform(-np.pi, np.pi, 4 * mult)
        keep = rng.uniform(0, 1 + 2 * v2, 4 * mult) < 1 + 2 * v2 * np.cos(2 * (phi - psi))
        phi = phi[keep][:mult]
        events.append({"pt": np.full(mult, 1.0), "eta": rng.uniform(-1, 1, mult), "phi": phi,
                       "charge": np.ones(mult)})
    return ak.Array(events)


@pytest.mark.parametrize("method", ["2", "EP"])
def test_closure_on_toy_events(method):
    q = flow.sub_events(toy_events(200, 500, 0.06, seed=1))
    _, everything = flow.by_class(q, [None] * 200, method)
    assert everything.n_events == 200
    assert 0.002 < everything.v2_err < 0.01
    assert abs(everything.v2 - 0.06) < 3 * everything.v2_err


def test_no_flow_is_compatible_with_zero():
    q = flow.sub_events(toy_events(200, 500, 0.0, seed=2))
    _, everything = flow.by_class(q, [None] * 200, "2")
    assert abs(everything.c2) < 3 * everything.c2_err
    assert everything.c2_err < 1e-3


def test_classes_split_by_centrality():
    q = flow.sub_events(toy_events(40, 300, 0.08, seed=3))
    cents = [centrality.from_estimator({"bClass": i % 2 * 3}) for i in range(40)]
    classes, _ = flow.by_class(q, cents, "2")
    assert [(c.label, c.n_events) for c in classes] == [("0–10%", 20), ("30–40%", 20)]


def test_resolution_function():
    assert flow_stats.resolution(0.0) == 0.0
    # R(1) = √π/2 · e^{-1/2} · (I0(0.5) + I1(0.5)) with tabulated I0 = 1.06348, I1 = 0.25789
    assert flow_stats.resolution(1.0) == pytest.approx(0.71028, abs=2e-4)
    assert 0.98 < flow_stats.resolution(4.0) < 1.0
    assert flow_stats.chi_of(flow_stats.resolution(1.3)) == pytest.approx(1.3, abs=1e-6)


def test_event_plane_of_one_event():
    phi = np.array([0.3, 0.3 + np.pi, 0.3, 0.3 - np.pi])
    tracks = ak.Array({"pt": np.ones(4), "eta": np.zeros(4), "phi": phi, "charge": np.ones(4)})
    assert flow.event_plane(tracks) == pytest.approx(0.3)


def test_real_cms_pbpb_hiforest(opendata):
    """CMS 2011 Pb+Pb, 10 events, hiBin 0–73: the v2 over all events is physical.

    Published CMS v2{EP} (PRC 87, 014902 (2013), 0.3 < pT < 3 GeV) runs from
    ~0.03 (0–5 %) to ~0.07 (40–50 %); with 10 events and |Δη| > 1 the bounds
    here are generous: 0.02 < v2 < 0.12 and an error below 0.03.
    """
    from collider_viz.io.registry import open_events
    path = opendata("cms_root/HiForest_PbPb2011_tracks_10evts.root")
    with open_events(str(path)) as source:
        batch = source.read(0, len(source), collections=["tracks"])
    cents = centrality.for_file(batch.ids, None, len(batch))
    assert all(c is not None and c.source == "hiBin" for c in cents)
    classes, everything = flow.by_class(flow.sub_events(batch.collections["tracks"]), cents)
    assert everything.n_events == 10
    assert 0.02 < everything.v2 < 0.12 and everything.v2_err < 0.03
    assert [c.label for c in classes][0] == "0–5%"
