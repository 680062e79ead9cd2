"""The main window on a synthetic source: navigation, panels, picking, errors, settings."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PyQt6.QtGui import QDropEvent, QPalette
from PyQt6.QtWidgets import QApplication, QMessageBox, QToolTip
from synthetic_source import N_EVENTS, N_TRACKS, synthetic_opener, track_pt

SYNTH = "events.synthetic"


@pytest.fixture
def shown(window, open_wait):
    """The window showing entry 0 of the synthetic source."""
    open_wait(window, SYNTH)
    return window


def test_opens_in_background_and_fills_everything(shown, qtbot):
    win = shown
    assert win.event.meta.entry == 0 and win.event.meta.event == 1000
    assert win.nav.slider.maximum() == N_EVENTS - 1
    assert "Entry 0" in win.nav.position.text() and "4242" in win.nav.position.text()
    assert set(win.collections.rows) == {"tracks", "photons", "met"}
    assert win.collections.rows["tracks"].check.text() == f"tracks  ({N_TRACKS})"
    assert win.event_table.event_model.rowCount() == N_EVENTS
    qtbot.waitUntil(lambda: "tracks" in win.event_table.event_model.columns, timeout=20000)
    assert win.windowTitle().endswith(SYNTH)
    assert win.canvas.n_drawn("tracks") == N_TRACKS
    qtbot.waitUntil(lambda: not win.busy_bar.isVisible(), timeout=10000)


def test_step_keys_and_buttons(shown, qtbot, step_wait):
    win = shown
    win.canvas.native.setFocus()
    assert step_wait(win, lambda: qtbot.keyClick(win, Qt.Key.Key_Right)).meta.entry == 1
    assert step_wait(win, lambda: qtbot.keyClick(win, Qt.Key.Key_PageDown)).meta.entry == 2
    assert step_wait(win, lambda: qtbot.keyClick(win, Qt.Key.Key_Left)).meta.entry == 1
    assert step_wait(win, lambda: qtbot.keyClick(win, Qt.Key.Key_End)).meta.entry == N_EVENTS - 1
    assert step_wait(win, lambda: qtbot.keyClick(win, Qt.Key.Key_Home)).meta.entry == 0
    assert step_wait(win, win.nav.next_button.click).meta.entry == 1
    assert step_wait(win, win.nav.prev_button.click).meta.entry == 0
    assert step_wait(win, lambda: win.nav.slider.setValue(5)).meta.entry == 5
    assert win.event_table.currentIndex().row() == 5


def test_rapid_steps_coalesce(shown, qtbot):
    win = shown
    for _ in range(6):
        win.step(1)
    qtbot.waitUntil(lambda: win.event.meta.entry == 6, timeout=20000)
    qtbot.waitUntil(lambda: not win.loader.busy, timeout=10000)
    assert win.event.meta.entry == 6
    assert np.allclose(np.sort(win.event["tracks"].pt), np.sort(track_pt(6)))


def test_goto_run_event_and_entry(shown, qtbot, step_wait):
    win = shown
    edit = win.nav.goto_edit
    edit.setText("4242:1035")
    assert step_wait(win, lambda: qtbot.keyClick(edit, Qt.Key.Key_Return)).meta.entry == 5
    edit.setText("9")
    assert step_wait(win, lambda: qtbot.keyClick(edit, Qt.Key.Key_Return)).meta.entry == 9


def test_goto_unknown_event_reports(shown, qtbot):
    win = shown
    win.goto("4242:1")
    assert win.last_error is not None and "no event 4242:1" in win.last_error.text()
    win.last_error.close()
    win.goto("nonsense")
    assert "run:event" in win.last_error.text()
    assert win.event.meta.entry == 0


def test_event_table_selects_event(shown, qtbot, step_wait):
    win = shown
    table = win.event_table
    event = step_wait(win, lambda: table.setCurrentIndex(table.proxy.index(7, 0)))
    assert event.meta.entry == 7 and win.nav.slider.value() == 7


def test_toggle_collection_and_threshold(shown, qtbot, prefs):
    win = shown
    row = win.collections.rows["tracks"]
    row.check.setChecked(False)
    assert win.canvas.n_drawn("tracks") == 0
    assert prefs.visible("tracks") is False
    row.check.setChecked(True)
    assert win.canvas.n_drawn("tracks") == N_TRACKS
    row.slider.setValue(100)  # 10 GeV: tracks of 10.5 .. 24.5 GeV stay
    assert row.label.text() == "pT ≥ 10 GeV"
    assert win.canvas.n_drawn("tracks") == int(np.sum(track_pt(0) >= 10.0))
    assert prefs.threshold("tracks") == pytest.approx(10.0)


def test_style_controls_persist(shown, prefs):
    win = shown
    win.collections.color_combo.setCurrentIndex(2)
    win.collections.width_spin.setValue(4.0)
    assert prefs.color_by == "species" and prefs.line_width == 4.0


def test_views_and_themes(shown, qtbot):
    win = shown
    for key, view in ((Qt.Key.Key_2, "rphi"), (Qt.Key.Key_3, "rz"), (Qt.Key.Key_4, "lego"),
                      (Qt.Key.Key_1, "3d")):
        qtbot.keyClick(win, key)
        assert win.actions_.views[view].isChecked()
    qtbot.keyClick(win, Qt.Key.Key_R)
    assert win.prefs.theme == "dark"
    window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window)
    qtbot.keyClick(win, Qt.Key.Key_T)
    assert win.prefs.theme == "light" and win.actions_.themes["light"].isChecked()
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window) != window_colour
    win.actions_.themes["dark"].trigger()
    assert win.prefs.theme == "dark"


def _track_screen_point(win, index):
    from collider_viz.physics.helix import helix_positions

    tracks = win.event["tracks"]
    field = win.detector.field_t if win.detector is not None else 3.8
    args = [np.asarray(tracks[k][index:index + 1], dtype=float)
            for k in ("pt", "eta", "phi", "charge", "vx", "vy", "vz")]
    point = helix_positions(*args, np.array([[0.6]]), field_t=field).reshape(-1, 3)
    xy = win.canvas.project(point)[0]
    return QPoint(int(round(xy[0])), int(round(xy[1])))


def test_click_picks_track_and_shows_fields(shown, qtbot):
    win = shown
    win.set_view("rphi")
    win.collections.rows["tracks"].slider.setValue(200)  # only the hardest tracks
    win.collections.rows["photons"].check.setChecked(False)
    index = int(np.argmax(np.asarray(win.event["tracks"].pt)))
    qtbot.wait(200)
    pos = _track_screen_point(win, index)
    assert win.canvas.pick(pos.x(), pos.y()) == ("tracks", index)
    qtbot.mouseClick(win.canvas.native, Qt.MouseButton.LeftButton, pos=pos)
    assert win.properties.collection == "tracks" and win.properties.index == index
    assert win.properties.field_text("pt") == "24.5"
    assert win.properties.field_text("pdgId") == "211"
    units = {win.properties.fields.item(r, 0).text(): win.properties.fields.item(r, 2).text()
             for r in range(win.properties.fields.rowCount())}
    assert units["pt"] == "GeV" and units["phi"] == "rad" and units["eta"] == "" \
        and units["pdgId"] == ""
    model = win.properties.objects_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "pt [GeV]" in headers and "eta" in headers
    assert win.properties.objects.currentIndex().row() == index
    assert win.control.highlighted == ("tracks", index)
    qtbot.mouseMove(win.canvas.native, pos)
    qtbot.waitUntil(lambda: QToolTip.text().startswith(f"tracks #{index}: pT = 24.5"), timeout=5000)
    qtbot.mouseClick(win.canvas.native, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert win.control.highlighted is None


def test_object_table_selects_object(shown):
    win = shown
    win.select_object("photons", 0)
    assert win.properties.field_text("pt") == "60"
    win.properties.objects.setCurrentIndex(win.properties.objects_model.index(1, 0))
    assert win.properties.index == 1 and win.properties.field_text("pt") == "45"
    assert win.control.highlighted == ("photons", 1)


def test_hover_tooltip_text(shown):
    assert shown.describe_object("tracks", 0) == f"tracks #0: pT = {track_pt(0)[0]:.3g} GeV"


def test_bad_file_shows_error_and_keeps_event(shown, qtbot, tmp_path):
    win = shown
    bad = tmp_path / "notes.root"
    bad.write_text("these are lecture notes, not a ROOT file\n")
    win.open_file(str(bad))
    qtbot.waitUntil(lambda: win.last_error is not None, timeout=20000)
    box = win.last_error
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text().startswith(str(bad)) and "not a ROOT file" in box.text()
    assert "\n" not in box.text()
    assert win.event.meta.entry == 0 and win.path == SYNTH
    assert win.canvas.n_drawn("tracks") == N_TRACKS
    box.close()


def test_slot_exceptions_become_dialogs(shown, monkeypatch):
    win = shown

    def broken(_name):
        raise RuntimeError("canvas exploded")

    monkeypatch.setattr(win.canvas, "set_view", broken)
    win.actions_.views["rz"].trigger()
    assert win.last_error.text() == "RuntimeError: canvas exploded"
    assert win.isVisible()


def test_drop_opens_file(shown, qtbot, tmp_path):
    win = shown
    bad = tmp_path / "dropped.root"
    bad.write_bytes(b"")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bad))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    win.dropEvent(event)
    qtbot.waitUntil(lambda: win.last_error is not None, timeout=20000)
    assert "empty file" in win.last_error.text()


def test_settings_restore_in_new_window(shown, qtbot, prefs, open_wait):
    from collider_viz.gui.window import MainWindow

    win = shown
    win.toggle_theme()
    win.collections.rows["tracks"].slider.setValue(50)
    win.collections.rows["met"].check.setChecked(False)
    win.collections.pin_check.setChecked(True)  # pinned: the cuts carry over to the next file
    width = max(win.minimumSizeHint().width(), 1000) + 1
    win.resize(width, 777)  # inside the 1920x1080 screen of pytest-xvfb
    qtbot.waitUntil(lambda: win.width() == width, timeout=5000)
    win.close()
    assert prefs.recent_files == [SYNTH]

    again = MainWindow(prefs, opener=synthetic_opener)
    qtbot.addWidget(again)
    assert again.prefs.theme == "light" and again.actions_.themes["light"].isChecked()
    assert again.size().width() == width
    open_wait(again, SYNTH)
    assert again.collections.rows["tracks"].value == pytest.approx(5.0)
    assert not again.collections.rows["met"].check.isChecked()
    assert again.canvas.n_drawn("tracks") == int(np.sum(track_pt(0) >= 5.0))
    assert [a.text() for a in again.actions_.recent_menu.actions()][0] == SYNTH
    again.close()


def test_a_new_file_starts_without_the_last_files_cuts(shown, open_wait):
    """Unpinned, a pT cut and a colouring set on one file do not hide the next file's tracks."""
    win = shown
    assert not win.collections.pin_check.isChecked()
    win.collections.rows["tracks"].slider.setValue(50)
    win.collections.color_combo.setCurrentIndex(1)
    n = win.canvas.n_drawn("tracks")
    assert 0 < n < N_TRACKS
    line = f"tracks pT ≥ 5 GeV: {n:,} of {N_TRACKS:,} shown"
    assert line in win.canvas.overlay.lines  # an active cut is always said
    assert win.collections.rows["tracks"].check.text() == f"tracks  ({n:,} of {N_TRACKS:,})"
    open_wait(win, SYNTH)
    assert win.collections.rows["tracks"].value == 0.0
    assert win.collections.color_combo.currentData() == "charge"
    assert win.canvas.n_drawn("tracks") == N_TRACKS
    assert not any("shown" in s for s in win.canvas.overlay.lines)
    assert win.collections.rows["tracks"].check.text() == f"tracks  ({N_TRACKS})"


