"""POET reader on the real 2012 DoubleMuParked POET ntuple (100 events)."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events

FILE = "cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root"


@pytest.fixture
def poet(opendata):
    return opendata(FILE)


def test_detected_with_ids(poet):
    src = open_events(poet)
    assert src.format == "poet" and len(src) == 100
    assert src.info.sqrt_s == 8000.0 and not src.info.is_simulation
    ref = uproot.open(poet)["myevents/Events"].arrays(library="np")
    ids = src.event_ids()
    np.testing.assert_array_equal(ids["run"], ref["run"])
    np.testing.assert_array_equal(ids["lumi"], ref["luminosityBlock"])
    np.testing.assert_array_equal(ids["event"], ref["event"].astype(np.int64))
    assert (ids["run"][0], ids["lumi"][0], ids["event"][0]) == (195397, 817, 1044388523)


def test_counts_match_stored_objects(poet):
    f = uproot.open(poet)
    counts = open_events(poet).reader.counts()
    for coll, key in (("tracks", "mytracks/Events:track_pt"), ("muons", "mymuons/Events:muon_pt"),
                      ("jets", "myjets/Events:jet_pt"), ("vertices", "mypvertex/Events:PV_x")):
        directory, branch = key.split(":")
        ref = ak.to_numpy(ak.num(f[directory][branch].array()))
        np.testing.assert_array_equal(counts[coll], ref)
    assert counts["tracks"].sum() == 50309
    assert (counts["met"] == 1).all()


@pytest.mark.parametrize("entry", [0, 57, 99])
def test_kinematics_match_file(poet, entry):
    f = uproot.open(poet)
    event = open_events(poet)[entry]
    trk = f["mytracks/Events"].arrays(entry_start=entry, entry_stop=entry + 1, library="np")
    np.testing.assert_allclose(ak.to_numpy(event["tracks"].pt), trk["track_pt"][0])
    np.testing.assert_allclose(ak.to_numpy(event["tracks"].eta), trk["track_eta"][0])
    np.testing.assert_array_equal(ak.to_numpy(event["tracks"].charge), trk["track_charge"][0])
    mu = f["mymuons/Events"].arrays(entry_start=entry, entry_stop=entry + 1, library="np")
    np.testing.assert_allclose(ak.to_numpy(event["muons"].phi), mu["muon_phi"][0])
    pv = f["mypvertex/Events"].arrays(entry_start=entry, entry_stop=entry + 1, library="np")
    np.testing.assert_allclose(ak.to_numpy(event["vertices"].z), pv["PV_z"][0] / 100, rtol=1e-6)
    met = f["mymets/Events"].arrays(entry_start=entry, entry_stop=entry + 1, library="np")
    assert event["met"][0].pt == pytest.approx(float(met["met_pt"][0]))


def test_reads_only_requested_directories(poet):
    src = open_events(poet)
    seen: list[str] = []
    original = src.reader._tree

    def spy(directory: str):
        seen.append(directory)
        return original(directory)

    src.reader._tree = spy
    batch = src.read(0, 10, ["muons"])
    assert set(batch.collections) == {"muons"}
    assert set(seen) == {"mymuons"}
