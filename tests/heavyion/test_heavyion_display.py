"""Heavy-ion events at full scale: one visual, cuts without helices, centrality, real ALICE data."""

from __future__ import annotations

import numpy as np
import pytest

from collider_viz.io.registry import open_events
from collider_viz.physics import helix
from collider_viz.physics.detector import load_detector
from collider_viz.scene.summary import SourceStats, overlay_lines

pytestmark = pytest.mark.gui


def _central(path):
    source = open_events(str(path))
    counts = source.reader.counts()["tracks"]
    return source, source[int(np.argmax(counts))]


def test_central_pbpb_draws_15000_tracks_in_one_visual(sample, make_canvas):
    source, event = _central(sample("pbpb_5TeV_alice.root"))
    detector = load_detector(source.info.detector)
    canvas = make_canvas()
    canvas.set_event(event, detector)
    layer = canvas.layers["tracks"]
    assert canvas.n_drawn("tracks") >= 15000
    assert [type(p).__name__ for p in layer.parts] == ["LinePart"]   # one visual for all
    assert len(np.unique(layer.line.owner)) == len(event["tracks"])
    assert len(layer.line.visual.pos) == len(layer.line.points)
    image = canvas.render()
    assert (image[..., :3] > 40).mean() > 0.05


def test_pt_and_eta_cuts_change_the_drawn_count_without_helices(sample, make_canvas, monkeypatch):
    source, event = _central(sample("pbpb_5TeV_alice.root"))
    canvas = make_canvas()
    canvas.set_event(event, load_detector(source.info.detector))
    calls = []
    for name in ("helix_paths", "muon_paths", "helix_positions"):
        real = getattr(helix, name)
        monkeypatch.setattr(helix, name, lambda *a, _r=real, _n=name, **k: calls.append(_n) or _r(*a, **k))
    pt = np.asarray(event["tracks"].pt)
    eta = np.asarray(event["tracks"].eta)
    segments = len(canvas.layers["tracks"].line.visual.connect)
    canvas.set_threshold("tracks", 1.0)
    assert canvas.n_drawn("tracks") == int((pt >= 1.0).sum())
    canvas.set_eta_cut("tracks", 0.5)
    assert canvas.n_drawn("tracks") == int(((pt >= 1.0) & (np.abs(eta) <= 0.5)).sum())
    assert len(canvas.layers["tracks"].line.visual.connect) < segments
    canvas.set_threshold("tracks", 0.0)
    canvas.set_eta_cut("tracks", None)
    assert canvas.n_drawn("tracks") == len(pt)
    assert calls == []


def test_centrality_classes_are_ordered_by_multiplicity(sample):
    source = open_events(str(sample("auau_200GeV_star.root")))
    stats = SourceStats.from_source(source)
    mult, pct = stats.multiplicity, stats.percentiles
    order = np.argsort(-mult, kind="stable")
    assert np.all(np.diff(pct[order]) >= 0)               # busier -> more central
    assert pct[order[0]] == 0.0
    b_class = np.asarray(source.read(0, len(source), ["met"]).ids["bClass"])
    means = [mult[b_class == c].mean() for c in np.unique(b_class)]   # generator truth agrees
    assert means == sorted(means, reverse=True)
    lines = overlay_lines(source[int(order[0])], stats)
    assert "charged tracks" in lines[0] and lines[1].startswith("Centrality 0–10%")


def test_star_auau_sample_uses_the_star_geometry(sample, make_canvas):
    source = open_events(str(sample("auau_200GeV_star.root")))
    detector = load_detector(source.info.detector)
    assert detector.name == "STAR" and detector.field_t == pytest.approx(0.5)
    canvas = make_canvas()
    canvas.set_event(source[0], detector)
    assert canvas.n_drawn("tracks") == len(source[0]["tracks"])


def test_alice_pbpb_file_shows_its_tracks_in_the_alice_geometry(opendata, make_canvas):
    source = open_events(str(opendata("alice/AliVSD_MasterClass_PbPb_101.root")))
    detector = load_detector(source.info.detector)
    assert detector.name == "ALICE" and detector.field_t == pytest.approx(0.5)
    stats = SourceStats.from_source(source)
    assert len(stats) == len(source) == 4
    canvas = make_canvas()
    for entry in range(len(source)):
        event = source[entry]
        canvas.set_event(event, detector)
        n = len(event["tracks"])
        assert 2700 <= n <= 4300
        assert canvas.n_drawn("tracks") + canvas.n_skipped("tracks") == n
        assert canvas.n_drawn("tracks") >= 0.95 * n
        assert any("rank" in line for line in overlay_lines(event, stats))
    assert canvas.detector.name == "ALICE"
