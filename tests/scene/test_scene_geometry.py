"""Pure geometry, colour and picking helpers."""

from __future__ import annotations

import numpy as np
import pytest

from collider_viz.scene import geometry, picking
from collider_viz.scene.style import Style, pt_colors, species_colors
from collider_viz.scene.views import eta_phi, to_view


def test_prisms_stand_on_their_base_and_point_outwards():
    base = np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 1.0]])
    d = base / np.linalg.norm(base, axis=1, keepdims=True)
    verts, faces = geometry.prisms(base, d, np.array([0.5, 1.0]), 0.1)
    assert verts.shape == (16, 3) and faces.shape == (24, 3)
    np.testing.assert_allclose(verts[:4].mean(axis=0), base[0], atol=1e-6)
    np.testing.assert_allclose(verts[4:8].mean(axis=0), base[0] + 0.5 * d[0], atol=1e-6)
    assert faces.max() == 15


def test_cones_rim_radius_follows_half_angle():
    apex = np.zeros((1, 3))
    verts, faces = geometry.cones(apex, np.array([[0.0, 0.0, 1.0]]), 2.0, np.array([0.2]), n_seg=8)
    rim = verts[1:9]
    np.testing.assert_allclose(np.hypot(rim[:, 0], rim[:, 1]), 2.0 * np.tan(0.2), rtol=1e-5)
    assert faces.shape == (16, 3)


def test_dashes_cover_the_line_in_pairs():
    pts, owner = geometry.dashes(np.zeros((2, 3)), np.array([[1.0, 0, 0], [0, 0.5, 0]]), 0.06, 0.04)
    assert len(pts) == len(owner) and len(pts) % 2 == 0
    assert set(owner) == {0, 1}
    assert 0.9 <= pts[owner == 0][:, 0].max() <= 1.0


def test_polyline_connect_false_at_ends():
    mask = geometry.polyline_connect(np.array([3, 2]))
    assert mask.tolist() == [True, True, False, True, False]


def test_views_map_points():
    p = np.array([[0.3, -0.4, 2.0]])
    assert to_view(p, "rphi")[0].tolist() == pytest.approx([0.3, -0.4, 0.0])
    assert to_view(p, "rz")[0].tolist() == pytest.approx([2.0, -0.5, 0.0])
    assert to_view(p, "rz", np.array([1.0]))[0].tolist() == pytest.approx([2.0, 0.5, 0.0])
    eta, phi = eta_phi(p)
    assert eta[0] == pytest.approx(np.arcsinh(4.0)) and phi[0] == pytest.approx(np.arctan2(-0.4, 0.3))
    with pytest.raises(ValueError):
        to_view(p, "xy")


def test_colour_rules():
    low, high = pt_colors(np.array([0.2, 80.0]), Style())
    assert low[2] > low[0] and high[0] > high[2]       # blue for soft, red for hard
    sp = species_colors(np.array([211, -211, 2212, 999]), 4, Style())
    assert np.allclose(sp[0], sp[1]) and not np.allclose(sp[0], sp[2])
    dark, light = Style("dark").color("positive"), Style("light").color("positive")
    assert light[:3].sum() < dark[:3].sum()


def test_segment_distance_and_triangle_containment():
    a = np.array([[0.0, 0.0], [10.0, 10.0]])
    b = np.array([[10.0, 0.0], [10.0, 20.0]])
    d = picking.segment_distances(a, b, np.array([5.0, 3.0]))
    assert d.tolist() == pytest.approx([3.0, np.hypot(5, 7)])
    tri = np.array([[[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]]])
    assert picking.triangles_contain(tri, np.array([2.0, 2.0])).tolist() == [True]
    assert picking.triangles_contain(tri, np.array([8.0, 8.0])).tolist() == [False]


def test_nearest_picks_closest_owner_within_radius():
    pts = np.array([[0.0, 0, 0], [100.0, 0, 0], [0, 50.0, 0], [100.0, 50.0, 0]])
    prim = ("segments", (pts, np.array([0, 2])), np.array([7, 9]))

    def project(p):
        return p[:, :2], np.ones(len(p), bool)

    assert picking.nearest([("tracks", [prim])], project, 50.0, 46.0) == ("tracks", 9)
    assert picking.nearest([("tracks", [prim])], project, 50.0, 25.0) is None
