"""Highlighting the objects of one or several collections (a 2e2μ candidate)."""

from __future__ import annotations

import numpy as np
import pytest

from collider_viz.physics.event import Event, EventMeta, SourceInfo, particles
from collider_viz.scene.style import Style

pytestmark = pytest.mark.gui



def _four_lepton_event():
    """Two electrons and two muons in four different quadrants, nothing else."""
    electrons = particles([40.0, 30.0], [0.3, -0.4], [0.4, 2.0], [0.000511] * 2, [-1, 1])
    muons = particles([45.0, 25.0], [0.5, -0.2], [-1.2, -2.6], [0.1057] * 2, [1, -1])
    info = SourceInfo(path="2e2mu", format="synthetic", detector="CMS")
    return Event(meta=EventMeta(entry=0), info=info,
                 collections={"electrons": electrons, "muons": muons})


def _line_point(canvas, name, i, frac=0.5):
    """A vertex ``frac`` of the way along object ``i``'s line, shape (1, 3)."""
    layer = canvas.layers[name]
    pts = layer.line.points[layer.offsets[i]:layer.offsets[i + 1]]
    return pts[int(round(frac * (len(pts) - 1)))][None]


def _is_highlighted(img, xy, name, box=2):
    x, y = int(round(xy[0])), int(round(xy[1]))
    patch = img[y - box:y + box + 1, x - box:x + box + 1, :3] / 255.0
    return bool((np.abs(patch - Style().highlight_color(name)[:3]).max(axis=-1) < 0.12).any())


def _n_segments(canvas, name, i):
    layer = canvas.layers[name]
    return int(layer.line.base_connect[layer.offsets[i]:layer.offsets[i + 1]].sum())


@pytest.fixture
def lepton_canvas(make_canvas, cms):
    canvas = make_canvas()
    canvas.set_event(_four_lepton_event(), cms)
    canvas.set_view("rphi")
    canvas.view.camera.rect = (-7.8, -7.8, 15.6, 15.6)  # zoomed out to the muon system
    return canvas


def test_highlight_many_outlines_every_collection(lepton_canvas):
    canvas = lepton_canvas
    canvas.highlight_many({"electrons": [0, 1], "muons": [0, 1]})
    assert set(canvas.highlighted()) == {"electrons", "muons"}
    line = canvas.highlighter.line
    assert line.visible
    n_line_segments = sum(_n_segments(canvas, name, i) for name in ("electrons", "muons")
                          for i in (0, 1))
    assert len(line.pos) >= 2 * n_line_segments  # plus the electron towers' edges
    img = canvas.render()
    for name in ("electrons", "muons"):
        for i in (0, 1):
            xy = canvas.project(_line_point(canvas, name, i))[0]
            assert _is_highlighted(img, xy, name), (name, i)


def test_highlight_many_empty_or_none_clears(lepton_canvas):
    canvas = lepton_canvas
    canvas.highlight_many({"electrons": [0], "muons": [1]})
    canvas.highlight_many({})
    assert not canvas.highlighter.line.visible and not canvas.highlighted()
    canvas.highlight_many({"electrons": [0], "muons": []})
    assert set(canvas.highlighted()) == {"electrons"}
    canvas.highlight_many(None)
    assert not canvas.highlighter.line.visible


def test_single_highlight_replaces_the_selection(lepton_canvas):
    canvas = lepton_canvas
    canvas.highlight_many({"electrons": [0, 1], "muons": [0]})
    canvas.highlight("muons", [1])
    assert list(canvas.highlighted()) == ["muons"]
    img = canvas.render()
    assert _is_highlighted(img, canvas.project(_line_point(canvas, "muons", 1))[0], "muons")
    assert not _is_highlighted(img, canvas.project(_line_point(canvas, "electrons", 0))[0], "electrons")
    canvas.highlight(None)
    assert not canvas.highlighter.line.visible


def test_highlight_survives_a_view_change(lepton_canvas):
    canvas = lepton_canvas
    canvas.highlight_many({"electrons": [1], "muons": [0]})
    canvas.set_view("rz")
    img = canvas.render()
    for name, i in (("electrons", 1), ("muons", 0)):
        assert _is_highlighted(img, canvas.project(_line_point(canvas, name, i))[0], name), name
