"""The Mass spectrum dock alone, the candidate table model and the small helpers."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.backend_bases import MouseButton, MouseEvent
from matplotlib.patches import Rectangle
from PyQt6.QtCore import Qt

from collider_viz.commands.scan import experiment_name, plot_histogram
from collider_viz.gui.candidate_model import CandidateModel, MassWindowProxy
from collider_viz.gui.scan_worker import choose_preset, mass_text
from collider_viz.gui.spectrum import SpectrumPanel, bin_window
from collider_viz.physics.scan import scan_files

HGG = Path(__file__).resolve().parents[2] / "sample_events" / "higgs_diphoton_13TeV.root"


@pytest.fixture(scope="module")
def result():
    """The command line's H→γγ scan of the sample."""
    if not HGG.exists():
        pytest.skip("sample higgs_diphoton_13TeV.root has not been generated (make samples)")
    return scan_files([HGG], "hgg")


@pytest.fixture
def panel(qtbot, result):
    """A shown spectrum panel with the sample's histogram."""
    widget = SpectrumPanel()
    qtbot.addWidget(widget)
    widget.resize(800, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_result(result)
    return widget


def _mouse(panel, name, x, y):
    panel.canvas.draw()
    px, py = panel.ax.transData.transform((x, y))
    panel.canvas.callbacks.process(name, MouseEvent(name, panel.canvas, px, py,
                                                    button=MouseButton.LEFT))


def _texts(panel):
    return [t.get_text() for t in panel.ax.texts]


def test_draws_the_command_line_histogram(panel, result):
    assert "Simulation" in _texts(panel)  # mplhep's CMS label, as `scan --hist` writes it
    assert panel.ax.get_xlabel() == result.axis_label
    assert panel.ax.get_ylabel() == "Candidates / 1 GeV"
    assert panel.ax.get_xlim() == (result.edges[0], result.edges[-1])
    assert panel.ax.get_ylim()[1] > result.counts.max()


def test_experiment_and_kind_of_data_follow_the_file(panel, result):
    panel.set_experiment("alice")
    assert {"ALICE", "Simulation", "(13 TeV)"} <= set(_texts(panel))
    panel.set_experiment("STAR")
    panel.set_result(dataclasses.replace(result, is_simulation=False, sqrt_s=200.0))
    texts = _texts(panel)
    assert {"STAR", "Open Data", "(200 GeV)"} <= set(texts) and "Simulation" not in texts
    assert experiment_name("cms") == "CMS" and experiment_name("") == "CMS"


def test_command_line_and_dock_draw_the_same_plot(panel, result):
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    plot_histogram(ax, result.edges, result.counts, result.axis_label, True, result.sqrt_s)
    assert sorted(t.get_text() for t in ax.texts) == sorted(_texts(panel))
    assert (ax.get_xlabel(), ax.get_ylabel()) == (panel.ax.get_xlabel(), panel.ax.get_ylabel())
    assert ax.get_ylim() == panel.ax.get_ylim()


def test_click_on_bin_emits_its_edges(panel, result, qtbot):
    edges = result.edges
    i = int(np.searchsorted(edges, 125.0, side="right")) - 1
    centre = 0.5 * (edges[i] + edges[i + 1])
    with qtbot.waitSignal(panel.window_selected) as got:
        _mouse(panel, "button_press_event", centre, 10.0)
        _mouse(panel, "button_release_event", centre, 10.0)
    assert got.args[0] == (edges[i], edges[i + 1])
    shaded = [p for p in panel.ax.patches if isinstance(p, Rectangle) and p.get_visible()]
    assert any(p.get_x() == pytest.approx(edges[i]) for p in shaded)
    with qtbot.waitSignal(panel.window_selected) as got:
        panel.clear_button.click()
    assert got.args[0] is None and panel.window is None


def test_drag_emits_a_range_and_tiny_drags_do_nothing(panel, qtbot):
    with qtbot.waitSignal(panel.window_selected) as got:
        panel.on_span(118.2, 131.7)
    assert got.args[0] == (118.2, 131.7)
    with qtbot.assertNotEmitted(panel.window_selected):
        panel.on_span(120.0, 120.2)  # less than half a bin: a click, handled on release
    with qtbot.assertNotEmitted(panel.window_selected):
        _mouse(panel, "button_press_event", 120.0, 10.0)
        _mouse(panel, "button_release_event", 140.0, 10.0)  # a drag, not a click


def test_partial_results_keep_one_frame(panel, result):
    label = _texts(panel)
    for _ in range(3):
        panel.set_result(result)
    assert _texts(panel) == label  # the experiment label is drawn once
    assert len(panel.ax.patches) < 10  # old histogram layers were removed


def test_mark_and_visited_candidates(panel):
    panel.set_mark(125.3)
    assert any(np.allclose(line.get_xdata(), 125.3) for line in panel.ax.lines)
    legend = [t.get_text() for t in panel.ax.get_legend().get_texts()]
    assert "this event: 125.3 GeV" in legend
    for mass in (124.9, 125.2, 101.0):
        panel.add_visited(mass)
    panel.watch_check.setChecked(True)
    legend = [t.get_text() for t in panel.ax.get_legend().get_texts()]
    assert "visited (3)" in legend and "all candidates, scaled to 3" in legend
    assert panel.ax.get_ylim()[1] < 10  # the scale follows the few candidates visited
    panel.set_mark(None)
    panel.reset_visited()
    assert [t.get_text() for t in panel.ax.get_legend().get_texts()] == [
        "all candidates (signal ×110 for visibility)"]  # the diphoton sample is enhanced


def test_moving_the_mark_neither_rebuilds_nor_relays_out(panel, qtbot):
    panel.set_mark(120.0)
    panel.canvas.draw()                                   # laid out once, then frozen
    assert panel.figure.get_layout_engine() is None or \
        type(panel.figure.get_layout_engine()).__name__ == "PlaceHolderLayoutEngine"
    layers, position = list(panel._layers), panel.ax.get_position().bounds
    drawn = []
    panel.canvas.mpl_connect("draw_event", lambda _e: drawn.append(1))
    for mass in (125.3, 101.0, 124.6):
        panel.set_mark(mass)
    mark = [line for line in panel.ax.lines if np.allclose(line.get_xdata(), 124.6)]
    assert len(mark) == 1 and mark[0] in layers          # the same line, moved
    assert all(not np.allclose(line.get_xdata(), 101.0) for line in panel.ax.lines)
    legend = [t.get_text() for t in panel.ax.get_legend().get_texts()]
    assert legend == ["all candidates (signal ×110 for visibility)", "this event: 124.6 GeV"]
    assert not drawn                                      # drawn a moment later, once
    qtbot.waitUntil(lambda: len(drawn) == 1, timeout=3000)
    qtbot.wait(200)
    assert len(drawn) == 1 and panel.ax.get_position().bounds == position
    panel.resize(900, 450)                                # a resize lays it out again
    qtbot.waitUntil(lambda: panel.ax.get_position().bounds != position, timeout=3000)


def test_export_png_and_pdf(panel, tmp_path):
    png, pdf = tmp_path / "spectrum.png", tmp_path / "spectrum.pdf"
    assert panel.export(str(png)) == str(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10000
    assert panel.export(str(pdf)) == str(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert sorted(os.listdir(tmp_path)) == ["spectrum.pdf", "spectrum.png"]  # no temp files


def test_export_refuses_to_overwrite_unless_confirmed(panel, tmp_path, qtbot, monkeypatch):
    from PyQt6.QtWidgets import QFileDialog

    target = tmp_path / "spectrum.png"
    target.write_bytes(b"keep")
    with qtbot.waitSignal(panel.export_failed) as failed:
        assert panel.export(str(target)) is None
    assert "exists" in failed.args[0] and target.read_bytes() == b"keep"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PNG image (*.png)"))
    assert panel.export() == str(target)  # the dialog asked before replacing
    assert target.read_bytes()[:4] == b"\x89PNG"


def test_suffix_added_after_the_dialog_is_not_confirmed(panel, tmp_path, qtbot, monkeypatch):
    from PyQt6.QtWidgets import QFileDialog

    (tmp_path / "plot.pdf").write_bytes(b"keep")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "plot"), "PDF document (*.pdf)"))
    with qtbot.waitSignal(panel.export_failed):
        assert panel.export() is None
    assert (tmp_path / "plot.pdf").read_bytes() == b"keep"
    with qtbot.waitSignal(panel.export_failed) as failed:
        panel.export(str(tmp_path / "plot.jpg"))
    assert "unknown image type" in failed.args[0]