def test_autoplay_advances(shown, qtbot):
    win = shown
    win.autoplay.seconds = 0.1
    win.toggle_play()
    assert win.autoplay.active and not win.isFullScreen()
    qtbot.waitUntil(lambda: win.event.meta.entry >= 2, timeout=20000)
    win.toggle_play()
    assert not win.autoplay.active


def test_detector_layers_forwarded(shown, monkeypatch, prefs):
    win = shown
    assert "muon" in win.collections.layer_checks
    calls = []
    monkeypatch.setattr(win.canvas, "set_layer_visible", lambda *a: calls.append(a))
    win.collections.layer_checks["muon"].setChecked(False)
    assert calls == [("muon", False)] and prefs.layer_visible("muon") is False


def test_open_dialog_remembers_directory(window, qtbot, prefs, tmp_path, monkeypatch):
    from PyQt6.QtWidgets import QFileDialog

    asked = []
    chosen = str(tmp_path / "run" / "events.synthetic")

    def fake_dialog(parent, title, directory, filters):
        asked.append(directory)
        return chosen, filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    with qtbot.waitSignal(window.event_shown, timeout=30000):
        window.actions_.open.trigger()
    assert prefs.last_directory == str(tmp_path / "run") and window.path == chosen
    window.open_dialog()
    assert asked[-1] == str(tmp_path / "run")
