"""Real-file acceptance matrix (issue 10): every file of ``../shared/opendata`` through
``info --json``, the reader's counts and masses, ``scan --select`` and ``export``.

Each expectation is read independently from the file with plain uproot / csv / json /
zipfile, never through collider_viz. The module skips (with a reason) where the shared
folder is absent. The in-process CLI is used for ``info``, ``scan`` and ``export``; one
subprocess per lecturer file checks the display-less EGL export path.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import awkward as ak
import numpy as np
import pytest
import uproot

ROOT = Path(__file__).resolve().parents[1]
_CANDIDATES = [ROOT.parent / "shared" / "opendata", ROOT / "shared" / "opendata"]
OPENDATA = next((c for c in _CANDIDATES if (c / "README.md").exists()), None)
if OPENDATA is None:
    pytest.skip("../shared/opendata is not present beside the checkout (real-data matrix)",
                allow_module_level=True)

from collider_viz.cli import main  # noqa: E402
from collider_viz.io.registry import open_events  # noqa: E402
from collider_viz.physics.event import PARTICLE_COLLECTIONS  # noqa: E402

MAX_MASS = 14000.0  # GeV: nothing of an LHC file may be heavier than the collision
MUON_MASS, KAON_MASS, B_MASS = 0.1056584, 0.493677, 5.27934  # GeV (PDG)
PEEK = 200  # events read per file for the unit checks


@dataclass(frozen=True)
class Spec:
    """What one shared file must give: detector, presets that find candidates, raw counts."""

    detector: str
    presets: tuple[str, ...] = ()
    lecturer: bool = False
    counts: dict[str, str] = field(default_factory=dict)  # collection -> raw-count key


SPECS: dict[str, Spec] = {
    "alice/AliVSD_MasterClass_PbPb_101.root": Spec("ALICE", counts={"tracks": "tracks"}),
    "atlas/PHYSLITE_example_100evts.root": Spec(
        "ATLAS", ("zee",), counts={c: c for c in ("electrons", "muons", "jets", "tracks",
                                                   "photons", "vertices")}),
    "atlas/atlas13_2020_data_A.4lep.root": Spec(
        "ATLAS", ("h4l", "zee", "zmumu"), True,
        {"electrons": "electrons", "muons": "muons", "jets": "jets", "photons": "photons"}),
    "cms_csv/Higgs4l_4mu_2012.csv": Spec("CMS", ("h4l", "zmumu"), counts={"muons": "muons"}),
    "cms_csv/Zmumu_Run2011A.csv": Spec("CMS", ("zmumu",), True, {"muons": "muons"}),
    "cms_ispy/4lepton.ig": Spec("CMS", ("h4l",), counts={
        "tracks": "Tracks_V2", "photons": "Photons_V1", "electrons": "GsfElectrons_V1",
        "jets": "PFJets_V1", "vertices": "Vertices_V1", "muon_chambers": "MuonChambers_V1"}),
    "cms_ispy/DoublePhoton_Run2012B_0.ig": Spec("CMS", ("hgg",), counts={
        "tracks": "Tracks_V3", "photons": "Photons_V1", "electrons": "GsfElectrons_V2",
        "jets": "PFJets_V1", "vertices": "Vertices_V1", "muon_chambers": "MuonChambers_V1"}),
    "cms_ispy/masterclass_DoubleMu2016G_5.ig": Spec(
        "CMS", ("zmumu",), True,
        {"electrons": "PATElectrons_V1", "tracks": "Tracks_V4", "jets": "PATJets_V1",
         "muon_chambers": "MuonChambers_V1"}),
    "cms_root/HiForestAOD_PbPb2010_muons.root": Spec("CMS", counts={"muons": "muons"}),
    "cms_root/HiForest_PbPb2011_tracks_10evts.root": Spec("CMS", counts={"tracks": "tracks"}),
    "cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root": Spec(
        "CMS", counts={c: c for c in ("muons", "electrons", "photons", "jets")}),
    "cms_root/nanoAOD_2018_data_dimuon_40evts.root": Spec(
        "CMS", ("zmumu",), counts={c: c for c in ("muons", "electrons", "photons", "jets")}),
    "cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root": Spec(
        "CMS", ("zmumu", "jpsi"), counts={"tracks": "tracks", "muons": "muons"}),
    "cms_root/uproot-HZZ.root": Spec("CMS", ("h4l",), counts={"muons": "muons",
                                                              "electrons": "electrons"}),
    "cms_root/uproot-Zmumu.root": Spec("CMS", ("zmumu",), counts={"muons": "muons"}),
    "lhcb/B2HHH_PhaseSpaceSimulation.root": Spec("LHCb", (), True),
    "phoenix/atlas_eventdump.json": Spec("ATLAS", counts={"tracks": "tracks", "jets": "jets",
                                                          "calo": "calo"}),
}
FILES = sorted(SPECS)
LECTURER = [f for f in FILES if SPECS[f].lecturer]
SCANS = [(f, p) for f in FILES for p in SPECS[f].presets]


def _path(rel: str) -> str:
    path = OPENDATA / rel
    if not path.exists():
        pytest.skip(f"real-data file {rel} is not in {OPENDATA}")
    return str(path)


# ---------------------------------------------------------------- independent reading
def _tree_sums(rel: str, tree: str, counters: dict[str, str]) -> dict[str, int]:
    t = uproot.open(_path(rel))[tree]
    out = {"n_events": int(t.num_entries)}
    for key, branch in counters.items():
        arr = t[branch].array()
        out[key] = int(ak.sum(ak.num(arr, axis=1))) if arr.ndim > 1 else int(np.sum(arr))
    return out


def _csv_rows(rel: str) -> list[dict[str, str]]:
    with open(_path(rel), newline="") as handle:
        return list(csv.DictReader(handle))


def _ig_counts(rel: str) -> dict[str, int]:
    out = {"n_events": 0}
    with zipfile.ZipFile(_path(rel)) as zf:
        members = [m for m in zf.namelist() if m.startswith("Events/") and not m.endswith("/")]
        out["n_events"] = len(members)
        for member in members:
            text = zf.read(member).decode()
            try:  # the 2016 files are plain JSON; older ones are Python-literal-like text
                collections = json.loads(text)["Collections"]
            except ValueError:  # tuples, single quotes and nan: JSON enough to count rows
                text = text.replace("(", "[").replace(")", "]").replace("'", '"')
                collections = json.loads(re.sub(r"\bnan\b", "NaN", text))["Collections"]
            for name, rows in collections.items():
                out[name] = out.get(name, 0) + len(rows)
    return out


def _alice_counts(rel: str) -> dict[str, int]:
    f = uproot.open(_path(rel))
    dirs = sorted({k.split(";")[0] for k in f.keys(recursive=False) if k.startswith("Event")})
    return {"n_events": len(dirs), "tracks": sum(f[f"{d}/RecTracks"].num_entries for d in dirs)}


def _phoenix_counts(rel: str) -> dict[str, int]:
    data = json.loads(Path(_path(rel)).read_text())
    events = [data] if "event number" in data else list(data.values())
    out = {"n_events": len(events)}
    for key, kind in (("tracks", "Tracks"), ("jets", "Jets"), ("calo", "CaloClusters")):
        out[key] = sum(len(v) for e in events for v in e.get(kind, {}).values())
    return out


_NANO = {"muons": "nMuon", "electrons": "nElectron", "photons": "nPhoton", "jets": "nJet"}
_RAW = {
    "alice/AliVSD_MasterClass_PbPb_101.root": _alice_counts,
    "atlas/PHYSLITE_example_100evts.root": lambda r: _tree_sums(r, "CollectionTree", {
        "electrons": "AnalysisElectronsAuxDyn.pt", "muons": "AnalysisMuonsAuxDyn.pt",
        "jets": "AnalysisJetsAuxDyn.pt", "tracks": "InDetTrackParticlesAuxDyn.phi",
        "photons": "AnalysisPhotonsAuxDyn.pt", "vertices": "PrimaryVerticesAuxDyn.x"}),
    "atlas/atlas13_2020_data_A.4lep.root": lambda r: _atlas_mini_counts(r),
    "cms_csv/Higgs4l_4mu_2012.csv": lambda r: {"n_events": len(_csv_rows(r)),
                                               "muons": 4 * len(_csv_rows(r))},
    "cms_csv/Zmumu_Run2011A.csv": lambda r: {"n_events": len(_csv_rows(r)),
                                             "muons": 2 * len(_csv_rows(r))},
    "cms_ispy/4lepton.ig": _ig_counts,
    "cms_ispy/DoublePhoton_Run2012B_0.ig": _ig_counts,
    "cms_ispy/masterclass_DoubleMu2016G_5.ig": _ig_counts,
    "cms_root/HiForestAOD_PbPb2010_muons.root": lambda r: _tree_sums(r, "demo/Muons",
                                                                     {"muons": "Nmu"}),
    "cms_root/HiForest_PbPb2011_tracks_10evts.root": lambda r: _hiforest_tracks(r),
    "cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root": lambda r: _tree_sums(r, "Events", _NANO),
    "cms_root/nanoAOD_2018_data_dimuon_40evts.root": lambda r: _tree_sums(r, "Events", _NANO),
    "cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root": lambda r: {
        **_tree_sums(r, "mytracks/Events", {"tracks": "numtracks"}),
        # numbermuon counts muons before POET's stored selection: count the stored ones
        "muons": _tree_sums(r, "mymuons/Events", {"m": "muon_pt"})["m"]},
    "cms_root/uproot-HZZ.root": lambda r: _tree_sums(r, "events", {"muons": "NMuon",
                                                                   "electrons": "NElectron"}),
    "cms_root/uproot-Zmumu.root": lambda r: _zmumu_collisions(r),
    "lhcb/B2HHH_PhaseSpaceSimulation.root": lambda r: _tree_sums(r, "PhaseSpaceTree", {}),
    "phoenix/atlas_eventdump.json": _phoenix_counts,
}


def _atlas_mini_counts(rel: str) -> dict[str, int]:
    t = uproot.open(_path(rel))["mini"]
    kind = t["lep_type"].array()
    return {"n_events": int(t.num_entries), "electrons": int(ak.sum(kind == 11)),
            "muons": int(ak.sum(kind == 13)), "jets": int(np.sum(t["jet_n"].array())),
            "photons": int(np.sum(t["photon_n"].array()))}


def _zmumu_collisions(rel: str) -> dict[str, int]:
    # one row per muon-type combination (GT/TT/GG): a collision is one (Run, Event)
    t = uproot.open(_path(rel))["events"].arrays(["Run", "Event"], library="np")
    n = len(set(zip(t["Run"].tolist(), t["Event"].tolist(), strict=True)))
    return {"n_events": n, "muons": 2 * n}


def _hiforest_tracks(rel: str) -> dict[str, int]:
    t = uproot.open(_path(rel))["anaTrack/trackTree"]
    return {"n_events": int(t.num_entries), "tracks": int(ak.sum(t["highPurity"].array()))}


@functools.cache
def raw(rel: str) -> dict[str, int]:
    """Counts read with plain uproot/csv/json/zipfile."""
    return _RAW[rel](rel)


@functools.cache
def info_json(rel: str) -> tuple[int, str]:
    """``collider-viz info FILE --json`` run in process: (exit status, stdout)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            rc = main(["info", _path(rel), "--json"])
        except SystemExit as exc:  # pragma: no cover - argparse
            rc = int(exc.code or 0)
    return rc, out.getvalue()


