"""High-resolution offscreen rendering of a synthetic event (EGL or Qt, no window)."""

from __future__ import annotations

import numpy as np
import pytest

from collider_viz.export import scene_bridge
from collider_viz.export.annotate import annotation_box, annotation_lines
from collider_viz.export.hires import logical_size, parse_size, render_canvas, tiles
from collider_viz.export.image import ImageOptions, render_image
from collider_viz.export.replay_scene import SceneReplay

SMALL = (320, 180)


@pytest.fixture
def canvas(gl_backend, event):
    from collider_viz.physics.detector import load_detector

    ec = scene_bridge.make_canvas(SMALL)
    scene_bridge.configure(ec, event, load_detector("CMS"), "3d")
    yield ec
    ec.close()


def test_render_size_and_not_blank(gl_backend, event):
    image = render_image(event, None, ImageOptions(size=SMALL))
    assert image.shape == (180, 320, 4) and image.dtype == np.uint8
    assert (image[..., 3] == 255).all()
    assert image[..., :3].std() > 5 and len(np.unique(image[..., :3].reshape(-1, 3), axis=0)) > 50


def test_render_transparent_background_alpha(gl_backend, event):
    opts = ImageOptions(size=SMALL, view="rphi", transparent=True, annotate=False,
                        camera=(0.0, 0.0, 8.0))  # the whole detector: the corners are empty
    image = render_image(event, None, opts)
    alpha = image[..., 3]
    for corner in (alpha[-12:, -12:], alpha[-12:, :12], alpha[:12, -12:]):
        assert (corner == 0).all()
    assert (alpha == 255).any() and (alpha > 0).mean() > 0.05


def test_render_annotation_changes_the_top_left_box(gl_backend, event):
    plain = render_image(event, None, ImageOptions(size=SMALL, annotate=False))
    marked = render_image(event, None, ImageOptions(size=SMALL, candidate="H→γγ candidate"))
    x0, y0, x1, y1 = annotation_box(SMALL, annotation_lines(event, "H→γγ candidate"))
    assert np.any(plain[y0:y1, x0:x1] != marked[y0:y1, x0:x1])
    np.testing.assert_array_equal(plain[y1 + 4:], marked[y1 + 4:])


def test_render_tiled_equals_single_framebuffer(canvas):
    whole = render_canvas(canvas, SMALL).astype(int)
    tiled = render_canvas(canvas, SMALL, max_tile=100).astype(int)
    assert len(tiles(SMALL, 100)) == 8
    assert (np.abs(whole - tiled).max(axis=-1) > 40).mean() < 0.01


def test_render_lines_scale_and_are_restored(canvas):
    widths = [v.width for v in scene_bridge._line_visuals(canvas.canvas.scene)]
    with scene_bridge.scaled_line_widths(canvas, 2.0):
        assert [v.width for v in scene_bridge._line_visuals(canvas.canvas.scene)] == \
            [max(1.0, w * 2.0) for w in widths]
    assert [v.width for v in scene_bridge._line_visuals(canvas.canvas.scene)] == widths


def test_render_4k_size(gl_backend, event):
    image = render_image(event, None, ImageOptions(size=parse_size("3840x2160")))
    assert image.shape == (2160, 3840, 4)
    assert logical_size((3840, 2160)) == (1920, 1080)


def test_replay_last_frame_is_the_still(canvas):
    still = scene_bridge.render(canvas, SMALL)
    replay = SceneReplay(canvas)
    assert replay.max_length > 0
    replay.apply(0.3)
    early = scene_bridge.render(canvas, SMALL)
    replay.apply(1.0)
    last = scene_bridge.render(canvas, SMALL)
    assert np.any(early != still)
    np.testing.assert_array_equal(last, still)


def test_camera_option_sets_turntable(canvas):
    scene_bridge.set_camera(canvas, "3d", scene_bridge.parse_camera("30,10,12"))
    cam = canvas.view.camera
    assert (cam.azimuth, cam.elevation) == (30.0, 10.0)
    assert cam.scale_factor == pytest.approx(12 * 2 * np.tan(np.radians(cam.fov / 2)))
