"""The window shows what the readers know: what is not shown and why, per-event √s, the
detector's own view, and a dropped layout re-opening the file (real files skip where absent)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace

import pytest
from PyQt6.QtCore import QMimeData, QPointF, Qt, QUrl
from PyQt6.QtGui import QDropEvent
from synthetic_source import SyntheticReader

from collider_viz.io.base import EventSource

MASTERCLASS = "cms_ispy/masterclass_DoubleMu2016G_5.ig"
FOUR_LEPTON = "cms_ispy/4lepton.ig"
LHCB = "lhcb/B2HHH_PhaseSpaceSimulation.root"
ATLAS_JSON = "phoenix/atlas_eventdump.json"
POET = "cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root"


def _opener(path: str, mapping: str | None = None) -> EventSource:
    """``NAME.DET.synthetic`` is the synthetic event in detector DET; anything else normally."""
    if path.endswith(".synthetic"):
        reader = SyntheticReader(path)
        detector = path.rsplit(".", 2)[-2]
        missing = () if "complete" in path else (
            ("HltTracks", "not drawn: trigger tracks (no builder)"),)
        reader.info = replace(reader.info, detector=detector, not_read=missing)
        return EventSource(reader)
    from collider_viz.io.registry import open_events

    return open_events(path, mapping)


@pytest.fixture
def win(qtbot, prefs):
    from collider_viz.gui.window import MainWindow

    window = MainWindow(prefs, opener=_opener)
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def _open(qtbot, window, path, entry=0, mapping=None, timeout=90000):
    with qtbot.waitSignal(window.event_shown, timeout=timeout):
        window.open_file(str(path), entry, None if mapping is None else str(mapping))
    return window.event


@pytest.mark.parametrize("rel", [MASTERCLASS, POET])
def test_not_read_rows_of_real_files(rel, win, qtbot, tmp_path, opendata):
    path = opendata(rel)
    _open(qtbot, win, path)
    expected = win.loader.source.info.not_read
    assert expected, "the 2016 masterclass file has collections that are not drawn"
    box = win.collections.not_read
    assert not box.isHidden() and box.title() == f"Not shown ({len(expected)})"
    rows = [box.list.item(i) for i in range(box.list.count())]
    assert [r.text().split("\n")[0] for r in rows] == [name for name, _ in expected]
    for row, (name, why) in zip(rows, expected, strict=True):
        assert why in row.text() and row.toolTip() == f"{name}: {why}"
        assert not row.flags() & Qt.ItemFlag.ItemIsSelectable  # greyed information only
    message = win.statusBar().currentMessage()
    assert message.startswith(f"{len(expected)} collections in the file not shown")
    qtbot.wait(300)
    win.grab().save(str(tmp_path / "not_read.png"))


def test_not_read_box_empties_for_a_complete_file(win, qtbot):
    _open(qtbot, win, "a.CMS.synthetic")
    assert win.collections.not_read.names() == ["HltTracks"]
    assert win.statusBar().currentMessage().startswith("1 collection in the file not shown")
    _open(qtbot, win, "complete.CMS.synthetic")
    assert win.collections.not_read.isHidden() and win.collections.not_read.names() == []
    assert "not shown" not in win.statusBar().currentMessage()


def _run_sqrt_s(run: int) -> str:
    """The LHC pp energy of a CMS run: 2011 runs 7 TeV, 2012 runs 8 TeV (CMS run registry)."""
    if 160404 <= run <= 180252:
        return "7 TeV"
    if 190456 <= run <= 208686:
        return "8 TeV"
    raise AssertionError(f"run {run} not of 2011 or 2012")


def test_4lepton_overlay_says_each_events_energy(win, qtbot, step_wait, opendata):
    path = opendata(FOUR_LEPTON)
    with zipfile.ZipFile(path) as archive:  # runs read independently of the reader
        runs = [int(m.group(1)) for name in archive.namelist()
                if (m := re.match(r"Events/Run_(\d+)/Event_\d+$", name))]
    assert len(runs) == 3
    _open(qtbot, win, path)
    for entry, run in enumerate(runs):
        if entry:
            step_wait(win, lambda: win.step(1))
        assert win.event.meta.run == run
        lines = win.canvas.overlay.lines
        assert any(_run_sqrt_s(run) in line for line in lines), lines
        assert not any("unknown" in line for line in lines)


def test_lhcb_event_opens_side_on_and_cms_back_in_3d(win, qtbot):
    assert win.canvas.view_name == "3d"
    _open(qtbot, win, "b.LHCb.synthetic")
    assert win.detector.name == "LHCb" and win.detector.forward
    assert win.canvas.view_name == "rz" and win.actions_.views["rz"].isChecked()
    rect = win.canvas.view.camera.rect
    left, width = rect.left, rect.width
    assert left < 0.0 < 15.0 < left + width  # the spectrometer along +z, to its muon stations
    assert abs(left + width / 2) > 3.0  # framed forward, not about the interaction point
    _open(qtbot, win, "c.CMS.synthetic")
    assert win.detector.name == "CMS" and win.canvas.view_name == "3d"


def test_real_lhcb_file_opens_in_rz(win, qtbot, tmp_path, opendata):
    _open(qtbot, win, opendata(LHCB))
    assert win.detector.name == "LHCb" and win.canvas.view_name == "rz"
    qtbot.wait(300)
    win.grab().save(str(tmp_path / "lhcb_rz.png"))


def test_atlas_file_gets_the_atlas_detector(win, qtbot, opendata):
    _open(qtbot, win, opendata(ATLAS_JSON))
    assert win.detector.name == "ATLAS" and win.canvas.view_name == "3d"
    assert "ATLAS" in win.file_label.text()


def test_export_without_view_uses_the_detectors_own(tmp_path):
    from types import SimpleNamespace

    from collider_viz.commands.export import _default_view
    from collider_viz.export.image import ImageOptions

    def view_for(name):
        return _default_view(ImageOptions(), SimpleNamespace(info=SimpleNamespace(detector=name)))

    assert view_for("LHCb").view == "rz"
    assert view_for("CMS").view == "3d"
    assert view_for("no such detector").view == "3d"


MAPPING = """
[tree]
name = "T"
event = "EvtNo"

