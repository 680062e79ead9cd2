"""Layers and parts tested on their visuals' data, without drawing."""

from __future__ import annotations

import numpy as np
import pytest
from scene_events import make_event
from vispy import scene

from collider_viz.physics import helix
from collider_viz.scene.canvas import BUILDERS
from collider_viz.scene.layers import BuildContext, TrackLayer
from collider_viz.scene.style import Style


@pytest.fixture
def root():
    return scene.Node()


def _ctx(det):
    return BuildContext(detector=det, origin=np.zeros(3))


def _expected_paths(tracks, det):
    return helix.helix_paths(tracks.pt, tracks.eta, tracks.phi, tracks.charge, tracks.vx,
                             tracks.vy, tracks.vz, field_t=det.field_t,
                             r_max=det.track_end_radius, z_max=det.track_end_z,
                             max_turn=2 * np.pi * det.max_turns)


def _per_track(layer):
    off = layer.offsets
    return [layer.line.points[off[i]:off[i + 1]] for i in range(len(off) - 1)]


def test_all_tracks_are_one_line_with_segment_pairs(root, cms, event):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    lines = [c for c in root.children if isinstance(c, scene.visuals.Line)]
    assert len(lines) == 1
    line = lines[0]
    np.testing.assert_array_equal(line.pos, layer.line.points)
    paths = _expected_paths(event["tracks"], cms)
    for i, track in enumerate(_per_track(layer)):   # same start and exit as the physics helix
        np.testing.assert_allclose(track[[0, -1]], paths.path(i)[[0, -1]], atol=2e-6)
    pairs = np.asarray(line.connect)
    owner = layer.line.owner
    assert pairs.shape == (len(owner) - len(event["tracks"]), 2)
    assert (pairs[:, 1] == pairs[:, 0] + 1).all()
    assert (owner[pairs[:, 0]] == owner[pairs[:, 1]]).all()


def test_vertex_count_follows_the_curvature(root, cms, event):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    counts = np.diff(layer.offsets)
    pt = np.asarray(event["tracks"].pt)
    assert counts.min() >= 4 and counts.max() <= 256  # loopers: up to 5 turns
    assert counts[np.argmin(pt)] >= counts[np.argmax(pt)]
    for track in _per_track(layer):       # no segment turns by more than ~pi/47
        d = np.diff(track[:, :2], axis=0)
        turn = np.abs(np.angle(np.exp(1j * np.diff(np.arctan2(d[:, 1], d[:, 0])))))
        limit = 0.08 if len(track) < 256 else 0.125  # 5-turn loopers: 256 vertices
        assert turn.size == 0 or turn.max() < limit


def test_cuts_only_change_the_segments_not_the_helices(root, cms, event, monkeypatch):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    calls = []
    real = helix.helix_paths
    monkeypatch.setattr(helix, "helix_paths", lambda *a, **k: calls.append(1) or real(*a, **k))
    pos_before = layer.line.visual.pos
    pt = np.asarray(event["tracks"].pt)
    eta = np.asarray(event["tracks"].eta)
    assert layer.n_drawn() == len(pt)
    layer.set_threshold(2.0)
    layer.set_eta_cut(1.0)
    keep = (pt >= 2.0) & (np.abs(eta) <= 1.0)
    assert layer.n_drawn() == int(keep.sum()) < len(pt)
    drawn = np.asarray(layer.line.visual.connect)
    owner = layer.line.owner
    assert set(np.unique(owner[drawn[:, 0]])) == set(np.flatnonzero(keep))
    assert len(drawn) == int((np.diff(layer.offsets) - 1)[keep].sum())
    assert layer.line.visual.pos is pos_before
    assert calls == []


def test_cap_keeps_the_highest_pt(root, cms, event):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    layer.set_cap(10)
    pt = np.asarray(event["tracks"].pt)
    assert layer.n_drawn() == 10 and int(layer.passing().sum()) == len(pt)
    assert set(np.flatnonzero(layer.mask())) == set(np.argsort(-pt)[:10])


