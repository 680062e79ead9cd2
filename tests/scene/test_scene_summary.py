"""Overlay text of heavy-ion events and the notices about undrawn objects (no Qt)."""

from __future__ import annotations

import numpy as np

from collider_viz.physics.event import Event, EventMeta, SourceInfo, particles
from collider_viz.scene.summary import SourceStats, notice_lines, overlay_lines


def _event(n, system="Pb+Pb", entry=0, extra=None):
    eta = np.linspace(-1, 1, n)
    tracks = particles(np.ones(n), eta, np.zeros(n), np.zeros(n), np.ones(n, np.int32))
    info = SourceInfo(path="x", format="t", detector="ALICE", collision_system=system)
    return Event(meta=EventMeta(entry=entry, extra=extra or {}), info=info,
                 collections={"tracks": tracks})


def test_pp_events_get_no_heavy_ion_lines():
    assert overlay_lines(_event(50, "pp")) == []


def test_stored_impact_parameter_class_is_preferred():
    lines = overlay_lines(_event(1000, extra={"bClass": 2, "b": 7.3}))
    assert lines[0] == "1,000 charged tracks · 500 with |η| < 0.5"  # a count, not a corrected dN/dη
    assert lines[1] == "Centrality 20–30% (generator impact parameter, b = 7.3 fm)"


def test_multiplicity_class_from_the_file():
    stats = SourceStats.from_counts({"tracks": np.arange(100, 0, -1)})  # >= 50 events
    assert stats.percentile(0) == 0.0 and stats.rank(0) == 1
    assert overlay_lines(_event(10, entry=15), stats)[1].startswith("Centrality 10–20%")
    few = SourceStats.from_counts({"tracks": np.array([5, 9, 7])})
    assert "rank 1 of 3" in overlay_lines(_event(10, entry=1), few)[1]
    assert few.class_labels()[1] == ""  # 3 events: a rank, never a class in the table


def test_notices():
    assert notice_lines({"tracks": (0, 10, 10, None)}) == []
    assert notice_lines({"tracks": (1, 9, 9, None)}) == ["1 track with invalid kinematics skipped"]
    assert notice_lines({"tracks": (0, 5, 8, 5), "calo": (2, 3, 3, None)}) == [
        "5 of 8 tracks shown (display limit; highest pT first)",
        "2 calorimeter deposits with invalid kinematics skipped"]


def test_event_plane_line_and_segment():
    from collider_viz.scene.flow_overlay import event_plane_segment, flow_line
    n = 40
    phi = np.where(np.arange(n) % 2, 0.5, 0.5 - np.pi)  # all along ±0.5 rad: Ψ2 = 0.5
    tracks = particles(np.ones(n), np.zeros(n), phi, np.zeros(n), np.ones(n, np.int32))
    info = SourceInfo(path="x", format="t", detector="STAR", collision_system="Au+Au")
    event = Event(meta=EventMeta(entry=0, extra={"psiRP": 0.5 + np.pi}), info=info,
                  collections={"tracks": tracks})
    seg = event_plane_segment(tracks, 2.0)
    assert np.allclose(seg[1], [2 * np.cos(0.5), 2 * np.sin(0.5)]) and np.allclose(seg[0], -seg[1])
    assert flow_line(event) == ("Event plane Ψ2 = +29° (tracks 0.2–5 GeV) · reaction plane +29° "
                                "(flow imposed)")
    assert overlay_lines(event)[-1] == flow_line(event)