[source]
detector = "{detector}"
sqrt_s = {sqrt_s}
label = "{label}"

[collections.muons]
counter = "nMu"
fields = {{ pt = "Mu_pt", eta = "Mu_eta", phi = "Mu_phi", charge = "Mu_q", mass = 0.10566 }}
"""


@pytest.fixture
def ntuple(tmp_path):
    import awkward as ak
    import numpy as np
    import uproot

    counts = np.array([2, 1, 1])

    def jag(values, dtype=np.float64):
        return ak.unflatten(np.asarray(values, dtype=dtype), counts)

    cols = {"EvtNo": np.array([11, 12, 13], np.int64), "nMu": counts.astype(np.int32),
            "Mu_pt": jag([40, 35, 20, 25]), "Mu_eta": jag([0.5, -0.5, 1.0, 0.1]),
            "Mu_phi": jag([0, 3, 2, 1]), "Mu_q": jag([1, -1, -1, 1], np.int32)}
    path = tmp_path / "mine.root"
    with uproot.recreate(path) as f:
        tree = f.mktree("T", {k: v.type if isinstance(v, ak.Array) else v.dtype
                              for k, v in cols.items()}, counter_name=lambda _c: "nMu")
        tree.extend(cols)
    return path


def _mapping(tmp_path, name, **values):
    path = tmp_path / name
    path.write_text(MAPPING.format(**values), encoding="utf-8")
    return path


def _drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_dropped_mapping_reopens_the_file(win, qtbot, tmp_path, ntuple):
    first = _mapping(tmp_path, "star.toml", detector="STAR", sqrt_s=200, label="first mapping")
    second = _mapping(tmp_path, "cms.toml", detector="CMS", sqrt_s=13000, label="second mapping")
    _open(qtbot, win, ntuple, entry=1, mapping=first)
    assert (win.mapping, win.detector.name) == (str(first), "STAR")
    with qtbot.waitSignal(win.event_shown, timeout=60000):
        _drop(win, second)
    assert win.path == str(ntuple) and win.mapping == str(second)
    assert win.detector.name == "CMS" and win.event.meta.entry == 1  # the same event
    assert win.canvas.overlay.lines[0] == "second mapping"
    assert len(win.event["muons"]) == 1


def test_dropped_mapping_without_a_file_says_so(win, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(win, "report_error", lambda title, text: shown.append((title, text)))
    _drop(win, _mapping(tmp_path, "lonely.toml", detector="CMS", sqrt_s=13000, label="x"))
    assert len(shown) == 1 and "lonely.toml" in shown[0][1] and "open the file first" in shown[0][1]
    assert win.path is None


def test_mapping_on_the_command_line_opens_the_window_with_it(qtbot, prefs, tmp_path, ntuple):
    from types import SimpleNamespace

    from collider_viz.gui.app import create_window

    mapping = _mapping(tmp_path, "cli.toml", detector="CMS", sqrt_s=8000, label="from --mapping")
    window = create_window(SimpleNamespace(file=str(ntuple), entry=2, mapping=str(mapping),
                                           play=None), prefs)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.event is not None or window.last_error is not None,
                        timeout=60000)
        assert window.last_error is None and window.mapping == str(mapping)
        assert window.event.meta.entry == 2 and window.canvas.overlay.lines[0] == "from --mapping"
        assert "√s = 8 TeV, pp" in window.canvas.overlay.lines
    finally:
        window.close()
