"""Default cameras frame the event region of each detector."""

from __future__ import annotations

import numpy as np
import pytest

from collider_viz.physics.detector import load_detector
from collider_viz.scene import framing

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("name", ["CMS", "STAR", "ALICE"])
def test_3d_camera_fits_the_framed_cylinder(make_canvas, name):
    det = load_detector(name)
    canvas = make_canvas(size=(1280, 720))
    canvas.set_event(None, det)
    canvas.set_view("3d")
    px = canvas.project(framing.cylinder_points(*framing.frame_3d(det)))
    assert (px >= 0).all() and (px[:, 0] <= 1280).all() and (px[:, 1] <= 720).all()
    assert np.ptp(px[:, 1]) > 0.8 * 720  # fills the picture: not zoomed out either


def test_frame_regions_per_detector():
    assert framing.frame_3d(load_detector("CMS"))[0] == pytest.approx(2.89)  # calorimeters
    assert framing.frame_3d(load_detector("STAR")) == pytest.approx((2.0, 2.1))  # TPC
    assert framing.frame_3d(load_detector("ALICE"))[0] == pytest.approx(2.47)  # TPC
    assert framing.frame_2d(load_detector("ALICE"))[0] < 5.0  # not the L3 magnet


def test_rphi_frames_the_calorimeters_of_cms_not_its_muon_system(make_canvas):
    """The end view shows the event big: the calorimeters fill the height, the muon system is outside."""
    cms = load_detector("CMS")
    canvas = make_canvas(size=(1280, 720))
    canvas.set_event(None, cms)
    canvas.set_view("rphi")
    r_calo = framing.rphi_radius(cms)
    assert r_calo == pytest.approx(2.95, abs=0.1) and r_calo < 0.5 * cms.muon_radius_max
    top, bottom = canvas.project(np.array([[0.0, r_calo, 0.0], [0.0, -r_calo, 0.0]]))[:, 1]
    assert 0.85 * 720 < abs(bottom - top) <= 720
    assert framing.rphi_radius(load_detector("ALICE")) == framing.frame_2d(load_detector("ALICE"))[0]
