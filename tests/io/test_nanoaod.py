"""NanoAOD reader: real CMS open data, TTree and RNTuple storage, laziness."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz.errors import FormatError
from collider_viz.io.formats.nanoaod import NanoAODReader
from collider_viz.io.registry import open_events
from collider_viz.io.schema import NANOAOD_SCHEMA, Prefix, resolve_schema

NANO = "cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root"
PHOTON_COUNTS = np.array([2, 0, 1, 3])


def _jagged(values, counts=PHOTON_COUNTS, dtype=np.float32):
    return ak.unflatten(np.asarray(values, dtype=dtype), counts)


def nano_columns(n_events: int = 4) -> dict:
    """A tiny NanoAOD-like event content: photons, muons, tracks, MET and PV (cm)."""
    total = int(PHOTON_COUNTS.sum())
    photon = ak.zip({"pt": _jagged(np.linspace(20, 60, total)),
                     "eta": _jagged(np.linspace(-1, 1, total)),
                     "phi": _jagged(np.linspace(-3, 3, total)),
                     "mass": _jagged(np.zeros(total)), "r9": _jagged(np.full(total, 0.9))})
    mu_counts = np.array([1, 1, 0, 2])
    muon = ak.zip({"pt": _jagged([30, 40, 50, 60], mu_counts), "eta": _jagged([0, 1, 2, -1], mu_counts),
                   "phi": _jagged([0, 1, 2, 3], mu_counts), "mass": _jagged([0.106] * 4, mu_counts),
                   "charge": _jagged([1, -1, 1, -1], mu_counts, np.int32)})
    tr_counts = np.array([3, 0, 0, 1])
    track = ak.zip({"pt": _jagged([1, 2, 3, 4], tr_counts), "eta": _jagged([0, 0, 0, 0], tr_counts),
                    "phi": _jagged([0, 1, 2, 3], tr_counts),
                    "charge": _jagged([1, -1, 1, 1], tr_counts, np.int32),
                    "vx": _jagged([0.1, 0.2, 0.3, 0.4], tr_counts),
                    "vy": _jagged([0, 0, 0, 0], tr_counts), "vz": _jagged([1, 2, 3, 4], tr_counts)})
    return {"run": np.full(n_events, 7, np.int64),
            "luminosityBlock": np.arange(n_events, dtype=np.int64) + 10,
            "event": np.arange(n_events, dtype=np.int64) + 100,
            "Photon": photon, "Muon": muon, "Track": track,
            "MET_pt": np.array([5.0, 6, 7, 8]), "MET_phi": np.array([0.0, 1, 2, 3]),
            "PV_x": np.array([0.01, 0.02, 0.03, 0.04]), "PV_y": np.zeros(4),
            "PV_z": np.array([1.0, -2, 3, -4])}


def write_ttree(path, columns: dict, name: str = "Events") -> None:
    with uproot.recreate(path) as f:
        tree = f.mktree(name, {k: v.type if isinstance(v, ak.Array) else v.dtype
                               for k, v in columns.items()})
        tree.extend(columns)


def _flat(columns: dict) -> dict:
    out = {}
    for key, value in columns.items():
        if isinstance(value, ak.Array) and value.fields:
            out["n" + key] = ak.num(value).to_numpy().astype(np.int32)
            out.update({f"{key}_{f}": value[f] for f in value.fields})
        else:
            out[key] = value
    return out


@pytest.fixture
def nano_file(opendata):
    return str(opendata(NANO))


def test_real_file_counts_and_ids(nano_file):
    tree = uproot.open(nano_file)["Events"]
    raw = tree.arrays(["nPhoton", "nElectron", "nMuon", "nJet", "run", "luminosityBlock",
                       "event"], library="np")
    with open_events(nano_file) as src:
        assert src.format == "nanoaod" and len(src) == 200
        assert src.available == ("photons", "electrons", "muons", "jets", "met", "vertices")
        counts = src.reader.counts()
        for name, counter in [("photons", "nPhoton"), ("electrons", "nElectron"),
                              ("muons", "nMuon"), ("jets", "nJet")]:
            np.testing.assert_array_equal(counts[name], raw[counter])
        assert {k: int(v.sum()) for k, v in counts.items()} == {
            "photons": 79, "electrons": 69, "muons": 41, "jets": 537, "met": 200, "vertices": 200}
        ids = src.event_ids()
        np.testing.assert_array_equal(ids["event"], raw["event"].astype(np.int64))
        np.testing.assert_array_equal(ids["lumi"], raw["luminosityBlock"])
        meta = src[0].meta
        assert (meta.run, meta.lumi, meta.event) == (1, 2272915, 227291401)
        assert src.find(1, int(raw["event"][17])) == 17
        assert src.info.detector == "CMS" and src.info.is_simulation


def test_real_file_kinematics(nano_file):
    tree = uproot.open(nano_file)["Events"]
    raw = tree.arrays(["nMuon", "Muon_pt", "Muon_eta", "Muon_phi", "Muon_charge", "Jet_pt",
                       "PV_z", "MET_pt", "MET_phi", "Photon_pt"])
    with open_events(nano_file) as src:
        for i in np.flatnonzero(raw["nMuon"] > 0)[:3]:
            mu = src[int(i)]["muons"]
            np.testing.assert_allclose(mu.pt, raw["Muon_pt"][i])
            np.testing.assert_allclose(mu.eta, raw["Muon_eta"][i])
            np.testing.assert_allclose(mu.phi, raw["Muon_phi"][i])
            np.testing.assert_array_equal(mu.charge, raw["Muon_charge"][i])
            assert "pfRelIso04_all" in mu.fields  # passed through
        batch = src.read(0, 200)
        assert ak.all(batch.collections["photons"].charge == 0)
        assert ak.all(batch.collections["jets"].charge == 0)
        assert ak.all(batch.collections["jets"].radius == 0.4)
        np.testing.assert_allclose(ak.to_numpy(ak.flatten(batch.collections["vertices"].z)),
                                   ak.to_numpy(raw["PV_z"]) * 0.01, rtol=1e-6)
        met = batch.collections["met"]
        assert ak.all(ak.num(met) == 1)
        np.testing.assert_allclose(ak.to_numpy(met.pt[:, 0]), ak.to_numpy(raw["MET_pt"]), rtol=1e-6)
        np.testing.assert_allclose(ak.to_numpy(ak.flatten(batch.collections["jets"].pt)),
                                   ak.to_numpy(ak.flatten(raw["Jet_pt"])))
        assert ak.sum(ak.num(batch.collections["photons"])) == 79


def test_open_is_lazy_and_read_is_selective(nano_file, read_log):
    src = open_events(nano_file)
    assert read_log == []
    len(src), src.available, src.info  # noqa: B018
    assert read_log == []
    batch = src.read(3, 4, ["photons"])
    assert list(batch.collections) == ["photons"]
    assert read_log
    allowed = {"run", "luminosityBlock", "event", "nPhoton"}
    assert all(b.startswith("Photon_") or b in allowed for b in read_log), set(read_log)
    read_log.clear()
    src.reader.counts()
    assert not any(b.startswith(("Photon_", "Muon_", "Jet_", "Electron_")) for b in read_log)
    src.close()


@pytest.mark.parametrize("storage", ["ttree", "rntuple-flat", "rntuple-records"])
def test_storages(tmp_path, storage):
    path = tmp_path / f"{storage}.root"
    columns = nano_columns()
    if storage == "ttree":
        write_ttree(path, columns)
    else:
        with uproot.recreate(path) as f:
            if storage == "rntuple-flat":
                f.mkrntuple("Events", ak.Array(_flat(columns)))
            else:
                f["Events"] = columns  # record fields Photon.pt ...
    with open_events(path) as src:
        assert src.format == "nanoaod" and len(src) == 4
        assert src.info.extra["storage"] == ("TTree" if storage == "ttree" else "RNTuple")
        assert src.available == ("tracks", "photons", "muons", "met", "vertices")
        counts = src.reader.counts()
        np.testing.assert_array_equal(counts["photons"], PHOTON_COUNTS)
        ev = src[3]
        assert (ev.meta.run, ev.meta.lumi, ev.meta.event) == (7, 13, 103)
        np.testing.assert_allclose(ev["photons"].pt, columns["Photon"].pt[3])
        assert ev["photons"].r9[0] == pytest.approx(0.9)
        assert ev["tracks"].vx[0] == pytest.approx(0.004)  # cm -> m
        assert ev["tracks"].mass[0] == pytest.approx(0.13957)
        assert ev["vertices"].z[0] == pytest.approx(-0.04)
        assert ev["met"].pt[0] == 8.0
        assert list(ev["muons"].charge) == [1, -1]
        assert ev["muons"][1].p == pytest.approx(60 * np.cosh(-1), rel=1e-5)


def test_nan_kinematics_do_not_crash(tmp_path):
    columns = nano_columns()
    bad = np.array([np.nan, 25, np.inf, np.nan, -np.inf, 1.0], dtype=np.float32)
    columns["Photon"] = ak.with_field(columns["Photon"], _jagged(bad), "eta")
    columns["MET_pt"] = np.array([np.nan, 1, 2, 3])
    write_ttree(tmp_path / "nan.root", columns)
    with open_events(tmp_path / "nan.root") as src:
        events = list(src)
        assert np.isnan(events[0]["photons"].eta[0])
        assert np.isnan(events[0]["met"].pt[0])
        assert len(events[3]["photons"]) == 3
        _ = events[0]["photons"].pz  # vector arithmetic on NaN


def test_missing_field_skips_collection(tmp_path):
    columns = nano_columns()
    columns["Photon"] = columns["Photon"][["pt", "phi", "mass"]]  # no Photon_eta
    write_ttree(tmp_path / "noeta.root", columns)
    with open_events(tmp_path / "noeta.root") as src:
        assert "photons" not in src.available and "muons" in src.available
        assert "Photon_eta" in src.info.extra["incomplete"]["photons"]
        assert "photons" not in src[0].collections
        assert list(src.read(0, 4, ["photons", "muons"]).collections) == ["muons"]


def test_counter_only_is_a_clear_error(tmp_path):
    write_ttree(tmp_path / "counter.root", {"run": np.ones(2, np.int64),
                                            "luminosityBlock": np.ones(2, np.int64),
                                            "event": np.arange(2, dtype=np.int64),
                                            "nPhoton": np.ones(2, np.int32)})
    with pytest.raises(FormatError, match=r"counter\.root: .*Photon_pt"):
        open_events(tmp_path / "counter.root")


def test_schema_is_declarative():
    names = {"nIsoTrack": 0, "IsoTrack_pt": 0, "IsoTrack_eta": 0, "IsoTrack_phi": 0,
             "Track_pt": 0, "PV_x": 0, "PV_y": 0, "PV_z": 0}
    resolved, incomplete = resolve_schema(NANOAOD_SCHEMA, names)
    assert resolved["tracks"].counter == "nIsoTrack"
    assert "tracks" not in incomplete and set(resolved) == {"tracks", "vertices"}
    custom, _ = resolve_schema({"jets": (Prefix("FatJet", {"radius": 0.8}),)},
                               {"FatJet_pt": 0, "FatJet_eta": 0, "FatJet_phi": 0})
    assert custom["jets"].constants == {"radius": 0.8}


def test_sniff_rejects_other_trees(tmp_path):
    write_ttree(tmp_path / "other.root", {"x": np.arange(3.0)})
    handle = uproot.open(tmp_path / "other.root")
    assert not NanoAODReader.sniff(str(tmp_path / "other.root"), handle)
    assert not NanoAODReader.sniff("x.ig", None)


def test_single_event_reads_match_a_full_read(nano_file):
    with open_events(nano_file) as src:
        full = src.read(0, 200)
        for i in (0, 63, 64, 70, 199):
            ev = src[i]
            assert ev.meta.entry == i and ev.meta.event == int(full.ids["event"][i])
            for name, arr in full.collections.items():
                field = "z" if name == "vertices" else "pt"
                assert ak.to_list(ev[name][field]) == ak.to_list(arr[i][field])
        batch = src.read(62, 66, ["jets"])  # straddles a cached block
        assert batch.start == 62 and len(batch) == 4
        assert ak.to_list(batch.collections["jets"].pt) == ak.to_list(full.collections["jets"].pt[62:66])


def _tracks_file(tmp_path, name="tracks.root", counter=None, **fields):
    """Two events of tracks ``Track_<field>`` (jagged or flat), with an optional nTrack."""
    cols = {"run": np.ones(2, np.int64), "luminosityBlock": np.ones(2, np.int64),
            "event": np.arange(2, dtype=np.int64)}
    if counter is not None:
        cols["nTrack"] = np.asarray(counter, np.int32)
    base = {"pt": ak.Array([[1.0, 2.0], [3.0]]), "eta": ak.Array([[0.1, 0.2], [0.3]]),
            "phi": ak.Array([[0.5, 1.0], [1.5]])}
    cols.update({f"Track_{k}": v for k, v in {**base, **fields}.items()})
    path = tmp_path / name
    write_ttree(path, cols)
    return path


def test_counter_is_checked_on_read_and_trusted_by_counts(tmp_path):
    path = _tracks_file(tmp_path, counter=[2, 4])
    with open_events(path) as src:
        np.testing.assert_array_equal(src.reader.counts()["tracks"], [2, 4])  # trusted
        message = f"{path}: reading entries 0–1: nTrack says 4 tracks in entry 1 but " \
                  "Track_pt has 1 value"
        with pytest.raises(FormatError) as err:
            src[0]
        assert str(err.value) == message
        with pytest.raises(FormatError, match="nTrack says 4 tracks in entry 1"):
            src.read(0, 2)
    with open_events(_tracks_file(tmp_path, "ok.root", counter=[2, 1])) as src:
        assert [len(e["tracks"]) for e in src] == list(src.reader.counts()["tracks"]) == [2, 1]


def test_counter_against_every_jagged_field(tmp_path):
    path = _tracks_file(tmp_path, counter=[2, 1], charge=ak.Array([[1, -1], [1, 1]]))
    with open_events(path) as src, pytest.raises(
            FormatError, match=r"nTrack says 1 track in entry 1 but Track_charge has 2 values$"):
        src.read(0, 2)


@pytest.mark.parametrize("field", ["eta", "phi"])
@pytest.mark.parametrize("layout", ["jagged", "flat"])
def test_required_field_of_another_structure_is_a_clear_error(tmp_path, field, layout):
    value = ak.Array([[0.1], [0.2, 0.3]]) if layout == "jagged" else np.array([0.1, 0.2])
    path = _tracks_file(tmp_path, **{field: value})
    with open_events(path) as src:
        assert src.available == ("tracks",)
        with pytest.raises(FormatError) as err:
            src[0]
    text = str(err.value)
    assert text.startswith(f"{path}: reading entries 0–1: Track_{field} has a different "
                           "number of values per event than Track_pt (entry 0: 1 value, "
                           "Track_pt 2 values)")
    assert "\n" not in text and "KeyError" not in text


def test_optional_fields_of_another_structure(tmp_path):
    # a jagged pass-through field of other lengths: damaged, reported
    with open_events(_tracks_file(tmp_path, "a.root", charge=ak.Array([[1], [1]]))) as src, \
            pytest.raises(FormatError, match="Track_charge has a different number of values"):
        src.read(0, 2)
    # one value per event under the prefix: a per-event scalar, not a track field
    with open_events(_tracks_file(tmp_path, "b.root", quality=np.array([7, 8]))) as src:
        tracks = src.read(0, 2).collections["tracks"]
        assert ak.to_list(ak.num(tracks)) == [2, 1] and "quality" not in tracks.fields


def test_fields_restriction_reads_only_what_is_needed(nano_file, read_log):
    with open_events(nano_file) as src:
        full = src.read(0, 200, ["photons", "muons"])
    read_log.clear()
    with open_events(nano_file) as src:  # a fresh file: uproot caches what it read
        batch = src.read(0, 200, ["photons", "muons"], fields={"photons": ["cutBased", "nope"]})
        photon_branches = {b for b in read_log if b.startswith("Photon_")}
        assert photon_branches == {"Photon_pt", "Photon_eta", "Photon_phi", "Photon_mass",
                                   "Photon_charge", "Photon_cutBased"}
        assert "Muon_pfRelIso04_all" in read_log  # collections not named are read whole
        photons = batch.collections["photons"]
        assert set(photons.fields) == {"pt", "eta", "phi", "mass", "charge", "cutBased"}
        for f in ("pt", "eta", "cutBased"):
            assert ak.to_list(photons[f]) == ak.to_list(full.collections["photons"][f])
        assert ak.to_list(batch.collections["muons"].pfRelIso04_all) == \
            ak.to_list(full.collections["muons"].pfRelIso04_all)
    # iter_batches and single events (cached blocks) honour it too
    read_log.clear()
    with open_events(nano_file) as src:
        batches = list(src.iter_batches(100, ["photons"], fields={"photons": "cutBased"}))
        assert sum(len(b) for b in batches) == 200
        assert {b for b in read_log if b.startswith("Photon_")} == photon_branches
        one = src.read(5, 6, ["photons"], fields={"photons": ()})
        assert set(one.collections["photons"].fields) == {"pt", "eta", "phi", "mass", "charge"}
        assert "r9" in src.read(5, 6, ["photons"]).collections["photons"].fields


def test_fields_hint_is_ignored_by_readers_without_it(tmp_path):
    from collider_viz.io.base import EventSource, Reader
    from collider_viz.physics.event import EventBatch, SourceInfo

    class Plain(Reader):
        format_name = "plain"
        info = SourceInfo(path="plain", format="plain", detector="CMS", collision_system="pp",
                          sqrt_s=None, is_simulation=True, label="")

        @classmethod
        def sniff(cls, path, handle):
            return False

        def __len__(self):
            return 3

        def read(self, start, stop, collections=None):  # no fields=
            return EventBatch(start=start, collections={}, ids={})

    src = EventSource(Plain())
    assert src.read(0, 3, fields={"photons": ["r9"]}).start == 0
    assert [b.start for b in src.iter_batches(2, fields={"photons": ["r9"]})] == [0, 2]


# ---- NanoAOD variants: PFNano, v15 PFMET, AOD2NanoAOD, reduced, scouting, 2018 data ----

def _ids(n=3):
    return {"run": np.full(n, 1, np.int32), "luminosityBlock": np.ones(n, np.int32),
            "event": np.arange(n, dtype=np.int64)}


def _mu(n=3):
    counts = np.array([2, 0, 1])[:n]
    return {"nMuon": counts.astype(np.int32),
            **{f"Muon_{k}": _jagged(v, counts) for k, v in
               {"pt": [40.0, 30.0, 50.0], "eta": [0.1, -0.5, 1.5], "phi": [0.2, 2.0, -1.0],
                "mass": [0.106] * 3}.items()},
            "Muon_charge": _jagged([1, -1, 1], counts, np.int32)}


def test_pfnano_charged_pfcands_are_the_tracks(tmp_path):
    counts = np.array([4, 0, 3])
    charge = [1, 0, -1, 0, 0, 1, -1]
    cols = {**_ids(), "nPFCands": counts.astype(np.int32),
            **{f"PFCands_{k}": _jagged(np.linspace(1, 7, 7) * s, counts) for k, s in
               {"pt": 1.0, "eta": 0.1, "phi": 0.2, "mass": 0.0}.items()},
            "PFCands_charge": _jagged(charge, counts, np.int32),
            "PFCands_pdgId": _jagged([211, 22, -211, 130, 22, 211, -11], counts, np.int32),
            "nIsoTrack": np.array([1, 0, 0], np.int32), "IsoTrack_pt": _jagged([9.0], [1, 0, 0]),
            "IsoTrack_eta": _jagged([0.0], [1, 0, 0]), "IsoTrack_phi": _jagged([0.0], [1, 0, 0])}
    path = tmp_path / "pfnano.root"
    write_ttree(path, cols)
    with open_events(path) as src:
        assert src.format == "nanoaod" and "tracks" in src.available
        assert src.reader.counts()["tracks"].tolist() == [2, 0, 2]
        tr = src[0]["tracks"]
        np.testing.assert_allclose(tr.pt, [1.0, 3.0])
        np.testing.assert_array_equal(tr.charge, [1, -1])
        assert len(src[1]["tracks"]) == 0 and src[2]["tracks"].pdgId.tolist() == [211, -11]
        assert "PFCands (neutral)" in dict(src.info.not_read)
        assert "IsoTrack" in dict(src.info.not_read)


@pytest.mark.parametrize("flavours, shown", [(("PFMET", "PuppiMET"), 0), (("PuppiMET",), 0)])
def test_v15_met_flavours(tmp_path, flavours, shown):
    cols = {**_ids(), **_mu()}
    for j, name in enumerate(flavours):
        cols[f"{name}_pt"] = np.array([10.0, 20.0, 30.0]) * (j + 1)
        cols[f"{name}_phi"] = np.array([0.5, 1.0, -1.0])
    path = tmp_path / "v15.root"
    write_ttree(path, cols)
    with open_events(path) as src:
        assert "met" in src.available
        assert src[1]["met"][0].pt == pytest.approx(20.0 * (shown + 1))
        others = dict(src.info.not_read)
        for name in flavours[1:]:
            assert others[name] == f"another MET flavour (shown: {flavours[0]})"


def test_aod2nanoaod_events_in_a_subdirectory(tmp_path):
    path = tmp_path / "aod2nanoaod.root"
    cols = {**_ids(), **_mu(), "MET_pt": np.array([5.0, 6, 7]), "MET_phi": np.zeros(3)}
    write_ttree(path, cols, name="aod2nanoaod/Events")
    with open_events(path) as src:
        assert src.format == "nanoaod" and src.info.extra["tree"] == "aod2nanoaod/Events"
        np.testing.assert_allclose(src[0]["muons"].pt, [40.0, 30.0])
        assert src.reader.counts()["muons"].tolist() == [2, 0, 1]


@pytest.mark.parametrize("storage", ["ttree", "rntuple"])
def test_reduced_nanoaod_without_ids(tmp_path, storage):
    """The dimuon-spectrum tutorial's file: nMuon, Muon_pt/eta/phi/mass/charge only."""
    path = tmp_path / "Run2012BC_DoubleMuParked_Muons.root"
    cols = _mu()
    if storage == "ttree":
        write_ttree(path, cols)
    else:
        with uproot.recreate(path) as f:
            f.mkrntuple("Events", ak.Array(cols))
    with open_events(path) as src:
        assert src.format == "nanoaod" and src.available == ("muons",)
        assert src.info.sqrt_s == 8000.0 and "file name" in src.info.extra["sqrt_s_source"]
        e = src[0]
        assert e.meta.run is None and e.meta.event is None
        mu = e["muons"]
        m = np.sqrt(2 * mu.pt[0] * mu.pt[1] * (np.cosh(mu.eta[0] - mu.eta[1])
                                               - np.cos(mu.phi[0] - mu.phi[1])))
        assert (mu[0] + mu[1]).mass == pytest.approx(m, rel=1e-3)


