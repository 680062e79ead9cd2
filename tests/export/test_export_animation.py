"""GIF and MP4 animations: frame counts, cancelling, turntable and replay."""

from __future__ import annotations

import numpy as np
import pytest

from collider_viz.export.animate import ExportCancelled, count_frames, write_animation
from collider_viz.export.image import ImageOptions
from collider_viz.export.movie import export_animation

TINY = (128, 72)


def _frames(n):
    for k in range(n):
        frame = np.zeros((72, 128, 4), np.uint8)
        frame[..., 0] = 30 * k
        frame[..., 3] = 255
        yield frame


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_animation_writer_frame_count(tmp_path, suffix):
    seen = []
    out = write_animation(_frames(5), tmp_path / f"a{suffix}", 10, 5,
                          progress=lambda d, t: seen.append((d, t)))
    assert count_frames(out) == 5
    assert seen[-1] == (5, 5)
    assert [p.name for p in tmp_path.iterdir()] == [f"a{suffix}"]


def test_animation_cancel_leaves_no_file(tmp_path):
    with pytest.raises(ExportCancelled):
        write_animation(_frames(5), tmp_path / "a.gif", 10, 5, progress=lambda d, t: d < 2)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind,suffix", [("turntable", ".gif"), ("replay", ".mp4")])
def test_animation_of_event(gl_backend, event, tmp_path, kind, suffix):
    out = export_animation(event, tmp_path / f"e{suffix}", ImageOptions(size=TINY), kind,
                           frames=4, fps=8)
    assert count_frames(out) == 4


def test_animation_gif_keeps_identical_frames(tmp_path):
    frame = np.zeros((72, 128, 4), np.uint8)
    frame[..., 3] = 255
    out = write_animation(iter([frame] * 4), tmp_path / "still.gif", 10, 4)
    assert count_frames(out) == 4


def test_gif_frames_carry_the_windows_overlay_lines(gl_backend, event, tmp_path):
    """A GUI animation gets the screen's text (mass line included) on every frame."""
    from PIL import Image

    from collider_viz.export.annotate import annotation_box
    from collider_viz.export.image import ImageOptions
    from collider_viz.export.movie import export_animation

    lines = ["Simulation — Pythia 8", "Run 1 · Lumi 2 · Event 42", "m_γγ = 125.0 GeV"]
    plain = ImageOptions(size=(320, 180))
    marked = ImageOptions(size=(320, 180), lines=lines)
    paths = [export_animation(event, tmp_path / f"{name}.gif", opts, "turntable", 3, 10)
             for name, opts in (("plain", plain), ("marked", marked))]
    x0, y0, x1, y1 = annotation_box((320, 180), lines)
    for frame in range(3):
        images = []
        for path in paths:
            with Image.open(path) as gif:
                gif.seek(frame)
                images.append(np.asarray(gif.convert("RGB")).astype(int))
        assert np.abs(images[0][y0:y1, x0:x1] - images[1][y0:y1, x0:x1]).sum() > 0, frame
