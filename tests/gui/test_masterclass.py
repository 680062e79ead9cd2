"""Masterclass mode in the window: pick and measure with the mouse, classify with keys, resume."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt

from collider_viz.gui.app import create_window
from collider_viz.masterclass.records import read_records


@pytest.fixture
def app_window(qtbot, prefs):
    """Return ``(file) -> window`` built like ``collider-viz FILE``, shown and active."""
    made = []

    def make(file, entry=0):
        win = create_window(SimpleNamespace(file=file, entry=entry, mapping=None, play=None), prefs)
        qtbot.addWidget(win)
        made.append(win)
        win.resize(1300, 850)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        qtbot.waitUntil(lambda: win.event is not None, timeout=90000)
        qtbot.waitUntil(win.isActiveWindow, timeout=5000)
        return win

    yield make
    for win in made:
        win.close()


def _object_pixel(win, name, index):
    """A canvas pixel on object ``index`` of ``name`` that picks exactly that object."""
    canvas = win.canvas
    for kind, arrays, owner in canvas.layers[name].primitives():
        pts = arrays[0][owner == index] if kind != "segments" else \
            arrays[0][arrays[1][owner == index]]
        xy, ok = canvas._project_view(pts)
        for x, y in xy[ok][::-1]:  # from the outer end inwards: away from the vertex
            if 5 < x < canvas.canvas.size[0] - 5 and 5 < y < canvas.canvas.size[1] - 5 \
                    and canvas.pick(x, y) == (name, index):
                return QPoint(int(round(x)), int(round(y)))
    pytest.fail(f"no pixel picks {name}[{index}]")


def test_click_and_shift_click_two_muons_measure_the_z(app_window, qtbot, opendata):
    win = app_window(str(opendata("cms_root/uproot-Zmumu.root")))
    event = win.event
    win.set_view("rphi")
    qtbot.wait(50)
    first, second = _object_pixel(win, "muons", 0), _object_pixel(win, "muons", 1)
    qtbot.mouseClick(win.canvas.native, Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseClick(win.canvas.native, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ShiftModifier, pos=second)
    m = win.masterclass.selection.measurement
    assert m.picks == (("muons", 0), ("muons", 1))
    assert m.mass == pytest.approx(event.meta.extra["M"], rel=1e-6)  # the file's own M column
    text = win.masterclass.panel.measure_label.text()
    assert f"M = {event.meta.extra['M']:.2f} GeV" in text
    charges = ["+" if c > 0 else "−" for c in np.asarray(event["muons"].charge)]
    assert f"charges: {' '.join(charges)}" in text
    qtbot.waitUntil(lambda: {k: sorted(v) for k, v in win.canvas.highlighted().items()}
                    == {"muons": [0, 1]}, timeout=2000)
    qtbot.keyClick(win, Qt.Key.Key_C)
    assert win.masterclass.selection.picks == () and not win.canvas.highlighted()


def test_keys_classify_record_and_resume(app_window, qtbot, opendata, tmp_path, prefs):
    path = opendata("cms_ispy/4lepton.ig")
    results = tmp_path / "group7.csv"
    win = app_window(str(path))
    ctl = win.masterclass
    ctl.set_results(results, "group7")
    for i in range(len(win.event["muons"])):
        ctl.selection.pick("muons", i, add=True)
    mass = ctl.selection.measurement.mass
    with qtbot.waitSignal(win.event_shown, timeout=30000):
        qtbot.keyClick(win, Qt.Key.Key_8)  # 4μ, then on to the next event
    assert win.event.meta.entry == 1
    with qtbot.waitSignal(win.event_shown, timeout=30000):
        qtbot.keyClick(win, Qt.Key.Key_X)  # zoo
    rows = read_records(results)
    assert [(r.entry, r.category, r.group) for r in rows] == [(0, "4mu", "group7"), (1, "zoo", "group7")]
    assert rows[0].mass == pytest.approx(mass, rel=1e-4) and rows[0].run == 178424
    assert int(ctl.panel.hists["4l"].hist.counts.sum()) == 1  # the live histogram
    win.close()
    again = app_window(str(path))
    again.masterclass.set_results(results, "group7")
    assert again.masterclass.panel.buttons["4mu"].isChecked()
    assert "2 events of this file classified" in again.masterclass.panel.status.text()


def test_exercise_hides_answers_until_classified(app_window, qtbot, opendata, tmp_path,
                                                 monkeypatch):
    win = app_window(str(opendata("cms_root/uproot-Zmumu.root")))
    ctl = win.masterclass
    ctl.set_results(tmp_path / "g.csv", "g")
    ctl.panel.advance_check.setChecked(False)
    shown = []
    monkeypatch.setattr(win.canvas, "set_overlay", lambda lines: shown.append(list(lines or [])))
    win.set_candidate("Z candidate: m = 82.1 GeV")
    assert any("82.1" in line for line in shown[-1])
    win.collections.color_combo.setCurrentIndex(win.collections.color_combo.findData("charge"))
    ctl.panel.exercise_check.setChecked(True)
    assert not any("82.1" in line for line in shown[-1])
    assert not win.properties_dock.isVisible()
    assert win.collections.color_combo.currentData() != "charge"
    ctl.selection.pick("muons", 0)
    assert "charges: ?" in ctl.panel.measure_label.text()
    qtbot.keyClick(win, Qt.Key.Key_6)
    assert any("82.1" in line for line in shown[-1])  # answered: revealed
    assert "charges: −" in ctl.panel.measure_label.text()
    ctl.panel.exercise_check.setChecked(False)
    assert win.collections.color_combo.currentData() == "charge"


def test_class_results_window_merges_and_lists_a_bins_events(qtbot, tmp_path):
    from collider_viz.gui.masterclass_results import ClassResults
    from collider_viz.masterclass.records import Record, ResultsFile

    for group, masses in (("a", [91.0, 90.4]), ("b", [91.3, 3.1])):
        res = ResultsFile(tmp_path / f"{group}.csv", group)
        for i, m in enumerate(masses):
            res.record(Record("z.ig", 1, 10 * ord(group) + i, i, "mumu", mass=m))
    (tmp_path / "junk.csv").write_text("not,a,results,file\n")
    dialog = ClassResults()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load([str(tmp_path / n) for n in ("a.csv", "b.csv", "junk.csv")])
    assert "4 records from 2 files" in dialog.summary.text()
    assert "junk.csv: line 1" in dialog.summary.text()
    plot = dialog.plots["2l"]
    hist = plot.hist
    z = hist.bin_of(91.0)
    rect = plot._plot_rect()
    x = rect.left() + (z + 0.5) * rect.width() / len(hist.counts)
    qtbot.mouseClick(plot, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(rect.center().y())))
    lines = [dialog.events.item(i).text() for i in range(dialog.events.count())]
    assert lines[0].startswith("2l 90–92 GeV: 3 events") and len(lines) == 4
    assert sum("· a ·" in ln or ln.startswith("a ·") for ln in lines) == 2


def test_export_dialog_writes_the_picture_of_record(app_window, tmp_path, opendata):
    from PIL import Image

    from collider_viz.export.composite import panel_bounds
    from collider_viz.export.image import ImageOptions
    from collider_viz.gui.lecture.export_dialog import VIEWS, _write

    assert "triptych" in VIEWS.values()
    win = app_window(str(opendata("cms_ispy/masterclass_DoubleMu2016G_5.ig")))
    out = tmp_path / "record.png"
    assert _write(win, win.event, win.detector, str(out),
                  ImageOptions(size=(900, 300), view="triptych")) == out
    image = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert image.shape == (300, 900, 3)
    for x0, x1 in panel_bounds(900):
        panel = image[40:-40, x0 + 3:x1 - 3]
        assert (np.abs(panel - panel[0, 0]).sum(-1) > 40).mean() > 0.02


@pytest.mark.parametrize(("rel", "key", "names", "category"), [
    ("cms_ispy/masterclass_DoubleMu2016G_5.ig", Qt.Key.Key_M, ("muons",), "mumu"),
    ("atlas/atlas13_2020_data_A.4lep.root", Qt.Key.Key_L, ("electrons", "muons"), "2e2mu"),
])
def test_keys_only_on_masterclass_files(rel, key, names, category, app_window, qtbot, opendata,
                                        tmp_path):
    """Select the drawn leptons with a key, read M, classify with a key: the record has them."""
    from collider_viz.masterclass.measure import measure

    win = app_window(str(opendata(rel)))
    event = win.event
    if not sum(len(event[n]) for n in names if n in event):
        pytest.skip(f"{rel} opens with 0 leptons: its lepton reader has not landed yet")
    for name in names:
        win.collections.rows[name].slider.setValue(40)  # pT >= 20 GeV, as a teacher would set
    win.masterclass.set_results(tmp_path / "g.csv", "g")
    qtbot.keyClick(win, key)
    picks = win.masterclass.selection.picks
    drawn = [(n, i) for n in names if n in event for i, pt in enumerate(event[n].pt) if pt >= 20]
    assert picks == tuple(drawn) and len(picks) >= 2
    expected = measure(event, drawn).mass
    assert f"M = {expected:.2f} GeV" in win.masterclass.panel.measure_label.text()
    code = {"mumu": Qt.Key.Key_6, "2e2mu": Qt.Key.Key_9}[category]
    with qtbot.waitSignal(win.event_shown, timeout=30000):
        qtbot.keyClick(win, code)
    (rec,) = read_records(tmp_path / "g.csv")
    assert rec.category == category and rec.objects == tuple(drawn)
    assert rec.mass == pytest.approx(expected, rel=1e-4)
