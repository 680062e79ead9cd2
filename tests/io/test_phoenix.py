"""Phoenix JSON reader: the real ATLAS dump, small LHCb and CMS style files, bad input."""

from __future__ import annotations

import json
import math

import awkward as ak
import numpy as np
import pytest

from collider_viz import open_events
from collider_viz.errors import FormatError
from collider_viz.io.formats import phoenix

FILE = "phoenix/atlas_eventdump.json"


@pytest.fixture
def dump(opendata):
    return opendata(FILE)


def test_real_atlas_dump(dump):
    raw = json.loads(dump.read_text())
    src = open_events(dump)
    assert src.format == "phoenix" and len(src) == 1 and src.info.detector == "ATLAS"
    e = src[0]
    assert (e.meta.run, e.meta.event) == (raw["run number"], raw["event number"])
    n_tracks = sum(len(v) for v in raw["Tracks"].values())
    assert len(e["tracks"]) == n_tracks == 151
    assert len(e["calo"]) == len(raw["CaloClusters"]["CaloCalTopoClusters"])
    t0 = raw["Tracks"]["CombinedMuonTrackParticles"][0]
    d0, z0, phi, theta, qop = t0["dparams"]
    tr = e["tracks"][0]
    assert tr.pt == pytest.approx(math.sin(theta) / abs(qop) / 1000.0)
    assert tr.charge == -1 and tr.phi == pytest.approx(phi)
    assert tr.vz == pytest.approx(z0 / 1000.0)
    np.testing.assert_allclose(tr.path_x, np.array(t0["pos"])[:, 0] / 1000.0)  # metres
    jet = raw["Jets"]["AntiKt4EMTopoJets"][0]
    assert e["jets"][0].pt == pytest.approx(jet["energy"] / 1000.0 / math.cosh(jet["eta"]))
    assert ak.max(e["tracks"].pt) < 7000.0
    assert ak.max(np.abs(e["calo"].z)) <= 3.6 + 1e-9


LHCB = {
    "Event 1": {
        "event number": 11, "run number": 254000,
        "Tracks": {"Long": [{"pos": [[0, 0, 0], [1, 2, 500], [3, 8, 1000]],
                             "dparams": [0.1, 1.0, 1.1, 0.1, -1e-4]},
                            {"pos": [[0, 0, 0], [-1, 1, 800]],
                             "dparams": [0.0, 2.0, 2.4, 0.05, 2e-5]}]},
        "Muons": {"Muons": [{"LinkedTracks": ["Long:0"]}]},
        "Vertices": {"PVs": [{"pos": [0.5, -0.5, 20.0]}]},
        "MissingEnergy": {"MET": [{"etx": 3000.0, "ety": -4000.0}]},
        "Hits": {"VeloHits": [[0, 0, 10], [1, 1, 20]]},
    },
    "Event 2": {"event number": 12, "run number": 254000, "Tracks": {"Long": []},
                "Muons": {"Muons": []}},
}


def test_lhcb_style_two_events(tmp_path):
    path = tmp_path / "LHCbEventData.json"
    path.write_text(json.dumps(LHCB))
    src = open_events(path)
    assert len(src) == 2 and src.info.detector == "LHCb"
    assert dict(src.info.not_read) == {"Hits": "hits have no common-form collection"}
    e = src[0]
    assert len(e["tracks"]) == 2 and e.meta.event == 11
    mu = e["muons"][0]
    assert mu.charge == -1 and mu.pt == pytest.approx(math.sin(0.1) / 1e-4 / 1e3)
    np.testing.assert_allclose(mu.path_z, [0.0, 0.5, 1.0])
    assert e["met"][0].pt == pytest.approx(5.0)
    np.testing.assert_allclose([e["vertices"][0].x, e["vertices"][0].z], [0.0005, 0.02])
    empty = src[1]
    assert len(empty["tracks"]) == 0 and len(empty["muons"]) == 0
    assert src.reader.counts()["tracks"].tolist() == [2, 0]


def test_cms_style_without_dparams(tmp_path):
    event = {"eventNumber": 5, "runNumber": 316000,
             "Tracks": {"generalTracks": [{"pos": [[0, 0, 0], [100, 0, 100], [200, 10, 200]],
                                           "pT": 2500.0, "charge": 1}]},
             "Electrons": {"gsf": [{"pt": 41000.0, "eta": 0.3, "phi": 1.0, "pdgId": -11}]}}
    path = tmp_path / "cms_event.json"
    path.write_text(json.dumps(event))
    src = open_events(path)
    assert src.info.detector == "CMS" and len(src) == 1
    e = src[0]
    tr = e["tracks"][0]
    assert tr.pt == pytest.approx(2.5) and tr.charge == 1
    assert tr.eta == pytest.approx(math.asinh(1.0)) and tr.phi == pytest.approx(0.0)
    assert e["electrons"][0].charge == 1 and e["electrons"][0].pt == pytest.approx(41.0)


@pytest.mark.parametrize("text, match", [
    ('{"event number": 1, "Tracks": {"A": [', "not valid JSON"),
    ('{"event number": 1, "Tracks": {"A": [{"dparams": [1, 2]}]}}', "dparams"),
    ('{"event number": 1, "Jets": {"J": [{"eta": "x", "phi": 0}]}}', "'eta' is str"),
    ('{"event number": 1, "Jets": {"J": 7}}', "not a list"),
])
def test_bad_input_is_one_clear_line(tmp_path, text, match):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(FormatError, match=match) as info:
        src = open_events(path)
        src.read(0, len(src))
    assert "\n" not in str(info.value) and "bad.json" in str(info.value)


def test_too_large_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(LHCB))
    monkeypatch.setattr(phoenix, "MAX_BYTES", 100)
    with pytest.raises(FormatError, match="too large"):
        open_events(path)


def test_too_many_objects_in_one_collection(tmp_path, monkeypatch):
    from collider_viz.limits import LimitError

    path = tmp_path / "many.json"
    path.write_text(json.dumps(LHCB))
    monkeypatch.setattr(phoenix, "MAX_OBJECTS", 1)
    src = open_events(path)
    with pytest.raises(LimitError, match="Tracks/Long: 2 objects is beyond the limit of 1"):
        src.read(0, 1)


def test_damaged_dumps_fail_in_one_line(dump, tmp_path):
    """Truncated or type-mangled copies of the real dump: they open, or fail with a
    collider_viz error, never another exception."""
    from collider_viz.errors import ColliderVizError

    text = dump.read_text()
    raw = json.loads(text)
    mangled = [text[: len(text) * k // 7] for k in range(1, 7)]
    for key, value in (("Tracks", 5), ("Jets", {"J": [[1, 2]]}), ("CaloClusters", {"C": [{}]}),
                       ("run number", "x"), ("Tracks", {"T": [{"pos": [[1, 2]]}]}),
                       ("Tracks", {"T": [{"dparams": [0, 0, 0, 0, 0]}]})):
        mangled.append(json.dumps({**raw, key: value}))
    for i, content in enumerate(mangled):
        path = tmp_path / f"atlas_{i}.json"
        path.write_text(content)
        try:
            src = open_events(path)
            for e in src:
                assert ak.all(np.isfinite(e["tracks"].vz)) if "tracks" in e else True
        except ColliderVizError as exc:
            assert "\n" not in str(exc) and path.name in str(exc)
