"""iSpy reader and the safe .ig parser, on the real CMS .ig files."""

from __future__ import annotations

import itertools
import json
import re
import time
import zipfile

import awkward as ak
import numpy as np
import pytest

from collider_viz import FormatError, open_events
from collider_viz.io.formats import ispy as ispy_module
from collider_viz.io.igparse import IgSyntaxError, parse_event

DIPHOTON = "cms_ispy/DoublePhoton_Run2012B_0.ig"
FOUR_LEPTON = "cms_ispy/4lepton.ig"


def _reference(path, member: str) -> dict:
    """The test's own reading of one member: plain JSON after spelling nan as NaN."""
    text = zipfile.ZipFile(path).read(member).decode()
    return json.loads(re.sub(r"\bnan\b", "NaN", text))


def _rows(event: dict, collection: str, *fields: str) -> list[tuple]:
    names = [f[0] for f in event["Types"][collection]]
    return [tuple(row[names.index(f)] for f in fields)
            for row in event["Collections"][collection]]


def _members(path) -> list[str]:
    names = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("Events/")]
    return sorted(names, key=lambda n: tuple(int(x) for x in re.findall(r"\d+", n)))


def test_diphoton_detected_sorted_with_times(opendata):
    src = open_events(opendata(DIPHOTON))
    assert src.format == "ispy" and len(src) == 25
    assert src.info.sqrt_s == 8000.0 and not src.info.is_simulation
    ids = src.event_ids()
    assert (ids["run"] == 194115).all() and (np.diff(ids["event"]) > 0).all()
    event = src[0]
    assert (event.meta.run, event.meta.event, event.meta.lumi) == (194115, 651906625, 702)
    assert event.meta.time == "2012-05-14T05:37:30.740960+00:00"


def test_diphoton_counts_and_photons_match_text(opendata):
    path = opendata(DIPHOTON)
    src = open_events(path)
    counts = src.reader.counts()
    batch = src.read(0, len(src))
    n_pairs = 0
    for i, member in enumerate(_members(path)):
        ref = _reference(path, member)
        assert counts["tracks"][i] == len(ref["Collections"]["Tracks_V3"])
        photons = _rows(ref, "Photons_V1", "et", "eta", "phi")
        got = batch.collections["photons"][i]
        np.testing.assert_allclose(ak.to_numpy(got.pt), [p[0] for p in photons])
        np.testing.assert_allclose(ak.to_numpy(got.eta), [p[1] for p in photons])
        if len(photons) >= 2:
            (et1, eta1, phi1), (et2, eta2, phi2) = photons[:2]
            expected = np.sqrt(2 * et1 * et2 * (np.cosh(eta1 - eta2) - np.cos(phi1 - phi2)))
            assert float((got[0] + got[1]).mass) == pytest.approx(expected, rel=1e-6)
            n_pairs += 1
    assert n_pairs >= 20
    assert counts["photons"].sum() == 57 and counts["tracks"].sum() == 2643
    assert (counts["met"] == 1).all()


def test_positions_are_metres(opendata):
    event = open_events(opendata(DIPHOTON))[3]
    calo = event["calo"]
    eb = calo[calo.subdet == "EB"]
    radius = np.hypot(ak.to_numpy(eb.x), ak.to_numpy(eb.y))
    assert len(eb) > 50 and ((radius > 1.27) & (radius < 1.33)).all()  # ECAL barrel front
    vertex = event["vertices"][0]
    assert abs(vertex.z) < 0.3 and np.hypot(vertex.x, vertex.y) < 0.01
    assert set(np.unique(ak.to_numpy(calo.subdet))) <= {"EB", "EE", "HB", "HE", "HF", "HO"}


def test_reading_one_event_reads_one_member(opendata, monkeypatch):
    src = open_events(opendata(DIPHOTON))
    read: list[str] = []
    original = ispy_module.read_member

    def spy(zf, name, *args):
        read.append(name)
        return original(zf, name, *args)

    monkeypatch.setattr(ispy_module, "read_member", spy)
    event = src[7]
    assert read == [f"Events/Run_194115/Event_{event.meta.event}"]
    src.read(10, 14, ["photons"])
    assert len(read) == 5


def test_four_lepton_candidates_near_125(opendata, capsys):
    src = open_events(opendata(FOUR_LEPTON))
    assert src.format == "ispy" and len(src) == 3
    assert list(src.event_ids()["run"]) == [178424, 193575, 195099]
    masses = []
    for event in src:
        muons = event["muons"][event["muons"].pt > 5]
        electrons = event["electrons"][event["electrons"].pt > 7]
        leptons = list(muons) + list(electrons)
        assert len(leptons) >= 4
        neutral = [c for c in itertools.combinations(leptons, 4)
                   if sum(int(lep.charge) for lep in c) == 0]
        best = max(neutral, key=lambda c: sum(lep.pt for lep in c))
        mass = float((best[0] + best[1] + best[2] + best[3]).mass)
        masses.append(mass)
        with capsys.disabled():
            print(f"\n4-lepton candidate {event.meta.run}:{event.meta.event} "
                  f"({len(muons)} mu, {len(electrons)} e): m4l = {mass:.1f} GeV")
    assert all(115 < m < 135 for m in masses)


def test_parse_time_of_real_files(opendata, capsys):
    for rel in (DIPHOTON, FOUR_LEPTON):
        path = opendata(rel)
        start = time.perf_counter()
        open_events(path).reader.counts()
        elapsed = time.perf_counter() - start
        with capsys.disabled():
            print(f"\n{rel}: all events parsed in {elapsed:.2f} s")
        assert elapsed < 30


def _ig_file(tmp_path, text: str):
    path = tmp_path / "evil.ig"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Header", '"CMSSW"')
        zf.writestr("Events/Run_1/Event_1", text)
    return path


def test_code_in_member_is_rejected_not_run(tmp_path):
    marker = tmp_path / "pwned"
    payload = ("{'Types': {'Event_V2': [('run', 'int')]}, 'Collections': {'Event_V2': "
               f"[[__import__('os').system('touch {marker}')]]}}, 'Associations': {{}}}}")
    src = open_events(_ig_file(tmp_path, payload))
    assert src.format == "ispy"
    with pytest.raises(FormatError, match="unexpected name '__import__'"):
        src[0]
    assert not marker.exists()


def test_code_inside_strings_stays_a_string(tmp_path):
    text = ('{"Types": {"Event_V2": [["run", "int"], ["time", "string"]]}, '
            '"Collections": {"Event_V2": [[5, "__import__(\'os\')"]]}}')
    event = open_events(_ig_file(tmp_path, text))[0]
    assert event.meta.run == 5 and event.meta.time == "__import__('os')"


def test_malformed_member_is_format_error(tmp_path):
    src = open_events(_ig_file(tmp_path, '{"Types": {}, "Collections": {"a": [1, 2}'))
    with pytest.raises(FormatError, match="Events/Run_1/Event_1"):
        src[0]


def test_parser_accepts_python_literal_spellings():
    event = parse_event("{'Types': {'A_V1': [('x', 'double')]}, "
                        "'Collections': {'A_V1': [(nan,), (-inf,), (1e-05,)]}}")
    values = [row[0] for row in event["Collections"]["A_V1"]]
    assert np.isnan(values[0]) and values[1] == -np.inf and values[2] == 1e-05
    with pytest.raises(IgSyntaxError):
        parse_event("{'Types': {}, 'Collections': {'A': [open('x')]}}")
