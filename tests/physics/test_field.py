"""Field regions as data (physics/field.py) and the stepper (physics/stepping.py)."""

from __future__ import annotations

import numpy as np
import pytest

from collider_viz.errors import ColliderVizError
from collider_viz.physics import detector as detmod
from collider_viz.physics.detector import load_detector
from collider_viz.physics.field import FieldMap, FieldRegion, region_from_toml
from collider_viz.physics.helix import helix_positions
from collider_viz.physics.stepping import Bounds, helix_step, step_paths
from collider_viz.physics.trajectories import muon_paths


def _at(fmap: FieldMap, *xyz: float) -> np.ndarray:
    return fmap.field(np.array([xyz], dtype=float))[0]


def test_region_shapes():
    ramp = FieldRegion("coil", "axial", 4.0, 1.0, 2.0, 0.0, 5.0, field_outer_t=0.0)
    radial = FieldRegion("disk", "radial", 1.5, 0.0, 7.0, 7.0, 8.0)
    toroid = FieldRegion("toroid", "toroidal", 0.5, 4.0, 10.0, 0.0, 12.0, r_ref=5.0)
    dipole = FieldRegion("dipole", "uniform", 1.0, 0.0, 3.0, 3.0, 8.0, axis=(0.0, 1.0, 0.0),
                         mirror=False)
    fmap = FieldMap((ramp, radial, toroid, dipole))
    assert _at(fmap, 1.25, 0, 1)[2] == pytest.approx(3.0)
    assert _at(fmap, 0, -1.75, -1)[2] == pytest.approx(1.0)    # mirrored, same sign
    np.testing.assert_allclose(_at(fmap, 0, 3, 7.5), [0, 1.5, 0])
    np.testing.assert_allclose(_at(fmap, 0, 3, -7.5), [0, -1.5, 0])  # Br flips at -z
    np.testing.assert_allclose(_at(fmap, 7.0, 0, 1), [0, 0.5 * 5 / 7, 0])  # 1/r
    np.testing.assert_allclose(_at(fmap, 0, 5, 1), [-0.5, 0, 0])     # B_phi = phi-hat
    np.testing.assert_allclose(_at(fmap, 0.5, 0, 1.0), [0, 0, 0])    # inside none
    np.testing.assert_allclose(_at(fmap, 0.5, 0.5, 5.0), [0, 1, 0])
    np.testing.assert_allclose(_at(fmap, 0.5, 0.5, -5.0), [0, 0, 0])  # dipole not mirrored
    assert fmap.region_index(np.array([[1.5, 0, 1], [20, 0, 0]])).tolist() == [0, -1]


def test_first_region_wins_and_bad_regions_are_refused():
    inner = FieldRegion("a", "axial", 2.0, 0.0, 1.0, 0.0, 1.0, dedx_gev_per_m=1.0)
    outer = FieldRegion("b", "axial", -1.0, 0.0, 3.0, 0.0, 3.0)
    fmap = FieldMap((inner, outer))
    assert [fmap.bz(r) for r in (0.5, 2.0, 4.0)] == [2.0, -1.0, 0.0]
    assert fmap.dedx(np.array([[0.5, 0, 0], [2, 0, 0]])).tolist() == [1.0, 0.0]
    good = {"name": "x", "kind": "axial", "field_t": 1, "r_min": 0, "r_max": 1, "z_min": 0,
            "z_max": 1}
    assert region_from_toml(good).field_t == 1.0
    for bad, match in (({"kind": "quadrupole"}, "kind must be one of"),
                       ({"r_max": 0}, "min >= max"),
                       ({"kind": "uniform", "axis": [0, 0, 0]}, "axis")):
        with pytest.raises(ValueError, match=match):
            region_from_toml({**good, **bad})


def test_bad_field_table_in_a_detector_file(tmp_path, monkeypatch):
    text = (detmod.DETECTOR_DIR / "cms.toml").read_text()
    (tmp_path / "bad.toml").write_text(text.replace('kind = "radial"', 'kind = "wiggler"', 1))
    monkeypatch.setattr(detmod, "DETECTOR_DIR", tmp_path)
    detmod._load.cache_clear()
    try:
        with pytest.raises(ColliderVizError, match=r"bad\.toml.*wiggler"):
            load_detector("bad")
    finally:
        detmod._load.cache_clear()


