"""Magnetic field regions as data: a detector's field is an ordered list of simple regions.

Each region is a cylindrical shell ``r_min <= r < r_max``, ``z_min <= z < z_max``
(metres; ``mirror`` repeats it at negative z) with one of four field shapes:

``axial``
    ``Bz = field_t`` (a solenoid's inside), or, with ``field_outer_t``, falling
    linearly in r from ``field_t`` at ``r_min`` to ``field_outer_t`` at ``r_max``
    (across a coil's winding).  The same sign at negative z.
``radial``
    ``Br = field_t`` at positive z and ``-field_t`` at negative z (the flux
    leaving a solenoid through the endcap disks of its yoke).
``toroidal``
    ``B_phi = field_t * r_ref / r`` (an air-core toroid such as ATLAS's).
``uniform``
    ``B = field_t * axis`` for a unit vector ``axis`` (a dipole such as LHCb's).

The first region containing a point gives its field (zero outside all).  A
region may also carry the mean energy loss of a muon in its material,
``dedx_gev_per_m``; :mod:`collider_viz.physics.stepping` uses both.
Units: metres, tesla, GeV.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

KINDS = ("axial", "radial", "toroidal", "uniform")


@dataclass(frozen=True)
class FieldRegion:
    """One region of a detector's field (see the module docstring for the shapes).

    Attributes
    ----------
    name : str
        What the region is, e.g. ``"barrel yoke, layer 1"``.
    kind : str
        One of :data:`KINDS`.
    field_t : float
        Field strength in tesla (meaning per ``kind``).
    r_min, r_max, z_min, z_max : float
        Extent in metres.
    field_outer_t : float or None
        ``axial`` only: Bz at ``r_max`` (linear in r); None for a uniform Bz.
    r_ref : float
        ``toroidal`` only: radius where ``B_phi = field_t``.
    axis : tuple of float
        ``uniform`` only: unit direction of the field.
    mirror : bool
        Also present at ``-z_max <= z < -z_min``.
    dedx_gev_per_m : float
        Mean energy loss of a muon in the region's material (GeV per metre).
    source : str
        Where the numbers come from.
    """

    name: str
    kind: str
    field_t: float
    r_min: float
    r_max: float
    z_min: float
    z_max: float
    field_outer_t: float | None = None
    r_ref: float = 1.0
    axis: tuple[float, float, float] = (0.0, 0.0, 1.0)
    mirror: bool = True
    dedx_gev_per_m: float = 0.0
    source: str = ""

    def contains(self, r: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Bool mask of the points (r, z) inside the region."""
        inside_r = (r >= self.r_min) & (r < self.r_max)
        inside_z = (z >= self.z_min) & (z < self.z_max)
        if self.mirror:
            inside_z |= (-z >= self.z_min) & (-z < self.z_max)
        return inside_r & inside_z

    def field(self, points: np.ndarray) -> np.ndarray:
        """``(n, 3)`` field of this region's shape at ``points`` (ignoring the extent)."""
        x, y, z = points[:, 0], points[:, 1], points[:, 2]
        r = np.hypot(x, y)
        out = np.zeros_like(points)
        with np.errstate(divide="ignore", invalid="ignore"):
            ux, uy = np.where(r > 0, x / r, 0.0), np.where(r > 0, y / r, 0.0)
        if self.kind == "axial":
            out[:, 2] = self.field_t
            if self.field_outer_t is not None:
                frac = np.clip((r - self.r_min) / (self.r_max - self.r_min), 0.0, 1.0)
                out[:, 2] += frac * (self.field_outer_t - self.field_t)
        elif self.kind == "radial":
            b = self.field_t * np.where(z >= 0, 1.0, -1.0)
            out[:, 0], out[:, 1] = b * ux, b * uy
        elif self.kind == "toroidal":
            with np.errstate(divide="ignore"):
                b = np.where(r > 0, self.field_t * self.r_ref / r, 0.0)
            out[:, 0], out[:, 1] = -b * uy, b * ux
        else:
            out[:] = self.field_t * np.asarray(self.axis, dtype=np.float64)
        return out


