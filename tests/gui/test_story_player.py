"""The story player: title page with subtitle and description, F5 / Esc, the spectrum label,
and the overlay text in presentation mode (larger, spaced, on a panel no track crosses)."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from collider_viz.export.stories import load_story


@pytest.fixture
def player(qtbot):
    from collider_viz.gui.lecture.story_player import StoryPlayer

    p = StoryPlayer.open("lhc")
    qtbot.addWidget(p)
    qtbot.waitExposed(p)
    p.activateWindow()
    qtbot.waitUntil(p.isActiveWindow, timeout=5000)
    yield p
    p.close()


def test_title_page_shows_subtitle_and_description(player):
    story = load_story("lhc")
    assert player.number == 0
    assert player.subtitle.isVisible() and player.subtitle.text() == story.subtitle
    assert player.picture.text() == story.description
    player.next()
    assert player.number == 1 and player.current.event is not None
    assert player.subtitle.text() == story.subtitle  # stays under the title on every step


def test_f5_full_screen_with_larger_text_and_esc_leaves(player, qtbot):
    size = player.caption.font().pointSizeF()
    qtbot.keyClick(player, Qt.Key.Key_F5)
    qtbot.waitUntil(player.isFullScreen, timeout=5000)
    assert player.caption.font().pointSizeF() == pytest.approx(1.5 * size)
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not player.isFullScreen(), timeout=5000)
    assert player.caption.font().pointSizeF() == pytest.approx(size)


def test_in_app_spectrum_is_labelled_simulation(player, monkeypatch):
    import collider_viz.export.spectrum as spectrum

    labels = []
    real = spectrum.render_spectrum

    def spy(*args, **kwargs):
        labels.append(args[5] if len(args) > 5 else kwargs.get("label", ""))
        return real(*args, **kwargs)

    monkeypatch.setattr(spectrum, "render_spectrum", spy)
    number = next(i + 1 for i, s in enumerate(player.story.steps) if s.kind == "spectrum")
    player.go(number)
    assert labels == ["Simulation"]


def test_presentation_overlay_is_spaced_and_on_a_panel(qtbot):
    """Scaled text gets scaled line spacing, a margin, and a panel that hides tracks under it."""
    from collider_viz.physics.detector import load_detector
    from collider_viz.physics.event import Event, EventMeta, SourceInfo, particles
    from collider_viz.scene import EventCanvas

    n = 400  # straight, stiff tracks fanning through the top-left corner
    phi = np.linspace(1.6, 3.0, n)
    tracks = particles(np.full(n, 500.0), np.zeros(n), phi, np.full(n, 0.14), np.ones(n))
    event = Event(EventMeta(entry=0), SourceInfo(path="x", format="t", detector="CMS"),
                  {"tracks": tracks})
    ec = EventCanvas(size=(640, 360), show=False)
    try:
        ec.set_event(event, load_detector("CMS"))
        ec.set_view("rphi")
        cam = ec.view.camera
        cam.rect = (-0.3, -0.05, 1.2 * 0.6, 0.6 * 0.6)  # the tracks fill the picture
        blank = " " * 24
        ec.set_overlay([blank] * 3)
        ec.overlay.set_scale(1.6, margin_px=40)
        rows = ec.overlay.text.pos[:, 1]
        assert np.diff(rows) == pytest.approx(22 * 1.6)
        assert ec.overlay.text.pos[0, 0] == pytest.approx(40)
        x, y, w, h = (int(round(v)) for v in ec.overlay.box())
        image = ec.render()
        panel = image[y + 2:y + h - 2, x + 2:x + w - 2, :3]
        outside = image[y + h + 10:y + h + 60, x:x + w, :3]
        assert outside.max() > 150  # tracks are there, just below the panel
        assert panel.max() < 0.35 * outside.max()  # and only faintly seen through it
    finally:
        ec.close()
