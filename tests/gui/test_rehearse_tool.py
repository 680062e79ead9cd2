"""The rehearsal tool writes one non-blank picture per state of the window and of a story."""

from __future__ import annotations

import numpy as np
from PIL import Image


def test_rehearse_rhic_story(tmp_path, qtbot, sample):
    from collider_viz.export.stories import load_story
    from collider_viz.tools.rehearse import main

    small = sample("auau_200GeV_star.root")  # 130 events: a quick scan
    assert main([str(tmp_path), "--file", str(small), "--story", "rhic",
                 "--settle", "0.2"]) == 0
    pngs = sorted(tmp_path.glob("*.png"))
    assert len(pngs) == 6 + len(load_story("rhic")) + 2
    assert any("next_candidate" in p.name for p in pngs)
    for path in pngs:
        image = np.asarray(Image.open(path).convert("RGB")).astype(float)
        assert image.std() > 5, path.name  # something is drawn
