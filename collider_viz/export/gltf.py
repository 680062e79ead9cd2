"""3D scene export as glTF 2.0 (``.glb`` binary or ``.gltf`` JSON), built with pygltflib.

What is written is what the scene draws: the same offscreen
:class:`~collider_viz.scene.EventCanvas` as a picture export is set up in the
3D view, and every collection layer hands over its parts' world geometry and
colours for the objects it shows (the same paths, connect mask, cuts and
colours as on screen).  One named node per collection (``tracks``,
``muons``, ``electrons``, ``photons``, ``jets``, ``met``, ``vertices``,
``calo``, muon ``segments`` ...) and one ``detector`` node:

* polylines (tracks, muon paths, MET arrows) become ``LINES`` primitives:
  the vertices of the drawn objects and one index pair per drawn segment;
* solids (towers, jet cones, detector volumes) become triangle meshes, one
  vertex per triangle corner so that each face keeps its flat colour;
* vertices become ``POINTS``.

Positions are metres in the experiment's frame (CMS: x towards the LHC
centre, y up, z along the beam), which is glTF's own right-handed, y-up,
metre convention.  Colours are per vertex (``COLOR_0``, RGBA); lines and
points use ``KHR_materials_unlit``; translucent parts are blended.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.export.atomic import ExportError

#: Scene layer name -> glTF node name where they differ.
NODE_NAMES = {"muon_segments": "segments"}
_LINES, _TRIANGLES, _POINTS = 1, 4, 0
_FLOAT, _UINT32 = 5126, 5125
_ARRAY, _ELEMENTS = 34962, 34963


@dataclass
class Primitive:
    """One drawable piece: ``mode`` (glTF number), float32 positions/colours, indices."""

    mode: int
    positions: np.ndarray
    colors: np.ndarray
    indices: np.ndarray | None = None


def line_primitive(part: Any, mask: np.ndarray) -> Primitive | None:
    """The drawn segments of a ``LinePart`` (objects where ``mask``) as ``LINES``."""
    pairs, seg_owner = part.segments()
    drawn = pairs[mask[seg_owner]]
    if not len(drawn):
        return None
    keep = mask[part.owner]
    new_index = np.cumsum(keep) - 1
    colors = part.colors if len(part.colors) == len(part.points) else \
        np.ones((len(part.points), 4), np.float32)
    return Primitive(_LINES, part.points[keep], colors[keep],
                     new_index[drawn].astype(np.uint32).reshape(-1))


def mesh_primitive(vertices: np.ndarray, faces: np.ndarray,
                   face_colors: np.ndarray) -> Primitive | None:
    """Flat-coloured triangles, one vertex per corner."""
    if not len(faces):
        return None
    corners = np.asarray(vertices, np.float32)[np.asarray(faces).reshape(-1)]
    return Primitive(_TRIANGLES, corners, np.repeat(np.asarray(face_colors, np.float32), 3, 0))


def layer_primitives(layer: Any) -> list[Primitive]:
    """What one collection layer draws in the 3D view."""
    from collider_viz.scene.parts import LinePart, MarkerPart, MeshPart

    if not layer.visible or not layer.n:
        return []
    mask, out = layer.mask(), []
    for part in layer.parts:
        if "3d" not in part.views or part.space != "world" or not len(part.owner):
            continue
        if isinstance(part, LinePart):
            prim = line_primitive(part, mask)
        elif isinstance(part, MeshPart):
            keep = mask[part.owner[part.faces[:, 0]]] if len(part.faces) else np.zeros(0, bool)
            prim = mesh_primitive(part.points, part.faces[keep], part.face_colors[keep])
        elif isinstance(part, MarkerPart):
            prim = Primitive(_POINTS, part.points[mask], part.colors[mask]) if mask.any() \
                else None
        else:
            prim = None
        if prim is not None:
            out.append(prim)
    return out


def detector_primitives(ec: Any) -> list[Primitive]:
    """The detector outline as the 3D view draws it: translucent volumes and edges."""
    from collider_viz.scene.detector_outline import subsystem_geometry
    from collider_viz.scene.style import for_theme

    outline = ec.outline
    if outline is None:
        return []
    theme = ec._style.theme
    out = []
    for name, vols in outline.volumes.items():
        if name in outline.hidden:
            continue
        meshes, colors, lines, line_colors = subsystem_geometry(vols, "3d", outline.fill_radius)
        for (verts, faces), col in zip(meshes, colors):
            prim = mesh_primitive(verts, faces, for_theme(col, theme))
            if prim is not None:
                out.append(prim)
        if lines:
            pts = np.concatenate(lines).astype(np.float32)
            starts = np.cumsum([0] + [len(p) for p in lines[:-1]])
            pairs = np.concatenate([s + np.stack([np.arange(len(p) - 1),
                                                  np.arange(1, len(p))], 1)
                                    for s, p in zip(starts, lines)])
            out.append(Primitive(_LINES, pts, for_theme(np.concatenate(line_colors), theme)
                                 .astype(np.float32), pairs.astype(np.uint32).reshape(-1)))
    return out


def scene_nodes(ec: Any) -> dict[str, list[Primitive]]:
    """Node name -> primitives of everything the canvas shows in 3D (detector last)."""
    nodes = {}
    for name, layer in ec.layers.items():
        prims = layer_primitives(layer)
        if prims:
            nodes[NODE_NAMES.get(name, name)] = prims
    detector = detector_primitives(ec)
    if detector:
        nodes["detector"] = detector
    return nodes


def build_gltf(nodes: dict[str, list[Primitive]]) -> Any:
    """A pygltflib ``GLTF2`` with one node and one mesh per entry of ``nodes``."""
    import pygltflib as gl

    doc = gl.GLTF2(asset=gl.Asset(generator="collider_viz", version="2.0"),
                   extensionsUsed=["KHR_materials_unlit"])
    blob = bytearray()

    def view(data: np.ndarray, target: int) -> int:
        while len(blob) % 4:
            blob.append(0)
        doc.bufferViews.append(gl.BufferView(buffer=0, byteOffset=len(blob),
                                             byteLength=data.nbytes, target=target))
        blob.extend(data.tobytes())
        return len(doc.bufferViews) - 1

    def accessor(data: np.ndarray, kind: str, target: int, bounds: bool = False) -> int:
        data = np.ascontiguousarray(data)
        comp = _UINT32 if data.dtype == np.uint32 else _FLOAT
        extra = {"min": data.min(0).tolist(), "max": data.max(0).tolist()} if bounds else {}
        doc.accessors.append(gl.Accessor(bufferView=view(data, target), componentType=comp,
                                         count=len(data), type=kind, **extra))
        return len(doc.accessors) - 1

    for name, prims in nodes.items():
        mesh = gl.Mesh(name=name)
        for prim in prims:
            attrs = gl.Attributes(
                POSITION=accessor(prim.positions.astype(np.float32), "VEC3", _ARRAY, True),
                COLOR_0=accessor(np.clip(prim.colors, 0, 1).astype(np.float32), "VEC4", _ARRAY))
            index = None if prim.indices is None else accessor(prim.indices, "SCALAR", _ELEMENTS)
            mesh.primitives.append(gl.Primitive(attributes=attrs, indices=index, mode=prim.mode,
                                                material=_material(doc, prim)))
        doc.meshes.append(mesh)
        doc.nodes.append(gl.Node(name=name, mesh=len(doc.meshes) - 1))
    doc.scenes.append(gl.Scene(name="event", nodes=list(range(len(doc.nodes)))))
    doc.scene = 0
    doc.buffers.append(gl.Buffer(byteLength=len(blob)))
    doc.set_binary_blob(bytes(blob))
    return doc


def _material(doc: Any, prim: Primitive) -> int:
    """Index of a (shared) material: unlit for lines/points, blended when translucent."""
    import pygltflib as gl

    blend = bool(len(prim.colors)) and float(prim.colors[:, 3].min()) < 0.999
    unlit = prim.mode != _TRIANGLES
    key = f"{'unlit' if unlit else 'lit'}-{'blend' if blend else 'opaque'}"
    for i, mat in enumerate(doc.materials):
        if mat.name == key:
            return i
    doc.materials.append(gl.Material(
        name=key, doubleSided=True, alphaMode="BLEND" if blend else "OPAQUE",
        pbrMetallicRoughness=gl.PbrMetallicRoughness(metallicFactor=0.0, roughnessFactor=1.0),
        extensions={"KHR_materials_unlit": {}} if unlit else {}))
    return len(doc.materials) - 1


def gltf_bytes(doc: Any, suffix: str) -> bytes:
    """The document as GLB bytes (``.glb``) or JSON with an embedded buffer (``.gltf``)."""
    import pygltflib as gl

    if suffix == ".glb":
        return b"".join(doc.save_to_bytes())
    doc.convert_buffers(gl.BufferFormat.DATAURI)
    return doc.to_json().encode("utf-8")


def export_gltf(event: Any, path: str | Path, *, detector: Any = None, theme: str = "dark",
                color_by: str | None = None, force: bool = False) -> Path:
    """Write ``event``'s 3D scene to ``path`` (``.glb`` or ``.gltf``), atomically.

    Raises
    ------
    ExportError
        Another suffix, or an existing file without ``force``.
    """
    from collider_viz.export import scene_bridge
    from collider_viz.export.atomic import check_target, write_bytes_atomic
    from collider_viz.export.image import detector_for

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".glb", ".gltf"):
        raise ExportError(f"{target}: 3D scenes are written as .glb or .gltf")
    check_target(target, force)
    det = detector if detector is not None else detector_for(event)
    ec = scene_bridge.make_canvas((640, 480), theme)
    try:
        scene_bridge.configure(ec, event, det, "3d", color_by)
        doc = build_gltf(scene_nodes(ec))
    finally:
        ec.close()
    return write_bytes_atomic(target, gltf_bytes(doc, suffix), force)
