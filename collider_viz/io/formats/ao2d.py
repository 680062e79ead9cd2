"""ALICE Run-3 AO2D: the O2 analysis object data, one ``DF_<n>`` directory per time frame.

Each data frame holds flat tables (TTrees) joined by row index (O2 data model,
https://aliceo2group.github.io/analysis-framework/docs/datamodel/):

* ``O2collision`` (``fPosX, fPosY, fPosZ`` in cm, ``fNumContrib``, ``fChi2``,
  ``fIndexBCs``) — one row per collision, which is one event here;
* ``O2track`` (propagated to the vertex) or ``O2track_iu`` (at the innermost
  update): ``fIndexCollisions``, ``fTrackType``, and the track parametrisation
  ``fX, fAlpha, fY, fZ, fSnp, fTgl, fSigned1Pt`` in the local frame rotated by α;
* ``O2trackextra`` (same rows as the tracks): TPC/ITS/TOF quantities;
* ``O2bc`` (``fRunNumber``, ``fGlobalBC``).

Table names may carry a version suffix (``O2collision_001``). From the
parametrisation: pT = 1/|q/pT|, charge = sign(q/pT), φ = α + asin(snp),
η = asinh(tgl), and the point is ``(x cos α − y sin α, x sin α + y cos α, z)``.
Tracks not assigned to a collision (``fIndexCollisions`` = −1) and every other
table are named in ``SourceInfo.not_read``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader
from collider_viz.io.formats.ao2d_tables import (
    EXPECTED,
    DataFrame,
    collision_system,
    data_frames,
    metadata,
)
from collider_viz.io.registry import register
from collider_viz.physics.event import EventBatch, SourceInfo, particles

CM = 0.01
PION_MASS = 0.13957
_DF = re.compile(r"^DF_\d+$")


@register
class AO2DReader(Reader):
    """Reader of ALICE Run-3 AO2D files (``DF_*/O2collision``, ``O2track[_iu]`` ...)."""

    format_name = "ao2d"
    description = "ALICE Run-3 AO2D (DF_*/O2collision, O2track_iu, O2trackextra)"
    priority = 45

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        if handle is None:
            return False
        keys = handle.keys(recursive=False, cycle=False)
        return any(_DF.match(k) for k in keys) and bool(data_frames(handle, first_only=True))

    def __init__(self, path: str, handle: Any) -> None:
        self.path, self._file = path, handle
        self._frames = data_frames(handle)
        if not self._frames:
            raise FormatError(path, "no DF_*/O2collision tables", EXPECTED)
        self._starts = np.cumsum([0] + [f.n_collisions for f in self._frames])
        self._cache: tuple[int, dict[str, Any]] | None = None
        meta = metadata(handle)
        run = next((f.first_run for f in self._frames if f.first_run > 0), -1)
        system, sqrt_s, source = collision_system(meta, run)
        self.info = SourceInfo(
            path=path, format=self.format_name, detector="ALICE", collision_system=system,
            sqrt_s=sqrt_s, is_simulation=meta.get("DataType", "").upper() == "MC"
            or any("O2mcparticle" in t for f in self._frames for t in f.other_tables),
            label="ALICE Open Data", extra={"data_frames": len(self._frames), "first_run": run,
                                            "sqrt_s_source": source,
                                            "track_table": self._frames[0].tracks or "",
                                            **{f"meta_{k}": v for k, v in meta.items()}},
            not_read=self._not_read())

    def _not_read(self) -> tuple[tuple[str, str], ...]:
        out: dict[str, str] = {}
        for frame in self._frames:
            for table in frame.other_tables:
                out.setdefault(re.sub(r"_\d+$", "", table), "no common-form collection for "
                               "this O2 table")
        unassigned = sum(self._tracks_of(i)["unassigned"] for i in range(len(self._frames)))
        if unassigned:
            out["tracks without a collision"] = (f"{unassigned} tracks have fIndexCollisions "
                                                 "= -1 (not assigned to a collision)")
        return tuple(out.items())

    def __len__(self) -> int:
        return int(self._starts[-1])

    @property
    def available(self) -> tuple[str, ...]:
        has_tracks = any(f.tracks for f in self._frames)
        return ("tracks", "vertices") if has_tracks else ("vertices",)

    def _tracks_of(self, k: int) -> dict[str, Any]:
        """Tracks of data frame ``k`` in the common form, grouped by collision (cached)."""
        if self._cache is not None and self._cache[0] == k:
            return self._cache[1]
        frame = self._frames[k]
        data = frame.read_tracks(self._file)
        index = data.pop("fIndexCollisions", np.full(len(data.get("fX", [])), -1))
        keep = (index >= 0) & (index < frame.n_collisions)
        order = np.argsort(index[keep], kind="stable")
        rows = np.flatnonzero(keep)[order]
        counts = np.bincount(index[keep], minlength=frame.n_collisions)
        built = {"tracks": _tracks(data, rows) if frame.tracks else None, "counts": counts,
                 "unassigned": int((~keep).sum())}
        self._cache = (k, built)
        return built

    def read(self, start: int, stop: int,
             collections: Sequence[str] | None = None) -> EventBatch:
        """Collisions ``[start, stop)`` (across data frames)."""
        start, stop = max(int(start), 0), min(int(stop), len(self))
        stop = max(start, stop)
        wanted = [c for c in (collections or self.available) if c in self.available]
        tracks, vertices, ids = [], [], []
        for k, lo, hi in self._spans(start, stop):
            if "tracks" in wanted:
                built = self._tracks_of(k)
                offsets = np.concatenate([[0], np.cumsum(built["counts"])])
                flat = built["tracks"][offsets[lo]:offsets[hi]]
                tracks.append(ak.unflatten(flat, built["counts"][lo:hi]))
            coll = self._frames[k].read_collisions(self._file, lo, hi)
            vertices.append(coll["vertices"])
            ids.append(coll["ids"])
        colls: dict[str, ak.Array] = {}
        if "tracks" in wanted:
            colls["tracks"] = _concat(tracks)
        if "vertices" in wanted:
            colls["vertices"] = _concat(vertices)
        out_ids = {key: np.concatenate([i[key] for i in ids]) if ids else
                   np.zeros(0, np.int64) for key in ("run", "lumi", "event", "bc", "df")}
        out_ids["event"] = np.arange(start, stop, dtype=np.int64)
        return EventBatch(start=start, collections=colls, ids=out_ids)

    def _spans(self, start: int, stop: int) -> list[tuple[int, int, int]]:
        """``(frame, first, last)`` collision ranges covering ``[start, stop)``."""
        out = []
        for k in range(len(self._frames)):
            lo, hi = max(start, self._starts[k]), min(stop, self._starts[k + 1])
            if lo < hi:
                out.append((k, int(lo - self._starts[k]), int(hi - self._starts[k])))
        return out

    def counts(self) -> dict[str, np.ndarray]:
        out = {"vertices": np.ones(len(self), dtype=np.int64)}
        if "tracks" in self.available:
            out["tracks"] = np.concatenate([self._tracks_of(k)["counts"]
                                            for k in range(len(self._frames))]).astype(np.int64)
        return {c: out[c] for c in self.available}


def _tracks(data: dict[str, np.ndarray], rows: np.ndarray) -> ak.Array:
    """Common-form tracks (flat) from the O2 track parametrisation, rows in ``rows`` order."""
    col = {k: np.asarray(v)[rows] for k, v in data.items()}
    alpha, x, y = (col[k].astype(np.float64) for k in ("fAlpha", "fX", "fY"))
    snp = np.clip(col["fSnp"].astype(np.float64), -1.0, 1.0)
    q_pt = col["fSigned1Pt"].astype(np.float64)
    with np.errstate(divide="ignore"):
        pt = 1.0 / np.abs(q_pt)
    phi = np.mod(alpha + np.arcsin(snp) + np.pi, 2 * np.pi) - np.pi
    eta = np.arcsinh(col["fTgl"].astype(np.float64))
    extra = {k[1:]: v for k, v in col.items()
             if k not in ("fAlpha", "fX", "fY", "fZ", "fSnp", "fTgl", "fSigned1Pt")}
    return particles(pt, eta, phi, np.full_like(pt, PION_MASS), np.sign(q_pt).astype(np.int32),
                     vx=(x * np.cos(alpha) - y * np.sin(alpha)) * CM,
                     vy=(x * np.sin(alpha) + y * np.cos(alpha)) * CM,
                     vz=col["fZ"].astype(np.float64) * CM, **extra)


def _concat(parts: list[ak.Array]) -> ak.Array:
    return parts[0] if len(parts) == 1 else ak.concatenate(parts)


__all__ = ["AO2DReader", "DataFrame"]
