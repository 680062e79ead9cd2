"""User TOML mappings: reading unknown layouts and validating the mapping."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz.errors import FormatError, MappingError
from collider_viz.io.formats.mapping import MappedReader, parse_mapping
from collider_viz.io.registry import open_events

COUNTS = np.array([2, 0, 1])

MAPPING = """
[tree]
name = "ntuple/T"
run = "RunNo"
event = "EvtNo"

[source]
detector = "STAR"
collision_system = "Au+Au"
sqrt_s = 200
label = "my ntuple"

[units]
length = "mm"
energy = "MeV"

[collections.muons]
counter = "nMu"
fields = { pt = "Mu_pt", eta = "Mu_eta", phi = "Mu_phi", charge = "Mu_q", mass = 105.66, iso = "Mu_iso" }

[collections.vertices]
fields = { x = "Vtx_x", y = "Vtx_y", z = "Vtx_z" }

[collections.met]
fields = { px = "Met_x", py = "Met_y" }
"""


def _jag(values, dtype=np.float32):
    return ak.unflatten(np.asarray(values, dtype=dtype), COUNTS)


@pytest.fixture
def ntuple(tmp_path):
    path = tmp_path / "custom.root"
    cols = {"RunNo": np.full(3, 5, np.int32), "EvtNo": np.array([11, 12, 13], np.int64),
            "nMu": COUNTS.astype(np.int32), "Mu_pt": _jag([10000, 20000, 30000]),
            "Mu_eta": _jag([0.5, -0.5, 1.0]), "Mu_phi": _jag([0, 1, 2]),
            "Mu_q": _jag([1, -1, -1], np.int32), "Mu_iso": _jag([0.1, 0.2, 0.3]),
            "Vtx_x": np.array([1.0, 2, 3]), "Vtx_y": np.zeros(3), "Vtx_z": np.array([10.0, 20, 30]),
            "Met_x": np.array([3000.0, 0, 0]), "Met_y": np.array([4000.0, 0, 1000])}
    with uproot.recreate(path) as f:
        tree = f.mkdir("ntuple").mktree(
            "T", {k: v.type if isinstance(v, ak.Array) else v.dtype for k, v in cols.items()},
            counter_name=lambda counted: "nMu")
        tree.extend(cols)
    return path


def _write(tmp_path, text: str, name: str = "map.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_mapped_reader(tmp_path, ntuple):
    with open_events(ntuple, mapping=_write(tmp_path, MAPPING)) as src:
        assert src.format == "mapping" and len(src) == 3
        assert src.available == ("muons", "met", "vertices")
        info = src.info
        assert (info.detector, info.collision_system, info.sqrt_s) == ("STAR", "Au+Au", 200.0)
        ev = src[0]
        assert (ev.meta.run, ev.meta.event, ev.meta.lumi) == (5, 11, None)
        np.testing.assert_allclose(ev["muons"].pt, [10.0, 20.0])  # MeV -> GeV
        np.testing.assert_allclose(ev["muons"].mass, [0.10566, 0.10566])
        np.testing.assert_allclose(ev["muons"].iso, [0.1, 0.2], rtol=1e-6)
        assert list(ev["muons"].charge) == [1, -1]
        assert ev["vertices"].z[0] == pytest.approx(0.01)  # mm -> m
        assert ev["met"].pt[0] == pytest.approx(5.0)
        np.testing.assert_array_equal(src.reader.counts()["muons"], COUNTS)


def test_cartesian_mapping_on_real_data(tmp_path, opendata):
    path = opendata("cms_root/uproot-HZZ.root")
    text = """[tree]\nname = "events"\n[collections.muons]\ncounter = "NMuon"