@functools.cache
def peek(rel: str):
    """The first ``PEEK`` events as one batch plus the source info (source closed)."""
    with open_events(_path(rel)) as source:
        return source.read(0, min(PEEK, len(source))), source.info


def _p4(objs: ak.Array) -> tuple[ak.Array, ak.Array, ak.Array, ak.Array]:
    pt, eta, phi = (ak.values_astype(objs[k], np.float64) for k in ("pt", "eta", "phi"))
    mass = ak.values_astype(objs["mass"], np.float64)
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    return px, py, pz, np.sqrt(px**2 + py**2 + pz**2 + mass**2)


def system_mass(*collections: ak.Array) -> np.ndarray:
    """Invariant mass of all the objects of the given collections, per event (GeV)."""
    total = np.zeros((4, len(collections[0])))
    for objs in collections:
        total += np.array([ak.to_numpy(ak.sum(c, axis=1)) for c in _p4(objs)])
    px, py, pz, e = total
    return np.sqrt(np.maximum(e**2 - px**2 - py**2 - pz**2, 0.0))


def raw_mass(e: np.ndarray, px: np.ndarray, py: np.ndarray, pz: np.ndarray) -> np.ndarray:
    return np.sqrt(np.maximum(e**2 - px**2 - py**2 - pz**2, 0.0))


