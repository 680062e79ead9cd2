"""The event-plane layer: Ψ2 drawn through the beam in ρ-φ for heavy-ion events, not for pp."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from collider_viz.physics import flow
from collider_viz.scene.event_plane import NUCLEAR_RADIUS_FM, almond, drawn_radius

SAMPLES = Path(__file__).resolve().parents[2] / "sample_events"
AUAU = SAMPLES / "auau_200GeV_star.root"
PP = SAMPLES / "higgs_4l_13TeV.root"
MID_CENTRAL = 25  # b = 7.7 fm, 20–30 % (the sample is ordered by impact parameter)


def _event(path: Path, entry: int):
    if not path.exists():
        pytest.skip(f"sample {path.name} not built (run make samples)")
    from collider_viz.io.registry import open_events
    from collider_viz.physics.detector import load_detector

    with open_events(str(path)) as source:
        return source[entry], load_detector(source.info.detector)


def _drawn(canvas, event, detector, theme="dark"):
    canvas.set_event(event, detector)
    canvas.set_view("rphi")
    return canvas.render()


def _pixels_at(canvas, image, angle, radius):
    """RGB of the 3×3 neighbourhood of the pixel at (radius, angle) in ρ-φ."""
    point = np.array([[radius * np.cos(angle), radius * np.sin(angle), 0.0]])
    x, y = np.rint(canvas.project(point)[0]).astype(int)
    return image[y - 1:y + 2, x - 1:x + 2, :3].reshape(-1, 3).astype(int)


def _has(pixels, rgb, tol=40):
    return bool((np.abs(pixels - np.array(rgb)).max(axis=1) <= tol).any())


@pytest.mark.parametrize("theme, rgb", [("dark", (255, 255, 255)), ("light", (0, 0, 0))])
def test_psi2_arrow_is_drawn_along_the_event_plane(make_canvas, theme, rgb):
    event, detector = _event(AUAU, MID_CENTRAL)
    psi = flow.event_plane(event.get("tracks"))
    canvas = make_canvas(size=(500, 500), theme=theme)
    image = _drawn(canvas, event, detector)
    r = 0.8 * drawn_radius(detector)
    for side in (0.0, np.pi):
        assert _has(_pixels_at(canvas, image, psi + side, r), rgb), f"no arrow at Ψ2 + {side:g}"
        assert not _has(_pixels_at(canvas, image, psi + side + np.pi / 2, r), rgb, tol=10)
    assert canvas.n_drawn("event_plane") == 1

    canvas.set_collection_visible("event_plane", False)
    hidden = canvas.render()
    assert not _has(_pixels_at(canvas, hidden, psi, r), rgb, tol=10)


def test_only_in_rphi_and_not_for_pp(make_canvas):
    event, detector = _event(AUAU, MID_CENTRAL)
    canvas = make_canvas(size=(300, 300))
    canvas.set_event(event, detector)
    canvas.set_view("rz")
    assert not canvas.layers["event_plane"].line.visual.visible
    assert not any("event plane" in line for line in canvas.notice_lines())
    canvas.set_view("rphi")
    assert canvas.layers["event_plane"].line.visual.visible
    b = event.meta.extra["b"]
    assert any(line.startswith("Arrow: event plane Ψ2") and f"b = {b:.1f} fm" in line
               for line in canvas.notice_lines())

    pp, pp_detector = _event(PP, 0)
    canvas.set_event(pp, pp_detector)
    assert canvas.n_drawn("event_plane") == 0
    assert not canvas.layers["event_plane"].line.visual.visible


def test_almond_is_the_overlap_of_two_nuclei():
    b, r, psi = 6.0, NUCLEAR_RADIUS_FM, 0.4
    outline = almond(b, psi, scale=1.0)
    u = np.array([np.cos(psi), np.sin(psi)])
    along, across = outline @ u, outline @ np.array([-u[1], u[0]])
    # short axis along the reaction plane: 2R − b; long axis: 2 sqrt(R² − b²/4)
    assert np.ptp(along) == pytest.approx(2 * r - b, rel=1e-3)
    assert np.ptp(across) == pytest.approx(2 * np.sqrt(r**2 - b**2 / 4), rel=1e-2)
    assert np.allclose(outline[0], outline[-1])
    assert len(almond(2 * r + 0.1, psi, 1.0)) == 0 and len(almond(np.nan, psi, 1.0)) == 0
