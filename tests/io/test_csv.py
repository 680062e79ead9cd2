"""CMS open-data CSVs through the CSV layouts: real files, re-saved variants and bad input."""

from __future__ import annotations

import csv

import awkward as ak
import numpy as np
import pytest

from collider_viz import open_events
from collider_viz.cli import main
from collider_viz.errors import FormatError

ZMUMU = "cms_csv/Zmumu_Run2011A.csv"
HIGGS = "cms_csv/Higgs4l_4mu_2012.csv"


def _rows(path) -> dict[str, np.ndarray]:
    """The CSV read independently with the standard library."""
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def test_zmumu_csv_peak_at_the_z(opendata):
    path = opendata(ZMUMU)
    ref = _rows(path)
    with open_events(path) as src:
        assert src.format == "cms-csv-dilepton" and len(src) == len(ref["Run"]) == 10583
        assert (src.info.detector, src.info.sqrt_s) == ("CMS", 7000.0)  # 2011 runs
        assert src.info.not_read == ()  # no repeated (Run, Event)
        batch = src.read(0, len(src))
    muons = batch.collections["muons"]
    np.testing.assert_allclose(ak.to_numpy(muons.pt[:, 1]), ref["pt2"], rtol=1e-12)
    np.testing.assert_allclose(ak.to_numpy(muons.eta[:, 0]), ref["eta1"], rtol=1e-12)
    np.testing.assert_array_equal(ak.to_numpy(muons.charge[:, 0]), ref["Q1"])
    np.testing.assert_allclose(ak.to_numpy(muons.iso[:, 0]), ref["iso1"])
    np.testing.assert_array_equal(batch.ids["event"], ref["Event"].astype(np.int64))
    mass = ak.to_numpy((muons[:, 0] + muons[:, 1]).mass)
    counts, edges = np.histogram(mass, bins=60, range=(60, 120))
    peak = (edges[np.argmax(counts)] + edges[np.argmax(counts) + 1]) / 2
    assert abs(peak - 91.0) < 1.5 and mass.max() < 14000


def test_higgs_csv_stored_masses_reproduced(opendata):
    path = opendata(HIGGS)
    ref = _rows(path)
    with open_events(path) as src:
        assert src.format == "cms-csv-4lepton" and len(src) == 95
        assert src.info.sqrt_s == 8000.0
        batch = src.read(0, 95)
    muons, electrons = batch.collections["muons"], batch.collections["electrons"]
    assert ak.all(ak.num(muons) == 4) and ak.sum(ak.num(electrons)) == 0  # PID +-13 only
    np.testing.assert_allclose(ak.to_numpy(muons.E[:, 3]), ref["E4"], rtol=1e-5)  # E recomputed from p and m
    mass = ak.to_numpy(ak.sum(muons, axis=1).mass)
    np.testing.assert_allclose(mass, ref["M"], rtol=2e-4)  # the CSV rounds to 6 digits
    np.testing.assert_allclose(batch.ids["M"], ref["M"])
    np.testing.assert_allclose(batch.ids["mZ1"], ref["mZ1"])
    assert mass.max() < 14000


def test_resaved_with_semicolons_spaces_and_decimal_commas(opendata, tmp_path):
    src_path = opendata(ZMUMU)
    lines = src_path.read_text().splitlines()[:41]
    header = "; ".join(f" {n} " for n in lines[0].split(",")) + ";"
    body = [";".join(v.replace(".", ",") for v in line.split(",")) + ";" for line in lines[1:]]
    path = tmp_path / "Zmumu_resaved.csv"
    path.write_text("\n".join([header, *body]) + "\n")
    with open_events(src_path) as a, open_events(path) as b:
        assert len(b) == 40 and b.format == a.format
        want, got = a.read(0, 40).collections["muons"], b.read(0, 40).collections["muons"]
    np.testing.assert_allclose(ak.to_numpy(ak.flatten(got.pt)), ak.to_numpy(ak.flatten(want.pt)))
    np.testing.assert_allclose(ak.to_numpy(ak.flatten(got.phi)),
                               ak.to_numpy(ak.flatten(want.phi)))


def test_electron_csv_by_name(tmp_path):
    path = tmp_path / "Zee_Run2011A.csv"
    path.write_text("Run,Event,pt1,eta1,phi1,Q1,type1,pt2,eta2,phi2,Q2,type2\n"
                    "163286,109060857,40.1,0.5,1.0,1,1,38.2,-0.3,-2.0,-1,0\n")
    with open_events(path) as src:
        assert src.available == ("electrons",)
        ev = src[0]
    np.testing.assert_allclose(ev["electrons"].pt, [40.1, 38.2])
    assert ev["electrons"]["type"].tolist() == [1, 0]


@pytest.mark.parametrize("text, words", [
    ("a,b,c\n1,2,3\n", ["a CSV of no known column set", "found columns a, b, c"]),
    ("Run,Event,pt1,eta1,phi1,Q1,pt2,eta2,phi2,Q2\n1,2,x,0,0,1,5,0,0,-1\n",
     ["CMS open-data dilepton CSV (pt, eta, phi)", "pt1 is object", "numbers for muons"]),
    ("", ["an empty CSV file"]),
])
def test_bad_csv_is_one_line(tmp_path, text, words):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(FormatError) as err:
        open_events(path)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(str(path))
    for word in words:
        assert word in msg


def test_scan_and_info_on_csv(opendata, capsys):
    path = str(opendata(ZMUMU))
    assert main(["scan", path, "--select", "zmumu"]) == 0
    out = capsys.readouterr().out
    assert "scanned 10,583 events" in out and "9,818 zmumu candidates" in out
    assert main(["scan", str(opendata(HIGGS)), "--select", "h4l"]) == 0
    assert "82 h4l candidates" in capsys.readouterr().out
    assert main(["info", path]) == 0
    assert "layouts/cms_csv_dilepton_polar.toml (energy GeV" in capsys.readouterr().out


def test_oversized_csv_refused_before_reading(tmp_path, monkeypatch):
    import collider_viz.io.formats.csvtable as csvtable

    path = tmp_path / "huge.csv"
    path.write_text("Run,Event,pt1,eta1,phi1,Q1,pt2,eta2,phi2,Q2\n" + "1,2,3,0,0,1,4,0,0,-1\n" * 50)
    monkeypatch.setattr(csvtable, "MAX_CSV_BYTES", 1000)
    with pytest.raises(FormatError, match=r"huge.csv: a CSV of 0.0 GiB, over the 0 GiB"):
        open_events(path)


def test_export_png_of_a_csv_event(opendata, tmp_path):
    import os
    import subprocess
    import sys

    from PIL import Image

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["EGL_PLATFORM"] = "surfaceless"
    out = tmp_path / "higgs.png"
    cmd = [sys.executable, "-m", "collider_viz", "export", str(opendata(HIGGS)), "--entry", "0",
           "--size", "320x180", "-o", str(out)]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if res.returncode == 2 and "no OpenGL" in res.stderr:
        pytest.skip(res.stderr.strip())
    assert res.returncode == 0, res.stderr
    image = np.asarray(Image.open(out))
    assert image.shape == (180, 320, 4) and image[..., :3].std() > 5
