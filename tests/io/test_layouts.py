"""Shipped layouts on real files (ATLAS 2020 mini, LHCb B2HHH) and on small written files
(ATLAS 2025 analysis); bad input gets one line naming the file, the family and what is wrong."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events
from collider_viz.errors import FormatError
from collider_viz.io.formats.layout import shipped_layouts

ATLAS = "atlas/atlas13_2020_data_A.4lep.root"
LHCB = "lhcb/B2HHH_PhaseSpaceSimulation.root"
K_MASS = 0.493677
B_MASS = 5.27934


def test_every_shipped_layout_parses_and_states_units():
    specs = {s.path.split("/")[-1]: s for s in shipped_layouts()}
    assert {"atlas_2020_mini.toml", "atlas_2025_analysis.toml", "lhcb_b2hhh.toml",
            "cms_dimuon_2010.toml", "cms_csv_4lepton.toml"} <= set(specs)
    assert specs["atlas_2020_mini.toml"].energy_scale == 1e-3
    assert specs["atlas_2025_analysis.toml"].energy_scale == 1.0
    assert specs["lhcb_b2hhh.toml"].source["detector"] == "LHCb"
    for spec in specs.values():
        assert spec.source.get("detector") and spec.family


def test_atlas_mini_leptons_split_by_type(opendata):
    path = opendata(ATLAS)
    raw = uproot.open(path)["mini"].arrays(["lep_pt", "lep_type", "lep_charge", "lep_E",
                                            "met_et", "photon_n", "jet_n"])
    with open_events(path) as src:
        assert src.format == "atlas-mini" and len(src) == 39
        info = src.info
        assert (info.detector, info.sqrt_s, info.is_simulation) == ("ATLAS", 13000.0, False)
        assert ("tau_*", "hadronic taus: collider_viz has no tau collection") in info.not_read
        batch = src.read(0, 39)
    for name, kind in (("electrons", 11), ("muons", 13)):
        got = batch.collections[name]
        want = raw["lep_pt"][raw["lep_type"] == kind] / 1000.0  # MeV -> GeV
        assert ak.num(got).tolist() == ak.num(want).tolist()
        np.testing.assert_allclose(ak.to_numpy(ak.flatten(got.pt)),
                                   ak.to_numpy(ak.flatten(want)), rtol=1e-6)
        assert ak.all(got.charge == raw["lep_charge"][raw["lep_type"] == kind])
    assert int(ak.sum(ak.num(batch.collections["electrons"]))) == 88
    assert int(ak.sum(ak.num(batch.collections["muons"]))) == 68
    np.testing.assert_allclose(ak.to_numpy(batch.collections["met"].pt[:, 0]),
                               ak.to_numpy(raw["met_et"]) / 1000.0, rtol=1e-6)
    assert ak.num(batch.collections["jets"]).tolist() == raw["jet_n"].tolist()


def test_atlas_four_lepton_masses(opendata):
    path = opendata(ATLAS)
    raw = uproot.open(path)["mini"].arrays(["lep_pt", "lep_eta", "lep_phi", "lep_E"])
    # independent: the four leptons' E and p summed by hand, in GeV
    px = raw["lep_pt"] * np.cos(raw["lep_phi"])
    py = raw["lep_pt"] * np.sin(raw["lep_phi"])
    pz = raw["lep_pt"] * np.sinh(raw["lep_eta"])
    want = np.sqrt(ak.sum(raw["lep_E"], axis=1) ** 2 - ak.sum(px, axis=1) ** 2
                   - ak.sum(py, axis=1) ** 2 - ak.sum(pz, axis=1) ** 2) / 1000.0
    batch = open_events(path).read(0, 39)
    leptons = ak.concatenate([batch.collections["electrons"], batch.collections["muons"]], axis=1)
    assert ak.all(ak.num(leptons) == 4)
    got = ak.to_numpy(ak.sum(leptons, axis=1).mass)
    np.testing.assert_allclose(got, ak.to_numpy(want), rtol=1e-4)
    assert 40 < got.min() and got.max() < 14000  # GeV, never MeV read as GeV
    assert np.sum(np.abs(got - 91.19) < 5) >= 5  # on-shell ZZ* -> 4l near the Z mass


def test_lhcb_b2hhh_three_tracks_make_a_b(opendata):
    path = opendata(LHCB)
    raw = uproot.open(path)["PhaseSpaceTree"].arrays(
        ["H1_PX", "H2_PY", "H3_PZ", "H1_Charge"], entry_stop=2000, library="np")
    with open_events(path) as src:
        assert src.format == "lhcb-b2hhh" and len(src) == 50000
        assert src.info.detector == "LHCb" and src.info.is_simulation
        tracks = src.read(0, 2000).collections["tracks"]
    assert ak.all(ak.num(tracks) == 3)
    np.testing.assert_allclose(ak.to_numpy(tracks.px[:, 0]), raw["H1_PX"] / 1000.0, rtol=1e-9)
    np.testing.assert_allclose(ak.to_numpy(tracks.py[:, 1]), raw["H2_PY"] / 1000.0, rtol=1e-9)
    np.testing.assert_allclose(ak.to_numpy(tracks.pz[:, 2]), raw["H3_PZ"] / 1000.0, rtol=1e-9)
    np.testing.assert_array_equal(ak.to_numpy(tracks.charge[:, 0]), raw["H1_Charge"])
    p2 = tracks.px ** 2 + tracks.py ** 2 + tracks.pz ** 2
    energy = ak.sum(np.sqrt(p2 + K_MASS ** 2), axis=1)
    mass = np.sqrt(energy ** 2 - ak.sum(tracks.px, axis=1) ** 2 - ak.sum(tracks.py, axis=1) ** 2
                   - ak.sum(tracks.pz, axis=1) ** 2)
    assert abs(np.median(ak.to_numpy(mass)) - B_MASS) < 0.01  # B+ -> K+ K+ K- phase space


def _analysis_file(path, lep_type=(11, 13, 13), drop=()):
    counts = np.array([3, 0])
    jag = lambda v, t=np.float32: ak.unflatten(np.asarray(v, dtype=t), counts)  # noqa: E731
    cols = {"runNumber": np.array([284500, 284500], np.int32),
            "eventNumber": np.array([7, 8], np.int64),
            "lep_n": counts.astype(np.int32), "lep_type": jag(lep_type, np.int32),
            "lep_pt": jag([40.0, 30.0, 20.0]), "lep_eta": jag([0.1, -0.2, 1.0]),
            "lep_phi": jag([0.0, 1.0, -1.0]), "lep_e": jag([45.0, 35.0, 40.0]),
            "lep_charge": jag([-1, 1, -1], np.int32),
            "met": np.array([55.0, 12.0], np.float32), "met_phi": np.array([0.5, -2.0], np.float32)}
    cols = {k: v for k, v in cols.items() if k not in drop}
    with uproot.recreate(path) as f:
        f.mktree("analysis", {k: v.type if isinstance(v, ak.Array) else v.dtype
                              for k, v in cols.items()},
                 counter_name=lambda counted: "lep_n").extend(cols)
    return path


def test_atlas_2025_analysis_in_gev(tmp_path):
    path = _analysis_file(tmp_path / "ODEO_data16_periodA.exactly4lep.root")
    with open_events(path) as src:
        assert src.format == "atlas-analysis" and src.info.detector == "ATLAS"
        assert not src.info.is_simulation and src.available == ("electrons", "muons", "met")
        ev = src[0]
        assert (ev.meta.run, ev.meta.event) == (284500, 7)
        np.testing.assert_allclose(ev["electrons"].pt, [40.0])  # GeV as stored
        np.testing.assert_allclose(ev["muons"].pt, [30.0, 20.0])
        assert list(ev["muons"].charge) == [1, -1]
        assert ev["met"].pt[0] == pytest.approx(55.0)
        assert src.reader.counts()["muons"].tolist() == [2, 0]
    mc = _analysis_file(tmp_path / "mc_345060.ggH125_ZZ4lep.root")
    assert open_events(mc).info.is_simulation


def test_unknown_type_value_is_one_line(tmp_path):
    path = _analysis_file(tmp_path / "data_taus.root", lep_type=(11, 15, 13))
    src = open_events(path)
    with pytest.raises(FormatError) as err:
        src.read(0, 2)
    msg = str(err.value)
    assert "\n" not in msg and str(path) in msg and "ATLAS Open Data 13 TeV 2025" in msg
    assert "lep_type has the value 15" in msg and "11 or 13" in msg


def test_missing_required_branch_names_family(tmp_path):
    path = _analysis_file(tmp_path / "data_no_type.root", drop=("lep_type",))
    with pytest.raises(FormatError) as err:
        open_events(path)
    msg = str(err.value)
    assert "\n" not in msg and str(path) in msg
    assert "ATLAS Open Data 13 TeV 2025 education analysis ntuple: missing lep_type" in msg


def test_tlorentzvector_branches_as_uproot_reads_them():
    """uproot reads TLorentzVector/TVector2 branches as records {fP: {fX, fY, fZ}, fE} / {fX, fY}."""
    from collider_viz.io.layout_columns import build

    spec = next(s for s in shipped_layouts() if s.format == "hep-tutorial-objects")
    p4 = ak.Array([[{"fP": {"fX": 30.0, "fY": 40.0, "fZ": 0.0}, "fE": 60.0}], []])
    data = {"muonp4": p4, "muonq": ak.Array([[-1], []]), "MET": ak.Array([{"fX": 3.0, "fY": 4.0}] * 2)}
    branches = {k: k for k in data}
    muons = build(spec, spec.collections["muons"], data, branches, "objects.root", 0)
    assert ak.num(muons).tolist() == [1, 0]
    assert muons.pt[0, 0] == pytest.approx(50.0) and muons.charge[0, 0] == -1
    assert muons.mass[0, 0] == pytest.approx(np.sqrt(60.0 ** 2 - 50.0 ** 2))
    met = build(spec, spec.collections["met"], data, branches, "objects.root", 0)
    assert met.pt[1, 0] == pytest.approx(5.0)


def test_atlas_8tev_mini_told_from_13tev(tmp_path):
    counts = np.array([2])
    jag = lambda v, t=np.float32: ak.unflatten(np.asarray(v, dtype=t), counts)  # noqa: E731
    cols = {"runNumber": np.array([207490], np.int32), "eventNumber": np.array([5], np.int32),
            "lbNumber": np.array([12], np.int32), "pvxp_n": np.array([9], np.int32),
            "lep_n": counts.astype(np.int32), "lep_type": jag([13, 13], np.uint32),
            "lep_pt": jag([45000.0, 40000.0]), "lep_eta": jag([0.1, -0.2]),
            "lep_phi": jag([0.0, 3.0]), "lep_E": jag([46000.0, 41000.0]),
            "lep_charge": jag([-1, 1], np.int32),
            "met_et": np.array([5000.0], np.float32), "met_phi": np.array([1.0], np.float32)}
    path = tmp_path / "data_Muons.root"
    with uproot.recreate(path) as f:
        f.mktree("mini", {k: v.type if isinstance(v, ak.Array) else v.dtype
                          for k, v in cols.items()},
                 counter_name=lambda counted: "lep_n").extend(cols)
    with open_events(path) as src:
        assert src.format == "atlas-mini-8tev" and src.info.sqrt_s == 8000.0
        ev = src[0]
    assert (ev.meta.run, ev.meta.lumi, ev.meta.event) == (207490, 12, 5)
    np.testing.assert_allclose(ev["muons"].pt, [45.0, 40.0])
    assert ev["met"].pt[0] == pytest.approx(5.0)


def test_wrong_branch_type_names_family(tmp_path):
    path = tmp_path / "data_text.root"
    jag = {f"lep_{v}": ak.Array([[1.0, 2.0]]) for v in ("eta", "phi", "e", "charge", "type")}
    with uproot.recreate(path) as f:
        f["analysis"] = {"lep_n": np.array([2], np.uint32), "lep_pt": ak.Array([["40", "30"]]),
                         **jag}
    with pytest.raises(FormatError) as err:
        open_events(path)
    msg = str(err.value)
    assert "\n" not in msg and str(path) in msg and "2025 education analysis ntuple" in msg
    assert "lep_pt is std::vector<std::string>" in msg and "expected numbers" in msg


def test_layout_reads_rntuple(tmp_path):
    path = tmp_path / "data_rntuple.root"
    cols = {"lep_pt": [[40.0, 30.0]], "lep_eta": [[0.1, -0.2]], "lep_phi": [[0.0, 1.0]],
            "lep_e": [[45.0, 35.0]], "lep_charge": [[1, -1]], "lep_type": [[11, 13]]}
    with uproot.recreate(path) as f:
        f["analysis"] = {"lep_n": np.array([2], np.uint32),
                         **{k: ak.Array(v) for k, v in cols.items()}}
    with open_events(path) as src:
        assert src.reader.access.storage == "RNTuple" and src.format == "atlas-analysis"
        ev = src[0]
    np.testing.assert_allclose(ev["electrons"].pt, [40.0])
    np.testing.assert_allclose(ev["muons"].pt, [30.0])


def test_counts_read_only_counters_and_type_branch(opendata):
    with open_events(opendata(ATLAS)) as src:
        reader = src.reader
        asked: list[str] = []
        real = reader.access.read
        reader.access.read = lambda names, a, b: asked.extend(names) or real(names, a, b)
        counts = reader.counts()
    assert set(asked) == {"lep_type", "photon_n", "jet_n"}
    assert int(counts["electrons"].sum()) == 88 and int(counts["muons"].sum()) == 68
    assert counts["met"].tolist() == [1] * 39
