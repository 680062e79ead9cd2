"""The window's parts without a canvas: settings, themes, parsing, overlay, tables."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QByteArray, QSettings, Qt
from PyQt6.QtGui import QPalette

from collider_viz.errors import FormatError
from collider_viz.gui.errors import describe
from collider_viz.gui.event_table import EventTableModel
from collider_viz.gui.navigation import NavigationBar, parse_goto
from collider_viz.gui.overlay import energy_text, overlay_lines
from collider_viz.gui.properties import format_value, record_fields
from collider_viz.gui.settings import Preferences
from collider_viz.gui.theme import other, palette
from collider_viz.physics.event import Event, EventMeta, SourceInfo, particles


def test_preferences_round_trip(tmp_path):
    path = str(tmp_path / "s.ini")
    prefs = Preferences(QSettings(path, QSettings.Format.IniFormat))
    prefs.theme = "light"
    prefs.last_directory = "/data/cms"
    prefs.color_by = "species"
    prefs.line_width = 3.5
    prefs.set_visible("jets", False)
    prefs.set_threshold("tracks", 1.5)
    prefs.set_layer_visible("muon", False)
    for name in ("a.root", "b.ig", "a.root"):
        prefs.add_recent(name)
    prefs.save_window_state(QByteArray(b"geom"), QByteArray(b"state"))
    prefs.sync()

    again = Preferences(QSettings(path, QSettings.Format.IniFormat))
    assert again.theme == "light"
    assert again.last_directory == "/data/cms"
    assert again.color_by == "species"
    assert again.line_width == 3.5
    assert again.visible("jets") is False and again.visible("tracks") is True
    assert again.threshold("tracks") == 1.5 and again.threshold("jets") == 0.0
    assert again.layer_visible("muon") is False
    assert again.recent_files == ["a.root", "b.ig"]
    assert again.window_state() == (QByteArray(b"geom"), QByteArray(b"state"))


def test_preferences_survive_garbage(tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("view/theme", "purple")
    settings.setValue("view/thresholds", "{not json")
    settings.setValue("view/line_width", "wide")
    prefs = Preferences(settings)
    assert prefs.theme == "dark"
    assert prefs.threshold("tracks") == 0.0
    assert prefs.line_width == 2.0


def test_palettes_differ():
    dark, light = palette("dark"), palette("light")
    assert dark.color(QPalette.ColorRole.Window).lightness() < 60
    assert light.color(QPalette.ColorRole.Base).lightness() > 240
    assert other("dark") == "light" and other("light") == "dark"
    with pytest.raises(ValueError):
        palette("sepia")


@pytest.mark.parametrize("text, expected", [
    ("42", ("entry", (42,))), (" 7 ", ("entry", (7,))),
    ("195397:1234", ("run_event", (195397, 1234))), ("1 : 2", ("run_event", (1, 2))),
])
def test_parse_goto(text, expected):
    assert parse_goto(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1:2:3", "-4"])
def test_parse_goto_rejects(text):
    with pytest.raises(ValueError, match="run:event"):
        parse_goto(text)


def _event(**info) -> Event:
    source = SourceInfo(path="x", format="t", detector="CMS", **info)
    meta = EventMeta(entry=3, run=195397, lumi=12, event=98765, time="2012-05-20T14:03:11+00:00")
    return Event(meta=meta, info=source, collections={})


def test_overlay_lines():
    lines = overlay_lines(_event(sqrt_s=8000.0, label="CMS Open Data"), "m(γγ) = 125.1 GeV")
    assert lines == ["CMS Open Data", "Run 195397  ·  Lumi 12  ·  Event 98765",
                     "2012-05-20 14:03:11 UTC", "√s = 8 TeV, pp", "m(γγ) = 125.1 GeV"]
    assert len(overlay_lines(_event(sqrt_s=8000.0, label="CMS"))) == 4


def test_energy_text_heavy_ions():
    assert energy_text(SourceInfo("x", "t", "STAR", "Au+Au", 200.0)) == "√sNN = 200 GeV, Au+Au"
    assert energy_text(SourceInfo("x", "t", "CMS", "Pb+Pb", 2760.0)) == "√sNN = 2.76 TeV, Pb+Pb"
    assert energy_text(SourceInfo("x", "t", "CMS", "pp", None)) == "pp"


def test_record_fields_lists_everything():
    tracks = particles([40.0, 2.0], [0.0, 1.0], [0.1, 0.2], [0.0, 0.1396], [1, -1],
                       dxy=[0.01, 0.02], quality=["high", "loose"])
    rows = dict(record_fields(tracks, 1))
    assert list(rows)[:6] == ["pt", "eta", "phi", "charge", "E", "mass"]
    assert rows["pt"] == "2" and rows["charge"] == "-1" and rows["quality"] == "loose"
    assert rows["dxy"] == "0.02"
    assert float(rows["E"]) == pytest.approx(np.sqrt((2 * np.cosh(1.0)) ** 2 + 0.1396 ** 2), 1e-4)
    assert format_value(float("nan")) == "nan"
    assert format_value([1, 2, 3, 4, 5, 6, 7]).endswith("…]")


def test_event_table_model():
    model = EventTableModel()
    model.set_source(3, {"run": np.array([1, 1, 1]), "lumi": np.array([-1, -1, -1]),
                         "event": np.array([10, 11, 12])})
    assert model.rowCount() == 3 and model.columns == ["entry", "run", "lumi", "event"]
    assert model.data(model.index(2, 3)) == "12"
    assert model.data(model.index(0, 2)) == "–"
    model.set_counts({"tracks": np.array([5, 6, 7]), "bad": np.array([1])})
    assert model.columns == ["entry", "run", "lumi", "event", "tracks"]
    assert model.data(model.index(1, 4), Qt.ItemDataRole.UserRole) == 6


def test_navigation_bar_signals(qtbot):
    bar = NavigationBar()
    qtbot.addWidget(bar)
    bar.set_count(10)
    bar.set_entry(0)
    assert not bar.prev_button.isEnabled() and bar.next_button.isEnabled()
    with qtbot.waitSignal(bar.step_requested) as blocker:
        bar.next_button.click()
    assert blocker.args == [1]
    with qtbot.waitSignal(bar.entry_requested) as blocker:
        bar.last_button.click()
    assert blocker.args == [9]
    with qtbot.waitSignal(bar.goto_requested) as blocker:
        qtbot.keyClicks(bar.goto_edit, "1:1007")
        qtbot.keyClick(bar.goto_edit, Qt.Key.Key_Return)
    assert blocker.args == ["1:1007"]


def test_error_messages_are_one_line():
    assert describe(FormatError("f.root", "not a ROOT file", "a ROOT file")) == \
        "f.root: not a ROOT file; expected a ROOT file"
    assert describe(ValueError("bad\nsecond line")) == "ValueError: bad"
    assert describe(KeyError()) == "KeyError"
