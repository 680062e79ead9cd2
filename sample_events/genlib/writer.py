"""Writing a sample: branch layout, float compression, metadata and the ROOT file."""

from __future__ import annotations

import json
import time
from pathlib import Path

import awkward as ak
import numpy as np
import uproot

from .processes import B_MAX_AUAU, B_MAX_PBPB

#: Where the samples are written by default: the ``sample_events`` folder.
SAMPLE_DIR = Path(__file__).resolve().parents[1]
GENERATOR = "Pythia 8.317"
LABEL = "Simulation — Pythia 8"
COLLECTIONS = ("Track", "Photon", "Electron", "Muon", "Jet")
#: Float branches are rounded to this many explicit mantissa bits (relative
#: precision 2**-13 ~ 1.2e-4, far below every resolution) so that they compress.
MANTISSA_BITS = 12
CHUNK = 500


def compress_floats(values):
    """Round float32 values to :data:`MANTISSA_BITS` mantissa bits (ROOT Float16_t-like)."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    drop = 23 - MANTISSA_BITS
    rounded = (bits + np.uint32(1 << (drop - 1))) & np.uint32(~((1 << drop) - 1) & 0xFFFFFFFF)
    return rounded.view(np.float32)


def column_of(values):
    """Turn a list of per-event values or arrays into a numpy / awkward column."""
    first = values[0]
    if isinstance(first, np.ndarray):
        counts = np.array([len(v) for v in values], dtype=np.int64)
        flat = np.concatenate(values)
        flat = compress_floats(flat) if flat.dtype.kind == "f" else flat.astype(np.int32)
        return ak.unflatten(flat, counts)
    if isinstance(first, (bool, np.bool_)):
        return np.asarray(values, dtype=bool)
    if isinstance(first, (int, np.integer)):
        return np.asarray(values, dtype=np.int32)
    return compress_floats(np.asarray(values))


def to_columns(events, system):
    """Assemble per-event records into the branch layout of the sample format."""
    n = len(events)
    cols = {"run": np.ones(n, np.int64), "luminosityBlock": np.ones(n, np.int64),
            "event": np.arange(1, n + 1, dtype=np.int64)}
    if system == "pp":
        cols["Collision_b"] = np.zeros(n, np.float32)
        cols["Collision_bClass"] = np.full(n, -1, np.int32)
    scalars = [k for k in events[0] if k not in COLLECTIONS]
    for key in scalars:
        cols[key] = column_of([rec[key] for rec in events])
    cols["Collision_b"] = np.asarray(cols["Collision_b"], dtype=np.float32)
    for coll in COLLECTIONS:
        fields = events[0][coll].keys()
        cols[coll] = ak.zip({f: column_of([rec[coll][f] for rec in events]) for f in fields})
    return cols


def write_sample(path, cols, metadata):
    """Write the ``Events`` tree (``mktree`` + ``extend``) and the metadata TObjString."""
    with uproot.recreate(path, compression=uproot.ZLIB(9)) as f:
        f["collider_viz_metadata"] = json.dumps(metadata, ensure_ascii=False)
        tree = f.mktree("Events", {k: v.type if isinstance(v, ak.Array) else v.dtype
                                   for k, v in cols.items()}, title="collider_viz sample events")
        n = len(cols["run"])
        for start in range(0, n, CHUNK):
            tree.extend({k: v[start:start + CHUNK] for k, v in cols.items()})


def metadata(sample, n_events):
    """Return the JSON metadata object of a sample."""
    resp = sample.response
    meta = {"format_version": 1, "sqrt_s": sample.sqrt_s, "collision_system": sample.system,
            "detector": resp.detector, "generator": GENERATOR, "process": sample.process,
            "is_simulation": True, "label": LABEL, "seed": sample.seed,
            "detector_response": resp.describe(), "field_t": resp.field_t,
            "n_events": n_events}
    if sample.system != "pp":
        b_max = B_MAX_AUAU if sample.system == "Au+Au" else B_MAX_PBPB
        meta["b_max_fm"] = round(b_max, 3)
        meta["centrality_definition"] = "Collision_bClass = floor(10 b^2 / b_max^2), max 9"
    return meta


def build(sample, n_events=None, outdir=None):
    """Generate one sample file and return ``(path, events, seconds, bytes)``.

    The file ``<name>.root`` is written to ``outdir`` (default :data:`SAMPLE_DIR`).
    """
    n = sample.n_events if n_events is None else n_events
    start = time.perf_counter()
    events = sample.make(n, sample.seed)
    seconds = time.perf_counter() - start
    path = Path(SAMPLE_DIR if outdir is None else outdir) / f"{sample.name}.root"
    cols, meta = to_columns(events, sample.system), metadata(sample, len(events))
    if sample.system != "pp":  # flow is imposed, not simulated (genlib/afterburner.py)
        from .flow_post import DESCRIPTION, flow_columns
        cols = flow_columns(cols, sample.system, meta["b_max_fm"], sample.seed)
        meta["flow"] = DESCRIPTION
    write_sample(path, cols, meta)
    return path, len(events), seconds, path.stat().st_size
