"""Presentation through the candidates, "filter only", a file without candidates, the plot's theme."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.colors import to_rgb
from PIL import Image

from collider_viz.gui.candidates import FILTER_ONLY
from collider_viz.gui.candidates_controller import FILTER_HINT, NO_PRESET
from collider_viz.gui.scan_worker import mass_text
from collider_viz.gui.spectrum_plot import THEME_RC

SYNTH = "events.synthetic"


def _choose(ctl, preset):
    combo = ctl.panel.preset_combo
    combo.setCurrentText(preset)
    combo.activated.emit(combo.currentIndex())


def _spectrum_texts(ctl):
    return [t.get_text() for t in ctl.spectrum.ax.texts]


def test_presentation_steps_through_candidates_else_events(scanned, reference, step_wait):
    win, ctl = scanned
    ref, pres = reference[1], win.lecture.presentation
    assert win.event.meta.entry == ref.entry[0]
    pres.start()
    try:
        for row in (1, 2):  # candidate 2 is entry 6: not the next entry
            event = step_wait(win, pres.next_slide)
            assert event.meta.entry == ref.entry[row] and ctl.current == row
            assert mass_text(ref.axis_label, ref.mass[row]) in win.canvas.overlay.lines
        step_wait(win, pres.previous_slide)
        assert ctl.current == 1
        step_wait(win, lambda: ctl.show_candidate(len(ref) - 1))
        event = step_wait(win, pres.next_slide)  # wraps to the first candidate
        assert event.meta.entry == ref.entry[0] and ctl.current == 0
        event = step_wait(win, pres.previous_slide)  # and back to the last
        assert event.meta.entry == ref.entry[-1]
        step_wait(win, lambda: ctl.show_candidate(0))
        _choose(ctl, FILTER_ONLY)  # no preset and no filter: no scan, no result
        assert ctl.result is None and not ctl.has_candidates()
        assert step_wait(win, pres.next_slide).meta.entry == 1  # the next event
        assert step_wait(win, pres.next_slide).meta.entry == 2  # (candidate 2 is entry 6)
        assert step_wait(win, pres.previous_slide).meta.entry == 1
    finally:
        pres.stop()


def test_play_advances_through_the_candidates(scanned, reference, qtbot):
    win, ctl = scanned
    win.start_play(0.2)
    try:
        qtbot.waitUntil(lambda: ctl.current == 2, timeout=20000)
        assert win.event.meta.entry == reference[1].entry[2]
    finally:
        win.lecture.presentation.stop()


def test_filter_only_lists_events_without_a_mass(window, qtbot, step_wait):
    ctl = window.candidates
    with qtbot.waitSignal(ctl.scan_finished, timeout=30000):
        window.open_file(SYNTH)
    assert ctl.panel.preset == "hgg" and len(ctl.result) == 12
    _choose(ctl, FILTER_ONLY)
    assert ctl.panel.preset is None and ctl.worker is None and ctl.result is None
    assert ctl.panel.status_label.text() == FILTER_HINT
    assert any(t.startswith("no mass") for t in _spectrum_texts(ctl))
    qtbot.keyClicks(ctl.panel.filter_edit, "nPhoton >= 2")
    with qtbot.waitSignal(ctl.scan_finished, timeout=30000):
        ctl.panel.filter_edit.returnPressed.emit()
    assert len(ctl.result) == 12 and np.isnan(ctl.result.mass).all()
    assert ctl.panel.status_label.text() == "12 of 12 events pass the filter"
    assert any(t.startswith("no mass") for t in _spectrum_texts(ctl))
    assert not ctl.spectrum.export_button.isEnabled()
    ctl.spectrum.on_span(10.0, 50.0)  # no histogram: no mass window to choose
    assert ctl.spectrum.window is None and ctl.panel.visible_count() == 12
    event = step_wait(window, lambda: ctl.step(1))
    assert event.meta.entry == 1 and window.candidate is None  # listed, but no mass to show
    assert ctl.panel.model.index(1, 3).data() == "–"


def test_file_without_photons_ends_quietly(window, open_wait, qtbot):
    ctl = window.candidates
    open_wait(window, "events.tracks.synthetic")
    assert ctl.worker is None and ctl.result is None  # no scan started at all
    assert ctl.panel.preset is None
    assert ctl.panel.status_label.text() == NO_PRESET
    assert not ctl.panel.error_label.isVisible() and window.last_error is None
    assert "no candidates" in _spectrum_texts(ctl)


def test_spectrum_follows_the_window_theme_and_exports_light(window, qtbot, tmp_path):
    ctl = window.candidates
    with qtbot.waitSignal(ctl.scan_finished, timeout=30000):
        window.open_file(SYNTH)
    figure, ax = ctl.spectrum.figure, ctl.spectrum.ax
    for theme in ("dark", "light", "dark"):
        window.set_theme(theme)
        colours = THEME_RC[theme]
        assert ctl.spectrum.theme == theme
        assert to_rgb(figure.get_facecolor()) == to_rgb(colours["figure.facecolor"])
        assert to_rgb(ax.get_facecolor()) == to_rgb(colours["axes.facecolor"])
        frame = to_rgb(colours.get("axes.edgecolor", "black"))
        assert to_rgb(ax.spines["top"].get_edgecolor()) == frame
        label = next(t for t in ax.texts if t.get_text() == "CMS")
        dark_text = np.mean(to_rgb(label.get_color())) > 0.5
        assert dark_text == (theme == "dark")  # light letters on the dark background
    out = tmp_path / "spectrum.png"
    assert ctl.spectrum.export(str(out)) == str(out)
    image = np.asarray(Image.open(io.BytesIO(out.read_bytes())).convert("RGB"))
    assert (image[2, 2] == 255).all()  # the publication style, whatever the theme
