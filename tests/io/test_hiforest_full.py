"""Full HiForest reader on the real 2011 Pb+Pb forest (10 events, thousands of tracks)."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events
from collider_viz.errors import FormatError

FILE = "cms_root/HiForest_PbPb2011_tracks_10evts.root"


@pytest.fixture
def forest(opendata):
    return opendata(FILE)


def test_info_from_the_run_number(forest):
    src = open_events(forest)
    assert src.format == "hiforest" and len(src) == 10
    assert (src.info.collision_system, src.info.sqrt_s) == ("Pb+Pb", 2760.0)  # run 181913
    assert set(src.available) >= {"tracks", "photons", "jets", "vertices"}
    not_read = dict(src.info.not_read)
    assert "pfcandAnalyzer/pfTree" in not_read and "akPu4PFJetAnalyzer/t" in not_read
    assert "tracks without highPurity" in not_read


def test_high_purity_tracks_against_uproot(forest):
    ref = uproot.open(forest)["anaTrack/trackTree"].arrays(
        ["trkPt", "trkEta", "trkCharge", "highPurity", "trkDz1", "zVtx"])
    hp = ref.highPurity
    src = open_events(forest)
    counts = src.reader.counts()["tracks"]
    np.testing.assert_array_equal(counts, ak.sum(hp, axis=1))
    assert counts.min() == 466 and counts.max() == 2704
    batch = src.read(0, len(src), ["tracks"])
    tr = batch.collections["tracks"]
    np.testing.assert_allclose(ak.flatten(tr.pt), ak.flatten(ref.trkPt[hp]))
    np.testing.assert_array_equal(ak.flatten(tr.charge), ak.flatten(ref.trkCharge[hp]))
    vz = (ref.zVtx[:, 0] + ref.trkDz1[hp]) / 100.0  # cm -> m, from the first vertex
    np.testing.assert_allclose(ak.flatten(tr.vz), ak.flatten(vz), atol=1e-7)  # float32 cm
    assert ak.max(np.abs(tr.vz)) < 0.5


def test_event_ids_and_centrality(forest):
    ref = uproot.open(forest)["hiEvtAnalyzer/HiTree"].arrays(["run", "evt", "lumi", "hiBin"],
                                                              library="np")
    src = open_events(forest)
    ids = src.event_ids()
    np.testing.assert_array_equal(ids["event"], ref["evt"])
    np.testing.assert_array_equal(ids["lumi"], ref["lumi"])
    e = src[3]
    assert e.meta.extra["hiBin"] == ref["hiBin"][3]
    assert e.meta.extra["centrality"] == pytest.approx(ref["hiBin"][3] * 0.5)
    assert 0 <= e.meta.extra["centrality"] < 100


def test_jets_and_photons(forest):
    f = uproot.open(forest)
    jets = f["akPu3PFJetAnalyzer/t"].arrays(["jtpt", "jteta"])
    photons = f["multiPhotonAnalyzer/photon"]["pt"].array()
    src = open_events(forest)
    batch = src.read(0, len(src), ["jets", "photons"])
    np.testing.assert_allclose(ak.flatten(batch.collections["jets"].pt), ak.flatten(jets.jtpt))
    assert ak.all(batch.collections["jets"].radius == 0.3)
    np.testing.assert_allclose(ak.flatten(batch.collections["photons"].pt), ak.flatten(photons))
    assert ak.max(batch.collections["jets"].mass) < 14000.0


def test_muon_forest_still_opens(opendata):
    src = open_events(opendata("cms_root/HiForestAOD_PbPb2010_muons.root"))
    assert src.format == "hiforest" and src.available[0] == "muons"
    assert (src.info.collision_system, src.info.sqrt_s) == ("Pb+Pb", 2760.0)
    assert "hltanalysis/HltTree" in dict(src.info.not_read)


def test_trees_of_different_lengths_are_refused(tmp_path):
    path = tmp_path / "forest.root"
    with uproot.recreate(path) as f:
        f.mktree("hiEvtAnalyzer/HiTree", {"run": np.int32, "evt": np.int32})
        f["hiEvtAnalyzer/HiTree"].extend({"run": np.array([262600, 262600], np.int32),
                                          "evt": np.array([1, 2], np.int32)})
        f.mktree("anaTrack/trackTree", {"trkPt": "var * float32", "trkEta": "var * float32",
                                        "trkPhi": "var * float32", "trkCharge": "var * int32"})
        f["anaTrack/trackTree"].extend({k: ak.Array([[1.0]]) if k != "trkCharge" else
                                        ak.Array([[1]]) for k in ("trkPt", "trkEta", "trkPhi",
                                                                  "trkCharge")})
    with pytest.raises(FormatError, match="anaTrack/trackTree has 1 entries"):
        open_events(path)


def _tree(f, name, cols):
    f.mktree(name, {k: v.type if isinstance(v, ak.Array) else v.dtype for k, v in cols.items()})
    f[name].extend(cols)


def test_2018_style_forest(tmp_path):
    """PbPbTracks/trackTree, ggHiNtuplizerGED muons and electrons, akCs4PF jets, run 326500."""
    path = tmp_path / "forest2018.root"
    counts = np.array([2, 1])

    def jag(values, dtype=np.float32):
        return ak.unflatten(np.asarray(values, dtype=dtype), counts)

    with uproot.recreate(path) as f:
        _tree(f, "hiEvtAnalyzer/HiTree", {"run": np.full(2, 326500, np.int32),
                                          "evt": np.array([5, 6], np.int32),
                                          "lumi": np.ones(2, np.int32),
                                          "hiBin": np.array([3, 150], np.int32),
                                          "vz": np.array([1.0, -2.0], np.float32)})
        _tree(f, "PbPbTracks/trackTree", {"trkPt": jag([1.0, 2.0, 3.0]),
                                          "trkEta": jag([0.0, 0.5, 1.0]),
                                          "trkPhi": jag([0.1, 0.2, 0.3]),
                                          "trkCharge": jag([1, -1, 1], np.int32),
                                          "highPurity": jag([True, False, True], np.bool_)})
        _tree(f, "ggHiNtuplizerGED/EventTree", {"muPt": jag([30.0, 25.0, 40.0]),
                                                "muEta": jag([0.1, 0.2, 0.3]),
                                                "muPhi": jag([1.0, -1.0, 2.0]),
                                                "muCharge": jag([1, -1, -1], np.int32),
                                                "elePt": jag([20.0, 21.0, 22.0]),
                                                "eleEta": jag([0.0, 0.0, 0.0]),
                                                "elePhi": jag([0.0, 0.0, 0.0]),
                                                "eleCharge": jag([1, 1, -1], np.int32)})
        _tree(f, "akCs4PFJetAnalyzer/t", {"jtpt": jag([50.0, 60.0, 70.0]),
                                          "jteta": jag([0.0, 1.0, 2.0]),
                                          "jtphi": jag([0.0, 1.0, 2.0])})
    src = open_events(path)
    assert (src.info.collision_system, src.info.sqrt_s) == ("Pb+Pb", 5020.0)
    assert set(src.available) == {"tracks", "electrons", "muons", "jets", "vertices"}
    e = src[0]
    np.testing.assert_allclose(e["tracks"].pt, [1.0])  # the high-purity one
    np.testing.assert_array_equal(e["muons"].charge, [1, -1])
    assert e["jets"][0].radius == pytest.approx(0.4)
    assert src[1].meta.extra["centrality"] == 75.0
    assert src[1]["vertices"][0].z == pytest.approx(-0.02)
