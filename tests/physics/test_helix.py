"""Helix propagation checked against the circle geometry of a charge in a solenoid."""

from __future__ import annotations

import time

import numpy as np
import pytest

from collider_viz.physics.detector import load_detector
from collider_viz.physics.helix import (
    C_LIGHT,
    Paths,
    calorimeter_impact,
    curvature,
    electron_paths,
    exit_length,
    helix_exit_point,
    helix_paths,
    helix_positions,
    helix_radius,
    photon_paths,
    straight_paths,
)

K = 0.299792458  # GeV / (T m e)


def _radius(pt, q, b):
    return pt / (K * abs(q) * abs(b))


def _circumradius(p1, p2, p3):
    a, b, c = (np.linalg.norm(p2 - p3), np.linalg.norm(p1 - p3), np.linalg.norm(p1 - p2))
    cross = np.cross(p2 - p1, p3 - p1)
    return a * b * c / (2.0 * abs(cross))


@pytest.mark.parametrize("b", [0.5, 2.0, 3.8, -3.8])
@pytest.mark.parametrize("pt", [0.2, 1.0, 10.0, 250.0])
@pytest.mark.parametrize("q", [1, -1, 2])
def test_radius_matches_formula(b, pt, q):
    r_expected = _radius(pt, q, b)
    phi0, vx, vy = 0.7, 0.003, -0.002
    length = np.linspace(0.0, 0.5 * np.pi * r_expected, 33)[None, :]
    pts = helix_positions(pt, 0.4, phi0, q, vx, vy, 0.01, length, field_t=b)[0]
    # centre from the geometry: perpendicular to the start direction, R away
    side = np.sign(q * b)  # +1: clockwise, centre to the right of the direction
    centre = np.array([vx + side * r_expected * np.sin(phi0), vy - side * r_expected * np.cos(phi0)])
    dist = np.hypot(pts[:, 0] - centre[0], pts[:, 1] - centre[1])
    np.testing.assert_allclose(dist, r_expected, rtol=1e-9)
    xy = pts[:, :2]
    assert _circumradius(xy[0], xy[16], xy[32]) == pytest.approx(r_expected, rel=1e-9)
    assert _circumradius(xy[3], xy[9], xy[27]) == pytest.approx(r_expected, rel=1e-9)
    assert helix_radius(pt, q, b) == pytest.approx(r_expected, rel=1e-12)


def _turning(paths: Paths, i: int) -> np.ndarray:
    """Change of transverse direction between consecutive segments of path i."""
    seg = np.diff(paths.path(i)[:, :2].astype(np.float64), axis=0)
    angle = np.unwrap(np.arctan2(seg[:, 1], seg[:, 0]))
    return np.diff(angle)


