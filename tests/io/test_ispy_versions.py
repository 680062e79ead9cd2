"""Every published iSpy collection version, on the 2016 masterclass file and synthetic members."""

from __future__ import annotations

import json
import re
import zipfile

import awkward as ak
import numpy as np
import pytest

from collider_viz import open_events
from collider_viz.physics.scan import scan_source

MASTERCLASS = "cms_ispy/masterclass_DoubleMu2016G_5.ig"
FOUR_LEPTON = "cms_ispy/4lepton.ig"
DIPHOTON = "cms_ispy/DoublePhoton_Run2012B_0.ig"
MUON_MASS = 0.1056583755


def _reference(path, member: str) -> dict:
    """The test's own reading of one member: plain JSON after spelling nan as NaN."""
    text = zipfile.ZipFile(path).read(member).decode()
    return json.loads(re.sub(r"\bnan\b", "NaN", text))


def _members(path) -> list[str]:
    names = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("Events/")]
    return sorted(names, key=lambda n: tuple(int(x) for x in re.findall(r"\d+", n)))


def _column(event: dict, collection: str, field: str) -> list:
    names = [f[0] for f in event["Types"][collection]]
    return [row[names.index(field)] for row in event["Collections"].get(collection, [])]


def _pair_mass(a: tuple, b: tuple) -> float:
    """Invariant mass of two muons (pt, eta, phi), computed here from the formula."""
    p = [np.array([pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)]) for pt, eta, phi in (a, b)]
    e = [np.sqrt(MUON_MASS**2 + v @ v) for v in p]
    s = p[0] + p[1]
    return float(np.sqrt((e[0] + e[1]) ** 2 - s @ s))


def test_masterclass_objects_match_the_member_text(opendata):
    path = opendata(MASTERCLASS)
    src = open_events(path)
    batch = src.read(0, len(src))
    totals = {"global": 0, "electrons": 0, "jets": 0}
    for i, member in enumerate(_members(path)):
        ref = _reference(path, member)
        muons = batch.collections["muons"][i]
        glob = muons[muons.kind == "global"]
        np.testing.assert_allclose(ak.to_numpy(glob.pt), _column(ref, "PATGlobalMuons_V1", "pt"))
        electrons = batch.collections["electrons"][i]
        np.testing.assert_allclose(ak.to_numpy(electrons.pt), _column(ref, "PATElectrons_V1", "pt"))
        jets = batch.collections["jets"][i]
        np.testing.assert_allclose(ak.to_numpy(jets.pt), _column(ref, "PATJets_V1", "et"))
        assert float(batch.collections["met"][i][0].pt) == pytest.approx(
            _column(ref, "PATMETs_V1", "pt")[0])
        assert len(batch.collections["tracks"][i]) == len(ref["Collections"]["Tracks_V4"])
        totals["global"] += len(glob)
        totals["electrons"] += len(electrons)
        totals["jets"] += len(jets)
    assert totals["global"] >= 15 and totals["electrons"] > 0 and totals["jets"] > 0


def test_masterclass_z_candidates(opendata, capsys):
    path = opendata(MASTERCLASS)
    src = open_events(path)
    result = scan_source(src, "zmumu")
    assert len(result) >= 10
    members = _members(path)
    for entry, mass in zip(result.entry, result.mass, strict=True):
        ref = _reference(path, members[entry])
        rows = []
        for name in ("PATGlobalMuons_V1", "PATTrackerMuons_V2"):
            if name in ref["Types"]:
                rows += list(zip(*(_column(ref, name, f) for f in ("pt", "eta", "phi", "charge")),
                                 strict=True))
        masses = [_pair_mass(a[:3], b[:3]) for k, a in enumerate(rows) for b in rows[k + 1:]
                  if a[3] != b[3]]
        assert min(abs(m - mass) for m in masses) < 1e-3 * mass  # a real pair of the file
    with capsys.disabled():
        print(f"\nmasterclass Z->mumu: {len(result)} candidates, median "
              f"{np.median(result.mass):.1f} GeV")
    assert 85 < np.median(result.mass) < 97


def test_not_read_names_what_is_not_shown(opendata):
    info = open_events(opendata(FOUR_LEPTON)).info
    not_read = dict(info.not_read)
    assert not_read["CaloTowers_V2"].startswith("not drawn")
    assert "PFJets" in not_read["Jets_V1"] and "PFMETs" in not_read["CaloMETs_V1"]
    for shown in ("Tracks_V2", "GlobalMuons_V1", "MuonChambers_V1", "DTRecSegment4D_V1",
                  "RPCRecHits_V1", "Extras_V1", "Points_V1", "EBRecHits_V2", "Event_V2"):
        assert shown not in not_read
    masterclass = dict(open_events(opendata(MASTERCLASS)).info.not_read)
    assert set(masterclass) == {"EcalTowers_V1", "HcalTowers_V1", "ESRecHits_V2", "Products_V1",
                                "Errors_V1"}


def test_lumi_and_sqrt_s_per_event(opendata):
    src = open_events(opendata(FOUR_LEPTON))
    ids = src.event_ids()                      # no member parsed for these
    assert list(ids["lumi"]) == [585, 523, 115]
    assert src.info.sqrt_s is None             # the file mixes 2011 and 2012 runs
    assert [src[i].meta.extra["sqrt_s"] for i in range(3)] == [7000.0, 8000.0, 8000.0]
    diphoton = open_events(opendata(DIPHOTON)).event_ids()
    assert (diphoton["lumi"] == 702).all()


