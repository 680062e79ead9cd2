"""Apply the flow afterburner to a sample's columns, at generation or to existing files.

``make samples`` applies it while building the heavy-ion files; ``generate.py
--afterburner`` applies it, seeded, to heavy-ion files already on disk (their
Angantyr events unchanged otherwise) without rerunning Pythia.
"""

from __future__ import annotations

import json
from pathlib import Path

import awkward as ak
import numpy as np
import uproot

from . import afterburner
from .writer import COLLECTIONS, compress_floats, write_sample

#: Seed offset of the reaction-plane angles (added to the sample's own seed).
PSI_SEED_OFFSET = 7919
DESCRIPTION = ("Elliptic flow imposed, not simulated: afterburner (sample_events/genlib/"
               "afterburner.py) with dN/dphi ~ 1 + 2 v2(pT, c) cos 2(phi - Collision_psiRP), "
               "v2 parameterised from STAR (Au+Au) / ALICE (Pb+Pb) v2{2}; c = 100 b^2/b_max^2.")


def flow_columns(cols: dict, system: str, b_max: float, seed: int) -> dict:
    """Return ``cols`` with flow imposed on ``Track`` and ``Collision_psiRP`` added."""
    rng = np.random.default_rng(seed + PSI_SEED_OFFSET)
    n = len(cols["run"])
    psi = rng.uniform(0.0, np.pi, n)
    b = np.asarray(cols["Collision_b"], dtype=np.float64)
    cent = np.minimum(100.0 * b * b / (b_max * b_max), 100.0)
    tracks = cols["Track"]
    fields = {f: [] for f in tracks.fields}
    for i in range(n):
        one = {f: ak.to_numpy(tracks[f][i]) for f in tracks.fields}
        pv = (float(cols["PV_x"][i]), float(cols["PV_y"][i]))
        moved = afterburner.apply(one, pv, system, float(cent[i]), float(psi[i]))
        for f in fields:
            fields[f].append(np.asarray(moved[f], dtype=one[f].dtype))
    counts = ak.to_numpy(ak.num(tracks.pt))
    zipped = {}
    for f, parts in fields.items():
        flat = np.concatenate(parts) if parts else np.zeros(0)
        flat = compress_floats(flat) if flat.dtype.kind == "f" else flat
        zipped[f] = ak.unflatten(flat, counts)
    out = dict(cols)
    out["Track"] = ak.zip(zipped)
    out["Collision_psiRP"] = compress_floats(psi)
    return out


def read_columns(path: Path) -> tuple[dict, dict]:
    """A sample file's columns (in the writer's layout) and its metadata."""
    with uproot.open(path) as f:
        meta = json.loads(str(f["collider_viz_metadata"]))
        arrays = f["Events"].arrays()
    names = arrays.fields
    cols = {}
    for coll in COLLECTIONS:
        sub = {k[len(coll) + 1:]: arrays[k] for k in names if k.startswith(coll + "_")}
        cols[coll] = ak.zip(sub)
    skip = {f"n{c}" for c in COLLECTIONS}
    for k in names:
        if k not in skip and not any(k.startswith(c + "_") for c in COLLECTIONS):
            cols[k] = ak.to_numpy(arrays[k])
    return cols, meta


def diphoton_file(path: Path) -> tuple[int, float]:
    """Add the CMS-like photon response to the diphoton file in place; return (events, ×N)."""
    from . import diphoton_post
    cols, meta = read_columns(path)
    if "signal_enhancement" in meta:
        raise SystemExit(f"{path}: photon response already applied")
    cols = diphoton_post.photon_columns(cols, int(meta["seed"]))
    factor = float(f"{diphoton_post.window_sb(cols) / diphoton_post.CMS_INCLUSIVE_SB:.2g}")
    meta = dict(meta, signal_enhancement=factor, photon_response=diphoton_post.DESCRIPTION)
    tmp = path.with_suffix(".tmp.root")
    write_sample(tmp, cols, meta)
    tmp.replace(path)
    return len(cols["run"]), factor


def afterburn_file(path: Path) -> int:
    """Impose flow on an existing heavy-ion sample file in place; return its events."""
    cols, meta = read_columns(path)
    if "Collision_psiRP" in cols:
        raise SystemExit(f"{path}: flow already imposed (Collision_psiRP present)")
    system = meta["collision_system"]
    cols = flow_columns(cols, system, float(meta["b_max_fm"]), int(meta["seed"]))
    meta = dict(meta, flow=DESCRIPTION)
    tmp = path.with_suffix(".tmp.root")
    write_sample(tmp, cols, meta)
    tmp.replace(path)
    return len(cols["run"])