def _all_events(rel: str, collections: list[str]):
    with open_events(_path(rel)) as source:
        return source.read(0, len(source), collections)


@pytest.fixture(scope="module")
def gl_backend():
    """A vispy backend that renders offscreen (Qt under Xvfb, else EGL), or skip."""
    from collider_viz.export.headless import NoOpenGLError, setup_headless

    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    try:
        return setup_headless(prefer_egl=not has_display)
    except NoOpenGLError as exc:
        pytest.skip(str(exc))


# ---------------------------------------------------------------- the matrix
def test_matrix_covers_every_shared_file():
    on_disk = {str(p.relative_to(OPENDATA)) for p in OPENDATA.rglob("*")
               if p.is_file() and p.name != "README.md"}
    assert on_disk == set(SPECS), "a shared file is not in the matrix (or one has gone)"


@pytest.mark.parametrize("rel", FILES)
def test_info_json(rel):
    rc, out = info_json(rel)
    assert out.count("\n") == 1, f"info --json printed {out.count(chr(10))} lines"
    summary = json.loads(out)
    assert isinstance(summary, dict)
    assert rc == 0 and "error" not in summary, summary.get("error")
    assert isinstance(summary["format"], str) and summary["format"]
    assert summary["detector"] == SPECS[rel].detector
    expected = raw(rel)
    assert summary["n_events"] == expected["n_events"] > 0
    totals = summary["collections"]
    assert totals and all(isinstance(v, int) and v >= 0 for v in totals.values())
    for collection, key in SPECS[rel].counts.items():
        assert totals.get(collection) == expected[key], collection


