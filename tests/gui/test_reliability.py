"""Reliability: Open URL (timeout, progress, cancel), the error log, damaged settings."""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from pathlib import Path

import pytest
from PyQt6.QtCore import QMimeData, QSettings, Qt, QTimer, QUrl
from PyQt6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from collider_viz.io.remote import Cancelled

SYNTH = "events.synthetic"
SAMPLE = "higgs_diphoton_13TeV.root"


def _range_server():
    path = Path(__file__).resolve().parents[1] / "remote" / "range_server.py"
    spec = importlib.util.spec_from_file_location("collider_viz_test_range_server", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


serve = _range_server().serve


@pytest.fixture
def shown(window, open_wait):
    """The window showing entry 0 of the synthetic source."""
    open_wait(window, SYNTH)
    return window


# -- Open URL --------------------------------------------------------------
def test_check_url():
    from collider_viz.gui.open_url import check_url

    assert check_url("https://opendata.cern.ch/x.root") is None
    assert check_url(" root://eospublic.cern.ch//eos/x.root ") is None
    assert "http" in check_url("ftp://host/x.root")
    assert "http" in check_url("/home/me/x.root")
    assert "server" in check_url("http:///x.root")
    assert check_url("  ") == "Enter a URL."


def test_open_url_over_http_shows_event(window, qtbot, sample):
    path = sample(SAMPLE)
    with serve({"/" + SAMPLE: path}) as server:
        url = f"{server.url}/{SAMPLE}"
        window.open_file(url)
        qtbot.waitUntil(lambda: window.event is not None or window.last_error is not None,
                        timeout=60000)
        assert window.last_error is None
        assert window.files.download.isVisible() is False
    assert window.path == url
    assert window.event.meta.entry == 0 and len(window.event["photons"]) >= 2
    assert window.windowTitle().endswith(SAMPLE)
    assert window.prefs.recent_files[0] == url
    first = window.actions_.recent_menu.actions()[0]
    assert first.text() == SAMPLE and first.toolTip() == url


def test_stalled_server_fails_within_timeout_and_navigation_goes_on(shown, qtbot, step_wait,
                                                                   sample):
    win = shown
    with serve({"/" + SAMPLE: sample(SAMPLE)}, mode="stall") as server:
        url = f"{server.url}/{SAMPLE}"
        start = time.monotonic()
        win.files.open_url(url, timeout=2)
        assert win.files.download.isVisible() and win.loader.opening_url
        # the stalled server does not block stepping through the open file
        assert step_wait(win, lambda: win.step(1), timeout=1800).meta.entry == 1
        assert win.loader.opening_url and win.last_error is None  # still waiting for the server
        qtbot.waitUntil(lambda: win.last_error is not None, timeout=8000)
        elapsed = time.monotonic() - start
    box = win.last_error
    assert elapsed < 6.0
    assert box.windowTitle() == "Cannot open URL"
    assert box.text().startswith(url) and "within 2 s" in box.text()
    assert win.path == SYNTH and win.event.meta.entry == 1
    assert not win.files.download.isVisible() and not win.loader.opening_url
    box.close()
    assert step_wait(win, lambda: win.step(1)).meta.entry == 2


def test_cancel_stalled_url_keeps_event_without_dialog(shown, qtbot, sample):
    win = shown
    with serve({"/" + SAMPLE: sample(SAMPLE)}, mode="stall") as server:
        url = f"{server.url}/{SAMPLE}"
        win.files.open_url(url, timeout=10)
        qtbot.waitUntil(lambda: len(server.requests) >= 1, timeout=5000)
        qtbot.mouseClick(win.files.download.cancel_button, Qt.MouseButton.LeftButton)
        assert "cancelled" in win.statusBar().currentMessage()
        assert not win.files.download.isVisible() and not win.loader.opening_url
        qtbot.wait(300)
    assert win.last_error is None
    assert win.path == SYNTH and win.event.meta.entry == 0


def test_download_progress_and_cancel(shown, qtbot):
    win = shown
    calls = []

    def fake_open_url(url, timeout, progress, cancel):
        calls.append((url, timeout))
        progress(1 << 20, 4 << 20)
        cancel.wait(10)
        raise Cancelled(url)

    win.loader.url_opener = fake_open_url
    win.files.open_url("https://example.org/events/4lepton.ig", timeout=7)
    bar = win.files.download.bar
    qtbot.waitUntil(lambda: bar.maximum() == 1000 and bar.value() == 250, timeout=5000)
    assert "4lepton.ig" in win.files.download.label.text()
    assert calls == [("https://example.org/events/4lepton.ig", 7.0)]
    win.files.cancel()
    assert "cancelled" in win.statusBar().currentMessage()
    qtbot.wait(200)
    assert win.last_error is None and win.event.meta.entry == 0


def test_open_url_action_asks_and_remembers(window, qtbot, monkeypatch):
    from collider_viz.gui.open_url import OpenUrlDialog

    opened = []
    monkeypatch.setattr(window.loader, "open_url", lambda *a: opened.append(a))
    assert window.actions_.open_url.shortcut().toString() == "Ctrl+U"
    seen = {}

    def answer():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, OpenUrlDialog)
        button = dialog.buttons.button(QDialogButtonBox.StandardButton.Open)
        dialog.url_edit.setText("ftp://nope/x.root")
        seen["bad"] = (button.isEnabled(), dialog.problem.text())
        dialog.url_edit.setText("https://example.org/x.root")
        dialog.timeout_box.setValue(12)
        seen["good"] = button.isEnabled()
        button.click()

    QTimer.singleShot(100, answer)
    window.actions_.open_url.trigger()
    assert seen["bad"][0] is False and "http" in seen["bad"][1] and seen["good"] is True
    assert opened == [("https://example.org/x.root", 12.0, 0)]
    assert window.prefs.last_url == "https://example.org/x.root"
    assert window.prefs.network_timeout == 12.0