def test_scouting_nanoaod(tmp_path):
    counts = np.array([1, 2, 0])
    cols = {**_ids(), "nScoutingMuonNoVtx": counts.astype(np.int32),
            **{f"ScoutingMuonNoVtx_{k}": _jagged(v, counts) for k, v in
               {"pt": [5.0, 6.0, 7.0], "eta": [0.0, 1.0, 2.0], "phi": [0.0, 1.0, 2.0]}.items()},
            "ScoutingMuonNoVtx_charge": _jagged([1, -1, 1], counts, np.int32),
            "nScoutingPFJet": np.array([0, 1, 0], np.int32),
            **{f"ScoutingPFJet_{k}": _jagged([v], [0, 1, 0]) for k, v in
               {"pt": 35.0, "eta": 0.3, "phi": 1.0, "m": 5.0}.items()},
            "ScoutingMET_pt": np.array([3.0, 4, 5]), "ScoutingMET_phi": np.zeros(3)}
    path = tmp_path / "scouting.root"
    write_ttree(path, cols)
    with open_events(path) as src:
        assert set(src.available) == {"muons", "jets", "met"}
        np.testing.assert_allclose(src[1]["muons"].pt, [6.0, 7.0])
        assert src[1]["jets"][0].pt == pytest.approx(35.0)


def test_2018_data_energy_from_the_run_table(opendata):
    path = opendata("cms_root/nanoAOD_2018_data_dimuon_40evts.root")
    run = int(uproot.open(path)["Events"]["run"].array(entry_stop=1, library="np")[0])
    with open_events(path) as src:
        assert run == 315267 and not src.info.is_simulation
        assert src.info.sqrt_s == 13000.0 and src.info.extra["sqrt_s_source"] == f"run number {run}"
        assert dict(src.info.not_read)["PuppiMET"] == "another MET flavour (shown: MET)"


def test_reduced_nanoaod_is_taken_by_one_reader(tmp_path):
    """Of all registered readers, the NanoAOD one is the first (by priority) to claim it."""
    from collider_viz.io.registry import readers

    path = tmp_path / "Run2012BC_DoubleMuParked_Muons.root"
    write_ttree(path, _mu())
    handle = uproot.open(path)
    claims = [r.format_name for r in readers() if r.sniff(str(path), handle)]
    assert claims and claims[0] == "nanoaod", claims
