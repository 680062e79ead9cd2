"""Truncated, bit-flipped and zero-length versions of every real file and bundled sample."""

from __future__ import annotations

import io
import zipfile

import pytest
from fuzz_harness import FUZZ, run_case
from hypothesis import given
from hypothesis import strategies as st

from collider_viz.io.formats.ispy import _members

#: format label -> file (``opendata:`` in ../shared/opendata, ``sample:`` in sample_events)
FILES = {
    "tutorial": "opendata:cms_root/uproot-HZZ.root",
    "dimuon": "opendata:cms_root/uproot-Zmumu.root",
    "nanoaod": "opendata:cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root",
    "poet": "opendata:cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root",
    "hiforest": "opendata:cms_root/HiForestAOD_PbPb2010_muons.root",
    "alice-vsd": "opendata:alice/AliVSD_MasterClass_PbPb_101.root",
    "ispy": "opendata:cms_ispy/DoublePhoton_Run2012B_0.ig",
    "ispy-4lepton": "opendata:cms_ispy/4lepton.ig",
    "sample-diphoton": "sample:higgs_diphoton_13TeV.root",
    "sample-4l": "sample:higgs_4l_13TeV.root",
    "sample-star": "sample:auau_200GeV_star.root",
    "sample-alice": "sample:pbpb_5TeV_alice.root",
}
_CACHE: dict[str, bytes] = {}


@pytest.fixture(params=list(FILES))
def original(request, opendata, sample):
    """``(format label, bytes, suffix)`` of one real file or sample (skipped if absent)."""
    where, rel = FILES[request.param].split(":", 1)
    path = opendata(rel) if where == "opendata" else sample(rel)
    if request.param not in _CACHE:
        _CACHE[request.param] = path.read_bytes()
    return request.param, _CACHE[request.param], path.suffix


def test_intact_file_reads(original):
    fmt, data, suffix = original
    result = run_case(fmt, data, suffix)
    assert isinstance(result, dict) and result["n"] > 0


def test_zero_length(original):
    fmt, _, suffix = original
    run_case(fmt, b"", suffix)


@FUZZ
@given(cut=st.floats(0.0, 1.0, exclude_max=True))
def test_truncated(original, cut):
    fmt, data, suffix = original
    run_case(fmt, data[: int(len(data) * cut)], suffix)


@FUZZ
@given(positions=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=16),
       bit=st.integers(0, 7))
def test_bit_flipped(original, positions, bit):
    fmt, data, suffix = original
    damaged = bytearray(data)
    for pos in positions:
        damaged[int(pos * len(data))] ^= 1 << bit
    run_case(fmt, bytes(damaged), suffix)


@FUZZ
@given(start=st.floats(0.0, 1.0, exclude_max=True), length=st.integers(1, 4096),
       fill=st.sampled_from([b"\x00", b"\xff", b"root", b"PK\x03\x04"]))
def test_overwritten_block(original, start, length, fill):
    fmt, data, suffix = original
    pos = int(start * len(data))
    block = (fill * length)[:length]
    run_case(fmt, data[:pos] + block + data[pos + length:], suffix)


# --- the text members of .ig files ------------------------------------------------------


def _first_member(data: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        name = _members(zf.namelist())[0][2]
        return name, zf.read(name).decode("utf-8", errors="replace")


def _zip(name: str, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, text.encode("utf-8", errors="surrogatepass"))
    return out.getvalue()


_TOKENS = st.sampled_from(["(", ")", "[", "]", "{", "}", ",", ":", "'", '"', "nan", "-inf",
                           "1e999", "-", "\\", "\n", "None", "True", "x", "0x1F", "1_000",
                           "[[[[", "]]]]", "'Tracks_V3'", "{}", "[]", "\x00", "é"])


@pytest.fixture(params=["ispy", "ispy-4lepton"])
def ig_member(request, opendata):
    rel = FILES[request.param].split(":", 1)[1]
    return _first_member(opendata(rel).read_bytes())


@FUZZ
@given(edits=st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True),
                                st.integers(0, 64), _TOKENS), min_size=1, max_size=8))
def test_ig_member_text_edits(ig_member, edits):
    """Replace stretches of an event text by stray tokens, re-zip, read."""
    name, text = ig_member
    for where, cut, token in edits:
        pos = int(where * len(text))
        text = text[:pos] + token + text[pos + cut:]
    run_case("ig-text", _zip(name, text), ".ig")


@FUZZ
@given(cut=st.floats(0.0, 1.0, exclude_max=True))
def test_ig_member_truncated_text(ig_member, cut):
    name, text = ig_member
    run_case("ig-text", _zip(name, text[: int(len(text) * cut)]), ".ig")
