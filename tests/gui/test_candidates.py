"""The Candidates dock on the H→γγ sample: scan, list, stepping, mass window, filter errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.backend_bases import MouseButton, MouseEvent
from PyQt6.QtCore import Qt

from collider_viz.gui.scan_worker import ScanWorker, mass_text
from collider_viz.physics.scan import ScanPlan, scan_files


@pytest.fixture
def highlights(scanned, monkeypatch):
    """Every highlighted ``(name, indices)``, recorded (and still drawn).

    The controller highlights through ``canvas.highlight_many`` where the
    canvas has it, else one ``canvas.highlight`` call per collection.
    """
    canvas, calls = scanned[0].canvas, []

    def record(name, indices):
        calls.append((name, [int(i) for i in np.atleast_1d(indices)]))

    if hasattr(canvas, "highlight_many"):
        real_many = canvas.highlight_many

        def spy_many(selection):
            for name, indices in (selection or {}).items():
                record(name, indices)
            real_many(selection)

        monkeypatch.setattr(canvas, "highlight_many", spy_many)
    else:
        real = canvas.highlight

        def spy(name, indices=()):
            record(name, indices)
            real(name, indices)

        monkeypatch.setattr(canvas, "highlight", spy)
    return calls


def _highlighted_names(canvas):
    if hasattr(canvas, "highlighted"):
        return set(canvas.highlighted())
    return {canvas._highlight[0]}


def _masses(ctl):
    panel = ctl.panel
    return np.array([ctl.result.mass[panel.row_at(i)] for i in range(panel.visible_count())])


def test_list_matches_command_line_scan(scanned, reference):
    win, ctl = scanned
    ref = reference[1]
    assert ctl.panel.preset == "hgg"  # chosen from the file's process text
    assert ctl.panel.model.rowCount() == len(ref) > 100
    np.testing.assert_array_equal(ctl.result.entry, ref.entry)
    np.testing.assert_allclose(_masses(ctl)[:20], ref.mass[:20])
    first = ctl.panel.model.index(0, 3).data()
    assert first == f"{ref.mass[0]:.2f}"
    np.testing.assert_array_equal(ctl.spectrum.result.counts, ref.counts)
    assert ctl.panel.progress.value() == ctl.panel.progress.maximum()
    assert not ctl.panel.cancel_button.isVisible()
    assert f"{len(ref):,} candidates" in ctl.panel.status_label.text()


def test_next_and_previous_candidate(scanned, reference, highlights, qtbot, step_wait):
    win, ctl = scanned
    ref = reference[1]
    assert win.event.meta.entry == ref.entry[0]  # entry 0 is a candidate: its mass is shown
    assert win.candidate == mass_text(ref.axis_label, ref.mass[0])
    win.canvas.native.setFocus()
    for key, row in ((Qt.Key.Key_N, 1), (Qt.Key.Key_N, 2), (Qt.Key.Key_P, 1)):
        event = step_wait(win, lambda k=key: qtbot.keyClick(win, k))
        assert event.meta.entry == ref.entry[row]
        text = mass_text(ref.axis_label, ref.mass[row])
        assert text.startswith("m_γγ = ") and text in win.canvas.overlay.lines
        photons = ref.candidate(row)["objects"]["photons"]
        assert highlights[-1] == ("photons", photons)
        assert _highlighted_names(win.canvas) == {"photons"}
        assert ctl.spectrum.mark == pytest.approx(ref.mass[row])
    event = step_wait(win, lambda: qtbot.keyClick(win, Qt.Key.Key_Right,
                                                  Qt.KeyboardModifier.ControlModifier))
    assert event.meta.entry == ref.entry[2]


def test_stepping_follows_the_sort_order(scanned, qtbot, step_wait):
    win, ctl = scanned
    ctl.panel.table.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
    masses = _masses(ctl)
    assert np.all(np.diff(masses) <= 0)  # numeric, not text, order
    step_wait(win, lambda: ctl.show_candidate(ctl.panel.row_at(0)))
    event = step_wait(win, ctl.panel.next_button.click)
    assert event.meta.entry == ctl.result.entry[ctl.panel.row_at(1)]
    assert ctl.spectrum.mark == pytest.approx(masses[1])


def test_non_candidate_event_clears_the_mass(scanned, reference, step_wait):
    win, ctl = scanned
    entries = set(reference[1].entry.tolist())
    other = next(i for i in range(100) if i not in entries)
    step_wait(win, lambda: win.show_entry(other))
    assert win.candidate is None and ctl.spectrum.mark is None


def test_next_from_a_non_candidate_goes_on_from_there(scanned, reference, step_wait):
    """N on an event that is not a candidate shows the next candidate after it, P the one before."""
    win, ctl = scanned
    entries = reference[1].entry.tolist()
    gap = next(i for i in range(1, len(entries)) if entries[i] - entries[i - 1] > 1)
    other = entries[gap - 1] + 1  # not a candidate, with candidates before and after it
    step_wait(win, lambda: win.show_entry(other))
    assert win.candidate is None
    assert step_wait(win, lambda: ctl.step(1)).meta.entry == entries[gap]
    step_wait(win, lambda: win.show_entry(other))
    assert step_wait(win, lambda: ctl.step(-1)).meta.entry == entries[gap - 1]


def _click(spectrum, x, y):
    spectrum.canvas.draw()
    px, py = spectrum.ax.transData.transform((x, y))
    for name in ("button_press_event", "button_release_event"):
        spectrum.canvas.callbacks.process(
            name, MouseEvent(name, spectrum.canvas, px, py, button=MouseButton.LEFT))


def test_click_on_bin_restricts_the_list(scanned, reference, step_wait):
    win, ctl = scanned
    ref = reference[1]
    edges = ref.edges
    i = int(np.searchsorted(edges, 125.0, side="right")) - 1
    _click(ctl.spectrum, 0.5 * (edges[i] + edges[i + 1]), ref.counts[i] / 2)
    assert ctl.spectrum.window == (edges[i], edges[i + 1])
    masses = _masses(ctl)
    assert len(masses) == ref.counts[i] > 0
    assert np.all((masses >= edges[i]) & (masses < edges[i + 1]))
    for _ in range(2):
        event = step_wait(win, lambda: ctl.step(1))
        assert edges[i] <= ctl.result.mass[ctl.current] < edges[i + 1]
        assert event.meta.entry == ctl.result.entry[ctl.current]
    ctl.spectrum.clear_button.click()
    assert ctl.panel.visible_count() == len(ref)


def test_drag_restricts_to_a_range(scanned, reference):
    _win, ctl = scanned
    ctl.spectrum.on_span(120.0, 130.0)
    masses = _masses(ctl)
    expected = np.count_nonzero((reference[1].mass >= 120) & (reference[1].mass < 130))
    assert len(masses) == expected and np.all((masses >= 120) & (masses < 130))
    assert "with 120 ≤ m < 130 GeV" in ctl.panel.status_label.text()


def test_filter_syntax_error_is_shown_inline(scanned, reference, qtbot):
    win, ctl = scanned
    edit, label = ctl.panel.filter_edit, ctl.panel.error_label
    qtbot.keyClicks(edit, "nPhoton >== 2")
    assert label.isVisible()
    expression, caret = label.text().splitlines()
    assert expression == "nPhoton >== 2"
    assert caret.index("^") == 10 and "column 11" in caret  # under the second '='
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert ctl.worker is None and ctl.result is not None  # no scan, the list stays
    assert win.last_error is None  # no dialog
    edit.clear()
    assert not label.isVisible()
    qtbot.keyClicks(edit, "mass > 120")
    with qtbot.waitSignal(ctl.scan_finished, timeout=60000):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    expected = scan_files([reference[0]], "hgg", "mass > 120")
    assert len(ctl.result) == len(expected) < len(reference[1])
    assert np.all(_masses(ctl) > 120)


def test_new_preset_cancels_the_running_scan(scanned, qtbot):
    _win, ctl = scanned
    ctl.rescan()
    first = ctl.worker
    combo = ctl.panel.preset_combo
    with qtbot.waitSignal(ctl.scan_finished, timeout=60000):
        combo.setCurrentText("zee")
        combo.activated.emit(combo.currentIndex())
    assert first.cancel.is_set() and ctl.worker is None
    assert ctl.result.axis_label == r"$m_{ee}$ [GeV]"


def test_worker_reports_partial_results(qtbot, reference):
    from collider_viz.io.registry import open_events

    worker = ScanWorker(open_events, reference[0], None, ScanPlan("hgg"))
    worker.interval = 0.0  # every slice (the window's scans report a few times a second)
    partial = []
    worker.partial.connect(lambda r: partial.append(r.n_events))
    with qtbot.waitSignal(worker.finished_scan, timeout=60000) as done:
        worker.start()
    worker.wait()
    assert len(partial) >= 10 and partial == sorted(partial)
    np.testing.assert_array_equal(done.args[0].counts, reference[1].counts)
    assert not done.args[0].cancelled


def test_worker_reports_at_most_every_interval(qtbot, reference):
    from collider_viz.io.registry import open_events

    worker = ScanWorker(open_events, reference[0], None, ScanPlan("hgg"))
    worker.interval = 3600.0
    partial = []
    worker.partial.connect(lambda r: partial.append(r.n_events))
    with qtbot.waitSignal(worker.finished_scan, timeout=60000) as done:
        worker.start()
    worker.wait()
    assert len(partial) == 1 and partial[0] < done.args[0].n_events  # the first slice only


def test_worker_stops_when_cancelled(qtbot, reference):
    from collider_viz.io.registry import open_events

    worker = ScanWorker(open_events, reference[0], None, ScanPlan("hgg"))
    worker.cancel.set()
    with qtbot.waitSignal(worker.finished_scan, timeout=60000) as done:
        worker.start()
    worker.wait()
    assert done.args[0].cancelled and done.args[0].n_events < 4500


def test_watch_the_bump_and_screenshot(scanned, qtbot, step_wait):
    win, ctl = scanned
    ctl.actions["watch"].trigger()
    assert ctl.spectrum.watching
    ctl.spectrum.on_span(115.0, 135.0)
    for _ in range(4):
        step_wait(win, lambda: ctl.step(1))
    assert len(ctl.visited) == 4 and len(ctl.spectrum.visited) == 4
    labels = [t.get_text() for t in ctl.spectrum.ax.get_legend().get_texts()]
    assert "visited (4)" in labels
    assert win.candidates_dock.isVisible() and win.spectrum_dock.isVisible()
    qtbot.wait(300)
    image = win.grab().toImage()
    image.save("/tmp/cand_window.png")
    assert image.width() > 1000 and image.height() > 700


def test_rapid_steps_and_keys_in_the_table(scanned, reference, qtbot):
    win, ctl = scanned
    ctl.panel.table.setFocus()
    for _ in range(3):
        qtbot.keyClick(win, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: ctl.current == 3, timeout=30000)
    qtbot.waitUntil(lambda: not win.loader.busy, timeout=10000)
    assert win.event.meta.entry == reference[1].entry[3]


def test_four_lepton_sample(qtbot, prefs, step_wait):
    from collider_viz.gui.window import MainWindow

    path = Path(__file__).resolve().parents[2] / "sample_events" / "higgs_4l_13TeV.root"
    if not path.exists():
        pytest.skip("sample higgs_4l_13TeV.root has not been generated (make samples)")
    win = MainWindow(prefs)
    ctl = win.candidates
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(ctl.scan_finished, timeout=120000):
        win.open_file(str(path))
    ref = scan_files([path], "h4l")
    assert ctl.panel.preset == "h4l" and len(ctl.result) == len(ref)
    event = step_wait(win, lambda: ctl.step(1))
    assert event.meta.entry == ref.entry[0]
    assert win.candidate == mass_text(ref.axis_label, ref.mass[0])
    assert win.candidate.startswith("m_4ℓ = ")
    win.close()


def test_closing_during_a_scan(qtbot, prefs, reference):
    from collider_viz.gui.window import MainWindow

    win = MainWindow(prefs)
    ctl = win.candidates
    qtbot.addWidget(win)
    win.show()
    win.open_file(reference[0])
    qtbot.waitUntil(lambda: ctl.worker is not None, timeout=60000)
    worker = ctl.worker
    win.close()
    assert worker.cancel.is_set() and worker.isFinished()
