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
