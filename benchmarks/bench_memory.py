"""Benchmark (4): peak memory to open a ≥ 1 GB NanoAOD-like file and show its first event.

Generates (once) ``benchmarks/data/nano_tracks_1GB.root``: a NanoAOD-style
``Events`` tree (``nTrack`` + ``Track_*``, photons, muons, jets, MET, PV and
event ids) written with uproot ``mktree``/``extend`` in 200-event baskets, uncompressed,
until the file passes 1 GiB.  Then, in a fresh subprocess: ``open_events`` +
``source[0]`` + ``EventCanvas.set_event`` (the scene build), and the peak RSS.
Baseline: the same process after its imports only.  Target: peak ≤ 400 MB.

Usage: ``python benchmarks/bench_memory.py [--regen]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

FILE = benchlib.DATA / "nano_tracks_1GB.root"
TARGET_BYTES = 1 << 30
#: Events per extend() call = per basket (~1.2 MB per track branch, like ROOT auto-flush).
CHUNK_EVENTS = 200
TARGET_MB = 400.0
_TRACK = ("pt", "eta", "phi", "dz", "dxy", "vx", "vy", "vz")


def _jagged(rng, counts: np.ndarray, fields: dict[str, object]) -> dict[str, object]:
    import awkward as ak

    total = int(counts.sum())
    return {name: ak.unflatten(make(rng, total), counts) for name, make in fields.items()}


def _chunk(rng, start: int) -> dict[str, object]:
    """One chunk of events: ~1,500 tracks each (heavy-ion-like), a few other objects."""
    n = CHUNK_EVENTS
    ntrk = rng.poisson(1500, n).astype(np.int32)
    tracks = {f"Track_{k}": (lambda r, m: r.normal(0, 1, m).astype(np.float32)) for k in _TRACK}
    tracks["Track_pt"] = lambda r, m: (r.exponential(0.6, m) + 0.1).astype(np.float32)
    tracks["Track_charge"] = lambda r, m: r.choice(np.array([-1, 1], np.int32), m)
    out = {"run": np.full(n, 1, np.int64), "luminosityBlock": np.full(n, 1, np.int64),
           "event": np.arange(start, start + n, dtype=np.int64),
           "MET_pt": rng.exponential(20, n).astype(np.float32),
           "MET_phi": rng.uniform(-3, 3, n).astype(np.float32),
           "PV_x": np.zeros(n, np.float32), "PV_y": np.zeros(n, np.float32),
           "PV_z": rng.normal(0, 5, n).astype(np.float32)}
    out.update(_jagged(rng, ntrk, tracks))
    nmu = rng.poisson(1, n).astype(np.int32)
    out.update(_jagged(rng, nmu, {f"Muon_{k}": (lambda r, m: r.normal(5, 1, m).astype(np.float32))
                                  for k in ("pt", "eta", "phi", "mass")}))
    return out


def _group(arrays: dict[str, object]) -> dict[str, object]:
    """Zip ``Track_*`` / ``Muon_*`` into records so uproot writes ``nTrack`` + ``Track_x``."""
    import awkward as ak

    out = {k: v for k, v in arrays.items() if "_" not in k or k.split("_")[0] in ("MET", "PV")}
    for prefix in ("Track", "Muon"):
        fields = {k[len(prefix) + 1:]: v for k, v in arrays.items() if k.startswith(prefix + "_")}
        out[prefix] = ak.zip(fields)
    return out


def generate(path: Path = FILE) -> float:
    """Write the file in chunks until it passes 1 GiB; return the seconds spent."""
    import uproot

    start = time.perf_counter()
    rng = np.random.default_rng(2024)
    path.parent.mkdir(parents=True, exist_ok=True)
    with uproot.recreate(path, compression=None) as f:
        first, written = True, 0
        while not path.exists() or path.stat().st_size < TARGET_BYTES:
            chunk = _group(_chunk(rng, written))
            if first:
                f.mktree("Events", {k: v.type.content if hasattr(v, "type") else v.dtype
                                    for k, v in chunk.items()})
                first = False
            f["Events"].extend(chunk)
            written += CHUNK_EVENTS
    return time.perf_counter() - start


def child(path: str, mode: str) -> None:
    """Peak RSS after imports only (``baseline``) or after open + first event + scene build."""
    from collider_viz.io.registry import open_events
    from collider_viz.physics.detector import load_detector
    from collider_viz.scene import EventCanvas
    from collider_viz.scene.render import ensure_app

    ensure_app()
    after_imports = benchlib.peak_rss_mb()
    result = {"mode": mode, "after_imports_mb": after_imports}
    if mode == "open":
        start = time.perf_counter()
        source = open_events(path)
        event = source[0]
        canvas = EventCanvas(size=(800, 600))
        canvas.set_event(event, load_detector("CMS"))
        result.update(seconds=time.perf_counter() - start, n_events=len(source),
                      tracks=len(event["tracks"]))
        canvas.close()
    result["peak_rss_mb"] = benchlib.peak_rss_mb()
    benchlib.emit(result)


def run(regen: bool = False) -> dict:
    """Generate if needed, then measure in fresh subprocesses."""
    gen = generate() if regen or not FILE.exists() else None
    base = benchlib.run_child([__file__, "--child", str(FILE), "baseline"])
    opened = benchlib.run_child([__file__, "--child", str(FILE), "open"])
    return {"file": str(FILE), "file_mb": FILE.stat().st_size / 2**20, "generate_s": gen,
            "baseline": base, "open": opened, "target_mb": TARGET_MB,
            "verdict": benchlib.verdict(opened["peak_rss_mb"], TARGET_MB)}


def report(r: dict) -> None:
    """Print the figures."""
    o = r["open"]
    print(f"[memory] {r['file_mb']:.0f} MiB file, {o['n_events']:,} events: open + first event "
          f"({o['tracks']:,} tracks) + scene build in {o['seconds']:.2f} s, peak RSS "
          f"{o['peak_rss_mb']:.0f} MB (imports alone {r['baseline']['peak_rss_mb']:.0f} MB; "
          f"target <= {TARGET_MB:.0f}) {r['verdict']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--regen", action="store_true")
    p.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    result = run(args.regen)
    report(result)
    benchlib.write_result("bench_memory", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
