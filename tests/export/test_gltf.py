"""glTF 2.0 scene export, read back with an independent reader (GLB chunks parsed here).

The file is written with pygltflib; this test reads it with nothing but
``struct``, ``json`` and numpy, following the glTF 2.0 specification (12-byte
header, a JSON chunk, a BIN chunk; accessors into buffer views).
"""

from __future__ import annotations

import base64
import importlib.util
import json
import struct
from pathlib import Path

import numpy as np
import pytest

from collider_viz.cli import main
from collider_viz.physics.detector import load_detector

_SPEC = importlib.util.spec_from_file_location(
    "scene_events_for_gltf", Path(__file__).resolve().parents[1] / "scene" / "scene_events.py")
scene_events = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(scene_events)

_COMPONENTS = {"SCALAR": 1, "VEC3": 3, "VEC4": 4}
_DTYPES = {5126: np.float32, 5125: np.uint32, 5123: np.uint16}


def read_glb(data: bytes) -> tuple[dict, bytes]:
    """(JSON document, binary chunk) of a GLB file."""
    magic, version, length = struct.unpack_from("<4sII", data, 0)
    assert magic == b"glTF" and version == 2 and length == len(data)
    json_len, json_type = struct.unpack_from("<I4s", data, 12)
    assert json_type == b"JSON"
    doc = json.loads(data[20:20 + json_len])
    bin_len, bin_type = struct.unpack_from("<I4s", data, 20 + json_len)
    assert bin_type == b"BIN\x00"
    start = 28 + json_len
    return doc, data[start:start + bin_len]


def read_gltf(data: bytes) -> tuple[dict, bytes]:
    """(JSON document, buffer) of a .gltf whose buffer is a base64 data URI."""
    doc = json.loads(data)
    uri = doc["buffers"][0]["uri"]
    assert uri.startswith("data:application/octet-stream;base64,")
    return doc, base64.b64decode(uri.split(",", 1)[1])


def accessor(doc: dict, blob: bytes, index: int) -> np.ndarray:
    acc = doc["accessors"][index]
    view = doc["bufferViews"][acc["bufferView"]]
    dtype = _DTYPES[acc["componentType"]]
    n = _COMPONENTS[acc["type"]]
    offset = view.get("byteOffset", 0) + acc.get("byteOffset", 0)
    arr = np.frombuffer(blob, dtype=dtype, count=acc["count"] * n, offset=offset)
    return arr.reshape(acc["count"], n) if n > 1 else arr


def nodes(doc: dict, blob: bytes) -> dict[str, list[dict]]:
    """Node name -> its primitives as {mode, positions, colors, indices}."""
    out = {}
    for node in doc["nodes"]:
        prims = []
        for prim in doc["meshes"][node["mesh"]]["primitives"]:
            attrs = prim["attributes"]
            prims.append({"mode": prim.get("mode", 4),
                          "positions": accessor(doc, blob, attrs["POSITION"]),
                          "colors": accessor(doc, blob, attrs["COLOR_0"]),
                          "indices": None if "indices" not in prim
                          else accessor(doc, blob, prim["indices"])})
        out[node["name"]] = prims
    return out


@pytest.fixture
def scene_event():
    return scene_events.make_event()


def _canvas_of(event, detector):
    from collider_viz.export import scene_bridge

    ec = scene_bridge.make_canvas((640, 480), "dark")
    scene_bridge.configure(ec, event, detector, "3d")
    return ec


