"""collider_viz sample format: metadata, NanoAOD-like tree, per-event collision scalars."""

from __future__ import annotations

import json

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz.errors import FormatError
from collider_viz.io.formats.sample import SampleReader
from collider_viz.io.registry import open_events

META = {"format_version": 1, "sqrt_s": 200.0, "collision_system": "Au+Au", "detector": "STAR",
        "generator": "Pythia 8.317", "process": "test", "is_simulation": True,
        "label": "Simulation — Pythia 8", "seed": 12345, "detector_response": "smeared"}
COUNTS = np.array([3, 0, 2])


def _col(values, dtype=np.float32):
    return ak.unflatten(np.asarray(values, dtype=dtype), COUNTS)


def sample_columns() -> dict:
    """Three events in the layout of docs/ARCHITECTURE.md "Own sample format"."""
    n, total = len(COUNTS), int(COUNTS.sum())
    track = ak.zip({"pt": _col([1, 2, 3, 4, 5]), "eta": _col([0, 0.5, -0.5, 1, -1]),
                    "phi": _col([0, 1, 2, 3, -1]), "charge": _col([1, -1, 1, -1, 1], np.int32),
                    "pdgId": _col([211, -211, 321, -321, 2212], np.int32),
                    "vx": _col(np.zeros(total)), "vy": _col(np.zeros(total)),
                    "vz": _col([0.5, 0.5, 0.5, -2, -2])})
    one = np.array([1, 0, 0])
    photon = ak.zip({f: ak.unflatten(np.array([v], np.float32), one)
                     for f, v in {"pt": 60.0, "eta": 0.1, "phi": 0.2, "mass": 0.0}.items()})
    return {"run": np.ones(n, np.int64), "luminosityBlock": np.ones(n, np.int64),
            "event": np.arange(1, n + 1, dtype=np.int64),
            "Collision_b": np.array([1.5, 7.0, 12.0], np.float32),
            "Collision_bClass": np.array([0, 4, 9], np.int32),
            "Collision_nCharged": ak.num(track).to_numpy().astype(np.int32),
            "Track": track, "Photon": photon,
            "MET_pt": np.array([1.0, 2, 3], np.float32), "MET_phi": np.zeros(n, np.float32),
            "PV_x": np.zeros(n, np.float32), "PV_y": np.zeros(n, np.float32),
            "PV_z": np.array([0.5, 0.0, -2.0], np.float32)}


def write_sample(path, columns: dict, metadata: str | None) -> None:
    with uproot.recreate(path) as f:
        if metadata is not None:
            f["collider_viz_metadata"] = metadata
        tree = f.mktree("Events", {k: v.type if isinstance(v, ak.Array) else v.dtype
                                   for k, v in columns.items()})
        tree.extend(columns)


@pytest.fixture
def sample_file(tmp_path):
    path = tmp_path / "tiny_sample.root"
    write_sample(path, sample_columns(), json.dumps(META, ensure_ascii=False))
    return path


def test_metadata_becomes_source_info(sample_file):
    with open_events(sample_file) as src:
        assert src.format == "sample"  # chosen before the NanoAOD reader
        info = src.info
        assert (info.detector, info.collision_system, info.sqrt_s) == ("STAR", "Au+Au", 200.0)
        assert info.is_simulation and info.label == "Simulation — Pythia 8"
        assert info.extra["generator"] == "Pythia 8.317" and info.extra["seed"] == 12345


def test_collections_and_collision_scalars(sample_file):
    with open_events(sample_file) as src:
        assert len(src) == 3
        assert src.available == ("tracks", "photons", "met", "vertices")
        ev = src[2]
        assert ev.meta.event == 3 and ev.meta.run == 1
        assert ev.meta.extra["b"] == pytest.approx(12.0)
        assert ev.meta.extra["bClass"] == 9 and ev.meta.extra["nCharged"] == 2
        np.testing.assert_allclose(ev["tracks"].vz, [-0.02, -0.02], rtol=1e-6)  # cm -> m
        assert list(ev["tracks"].pdgId) == [-321, 2212]
        assert ev["vertices"].z[0] == pytest.approx(-0.02)
        assert src[0]["photons"].charge[0] == 0
        counts = src.reader.counts()
        np.testing.assert_array_equal(counts["tracks"], COUNTS)
        batch = src.read(0, 3, ["tracks"])
        np.testing.assert_array_equal(batch.ids["bClass"], [0, 4, 9])


@pytest.mark.parametrize("text, problem", [("{not json", "unreadable"), ("[1, 2]", "JSON object"),
                                           ('{"sqrt_s": "high"}', "sqrt_s")])
def test_bad_metadata(tmp_path, text, problem):
    path = tmp_path / "badmeta.root"
    write_sample(path, sample_columns(), text)
    with pytest.raises(FormatError, match=problem) as err:
        open_events(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_without_metadata_it_is_nanoaod(tmp_path):
    path = tmp_path / "plain.root"
    write_sample(path, sample_columns(), None)
    with open_events(path) as src:
        assert src.format == "nanoaod"
    assert not SampleReader.sniff(str(path), uproot.open(path))


def test_generated_samples(sample):
    """The bundled samples, where generated (skips otherwise)."""
    path = sample("higgs_diphoton_13TeV.root")
    with open_events(path) as src:
        assert src.format == "sample" and src.info.sqrt_s == 13000.0
        assert {"tracks", "photons", "met", "vertices"} <= set(src.available)
        ev = src[0]
        assert ev.meta.extra["bClass"] == -1
        assert ak.all(ev["photons"].charge == 0)