fields = { px = "Muon_Px", py = "Muon_Py", pz = "Muon_Pz", E = "Muon_E", charge = "Muon_Charge" }
"""
    raw = uproot.open(path)["events"].arrays(["NMuon", "Muon_Px", "Muon_Py", "Muon_Charge"],
                                             entry_stop=50)
    reader = MappedReader.from_file(path, _write(tmp_path, text))
    batch = reader.read(0, 50)
    muons = batch.collections["muons"]
    np.testing.assert_allclose(ak.to_numpy(ak.flatten(muons.pt)),
                               ak.to_numpy(ak.flatten(np.hypot(raw["Muon_Px"], raw["Muon_Py"]))),
                               rtol=1e-5)
    assert ak.all(muons.charge == raw["Muon_Charge"])
    assert int(reader.counts()["muons"].sum()) == 3825
    reader.close()


BAD = [
    ("[tree]\nname = 'T'\n[collection.muons]\nfields = {pt='a'}", "collection"),
    ("[tree]\nname = 'T'\n[collections.muon]\nfields = {pt='a'}", "collections.muon"),
    ("[tree]\n[collections.muons]\nfields = {pt='a', eta='b', phi='c'}", "tree.name"),
    ("[tree]\nname='T'\n[collections.muons]\nfields = {pt='a', eta='b'}", "collections.muons.fields"),
    ("[tree]\nname='T'\n[collections.muons]\nfields = {pt=1, eta='b', phi='c'}",
     "collections.muons.fields"),
    ("[tree]\nname='T'\n[units]\nlength='inch'\n[collections.met]\nfields={pt='a', phi='b'}",
     "units.length"),
    ("[tree]\nname='T'\n[source]\nsqrt_s='high'\n[collections.met]\nfields={pt='a', phi='b'}",
     "source.sqrt_s"),
    ("[tree]\nname='T'\n[collections.met]\nfields={pt='a', phi='b'}\nbins=3", "collections.met.bins"),
    ("[tree]\nname='T'\n[collections.met]\ncounter=3\nfields={pt='a', phi='b'}",
     "collections.met.counter"),
    ("[tree]\nname='T'\n", "collections"),
    ("[tree\nname='T'", "TOML"),
]


@pytest.mark.parametrize("text, key", BAD)
def test_invalid_mappings(tmp_path, text, key):
    path = _write(tmp_path, text, "broken.toml")
    with pytest.raises(MappingError) as err:
        MappedReader.from_file(path, path)  # the mapping is checked before the data file
    message = str(err.value)
    assert message.startswith(f"{path}: {key}") and "\n" not in message


@pytest.mark.parametrize("edit, key", [
    (("Mu_pt", "Mu_ptt"), "collections.muons.fields.pt"),
    (('counter = "nMu"', 'counter = "nMuons"'), "collections.muons.counter"),
    (('"ntuple/T"', '"T"'), "tree.name"),
    (('"RunNo"', '"__import__(\'os\').getcwd()"'), "tree.run"),
])
def test_mapping_names_missing_branches(tmp_path, ntuple, edit, key):
    path = _write(tmp_path, MAPPING.replace(*edit))
    with pytest.raises(MappingError) as err:
        open_events(ntuple, mapping=path)
    assert str(err.value).startswith(f"{path}: {key}: ")
    assert str(ntuple) in str(err.value)


def test_mapping_errors_for_data_file(tmp_path):
    mapping = _write(tmp_path, MAPPING)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(FormatError, match="notes.txt"):
        MappedReader.from_file(text, mapping)
    with pytest.raises(FormatError, match="no such file"):
        MappedReader.from_file(tmp_path / "absent.root", mapping)
    with pytest.raises(MappingError, match="absent.toml"):
        MappedReader.from_file(text, tmp_path / "absent.toml")


def test_parse_mapping_defaults():
    spec = parse_mapping("[tree]\nname='T'\n[collections.jets]\n"
                         "fields={pt='j_pt', eta='j_eta', phi='j_phi', radius=0.4}")
    assert spec.length_scale == 1.0 and spec.energy_scale == 1.0
    assert spec.collections["jets"].constants == {"radius": 0.4}
    assert spec.ids == {}


def test_nested_branch_names_and_momentum_only(tmp_path, opendata):
    path = opendata("alice/AliVSD_MasterClass_PbPb_101.root")
    text = """[tree]\nname = "Event0234/RecTracks"\n[units]\nlength = "cm"
[source]\ndetector = "ALICE"\ncollision_system = "Pb+Pb"\nsqrt_s = 2760
[collections.tracks.fields]
px = "R/fP/fP.fX"
py = "R/fP/fP.fY"
pz = "R/fP/fP.fZ"
charge = "R/fSign"
vz = "R/fV/fV.fZ"
mass = 0.13957
"""
    raw = uproot.open(path)["Event0234/RecTracks"].arrays(
        filter_name=["fP.fX", "fP.fY", "fP.fZ", "fV.fZ"], entry_stop=20, library="np")
    with open_events(path, mapping=_write(tmp_path, text)) as src:
        tracks = src.read(0, 20).collections["tracks"]  # one track per entry in a VSD
    np.testing.assert_allclose(ak.to_numpy(tracks.pt[:, 0]), np.hypot(raw["fP.fX"], raw["fP.fY"]),
                               rtol=1e-5)
    np.testing.assert_allclose(ak.to_numpy(tracks.pz[:, 0]), raw["fP.fZ"], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ak.to_numpy(tracks.vz[:, 0]), raw["fV.fZ"] * 0.01, rtol=1e-6)
    np.testing.assert_allclose(ak.to_numpy(tracks.mass[:, 0]), 0.13957)


GROUPED = """
[tree]
name = "cands"

[source]
detector = "ATLAS"
sqrt_s = 13000

[units]
energy = "MeV"