def test_glb_has_one_node_per_collection_with_what_the_scene_draws(gl_backend, tmp_path,
                                                                    scene_event):
    from collider_viz.export.gltf import export_gltf

    cms = load_detector("CMS")
    out = export_gltf(scene_event, tmp_path / "event.glb", detector=cms)
    doc, blob = read_glb(out.read_bytes())
    assert doc["asset"]["version"] == "2.0"
    got = nodes(doc, blob)
    assert set(got) == {"tracks", "muons", "electrons", "photons", "jets", "met", "vertices",
                        "calo", "detector"}
    ec = _canvas_of(scene_event, cms)
    try:
        for name in ("tracks", "muons", "electrons"):
            part, layer = ec.layers[name].line, ec.layers[name]
            keep = layer.mask()[part.owner]
            (prim,) = [p for p in got[name] if p["mode"] == 1]          # LINES
            assert len(prim["positions"]) == keep.sum()                 # vertex count
            pairs, seg_owner = part.segments()
            assert len(prim["indices"]) == 2 * layer.mask()[seg_owner].sum()
            np.testing.assert_array_equal(prim["positions"], part.points[keep])  # metres
            np.testing.assert_allclose(prim["colors"], part.colors[keep], atol=1e-6)
            seg = prim["indices"].reshape(-1, 2)
            assert (seg[:, 1] == seg[:, 0] + 1).all()
        tracks = got["tracks"][0]["positions"]
        assert np.hypot(tracks[:, 0], tracks[:, 1]).max() == pytest.approx(1.275, abs=2e-3)
        muons = got["muons"][0]["positions"]
        assert np.hypot(muons[:, 0], muons[:, 1]).max() == pytest.approx(7.37, abs=0.05)
        (cones,) = [p for p in got["jets"] if p["mode"] == 4]
        jet_part = [p for p in ec.layers["jets"].parts if "3d" in p.views and
                    hasattr(p, "faces")][0]
        assert len(cones["positions"]) == 3 * len(jet_part.faces)    # one vertex per corner
        (points,) = got["vertices"]
        assert points["mode"] == 0 and len(points["positions"]) == 2
    finally:
        ec.close()
    det = got["detector"]
    assert any(p["mode"] == 4 for p in det) and any(p["mode"] == 1 for p in det)
    alpha = np.concatenate([p["colors"][:, 3] for p in det if p["mode"] == 4])
    assert alpha.max() < 0.5                                       # translucent volumes
    materials = {m["name"]: m for m in doc["materials"]}
    assert materials["lit-blend"]["alphaMode"] == "BLEND"
    assert "KHR_materials_unlit" in doc["extensionsUsed"]


def test_cuts_and_hidden_layers_are_what_is_exported(gl_backend, tmp_path, scene_event):
    from collider_viz.export import gltf

    cms = load_detector("CMS")
    ec = _canvas_of(scene_event, cms)
    try:
        ec.set_threshold("tracks", 3.0)
        ec.set_collection_visible("photons", False)
        ec.set_layer_visible("muon", False)
        got = gltf.scene_nodes(ec)
        layer = ec.layers["tracks"]
        assert len(got["tracks"][0].positions) == layer.mask()[layer.line.owner].sum()
        assert 0 < layer.mask().sum() < layer.n
        assert "photons" not in got
        data = gltf.gltf_bytes(gltf.build_gltf(got), ".gltf")
    finally:
        ec.close()
    doc, blob = read_gltf(data)
    assert len(nodes(doc, blob)["tracks"][0]["positions"]) == layer.mask()[layer.line.owner].sum()


def test_cli_writes_glb_of_a_real_higgs_candidate(gl_backend, opendata, tmp_path, capsys):
    path = opendata("cms_ispy/4lepton.ig")
    out = tmp_path / "higgs.glb"
    args = ["export", str(path), "--entry", "0", "-o", str(out)]
    assert main(args) == 0
    doc, blob = read_glb(out.read_bytes())
    got = nodes(doc, blob)
    assert {"tracks", "muons", "detector"} <= set(got)
    muons = got["muons"][0]["positions"]
    assert 6.5 < np.hypot(muons[:, 0], muons[:, 1]).max() < 7.5 or np.abs(muons[:, 2]).max() > 9
    assert main(args) == 2                                  # never overwrite without --force
    assert "exists" in capsys.readouterr().err
    assert main(args + ["--force"]) == 0
    assert main(["export", str(path), "--entry", "0", "-o", str(tmp_path / "x.obj")]) == 2
    assert ".glb or .gltf" in capsys.readouterr().err
