"""Ctrl+E draws the picture on screen: a downscaled export matches the window's own grab
(same highlight, colours, cuts and overlay), and the GUI remembers where exports go."""

from __future__ import annotations

import numpy as np
from PIL import Image


def _screen_options(win, size):
    from collider_viz.export.image import ImageOptions
    from collider_viz.gui.lecture.export_dialog import as_on_screen
    from collider_viz.gui.lecture_wiring import screen_state

    view = win.canvas.view_name
    opts = ImageOptions(size=size, view=view, theme=win.prefs.theme)
    return as_on_screen(opts, win.canvas, view, win.candidate, None, screen_state(win))


def _grab(win, tmp_path):
    """The window's own grab of its canvas widget, as RGBA."""
    path = tmp_path / "grab.png"
    assert win.canvas.native.grab().save(str(path))
    return np.asarray(Image.open(path).convert("RGBA"))


def _yellow(image):
    """Fraction of bright-yellow pixels (the highlighted photons and their towers)."""
    r, g, b = (image[..., i].astype(int) for i in range(3))
    return float(np.mean((r > 200) & (g > 200) & (b < 140)))


def _tracks(image):
    """Fraction of saturated orange or blue pixels (charged tracks coloured by charge)."""
    r, g, b = (image[..., i].astype(int) for i in range(3))
    orange = (r > 180) & (g > 60) & (g < 150) & (b < 90)
    blue = (b > 180) & (g > 120) & (r < 110)
    return float(np.mean(orange | blue))


def _difference(a, b):
    """Mean absolute RGB difference after a small blur (text and line edges differ by a pixel)."""
    small = tuple(s // 4 for s in a.shape[1::-1])
    x = np.asarray(Image.fromarray(a[..., :3]).resize(small, Image.Resampling.BOX), float)
    y = np.asarray(Image.fromarray(b[..., :3]).resize(small, Image.Resampling.BOX), float)
    return float(np.abs(x - y).mean())


def test_export_matches_the_screen(scanned, qtbot, step_wait, tmp_path):
    from dataclasses import replace

    from collider_viz.export.image import render_image

    win, ctl = scanned
    step_wait(win, lambda: win.show_entry(int(ctl.result.entry[1])))  # a candidate
    win.collections.rows["tracks"].slider.setValue(10)  # pT >= 1 GeV, said in the overlay
    qtbot.wait(300)
    assert any("tracks pT ≥ 1 GeV" in line for line in win.canvas.overlay.lines)
    assert win.canvas.highlighted()
    screen = _grab(win, tmp_path)
    h, w = screen.shape[:2]
    opts = _screen_options(win, (2 * w, 2 * h))
    exported = render_image(win.event, win.detector, opts)
    down = np.asarray(Image.fromarray(exported).resize((w, h), Image.Resampling.LANCZOS))
    same = _difference(screen, down)
    assert same < 6.0, same
    yellow, tracks = _yellow(screen), _tracks(screen)
    assert yellow > 0.001 and tracks > 0.001
    assert 0.5 * yellow < _yellow(down) < 2.0 * yellow  # the photons are highlighted in both
    assert 0.5 * tracks < _tracks(down) < 2.0 * tracks  # the pT cut hides the same tracks
    # an export without the window's highlight and cuts (the olive-towers bug) is caught
    wrong = render_image(win.event, win.detector, replace(opts, highlight={}, display=None))
    wrong = np.asarray(Image.fromarray(wrong).resize((w, h), Image.Resampling.LANCZOS))
    assert _yellow(wrong) < 0.2 * yellow and _tracks(wrong) > 3 * tracks
    assert _difference(screen, wrong) > same


def test_export_folder_is_remembered_and_said(scanned, tmp_path, monkeypatch):
    from collider_viz.gui import lecture_wiring

    win, _ctl = scanned
    win.prefs.export_dir = str(tmp_path)
    path = lecture_wiring.default_export_path(win, ".png")
    assert path.startswith(str(tmp_path)) and path.endswith(".png")
    monkeypatch.setattr(lecture_wiring, "export_image_interactive",
                        lambda *a, **k: (tmp_path / "sub" / "x.png"))
    (tmp_path / "sub").mkdir()
    assert lecture_wiring.export_image(win) == tmp_path / "sub" / "x.png"
    assert win.prefs.export_dir == str((tmp_path / "sub").resolve())
    assert str(tmp_path / "sub" / "x.png") in win.statusBar().currentMessage()
