"""``collider-viz export`` on real open data: headless subprocess, overwrite, --select."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from collider_viz.cli import main

IG = "cms_ispy/DoublePhoton_Run2012B_0.ig"


def test_cli_export_headless_subprocess_without_display(opendata, tmp_path):
    path = opendata(IG)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["EGL_PLATFORM"] = "surfaceless"
    out = tmp_path / "event.png"
    cmd = [sys.executable, "-m", "collider_viz", "export", str(path), "--entry", "1",
           "--size", "320x180", "--view", "rz", "-o", str(out)]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if res.returncode == 2 and "no OpenGL" in res.stderr:
        pytest.skip(res.stderr.strip())
    assert res.returncode == 0, res.stderr
    image = np.asarray(Image.open(out))
    assert image.shape == (180, 320, 4) and image[..., :3].std() > 5


def test_cli_export_refuses_overwrite_then_forces(gl_backend, opendata, tmp_path, capsys):
    path = opendata(IG)
    out = tmp_path / "e.png"
    out.write_bytes(b"keep")
    args = ["export", str(path), "--entry", "0", "--size", "64x36", "-o", str(out)]
    assert main(args) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"keep"
    assert main(args + ["--force"]) == 0
    assert Image.open(out).size == (64, 36)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.png"]


def test_cli_export_bad_options_are_one_line_errors(capsys, tmp_path):
    assert main(["export", "x.root", "--entry", "0", "--size", "99999x10", "-o",
                 str(tmp_path / "a.png")]) == 2
    assert "outside" in capsys.readouterr().err
    assert main(["export", "x.root", "--entry", "0", "--animate", "turntable", "-o",
                 str(tmp_path / "a.png")]) == 2
    assert ".gif or .mp4" in capsys.readouterr().err


def test_cli_export_select_writes_one_file_per_candidate(gl_backend, opendata, tmp_path):
    path = opendata("cms_ispy/4lepton.ig")
    out = tmp_path / "cands"
    assert main(["export", str(path), "--select", "h4l", "--size", "96x54", "-o", str(out)]) == 0
    index = json.loads((out / "index.json").read_text())
    names = sorted(row["file"] for row in index["candidates"])
    assert len(names) == 3
    assert sorted(p.name for p in out.glob("*.png")) == names
    assert all(n.startswith("run") and "_event" in n for n in names)
    assert (out / "index.html").exists()
    assert all(row["mass"] > 100 for row in index["candidates"])


def test_cli_export_no_opengl_message(monkeypatch, capsys, tmp_path):
    from collider_viz.export import headless

    monkeypatch.setattr(headless, "_CHOSEN", None)
    monkeypatch.setattr(headless, "_selected_backend", lambda: None)
    monkeypatch.setattr(headless, "_try_backend", lambda name: False)
    rc = main(["export", "x.root", "--entry", "0", "-o", str(tmp_path / "a.png")])
    err = capsys.readouterr().err
    assert rc == 2 and "no OpenGL" in err and err.count("\n") == 1


def test_cli_candidate_marks_the_event(gl_backend, tmp_path, sample, capsys):
    """--candidate puts the preset's mass line into the picture and refuses a non-candidate."""
    from collider_viz.physics.scan import scan_files

    path = sample("higgs_diphoton_13TeV.root")
    result = scan_files([path], "hgg")
    passing = {int(e) for e in result.entry}
    entry = int(result.entry[0])
    failing = next(i for i in range(len(passing) + 1) if i not in passing)
    base = ["export", str(path), "--size", "320x180"]
    assert main([*base, "--entry", str(entry), "--candidate", "hgg",
                 "-o", str(tmp_path / "c.png")]) == 0
    assert main([*base, "--entry", str(entry), "-o", str(tmp_path / "p.png")]) == 0
    marked = np.asarray(Image.open(tmp_path / "c.png")).astype(int)
    plain = np.asarray(Image.open(tmp_path / "p.png")).astype(int)
    assert np.abs(marked - plain).sum() > 0  # mass line and highlighted photons
    capsys.readouterr()
    assert main([*base, "--entry", str(failing), "--candidate", "hgg",
                 "-o", str(tmp_path / "n.png")]) == 2
    err = capsys.readouterr().err
    assert "does not pass the hgg selection" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "n.png").exists()


def test_cli_select_refuses_a_picture_name_and_writes_no_directory(tmp_path, capsys):
    out = tmp_path / "name.png"
    rc = main(["export", "x.root", "--select", "hgg", "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and "into a directory" in err and err.count("\n") == 1
    assert not out.exists()
    assert main(["export", "x.root", "--entry", "0", "--limit", "3", "-o",
                 str(tmp_path / "a.png")]) == 2
    assert "--limit N (N >= 1) goes with --select" in capsys.readouterr().err


def test_cli_select_limit_count_estimate_and_progress(gl_backend, sample, tmp_path, capsys):
    """--limit 2 writes two pictures; the count comes first, then the estimate, then a bar."""
    path = sample("higgs_diphoton_13TeV.root")
    out = tmp_path / "cands"
    assert main(["export", str(path), "--select", "hgg", "--limit", "2", "--size", "96x54",
                 "-o", str(out)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith("hgg: ") and "writing the first 2 (--limit) pictures at 96x54" \
        in lines[0]
    assert lines[1].startswith("about ") and " in all (" in lines[1]
    assert "2/2" in captured.err and "[" in captured.err
    assert len(list(out.glob("*.png"))) == 2
