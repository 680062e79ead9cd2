"""The tables of one AO2D data frame, the file's metadata, and its collision system."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError

EXPECTED = ("an ALICE AO2D file: DF_<n>/O2collision (fPosX, fPosY, fPosZ), DF_<n>/O2track_iu "
            "or O2track (fIndexCollisions, fX, fAlpha, fY, fZ, fSnp, fTgl, fSigned1Pt)")
CM = 0.01
TRACK_PARAMS = ("fX", "fAlpha", "fY", "fZ", "fSnp", "fTgl", "fSigned1Pt")
#: track columns passed through when present
TRACK_EXTRA = ("fIndexCollisions", "fTrackType", "fTPCSignal", "fTPCNClsFindable",
               "fITSClusterSizes", "fITSClusterMap", "fTOFChi2", "fTrackTime", "fFlags")
COLLISION = ("fPosX", "fPosY", "fPosZ", "fNumContrib", "fChi2", "fIndexBCs")


def _table(name: str, base: str) -> bool:
    return re.fullmatch(rf"{base}(_\d+)?", name) is not None


@dataclass
class DataFrame:
    """The tables of one ``DF_<n>`` directory (names as in the file)."""

    name: str
    collisions: str
    n_collisions: int
    tracks: str | None = None
    extra: str | None = None
    bcs: str | None = None
    first_run: int = -1
    other_tables: list[str] = field(default_factory=list)

    def path(self, table: str) -> str:
        return f"{self.name}/{table}"

    def read_tracks(self, handle: Any) -> dict[str, np.ndarray]:
        """Track parameters and pass-through columns of the whole frame (track rows)."""
        if self.tracks is None:
            return {}
        tree = handle[self.path(self.tracks)]
        names = [n for n in (*TRACK_PARAMS, *TRACK_EXTRA) if n in tree.keys()]
        data = tree.arrays(names, library="np")
        if self.extra is not None:
            extra = handle[self.path(self.extra)]
            if extra.num_entries != tree.num_entries:
                raise FormatError(handle.file_path, f"{self.path(self.extra)} has "
                                  f"{extra.num_entries} rows but {self.path(self.tracks)} has "
                                  f"{tree.num_entries}", "O2trackextra joined row by row")
            more = [n for n in TRACK_EXTRA if n in extra.keys() and n not in data]
            data.update(extra.arrays(more, library="np"))
        return {k: v for k, v in data.items() if v.dtype != object}

    def read_collisions(self, handle: Any, lo: int, hi: int) -> dict[str, Any]:
        """Vertices (one per collision, metres) and ids of collisions ``[lo, hi)``."""
        tree = handle[self.path(self.collisions)]
        names = [n for n in COLLISION if n in tree.keys()]
        col = tree.arrays(names, entry_start=lo, entry_stop=hi, library="np")
        n = hi - lo
        fields = {k: col[f"fPos{k.upper()}"].astype(np.float64) * CM for k in "xyz"}
        fields |= {k: col[b] for k, b in (("numContrib", "fNumContrib"), ("chi2", "fChi2"))
                   if b in col}
        vertices = ak.unflatten(ak.zip(fields), np.ones(n, dtype=np.int64))
        run, bc = np.full(n, self.first_run, np.int64), np.full(n, -1, np.int64)
        if self.bcs is not None and "fIndexBCs" in col:
            bct = handle[self.path(self.bcs)]
            have = [b for b in ("fRunNumber", "fGlobalBC") if b in bct.keys()]
            table = bct.arrays(have, library="np")
            idx = col["fIndexBCs"].astype(np.int64)
            ok = (idx >= 0) & (idx < bct.num_entries)
            if "fRunNumber" in table:
                run[ok] = table["fRunNumber"][idx[ok]]
            if "fGlobalBC" in table:
                bc[ok] = table["fGlobalBC"][idx[ok]].astype(np.int64)
        df = int(self.name.split("_", 1)[1])
        return {"vertices": vertices, "ids": {"run": run, "lumi": np.full(n, -1, np.int64),
                                              "event": np.zeros(n, np.int64), "bc": bc,
                                              "df": np.full(n, df, np.int64)}}


def _frame(handle: Any, name: str, tables: list[str]) -> DataFrame | None:
    coll = next((t for t in tables if _table(t, "O2collision")), None)
    if coll is None or not {"fPosX", "fPosY", "fPosZ"} <= set(handle[f"{name}/{coll}"].keys()):
        return None
    frame = DataFrame(name, coll, int(handle[f"{name}/{coll}"].num_entries))
    track = next((t for t in tables if _table(t, "O2track")), None) or \
        next((t for t in tables if _table(t, "O2track_iu")), None)
    if track and set(TRACK_PARAMS) <= set(handle[f"{name}/{track}"].keys()):
        frame.tracks = track
    frame.extra = next((t for t in tables if _table(t, "O2trackextra")), None)
    frame.bcs = next((t for t in tables if _table(t, "O2bc")), None)
    if frame.bcs and "fRunNumber" in handle[f"{name}/{frame.bcs}"].keys():
        runs = handle[f"{name}/{frame.bcs}"]["fRunNumber"].array(entry_stop=1, library="np")
        frame.first_run = int(runs[0]) if len(runs) else -1
    used = {coll, frame.tracks, frame.extra, frame.bcs}
    frame.other_tables = [t for t in tables if t not in used]
    if track and not frame.tracks:
        frame.other_tables.append(track)
    return frame


def data_frames(handle: Any, first_only: bool = False) -> list[DataFrame]:
    """The ``DF_<n>`` frames with an ``O2collision`` table, in file order."""
    by_dir: dict[str, list[str]] = {}
    for key, classname in handle.classnames(cycle=False).items():
        parts = key.split("/")
        if len(parts) == 2 and parts[0].startswith("DF_") and classname == "TTree":
            by_dir.setdefault(parts[0], []).append(parts[1])
    out = []
    for name, tables in by_dir.items():
        frame = _frame(handle, name, tables)
        if frame is not None:
            out.append(frame)
            if first_only:
                break
    return out


def metadata(handle: Any) -> dict[str, str]:
    """The file's ``metaData`` map (``DataType``, ``LPMProductionTag`` ...), {} if unreadable."""
    if "metaData" not in handle.keys(recursive=False, cycle=False):
        return {}
    try:
        obj = handle["metaData"]
        return {str(k): str(v) for k, v in obj.items()}
    except Exception:  # an optional map uproot may not know how to read
        return {}