def _per_event_raw(rel: str) -> tuple[str, np.ndarray]:
    """(collection, objects per event) for the first PEEK events, read with uproot."""
    path = _path(rel)
    if rel.startswith("alice/"):
        f = uproot.open(path)
        dirs = sorted({k.split(";")[0] for k in f.keys(recursive=False) if k.startswith("Event")})
        return "tracks", np.array([f[f"{d}/RecTracks"].num_entries for d in dirs])
    name, tree, branch = PER_EVENT[rel]
    arr = uproot.open(path)[tree][branch].array(entry_stop=PEEK)
    if branch == "lep_type":
        return name, ak.to_numpy(ak.sum(arr == (11 if name == "electrons" else 13), axis=1))
    if branch == "highPurity":
        return name, ak.to_numpy(ak.sum(arr, axis=1))
    return name, np.asarray(arr if arr.ndim == 1 else ak.num(arr, axis=1))


PER_EVENT = {
    "atlas/atlas13_2020_data_A.4lep.root": ("electrons", "mini", "lep_type"),
    "cms_root/nanoAOD_2018_data_dimuon_40evts.root": ("muons", "Events", "nMuon"),
    "cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root": ("tracks", "mytracks/Events",
                                                                  "numtracks"),
    "cms_root/HiForest_PbPb2011_tracks_10evts.root": ("tracks", "anaTrack/trackTree",
                                                      "highPurity"),
    "lhcb/B2HHH_PhaseSpaceSimulation.root": ("tracks", "PhaseSpaceTree", "H1_PX"),
    "atlas/PHYSLITE_example_100evts.root": ("tracks", "CollectionTree",
                                            "InDetTrackParticlesAuxDyn.phi"),
}


