"""HiForest reader on the real CMS 2010 Pb+Pb muon forest (113,989 events)."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events

FILE = "cms_root/HiForestAOD_PbPb2010_muons.root"


@pytest.fixture
def forest(opendata):
    return opendata(FILE)


def test_detected_with_ids(forest):
    src = open_events(forest)
    assert src.format == "hiforest" and len(src) == 113989
    assert src.info.collision_system == "Pb+Pb" and src.info.sqrt_s == 2760.0
    ref = uproot.open(forest)["demo/Muons"].arrays(["evRunNumber", "evEventNumber"],
                                                   library="np")
    ids = src.event_ids()
    np.testing.assert_array_equal(ids["run"], ref["evRunNumber"])
    np.testing.assert_array_equal(ids["event"], ref["evEventNumber"])
    assert (ids["run"][0], ids["event"][0]) == (151076, 1336067)


def test_counts_match_nmu(forest):
    nmu = uproot.open(forest)["demo/Muons"]["Nmu"].array(library="np")
    counts = open_events(forest).reader.counts()
    np.testing.assert_array_equal(counts["muons"], nmu)
    assert counts["muons"].sum() == 10712


def test_muon_kinematics(forest):
    tree = uproot.open(forest)["demo/Muons"]
    entries = np.flatnonzero(tree["Nmu"].array(library="np") > 0)[[0, 100, -1]]
    src = open_events(forest)
    for entry in entries:
        ref = tree.arrays(["muPt", "muEta", "muPhi", "muC"], entry_start=entry,
                          entry_stop=entry + 1, library="np")
        muons = src[int(entry)]["muons"]
        np.testing.assert_allclose(ak.to_numpy(muons.pt), ref["muPt"][0])
        np.testing.assert_allclose(ak.to_numpy(muons.eta), ref["muEta"][0])
        np.testing.assert_allclose(ak.to_numpy(muons.phi), ref["muPhi"][0])
        np.testing.assert_array_equal(ak.to_numpy(muons.charge), ref["muC"][0])


def test_one_event_reads_one_entry(forest, monkeypatch):
    src = open_events(forest)
    tree = src.reader._tree
    calls: list[tuple[int, int]] = []
    original = tree.arrays

    def spy(*args, **kwargs):
        calls.append((kwargs["entry_start"], kwargs["entry_stop"]))
        return original(*args, **kwargs)

    monkeypatch.setattr(tree, "arrays", spy)
    event = src[100000]
    assert calls and all(stop - start == 1 for start, stop in calls)
    assert event.meta.entry == 100000 and len(event["vertices"]) <= 1
