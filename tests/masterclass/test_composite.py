"""The picture of record: three views side by side, each panel drawn (pixels), one annotation."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

SAMPLE = Path(__file__).resolve().parents[2] / "sample_events" / "higgs_4l_13TeV.root"


@pytest.fixture(scope="module")
def gl_backend():
    from collider_viz.export.headless import NoOpenGLError, setup_headless

    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    try:
        return setup_headless(prefer_egl=not has_display)
    except NoOpenGLError as exc:
        pytest.skip(str(exc))


def _lit(panel: np.ndarray) -> float:
    """Fraction of pixels differing from the panel's corner (background) colour."""
    background = panel[panel.shape[0] // 2, 2, :3].astype(int)
    return float(np.mean(np.abs(panel[..., :3].astype(int) - background).sum(-1) > 40))


def test_three_nonempty_panels_via_cli(gl_backend, tmp_path):
    from collider_viz.cli import main
    from collider_viz.export.composite import panel_bounds

    out = tmp_path / "record.png"
    assert main(["export", str(SAMPLE), "--entry", "0", "--layout", "triptych",
                 "--size", "1200x400", "-o", str(out)]) == 0
    image = np.asarray(Image.open(out).convert("RGBA"))
    assert image.shape == (400, 1200, 4)
    panels = [image[60:-60, x0 + 4:x1 - 4] for x0, x1 in panel_bounds(1200)]
    lit = [_lit(p) for p in panels]
    assert all(f > 0.02 for f in lit), lit  # each view drew something
    # the three are different views, not one picture repeated
    assert not np.array_equal(panels[0][:, :380], panels[1][:, :380])
    assert not np.array_equal(panels[1][:, :380], panels[2][:, :380])
    # one annotation block, top-left of the whole picture only: bright text in panel 1's corner
    corner = image[10:40, 10:200, :3].max(-1)
    assert (corner > 200).sum() > 50


def test_triptych_refused_with_animation_or_select(tmp_path, capsys):
    from collider_viz.cli import main

    assert main(["export", str(SAMPLE), "--select", "h4l", "--layout", "triptych",
                 "-o", str(tmp_path / "d")]) == 2
    assert "--layout triptych" in capsys.readouterr().err