def test_cms_field_regions():
    """[1] 3.8 T inside; [3] -1.8 T only in the three steel layers, 0 in the chamber gaps."""
    fmap = load_detector("CMS").field_map
    assert [fmap.bz(r) for r in (0.0, 1.0, 2.5, 3.1)] == [3.8] * 4
    assert 0.0 < fmap.bz(3.3) < 3.8                       # across the winding
    for r in (3.6, 4.3, 5.1, 6.2, 7.2):                   # cryostat, MB1..MB4
        assert fmap.bz(r) == 0.0, r
    for r in (4.7, 5.6, 6.7):                             # YB layers 1-3
        assert fmap.bz(r) == -1.8, r
    r = np.linspace(3.3, 7.3, 4001)
    mean = np.mean([fmap.bz(x) for x in r])
    assert -1.25 < mean < -0.5                            # what CMS's muon points show
    assert fmap.bz(4.7, 6.5) == -1.8 and fmap.bz(4.7, 6.7) == 0.0
    br = fmap.field(np.array([[3.0, 0.0, 7.6], [3.0, 0.0, -7.6]]))
    assert br[0, 0] > 1.0 and br[1, 0] < -1.0             # YE1: radial, flips with z


def test_step_is_an_exact_helix_in_a_uniform_field():
    fmap = FieldMap((FieldRegion("s", "axial", 3.8, 0.0, 5.0, 0.0, 5.0),))
    pt, eta, phi, q = np.array([0.7, 5.0]), np.array([0.3, -1.0]), np.array([0.2, 2.0]), \
        np.array([1.0, -1.0])
    sin_t = 1 / np.cosh(eta)
    d = np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), np.tanh(eta)], 1)
    paths = step_paths(np.zeros((2, 3)), d, pt * np.cosh(eta), q, fmap,
                       Bounds(r_max=1.2, z_lo=-3.0, z_hi=3.0))
    for i in range(2):
        pts = paths.path(i).astype(float)
        transverse = paths.path_length[paths.offsets[i]:paths.offsets[i + 1]] / np.cosh(eta[i])
        expect = helix_positions(pt[i:i + 1], eta[i:i + 1], phi[i:i + 1], q[i:i + 1], 0, 0, 0,
                                 transverse[None, :].astype(float), field_t=3.8)[0]
        np.testing.assert_allclose(pts, expect, atol=2e-5)
    # one long step equals many short ones
    one = helix_step(np.zeros((1, 3)), d[:1], np.array([[0, 0, 3.8]]), q[:1],
                     np.array([pt[0] * np.cosh(eta[0])]), 1.0)
    assert np.linalg.norm(one[1]) == pytest.approx(1.0)


def test_muon_bends_in_the_steel_only_and_ranges_out():
    cms = load_detector("CMS")
    paths = muon_paths([10.0, 10.0], [0.1, 0.1], [0.5, 0.5], [1, -1], 0.0, 0.0, 0.0, cms)
    for i, sign in ((0, -1.0), (1, 1.0)):
        pts = paths.path(i).astype(np.float64)
        seg = np.diff(pts[:, :2], axis=0)
        turn = np.cross(seg[:-1], seg[1:]) / np.linalg.norm(seg[:-1], axis=1) ** 2
        r = np.hypot(*pts[1:-1, :2].T)
        assert np.all(sign * turn[r < 2.9] > 0)                # solenoid: clockwise for q > 0
        assert np.all(np.abs(turn[(r > 3.6) & (r < 4.5)]) < 1e-4)   # gap holding MB1 (float32 noise ~2e-6)
        steel = (r > 5.45) & (r < 5.9)
        assert steel.sum() >= 4 and np.all(sign * turn[steel] < 0)  # bends back in YB2 only
        assert np.hypot(*pts[-1, :2]) == pytest.approx(cms.muon_radius_max, abs=0.05)
    # a 3 GeV muon at eta = 0 loses ~2 GeV in the calorimeters and coil: never reaches MB2
    soft = muon_paths(3.0, 0.0, 0.0, 1, 0.0, 0.0, 0.0, cms)
    assert np.hypot(*soft.points[:, :2].T).max() < 4.9
    forward = muon_paths(50.0, 2.0, 0.0, 1, 0.0, 0.0, 0.0, cms)
    assert forward.points[-1, 2] == pytest.approx(cms.muon_endcap_z_max, abs=0.05)


def test_detectors_without_field_tables_get_their_solenoid():
    star = load_detector("STAR")
    assert len(star.field_map.regions) == 1
    assert star.field_map.bz(1.0) == 0.5 and star.field_map.bz(3.0) == 0.0
    p = muon_paths(2.0, 0.2, 0.0, 1, 0.0, 0.0, 0.0, star)
    assert np.hypot(*p.points[-1, :2]) == pytest.approx(star.muon_radius_max, abs=0.05)
