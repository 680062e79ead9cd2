"""EventCanvas under a real (Xvfb + Mesa) OpenGL context: picking, views, pixels."""

from __future__ import annotations

import numpy as np
import pytest
from scene_events import make_event

from collider_viz.physics.event import Event, EventMeta, SourceInfo, particles
from collider_viz.scene import render_event
from collider_viz.scene.style import Style

pytestmark = pytest.mark.gui


def _fan_event(n=8):
    """n stiff tracks evenly spread in phi, alternating charge, and nothing else."""
    phi = np.linspace(-np.pi, np.pi, n, endpoint=False) + 0.1
    tracks = particles(np.full(n, 5.0), np.linspace(-1.5, 1.5, n), phi, np.zeros(n),
                       np.where(np.arange(n) % 2 == 0, 1, -1))
    info = SourceInfo(path="fan", format="synthetic", detector="CMS")
    return Event(meta=EventMeta(entry=0), info=info, collections={"tracks": tracks})


def _track_points(canvas, i):
    layer = canvas.layers["tracks"]
    return layer.line.points[layer.offsets[i]:layer.offsets[i + 1]]


def _track_point(canvas, i, frac):
    """A vertex ``frac`` of the way along track ``i``, shape (1, 3)."""
    pts = _track_points(canvas, i)
    return pts[int(round(frac * (len(pts) - 1)))][None]


def _near_colour(img, xy, rgb, tol=0.12, box=2):
    x, y = int(round(xy[0])), int(round(xy[1]))
    patch = img[max(y - box, 0):y + box + 1, max(x - box, 0):x + box + 1, :3] / 255.0
    return bool((np.abs(patch - rgb).max(axis=-1) < tol).any())


def _background_fraction(img, rgb):
    return float((np.abs(img[..., :3] / 255.0 - rgb).max(axis=-1) < 0.02).mean())


@pytest.mark.parametrize("view", ["rphi", "3d", "rz"])
def test_pick_returns_the_track_drawn_at_that_pixel(make_canvas, cms, view):
    canvas = make_canvas()
    canvas.set_event(_fan_event(), cms)
    canvas.set_view(view)
    canvas.render()
    for i in range(8):
        xy = canvas.project(_track_point(canvas, i, 0.6))[0]
        assert canvas.pick(*xy) == ("tracks", i)
    assert canvas.pick(3, 3) is None


def test_pick_ignores_tracks_below_threshold_and_hidden(make_canvas, cms):
    canvas = make_canvas()
    canvas.set_event(_fan_event(), cms)
    canvas.set_view("rphi")
    xy = canvas.project(_track_point(canvas, 0, 0.6))[0]
    assert canvas.pick(*xy) == ("tracks", 0)
    canvas.set_threshold("tracks", 10.0)
    assert canvas.n_drawn("tracks") == 0 and canvas.pick(*xy) is None
    canvas.set_threshold("tracks", 0.0)
    canvas.set_collection_visible("tracks", False)
    assert canvas.pick(*xy) is None


def test_known_track_is_drawn_in_its_colour(make_canvas, cms):
    canvas = make_canvas()
    canvas.set_event(_fan_event(), cms)
    canvas.set_view("rphi")
    img = canvas.render()
    positive = Style().color("positive")[:3]
    negative = Style().color("negative")[:3]
    for i, rgb in ((0, positive), (1, negative)):
        pts = _track_points(canvas, i)
        for xy in canvas.project(pts[1:-1]):
            assert _near_colour(img, xy, rgb), (i, xy)
    assert not _near_colour(img, (5, img.shape[0] - 5), positive)


def test_highlight_draws_the_selected_track_brighter(make_canvas, cms):
    canvas = make_canvas()
    canvas.set_event(_fan_event(), cms)
    canvas.set_view("rphi")
    canvas.highlight("tracks", [2])
    assert canvas.highlighter.line.visible
    assert len(canvas.highlighter.line.pos) == 2 * (len(_track_points(canvas, 2)) - 1)
    img = canvas.render()
    xy = canvas.project(_track_point(canvas, 2, 0.5))[0]
    assert _near_colour(img, xy, Style().highlight_color("tracks")[:3])
    canvas.highlight(None)
    assert not canvas.highlighter.line.visible


