"""The muon system: segments, rec-hits and chambers read from .ig files and drawn."""

from __future__ import annotations

import json
import re
import zipfile

import awkward as ak
import numpy as np
import pytest

from collider_viz import open_events
from collider_viz.physics.event import Event, EventMeta, SourceInfo
from collider_viz.scene.muon_system import BOX_EDGES, CHAMBER_COLOR, SEGMENT_COLORS
from collider_viz.scene.style import rgba

pytestmark = pytest.mark.gui
FOUR_LEPTON = "cms_ispy/4lepton.ig"


def _reference(path, member: str) -> dict:
    text = zipfile.ZipFile(path).read(member).decode()
    return json.loads(re.sub(r"\bnan\b", "NaN", text))


def _rows(ref: dict, name: str) -> list:
    return ref["Collections"].get(name, [])


def _field(ref: dict, name: str, field: str) -> list:
    names = [f[0] for f in ref["Types"][name]]
    return [row[names.index(field)] for row in _rows(ref, name)]


def test_muon_system_matches_the_member_text(opendata):
    path = opendata(FOUR_LEPTON)
    src = open_events(path)
    members = sorted(n for n in zipfile.ZipFile(path).namelist() if n.startswith("Events/"))
    totals = dict.fromkeys(("segments", "chambers", "hits"), 0)
    for i, member in enumerate(members):
        ref = _reference(path, member)
        event = src[i]
        seg = event["muon_segments"]
        dt, csc = _rows(ref, "DTRecSegment4D_V1"), _rows(ref, "CSCSegments_V1")
        assert list(seg.subdet) == ["DT"] * len(dt) + ["CSC"] * len(csc)
        starts = [r[1] for r in dt] + [r[1] for r in csc]
        np.testing.assert_array_equal(np.stack([ak.to_numpy(seg[k]) for k in ("x1", "y1", "z1")], 1),
                                      np.array(starts).reshape(-1, 3))
        hits = event["muon_hits"]
        assert len(hits) == sum(len(_rows(ref, n)) for n in
                                ("RPCRecHits_V1", "CSCRecHit2Ds_V2", "DTRecHits_V1"))
        chambers = event["muon_chambers"]
        detid = np.array(_field(ref, "MuonChambers_V1", "detid"), np.int64) & 0xFFFFFFFF
        expected = np.where((detid >> 25) & 7 == 1, "DT", np.where((detid >> 25) & 7 == 2, "CSC", "?"))
        assert list(chambers.subdet) == list(expected)
        front = np.array(_field(ref, "MuonChambers_V1", "front_1"))
        np.testing.assert_array_equal(ak.to_numpy(chambers.corners_x[:, 0]), front[:, 0])
        totals["segments"] += len(seg)
        totals["chambers"] += len(chambers)
        totals["hits"] += len(hits)
    assert totals == {"segments": 40, "chambers": 114, "hits": 393}


def _muon_event() -> Event:
    """One DT segment (barrel, r 4.3 m), one CSC segment (endcap, z 7 m), one DT chamber."""
    seg = ak.Array({"x1": [0.0, 1.0], "y1": [4.2, 2.0], "z1": [0.3, 7.0], "x2": [0.4, 1.3],
                    "y2": [4.4, 2.3], "z2": [0.5, 7.1], "subdet": ["DT", "CSC"]})
    box = np.array([[-1, 5.0, 1], [1, 5.0, 1], [1, 5.0, -1], [-1, 5.0, -1],
                    [-1, 5.3, 1], [1, 5.3, 1], [1, 5.3, -1], [-1, 5.3, -1]], float)
    chambers = ak.Array({f"corners_{a}": [box[:, k].tolist()] for k, a in enumerate("xyz")}
                        | {"subdet": ["DT"]})
    info = SourceInfo(path="muon system", format="synthetic", detector="CMS")
    return Event(meta=EventMeta(entry=0), info=info,
                 collections={"muon_segments": seg, "muon_chambers": chambers})


def _near(img, xy, color, box=2, tol=0.15) -> bool:
    x, y = int(round(xy[0])), int(round(xy[1]))
    patch = img[y - box:y + box + 1, x - box:x + box + 1, :3] / 255.0
    return bool((np.abs(patch - rgba(color)[:3]).max(axis=-1) < tol).any())


def test_segment_midpoints_have_the_segment_colour(make_canvas, cms):
    canvas = make_canvas()
    canvas.set_event(_muon_event(), cms)
    dt_mid = np.array([[0.2, 4.3, 0.4]])
    csc_mid = np.array([[1.15, 2.15, 7.05]])
    canvas.set_view("rphi")
    canvas.view.camera.rect = (-7.8, -7.8, 15.6, 15.6)  # zoomed out to the muon system
    img = canvas.render()
    assert _near(img, canvas.project(dt_mid)[0], SEGMENT_COLORS["DT"])
    assert not _near(img, canvas.project(csc_mid)[0], SEGMENT_COLORS["CSC"])  # endcap: not in ρ-φ
    assert canvas.layers["muon_segments"].n_drawn() == 1
    canvas.set_view("rz")
    img = canvas.render()
    assert _near(img, canvas.project(csc_mid)[0], SEGMENT_COLORS["CSC"])
    assert _near(img, canvas.project(dt_mid)[0], SEGMENT_COLORS["DT"])


def test_chamber_is_a_box_with_twelve_edges(make_canvas, cms):
    canvas = make_canvas()
    canvas.set_event(_muon_event(), cms)
    layer = canvas.layers["muon_chambers"]
    assert layer.boxes.faces.shape == (12, 3) and len(layer.edges.points) == 2 * len(BOX_EDGES)
    canvas.set_view("rphi")
    canvas.view.camera.rect = (-7.8, -7.8, 15.6, 15.6)  # zoomed out to the muon system
    img = canvas.render()
    edge_mid = np.array([[0.0, 5.0, 1.0]])          # middle of the front face's near edge
    assert _near(img, canvas.project(edge_mid)[0], CHAMBER_COLOR, tol=0.5)
    inside = canvas.project(np.array([[0.0, 5.15, 0.0]]))[0]
    x, y = (int(round(v)) for v in inside)
    pixel = img[y, x, :3] / 255.0
    assert pixel[0] > pixel[1] + 0.05 and pixel[0] > pixel[2] + 0.05   # translucent red fill