@pytest.mark.parametrize("rel", [*sorted(PER_EVENT), "alice/AliVSD_MasterClass_PbPb_101.root"])
def test_objects_per_event(rel):
    name, expected = _per_event_raw(rel)
    if rel.startswith("lhcb/"):
        expected = np.full(len(expected), 3)  # H1, H2, H3: three hadrons per candidate
    batch, _ = peek(rel)
    np.testing.assert_array_equal(ak.to_numpy(ak.num(batch.collections[name], axis=1)),
                                  expected[:len(batch)])


def test_info_masterclass_muons_from_pat_collections():
    rel = "cms_ispy/masterclass_DoubleMu2016G_5.ig"
    counts, summary = raw(rel), json.loads(info_json(rel)[1])
    # PAT global muons are all there; tracker-only muons may add to them, never more than both
    glob, tracker = counts["PATGlobalMuons_V1"], counts.get("PATTrackerMuons_V2", 0)
    assert glob <= summary["collections"]["muons"] <= glob + tracker


def test_info_json_names_what_was_not_read():
    """The shared contract: ``SourceInfo.not_read`` pairs (name, reason) are in ``info --json``."""
    lacking = []
    for rel in FILES:
        summary = json.loads(info_json(rel)[1])
        if "not_read" not in summary:
            lacking.append(rel)
            continue
        assert all(len(pair) == 2 and all(isinstance(s, str) and s for s in pair)
                   for pair in summary["not_read"]), rel
    assert not lacking, f"no 'not_read' in info --json of {len(lacking)} files: {lacking[:3]}"


@pytest.mark.parametrize("rel", FILES)
def test_no_mass_above_14_tev(rel):
    batch, info = peek(rel)
    present = [c for c in PARTICLE_COLLECTIONS if c in batch.collections]
    assert present or "calo" in batch.collections
    for name in present:
        objs = batch.collections[name]
        if ak.sum(ak.num(objs, axis=1)) == 0:
            continue
        energy = ak.to_numpy(ak.flatten(_p4(objs)[3]))
        assert np.nanmax(energy) < MAX_MASS, f"{name}: an object of {np.nanmax(energy):g} GeV"
        assert np.nanmax(ak.to_numpy(ak.flatten(objs["mass"]))) < MAX_MASS, name
    leptons = [batch.collections[c] for c in ("electrons", "muons", "photons") if c in present]
    if leptons:
        assert np.nanmax(system_mass(*leptons)) < MAX_MASS
    if "calo" in batch.collections and ak.sum(ak.num(batch.collections["calo"])) > 0:
        assert np.nanmax(ak.to_numpy(ak.flatten(batch.collections["calo"]["energy"]))) < MAX_MASS


# collision system, sqrt(s) (GeV) and simulation flag from ../shared/opendata/README.md and the
# run periods (2010-11: 7 TeV, 2012: 8 TeV, 2015-18: 13 TeV); "?" where neither says
ENERGY: dict[str, tuple[str, float | str | None, bool | str]] = {
    "alice/AliVSD_MasterClass_PbPb_101.root": ("Pb+Pb", 2760.0, False),
    "atlas/PHYSLITE_example_100evts.root": ("pp", 13000.0, True),
    "atlas/atlas13_2020_data_A.4lep.root": ("pp", 13000.0, False),
    "cms_csv/Higgs4l_4mu_2012.csv": ("pp", 8000.0, False),
    "cms_csv/Zmumu_Run2011A.csv": ("pp", 7000.0, False),
    "cms_ispy/4lepton.ig": ("pp", None, False),  # 2011 and 2012 runs: per event
    "cms_ispy/DoublePhoton_Run2012B_0.ig": ("pp", 8000.0, False),
    "cms_ispy/masterclass_DoubleMu2016G_5.ig": ("pp", 13000.0, False),
    "cms_root/HiForestAOD_PbPb2010_muons.root": ("Pb+Pb", 2760.0, False),
    "cms_root/HiForest_PbPb2011_tracks_10evts.root": ("Pb+Pb", 2760.0, False),
    "cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root": ("pp", 13000.0, True),
    "cms_root/nanoAOD_2018_data_dimuon_40evts.root": ("pp", 13000.0, False),
    "cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root": ("pp", 8000.0, False),
    "cms_root/uproot-HZZ.root": ("pp", "?", True),
    "cms_root/uproot-Zmumu.root": ("pp", 7000.0, False),
    "lhcb/B2HHH_PhaseSpaceSimulation.root": ("pp", "?", True),
    "phoenix/atlas_eventdump.json": ("pp", "?", "?"),
}


