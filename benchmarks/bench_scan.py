"""Benchmark: ``collider-viz scan --select hgg`` against a plain uproot + vector analysis.

Generates (once) ``benchmarks/data/nano_hgg_1M.root``, a NanoAOD-like file of
1,000,000 events (photons with an H→γγ signal, plus muons, jets, MET, vertices
and event ids) written with uproot ``mktree``/``extend`` in chunks. Then runs,
each in its own subprocess so that peak memory is measured separately:

* ``engine``: :func:`collider_viz.physics.scan.scan_files` (what the CLI runs);
* ``reference``: what a physicist would write — ``uproot.iterate`` over the
  needed branches, ``vector`` photons, ``ak.combinations`` of the selected
  photons, the same cuts, the highest-ΣpT passing pair.

Both must give the same candidates: the same events and, in each, the same
two photons (masses agree to the reference's float32 precision). Prints events/s of each, their
ratio and the peak resident memory, and writes the figures as JSON to
``benchmarks/results/bench_scan.json``.

Usage: ``python benchmarks/bench_scan.py [--events N] [--repeat R] [--regen]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
H_MASS = 125.0
PHOTON_BRANCHES = ["Photon_pt", "Photon_eta", "Photon_phi", "Photon_mass", "Photon_mvaID_WP90"]
ID_BRANCHES = ["run", "luminosityBlock", "event"]


# ----------------------------------------------------------------------------- generation
def _decay_photons(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """pt, eta, phi arrays (2, n) of the photons of n H→γγ decays."""
    pt_h, y, phi_h = rng.exponential(40.0, n), rng.normal(0.0, 1.2, n), rng.uniform(-np.pi, np.pi, n)
    mt = np.hypot(H_MASS, pt_h)
    beta = np.stack([pt_h * np.cos(phi_h), pt_h * np.sin(phi_h), mt * np.sinh(y)]) / (mt * np.cosh(y))
    cos_t, phi_d = rng.uniform(-1, 1, n), rng.uniform(-np.pi, np.pi, n)
    sin_t = np.sqrt(1 - cos_t**2)
    d = np.stack([sin_t * np.cos(phi_d), sin_t * np.sin(phi_d), cos_t]) * (H_MASS / 2)
    b2 = np.maximum((beta**2).sum(0), 1e-12)
    gamma = 1.0 / np.sqrt(1.0 - b2)
    out = []
    for sign in (1.0, -1.0):
        p = sign * d + ((gamma - 1) * (beta * sign * d).sum(0) / b2 + gamma * H_MASS / 2) * beta
        pt = np.hypot(p[0], p[1])
        out.append((pt, np.arcsinh(p[2] / pt), np.arctan2(p[1], p[0])))
    return [np.stack([out[0][i], out[1][i]]) for i in range(3)]


def _jagged(rng: np.random.Generator, counts: np.ndarray, **cols: np.ndarray):
    import awkward as ak

    return ak.zip({k: ak.unflatten(v, counts) for k, v in cols.items()})


def _photons(rng: np.random.Generator, n: int):
    nbkg, sig = rng.poisson(1.8, n), rng.random(n) < 0.05
    m = int(nbkg.sum())
    hpt, heta, hphi = _decay_photons(rng, int(sig.sum()))
    ev = np.concatenate([np.repeat(np.arange(n), nbkg), np.repeat(np.flatnonzero(sig), 2)])
    pt = np.concatenate([12 + rng.exponential(22, m), hpt.T.ravel()])
    eta = np.concatenate([rng.uniform(-2.8, 2.8, m), heta.T.ravel()])
    phi = np.concatenate([rng.uniform(-np.pi, np.pi, m), hphi.T.ravel()])
    order = np.lexsort((-pt, ev))
    good = np.concatenate([rng.random(m) < 0.7, rng.random(2 * int(sig.sum())) < 0.95])
    counts = np.bincount(ev, minlength=n)
    f32 = np.float32
    return _jagged(rng, counts, pt=pt[order].astype(f32), eta=eta[order].astype(f32),
                   phi=phi[order].astype(f32), mass=np.zeros(len(ev), f32),
                   mvaID_WP90=good[order])


def _chunk(rng: np.random.Generator, start: int, n: int) -> dict:
    f32 = np.float32
    nmu, njet = rng.poisson(0.6, n), rng.poisson(3.0, n)
    k, j = int(nmu.sum()), int(njet.sum())
    return {
        "run": np.full(n, 1, np.uint32),
        "luminosityBlock": ((start + np.arange(n)) // 1000 + 1).astype(np.uint32),
        "event": (start + np.arange(n) + 1).astype(np.uint64),
        "Photon": _photons(rng, n),
        "Muon": _jagged(rng, nmu, pt=(3 + rng.exponential(15, k)).astype(f32),
                        eta=rng.uniform(-2.4, 2.4, k).astype(f32),
                        phi=rng.uniform(-np.pi, np.pi, k).astype(f32),
                        mass=np.full(k, 0.10566, f32), charge=rng.choice([-1, 1], k).astype(np.int32)),
        "Jet": _jagged(rng, njet, pt=(20 + rng.exponential(30, j)).astype(f32),
                       eta=rng.uniform(-4.7, 4.7, j).astype(f32),
                       phi=rng.uniform(-np.pi, np.pi, j).astype(f32),
                       mass=rng.uniform(2, 20, j).astype(f32)),
        "MET_pt": rng.exponential(25, n).astype(f32), "MET_phi": rng.uniform(-np.pi, np.pi, n).astype(f32),
        "PV_npvs": rng.poisson(25, n).astype(np.int32), "PV_z": rng.normal(0, 4, n).astype(f32),
    }


def generate(path: Path, n_events: int, chunk: int = 100_000, seed: int = 2024) -> None:
    """Write ``n_events`` NanoAOD-like events to ``path`` in chunks (mktree + extend)."""
    import awkward as ak
    import uproot

    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.root")
    with uproot.recreate(tmp) as f:
        tree = None
        for start in range(0, n_events, chunk):
            data = _chunk(rng, start, min(chunk, n_events - start))
            if tree is None:
                tree = f.mktree("Events", {k: v.type.content if isinstance(v, ak.Array) else v.dtype
                                           for k, v in data.items()})
            tree.extend(data)
    os.replace(tmp, path)


# ----------------------------------------------------------------------------- the two contenders
def run_engine(path: str) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    from collider_viz.physics.scan import scan_files

    res = scan_files([path], "hgg")
    return res.n_events, res.entry, res.mass, res.objects["photons"]


def run_reference(path: str) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    import awkward as ak
    import uproot
    import vector

    vector.register_awkward()
    entries, masses, chosen, n = [], [], [], 0
    for arrays in uproot.iterate(f"{path}:Events", ID_BRANCHES + PHOTON_BRANCHES):
        photons = ak.zip({"pt": arrays.Photon_pt, "eta": arrays.Photon_eta,
                          "phi": arrays.Photon_phi, "mass": arrays.Photon_mass,
                          "index": ak.local_index(arrays.Photon_pt)}, with_name="Momentum4D")
        aeta = abs(photons.eta)
        good = (photons.pt > 20) & (aeta < 2.5) & ~((aeta > 1.4442) & (aeta < 1.566))
        photons = photons[good & arrays.Photon_mvaID_WP90]
        pairs = ak.combinations(photons, 2, fields=["g1", "g2"])
        mgg = (pairs.g1 + pairs.g2).mass
        lead = np.maximum(pairs.g1.pt, pairs.g2.pt)
        sub = np.minimum(pairs.g1.pt, pairs.g2.pt)
        ok = (lead > 30) & (sub > 20) & (lead > mgg / 3) & (sub > mgg / 4)
        best = ak.argmax((pairs.g1.pt + pairs.g2.pt)[ok], axis=1, keepdims=True)
        mass = ak.firsts(mgg[ok][best])
        has = ak.to_numpy(~ak.is_none(mass))
        entries.append(n + np.flatnonzero(has))
        masses.append(ak.to_numpy(mass[has]))
        pair = ak.firsts(pairs[ok][best])[has]
        chosen.append(np.stack([ak.to_numpy(pair.g1.index), ak.to_numpy(pair.g2.index)], axis=1))
        n += len(arrays)
    return n, np.concatenate(entries), np.concatenate(masses), np.concatenate(chosen)


def child(mode: str, path: str, out: str) -> None:
    """Run one contender, save its candidates to ``out`` (.npz) and print its figures."""
    fn = run_engine if mode == "engine" else run_reference
    if mode == "engine":
        import collider_viz.io.formats  # noqa: F401  (import cost outside the timing, as uproot's)
    import awkward  # noqa: F401
    import uproot  # noqa: F401
    import vector  # noqa: F401

    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    n, entries, masses, photons = fn(path)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    np.savez(out, entries=entries, masses=masses, photons=photons)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"mode": mode, "n_events": n, "seconds": seconds, "cpu_seconds": cpu,
                      "n_candidates": int(len(entries)), "peak_rss_mb": peak / 1024,
                      "after_imports_rss_mb": before.ru_maxrss / 1024}))


# ----------------------------------------------------------------------------- driver
def measure(mode: str, path: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, str(path), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{proc.stderr}")
    fig = json.loads(proc.stdout.strip().splitlines()[-1])
    fig["peak_rss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return fig


def compare(a: Path, b: Path) -> dict:
    """Same candidate events and the same two photons in each; mass differences for information.

    The masses agree only up to the reference's float32 arithmetic (vector
    computes E² − p² in the file's float32, losing up to ~0.1 GeV for nearly
    collinear energetic photons; the engine uses float64), so the candidates are
    compared by entry and photon indices, which must be identical.
    """
    ea, eb = np.load(a), np.load(b)
    same_entries = bool(np.array_equal(ea["entries"], eb["entries"]))
    same_photons = same_entries and bool(np.array_equal(ea["photons"], eb["photons"]))
    diff = np.abs(ea["masses"] - eb["masses"]) if same_entries else None
    return {"same_entries": same_entries, "same_photon_pairs": same_photons,
            "max_abs_mass_diff_gev": float(diff.max()) if diff is not None and len(diff) else None,
            "median_rel_mass_diff": float(np.median(diff / eb["masses"]))
            if diff is not None and len(diff) else None,
            "same_candidates": same_photons}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3, help="runs of each, alternating (best kept)")
    p.add_argument("--regen", action="store_true", help="regenerate the data file")
    p.add_argument("--child", nargs=3, metavar=("MODE", "FILE", "OUT"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    path = DATA / f"nano_hgg_{args.events // 1000}k.root"
    if args.regen or not path.exists():
        t0 = time.perf_counter()
        generate(path, args.events)
        print(f"generated {path} in {time.perf_counter() - t0:.1f} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs: dict[str, list[dict]] = {"engine": [], "reference": []}
    for _ in range(args.repeat):
        for mode in runs:
            runs[mode].append(measure(mode, path, RESULTS / f"bench_scan_{mode}.npz"))
    report = summarize(runs, path)
    report["check"] = compare(RESULTS / "bench_scan_engine.npz", RESULTS / "bench_scan_reference.npz")
    (RESULTS / "bench_scan.json").write_text(json.dumps(report, indent=2) + "\n")
    print_report(report)
    return 0 if report["check"]["same_candidates"] else 1


def summarize(runs: dict[str, list[dict]], path: Path) -> dict:
    out: dict = {"file": str(path), "file_mb": path.stat().st_size / 2**20,
                 "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                             "platform": platform.platform()}}
    for mode, figs in runs.items():
        best = min(figs, key=lambda f: f["seconds"])
        out[mode] = {"n_events": best["n_events"], "n_candidates": best["n_candidates"],
                     "seconds": best["seconds"], "events_per_s": best["n_events"] / best["seconds"],
                     "cpu_seconds": min(f["cpu_seconds"] for f in figs),
                     "peak_rss_mb": max(f["peak_rss_mb"] for f in figs),
                     "after_imports_rss_mb": best["after_imports_rss_mb"],
                     "all_seconds": [f["seconds"] for f in figs]}
    out["speed_ratio"] = out["engine"]["events_per_s"] / out["reference"]["events_per_s"]
    out["cpu_ratio"] = out["reference"]["cpu_seconds"] / out["engine"]["cpu_seconds"]
    out["memory_ratio"] = out["engine"]["peak_rss_mb"] / out["reference"]["peak_rss_mb"]
    return out


def print_report(r: dict) -> None:
    for mode in ("engine", "reference"):
        f = r[mode]
        print(f"{mode:>9}: {f['events_per_s']:>12,.0f} events/s  ({f['seconds']:.2f} s wall, "
              f"{f['cpu_seconds']:.2f} s CPU, "
              f"{f['n_candidates']:,} candidates)  peak RSS {f['peak_rss_mb']:.0f} MB "
              f"(after imports {f['after_imports_rss_mb']:.0f} MB)")
    print(f"speed ratio engine/reference: {r['speed_ratio']:.2f}x (CPU {r['cpu_ratio']:.2f}x)   "
          f"memory ratio: {r['memory_ratio']:.2f}   same candidates: {r['check']['same_candidates']}"
          f" (max mass difference {r['check']['max_abs_mass_diff_gev']} GeV)")


if __name__ == "__main__":
    sys.exit(main())
