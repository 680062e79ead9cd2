"""The scan reads only the fields its selection uses (kinematics + photon ID)."""

from __future__ import annotations

from collider_viz.physics.scan import ScanPlan, scan_files


def test_hgg_plan_asks_for_photon_id_fields_only():
    assert ScanPlan("hgg").fields == {"photons": ("mvaID_WP90", "cutBased", "pfRelIso03_all")}
    assert ScanPlan("zmumu").fields == {"muons": ()}


def test_scan_of_real_nanoaod_reads_few_photon_branches(opendata, read_log):
    path = opendata("cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root")
    result = scan_files([path], "hgg")
    photon = {b for b in read_log if b.startswith("Photon_")}
    assert photon, "the scan read no photon branch"
    assert photon <= {f"Photon_{f}" for f in ("pt", "eta", "phi", "mass", "charge", "cutBased",
                                               "mvaID_WP90", "pfRelIso03_all")}
    assert not any(b.startswith(("Muon_", "Jet_", "Electron_")) for b in read_log)
    assert result.n_events == 200
