"""Annotation text: content and where it is drawn."""

from __future__ import annotations

import numpy as np

from collider_viz.export.annotate import (
    annotation_box,
    annotation_lines,
    draw_annotation,
    font_path,
    format_sqrt_s,
)


def test_annotation_lines_name_experiment_ids_energy_and_mass(event):
    lines = annotation_lines(event, "H→γγ candidate, m = 125.0 GeV")
    assert lines[0] == "Simulation — Pythia 8"
    assert "Run 1, Lumi 2, Event 42" in lines
    assert "Recorded 2012-05-14 05:37" in lines
    assert "√s = 13 TeV, pp" in lines
    assert lines[-1].endswith("125.0 GeV")


def test_annotation_energy_format_for_nuclei():
    assert format_sqrt_s(200.0, "Au+Au") == "√sNN = 200 GeV, Au+Au"
    assert format_sqrt_s(5020.0, "Pb+Pb") == "√sNN = 5.02 TeV, Pb+Pb"


def test_annotation_uses_dejavu_and_draws_in_top_left_box(event):
    assert font_path() is not None and font_path().name == "DejaVuSans.ttf"
    image = np.zeros((180, 320, 4), np.uint8)
    image[..., 3] = 255
    lines = annotation_lines(event)
    out = draw_annotation(image, lines, "dark")
    x0, y0, x1, y1 = annotation_box((320, 180), lines)
    changed = np.any(out != image, axis=-1)
    assert changed[y0:y1, x0:x1].any()
    assert not changed[y1 + 2:, :].any()


def test_export_writes_the_canvas_notices_bottom_left(gl_backend, event):
    from collider_viz.export import image as im
    from collider_viz.export import scene_bridge
    from collider_viz.physics.event import particles

    pt = np.array([5.0, np.nan, 3.0])
    event.collections["tracks"] = particles(pt, np.zeros(3), np.zeros(3), np.full(3, 0.14),
                                            np.ones(3), vx=np.zeros(3), vy=np.zeros(3),
                                            vz=np.zeros(3))
    opts = im.ImageOptions(size=(480, 270))
    ec = im.prepare_canvas(event, im.detector_for(event), opts)
    try:
        notes = ec.notice_lines()
        assert any("skipped" in line for line in notes), notes
        assert ec.notices.text is None  # no text visual built for a picture
        image, got = im.render_scene(ec, opts.size)
        assert got == notes and ec.notice_lines() == notes
        ec.notices.set_drawn(True)  # what the window (and a composite's panel) draws
        assert not np.array_equal(image, scene_bridge.render(ec, opts.size))
    finally:
        ec.close()
    with_notes = im.finish(image, event, opts, got)
    changed = np.any(with_notes != im.finish(image, event, opts, []), axis=-1)
    rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    assert len(rows) and rows.min() > 0.75 * 270 and rows.max() < 270 and cols.min() < 20
