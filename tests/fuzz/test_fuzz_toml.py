"""Damaged mapping TOML (``--mapping``) and story TOML files."""

from __future__ import annotations

import pytest
from fuzz_harness import FUZZ, WORK_DIR, exercise, run_case
from hypothesis import given
from hypothesis import strategies as st

NANO = "cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root"
MAPPING = b"""[tree]
name = "Events"
run = "run"
event = "event"

[source]
detector = "CMS"
sqrt_s = 13000.0

[units]
length = "cm"

[collections.muons]
counter = "nMuon"
fields = { pt = "Muon_pt", eta = "Muon_eta", phi = "Muon_phi", charge = "Muon_charge", mass = 0.1057 }

[collections.vertices]
fields = { x = "PV_x", y = "PV_y", z = "PV_z" }
"""
_TOKENS = st.sampled_from([b"[", b"]", b"{", b"}", b"=", b'"', b"'", b"\n", b"#", b".", b"0",
                           b"-inf", b"nan", b"true", b"[[steps]]", b"\xff\xfe", b"\x00",
                           b"name", b"fields", b"collections.jets", b'"Muon_pt"', b"1e999"])
_EDITS = st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(0, 24), _TOKENS),
                  min_size=1, max_size=6)


def _edit(data: bytes, edits: list[tuple[float, int, bytes]]) -> bytes:
    for where, cut, token in edits:
        pos = int(where * len(data))
        data = data[:pos] + token + data[pos + cut:]
    return data


def _check_mapping(path: str, data_file: str) -> dict:
    return exercise(data_file, mapping=path)


def test_valid_mapping_reads(opendata):
    run_case("mapping-toml", MAPPING, ".toml", check=_check_mapping,
             data_file=str(opendata(NANO)))


@FUZZ
@given(edits=_EDITS)
def test_mapping_toml_edits(opendata, edits):
    run_case("mapping-toml", _edit(MAPPING, edits), ".toml", check=_check_mapping,
             data_file=str(opendata(NANO)))


@FUZZ
@given(cut=st.floats(0.0, 1.0), flips=st.lists(st.floats(0.0, 1.0, exclude_max=True),
                                                  max_size=4))
def test_mapping_toml_truncated_and_flipped(opendata, cut, flips):
    data = bytearray(MAPPING[: int(len(MAPPING) * cut)])
    for pos in flips:
        if data:
            data[int(pos * len(data))] ^= 0x20
    run_case("mapping-toml", bytes(data), ".toml", check=_check_mapping,
             data_file=str(opendata(NANO)))


def _stories() -> dict[str, bytes]:
    try:
        from collider_viz.export.stories import builtin_stories
    except ImportError:
        return {}
    return {name: path.read_bytes() for name, path in builtin_stories().items()}


def _check_story(path: str) -> object:
    from collider_viz.export.stories import load_story

    story = load_story(path)
    assert story.steps, "a story without steps was accepted"
    return story


@pytest.fixture(params=sorted(_stories()) or ["none"])
def story_text(request):
    stories = _stories()
    if not stories:
        pytest.skip("no story loader (collider_viz.export.stories) or no built-in stories")
    return stories[request.param]


def test_builtin_story_loads(story_text):
    run_case("story-toml", story_text, ".toml", check=_check_story)


@FUZZ
@given(edits=_EDITS)
def test_story_toml_edits(story_text, edits):
    run_case("story-toml", _edit(story_text, edits), ".toml", check=_check_story)


@FUZZ
@given(cut=st.floats(0.0, 1.0))
def test_story_toml_truncated(story_text, cut):
    run_case("story-toml", story_text[: int(len(story_text) * cut)], ".toml",
             check=_check_story)


def test_story_zero_length():
    if not _stories():
        pytest.skip("no story loader (collider_viz.export.stories)")
    run_case("story-toml", b"", ".toml", check=_check_story)
    assert (WORK_DIR / "case.toml").exists()
