"""Lecture stories: TOML model, validation messages, resolving and exporting every step."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from collider_viz.cli import main
from collider_viz.export.stories import StoryError, builtin_stories, load_story, resolve_file
from collider_viz.export.story_export import export_story
from collider_viz.export.story_steps import multiplicity_quantile_entry


def test_story_builtins_load():
    assert {"rhic", "lhc"} <= set(builtin_stories())
    rhic, lhc = load_story("rhic"), load_story("lhc")
    assert [s.value for s in rhic.steps][:4] == [0.1, 0.9, 0.98, 1.0]
    assert all(s.color_by == "pt" and s.caption for s in rhic.steps)
    assert [s.kind for s in lhc.steps].count("spectrum") == 1
    assert any(s.file.startswith("shared_opendata:") for s in lhc.steps)


@pytest.mark.parametrize("body,message", [
    ('title = "x"\n[[steps]]\ncaption = "c"\nfile = "a.root"\ncolour_by = "pt"\n',
     "step 1: unknown key 'colour_by'"),
    ('[[steps]]\ncaption = "c"\nfile = "a.root"\nview = "side"\n', "step 1: view = 'side'"),
    ('[[steps]]\nfile = "a.root"\n', "step 1: missing 'caption'"),
    ('[[steps]]\ncaption = "c"\nfile = "a.root"\nkind = "spectrum"\n', "needs 'select'"),
    ('[[steps]]\ncaption = "c"\nfile = "a.root"\nentry = "3"\n', "'entry' must be int"),
    ("steps = 3\nimport = 1\n", "unknown key 'import'"),
    ("this is not toml", "not valid TOML"),
])
def test_story_validation_names_file_and_key(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(StoryError) as info:
        load_story(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_story_missing_opendata_is_a_note(tmp_path, monkeypatch):
    monkeypatch.setenv("COLLIDER_VIZ_OPENDATA", str(tmp_path))
    monkeypatch.setattr("collider_viz.export.stories.opendata_dirs", lambda: [tmp_path])
    step = load_story("lhc").steps[3]
    path, note = resolve_file(step, tmp_path / "lhc.toml")
    assert path is None and "not available" in note


class _FakeSource:
    path = "fake"

    def __init__(self, counts):
        self.counts = np.asarray(counts)

    def __len__(self):
        return len(self.counts)

    def read(self, start, stop, collections):
        from collider_viz.physics.event import EventBatch

        return EventBatch(start=0, collections={}, ids={"nCharged": self.counts})


def test_story_multiplicity_quantile_picks_entries():
    src = _FakeSource([50, 10, 900, 300, 20])
    picks = [multiplicity_quantile_entry(src, q) for q in (0.0, 0.5, 1.0)]
    assert picks == [1, 0, 2]


def _story(tmp_path, ig):
    text = f"""title = "Test story"
[defaults]
file = "{ig}"
[[steps]]
title = "First"
entry = 0
caption = "The first event."
[[steps]]
title = "By run and event"
run = 194115
event = 651906625
view = "rphi"
caption = "Found by its numbers."
[[steps]]
title = "Diphoton spectrum"
kind = "spectrum"
select = "hgg"
bins = [10, 50.0, 200.0]
mark = 125.0
caption = "The masses."
[[steps]]
title = "Absent"
file = "shared_opendata:nothing/here.ig"
caption = "Skipped."
"""
    path = tmp_path / "test_story.toml"
    path.write_text(text)
    return path


def test_story_export_steps_through_all_entries(gl_backend, opendata, tmp_path):
    story = load_story(_story(tmp_path, opendata("cms_ispy/DoublePhoton_Run2012B_0.ig")))
    lines = []
    rows = export_story(story, tmp_path / "out", (160, 90), report=lines.append)
    assert [r["step"] for r in rows] == [1, 2, 3, 4] and len(lines) == 4
    assert [bool(r["file"]) for r in rows] == [True, True, True, False]
    assert "not available" in rows[3]["note"]
    for row in rows[:3]:
        assert Image.open(tmp_path / "out" / row["file"]).size == (160, 90)
    assert rows[1]["entry"] == 0 and rows[1]["run"] == 194115
    doc = json.loads((tmp_path / "out" / "story.json").read_text())
    assert doc["title"] == "Test story"


def test_story_cli_export_rhic(gl_backend, sample, tmp_path):
    sample("auau_200GeV_star.root")
    assert main(["story", "rhic", "--export", str(tmp_path), "--size", "320x180"]) == 0
    rows = json.loads((tmp_path / "story.json").read_text())["steps"]
    assert len(rows) == len(load_story("rhic")) and all(r["file"] for r in rows)
