"""ATLAS PHYSLITE reader: the real 100-event file, and a synthetic RNTuple."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz import open_events
from collider_viz.errors import FormatError
from collider_viz.io.formats.physlite import atlas_sqrt_s

FILE = "atlas/PHYSLITE_example_100evts.root"


@pytest.fixture
def physlite(opendata):
    return opendata(FILE)


def _ref(path, *names):
    return uproot.open(path)["CollectionTree"].arrays(list(names), how=dict)


def test_real_file_info_and_counts(physlite):
    src = open_events(physlite)
    assert src.format == "physlite" and len(src) == 100
    assert src.info.detector == "ATLAS" and src.info.is_simulation
    assert src.info.sqrt_s == 13000.0  # mc20 run number 300000
    assert set(src.available) == {"tracks", "photons", "electrons", "muons", "jets", "met",
                                  "vertices", "calo"}
    names = dict(src.info.not_read)
    assert "AnalysisTauJets" in names and "AnalysisLargeRJets" in names
    ref = _ref(physlite, "AnalysisElectronsAuxDyn.pt", "AnalysisJetsAuxDyn.pt",
               "InDetTrackParticlesAuxDyn.qOverP", "PrimaryVerticesAuxDyn.x",
               "EventInfoAuxDyn.eventNumber", "EventInfoAuxDyn.runNumber")
    counts = src.reader.counts()
    np.testing.assert_array_equal(counts["electrons"], ak.num(ref["AnalysisElectronsAuxDyn.pt"]))
    np.testing.assert_array_equal(counts["jets"], ak.num(ref["AnalysisJetsAuxDyn.pt"]))
    np.testing.assert_array_equal(counts["tracks"],
                                  ak.num(ref["InDetTrackParticlesAuxDyn.qOverP"]))
    ids = src.event_ids()
    np.testing.assert_array_equal(ids["event"], ref["EventInfoAuxDyn.eventNumber"])
    np.testing.assert_array_equal(ids["run"], ref["EventInfoAuxDyn.runNumber"])


def test_real_file_units_and_kinematics(physlite):
    src = open_events(physlite)
    batch = src.read(0, len(src))
    ref = _ref(physlite, "AnalysisElectronsAuxDyn.pt", "InDetTrackParticlesAuxDyn.qOverP",
               "InDetTrackParticlesAuxDyn.theta", "InDetTrackParticlesAuxDyn.z0",
               "InDetTrackParticlesAuxDyn.vz", "PrimaryVerticesAuxDyn.z")
    el = batch.collections["electrons"]
    np.testing.assert_allclose(ak.flatten(el.pt), ak.flatten(ref["AnalysisElectronsAuxDyn.pt"])
                               / 1000.0, rtol=1e-6)
    tr = batch.collections["tracks"]
    qop, theta = (ak.flatten(ref[f"InDetTrackParticlesAuxDyn.{v}"]) for v in ("qOverP", "theta"))
    np.testing.assert_allclose(ak.flatten(tr.pt), np.sin(theta) / np.abs(qop) / 1000.0,
                               rtol=1e-5)
    np.testing.assert_array_equal(ak.flatten(tr.charge), np.sign(qop))
    z = ak.flatten(ref["InDetTrackParticlesAuxDyn.z0"] + ref["InDetTrackParticlesAuxDyn.vz"])
    np.testing.assert_allclose(ak.flatten(tr.vz), z / 1000.0, rtol=1e-5)
    vz = ak.flatten(batch.collections["vertices"].z)
    np.testing.assert_allclose(vz, ak.flatten(ref["PrimaryVerticesAuxDyn.z"]) / 1000.0,
                               rtol=1e-6)
    assert ak.max(np.abs(vz)) < 0.5  # metres: the luminous region, not millimetres
    for name in ("electrons", "muons", "photons", "jets"):
        assert ak.max(batch.collections[name].mass) < 14000.0
        assert ak.max(batch.collections[name].pt) < 7000.0


def test_met_is_minus_the_vector_sum(physlite):
    src = open_events(physlite)
    batch = src.read(0, len(src))
    met = batch.collections["met"]
    assert ak.all(ak.num(met) == 1)
    ref = _ref(physlite, "MET_Core_AnalysisMETAuxDyn.name", "MET_Core_AnalysisMETAuxDyn.mpx",
               "MET_Core_AnalysisMETAuxDyn.mpy")
    i = int(np.argmax(ak.to_numpy(ak.num(batch.collections["muons"]))))  # an event with a muon
    names = ref["MET_Core_AnalysisMETAuxDyn.name"][i].tolist()
    k = names.index("PVSoftTrkCore")
    px = -ref["MET_Core_AnalysisMETAuxDyn.mpx"][i][k] / 1000.0
    py = -ref["MET_Core_AnalysisMETAuxDyn.mpy"][i][k] / 1000.0
    for name in ("electrons", "muons", "photons", "jets"):
        obj = batch.collections[name][i]
        if name == "jets":
            obj = obj[obj.pt > 20.0]
            eg = [batch.collections[n][i] for n in ("electrons", "photons")]
            keep = [all(o.deltaR(j) >= 0.2 for e in eg for o in e) for j in obj]
            obj = obj[np.asarray(keep, dtype=bool)] if len(obj) else obj
        px -= float(np.sum(obj.pt * np.cos(obj.phi)))
        py -= float(np.sum(obj.pt * np.sin(obj.phi)))
    assert met[i][0].pt == pytest.approx(np.hypot(px, py), rel=1e-4)
    assert "PVSoftTrkCore" in src.info.extra["met"]


def _synthetic(path, storage):
    counts = np.array([2, 0, 1])
    el = {"pt": [45000.0, 30000.0, 20000.0], "eta": [0.1, -1.2, 2.0], "phi": [0.5, -2.0, 3.0],
          "m": [0.511, 0.511, 0.511], "charge": [-1.0, 1.0, -1.0]}
    sep = "." if storage == "ttree" else ":"
    cols = {f"AnalysisElectronsAuxDyn{sep}{k}": ak.unflatten(np.asarray(v), counts)
            for k, v in el.items()}
    cols[f"EventInfoAuxDyn{sep}runNumber"] = np.array([430000, 430000, 430000], np.uint32)
    cols[f"EventInfoAuxDyn{sep}eventNumber"] = np.array([7, 8, 9], np.uint64)
    cols[f"EventInfoAuxDyn{sep}eventTypeBitmask"] = np.zeros(3, np.uint32)
    with uproot.recreate(path) as f:
        if storage == "ttree":
            tree = f.mktree("CollectionTree", {k: v.type if isinstance(v, ak.Array) else v.dtype
                                               for k, v in cols.items()})
            tree.extend(cols)
        else:
            f.mkrntuple("EventData", ak.Array(cols))


@pytest.mark.parametrize("storage", ["ttree", "rntuple"])
def test_synthetic_storages(tmp_path, storage):
    path = tmp_path / "physlite.root"
    _synthetic(path, storage)
    src = open_events(path)
    assert src.format == "physlite" and src.available == ("electrons",)
    assert src.info.extra["storage"] == ("TTree" if storage == "ttree" else "RNTuple")
    assert not src.info.is_simulation and src.info.sqrt_s == 13600.0  # a 2023 data run
    e = src[0]
    assert e.meta.event == 7 and e.meta.run == 430000
    np.testing.assert_allclose(e["electrons"].pt, [45.0, 30.0])
    np.testing.assert_array_equal(e["electrons"].charge, [-1, 1])
    assert len(src[1]["electrons"]) == 0


def test_run_table():
    assert atlas_sqrt_s(300000, True) == 13000.0 and atlas_sqrt_s(410000, True) == 13600.0
    assert atlas_sqrt_s(358031, False) == 13000.0 and atlas_sqrt_s(436496, False) == 13600.0
    assert atlas_sqrt_s(200000, False) is None
    # heavy-ion and reference runs inside the Run-2/3 years are not pp 13 / 13.6 TeV
    for run in (286711, 313100, 338037, 340700, 367384, 440101, 462000, 500000):
        assert atlas_sqrt_s(run, False) is None, run


def test_empty_tree_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.root"
    with uproot.recreate(path) as f:
        f.mktree("CollectionTree", {f"AnalysisMuonsAuxDyn.{v}": "var * float64"
                                    for v in ("pt", "eta", "phi")})
    with pytest.raises(FormatError, match="no entries"):
        open_events(path)


@pytest.mark.parametrize("bad, match", [
    ("scalar", "AnalysisMuonsAuxDyn.eta is .* expected one list of numbers per event"),
    ("lengths", "AnalysisMuonsAuxDyn.phi has other lengths than AnalysisMuonsAuxDyn.pt"),
])
def test_wrong_structure_is_one_clear_line(tmp_path, bad, match):
    path = tmp_path / "bad.root"
    cols = {"AnalysisMuonsAuxDyn.pt": ak.Array([[10000.0, 2000.0], []]),
            "AnalysisMuonsAuxDyn.eta": np.array([0.1, 0.2]) if bad == "scalar" else
            ak.Array([[0.1, 0.2], []]),
            "AnalysisMuonsAuxDyn.phi": ak.Array([[0.0], [1.0]]) if bad == "lengths" else
            ak.Array([[0.0, 1.0], []])}
    with uproot.recreate(path) as f:
        f.mktree("CollectionTree", {k: v.type if isinstance(v, ak.Array) else v.dtype
                                    for k, v in cols.items()})
        f["CollectionTree"].extend(cols)
    src = open_events(path)
    with pytest.raises(FormatError, match=match) as info:
        src.read(0, 2)
    assert "bad.root" in str(info.value) and "\n" not in str(info.value)


def test_egamma_clusters_are_calo_deposits(physlite):
    ref = _ref(physlite, "egammaClustersAuxDyn.calE", "egammaClustersAuxDyn.calEta")
    src = open_events(physlite)
    calo = src.read(0, len(src), ["calo"]).collections["calo"]
    np.testing.assert_allclose(ak.flatten(calo.energy),
                               ak.flatten(ref["egammaClustersAuxDyn.calE"]) / 1000.0, rtol=1e-6)
    barrel = np.abs(ak.flatten(calo.eta)) < 1.475
    r = np.hypot(ak.flatten(calo.x), ak.flatten(calo.y))
    np.testing.assert_allclose(r[barrel], 1.40, rtol=1e-6)  # front of the EM barrel
    np.testing.assert_allclose(np.abs(ak.flatten(calo.z)[~barrel]), 3.68, rtol=1e-6)
    assert "egammaClusters" not in dict(src.info.not_read)


def test_truncated_file_fails_in_one_line(physlite, tmp_path):
    from collider_viz.errors import ColliderVizError

    data = physlite.read_bytes()
    for fraction in (0.3, 0.7, 0.95):
        path = tmp_path / f"cut_{fraction}.root"
        path.write_bytes(data[: int(len(data) * fraction)])
        with pytest.raises(ColliderVizError) as info:
            src = open_events(path)
            src.read(0, len(src))
        assert "\n" not in str(info.value) and path.name in str(info.value)