def test_charge_colours_per_vertex(root, cms, event):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    colors = layer.line.visual.color
    charge = np.asarray(event["tracks"].charge)
    style = Style()
    first = layer.offsets[:-1]
    np.testing.assert_allclose(colors[first[charge > 0]], style.color("positive")[None].repeat((charge > 0).sum(), 0))
    np.testing.assert_allclose(colors[first[charge < 0]], style.color("negative")[None].repeat((charge < 0).sum(), 0))
    layer.set_style(Style(color_by="species"))
    species = layer.line.visual.color[first]
    pdg = np.abs(np.asarray(event["tracks"].pdgId))
    assert len({tuple(c) for c in species[pdg == 211]}) == 1
    assert not np.allclose(species[pdg == 211][0], species[pdg == 2212][0])
    layer.set_style(Style(color_by="pt"))
    assert len({tuple(c) for c in layer.line.visual.color[first]}) > 5


@pytest.mark.parametrize("name", ["photons", "electrons", "jets", "calo"])
def test_solid_collections_are_one_mesh(root, cms, name):
    ev = make_event(10, seed=5)
    layer = BUILDERS[name](name, root)
    layer.set_data(ev[name], _ctx(cms))
    meshes = [c for c in root.children if isinstance(c, scene.visuals.Mesh) and c.visible]
    assert len(meshes) == 1
    faces = meshes[0].mesh_data.get_faces()
    per_object = {"photons": 12, "electrons": 12, "jets": 40, "calo": 12}[name]
    assert len(faces) == per_object * len(ev[name])


def test_photon_dashes_reach_the_ecal(root, cms):
    ev = make_event(5)
    layer = BUILDERS["photons"]("photons", root)
    layer.set_data(ev["photons"], _ctx(cms))
    pos = layer.line.visual.pos
    assert len(pos) % 2 == 0 and len(pos) > 20
    r = np.hypot(pos[:, 0], pos[:, 1])
    assert r.max() == pytest.approx(cms.ecal_radius, rel=0.02)


def test_calo_colours_by_subdetector(root, cms):
    ev = make_event(5)
    layer = BUILDERS["calo"]("calo", root)
    layer.set_data(ev["calo"], _ctx(cms))
    fc = layer.boxes.face_colors.reshape(-1, 12, 4)[:, 0]
    subdet = np.asarray(ev["calo"].subdet)
    eb, hb = fc[subdet == "EB"], fc[subdet == "HB"]
    assert (eb[:, 1] > eb[:, 2]).all()   # green-ish
    assert (hb[:, 2] > hb[:, 1]).all()   # blue-ish
    layer.set_threshold(5.0)
    assert layer.n_drawn() == int((np.asarray(ev["calo"].energy) >= 5.0).sum())


def test_met_arrow_starts_at_the_calorimeter_face(root, cms):
    ev = make_event(5)
    layer = BUILDERS["met"]("met", root)
    layer.set_data(ev["met"], _ctx(cms))
    pos = layer.line.visual.pos
    assert len(pos) == 6
    assert np.hypot(*pos[0, :2]) == pytest.approx(cms.ecal_radius)
    assert np.arctan2(pos[1, 1], pos[1, 0]) == pytest.approx(float(ev["met"].phi[0]), abs=1e-5)
    assert np.allclose(pos[:, 2], 0)


def test_rz_view_keeps_each_track_on_one_side(root, cms, event):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    layer.set_view("rz")
    pos = layer.line.visual.pos
    off = layer.offsets
    for i in range(len(off) - 1):
        sides = np.sign(pos[off[i] + 1:off[i + 1], 1])
        assert (sides >= 0).all() or (sides <= 0).all()
    np.testing.assert_allclose(pos[:, 0], layer.line.points[:, 2], atol=1e-6)


def test_hidden_collection_draws_nothing(root, cms, event):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    layer.set_visible(False)
    assert layer.n_drawn() == 0 and not layer.line.visual.visible
    assert layer.primitives() == []
    layer.set_data(None, _ctx(cms))
    layer.set_visible(True)
    assert layer.n_drawn() == 0 and not layer.line.visual.visible
