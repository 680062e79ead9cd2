"""``collider-viz flow``: JSON layout, plot with references, refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from collider_viz.commands.flow import measure

SAMPLES = Path(__file__).resolve().parents[1] / "sample_events"
AUAU = SAMPLES / "auau_200GeV_star.root"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "collider_viz", "flow", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def auau() -> dict:
    if not AUAU.exists():
        pytest.skip("sample_events/auau_200GeV_star.root not generated (make samples)")
    return measure(str(AUAU))


def test_json_layout(auau):
    assert auau["n_events"] == 130 and auau["method"] == "v2{2, |Δη| > 1}"
    assert {"label", "lo", "hi", "n_events", "v2", "v2_err"} <= set(auau["classes"][0])
    assert sum(c["n_events"] for c in auau["classes"]) == 130
    assert set(auau["all"]) == {"v2", "v2_err", "n_events"}
    assert auau["centrality_from"] == ["generator impact parameter"]


def test_cli_writes_json_and_plot_atomically(tmp_path):
    if not AUAU.exists():
        pytest.skip("sample_events/auau_200GeV_star.root not generated (make samples)")
    out, png = tmp_path / "v2.json", tmp_path / "v2.png"
    done = _cli(str(AUAU), "--json", str(out), "--plot", str(png))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["n_events"] == 130
    from PIL import Image
    image = np.asarray(Image.open(png).convert("RGB"))
    assert image.shape[0] > 400 and image.std() > 10  # something drawn
    again = _cli(str(AUAU), "--json", str(out))
    assert again.returncode != 0 and "exists" in again.stderr.lower()


def test_pp_file_is_refused_in_one_line():
    pp = SAMPLES / "higgs_4l_13TeV.root"
    if not pp.exists():
        pytest.skip("sample_events/higgs_4l_13TeV.root not generated (make samples)")
    done = _cli(str(pp), "--json", "-")
    assert done.returncode != 0
    assert "flow needs a heavy-ion file" in done.stderr and len(done.stderr.strip().splitlines()) == 1