def test_dark_and_light_themes_differ(make_canvas, cms, event):
    canvas = make_canvas()
    canvas.set_event(event, cms)
    canvas.set_view("rphi")
    canvas.view.camera.rect = (-7.8, -7.8, 15.6, 15.6)  # zoomed out to the muon system
    dark = canvas.render()
    canvas.set_theme("light")
    light = canvas.render()
    assert dark[2, 2, :3].tolist() == [0, 0, 0]
    assert light[2, 2, :3].tolist() == [255, 255, 255]
    assert _background_fraction(dark, np.zeros(3)) > 0.3
    assert _background_fraction(light, np.ones(3)) > 0.3


@pytest.mark.parametrize("view", ["3d", "rphi", "rz", "lego"])
def test_every_view_renders_an_event(make_canvas, cms, event, view):
    canvas = make_canvas()
    canvas.set_event(event, cms)
    canvas.set_view(view)
    img = canvas.render()
    assert img.shape == (480, 640, 4)
    drawn = 1.0 - _background_fraction(img, np.zeros(3))
    assert drawn > 0.01, f"{view}: only {drawn:.3%} of the pixels are not background"


def test_lego_view_shows_bars_and_hides_tracks(make_canvas, cms, event):
    canvas = make_canvas()
    canvas.set_event(event, cms)
    canvas.set_view("lego")
    assert not canvas.layers["tracks"].line.visual.visible
    assert canvas.layers["photons"].lego.visual.visible
    top = canvas.layers["photons"].lego.points[4:8].mean(axis=0)
    xy = canvas._project_view(top[None])[0][0]
    assert canvas.pick(*xy) == ("photons", 0)


def test_layers_overlay_size_and_transparency(make_canvas, cms, event):
    canvas = make_canvas()
    canvas.set_event(event, cms)
    canvas.set_view("rphi")
    base = canvas.render()
    for sub in cms.subsystems:
        canvas.set_layer_visible(sub, False)
    bare = canvas.render()
    assert np.abs(base.astype(int) - bare).sum() > 0
    assert not canvas.outline.mesh.visible and canvas.outline.edges.visible  # beam stays
    canvas.set_overlay(["CMS Open Data", "Run 1, Event 3"])
    with_text = canvas.render()
    assert (with_text[:40, :160, :3] > 128).any() and not (bare[:40, :160, :3] > 128).any()
    small = canvas.render(size=(320, 200))
    assert small.shape == (200, 320, 4)
    assert (small[:40, :100, :3] > 128).any()        # overlay carried over to the twin
    assert _background_fraction(small, np.zeros(3)) < 0.995
    assert tuple(canvas.canvas.size) == (640, 480)
    assert canvas.render(transparent=True)[2, 2, 3] == 0


def test_render_event_function(cms, event):
    img = render_event(event, cms, view="rz", size=(400, 300), theme="light",
                       overlay_lines=["CMS"], camera={"rect": (-3, -3, 6, 6)})
    assert img.shape == (300, 400, 4)
    assert 0.2 < _background_fraction(img, np.ones(3)) < 0.999


def test_twenty_thousand_tracks_are_one_visual(make_canvas, cms):
    big = make_event(20000, seed=7, calo=False)
    canvas = make_canvas()
    canvas.set_event(big, cms)
    layer = canvas.layers["tracks"]
    assert len(layer.line.points) == layer.offsets[-1] and len(layer.offsets) == 20001
    assert canvas.n_drawn("tracks") == 20000
    canvas.set_threshold("tracks", 3.0)
    assert canvas.n_drawn("tracks") == int((np.asarray(big["tracks"].pt) >= 3.0).sum())