[collections.muons]
groups = ["1", "2", "3", "4"]
fields = { pt = "mu{i}_pt", eta = "mu{i}_eta", phi = "mu{i}_phi", charge = "mu{i}_q", mass = 105.66 }
"""


@pytest.fixture
def grouped(tmp_path):
    path = tmp_path / "grouped.root"
    cols = {}
    for i in range(1, 5):
        cols[f"mu{i}_pt"] = np.array([20000.0 * i, 5000.0 * i])
        cols[f"mu{i}_eta"] = np.array([0.1 * i, -0.1 * i])
        cols[f"mu{i}_phi"] = np.array([0.5 * i, -0.5 * i])
        cols[f"mu{i}_q"] = np.array([(-1) ** i, (-1) ** (i + 1)], np.int32)
    with uproot.recreate(path) as f:
        f["cands"] = cols
    return path


def test_fixed_groups_mapping_any_detector(tmp_path, grouped):
    with open_events(grouped, mapping=_write(tmp_path, GROUPED)) as src:
        assert src.info.detector == "ATLAS" and src.info.sqrt_s == 13000.0
        batch = src.read(0, 2)
    muons = batch.collections["muons"]
    assert ak.num(muons).tolist() == [4, 4]
    np.testing.assert_allclose(ak.to_numpy(muons.pt[0]), [20.0, 40.0, 60.0, 80.0])  # MeV -> GeV
    np.testing.assert_allclose(ak.to_numpy(muons.mass[1]), 0.10566)
    assert muons.charge[0].tolist() == [-1, 1, -1, 1]


def test_mapping_type_split_and_unknown_detector(tmp_path, grouped):
    text = GROUPED.replace('"ATLAS"', '"LHCb"') + 'select = { branch = "mu{i}_q", values = [1] }\n'
    with open_events(grouped, mapping=_write(tmp_path, text)) as src:
        assert src.info.detector == "LHCb"
        assert ak.num(src.read(0, 2).collections["muons"]).tolist() == [4, 4]  # |q| = 1
    bad = _write(tmp_path, GROUPED.replace('"ATLAS"', '"ATLANTIS"'), "bad.toml")
    with pytest.raises(MappingError, match=r"bad.toml: source.detector: unknown detector 'ATLANTIS'"):
        open_events(grouped, mapping=bad)
    missing = _write(tmp_path, GROUPED.replace('"1", "2", "3", "4"', '"1", "5"'), "five.toml")
    with pytest.raises(MappingError, match=r"five.toml: collections.muons.fields.pt: branch "
                                           r"'mu5_pt' not in tree cands"):
        open_events(grouped, mapping=missing)


def test_scan_and_export_accept_mapping(tmp_path, grouped, capsys):
    from collider_viz.cli import main
    from collider_viz.io.registry import set_default_mapping

    mapping = _write(tmp_path, GROUPED)
    try:
        assert main(["scan", str(grouped), "--mapping", str(mapping), "--filter",
                     "nMuon >= 4"]) == 0
    finally:
        set_default_mapping(None)
    assert "2 " in capsys.readouterr().out
    assert main(["scan", str(grouped), "--filter", "nMuon >= 4"]) == 2  # no mapping: unknown
    assert "no known event format" in capsys.readouterr().err


def test_unstated_units_on_mev_file_are_named(tmp_path, grouped, capsys):
    import json

    from collider_viz.cli import main

    text = GROUPED.replace('[units]\nenergy = "MeV"\n', "")
    with open_events(grouped, mapping=_write(tmp_path, text)) as src:
        (name, why), = src.info.not_read
    assert name == "units" and "GeV is assumed" in why and 'energy = "MeV"' in why
    assert main(["info", str(grouped), "--mapping", str(tmp_path / "map.toml"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["not_read"][0][0] == "units"
    with open_events(grouped, mapping=_write(tmp_path, GROUPED, "stated.toml")) as src:
        assert src.info.not_read == ()  # stated MeV: nothing to say


def test_unique_rows_with_jagged_collection(tmp_path):
    path = tmp_path / "dups.root"
    counts = np.array([1, 3, 2])
    cols = {"Run": np.array([1, 1, 2], np.int32), "Event": np.array([7, 7, 8], np.int64),
            "n": counts.astype(np.int32),
            "mu_pt": ak.unflatten(np.arange(1.0, 7.0), counts),
            "mu_eta": ak.unflatten(np.zeros(6), counts), "mu_phi": ak.unflatten(np.zeros(6), counts)}
    with uproot.recreate(path) as f:
        f.mktree("T", {k: v.type if isinstance(v, ak.Array) else v.dtype for k, v in cols.items()},
                 counter_name=lambda counted: "n").extend(cols)
    text = """[tree]\nname = "T"\nrun = "Run"\nevent = "Event"\nunique = ["Run", "Event"]
[collections.muons]\ncounter = "n"\nfields = { pt = "mu_pt", eta = "mu_eta", phi = "mu_phi" }
"""
    with open_events(path, mapping=_write(tmp_path, text)) as src:
        assert len(src) == 2 and src.reader.counts()["muons"].tolist() == [1, 2]
        assert src.read(0, 2).collections["muons"].pt.tolist() == [[1.0], [5.0, 6.0]]
        (name, why), = src.info.not_read
        assert name == "1 repeated rows" and "3 rows hold 2 collisions (Run, Event)" in why