@pytest.mark.parametrize("rel", FILES)
def test_info_collision_energy_and_simulation(rel):
    summary = json.loads(info_json(rel)[1])
    system, sqrt_s, simulation = ENERGY[rel]
    assert summary["collision_system"] == system
    if sqrt_s != "?":
        assert summary["sqrt_s"] == sqrt_s
    if simulation != "?":
        assert summary["is_simulation"] is simulation


def test_mixed_run_file_has_sqrt_s_per_event():
    with open_events(_path("cms_ispy/4lepton.ig")) as source:
        got = {source[i].meta.run: source[i].meta.extra.get("sqrt_s") for i in range(len(source))}
    assert got == {178424: 7000.0, 193575: 8000.0, 195099: 8000.0}  # 2011 and 2012 runs


# ---------------------------------------------------------------- masses per family
def test_cms_csv_z_peak_and_kinematics():
    rel = "cms_csv/Zmumu_Run2011A.csv"
    rows = _csv_rows(rel)
    muons = _all_events(rel, ["muons"]).collections["muons"]
    assert ak.all(ak.num(muons, axis=1) == 2)
    mass = system_mass(muons)
    assert 86.0 < np.median(mass) < 96.0, np.median(mass)
    pt1 = np.array([float(r["pt1"]) for r in rows])
    np.testing.assert_allclose(ak.to_numpy(muons.pt[:, 0]), pt1, rtol=1e-5)
    # the mass from the CSV's own columns, with the muon mass
    cols = {k: np.array([float(r[k]) for r in rows]) for k in
            ("pt1", "eta1", "phi1", "pt2", "eta2", "phi2")}
    p = [[cols[f"pt{i}"] * np.cos(cols[f"phi{i}"]), cols[f"pt{i}"] * np.sin(cols[f"phi{i}"]),
          cols[f"pt{i}"] * np.sinh(cols[f"eta{i}"])] for i in (1, 2)]
    e = sum(np.sqrt(sum(c**2 for c in q) + MUON_MASS**2) for q in p)
    expected = raw_mass(e, *(p[0][k] + p[1][k] for k in range(3)))
    np.testing.assert_allclose(mass, expected, rtol=1e-4)


def test_higgs4l_csv_reproduces_stored_m():
    rel = "cms_csv/Higgs4l_4mu_2012.csv"
    stored = np.array([float(r["M"]) for r in _csv_rows(rel)])
    muons = _all_events(rel, ["muons"]).collections["muons"]
    assert ak.all(ak.num(muons, axis=1) == 4)
    np.testing.assert_allclose(system_mass(muons), stored, rtol=2e-3)


def test_atlas_4l_masses_from_raw_mev():
    rel = "atlas/atlas13_2020_data_A.4lep.root"
    t = uproot.open(_path(rel))["mini"].arrays(["lep_pt", "lep_eta", "lep_phi", "lep_E"])
    px = ak.sum(t.lep_pt * np.cos(t.lep_phi), axis=1)
    py = ak.sum(t.lep_pt * np.sin(t.lep_phi), axis=1)
    pz = ak.sum(t.lep_pt * np.sinh(t.lep_eta), axis=1)
    expected = raw_mass(*(ak.to_numpy(x).astype(float) / 1000 for x in
                          (ak.sum(t.lep_E, axis=1), px, py, pz)))
    batch = _all_events(rel, ["electrons", "muons"])
    leptons = [batch.collections[c] for c in ("electrons", "muons")]
    assert ak.all(sum(ak.num(c, axis=1) for c in leptons) == ak.num(t.lep_pt, axis=1))
    mass = system_mass(*leptons)
    assert np.max(mass) < MAX_MASS
    np.testing.assert_allclose(mass, expected, rtol=2e-3)


