"""Detector descriptions: numbers as published, helpful errors."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from collider_viz.errors import ColliderVizError
from collider_viz.physics.detector import Detector, known_detectors, load_detector
from collider_viz.physics.helix import C_LIGHT


def test_known_detectors():
    assert known_detectors() == ("ALICE", "ATLAS", "CMS", "LHCB", "STAR")


@pytest.mark.parametrize("name", ["CMS", "cms", " Cms ", "star", "ALICE", "atlas", "Atlas",
                                  "LHCb", "lhcb", "LHCB"])
def test_load_is_case_insensitive(name):
    det = load_detector(name)
    assert isinstance(det, Detector)
    assert det.name.upper() == name.strip().upper()


def test_unknown_detector_lists_known_ones():
    with pytest.raises(ColliderVizError, match="sPHENIX.*ALICE, ATLAS, CMS, LHCB, STAR"):
        load_detector("sPHENIX")
    with pytest.raises(ColliderVizError):
        load_detector("../detectors/cms")


def _volume(det, name):
    (vol,) = [v for v in det.volumes if v.name == name]
    return vol


def test_cms_numbers():
    """Against JINST 3 S08004 [1], JINST 5 T03021 [3] and the measured .ig geometry [5]."""
    cms = load_detector("CMS")
    assert cms.field_t == 3.8
    assert cms.return_field_t == pytest.approx(-1.8)
    assert (cms.solenoid_radius, cms.solenoid_half_length) == (2.95, 6.25)
    assert (cms.tracker_radius, cms.tracker_half_length) == (1.16, 2.82)   # TOB r, TEC z
    assert (cms.track_end_radius, cms.track_end_z, cms.max_turns) == (1.275, 3.168, 5.0)
    assert (cms.ecal_radius, cms.ecal_endcap_z, cms.ecal_barrel_eta) == (1.29, 3.17, 1.479)
    assert (cms.muon_radius_max, cms.muon_endcap_z_max) == (7.37, 10.47)
    pixel = _volume(cms, "Pixel barrel")
    assert pixel.r_min == pytest.approx(0.03, abs=0.002) and pixel.r_max == 0.16
    assert _volume(cms, "Strip outer barrel (TOB)").r_max == 1.16
    assert _volume(cms, "Strip endcaps (TEC)").z_max == 2.82
    eb = _volume(cms, "ECAL barrel (EB)")
    assert (eb.r_min, eb.r_max, eb.z_max) == (1.29, 1.52, 2.9)
    ee = _volume(cms, "ECAL endcap (EE)")
    assert (ee.kind, ee.z_min, ee.z_max) == ("endcap", 3.17, 3.44)
    hb = _volume(cms, "HCAL barrel (HB)")
    assert (hb.r_min, hb.r_max) == (1.81, 2.89)
    assert _volume(cms, "HCAL endcap (HE)").kind == "endcap"
    barrel = sorted((v for v in cms.volumes_of("muon") if v.kind == "barrel"),
                    key=lambda v: v.r_min)
    centres = [0.5 * (v.r_min + v.r_max) for v in barrel]
    assert centres == pytest.approx([4.31, 5.125, 6.18, 7.205], abs=0.006)
    assert {v.z_max for v in barrel} == {6.60}
    steel = sorted(v.r_max - v.r_min for v in cms.volumes_of("magnet")
                   if v.name.startswith("Barrel yoke"))
    assert steel == pytest.approx([0.295, 0.63, 0.63])   # [3]
    endcap = sorted((v for v in cms.volumes_of("muon") if v.kind == "endcap"),
                    key=lambda v: v.z_min)
    assert [(v.z_min, v.z_max) for v in endcap] == [(5.78, 7.22), (8.05, 8.50), (9.12, 9.57),
                                                    (10.03, 10.47)]


def test_cms_muon_stations_where_the_ig_chambers_are():
    """MB1-MB4 centres and ME1-ME4 z measured here from the MuonChambers_V1 boxes."""
    from ig_reference import OPENDATA, chamber_planes

    if not OPENDATA.is_dir():
        pytest.skip(f"real iSpy files not present ({OPENDATA})")
    planes = chamber_planes(OPENDATA / "4lepton.ig")
    cms = load_detector("CMS")
    barrel = sorted((v for v in cms.volumes_of("muon") if v.kind == "barrel"),
                    key=lambda v: v.r_min)
    for station, vol in enumerate(barrel, start=1):
        measured = np.median(planes[("MB", station)])
        assert 0.5 * (vol.r_min + vol.r_max) == pytest.approx(measured, abs=0.01), station
    endcap = sorted((v for v in cms.volumes_of("muon") if v.kind == "endcap"),
                    key=lambda v: v.z_min)
    for station, vol in enumerate(endcap, start=1):
        z = np.asarray(planes[("ME", station)])
        assert vol.z_min - 0.02 <= z.min() and z.max() <= vol.z_max + 0.02, station


def test_star_and_alice_numbers():
    star = load_detector("STAR")
    assert star.field_t == 0.5 and star.return_field_t is None
    tpc = _volume(star, "Time Projection Chamber")
    assert (tpc.r_min, tpc.r_max, tpc.z_max) == (0.5, 2.0, 2.1)
    bemc = _volume(star, "Barrel EMC")
    assert 2.2 <= bemc.r_min < bemc.r_max <= 2.5
    assert star.volumes_of("magnet")
    alice = load_detector("ALICE")
    assert alice.field_t == 0.5 and alice.return_field_t is None
    its = _volume(alice, "Inner Tracking System")
    assert its.r_min < 0.03 and its.r_max == 0.40
    tpc = _volume(alice, "Time Projection Chamber")
    assert (tpc.r_min, tpc.r_max, tpc.z_max) == (0.85, 2.47, 2.5)
    for name in ("Time Of Flight", "EMCal", "PHOS"):
        assert 3.5 < _volume(alice, name).r_min < 5.0
    emcal = _volume(alice, "EMCal")
    assert emcal.phi_max - emcal.phi_min == pytest.approx(107 * 3.14159265 / 180, abs=1e-3)


@pytest.mark.parametrize("name", ["CMS", "STAR", "ALICE", "ATLAS", "LHCb"])
def test_volumes_are_sane_and_cited(name):
    det = load_detector(name)
    assert det.sources and all(det.sources)
    for vol in det.volumes:
        assert vol.kind in ("barrel", "endcap")
        assert 0 <= vol.r_min < vol.r_max and vol.z_min < vol.z_max
        if vol.kind == "endcap":
            assert vol.z_min > 0, vol.name
        else:
            assert vol.z_min == -vol.z_max, vol.name
        assert re.fullmatch(r"#[0-9a-f]{6}", vol.color), vol.name
        assert vol.source, vol.name
    assert det.tracker_radius < det.ecal_radius <= det.calo_radius_max < det.muon_radius_max


def test_detector_is_frozen():
    det = load_detector("CMS")
    with pytest.raises(dataclasses.FrozenInstanceError):
        det.field_t = 4.0  # type: ignore[misc]


def test_atlas_numbers():
    """Against the ATLAS detector paper, JINST 3 (2008) S08003."""
    atlas = load_detector("ATLAS")
    assert (atlas.field_t, atlas.solenoid_radius, atlas.solenoid_half_length) == (2.0, 1.23, 2.9)
    assert (atlas.tracker_radius, atlas.tracker_half_length) == (1.15, 3.512)
    assert (atlas.ecal_radius, atlas.ecal_barrel_eta, atlas.calo_radius_max) == (1.40, 1.475, 4.25)
    assert (atlas.muon_radius_max, atlas.muon_endcap_z_max) == (10.2, 21.5)
    assert (_volume(atlas, "TRT barrel").r_min, _volume(atlas, "TRT barrel").r_max) == (0.554,
                                                                                     1.082)
    tile = _volume(atlas, "Tile barrel")
    assert (tile.r_min, tile.r_max) == (2.28, 4.25)
    toroid = _volume(atlas, "Barrel toroid")
    assert (toroid.r_min, toroid.r_max, toroid.z_max) == (4.7, 10.05, 12.65)
    wheels = sorted(0.5 * (v.z_min + v.z_max) for v in atlas.volumes_of("muon")
                    if v.kind == "endcap")
    assert wheels == pytest.approx([7.4, 10.8, 14.0, 21.5])
    shells = sorted(0.5 * (v.r_min + v.r_max) for v in atlas.volumes_of("muon")
                    if v.kind == "barrel")
    assert shells == pytest.approx([5.0, 7.5, 10.0])
    fmap = atlas.field_map
    assert fmap.bz(0.5) == 2.0 and fmap.bz(2.0) == 0.0
    b = fmap.field(np.array([[7.0, 0.0, 1.0], [0.0, 4.7, -3.0]]))
    np.testing.assert_allclose(b, [[0, 0.5, 0], [-0.5 * 7 / 4.7, 0, 0]], atol=1e-12)


def test_lhcb_numbers_and_dipole():
    """Against the LHCb detector paper, JINST 3 (2008) S08005: a forward arm along +z."""
    lhcb = load_detector("LHCb")
    assert lhcb.name == "LHCb" and lhcb.forward and lhcb.field_t == 0.0
    muon = sorted(0.5 * (v.z_min + v.z_max) for v in lhcb.volumes_of("muon"))
    assert muon == pytest.approx([12.1, 15.2, 16.4, 17.6, 18.8])
    assert all(not v.mirror and v.z_min > 0 for v in lhcb.volumes)
    assert _volume(lhcb, "RICH1").z_min == 0.99 and _volume(lhcb, "RICH2").z_max == 11.9
    z = np.linspace(0.0, 20.0, 20001)
    by = lhcb.field_map.field(np.stack([np.zeros_like(z), np.zeros_like(z), z], 1))[:, 1]
    assert abs(np.sum(by) * (z[1] - z[0])) == pytest.approx(4.0, rel=0.01)   # 4 T m
    assert np.all(by[(z > 3.05) & (z < 7.95)] < 0)                           # MagDown


def test_forward_and_toroid_muons_bend_where_they_should():
    from collider_viz.physics.trajectories import muon_paths

    lhcb = load_detector("LHCb")
    p = muon_paths([5.0, 5.0], [3.0, 3.0], [0.0, 0.0], [1, -1], 0.0, 0.0, 0.0, lhcb)
    x_end = [p.path(i)[-1, 0] for i in range(2)]
    straight = 18.9 / np.sinh(3.0)
    kick = C_LIGHT * 4.0 / (5.0 * np.cosh(3.0))            # dpx / p from 4 T m
    assert x_end[0] - straight == pytest.approx(kick * (18.9 - 5.5), rel=0.1)  # q > 0: +x
    assert x_end[1] - straight == pytest.approx(-kick * (18.9 - 5.5), rel=0.1)
    assert all(p.path(i)[-1, 2] == pytest.approx(18.9, abs=0.2) for i in range(2))
    atlas = load_detector("ATLAS")
    mu = muon_paths(20.0, 0.5, 0.3, 1, 0.0, 0.0, 0.0, atlas).path(0).astype(np.float64)
    r = np.hypot(mu[:, 0], mu[:, 1])
    outside = mu[r > 4.8]
    step = np.diff(outside, axis=0)
    assert np.ptp(np.arctan2(step[:, 1], step[:, 0])) < 1e-4   # B_phi bends in r-z only
    slope = np.diff(outside[:, 2]) / np.diff(np.hypot(outside[:, 0], outside[:, 1]))
    assert np.ptp(slope) > 0.02                             # ... and it does bend there


def test_forward_detector_cameras_and_outline():
    from collider_viz.scene import framing, views
    from collider_viz.scene.detector_outline import volume_geometry

    lhcb = load_detector("LHCb")
    assert views.default_view(lhcb) == "rz" and views.default_view(load_detector("CMS")) == "3d"
    cam = views.make_camera("3d", lhcb)
    assert cam.center[2] == pytest.approx(framing.frame_centre(lhcb)) and 5 < cam.center[2] < 9
    r, z0, z1 = framing.window_2d(lhcb)
    assert z0 < 0 < 18.9 < z1 and r == pytest.approx(6.0)
    rect = views.make_camera("rz", lhcb).rect
    assert rect.left < 0 and rect.right > 18.9
    assert views.object_signs(np.array([0.1, -0.1, 3.0]), horizontal=True).tolist() == [1, 1, -1]
    meshes, _ = volume_geometry(_volume(lhcb, "Muon station M5"), "rz")
    assert all(v[:, 0].min() >= 18.7 - 1e-6 for v, _ in meshes)   # +z only, not mirrored
