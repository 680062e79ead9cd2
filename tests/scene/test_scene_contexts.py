"""Several canvases at once, true-size offscreen rendering, notices and the colour bar."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from scene_events import make_event

from collider_viz.physics.event import Event, EventMeta, SourceInfo, particles
from collider_viz.scene import EventCanvas, render_event

pytestmark = pytest.mark.gui


def test_two_hidden_canvases_render_alternately(make_canvas, cms, event):
    first = make_canvas()
    first.set_event(event, cms)
    reference = first.render()
    second = make_canvas(size=(320, 240))
    second.set_event(make_event(30, seed=9), cms)
    second.set_view("rphi")
    second_ref = second.render()
    for _ in range(3):                       # used to raise GL_INVALID_VALUE on the outline Mesh
        np.testing.assert_array_equal(first.render(), reference)
        np.testing.assert_array_equal(second.render(), second_ref)
    second.close()
    np.testing.assert_array_equal(first.render(), reference)


def test_render_event_while_another_canvas_lives(make_canvas, cms, event):
    gui = make_canvas()
    gui.set_event(event, cms)
    before = gui.render()
    for view in ("3d", "rphi"):
        assert render_event(event, cms, view=view, size=(200, 150)).shape == (150, 200, 4)
        np.testing.assert_array_equal(gui.render(), before)


def test_shown_and_hidden_canvases_alternate(qtbot, cms, event):
    shown = EventCanvas(size=(320, 240), show=True)
    hidden = EventCanvas(size=(320, 240))
    try:
        qtbot.waitExposed(shown.native)
        for canvas in (shown, hidden):
            canvas.set_event(event, cms)
        refs = [shown.render(), hidden.render()]
        shown.canvas.update()
        qtbot.wait(50)
        np.testing.assert_array_equal(hidden.render(), refs[1])
        np.testing.assert_array_equal(shown.render(), refs[0])
    finally:
        hidden.close()
        shown.close()


def test_render_offscreen_is_laid_out_for_the_requested_size(make_canvas, cms, event):
    canvas = make_canvas(size=(400, 300))
    canvas.set_event(event, cms)
    canvas.set_view("rphi")
    canvas.view.camera.rect = (-7.8, -7.8, 15.6, 15.6)  # zoomed out to the muon system
    canvas.set_overlay(["CMS"])
    before = canvas.render()
    wide = canvas.render_offscreen(900, 300)
    assert wide.shape == (300, 900, 4)
    # below the overlay text, above the notice line (the looper cap) at the bottom left
    lit = np.flatnonzero((wide[60:-30, :, :3] > 30).any(axis=(0, 2)))
    centre = (lit.min() + lit.max()) / 2                     # the round detector is centred
    assert abs(centre - 450) < 30 and lit.max() - lit.min() < 500
    assert (wide[:50, :60, :3] > 128).any()                 # overlay at the top-left corner
    np.testing.assert_array_equal(canvas.render(), before)  # the canvas itself is unchanged
    assert tuple(canvas.canvas.size) == (400, 300)
    np.testing.assert_array_equal(canvas.render_offscreen(400, 300), before)


def _tracks_event(pt, eta):
    n = len(pt)
    tracks = particles(np.asarray(pt, float), np.asarray(eta, float), np.linspace(-3, 3, n),
                       np.zeros(n), np.where(np.arange(n) % 2, 1, -1))
    return Event(meta=EventMeta(entry=0), info=SourceInfo(path="x", format="t", detector="CMS"),
                 collections={"tracks": tracks})


def test_invalid_tracks_are_skipped_and_counted(make_canvas, cms):
    pt = np.full(20, 2.0)
    eta = np.zeros(20)
    pt[[3, 7]] = np.nan
    eta[11] = np.inf
    canvas = make_canvas()
    canvas.set_event(_tracks_event(pt, eta), cms)
    assert canvas.n_skipped("tracks") == 3 and canvas.n_drawn("tracks") == 17
    assert np.isfinite(canvas.layers["tracks"].line.points).all()
    assert "3 tracks with invalid kinematics skipped" in canvas.notice_lines()
    canvas.render()


def test_display_cap_is_never_silent(make_canvas, cms, event):
    canvas = make_canvas(max_tracks=10)
    canvas.set_event(event, cms)
    assert canvas.n_drawn("tracks") == 10 and canvas.n_passing("tracks") == 60
    assert "10 of 60 tracks shown (display limit; highest pT first)" in canvas.notice_lines()
    canvas.set_max_tracks(None)
    assert canvas.n_drawn("tracks") == 60
    assert not [line for line in canvas.notice_lines() if "shown" in line]


def test_colour_bar_follows_the_pt_colouring(make_canvas, cms, event):
    canvas = make_canvas()
    canvas.set_event(event, cms)
    assert not canvas.colorbar.visible
    canvas.set_color_by("pt")
    assert canvas.colorbar.visible
    image = canvas.render()
    corner = image[-60:, -260:, :3].astype(int)
    assert (corner[..., 0] - corner[..., 2] > 100).any() and (corner[..., 2] - corner[..., 0] > 100).any()
    canvas.set_view("lego")
    assert not canvas.colorbar.visible


def _closed_shown_canvas(qtbot, cms, event):
    """A canvas that was shown and drawn, then closed: Qt frees its GL widget when collected."""
    shown = EventCanvas(size=(160, 120), show=True)
    qtbot.waitExposed(shown.native)
    shown.set_event(event, cms)
    shown.canvas.update()
    qtbot.wait(30)
    shown.close()
    qtbot.wait(30)


def test_garbage_collection_during_a_draw_leaves_it_intact(qtbot, make_canvas, cms, event):
    """CI once failed: the collector freed a closed shown canvas between two visuals of a draw.

    Qt's widget teardown left no GL context current and the next shader
    compiled with an empty log.  Here a collection is due (threshold 1)
    the moment the overlay text is drawn; a draw must not let it run.
    """
    threshold = gc.get_threshold()
    gc.collect()
    gc.set_threshold(10**9)                  # keep the closed canvas as garbage for now
    try:
        _closed_shown_canvas(qtbot, cms, event)
        canvas = make_canvas(size=(320, 240))
        canvas.set_event(event, cms)
        canvas.set_overlay(["CMS"])
        text = canvas.overlay.text
        draw = text.draw

        def draw_with_collection_due():
            gc.set_threshold(1, 1, 1)
            junk = [[] for _ in range(64)]       # would trigger a full collection
            assert junk
            return draw()

        text.draw = draw_with_collection_due
        image = canvas.render()
        assert (image[:40, :80, :3] > 128).any()  # the overlay text itself was drawn
    finally:
        gc.set_threshold(*threshold)
        gc.collect()


def test_canvas_draws_after_a_closed_shown_canvas_is_collected(qtbot, make_canvas, cms, event):
    canvas = make_canvas(size=(320, 240))
    canvas.set_event(event, cms)
    reference = canvas.render()
    _closed_shown_canvas(qtbot, cms, event)
    gc.collect()                                 # no GL context is current after this
    np.testing.assert_array_equal(canvas.render(), reference)
