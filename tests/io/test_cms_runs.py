"""√s and collision system from a CMS run number (POET, .ig, NanoAOD and HiForest do not store it)."""

from __future__ import annotations

import csv
import zipfile

import pytest
import uproot

from collider_viz.io.cms_runs import (
    HEAVY_ION_RUNS,
    PP_RUNS,
    cms_collision,
    cms_run_source,
    cms_sqrt_s,
)

PB, PPB = "Pb+Pb", "p+Pb"


@pytest.mark.parametrize(("run", "expected"), [
    (136032, ("pp", None)), (136033, ("pp", 7000.0)), (149442, ("pp", 7000.0)),   # 2010
    (149443, ("pp", None)), (150435, ("pp", None)), (150436, (PB, 2760.0)),
    (153368, (PB, 2760.0)), (153369, ("pp", None)),
    (160403, ("pp", None)), (160404, ("pp", 7000.0)), (161365, ("pp", 7000.0)),   # 2011
    (161366, ("pp", 2760.0)), (161474, ("pp", 2760.0)), (161475, ("pp", 7000.0)),
    (180252, ("pp", 7000.0)), (180253, ("pp", None)), (181509, ("pp", None)),
    (181510, (PB, 2760.0)), (183337, (PB, 2760.0)), (183338, ("pp", None)),
    (190455, ("pp", None)), (190456, ("pp", 8000.0)), (202653, ("pp", 8000.0)),   # 2012
    (202654, (PPB, 5020.0)), (202700, ("pp", None)), (202792, (PPB, 5020.0)),
    (202793, ("pp", 8000.0)), (208686, ("pp", 8000.0)), (208687, ("pp", None)),
    (210497, ("pp", None)), (210498, (PPB, 5020.0)), (211631, (PPB, 5020.0)),     # 2013
    (211632, ("pp", None)), (211739, ("pp", 2760.0)), (211831, ("pp", 2760.0)),
    (211832, ("pp", None)),
    (246907, ("pp", None)), (246908, ("pp", 13000.0)), (260627, ("pp", 13000.0)),  # 2015
    (260628, ("pp", None)), (262081, ("pp", 5020.0)), (262328, ("pp", 5020.0)),
    (262547, ("pp", None)), (262548, (PB, 5020.0)), (263757, (PB, 5020.0)),
    (263758, ("pp", None)),
    (271035, ("pp", None)), (271036, ("pp", 13000.0)), (284044, ("pp", 13000.0)),  # 2016
    (284045, ("pp", None)), (285090, (PPB, 5020.0)), (285383, (PPB, 5020.0)),
    (285479, (PPB, 8160.0)), (285832, (PPB, 8160.0)), (285952, (PPB, 8160.0)),
    (286496, (PPB, 8160.0)), (286497, ("pp", None)),
    (294926, ("pp", None)), (294927, ("pp", 13000.0)), (304797, ("pp", 13000.0)),  # 2017
    (304898, ("pp", None)), (304899, ("Xe+Xe", 5440.0)), (304907, ("Xe+Xe", 5440.0)),
    (304908, ("pp", None)), (305040, ("pp", 13000.0)), (306462, ("pp", 13000.0)),
    (306545, ("pp", None)), (306546, ("pp", 5020.0)), (306826, ("pp", 5020.0)),
    (306896, ("pp", 13000.0)), (307082, ("pp", 13000.0)), (307083, ("pp", None)),
    (314471, ("pp", None)), (314472, ("pp", 13000.0)), (325175, ("pp", 13000.0)),  # 2018
    (325176, ("pp", None)), (326381, (PB, 5020.0)), (327564, (PB, 5020.0)),
    (327565, ("pp", None)),
    (355099, ("pp", None)), (355100, ("pp", 13600.0)), (362167, ("pp", 13600.0)),  # 2022
    (362200, ("pp", None)), (362294, (PB, 5360.0)), (362433, ("pp", 13600.0)),
    (362760, ("pp", 13600.0)), (362761, ("pp", None)),
    (366442, ("pp", 13600.0)), (370790, ("pp", 13600.0)), (374288, (PB, 5360.0)),  # 2023
    (375823, (PB, 5360.0)), (375824, ("pp", None)),
    (378980, ("pp", None)), (378981, ("pp", 13600.0)), (386951, ("pp", 13600.0)),  # 2024
    (387474, ("pp", 5360.0)), (387721, ("pp", 5360.0)), (387853, (PB, 5360.0)),
    (388784, (PB, 5360.0)), (388785, ("pp", None)),
    (395000, ("pp", None)), (399465, (PB, 5360.0)), (400426, (PB, 5360.0)),        # 2025
    (400427, ("pp", None)),
])
def test_both_sides_of_each_range(run, expected):
    assert cms_collision(run) == expected