class _Result(SimpleNamespace):
    """The columns of a scan result the table reads."""

    def __len__(self):
        return len(self.entry)


def test_model_sorts_numbers_and_filters_the_mass_window(qtbot):
    model, proxy = CandidateModel(), MassWindowProxy()
    proxy.setSourceModel(model)
    model.set_result(_Result(entry=np.array([3, 10, 25, 40]), run=np.array([1, 1, -1, 2]),
                             event=np.array([7, 9, 11, 100]),
                             mass=np.array([9.5, 100.0, np.nan, 10.2]), n_events=50))
    assert model.index(2, 1).data() == "?" and model.index(2, 3).data() == "–"
    assert model.index(3, 3).data() == "10.20"
    proxy.sort(3, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(i, 3).data() for i in range(proxy.rowCount())]
    assert shown == ["–", "9.50", "10.20", "100.00"]  # numeric order, not text order
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(i, 2).data() for i in range(4)] == ["100", "11", "9", "7"]
    proxy.set_window((9.5, 100.0))
    assert sorted(proxy.index(i, 3).data() for i in range(proxy.rowCount())) == ["10.20", "9.50"]
    proxy.set_window(None)
    assert proxy.rowCount() == 4


def test_bin_window_edges():
    edges = np.linspace(100.0, 180.0, 81)
    assert bin_window(edges, 125.3) == (125.0, 126.0)
    assert bin_window(edges, 100.0) == (100.0, 101.0)
    assert bin_window(edges, 99.9) is None and bin_window(edges, 180.0) is None


