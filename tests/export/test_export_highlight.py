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
