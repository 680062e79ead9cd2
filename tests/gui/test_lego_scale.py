"""The lego view: an E_T (pT) scale bar and tick labels that do not overlap at the corners."""

from __future__ import annotations

import itertools

import numpy as np

from collider_viz.scene.lego import SCALE_GEV, axis_labels, scale_points
from collider_viz.scene.views import lego_height


def test_scale_bar_ticks_sit_at_the_bar_height_of_their_energy():
    segs = scale_points()
    ticks = segs[2:].reshape(-1, 2, 3)
    np.testing.assert_allclose(ticks[:, 0, 2], lego_height(np.array(SCALE_GEV)))
    texts, pos = axis_labels()
    for gev in SCALE_GEV:
        i = texts.index(f"{gev:g} GeV")
        assert pos[i, 2] == np.float32(lego_height(np.array([gev]))[0])
    assert "E_T, pT" in texts


def test_labels_do_not_overlap_in_the_default_lego_camera():
    from collider_viz.physics.detector import load_detector
    from collider_viz.scene import EventCanvas

    ec = EventCanvas(size=(1280, 720), show=False)
    try:
        ec.set_event(None, load_detector("CMS"))
        ec.set_view("lego")
        texts, pos = axis_labels()
        world = pos.astype(float)
        px = ec._project_view(world)[0]  # label positions are lego-view coordinates
        for (a, pa), (b, pb) in itertools.combinations(zip(texts, px), 2):
            assert np.hypot(*(pa - pb)) > 28, (a, b, pa, pb)
        assert ec.lego_grid.labels.visible
        assert len(ec.lego_grid.labels.text) == len(texts)
    finally:
        ec.close()
