"""CMS's own trajectories from .ig files: Bézier of the recorded states, hits, muon points."""

from __future__ import annotations

import json
import re
import zipfile

import awkward as ak
import numpy as np

from collider_viz import open_events

DIPHOTON = "cms_ispy/DoublePhoton_Run2012B_0.ig"
FOUR_LEPTON = "cms_ispy/4lepton.ig"
MASTERCLASS = "cms_ispy/masterclass_DoubleMu2016G_5.ig"


def _reference(path, member: str) -> dict:
    text = zipfile.ZipFile(path).read(member).decode()
    return json.loads(re.sub(r"\bnan\b", "NaN", text))


def _members(path) -> list[str]:
    names = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("Events/")]
    return sorted(names, key=lambda n: tuple(int(x) for x in re.findall(r"\d+", n)))


def _linked(ref: dict, association: str) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for (_, src), (_, dst) in ref["Associations"].get(association, []):
        out.setdefault(src, []).append(dst)
    return out


def _path(obj) -> np.ndarray:
    return np.stack([ak.to_numpy(obj[f"path_{a}"]) for a in "xyz"], axis=1)


def test_track_paths_end_on_the_recorded_outer_state(opendata, capsys):
    for rel, coll in ((DIPHOTON, "Tracks_V3"), (MASTERCLASS, "Tracks_V4")):
        path = opendata(rel)
        src = open_events(path)
        ends, n_tracks = [], 0
        for i, member in enumerate(_members(path)[:6]):
            ref = _reference(path, member)
            extras = ref["Collections"]["Extras_V1"]
            tracks = src[i]["tracks"]
            assert len(tracks) == len(ref["Collections"][coll])
            n_tracks += len(tracks)
            for t, (e,) in _linked(ref, "TrackExtras_V1").items():
                pos_1, _, pos_2, _ = (np.array(v, float) for v in extras[e])
                if not np.any(pos_2):
                    assert len(tracks[t].path_x) == 0   # no outer state: no recorded path
                    continue
                drawn = _path(tracks[t])
                assert len(drawn) == 33
                assert np.linalg.norm(drawn[0] - pos_1) < 1e-9
                ends.append(np.linalg.norm(drawn[-1] - pos_2))
        with capsys.disabled():
            print(f"\n{rel}: {len(ends)} of {n_tracks} tracks end at their recorded outer "
                  f"state (max distance {max(ends) * 1e3:.3g} mm)")
        assert len(ends) > 0.4 * n_tracks and max(ends) < 1e-3


def test_bezier_is_the_one_ispy_webgl_draws(opendata):
    """Midpoint of iSpy-WebGL's curve: (p1 + 3 c1 + 3 c2 + p2) / 8, c = p -/+ chord/4 * unit dir."""
    path = opendata(DIPHOTON)
    member = _members(path)[2]
    ref = _reference(path, member)
    track = open_events(path)[2]["tracks"]
    extras = ref["Collections"]["Extras_V1"]
    for t, (e,) in list(_linked(ref, "TrackExtras_V1").items())[:20]:
        p1, d1, p2, d2 = (np.array(v, float) for v in extras[e])
        scale = 0.25 * np.linalg.norm(p2 - p1)
        c1 = p1 + scale * d1 / np.linalg.norm(d1)
        c2 = p2 - scale * d2 / np.linalg.norm(d2)
        np.testing.assert_allclose(_path(track[t])[16], (p1 + 3 * c1 + 3 * c2 + p2) / 8, atol=1e-9)


def test_muon_paths_are_cms_propagated_points(opendata):
    checked, beyond = 0, 0.0
    for rel, assoc in ((FOUR_LEPTON, "MuonGlobalPoints_V1"), (MASTERCLASS, "PATMuonGlobalPoints_V1")):
        path = opendata(rel)
        src = open_events(path)
        for i, member in enumerate(_members(path)):
            ref = _reference(path, member)
            points = ref["Collections"]["Points_V1"]
            muons = src[i]["muons"]
            glob = muons[muons.kind == "global"]
            for m, idx in _linked(ref, assoc).items():
                drawn = _path(glob[m])
                np.testing.assert_array_equal(drawn, np.array([points[j][0] for j in idx]))
                beyond = max(beyond, float(np.hypot(*drawn[-1, :2])))
                checked += 1
    assert checked >= 20
    assert beyond > 4.0          # the points reach the outer muon stations


def test_tracks_v2_paths_go_through_their_hits(opendata):
    path = opendata(FOUR_LEPTON)
    member = _members(path)[0]
    ref = _reference(path, member)
    hits = ref["Collections"]["Hits_V1"]
    tracks = open_events(path)[0]["tracks"]
    linked = _linked(ref, "TrackHits_V1")
    pts = ak.to_numpy(tracks.pt)
    looper = int(np.argmin(pts))
    for t in (looper, *list(linked)[:30]):
        drawn = _path(tracks[t])
        recorded = np.array([hits[j][0] for j in linked[t]])
        for hit in recorded:      # every hit is a vertex of the drawn path
            assert np.min(np.linalg.norm(drawn - hit, axis=1)) < 1e-9
    looper_z = np.abs(_path(tracks[looper])[:, 2])
    assert pts[looper] < 0.2 and looper_z.max() > 1.5   # curls on into the endcap discs


def test_bare_member_text_opens_as_one_event(opendata, tmp_path):
    path = opendata(FOUR_LEPTON)
    member = _members(path)[1]
    text = tmp_path / "Run_193575_Event_400912970.txt"
    text.write_bytes(zipfile.ZipFile(path).read(member))
    single = open_events(text)
    assert single.format == "ispy-text" and len(single) == 1
    whole = open_events(path)[1]
    event = single[0]
    assert (event.meta.run, event.meta.lumi, event.meta.event) == (193575, 523, 400912970)
    assert event.counts() == whole.counts()
    np.testing.assert_array_equal(ak.to_numpy(ak.flatten(event["tracks"].path_x)),
                                  ak.to_numpy(ak.flatten(whole["tracks"].path_x)))
    assert dict(single.info.not_read) == {
        k: v for k, v in open_events(path).info.not_read if k in dict(single.info.not_read)}