def _lhcb_hadrons():
    rel = "lhcb/B2HHH_PhaseSpaceSimulation.root"
    with open_events(_path(rel)) as source:
        batch = source.read(0, 5000)
    found = [c for c in PARTICLE_COLLECTIONS if c in batch.collections
             and ak.all(ak.num(batch.collections[c], axis=1) == 3)]
    assert found, f"no collection with the three hadrons: {sorted(batch.collections)}"
    t = uproot.open(_path(rel))["PhaseSpaceTree"].arrays(
        [f"H{i}_P{c}" for i in (1, 2, 3) for c in "XYZ"], entry_stop=5000, library="np")
    return batch.collections[found[0]], t


def test_lhcb_momenta_in_gev_and_b_mass_with_kaon_hypothesis():
    hadrons, t = _lhcb_hadrons()
    px, py, pz, _ = _p4(hadrons)
    np.testing.assert_allclose(ak.to_numpy(px[:, 0]), t["H1_PX"] / 1000, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ak.to_numpy(pz[:, 2]), t["H3_PZ"] / 1000, rtol=1e-5, atol=1e-6)
    kaons = ak.with_field(hadrons, ak.ones_like(hadrons.pt) * KAON_MASS, "mass")
    assert abs(np.median(system_mass(kaons)) - B_MASS) < 0.01


def test_lhcb_reader_mass_gives_the_b_peak():
    hadrons, _ = _lhcb_hadrons()
    median = np.median(system_mass(hadrons))
    assert abs(median - B_MASS) < 0.03, (
        f"m(hhh) with the reader's masses {np.unique(ak.to_numpy(ak.flatten(hadrons.mass)))} "
        f"is {median:.3f} GeV")


def test_uproot_zmumu_reproduces_stored_m():
    rel = "cms_root/uproot-Zmumu.root"
    t = uproot.open(_path(rel))["events"].arrays(["Run", "Event", "M"], library="np")
    stored: dict[tuple[int, int], list[float]] = {}
    for run, event, m in zip(t["Run"].tolist(), t["Event"].tolist(), t["M"].tolist(),
                             strict=True):
        stored.setdefault((run, event), []).append(m)
    batch = _all_events(rel, ["muons"])
    keys = list(zip(batch.ids["run"].tolist(), batch.ids["event"].tolist(), strict=True))
    assert sorted(keys) == sorted(stored), "each collision once"
    mass = system_mass(batch.collections["muons"])
    # the mass of one of the collision's rows (the muon-type combination the reader chose)
    best = [min(stored[k], key=lambda s, m=m: abs(s - m)) for k, m in zip(keys, mass, strict=True)]
    np.testing.assert_allclose(mass, best, rtol=2e-3)


# ---------------------------------------------------------------- scan
@pytest.mark.parametrize(("rel", "preset"), SCANS)
def test_scan_finds_candidates(rel, preset):
    from collider_viz.physics.scan import scan_source

    with open_events(_path(rel)) as source:
        result = scan_source(source, preset, stop=20000, prefetch=False)
    assert len(result.mass) > 0, f"{preset}: no candidate in {result.n_events} events"
    assert np.all(np.isfinite(result.mass)) and np.max(result.mass) < MAX_MASS


CLI_SCANS = [("cms_ispy/masterclass_DoubleMu2016G_5.ig", "zmumu", 60, 120),
             ("atlas/atlas13_2020_data_A.4lep.root", "h4l", 70, 1000),
             ("cms_csv/Zmumu_Run2011A.csv", "zmumu", 60, 120)]