@dataclass(frozen=True)
class FieldMap:
    """A detector's field: ordered regions, the first one containing a point wins.

    Attributes
    ----------
    regions : tuple of FieldRegion
        The regions, innermost (highest priority) first.
    """

    regions: tuple[FieldRegion, ...]

    def __post_init__(self) -> None:
        # (R,) bounds and losses for one vectorised lookup (frozen: set once, here)
        table = np.array([(g.r_min, g.r_max, g.z_min, g.z_max, float(g.mirror),
                           g.dedx_gev_per_m) for g in self.regions]).reshape(-1, 6)
        object.__setattr__(self, "_table", table)

    def region_index(self, points: np.ndarray) -> np.ndarray:
        """``(n,)`` index of the region holding each point (-1 outside all)."""
        p = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        if not self.regions:
            return np.full(len(p), -1, dtype=np.int64)
        t = self._table
        r, z = np.hypot(p[:, 0], p[:, 1])[:, None], p[:, 2][:, None]
        in_z = (z >= t[:, 2]) & (z < t[:, 3])
        in_z |= (t[:, 4] > 0) & (-z >= t[:, 2]) & (-z < t[:, 3])
        inside = (r >= t[:, 0]) & (r < t[:, 1]) & in_z
        return np.where(inside.any(axis=1), inside.argmax(axis=1), -1)

    def field(self, points: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
        """``(n, 3)`` field in tesla at ``points`` (zero outside every region).

        ``index`` may pass :meth:`region_index` of the same points, computed once.
        """
        p = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        idx = self.region_index(p) if index is None else index
        out = np.zeros_like(p)
        for i in np.unique(idx[idx >= 0]):
            sel = idx == i
            out[sel] = self.regions[i].field(p[sel])
        return out

    def dedx(self, points: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
        """``(n,)`` muon energy loss in GeV/m at ``points`` (zero outside every region)."""
        idx = self.region_index(points) if index is None else index
        return np.append(self._table[:, 5], 0.0)[idx]

    def bz(self, r: float, z: float = 0.0) -> float:
        """Bz in tesla at radius ``r`` and ``z`` (on the x axis): for tables and tests."""
        return float(self.field(np.array([[r, 0.0, z]]))[0, 2])


def region_from_toml(entry: dict[str, Any]) -> FieldRegion:
    """One ``[[field]]`` table of a detector TOML as a :class:`FieldRegion`.

    Raises
    ------
    ValueError
        On an unknown ``kind``, an empty extent or a zero ``axis``.
    """
    kind = str(entry["kind"])
    if kind not in KINDS:
        raise ValueError(f"field region {entry.get('name')!r}: kind must be one of "
                         f"{', '.join(KINDS)}, not {kind!r}")
    numbers = {k: float(entry[k]) for k in ("field_t", "r_min", "r_max", "z_min", "z_max",
                                             "r_ref", "dedx_gev_per_m") if k in entry}
    if numbers["r_min"] >= numbers["r_max"] or numbers["z_min"] >= numbers["z_max"]:
        raise ValueError(f"field region {entry.get('name')!r}: min >= max")
    outer = entry.get("field_outer_t")
    axis = np.asarray(entry.get("axis", (0.0, 0.0, 1.0)), dtype=np.float64)
    if axis.shape != (3,) or not np.linalg.norm(axis) > 0:
        raise ValueError(f"field region {entry.get('name')!r}: axis must be 3 numbers, not 0")
    axis = axis / np.linalg.norm(axis)
    return FieldRegion(name=str(entry["name"]), kind=kind,
                       field_outer_t=None if outer is None else float(outer),
                       axis=(float(axis[0]), float(axis[1]), float(axis[2])),
                       mirror=bool(entry.get("mirror", True)),
                       source=str(entry.get("source", "")), **numbers)


def solenoid_map(field_t: float, radius: float, half_length: float) -> FieldMap:
    """The one-region map of a detector described only by its solenoid."""
    if radius <= 0 or half_length <= 0:
        return FieldMap(())
    return FieldMap((FieldRegion("solenoid", "axial", field_t, 0.0, radius, 0.0, half_length),))
