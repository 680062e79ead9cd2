"""HEP-tutorial reader on the real CMS tutorial ntuple (uproot-HZZ.root, the ZZ sample)."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events

FILE = "cms_root/uproot-HZZ.root"


@pytest.fixture
def hzz(opendata):
    return opendata(FILE)


def test_detected_with_file_info(hzz):
    src = open_events(hzz)
    assert src.format == "hep-tutorial"
    assert len(src) == 2421
    assert src.info.detector == "CMS" and src.info.is_simulation
    assert src.info.sqrt_s == 7000.0
    assert set(src.available) == {"muons", "electrons", "photons", "jets", "met"}


def test_counts_match_counters(hzz):
    tree = uproot.open(hzz)["events"]
    ref = tree.arrays(["NMuon", "NElectron", "NPhoton", "NJet"], library="np")
    counts = open_events(hzz).reader.counts()
    for name, counter in (("muons", "NMuon"), ("electrons", "NElectron"),
                          ("photons", "NPhoton"), ("jets", "NJet")):
        np.testing.assert_array_equal(counts[name], ref[counter])
    assert counts["muons"].sum() == 3825 and counts["jets"].sum() == 2773
    assert counts["electrons"].sum() == 171 and counts["photons"].sum() == 220


@pytest.mark.parametrize("entry", [0, 4, 1000, 2420])
def test_kinematics_match_file(hzz, entry):
    tree = uproot.open(hzz)["events"]
    ref = tree.arrays(entry_start=entry, entry_stop=entry + 1, library="np")
    event = open_events(hzz)[entry]
    for coll, prefix in (("muons", "Muon"), ("electrons", "Electron"), ("jets", "Jet")):
        px, py, pz = (ref[f"{prefix}_{c}"][0].astype(float) for c in ("Px", "Py", "Pz"))
        got = event[coll]
        np.testing.assert_allclose(ak.to_numpy(got.pt), np.hypot(px, py), rtol=1e-6)
        np.testing.assert_allclose(ak.to_numpy(got.phi), np.arctan2(py, px), atol=1e-6)
        np.testing.assert_allclose(ak.to_numpy(got.eta), np.arcsinh(pz / np.hypot(px, py)),
                                   atol=1e-5)
    np.testing.assert_array_equal(ak.to_numpy(event["muons"].charge), ref["Muon_Charge"][0])
    np.testing.assert_allclose(ak.to_numpy(event["muons"].iso), ref["Muon_Iso"][0])
    met = event["met"][0]
    assert met.pt == pytest.approx(np.hypot(ref["MET_px"][0], ref["MET_py"][0]), rel=1e-6)
    assert event.meta.extra["EventWeight"] == pytest.approx(float(ref["EventWeight"][0]))


def test_reads_only_requested(hzz):
    batch = open_events(hzz).read(10, 20, ["muons"])
    assert set(batch.collections) == {"muons"} and len(batch) == 10


def test_incomplete_collection_is_named(tmp_path):
    path = tmp_path / "broken.root"
    with uproot.recreate(path) as f:
        branches = {f"Muon_{c}": ak.Array([[v]]) for c, v in
                    (("Px", 1.0), ("Py", 1.0), ("Pz", 1.0), ("E", 2.0))}
        f["events"] = {"NMuon": np.array([1], np.int32), **branches,
                       "Electron_Px": ak.Array([[1.0]]),
                       "MET_px": np.array([1.0]), "MET_py": np.array([1.0])}
    with open_events(path) as src:
        assert src.format == "hep-tutorial" and "electrons" not in src.available
        assert src.read(0, 1, ["muons"]).collections["muons"].pt[0, 0] > 0
        assert ("electrons", "missing Electron_Py, Electron_Pz, Electron_E") in src.info.not_read