def test_local_open_abandons_url(shown, qtbot, open_wait, sample):
    win = shown
    with serve({"/" + SAMPLE: sample(SAMPLE)}, mode="stall") as server:
        win.files.open_url(f"{server.url}/{SAMPLE}", timeout=10)
        open_wait(win, SYNTH, entry=3)
        assert not win.files.download.isVisible() and not win.loader.opening_url
    qtbot.wait(200)
    assert win.last_error is None and win.event.meta.entry == 3 and win.path == SYNTH


def test_dropped_url_is_opened(window):
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.org/x.root")])
    assert window.files.dropped_path(mime) == "https://example.org/x.root"
    mime.setUrls([QUrl("mailto:someone@example.org")])
    assert window.files.dropped_path(mime) is None


# -- exceptions are shown and logged ---------------------------------------
def test_slot_exception_dialog_log_and_recovery(shown, monkeypatch, step_wait, data_dir):
    win = shown

    def broken(_name):
        raise RuntimeError("canvas exploded")

    monkeypatch.setattr(win.canvas, "set_view", broken)
    win.actions_.views["rz"].trigger()
    assert win.last_error.isVisible() and win.last_error.text() == "RuntimeError: canvas exploded"
    log = (data_dir / "collider_viz.log").read_text(encoding="utf-8")
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ERROR .*set_view", log, re.M)
    assert "Traceback (most recent call last)" in log and "RuntimeError: canvas exploded" in log
    win.last_error.close()
    assert step_wait(win, lambda: win.step(1)).meta.entry == 1


def test_excepthook_logs_and_shows(qtbot, data_dir):
    from collider_viz.gui.errors import excepthook

    try:
        raise ValueError("nobody caught me")
    except ValueError as exc:
        excepthook(type(exc), exc, exc.__traceback__)
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]
    assert any(b.text() == "ValueError: nobody caught me" for b in boxes)
    for box in boxes:
        box.close()
    log = (data_dir / "collider_viz.log").read_text(encoding="utf-8")
    assert "uncaught exception" in log and "ValueError: nobody caught me" in log


# -- damaged settings --------------------------------------------------------
def _prefs(path: Path):
    from collider_viz.gui.settings import Preferences

    return Preferences(QSettings(str(path), QSettings.Format.IniFormat))


@pytest.mark.parametrize("garbage", [bytes(range(256)) * 8, b"[view\ntheme=light\n[[[",
                                     b"this is a shopping list\nnot settings\n"])
def test_damaged_settings_file_is_backed_up(tmp_path, qtbot, data_dir, garbage):
    from collider_viz.gui.window import MainWindow

    path = tmp_path / "settings.ini"
    path.write_bytes(garbage)
    prefs = _prefs(path)
    backups = list(tmp_path.glob("settings.ini.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == garbage
    assert prefs.backup == backups[0] and len(prefs.warnings) == 1
    assert prefs.theme == "dark" and prefs.recent_files == [] and prefs.line_width == 2.0
    win = MainWindow(prefs, opener=lambda *a: None)
    qtbot.addWidget(win)
    assert "damaged" in win.statusBar().currentMessage()
    win.set_theme("light")
    win.close()
    again = _prefs(path)
    assert again.warnings == [] and again.theme == "light"
    assert "damaged" in (data_dir / "collider_viz.log").read_text(encoding="utf-8")


def test_bad_values_fall_back_to_defaults(tmp_path, data_dir):
    path = tmp_path / "settings.ini"
    store = QSettings(str(path), QSettings.Format.IniFormat)
    store.setValue("files/recent", "[\"a.root\", ")
    store.setValue("view/visible", "[1, 2]")
    store.setValue("view/thresholds", "{\"tracks\": \"high\"}")
    store.setValue("view/line_width", "wide")
    store.setValue("view/theme", "light")
    store.sync()
    del store
    prefs = _prefs(path)
    assert prefs.warnings == [] and prefs.theme == "light"
    assert prefs.recent_files == [] and prefs.visible("tracks") is True
    assert prefs.threshold("tracks", 1.5) == 1.5 and prefs.line_width == 2.0
    assert len(prefs.warnings) == 3
    assert prefs.backup is not None and prefs.backup.exists()
    assert "visible=\"[1, 2]\"" in prefs.backup.read_text()
    prefs.set_visible("tracks", False)
    prefs.add_recent("b.root")
    prefs.sync()
    again = _prefs(path)
    assert again.visible("tracks") is False and again.recent_files == ["b.root"]
    assert again.warnings == [] and again.theme == "light"
    assert "not valid JSON" in (data_dir / "collider_viz.log").read_text(encoding="utf-8")
