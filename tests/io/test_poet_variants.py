"""POET variants of the PhysObjectExtractorTool history, written in the test."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events
from collider_viz.errors import FormatError

COUNTS = np.array([2, 0, 1])


def _jag(values, counts=COUNTS, dtype=np.float32):
    return ak.unflatten(np.asarray(values, dtype=dtype), counts)


def _objects(prefix: str) -> dict:
    return {f"{prefix}_pt": _jag([40.0, 25.0, 60.0]), f"{prefix}_eta": _jag([0.5, -1.0, 2.0]),
            f"{prefix}_phi": _jag([0.1, 2.5, -2.0]), f"{prefix}_e": _jag([50.0, 40.0, 230.0]),
            f"{prefix}_ch": _jag([1.0, -1.0, -1.0])}


def _write(path, trees: dict[str, dict]) -> None:
    with uproot.recreate(path) as f:
        for name, cols in trees.items():
            tree = f.mktree(name, {k: v.type if isinstance(v, ak.Array) else v.dtype
                                   for k, v in cols.items()})
            tree.extend(cols)


def _events(n=3, run=195397):
    return {"run": np.full(n, run, np.int32), "luminosityBlock": np.full(n, 5, np.int32),
            "event": np.arange(n, dtype=np.int64) + 100}


def test_may_2021_mtree_directories(tmp_path):
    path = tmp_path / "poet_mtree.root"
    _write(path, {"myevents/mtree": _events(), "mymuons/mtree": _objects("muon"),
                  "myelectrons/mtree": _objects("electron")})
    src = open_events(path)
    assert src.format == "poet" and len(src) == 3
    assert set(src.available) == {"muons", "electrons"}
    assert src.info.sqrt_s == 8000.0
    e = src[0]
    assert e.meta.event == 100 and e.meta.run == 195397
    np.testing.assert_allclose(e["muons"].pt, [40.0, 25.0])
    np.testing.assert_array_equal(e["electrons"].charge, [1, -1])


def test_2015_poet_without_myevents(tmp_path):
    path = tmp_path / "poet2015.root"
    met = {"met_pt": np.array([12.0, 30.0, 5.0]), "met_phi": np.array([0.5, -1.0, 3.0])}
    _write(path, {"mymuons/Events": _objects("muon"), "mymets/Events": met,
                  "mytriggers/Events": {"triggers": np.zeros(3, np.int32)}})
    src = open_events(path)
    assert src.format == "poet" and set(src.available) == {"muons", "met"}
    assert src.info.sqrt_s is None and "no run number" in src.info.extra["sqrt_s_source"]
    assert dict(src.info.not_read) == {
        "mytriggers": "no common-form collection for this POET directory"}
    e = src[1]
    assert e.meta.run is None and e.meta.event is None and len(e["muons"]) == 0
    assert e["met"][0].pt == pytest.approx(30.0)


def test_june_2021_single_mtree_with_met_as_a_vector(tmp_path):
    path = tmp_path / "PhysicsObjectsInfo.root"
    met_counts = np.ones(3, dtype=np.int64)
    cols = {**_objects("muon"), **_objects("jet"),
            "met_pt": _jag([15.0, 22.0, 8.0], met_counts),
            "met_phi": _jag([1.0, -2.0, 0.3], met_counts),
            "met_e": _jag([15.0, 22.0, 8.0], met_counts)}
    _write(path, {"mtree": cols})
    src = open_events(path)
    assert src.format == "poet" and set(src.available) == {"muons", "jets", "met"}
    batch = src.read(0, 3)
    np.testing.assert_allclose(ak.flatten(batch.collections["met"].pt), [15.0, 22.0, 8.0])
    assert src.reader.counts()["met"].tolist() == [1, 1, 1]
    np.testing.assert_allclose(ak.flatten(batch.collections["muons"].pt), [40.0, 25.0, 60.0])
    assert ak.all(batch.collections["jets"].pt == batch.collections["muons"].pt)
    m = batch.collections["muons"][0]
    assert (m[0] + m[1]).mass >= 0.0


def test_trees_of_different_lengths(tmp_path):
    path = tmp_path / "bad.root"
    _write(path, {"myevents/Events": _events(n=4), "mymuons/Events": _objects("muon")})
    with pytest.raises(FormatError, match="different lengths"):
        open_events(path)


def test_other_trees_are_not_poet(tmp_path):
    """An ATLAS-style tree with jet_pt is not a POET file (tree name is not Events/mtree)."""
    path = tmp_path / "mini.root"
    _write(path, {"mini": _objects("jet")})
    with pytest.raises(FormatError):
        src = open_events(path)
        assert src.format != "poet"


def test_real_poet_names_what_it_does_not_draw(opendata):
    src = open_events(opendata("cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root"))
    not_read = dict(src.info.not_read)
    assert {"mytaus", "mygenparticle", "mytriggers", "mytrigEvent"} <= set(not_read)
    assert src.info.extra["sqrt_s_source"] == "run number 195397"


def test_nanoaod_trees_are_not_poet(tmp_path):
    """NanoAOD's top-level Events (and AOD2NanoAOD's aod2nanoaod/Events) share PV_x with POET."""
    for name in ("Events", "aod2nanoaod/Events"):
        path = tmp_path / f"{name.replace('/', '_')}.root"
        cols = {"run": np.ones(3, np.int32), "luminosityBlock": np.ones(3, np.int32),
                "event": np.arange(3, dtype=np.int64), "PV_x": np.zeros(3), "PV_y": np.zeros(3),
                "PV_z": np.zeros(3), "nMuon": COUNTS.astype(np.int32),
                "Muon_pt": _jag([40.0, 25.0, 60.0]), "Muon_eta": _jag([0.5, -1.0, 2.0]),
                "Muon_phi": _jag([0.1, 2.5, -2.0])}
        _write(path, {name: cols})
        assert open_events(path).format == "nanoaod"


def test_miniaod_poet_packed_candidates_are_the_tracks(tmp_path):
    path = tmp_path / "poet_miniaod.root"
    counts = np.array([3, 1, 0])
    packed = {"packed_pt": _jag([1.0, 2.0, 3.0, 4.0], counts),
              "packed_eta": _jag([0.0, 0.1, 0.2, 0.3], counts),
              "packed_phi": _jag([0.0, 1.0, 2.0, 3.0], counts),
              "packed_ch": _jag([1.0, 0.0, -1.0, 0.0], counts),
              "packed_vz": _jag([1.5, 0.0, -2.0, 0.0], counts)}
    _write(path, {"myevents/Events": _events(run=275000), "mypackedcandidate/Events": packed})
    src = open_events(path)
    assert src.available == ("tracks",) and src.info.sqrt_s == 13000.0
    assert src.reader.counts()["tracks"].tolist() == [2, 0, 0]
    tr = src[0]["tracks"]
    np.testing.assert_allclose(tr.pt, [1.0, 3.0])
    np.testing.assert_array_equal(tr.charge, [1, -1])
    np.testing.assert_allclose(tr.vz, [0.015, -0.02])  # cm -> m
