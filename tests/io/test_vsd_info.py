"""ALICE VSD collision system and √s: from the file, never a constant label."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import uproot

from collider_viz import open_events

BRANCHES = ("R/fV/fV.fX", "R/fV/fV.fY", "R/fV/fV.fZ", "R/fP/fP.fX", "R/fP/fP.fY", "R/fP/fP.fZ")


def _write_vsd(path, tracks_per_event=(3, 5)):
    with uproot.recreate(path) as f:
        for i, n in enumerate(tracks_per_event):
            name = f"Event{10 + i:04d}/RecTracks"
            f.mktree(name, {**{b: np.float32 for b in BRANCHES}, "R/fSign": np.int32})
            f[name].extend({**{b: np.full(n, 0.5, np.float32) for b in BRANCHES},
                            "R/fSign": np.ones(n, np.int32)})


@pytest.mark.parametrize("name, system, sqrt_s", [
    ("AliVSD_MasterClass_pp_1.root", "pp", 7000.0),
    ("AliVSD_MasterClass_PbPb_7.root", "Pb+Pb", 2760.0),
    ("AliVSD_pPb_2.root", "p+Pb", 5020.0),
])
def test_system_from_the_file_name(tmp_path, name, system, sqrt_s):
    path = tmp_path / name
    _write_vsd(path)
    src = open_events(path)
    assert (src.info.collision_system, src.info.sqrt_s) == (system, sqrt_s)
    assert src.info.extra["system_source"] == f"file name {name!r}"


def test_pp_multiplicity_without_a_name(tmp_path):
    path = tmp_path / "AliVSD_Masterclass_3.root"
    _write_vsd(path, (12, 40))
    src = open_events(path)
    assert (src.info.collision_system, src.info.sqrt_s) == ("pp", 7000.0)
    assert "at most 40 tracks" in src.info.extra["system_source"]
    assert len(src[1]["tracks"]) == 40


def test_real_pbpb_file(opendata, tmp_path):
    real = opendata("alice/AliVSD_MasterClass_PbPb_101.root")
    src = open_events(real)
    assert (src.info.collision_system, src.info.sqrt_s) == ("Pb+Pb", 2760.0)
    assert "file name" in src.info.extra["system_source"]
    assert dict(src.info.not_read)["RecV0s"].startswith("V0 candidates")
    renamed = tmp_path / "events.root"  # the same data under a name that says nothing
    shutil.copy(real, renamed)
    guessed = open_events(renamed).info
    assert guessed.collision_system == "Pb+Pb" and "4277 tracks" in guessed.extra["system_source"]