@pytest.mark.parametrize("run", [-1, 0, 1, 132440, 133874, 185000, 209000, 340000, 395000,
                                 999999, 10**9])
def test_unknown_runs_give_no_energy(run):
    """Commissioning, shutdowns, 2025 pp (not verified) and nonsense: None, never a guess."""
    assert cms_sqrt_s(run) is None and cms_collision(run) == ("pp", None)
    assert cms_run_source(run) is None


def test_heavy_ion_runs_are_never_given_a_pp_energy():
    for first, last, *_ in HEAVY_ION_RUNS:
        assert cms_sqrt_s(first) is None and cms_sqrt_s(last) is None


def test_ranges_are_disjoint_and_every_one_is_cited():
    rows = sorted((r[0], r[1], r[-1]) for r in (*PP_RUNS, *HEAVY_ION_RUNS))
    for (first, last, source), (nxt, _, _) in zip(rows, rows[1:]):
        assert first <= last < nxt, (first, last, nxt)
        assert source.startswith(("CMS certification JSON Cert_", "/store/hidata/", "unverified"))
    assert "Cert_304899-304907" in cms_run_source(304900)


def _root_runs(path, tree, branch):
    return {int(r) for r in uproot.open(path)[tree][branch].array(library="np")}


def _csv_runs(path):
    with open(path, newline="") as handle:
        return {int(row["Run"]) for row in csv.DictReader(handle)}


def _ig_runs(path):
    with zipfile.ZipFile(path) as archive:
        return {int(n.split("/")[1].removeprefix("Run_")) for n in archive.namelist()
                if n.startswith("Events/Run_")}


@pytest.mark.parametrize(("rel", "runs", "expected"), [
    ("cms_root/HiForestAOD_PbPb2010_muons.root", ("demo/Muons", "evRunNumber"), (PB, 2760.0)),
    ("cms_root/HiForest_PbPb2011_tracks_10evts.root", ("hiEvtAnalyzer/HiTree", "run"),
     (PB, 2760.0)),
    ("cms_root/uproot-Zmumu.root", ("events", "Run"), ("pp", 7000.0)),             # Run2010B
    ("cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root", ("myevents/Events", "run"),
     ("pp", 8000.0)),
    ("cms_root/nanoAOD_2018_data_dimuon_40evts.root", ("Events", "run"), ("pp", 13000.0)),
    ("cms_csv/Zmumu_Run2011A.csv", None, ("pp", 7000.0)),
    ("cms_csv/Higgs4l_4mu_2012.csv", None, ("pp", 8000.0)),
    ("cms_ispy/DoublePhoton_Run2012B_0.ig", None, ("pp", 8000.0)),
    ("cms_ispy/masterclass_DoubleMu2016G_5.ig", None, ("pp", 13000.0)),
])
def test_real_files_runs_give_their_documented_energy(opendata, rel, runs, expected):
    path = opendata(rel)
    found = (_root_runs(path, *runs) if runs else
             _csv_runs(path) if rel.endswith(".csv") else _ig_runs(path))
    assert found and {run: cms_collision(run) for run in found} == dict.fromkeys(found, expected)


def test_4lepton_ig_mixes_2011_and_2012(opendata):
    runs = _ig_runs(opendata("cms_ispy/4lepton.ig"))
    assert {run: cms_sqrt_s(run) for run in runs} == {178424: 7000.0, 193575: 8000.0,
                                                     195099: 8000.0}
