"""Flow dock: shown for heavy-ion files with the event's dN/d(φ − Ψ2) and the file's v2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "sample_events"


def test_flow_dock_on_the_auau_sample_and_hidden_for_pp(window, open_wait, tmp_path):
    auau, pp = SAMPLES / "auau_200GeV_star.root", SAMPLES / "higgs_4l_13TeV.root"
    if not (auau.exists() and pp.exists()):
        pytest.skip("samples not generated (make samples)")
    open_wait(window, str(auau), entry=45)  # a 40–50 % event
    panel = window.flow_dock.widget()
    assert window.flow_dock.isVisible()
    assert np.isfinite(panel.v2_obs) and -0.3 < panel.v2_obs < 0.3
    assert panel.file_result is not None and panel.file_result["n_events"] == 130
    labels = [t.get_text() for t in panel.ax_file.get_legend().get_texts()]
    assert any("STAR" in t for t in labels) and any("this file" in t for t in labels)
    assert panel.ax_event.lines  # the fitted curve
    window.grab().save(str(tmp_path / "flow_window.png"))
    open_wait(window, str(pp))
    assert not window.flow_dock.isVisible()
