"""What the overlay says is true: acceptance beyond the drawn tracker, cut lines, raw counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from collider_viz.gui.overlay import acceptance_line, cut_lines, tracker_coverage
from collider_viz.physics.detector import load_detector

SAMPLES = Path(__file__).resolve().parents[2] / "sample_events"


def _first_event(name):
    from collider_viz.io.registry import open_events

    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"sample {name} has not been generated (make samples)")
    with open_events(path) as source:
        return source[0]


def test_tracker_coverage_of_the_tpc_detectors():
    reach, name, cover = tracker_coverage(load_detector("ALICE"))
    assert name == "Time Projection Chamber" and cover == pytest.approx(0.89, abs=0.02)
    assert 0.9 < reach < 1.5  # the ITS reaches a little further
    assert tracker_coverage(load_detector("STAR"))[2] == pytest.approx(0.9, abs=0.05)


def test_simulated_alice_sample_says_its_tracks_go_beyond_the_tpc():
    line = acceptance_line(_first_event("pbpb_5TeV_alice.root"), load_detector("ALICE"))
    assert line is not None and "|η| = 4.0" in line and "Time Projection Chamber" in line
    assert "|η| < 0.9" in line and "of 17,019 tracks" in line


def test_events_inside_the_tracker_get_no_acceptance_line():
    assert acceptance_line(_first_event("higgs_diphoton_13TeV.root"), load_detector("CMS")) is None
    assert acceptance_line(_first_event("auau_200GeV_star.root"), load_detector("STAR")) is None


def test_cut_lines_name_every_active_cut_and_hidden_collection():
    state = {"visible": {"tracks": True, "muons": False}, "thresholds": {"tracks": 2.6, "calo": 0.0}}
    lines = cut_lines({"tracks": 17019, "muons": 2, "calo": 10}, state, {"tracks": 180})
    assert lines == ["tracks pT ≥ 2.6 GeV: 180 of 17,019 shown", "muons hidden (2)"]