def test_mass_text_and_preset_choice():
    assert mass_text(r"$m_{\gamma\gamma}$ [GeV]", 125.34) == "m_γγ = 125.3 GeV"
    assert mass_text(r"$m_{4\ell}$ [GeV]", 124.9) == "m_4ℓ = 124.9 GeV"
    assert mass_text(r"$m_{\mu\mu}$ [GeV]", 3.0969) == "m_μμ = 3.097 GeV"
    assert mass_text("mass [GeV]", None) is None
    info = SimpleNamespace(extra={"process": "gg -> H -> ZZ* -> 4l"})
    assert choose_preset("x.root", info) == "h4l"
    info = SimpleNamespace(extra={"process": "gg -> H -> gamma gamma"})
    assert choose_preset("x.root", info) == "hgg"
    assert choose_preset("Run2012B_DoubleMuParked_jpsi.root", None) == "jpsi"
    assert choose_preset("data.root", None, ("tracks", "muons")) == "zmumu"
    assert choose_preset("data.root", None, ("tracks",)) is None  # nothing to pair
    assert choose_preset("data.root", None, ()) == "hgg"  # the file does not say
    pbpb = SimpleNamespace(collision_system="Pb+Pb", extra={"process": "Pb+Pb Angantyr"})
    assert choose_preset("pbpb.root", pbpb, ("tracks", "photons")) is None  # no m_γγ for Pb+Pb
    assert choose_preset("hiforest.root", pbpb, ("tracks", "muons")) == "zmumu"


def test_dock_style_draws_mathtext_without_a_missing_font_warning(caplog):
    """The CMS style's mathtext used the 'cursive' family, missing on most Linux machines."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontManager

    from collider_viz.gui.spectrum_plot import dock_style

    FontManager._findfont_cached.cache_clear()
    with caplog.at_level("WARNING", logger="matplotlib.font_manager"):
        with dock_style("dark"):
            fig = Figure(figsize=(3, 2), layout="constrained")
            fig.add_subplot(1, 1, 1).set_xlabel(r"$m_{\gamma\gamma}$ [GeV]")
        FigureCanvasAgg(fig).draw()  # as Qt does: later, outside the style
    assert "not found" not in caplog.text


def test_few_data_candidates_draw_no_points_in_empty_bins_and_fit_their_errors():
    from matplotlib.figure import Figure

    from collider_viz.gui.spectrum_plot import dock_style, draw_layers, mark_label

    edges = np.linspace(70, 170, 51)
    counts = np.zeros(50)
    counts[[25, 26, 28]] = 1  # three real candidates (4lepton.ig)
    result = SimpleNamespace(edges=edges, counts=counts, is_simulation=False)
    with dock_style("dark"):
        fig = Figure(figsize=(6, 2))
        ax = fig.add_subplot(1, 1, 1)
        draw_layers(ax, result, None, None, 60.0)
        fig.canvas.draw()
    points = np.concatenate([np.asarray(line.get_ydata(), float) for line in ax.lines
                             if line.get_marker() not in (None, "None", "")])
    assert np.count_nonzero(np.isfinite(points)) == 3  # one point per filled bin, none at zero
    assert ax.get_ylim()[1] > 2.0  # the 1 ± 1 error bars end inside the axes
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "this event: 60.0 GeV (off the axis)" in labels
    assert mark_label(120.0, ax) == "this event: 120.0 GeV"


def test_simulation_label_stays_beside_the_experiment_name_when_the_dock_grows():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from collider_viz.commands.scan import plot_frame
    from collider_viz.gui.spectrum_plot import anchor_label_suffix, dock_style

    with dock_style("dark"):
        fig = Figure(figsize=(2, 1.5))  # the dock at start-up, before the window's layout
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        plot_frame(ax, np.linspace(100, 180, 41), "m [GeV]", True, 13000.0, "CMS",
                   offset_aware=False)
        anchor_label_suffix(ax)
        fig.set_size_inches(14, 3)  # then laid out full width
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
    name = next(t for t in ax.texts if t.get_text() == "CMS").get_window_extent(renderer)
    suffix = next(t for t in ax.texts if t.get_text() == "Simulation").get_window_extent(renderer)
    gap = suffix.x0 - name.x1
    assert 0 < gap < 0.6 * name.height  # a space, not a gap across the plot
