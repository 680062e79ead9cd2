"""Selection mass, summed pT and charges against masses computed independently from the files."""

from __future__ import annotations

import math

import numpy as np
import pytest

from collider_viz.io.registry import open_events
from collider_viz.masterclass.measure import measure, summary_lines, toggle


def _mass(objs) -> float:
    """Invariant mass by hand (E, p from pt, eta, phi, m) — no vector."""
    e = px = py = pz = 0.0
    for pt, eta, phi, m in objs:
        p = pt * math.cosh(eta)
        e += math.sqrt(p * p + m * m)
        px, py, pz = px + pt * math.cos(phi), py + pt * math.sin(phi), pz + pt * math.sinh(eta)
    return math.sqrt(max(e * e - px * px - py * py - pz * pz, 0.0))


def test_zmumu_mass_is_the_files_own(opendata):
    path = opendata("cms_root/uproot-Zmumu.root")
    with open_events(path) as source:
        for entry in (0, 7, 42):
            event = source[entry]
            m = measure(event, [("muons", 0), ("muons", 1)])
            assert m.mass == pytest.approx(event.meta.extra["M"], rel=1e-6)
            assert m.charges == tuple(int(c) for c in event["muons"].charge)


def test_four_muons_of_4lepton_ig_against_hand_sum(opendata):
    path = opendata("cms_ispy/4lepton.ig")
    with open_events(path) as source:
        event = source[0]
        mu = event["muons"]
        picks = [("muons", i) for i in range(len(mu))]
        m = measure(event, picks)
    objs = list(zip(mu.pt, mu.eta, mu.phi, mu.mass, strict=True))
    assert m.mass == pytest.approx(_mass(objs), rel=1e-9)
    assert m.pt_sum == pytest.approx(float(np.sum(mu.pt)))
    assert m.total_charge == int(np.sum(mu.charge))


def test_toggle_and_errors(opendata):
    assert toggle((("muons", 0),), ("muons", 1), add=True) == (("muons", 0), ("muons", 1))
    assert toggle((("muons", 0), ("muons", 1)), ("muons", 0), add=True) == (("muons", 1),)
    assert toggle((("muons", 0), ("muons", 1)), ("jets", 3), add=False) == (("jets", 3),)
    with open_events(opendata("cms_root/uproot-Zmumu.root")) as source:
        event = source[0]
    one = measure(event, [("muons", 0)])
    assert one.mass is None and "M = —" in summary_lines(one)
    assert "charges: ? ?" in summary_lines(measure(event, [("muons", 0), ("muons", 1)]),
                                           show_charges=False)
    with pytest.raises(IndexError):
        measure(event, [("muons", 5)])
    with pytest.raises(KeyError):
        measure(event, [("met", 0)])