@pytest.mark.parametrize(("rel", "preset", "lo", "hi"), CLI_SCANS)
def test_scan_cli_json(rel, preset, lo, hi, tmp_path, capsys):
    out = tmp_path / "cands.json"
    assert main(["scan", _path(rel), "--select", preset, "--json", str(out)]) == 0
    capsys.readouterr()
    cands = json.loads(out.read_text())["candidates"]
    assert cands and all(lo < c["mass"] < hi for c in cands)
    if preset == "zmumu":
        assert 86 < np.median([c["mass"] for c in cands]) < 96


# ---------------------------------------------------------------- export
def _png(path: Path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(path))


def _export(rel: str, entry: int, out: Path, *extra: str) -> int:
    return main(["export", _path(rel), "--entry", str(entry), "--size", "240x135", *extra,
                 "-o", str(out)])


@pytest.mark.parametrize("rel", FILES)
def test_export_entry0(rel, gl_backend, tmp_path, capsys):
    from collider_viz.export.image import detector_for

    out = tmp_path / "out.png"
    assert _export(rel, 0, out) == 0, capsys.readouterr().err
    image = _png(out)
    assert image.shape[:2] == (135, 240) and image[..., :3].std() > 5
    batch, info = peek(rel)
    assert detector_for(batch.event(0, info)).name.upper() == SPECS[rel].detector.upper()
    sizes = sum(ak.to_numpy(ak.num(batch.collections[c], axis=1)) for c in PARTICLE_COLLECTIONS
                if c in batch.collections)
    if len(batch) > 1 and np.ptp(sizes) > 0:
        # the scene without the annotation: the fullest and the emptiest event differ
        bare = [tmp_path / f"bare{i}.png" for i in (0, 1)]
        for entry, path in zip((np.argmax(sizes), np.argmin(sizes)), bare, strict=True):
            assert _export(rel, entry, path, "--no-annotation") == 0, capsys.readouterr().err
        first, second = (_png(p)[..., :3].astype(int) for p in bare)
        assert first.std() > 5 and np.abs(first - second).max() > 40


@pytest.mark.parametrize("rel", LECTURER)
def test_export_headless_without_display(rel, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["EGL_PLATFORM"] = "surfaceless"
    out = tmp_path / "out.png"
    cmd = [sys.executable, "-m", "collider_viz", "export", _path(rel), "--entry", "0",
           "--size", "320x180", "-o", str(out)]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if res.returncode == 2 and "no OpenGL" in res.stderr:
        pytest.skip(res.stderr.strip())
    assert res.returncode == 0, res.stderr
    assert _png(out)[..., :3].std() > 5


# ---------------------------------------------------------------- the window's first spectrum
WINDOW_PRESETS = {"atlas/atlas13_2020_data_A.4lep.root": "h4l",
                  "cms_csv/Zmumu_Run2011A.csv": "zmumu",
                  "cms_ispy/masterclass_DoubleMu2016G_5.ig": "zmumu",
                  "lhcb/B2HHH_PhaseSpaceSimulation.root": "b2hhh"}


@pytest.mark.parametrize("rel", sorted(WINDOW_PRESETS))
def test_window_opens_lecturer_file_on_a_preset_with_candidates(rel):
    """The Candidates dock starts on the preset the file holds (a DoubleMu file: Z→μμ)."""
    from collider_viz.gui.scan_worker import choose_preset

    with open_events(_path(rel)) as source:
        preset = choose_preset(source.path, source.info, source.available)
    assert preset == WINDOW_PRESETS[rel]


@pytest.mark.parametrize("rel", LECTURER)
def test_info_text_names_detector_and_events(rel, capsys):
    assert main(["info", _path(rel)]) == 0
    lines = capsys.readouterr().out.splitlines()
    fields = {line.split()[0]: line.split()[1:] for line in lines if line.strip()}
    assert fields["events"] == [str(raw(rel)["n_events"])]
    assert fields["detector"][0] == SPECS[rel].detector


@pytest.mark.parametrize("rel", LECTURER)
def test_info_json_subprocess(rel):
    res = subprocess.run([sys.executable, "-m", "collider_viz", "info", _path(rel), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["detector"] == SPECS[rel].detector
    assert summary["n_events"] == raw(rel)["n_events"]
