"""Render the README picture of a central Pb+Pb event: 3D and ρ-φ side by side, pT colours.

Usage (needs a display or Xvfb)::

    xvfb-run -a python benchmarks/pbpb_screenshot.py [docs/pbpb_central.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_events" / "pbpb_5TeV_alice.root"
PANEL = (960, 1080)


def most_central_entry(source) -> int:
    """Entry with the most tracks (read from the counters only)."""
    return int(np.argmax(source.reader.counts()["tracks"]))


def panels(event, detector, lines: list[str]) -> list[np.ndarray]:
    """The 3D and ρ-φ renderings of ``event``, each :data:`PANEL` pixels."""
    from collider_viz.scene import EventCanvas

    canvas = EventCanvas(size=PANEL)
    try:
        canvas.set_event(event, detector)
        canvas.set_color_by("pt")
        canvas.set_line_width(1.0)
        out = []
        for view, camera in (("3d", {"scale_factor": 10.0, "elevation": 24.0, "azimuth": -38.0}),
                             ("rphi", {"rect": (-3.2, -3.2, 6.4, 6.4)})):
            canvas.set_view(view)
            for key, value in camera.items():
                setattr(canvas.view.camera, key, value)
            canvas.set_overlay(lines if view == "3d" else [])
            out.append(canvas.render())
        return out
    finally:
        canvas.close()


def main(argv: list[str]) -> int:
    from collider_viz.io.registry import open_events
    from collider_viz.physics.detector import load_detector
    from collider_viz.scene.render import ensure_app
    from collider_viz.scene.summary import SourceStats, overlay_lines

    ensure_app()
    target = Path(argv[0]) if argv else ROOT / "docs" / "pbpb_central.png"
    source = open_events(str(SAMPLE))
    event = source[most_central_entry(source)]
    info = source.info
    lines = [f"{info.detector} · {info.label}", f"√sNN = {info.sqrt_s / 1000:g} TeV, {info.collision_system}"]
    lines += overlay_lines(event, SourceStats.from_source(source))
    left, right = panels(event, load_detector(info.detector), lines)
    picture = np.concatenate([left, right], axis=1)
    picture[:, PANEL[0] - 1:PANEL[0] + 1, :3] = 60
    target.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(picture[..., :3]).save(target)
    print(f"wrote {target} ({picture.shape[1]}x{picture.shape[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
