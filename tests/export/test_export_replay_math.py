"""Replay geometry: polylines cut at a common path length (pure numpy)."""

from __future__ import annotations

import numpy as np

from collider_viz.export.replay import arc_lengths, clip_polylines, reveal_threshold, schedule

PTS = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0],
                [0, 0, 0], [0, 1, 0], [0, 2, 0]], np.float32)
CONNECT = np.array([1, 1, 1, 0, 1, 1, 0], bool)


def test_replay_arc_lengths_restart_per_polyline():
    np.testing.assert_allclose(arc_lengths(PTS, CONNECT), [0, 1, 2, 3, 0, 1, 2])


def test_replay_clip_cuts_inside_a_segment():
    pts, connect = clip_polylines(PTS, CONNECT, arc_lengths(PTS, CONNECT), 1.5)
    np.testing.assert_allclose(pts[:, 0], [0, 1, 1.5, 1.5, 0, 0, 0])
    np.testing.assert_allclose(pts[4:, 1], [0, 1, 1.5])
    assert connect.tolist() == [True, True, False, False, True, True, False]


def test_replay_clip_full_length_is_identity():
    pts, connect = clip_polylines(PTS, CONNECT, arc_lengths(PTS, CONNECT), 10.0)
    np.testing.assert_array_equal(pts, PTS)
    np.testing.assert_array_equal(connect, CONNECT)


def test_replay_schedule_tracks_then_calorimeter():
    assert schedule(0.0) == (0.0, 0.0)
    assert schedule(1.0) == (1.0, 1.0)
    grow, calo = schedule(0.35)
    assert 0 < grow < 1 and calo == 0


def test_replay_reveal_most_energetic_first():
    values = np.array([5.0, 1.0, 3.0, 10.0])
    assert reveal_threshold(values, 0.0, 0.5) == np.inf
    assert reveal_threshold(values, 0.5, 0.5) == 5.0
    assert reveal_threshold(values, 1.0, 0.5) == 0.5
