"""Vectorised mesh and line geometry: prisms, cones, tubes, rings, dashes.

All functions return float32 vertices and int32 faces (triangles) for many
objects at once, so one vispy visual can draw a whole collection.
"""

from __future__ import annotations

import numpy as np

_LIGHT = np.array([0.35, 0.6, 0.72], dtype=np.float32) / np.linalg.norm([0.35, 0.6, 0.72])
# Corner order of a square cross-section (signs along u, v), counter-clockwise.
_SQUARE = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float32)
_BOX_FACES = np.array([
    [0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7],
    [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5],
    [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
], dtype=np.int32)


def directions(eta: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Unit vectors (n, 3) pointing along pseudorapidity ``eta`` and azimuth ``phi``."""
    eta = np.asarray(eta, dtype=np.float64)
    phi = np.asarray(phi, dtype=np.float64)
    sin_t = 1.0 / np.cosh(eta)
    return np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), np.tanh(eta)], axis=-1)


def perpendicular_frame(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors ``u, v`` (each (n, 3)) perpendicular to the unit vectors ``d``."""
    helper = np.zeros_like(d)
    use_x = np.abs(d[:, 0]) < 0.9
    helper[use_x, 0] = 1.0
    helper[~use_x, 1] = 1.0
    u = np.cross(d, helper)
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    return u, np.cross(d, u)


def boxes(base: np.ndarray, axis: np.ndarray, u: np.ndarray, v: np.ndarray,
          height: np.ndarray, half_width: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Square prisms standing on ``base`` along ``axis`` (all (n, 3)).

    Returns
    -------
    vertices : np.ndarray
        (8n, 3) float32, 8 consecutive corners per prism.
    faces : np.ndarray
        (12n, 3) int32, 12 consecutive triangles per prism.
    """
    n = len(base)
    hw = np.asarray(half_width, dtype=np.float64).reshape(-1, 1) * np.ones((n, 1))
    h = np.asarray(height, dtype=np.float64).reshape(-1, 1) * np.ones((n, 1))
    corners = (base[:, None, :]
               + _SQUARE[None, :, 0, None] * (u * hw)[:, None, :]
               + _SQUARE[None, :, 1, None] * (v * hw)[:, None, :])
    tops = corners + (axis * h)[:, None, :]
    verts = np.concatenate([corners, tops], axis=1).reshape(-1, 3)
    faces = (_BOX_FACES[None, :, :] + 8 * np.arange(n, dtype=np.int32)[:, None, None])
    return verts.astype(np.float32), faces.reshape(-1, 3).astype(np.int32)


def prisms(base: np.ndarray, direction: np.ndarray, height: np.ndarray,
           half_width: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Square towers on ``base`` pointing along ``direction`` (unit vectors); see :func:`boxes`."""
    u, v = perpendicular_frame(direction)
    return boxes(base, direction, u, v, height, half_width)


def cones(apex: np.ndarray, direction: np.ndarray, length: np.ndarray,
          half_angle: np.ndarray, n_seg: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Closed cones with apex ``apex`` along unit ``direction``; ``n_seg + 2`` vertices each."""
    n = len(apex)
    u, v = perpendicular_frame(direction)
    length = np.broadcast_to(np.asarray(length, dtype=np.float64), (n,))
    radius = length * np.tan(np.broadcast_to(half_angle, (n,)))
    t = np.linspace(0.0, 2 * np.pi, n_seg, endpoint=False)
    centre = apex + direction * length[:, None]
    rim = (centre[:, None, :]
           + radius[:, None, None] * (np.cos(t)[None, :, None] * u[:, None, :]
                                      + np.sin(t)[None, :, None] * v[:, None, :]))
    verts = np.concatenate([apex[:, None, :], rim, centre[:, None, :]], axis=1)
    i = np.arange(n_seg)
    j = (i + 1) % n_seg
    side = np.stack([np.zeros(n_seg, int), 1 + i, 1 + j], axis=1)
    cap = np.stack([np.full(n_seg, n_seg + 1), 1 + j, 1 + i], axis=1)
    one = np.concatenate([side, cap]).astype(np.int32)
    faces = one[None] + ((n_seg + 2) * np.arange(n, dtype=np.int32))[:, None, None]
    return verts.reshape(-1, 3).astype(np.float32), faces.reshape(-1, 3).astype(np.int32)


def _ring_grid(radii: np.ndarray, zs: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Points on circles (radius, z) at azimuths ``phi``: shape (len(radii), len(phi), 3)."""
    x = radii[:, None] * np.cos(phi)[None, :]
    y = radii[:, None] * np.sin(phi)[None, :]
    z = np.broadcast_to(zs[:, None], x.shape)
    return np.stack([x, y, z], axis=-1)


def _strip_faces(a: int, b: int, n: int) -> np.ndarray:
    """Triangles joining vertex rows ``a`` and ``b`` (each ``n`` vertices, row-major)."""
    i = np.arange(n - 1)
    ra, rb = a * n + i, b * n + i
    return np.concatenate([np.stack([ra, ra + 1, rb + 1], 1), np.stack([ra, rb + 1, rb], 1)])


def tube(r_min: float, r_max: float, z_min: float, z_max: float, phi_min: float = 0.0,
         phi_max: float = 2 * np.pi, n_seg: int = 48,
         inner: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Hollow cylinder: outer wall, both end rings and (``inner``) the inner wall."""
    phi = np.linspace(phi_min, phi_max, n_seg + 1)
    rows = _ring_grid(np.array([r_min, r_min, r_max, r_max]),
                      np.array([z_min, z_max, z_min, z_max]), phi)
    faces = [_strip_faces(2, 3, n_seg + 1), _strip_faces(0, 2, n_seg + 1),
             _strip_faces(1, 3, n_seg + 1)]
    if inner and r_min > 0:
        faces.append(_strip_faces(0, 1, n_seg + 1))
    return rows.reshape(-1, 3).astype(np.float32), np.concatenate(faces).astype(np.int32)


def annulus(r_min: float, r_max: float, phi_min: float = 0.0, phi_max: float = 2 * np.pi,
            n_seg: int = 72) -> tuple[np.ndarray, np.ndarray]:
    """Flat ring in the z = 0 plane (vertices, faces)."""
    phi = np.linspace(phi_min, phi_max, n_seg + 1)
    rows = _ring_grid(np.array([r_min, r_max]), np.zeros(2), phi)
    return rows.reshape(-1, 3).astype(np.float32), _strip_faces(0, 1, n_seg + 1).astype(np.int32)


def rectangles(x0: np.ndarray, x1: np.ndarray, y0: np.ndarray,
               y1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Axis-aligned rectangles in the z = 0 plane (4 vertices, 2 triangles each)."""
    x0, x1, y0, y1 = (np.atleast_1d(np.asarray(a, dtype=np.float32)) for a in (x0, x1, y0, y1))
    zero = np.zeros_like(x0)
    verts = np.stack([np.stack([x0, y0, zero], 1), np.stack([x1, y0, zero], 1),
                      np.stack([x1, y1, zero], 1), np.stack([x0, y1, zero], 1)], axis=1)
    one = np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int32)
    faces = one[None] + 4 * np.arange(len(x0), dtype=np.int32)[:, None, None]
    return verts.reshape(-1, 3), faces.reshape(-1, 3)


def merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate several (vertices, faces) meshes into one."""
    if not parts:
        return np.zeros((0, 3), np.float32), np.zeros((0, 3), np.int32)
    offsets = np.cumsum([0] + [len(v) for v, _ in parts[:-1]])
    verts = np.concatenate([v for v, _ in parts]).astype(np.float32)
    faces = np.concatenate([f + o for (_, f), o in zip(parts, offsets)]).astype(np.int32)
    return verts, faces


def shade(vertices: np.ndarray, faces: np.ndarray, face_colors: np.ndarray) -> np.ndarray:
    """Darken face colours by the angle between face normal and a fixed light (flat shading)."""
    tri = vertices[faces]
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    norm = np.linalg.norm(normal, axis=1, keepdims=True)
    normal = np.divide(normal, norm, out=np.zeros_like(normal), where=norm > 0)
    out = np.array(face_colors, dtype=np.float32, copy=True)
    out[:, :3] *= (0.5 + 0.5 * np.abs(normal @ _LIGHT))[:, None]
    return out


def polyline_connect(counts: np.ndarray) -> np.ndarray:
    """Connect mask for concatenated polylines: False at the last vertex of each."""
    counts = np.asarray(counts, dtype=np.int64)
    mask = np.ones(int(counts.sum()), dtype=bool)
    ends = np.cumsum(counts)[counts > 0] - 1
    mask[ends] = False
    return mask


def dashes(start: np.ndarray, end: np.ndarray, dash: float = 0.06,
           gap: float = 0.04) -> tuple[np.ndarray, np.ndarray]:
    """Dashed straight lines as segment pairs.

    Returns
    -------
    points : np.ndarray
        (2m, 3) float32, each consecutive pair one dash.
    owner : np.ndarray
        (2m,) int64, index of the line each point belongs to.
    """
    length = np.linalg.norm(end - start, axis=1)
    n_dash = np.maximum(np.ceil(length / (dash + gap)).astype(np.int64), 1)
    owner = np.repeat(np.arange(len(start)), n_dash)
    k = np.arange(len(owner)) - np.repeat(np.cumsum(n_dash) - n_dash, n_dash)
    unit = (end - start) / np.maximum(length, 1e-9)[:, None]
    a = k * (dash + gap)
    b = np.minimum(a + dash, length[owner])
    p0 = start[owner] + unit[owner] * a[:, None]
    p1 = start[owner] + unit[owner] * b[:, None]
    points = np.stack([p0, p1], axis=1).reshape(-1, 3).astype(np.float32)
    return points, np.repeat(owner, 2)
