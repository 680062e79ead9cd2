"""ALICE Run-3 AO2D reader on a small synthetic file written in the test."""

from __future__ import annotations

import numpy as np
import pytest
import uproot

from collider_viz import open_events
from collider_viz.errors import FormatError

# two data frames: DF_1 with 2 collisions, DF_7 with 1; tracks by fIndexCollisions
DF1_INDEX = np.array([1, 0, 1, -1, 0], np.int32)
DF7_INDEX = np.array([0, 0], np.int32)


def _tracks(index, seed):
    rng = np.random.default_rng(seed)
    n = len(index)
    return {"fIndexCollisions": index, "fTrackType": np.ones(n, np.uint8),
            "fX": rng.uniform(0, 4, n).astype(np.float32),
            "fAlpha": rng.uniform(-3, 3, n).astype(np.float32),
            "fY": rng.uniform(-1, 1, n).astype(np.float32),
            "fZ": rng.uniform(-5, 5, n).astype(np.float32),
            "fSnp": rng.uniform(-0.5, 0.5, n).astype(np.float32),
            "fTgl": rng.uniform(-1, 1, n).astype(np.float32),
            "fSigned1Pt": (rng.choice([-1, 1], n) / rng.uniform(0.2, 5, n)).astype(np.float32)}


def _write(path, track_table="O2track_iu"):
    frames = {"DF_1": (DF1_INDEX, 2, 11), "DF_7": (DF7_INDEX, 1, 12)}
    with uproot.recreate(path) as f:
        for name, (index, n_coll, seed) in frames.items():
            tables = {
                f"{name}/O2collision_001": {"fIndexBCs": np.arange(n_coll, dtype=np.int32),
                                            "fPosX": np.full(n_coll, 0.01, np.float32),
                                            "fPosY": np.full(n_coll, -0.02, np.float32),
                                            "fPosZ": np.linspace(-3, 3, n_coll).astype(np.float32),
                                            "fNumContrib": np.full(n_coll, 20, np.uint16)},
                f"{name}/{track_table}": _tracks(index, seed),
                f"{name}/O2trackextra_002": {"fTPCSignal": np.full(len(index), 55.0, np.float32)},
                f"{name}/O2bc_001": {"fRunNumber": np.full(n_coll, 544122, np.int32),
                                     "fGlobalBC": np.arange(n_coll, dtype=np.uint64) + 1000},
                f"{name}/O2v0_001": {"fIndexCollisions": np.zeros(1, np.int32)},
            }
            for key, cols in tables.items():
                f.mktree(key, {k: v.dtype for k, v in cols.items()})
                f[key].extend(cols)
    return frames


def test_collisions_are_events_and_tracks_follow_their_index(tmp_path):
    path = tmp_path / "AO2D.root"
    _write(path)
    src = open_events(path)
    assert src.format == "ao2d" and len(src) == 3 and src.info.detector == "ALICE"
    assert (src.info.collision_system, src.info.sqrt_s) == ("Pb+Pb", 5360.0)  # 2023 Pb-Pb run
    assert src.reader.counts()["tracks"].tolist() == [2, 2, 2]
    not_read = dict(src.info.not_read)
    assert "O2v0" in not_read and "1 tracks" in not_read["tracks without a collision"]
    e = src[1]  # DF_1 collision 1: rows 0 and 2
    ref = _tracks(DF1_INDEX, 11)
    rows = [0, 2]
    q_pt = ref["fSigned1Pt"][rows].astype(float)
    np.testing.assert_allclose(e["tracks"].pt, 1 / np.abs(q_pt), rtol=1e-6)
    np.testing.assert_array_equal(e["tracks"].charge, np.sign(q_pt))
    np.testing.assert_allclose(e["tracks"].eta, np.arcsinh(ref["fTgl"][rows].astype(float)),
                               rtol=1e-6)
    a, x, y = (ref[k][rows].astype(float) for k in ("fAlpha", "fX", "fY"))
    phi = np.arcsin(ref["fSnp"][rows].astype(float)) + a
    np.testing.assert_allclose(np.cos(e["tracks"].phi), np.cos(phi), atol=1e-6)
    np.testing.assert_allclose(e["tracks"].vx, (x * np.cos(a) - y * np.sin(a)) / 100, atol=1e-8)
    np.testing.assert_allclose(e["tracks"].vy, (x * np.sin(a) + y * np.cos(a)) / 100, atol=1e-8)
    assert all(e["tracks"].TPCSignal == 55.0)
    assert e.meta.run == 544122 and e.meta.extra["bc"] == 1001
    assert e["vertices"][0].z == pytest.approx(0.03)
    last = src[2]  # DF_7
    assert last.meta.extra["df"] == 7 and len(last["tracks"]) == 2


def test_batch_across_data_frames(tmp_path):
    path = tmp_path / "AO2D.root"
    _write(path, track_table="O2track")
    src = open_events(path)
    assert src.info.extra["track_table"] == "O2track"
    batch = src.read(0, 3)
    assert [len(t) for t in batch.collections["tracks"]] == [2, 2, 2]
    assert batch.ids["df"].tolist() == [1, 1, 7]
    for i in range(3):
        assert batch.collections["tracks"][i].pt.tolist() == src[i]["tracks"].pt.tolist()
    assert max(abs(v) for v in batch.collections["vertices"].z[:, 0]) < 0.05  # metres


def test_missing_parameters_leave_no_tracks_and_say_so(tmp_path):
    path = tmp_path / "AO2D.root"
    with uproot.recreate(path) as f:
        f.mktree("DF_3/O2collision", {"fPosX": np.float32, "fPosY": np.float32,
                                      "fPosZ": np.float32})
        f["DF_3/O2collision"].extend({k: np.zeros(2, np.float32) for k in ("fPosX", "fPosY",
                                                                           "fPosZ")})
        f.mktree("DF_3/O2track_iu", {"fX": np.float32})
        f["DF_3/O2track_iu"].extend({"fX": np.zeros(3, np.float32)})
    src = open_events(path)
    assert src.available == ("vertices",) and "O2track_iu" in dict(src.info.not_read)
    assert src.info.sqrt_s is None and "unknown" in src.info.extra["sqrt_s_source"]


def test_not_ao2d(tmp_path):
    path = tmp_path / "x.root"
    with uproot.recreate(path) as f:
        f.mktree("DF_3/Other", {"a": np.float32})
        f["DF_3/Other"].extend({"a": np.zeros(1, np.float32)})
    with pytest.raises(FormatError, match="no known event format"):
        open_events(path)


def test_run3_run_outside_a_pb_pb_period_is_not_assumed_13p6_tev():
    from collider_viz.io.formats.ao2d_tables import collision_system

    assert collision_system({}, 544122)[:2] == ("Pb+Pb", 5360.0)
    assert collision_system({}, 520000)[:2] == ("pp", None)  # 900 GeV, 5.36 or 13.6 TeV?
    assert collision_system({"LPMProductionTag": "LHC23zzh"}, -1)[:2] == ("Pb+Pb", 5360.0)
