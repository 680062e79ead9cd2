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
                             r_max=det.tracker_radius, z_max=det.tracker_half_length)


def test_all_tracks_are_one_line_with_path_connect_mask(root, cms, event):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    lines = [c for c in root.children if isinstance(c, scene.visuals.Line)]
    assert len(lines) == 1
    line = lines[0]
    paths = _expected_paths(event["tracks"], cms)
    assert len(line.pos) == len(paths.points) == int(np.diff(paths.offsets).sum())
    np.testing.assert_allclose(line.pos, paths.points, atol=1e-6)
    connect = np.asarray(line.connect)
    assert not connect[paths.offsets[1:] - 1].any()
    assert connect.sum() == len(paths.points) - len(event["tracks"])


def test_threshold_only_changes_the_mask_not_the_helices(root, cms, event, monkeypatch):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    calls = []
    real = helix.helix_paths
    monkeypatch.setattr(helix, "helix_paths", lambda *a, **k: calls.append(1) or real(*a, **k))
    pos_before = layer.line.visual.pos
    pt = np.asarray(event["tracks"].pt)
    assert layer.n_drawn() == len(pt)
    layer.set_threshold(2.0)
    assert layer.n_drawn() == int((pt >= 2.0).sum()) < len(pt)
    connect = np.asarray(layer.line.visual.connect)
    owner = np.repeat(np.arange(len(pt)), 48)
    assert not connect[pt[owner] < 2.0].any()
    assert connect[pt[owner] >= 2.0].sum() == 47 * int((pt >= 2.0).sum())
    assert layer.line.visual.pos is pos_before
    assert calls == []


def test_charge_colours_per_vertex(root, cms, event):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    colors = layer.line.visual.color
    charge = np.asarray(event["tracks"].charge)
    style = Style()
    first = np.arange(len(charge)) * 48
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
    pos = layer.line.visual.pos.reshape(len(event["tracks"]), 48, 3)
    sides = np.sign(pos[:, 1:, 1])
    assert ((sides >= 0).all(axis=1) | (sides <= 0).all(axis=1)).all()
    np.testing.assert_allclose(pos[..., 0], layer.line.points[:, 2].reshape(-1, 48), atol=1e-6)


def test_hidden_collection_draws_nothing(root, cms, event):
    layer = TrackLayer("tracks", root)
    layer.set_data(event["tracks"], _ctx(cms))
    layer.set_visible(False)
    assert layer.n_drawn() == 0 and not layer.line.visual.visible
    assert layer.primitives() == []
    layer.set_data(None, _ctx(cms))
    layer.set_visible(True)
    assert layer.n_drawn() == 0 and not layer.line.visual.visible