# ---- synthetic members of the versions the shared files do not have -----------------------

def _types(**collections: list[tuple[str, str]]) -> dict:
    return {name: [list(f) for f in fields] for name, fields in collections.items()}


KIN = [("pt", "double"), ("eta", "double"), ("phi", "double"), ("charge", "int")]
V3 = [("pos", "v3d")]


def _member(types: dict, rows: dict) -> str:
    return json.dumps({"Types": types, "Collections": rows, "Associations": {}})


def _open(tmp_path, text: str):
    path = tmp_path / "versions.ig"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Events/Run_1/Event_7", text)
    return open_events(path)


def test_older_and_newer_versions_are_read(tmp_path):
    types = _types(
        Event_V1=[("run", "int"), ("event", "int"), ("ls", "int")],
        Tracks_V1=[*V3, ("dir", "v3d"), ("pt", "double"), ("phi", "double"), ("eta", "double"),
                   ("charge", "int")],
        GsfElectrons_V3=[*KIN, *V3, ("dir", "v3d")],
        PATPhotons_V1=[("energy", "double"), ("eta", "double"), ("phi", "double"), *V3],
        PFJets_V2=[("et", "double"), ("eta", "double"), ("theta", "double"), ("phi", "double")],
        CaloMETs_V1=[("phi", "double"), ("pt", "double")],
        GlobalMuons_V2=[("pt", "double"), ("charge", "int"), ("rp", "v3d"), ("phi", "double"),
                        ("eta", "double")],
        PATStandaloneMuons_V1=[("pt", "double"), ("charge", "int"), ("pos", "v3d"),
                               ("phi", "double"), ("eta", "double")],
        CSCSegments_V2=[("detid", "int"), ("pos_1", "v3d"), ("pos_2", "v3d")],
        GEMSegments_V2=[("detid", "int"), ("pos_1", "v3d"), ("pos_2", "v3d")],
        SimVertices_V1=[("pos", "v3d")],
    )
    rows = {
        "Event_V1": [[1, 7, 42]],
        "Tracks_V1": [[[0, 0, 0.01], [1, 0, 0], 3.0, 0.0, 0.5, 1]],
        "GsfElectrons_V3": [[25.0, 0.3, 1.0, -1, [0, 0, 0], [1, 0, 0]]],
        "PATPhotons_V1": [[60.0, 1.0, 2.0, [0, 0, 0]]],
        "PFJets_V2": [[40.0, -1.0, 2.4, 0.5]],
        "CaloMETs_V1": [[1.5, 33.0]],
        "GlobalMuons_V2": [[20.0, 1, [0, 0, 0], 0.1, 0.2]],
        "PATStandaloneMuons_V1": [[15.0, -1, [0, 0, 0], -2.0, 1.1], [19.0, 1, [0, 0, 0], 0.1, 0.2]],
        "CSCSegments_V2": [[0, [1, 2, 7.0], [1.1, 2.1, 7.2]]],
        "GEMSegments_V2": [[0, [1, 2, 5.7], [1.1, 2.1, 5.8]]],
        "SimVertices_V1": [[[0, 0, 0]]],
    }
    src = _open(tmp_path, _member(types, rows))
    event = src[0]
    assert (event.meta.run, event.meta.lumi, event.meta.event) == (1, 42, 7)
    assert float(event["tracks"][0].pt) == 3.0
    assert float(event["electrons"][0].pt) == 25.0
    assert float(event["photons"][0].pt) == pytest.approx(60.0 / np.cosh(1.0))
    assert float(event["jets"][0].pt) == 40.0
    assert float(event["met"][0].pt) == 33.0
    assert list(event["muons"].kind) == ["global", "standalone"]   # the dR-matched one dropped
    assert list(event["muon_segments"].subdet) == ["CSC", "GEM"]
    assert dict(src.info.not_read) == {"SimVertices_V1": "not drawn: no builder"}


def test_every_version_of_a_muon_kind_is_kept_once(opendata):
    """DoublePhoton has TrackerMuons_V1 and _V2 side by side; neither holds all muons."""
    path = opendata(DIPHOTON)
    src = open_events(path)
    only_v1 = 0
    for i, member in enumerate(_members(path)):
        ref = _reference(path, member)
        muons = src[i]["muons"]
        eta, phi = ak.to_numpy(muons.eta), ak.to_numpy(muons.phi)
        rows = {name: list(zip(_column(ref, name, "eta"), _column(ref, name, "phi"), strict=True))
                for name in ("TrackerMuons_V1", "TrackerMuons_V2")}
        for e, p in rows["TrackerMuons_V1"] + rows["TrackerMuons_V2"]:
            d_r = np.hypot(eta - e, (phi - p + np.pi) % (2 * np.pi) - np.pi)
            assert (d_r < 0.02).sum() == 1          # found, and only once
        only_v1 += len(rows["TrackerMuons_V1"]) - len(rows["TrackerMuons_V2"])
    assert only_v1 >= 2
