"""ALICE VSD reader on the real masterclass Pb+Pb file (4 events)."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events

FILE = "alice/AliVSD_MasterClass_PbPb_101.root"


@pytest.fixture
def vsd(opendata):
    return opendata(FILE)


def test_detected_with_events_and_counts(vsd):
    src = open_events(vsd)
    assert src.format == "alice-vsd" and len(src) == 4
    assert src.info.detector == "ALICE" and src.info.label == "ALICE Open Data"
    assert list(src.event_ids()["event"]) == [234, 240, 246, 397]
    assert list(src.reader.counts()["tracks"]) == [4153, 2706, 4277, 4236]


@pytest.mark.parametrize("entry, directory", [(0, "Event0234"), (3, "Event0397")])
def test_tracks_match_tree(vsd, entry, directory):
    tree = uproot.open(vsd)[f"{directory}/RecTracks"]
    get = {k: tree[k].array(library="np").astype(float)
           for k in ("R/fP/fP.fX", "R/fP/fP.fY", "R/fP/fP.fZ", "R/fV/fV.fX", "R/fV/fV.fZ")}
    tracks = open_events(vsd)[entry]["tracks"]
    assert len(tracks) == tree.num_entries
    np.testing.assert_allclose(ak.to_numpy(tracks.px), get["R/fP/fP.fX"], atol=1e-6)
    np.testing.assert_allclose(ak.to_numpy(tracks.py), get["R/fP/fP.fY"], atol=1e-6)
    np.testing.assert_allclose(ak.to_numpy(tracks.pz), get["R/fP/fP.fZ"], atol=1e-5)
    np.testing.assert_allclose(ak.to_numpy(tracks.vx), get["R/fV/fV.fX"] / 100, atol=1e-9)
    np.testing.assert_allclose(ak.to_numpy(tracks.vz), get["R/fV/fV.fZ"] / 100, atol=1e-9)
    np.testing.assert_array_equal(ak.to_numpy(tracks.charge), tree["R/fSign"].array(library="np"))
    np.testing.assert_allclose(ak.to_numpy(tracks.mass), 0.13957039, rtol=1e-6)


def test_batch_is_jagged_over_events(vsd):
    batch = open_events(vsd).read(1, 3)
    assert list(ak.num(batch.collections["tracks"])) == [2706, 4277]
    assert list(batch.ids["event"]) == [240, 246]
