"""Detector descriptions: numbers as published, helpful errors."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from collider_viz.errors import ColliderVizError
from collider_viz.physics.detector import Detector, known_detectors, load_detector


def test_known_detectors():
    assert known_detectors() == ("ALICE", "CMS", "STAR")


@pytest.mark.parametrize("name", ["CMS", "cms", " Cms ", "star", "ALICE"])
def test_load_is_case_insensitive(name):
    det = load_detector(name)
    assert isinstance(det, Detector)
    assert det.name == name.strip().upper()


def test_unknown_detector_lists_known_ones():
    with pytest.raises(ColliderVizError, match="ATLAS.*ALICE, CMS, STAR"):
        load_detector("ATLAS")
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


@pytest.mark.parametrize("name", ["CMS", "STAR", "ALICE"])
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