def test_positive_charge_bends_clockwise_in_positive_field():
    p = helix_paths([1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [1, -1, 1],
                    None, None, None, field_t=[3.8, 3.8, -3.8], r_max=1.1, z_max=2.7)
    assert np.all(_turning(p, 0) < 0)  # dphi/ds < 0: clockwise seen from +z
    assert np.all(_turning(p, 1) > 0)  # the charge flips it
    assert np.all(_turning(p, 2) > 0)  # and so does the field
    np.testing.assert_allclose(p.path(0)[:, 0], p.path(1)[:, 0], atol=1e-6)  # mirror images
    np.testing.assert_allclose(p.path(0)[:, 1], -p.path(1)[:, 1], atol=1e-6)
    assert p.path(0)[-1, 1] < -0.1  # moving along +x, a positive track curls towards -y
    assert curvature(1.0, 1, 3.8) > 0


@pytest.mark.parametrize("b,r", [(3.8, 1.1), (0.5, 2.0), (0.5, 2.47)])
def test_low_pt_track_never_leaves_radius(b, r):
    pt_threshold = K * b * r / 2.0
    p = helix_paths([0.9 * pt_threshold, 1.1 * pt_threshold], [0.2, 0.2], [1.0, 1.0],
                    [1, 1], 0.0, 0.0, 0.0, field_t=b, r_max=r, z_max=10.0)
    r_low = np.hypot(*p.path(0)[:, :2].T)
    assert r_low.max() <= r
    assert r_low.max() == pytest.approx(2 * _radius(0.9 * pt_threshold, 1, b), rel=1e-5)
    r_high = np.hypot(*p.path(1)[:, :2].T)
    assert r_high[-1] == pytest.approx(r, rel=1e-6)
    assert np.all(r_high <= r * (1 + 1e-6))


@pytest.mark.parametrize("pt,eta,q", [(1.0, 0.3, 1), (3.0, -1.1, -1), (0.8, 0.9, 1),
                                      (5000.0, 0.5, 1)])
def test_exit_through_barrel(pt, eta, q):
    b, r_max, vz = 3.8, 1.1, 0.04
    radius = _radius(pt, q, b)
    alpha = 2.0 * np.arcsin(r_max / (2.0 * radius))  # vertex on the axis
    end = helix_exit_point(pt, eta, 2.0, q, 0.0, 0.0, vz, field_t=b, r_max=r_max, z_max=2.7)[0]
    assert np.hypot(end[0], end[1]) == pytest.approx(r_max, rel=1e-9)
    assert end[2] == pytest.approx(vz + radius * alpha * np.sinh(eta), rel=1e-9)
    p = helix_paths(pt, eta, 2.0, q, 0.0, 0.0, vz, field_t=b, r_max=r_max, z_max=2.7)
    last = p.points[-1].astype(np.float64)
    assert np.hypot(last[0], last[1]) == pytest.approx(r_max, rel=1e-6)
    assert last[2] == pytest.approx(vz + radius * alpha * np.sinh(eta), rel=1e-6)
    assert p.path_length[-1] == pytest.approx(radius * alpha * np.cosh(eta), rel=1e-6)


def test_exit_through_endcap_plane():
    eta, b, z_max, vz = 2.2, 3.8, 2.7, -0.05
    end = helix_exit_point(20.0, eta, 0.0, -1, 0.0, 0.0, vz, field_t=b, r_max=1.1, z_max=z_max)
    assert end[0, 2] == pytest.approx(z_max, rel=1e-12)
    length = (z_max - vz) / np.sinh(eta)
    assert exit_length(20.0, eta, 0.0, -1, 0, 0, vz, field_t=b, r_max=1.1,
                       z_max=z_max)[0] == pytest.approx(length, rel=1e-12)


def test_displaced_vertices_end_on_the_cylinder():
    rng = np.random.default_rng(7)
    n = 3000
    pt = rng.uniform(0.7, 50.0, n)
    eta = rng.uniform(-0.6, 0.6, n)
    phi = rng.uniform(-np.pi, np.pi, n)
    q = rng.choice([-1, 1], n)
    vx, vy = rng.normal(0, 0.01, n), rng.normal(0, 0.01, n)
    end = helix_exit_point(pt, eta, phi, q, vx, vy, 0.0, field_t=3.8, r_max=1.1, z_max=2.7)
    np.testing.assert_allclose(np.hypot(end[:, 0], end[:, 1]), 1.1, rtol=1e-9)
    p = helix_paths(pt, eta, phi, q, vx, vy, 0.0, field_t=3.8, r_max=1.1, z_max=2.7)
    radii = np.hypot(p.points[:, 0], p.points[:, 1])
    assert radii.max() <= 1.1 * (1 + 1e-6)
    np.testing.assert_allclose(radii[p.offsets[1:] - 1], 1.1, rtol=1e-6)
    # the float32 paths sample the float64 helix
    length = exit_length(pt, eta, phi, q, vx, vy, 0.0, field_t=3.8, r_max=1.1, z_max=2.7)
    mid = helix_positions(pt, eta, phi, q, vx, vy, 0.0, length * 24 / 47, field_t=3.8)
    np.testing.assert_allclose(p.points[p.offsets[:-1] + 24], mid, atol=2e-6)


def test_every_track_stays_inside_and_stops_on_a_boundary():
    rng = np.random.default_rng(3)
    n = 2000
    pt = rng.exponential(1.0, n) + 0.1
    eta = rng.uniform(-3, 3, n)
    p = helix_paths(pt, eta, rng.uniform(-np.pi, np.pi, n), rng.choice([-1, 0, 1], n),
                    rng.normal(0, 1e-3, n), rng.normal(0, 1e-3, n), rng.normal(0, 0.05, n),
                    field_t=3.8, r_max=1.1, z_max=2.7)
    r = np.hypot(p.points[:, 0], p.points[:, 1])
    assert r.max() <= 1.1 * (1 + 1e-6) and np.abs(p.points[:, 2]).max() <= 2.7 * (1 + 1e-6)
    ends = p.offsets[1:] - 1
    on_barrel = np.isclose(r[ends], 1.1, rtol=1e-6)
    on_endcap = np.isclose(np.abs(p.points[ends, 2]), 2.7, rtol=1e-6)
    looper = (pt < K * 3.8 * 1.1 / 2 * 1.05) & ~on_endcap
    assert np.all(on_barrel | on_endcap | looper)
    assert on_barrel.sum() > 200 and on_endcap.sum() > 200 and looper.sum() > 100


def test_neutral_and_zero_field_are_straight():
    phi, eta = 0.9, -0.7
    direction = np.array([np.cos(phi), np.sin(phi), np.sinh(eta)])
    for q, b in ((0, 3.8), (1, 0.0)):
        p = helix_paths(5.0, eta, phi, q, 0.01, 0.02, 0.03, field_t=b, r_max=1.1, z_max=2.7)
        rel = p.points.astype(np.float64) - np.array([0.01, 0.02, 0.03])
        assert np.abs(np.cross(rel, direction)).max() < 1e-6
        assert np.hypot(*p.points[-1, :2]) == pytest.approx(1.1, rel=1e-6)
    s = straight_paths([0.0, 3.0], [0.0, 1.0], 0.0, 0.0, 0.0, r_max=1.29, z_max=3.17)
    assert s.counts().tolist() == [2, 2]
    np.testing.assert_allclose(s.path(0)[-1], [1.29, 0.0, 0.0], atol=1e-6)
    assert s.path(1)[-1, 2] == pytest.approx(3.17, rel=1e-6)


def _xy_turns(points: np.ndarray) -> np.ndarray:
    seg = np.diff(points[:, :2].astype(np.float64), axis=0)
    return np.cross(seg[:-1], seg[1:])  # z of consecutive segments: < 0 clockwise


def test_cms_tracks_end_on_the_calorimeter_face_and_loopers_keep_turning():
    """Tracks end where CMS's extrapolation does (r 1.275 m / |z| 3.168 m), not at the TOB."""
    from collider_viz.scene.sampling import looper_mask, track_geometry

    cms = load_detector("CMS")
    geo = track_geometry(np.array([20.0, 20.0, 0.3, 0.3]), np.array([0.3, 2.5, 0.05, 1.0]),
                         np.zeros(4), np.array([1.0, -1.0, 1.0, 1.0]), np.zeros(4), np.zeros(4),
                         np.zeros(4), cms)
    ends = geo.points[geo.offsets[1:] - 1].astype(np.float64)
    assert np.hypot(*ends[0, :2]) == pytest.approx(1.275, abs=1e-4)
    assert ends[1, 2] == pytest.approx(3.168, abs=1e-4)
    # a 0.3 GeV looper (R = 0.26 m) at eta 0.05: capped at 5 turns inside |z| < 3.168 m
    loop = geo.points[geo.offsets[2]:geo.offsets[3]].astype(np.float64)
    radius = 0.3 / (C_LIGHT * 3.8)
    turns = (loop[-1, 2] / np.sinh(0.05)) / (2 * np.pi * radius)
    assert turns == pytest.approx(5.0, rel=1e-3)
    assert np.hypot(*loop[:, :2].T).max() == pytest.approx(2 * radius, rel=1e-3)
    # at eta 1 it leaves |z| = 3.168 m after 3.168 / (2 pi R sinh 1) = 1.65 turns
    steep = geo.points[geo.offsets[3]:geo.offsets[4]].astype(np.float64)
    assert steep[-1, 2] == pytest.approx(3.168, abs=1e-4)
    assert looper_mask(np.array([20.0, 0.3, 0.3]), np.array([1, 1, 0]), np.zeros(3),
                       np.zeros(3), cms).tolist() == [False, True, False]


def test_calorimeter_impact_and_photon_paths():
    cms = load_detector("CMS")
    eta = np.array([0.5, -1.2, 2.0, -2.5])
    phi = np.array([0.0, 1.0, 2.0, -3.0])
    pts = calorimeter_impact(eta, phi, cms)
    r = np.hypot(pts[:, 0], pts[:, 1])
    np.testing.assert_allclose(r[:2], 1.29, rtol=1e-12)
    np.testing.assert_allclose(pts[:2, 2], 1.29 * np.sinh(eta[:2]), rtol=1e-12)
    np.testing.assert_allclose(pts[2:, 2], [3.17, -3.17], rtol=1e-12)
    np.testing.assert_allclose(r[2:], 3.17 / np.abs(np.sinh(eta[2:])), rtol=1e-12)
    np.testing.assert_allclose(np.arctan2(pts[:, 1], pts[:, 0]), phi, atol=1e-12)
    shifted = calorimeter_impact([0.0], [0.0], cms, vx=0.1, vy=0.0, vz=0.2)
    np.testing.assert_allclose(shifted[0], [1.29, 0.0, 0.2], atol=1e-12)
    paths = photon_paths(eta, phi, cms)
    np.testing.assert_allclose(paths.end_points(), pts, rtol=1e-6)
    np.testing.assert_allclose(paths.path_length[1::2], np.linalg.norm(pts, axis=1), rtol=1e-6)


def test_electron_paths_end_on_the_ecal():
    cms = load_detector("CMS")
    p = electron_paths([30.0, 30.0], [0.3, 2.0], [0.0, 1.0], [-1, 1], 0, 0, 0, cms)
    assert np.hypot(*p.path(0)[-1, :2]) == pytest.approx(cms.ecal_radius, rel=1e-6)
    assert p.path(1)[-1, 2] == pytest.approx(cms.ecal_endcap_z, rel=1e-6)


def test_thousand_tracks_in_one_call():
    rng = np.random.default_rng(11)
    n, m = 1000, 48
    pt = rng.exponential(2.0, n) + 0.2
    eta = rng.uniform(-2.5, 2.5, n)
    args = (pt, eta, rng.uniform(-np.pi, np.pi, n), rng.choice([-1, 1], n), 0.0, 0.0, 0.0)
    t0 = time.perf_counter()
    p = helix_paths(*args, field_t=3.8, r_max=1.1, z_max=2.7, n_points=m)
    elapsed = time.perf_counter() - t0
    assert len(p) == n and p.offsets.dtype == np.int64 and p.offsets.shape == (n + 1,)
    assert p.points.shape == (n * m, 3) and p.points.dtype == np.float32
    assert p.path_length.shape == (n * m,) and p.path_length.dtype == np.float32
    connect = p.connect()
    assert connect.shape == (n * m,) and (~connect).sum() == n
    assert not connect[p.offsets[1:] - 1].any() and connect[p.offsets[:-1]].all()
    plen = p.path_length.reshape(n, m)
    assert np.all(plen[:, 0] == 0) and np.all(np.diff(plen, axis=1) > 0)
    # 3D path length is the arc length: compare with the polyline (it is a slight undercut)
    seg = np.linalg.norm(np.diff(p.points.reshape(n, m, 3).astype(np.float64), axis=1), axis=2)
    np.testing.assert_allclose(seg.sum(axis=1), plen[:, -1], rtol=2e-3)
    assert elapsed < 1.0  # typically a few ms; generous for shared CI machines


def test_empty_paths():
    p = helix_paths([], [], [], [], None, None, None, field_t=3.8, r_max=1.1, z_max=2.7)
    assert len(p) == 0 and p.points.shape == (0, 3) and p.connect().shape == (0,)


def test_recorded_points_replace_the_computed_helix():
    """Objects with >= 2 path_x/_y/_z points are drawn through them; others get helices."""
    import awkward as ak
    from vispy import scene

    from collider_viz.scene.layers import BuildContext, TrackLayer

    cms = load_detector("CMS")
    path = [[0.0, 0.5, 1.0, 1.275], [0.0, 0.1, 0.3, 0.6], [0.0, 0.0, 0.1, 0.2]]
    tracks = ak.Array({"pt": [10.0, 5.0, 2.0], "eta": [0.1, 0.5, -1.0], "phi": [0.0, 1.0, 2.0],
                       "charge": [1, -1, 1],
                       "path_x": [path[0], [0.3], path[0][:2]],
                       "path_y": [path[1], [0.1], [0.0, float("nan")]],
                       "path_z": [path[2], [0.2], [0.0, 0.1]]})
    layer = TrackLayer("tracks", scene.Node())
    layer.set_data(tracks, BuildContext(detector=cms, origin=np.zeros(3)))
    counts = np.diff(layer.offsets)
    assert counts[0] == 4 and counts[1] > 2 and counts[2] > 2
    np.testing.assert_allclose(layer.line.points[:4], np.array(path).T, atol=1e-6)
    assert layer.from_recorded.tolist() == [True, False, False]   # 1 point; a NaN point
    ends = layer.line.points[layer.offsets[1:] - 1]
    assert np.hypot(*ends[1, :2]) == pytest.approx(1.275, abs=1e-4)
    assert not layer.line.connect_mask(np.ones(3, bool))[layer.offsets[1:] - 1].any()
    assert "1 track drawn through the experiment's own points" in layer.notes()
