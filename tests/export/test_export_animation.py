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