#: ALICE Run-3 heavy-ion periods: (first run, last run, system, √s_NN GeV) — the Pb–Pb
#: pilot of 2022 (LHC22s) and the 2023 (LHC23zz*) and 2024 (LHC24ar/as) Pb–Pb runs.
#: Unverified bounds: no public run list was found; only LHC23zzh runs 544116/544124 and
#: LHC23zzk run 544451 (public analysis configurations) are seen inside the 2023 range.
#: Other Run-3 runs are not assumed pp 13.6 TeV (2022/2024 900 GeV, the 2024 5.36 TeV pp
#: reference, 2025 O+O/Ne+Ne): without a production tag their √s is unknown.
ALICE_HEAVY_ION_RUNS = ((529397, 529418, "Pb+Pb", 5360.0), (543437, 545367, "Pb+Pb", 5360.0),
                        (559544, 560404, "Pb+Pb", 5360.0))
_PERIOD = re.compile(r"LHC(\d\d)([a-z]+)")
_PBPB_PERIODS = re.compile(r"LHC(22s|23zz[a-z]*|24a[rs])")


def collision_system(meta: dict[str, str], run: int) -> tuple[str, float | None, str]:
    """``(system, √s_NN or None, where it came from)``: the run, else the production tag."""
    for first, last, system, energy in ALICE_HEAVY_ION_RUNS:
        if first <= run <= last:
            return system, energy, f"run number {run}"
    tag = " ".join(meta.get(k, "") for k in ("LPMProductionTag", "AnchorProduction",
                                             "RecoPassName"))
    if _PBPB_PERIODS.search(tag):
        return "Pb+Pb", 5360.0, f"metadata period {_PBPB_PERIODS.search(tag).group(0)}"
    match = _PERIOD.search(tag)
    if match and int(match.group(1)) >= 22:
        return "pp", 13600.0, f"metadata period {match.group(0)}"
    return "pp", None, "unknown: neither a run number nor a production tag says"
