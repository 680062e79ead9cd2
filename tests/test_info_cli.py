"""``collider-viz info``: text and JSON summaries, unknown files, mappings."""

from __future__ import annotations

import json
import subprocess
import sys

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz.cli import main
from collider_viz.io.formats.mapping import parse_mapping

NANO = "cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root"
NANO_TOTALS = {"photons": 79, "electrons": 69, "muons": 41, "jets": 537, "met": 200,
               "vertices": 200}


def _info_json(capsys, *argv) -> dict:
    assert main(["info", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one JSON object
    return json.loads(out)


def test_json_on_real_nanoaod(opendata, capsys):
    summary = _info_json(capsys, str(opendata(NANO)))
    assert summary["format"] == "nanoaod" and summary["n_events"] == 200
    assert summary["collections"] == NANO_TOTALS
    assert summary["first_event"] == {"run": 1, "lumi": 2272915, "event": 227291401}
    assert (summary["detector"], summary["collision_system"]) == ("CMS", "pp")
    # simulation (run 1): √s from the file name's year, nanoAOD_2015_... -> 13 TeV
    assert summary["sqrt_s"] == 13000.0 and summary["label"].startswith("CMS Open Data")


def test_text_on_real_nanoaod(opendata, capsys):
    assert main(["info", str(opendata(NANO))]) == 0
    out = capsys.readouterr().out
    assert "nanoaod" in out and "200" in out and "227291401" in out
    assert any(line.split()[:2] == ["jets", "537"] for line in out.splitlines())


def test_totals_read_only_counters(opendata, capsys, monkeypatch):
    import uproot.behaviors.TBranch as tb

    read: list[str] = []
    real = tb._ranges_or_baskets_to_arrays

    def spy(hasbranches, ranges_or_baskets, *args, **kwargs):
        read.extend(branch.name for branch, _, _ in ranges_or_baskets)
        return real(hasbranches, ranges_or_baskets, *args, **kwargs)

    monkeypatch.setattr(tb, "_ranges_or_baskets_to_arrays", spy)
    _info_json(capsys, str(opendata(NANO)))
    assert {"nPhoton", "nJet"} <= set(read)
    assert not any(b.startswith(("Photon_", "Jet_", "Muon_", "Electron_")) for b in read)


def _write_tree(path, name: str, cols: dict, strings: dict | None = None) -> None:
    with uproot.recreate(path) as f:
        for key, text in (strings or {}).items():
            f[key] = text
        f.mktree(name, {k: v.type if isinstance(v, ak.Array) else v.dtype
                        for k, v in cols.items()}).extend(cols)


def test_sample_file(tmp_path, capsys):
    meta = {"sqrt_s": 5020.0, "collision_system": "Pb+Pb", "detector": "ALICE",
            "label": "Simulation", "is_simulation": True}
    cols = {"run": np.ones(2, np.int64), "luminosityBlock": np.ones(2, np.int64),
            "event": np.array([4, 5], np.int64), "Collision_b": np.array([3.0, 9.0], np.float32),
            "Track": ak.zip({"pt": ak.Array([[1.0, 2.0], [3.0]]),
                             "eta": ak.Array([[0.0, 0.1], [0.2]]),
                             "phi": ak.Array([[0.0, 1.0], [2.0]])})}
    path = tmp_path / "tiny.root"
    _write_tree(path, "Events", cols, {"collider_viz_metadata": json.dumps(meta)})
    summary = _info_json(capsys, str(path))
    assert summary["format"] == "sample" and summary["collections"] == {"tracks": 3}
    assert summary["collision_system"] == "Pb+Pb" and summary["sqrt_s"] == 5020.0
    assert summary["first_event"] == {"run": 1, "lumi": 1, "event": 4}


@pytest.fixture
def unknown_file(tmp_path):
    cols = {"runNumber": np.array([9, 9], np.int32), "evt": np.array([1, 2], np.int64),
            "mu": ak.zip({"pt": ak.Array([[25.0], [30.0, 12.0]]), "eta": ak.Array([[0.1], [1, 2]]),
                          "phi": ak.Array([[0.5], [1, -1]]), "q": ak.Array([[1], [1, -1]])})}
    path = tmp_path / "mystery.root"
    with uproot.recreate(path) as f:
        f.mkdir("analysis").mktree("tree", {k: v.type if isinstance(v, ak.Array) else v.dtype
                                            for k, v in cols.items()}).extend(cols)
    return path


def test_unknown_file_lists_branches_and_suggests_mapping(unknown_file, tmp_path, capsys):
    assert main(["info", str(unknown_file)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "no known event format" in captured.err
    assert "analysis/tree: 2 entries" in captured.out and "mu_pt" in captured.out
    mapping = captured.out[captured.out.index("# collider_viz mapping"):]
    spec = parse_mapping(mapping)
    assert spec.tree == "analysis/tree" and spec.ids == {"run": "runNumber", "event": "evt"}
    assert spec.collections["muons"].fields["charge"] == "mu_q"
    toml = tmp_path / "mapping.toml"
    toml.write_text(mapping)
    summary = _info_json(capsys, str(unknown_file), "--mapping", str(toml))
    assert summary["format"] == "mapping" and summary["collections"] == {"muons": 3}
    assert summary["first_event"] == {"run": 9, "lumi": None, "event": 1}


def test_unknown_file_json(unknown_file, capsys):
    assert main(["info", str(unknown_file), "--json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["trees"]["analysis/tree"]["entries"] == 2
    assert "[collections.muons]" in report["mapping"]


def test_bad_mapping_exits_2(unknown_file, tmp_path, capsys):
    toml = tmp_path / "bad.toml"
    toml.write_text("[tree]\nname = 'analysis/tree'\n[collections.muons]\nfields = {pt = 'mu_pt'}\n")
    assert main(["info", str(unknown_file), "--mapping", str(toml)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.toml: collections.muons.fields" in err


def test_command_line_process(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("not root")
    proc = subprocess.run([sys.executable, "-m", "collider_viz", "info", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "plain.txt: not a ROOT file" in proc.stderr


def test_unknown_csv_round_trip(tmp_path, capsys):
    path = tmp_path / "my_pairs.csv"
    path.write_text("run,evt,pt1,eta1,phi1,Q1,pt2,eta2,phi2,Q2\n"
                    "1,10,40.0,0.1,0.0,1,45.0,-0.2,3.0,-1\n2,11,30.0,1.1,1.0,-1,35.0,0.5,-2.0,1\n")
    assert main(["info", str(path)]) == 2
    captured = capsys.readouterr()
    assert "no known column set" in captured.err and "csv: 2 entries" in captured.out
    mapping = captured.out[captured.out.index("# collider_viz mapping"):]
    toml = tmp_path / "pairs.toml"
    toml.write_text(mapping)
    summary = _info_json(capsys, str(path), "--mapping", str(toml))
    assert summary["collections"] == {"muons": 4}
    assert summary["first_event"] == {"run": 1, "lumi": None, "event": 10}


@pytest.mark.parametrize("argv, words", [
    (["{tmp}/absent.root"], ["no such file"]),
    (["{tmp}/plain.txt"], ["not a ROOT file"]),
    (["{tmp}/plain.txt", "--mapping", "{tmp}/absent.toml"], ["absent.toml"]),
])
def test_json_error_is_one_object(tmp_path, capsys, argv, words):
    (tmp_path / "plain.txt").write_text("not root")
    args = [a.format(tmp=tmp_path) for a in argv]
    assert main(["info", *args, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 1
    report = json.loads(captured.out)
    assert set(report) == {"file", "error"} and all(w in report["error"] for w in words)
    assert captured.err.count("\n") == 1


def test_not_read_listed_text_and_json(opendata, capsys):
    path = str(opendata("cms_root/uproot-Zmumu.root"))
    summary = _info_json(capsys, path)
    assert summary["n_events"] == 500 and summary["collections"] == {"muons": 1000}
    (name, why), = summary["not_read"]
    assert name == "1804 repeated rows" and "kept: GG 500" in why
    assert main(["info", path]) == 0
    out = capsys.readouterr().out
    assert "events       500" in out and "not read     1804 repeated rows: 2304 rows" in out
