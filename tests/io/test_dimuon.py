"""Dimuon reader on the real CMS Run2010B Z->mumu ntuple."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events

FILE = "cms_root/uproot-Zmumu.root"


@pytest.fixture
def zmumu(opendata):
    return opendata(FILE)


def test_detected_with_ids(zmumu):
    src = open_events(zmumu)
    assert src.format == "dimuon" and len(src) == 2304
    assert src.info.sqrt_s == 7000.0 and not src.info.is_simulation
    ref = uproot.open(zmumu)["events"].arrays(["Run", "Event"], library="np")
    ids = src.event_ids()
    np.testing.assert_array_equal(ids["run"], ref["Run"])
    np.testing.assert_array_equal(ids["event"], ref["Event"])
    assert (ids["run"][0], ids["event"][0]) == (148031, 10507008)
    assert (src.reader.counts()["muons"] == 2).all()


def test_muons_match_columns(zmumu):
    # Outside the TT rows the file's pt/eta/phi columns do not belong to the same muon
    # as px/py/pz/E; the reader builds muons from the four-vector columns (which give M).
    ref = uproot.open(zmumu)["events"].arrays(library="np")
    muons = open_events(zmumu).read(0, 2304).collections["muons"]
    for i in (1, 2):
        got = muons[:, i - 1]
        for comp in ("px", "py", "pz"):
            np.testing.assert_allclose(ak.to_numpy(getattr(got, comp)), ref[f"{comp}{i}"],
                                       rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(ak.to_numpy(got.E), ref[f"E{i}"], rtol=1e-6)
        np.testing.assert_array_equal(ak.to_numpy(got.charge), ref[f"Q{i}"])
        tracker_pairs = ref["Type"] == "TT"  # rows whose pt columns agree with px, py
        np.testing.assert_allclose(ak.to_numpy(got.pt)[tracker_pairs],
                                   ref[f"pt{i}"][tracker_pairs], rtol=1e-4)


def test_stored_mass_reproduced(zmumu):
    batch = open_events(zmumu).read(0, 2304)
    muons = batch.collections["muons"]
    mass = ak.to_numpy((muons[:, 0] + muons[:, 1]).mass)
    close = np.abs(mass - batch.ids["M"]) < 1e-3
    assert close.mean() > 0.99
    assert 80 < np.median(batch.ids["M"]) < 100


def test_event_extra_has_mass(zmumu):
    event = open_events(zmumu)[0]
    assert event.meta.run == 148031
    assert event.meta.extra["M"] == pytest.approx(82.4626915551)
    assert len(event["muons"]) == 2
