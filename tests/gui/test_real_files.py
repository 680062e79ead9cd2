"""The window on the bundled sample and on real open-data files (skipped where absent)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt

from collider_viz.gui.app import create_window, default_sample


@pytest.fixture
def app_window(qtbot, prefs):
    """Return ``(file) -> window`` built like ``collider-viz FILE`` and shown."""
    made = []

    def make(file, entry=0):
        win = create_window(SimpleNamespace(file=file, entry=entry, mapping=None, play=None), prefs)
        qtbot.addWidget(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.close()


def _wait_loaded(qtbot, win, timeout=90000):
    qtbot.waitUntil(lambda: win.event is not None or win.last_error is not None, timeout=timeout)
    if win.last_error is not None:
        text = win.last_error.text()
        win.last_error.close()
        if "no known event format" in text:
            pytest.skip(f"reader not available yet: {text}")
        pytest.fail(text)
    return win.event


def _track_point(win, index, length=0.5):
    from collider_viz.physics.helix import helix_positions

    tracks = win.event["tracks"]
    args = [np.asarray(tracks[k][index:index + 1], dtype=float) if k in tracks.fields else
            np.zeros(1) for k in ("pt", "eta", "phi", "charge", "vx", "vy", "vz")]
    point = helix_positions(*args, np.array([[length]]), field_t=win.detector.field_t)
    xy = win.canvas.project(point.reshape(-1, 3))[0]
    return QPoint(int(round(xy[0])), int(round(xy[1])))


def test_default_sample(app_window, qtbot, step_wait, sample):
    sample("higgs_diphoton_13TeV.root")
    win = app_window(None)
    event = _wait_loaded(qtbot, win)
    assert win.path == str(default_sample())
    assert "photons" in win.collections.rows
    assert win.canvas.n_drawn("photons") == len(event["photons"])
    assert step_wait(win, lambda: win.step(1)).meta.entry == 1
    assert step_wait(win, lambda: win.step(-1)).meta.entry == 0
    run, number = event.meta.run, event.meta.event
    win.step(3)
    qtbot.waitUntil(lambda: win.event.meta.entry == 3, timeout=30000)
    assert step_wait(win, lambda: win.goto(f"{run}:{number}")).meta.entry == 0


def test_sample_threshold_and_pick(app_window, qtbot, sample):
    sample("higgs_diphoton_13TeV.root")
    win = app_window(None)
    _wait_loaded(qtbot, win)
    row = win.collections.rows["tracks"]
    pts = np.asarray(win.event["tracks"].pt)
    assert win.canvas.n_drawn("tracks") == len(pts)
    row.slider.setValue(int(np.median(pts) / 0.1))  # about half the tracks stay
    after = win.canvas.n_drawn("tracks")
    assert 0 < after < len(pts)
    assert after == int(np.sum(pts >= row.value))
    for name in win.collections.rows:
        if name != "tracks":
            win.collections.rows[name].check.setChecked(False)
    win.set_view("rphi")
    qtbot.wait(100)
    index = int(np.argmax(pts))
    pos = _track_point(win, index, length=0.3)
    qtbot.mouseClick(win.canvas.native, Qt.MouseButton.LeftButton, pos=pos)
    assert (win.properties.collection, win.properties.index) == ("tracks", index)
    assert win.properties.field_text("pt") == f"{pts[index]:.5g}"


def test_play_presents_full_screen(qtbot, prefs, sample):
    sample("higgs_diphoton_13TeV.root")
    win = create_window(SimpleNamespace(file=None, entry=2, mapping=None, play=0.2), prefs)
    qtbot.addWidget(win)
    pres = win.lecture.presentation
    assert win.isFullScreen() and pres.active and not pres.paused
    assert not win.menuBar().isVisible() and not win.statusBar().isVisible()
    qtbot.waitUntil(lambda: win.event is not None and win.event.meta.entry >= 3, timeout=60000)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert pres.paused
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not win.isFullScreen(), timeout=5000)
    win.close()


OPEN_DATA = ["cms_root/uproot-HZZ.root", "cms_root/uproot-Zmumu.root",
             "cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root",
             "cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root",
             "cms_root/HiForestAOD_PbPb2010_muons.root",
             "cms_ispy/DoublePhoton_Run2012B_0.ig", "cms_ispy/4lepton.ig",
             "alice/AliVSD_MasterClass_PbPb_101.root"]


@pytest.mark.parametrize("rel", OPEN_DATA)
def test_open_data_file(rel, opendata, app_window, qtbot, step_wait):
    path = opendata(rel)
    win = app_window(str(path))
    event = _wait_loaded(qtbot, win)
    assert event.meta.entry == 0 and win.event_table.event_model.rowCount() == len(win.loader.source)
    assert set(event.collections) <= set(win.collections.rows)
    if len(win.loader.source) > 1:
        assert step_wait(win, lambda: win.step(1)).meta.entry == 1
    win.set_view("rz")
    win.toggle_theme()
    assert win.last_error is None


def test_window_screenshot_not_blank(app_window, qtbot, sample, tmp_path):
    sample("higgs_diphoton_13TeV.root")
    win = app_window(None)
    _wait_loaded(qtbot, win)
    qtbot.wait(300)
    image = win.grab().toImage()
    assert image.width() > 300
    native = win.canvas.native
    corner = native.mapTo(win, native.rect().center())
    colours = {image.pixelColor(corner.x() + dx, corner.y() + dy).name()
               for dx in range(-60, 61, 6) for dy in range(-60, 61, 6)}
    assert len(colours) > 3  # the event is drawn, not a blank canvas
    assert image.save(str(tmp_path / "window.png"))


def test_mixed_energy_ig_file_shows_each_events_energy_and_lumi(opendata, app_window, qtbot,
                                                                step_wait):
    """4lepton.ig mixes 2011 (7 TeV) and 2012 (8 TeV) runs: the overlay, the export annotation
    and the events table say each event's own √s and lumi section."""
    from collider_viz.export.annotate import annotation_lines

    win = app_window(str(opendata("cms_ispy/4lepton.ig")))
    event = _wait_loaded(qtbot, win)
    assert event.meta.run == 178424 and "√s = 7 TeV, pp" in win.canvas.overlay.lines
    assert "√s = 7 TeV, pp" in annotation_lines(event)
    model = win.event_table.event_model
    lumi = model.columns.index("lumi")
    assert model.data(model.index(0, lumi)) == str(event.meta.lumi) != "–"
    later = step_wait(win, lambda: win.step(1))
    assert later.meta.run == 193575 and "√s = 8 TeV, pp" in win.canvas.overlay.lines
