"""The LHCb B±→h±h±h∓ preset: hand-built rows and the real exercise file."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest

from collider_viz.io.registry import open_events
from collider_viz.physics.event import EventBatch, particles_from_cartesian
from collider_viz.physics.scan import scan_files
from collider_viz.physics.selections import PRESETS

KAON = 0.493677  # GeV, PDG


def _rows(momenta: list[list[tuple[float, float, float, int]]]) -> EventBatch:
    """Events of tracks given as (px, py, pz, charge) in GeV with the kaon mass."""
    def col(i: int) -> ak.Array:
        return ak.Array([[float(t[i]) for t in row] for row in momenta])

    px, py, pz = col(0), col(1), col(2)
    energy = np.sqrt(px**2 + py**2 + pz**2 + KAON**2)
    return EventBatch(0, {"tracks": particles_from_cartesian(px, py, pz, energy, col(3))})


def _b_decay() -> list[tuple[float, float, float, int]]:
    """Three kaons of a B at rest: 120° apart, each with E = m_B / 3 (mass computed below)."""
    p = float(np.sqrt((5.27941 / 3) ** 2 - KAON**2))
    return [(p * np.cos(a), p * np.sin(a), 0.3 * (k - 1), q)
            for k, (a, q) in enumerate(zip((0.0, 2.1, 4.2), (1, -1, 1)))]


def _mass(row: list[tuple[float, float, float, int]]) -> float:
    p = np.array([t[:3] for t in row])
    e = np.sqrt((p**2).sum(1) + KAON**2).sum()
    return float(np.sqrt(e**2 - (p.sum(0) ** 2).sum()))


def test_three_tracks_of_unit_charge_give_their_mass_only_in_the_window():
    row = _b_decay()
    m = _mass(row)
    wrong_charge = [(t[0], t[1], t[2], 1) for t in row]
    four = row + [(0.5, 0.5, 5.0, -1)]
    res = PRESETS["b2hhh"].apply(_rows([row, wrong_charge, four, row[:2]]))
    lo, hi = PRESETS["b2hhh"].window
    assert lo < m < hi
    assert res.passed.tolist() == [True, False, False, False]
    assert res.mass[0] == pytest.approx(m, rel=1e-9)
    assert res.indices(0) == {"tracks": [0, 1, 2]}


def test_real_lhcb_file_peaks_at_the_b_mass(opendata):
    path = opendata("lhcb/B2HHH_PhaseSpaceSimulation.root")
    import uproot

    raw = uproot.open(path)["PhaseSpaceTree"].arrays(library="np")
    p = np.stack([[raw[f"H{i}_P{c}"] / 1000.0 for c in "XYZ"] for i in (1, 2, 3)])  # GeV
    e = np.sqrt((p**2).sum(1) + KAON**2).sum(0)
    m = np.sqrt(e**2 - (p.sum(0) ** 2).sum(0))
    q = sum(raw[f"H{i}_Charge"] for i in (1, 2, 3))
    expected = int(((m > 4.8) & (m < 5.8) & (np.abs(q) == 1)).sum())
    with open_events(str(path)) as source:
        assert source.info.detector == "LHCb"
    result = scan_files([str(path)], "b2hhh")
    assert len(result) == expected > 49_000
    assert np.median(result.mass) == pytest.approx(5.279, abs=0.005)
