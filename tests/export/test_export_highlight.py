"""An exported 2e2μ candidate highlights its electrons AND its muons."""

from __future__ import annotations

from collider_viz import open_events
from collider_viz.export.scene_bridge import configure
from collider_viz.physics.detector import load_detector
from collider_viz.physics.scan import scan_files


def test_configure_highlights_every_collection_of_the_candidate(gl_backend, sample):
    from collider_viz.scene import EventCanvas

    path = sample("higgs_4l_13TeV.root")
    result = scan_files([path], "h4l")
    mixed = next(result.candidate(i) for i in range(len(result))
                 if len(result.candidate(i)["objects"].get("electrons", [])) == 2
                 and len(result.candidate(i)["objects"].get("muons", [])) == 2)
    with open_events(path) as src:
        event = src[mixed["entry"]]
    ec = EventCanvas(size=(320, 180))
    configure(ec, event, load_detector("CMS"), highlight=mixed["objects"])
    shown = {k: sorted(int(i) for i in v) for k, v in ec.highlighted().items()}
    assert shown == {k: sorted(int(i) for i in v) for k, v in mixed["objects"].items()}


def test_a_highlighted_track_or_muon_is_not_photon_yellow():
    """Highlighting keeps photons yellow and lifts every other collection towards white."""
    import numpy as np

    from collider_viz.scene.style import Style

    style = Style()
    photon = style.color("photons")[:3]
    assert np.abs(style.highlight_color("photons")[:3] - photon).max() < 0.15
    for name in ("tracks", "muons", "electrons", "jets"):
        lifted = style.highlight_color(name)[:3]
        assert np.abs(lifted - photon).max() > 0.3, name  # at least one channel far from yellow
        assert lifted.min() >= 0.65  # brighter than the object itself
    assert style.highlight_color("muons")[0] > style.highlight_color("muons")[1]  # still reddish
