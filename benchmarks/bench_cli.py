"""Benchmark: whole ``collider-viz`` processes against the plain scripts in ``../shared/bench/``.

The references are used unmodified:

* ``ref_scan.py`` — the H→γγ scan a physicist would write (uproot.iterate + vector);
* ``bare_vispy.py N P W H OUT`` — a bare vispy Line of N tracks × P points to a PNG;
* ``make_scan_file.py N OUT`` — writes the 5,000,000-event photon file both scans read
  (``benchmarks/data/scan5m.root``, made once, git-ignored).

Every figure is a whole process (imports, reading, writing) timed from the
outside, as the median of ``--pairs`` alternating (collider-viz, reference)
pairs; the spread (min–max of the ratios) is printed as the noise of this
shared machine. Peak memory is the largest summed RSS of the process tree
(parent and forked workers), polled every 20 ms. Prints a table like issue
14's and writes ``benchmarks/results/bench_cli.json``.

Usage: ``python benchmarks/bench_cli.py [--pairs 3] [--events 5000000] [--only scan|export]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SHARED = benchlib.ROOT.parent / "shared" / "bench"
CLI = [sys.executable, "-m", "collider_viz"]
EGL = {"EGL_PLATFORM": "surfaceless"}


def run_tree(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak summed RSS (MiB) of ``cmd`` and its children."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=benchlib.ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    top, peak = psutil.Process(proc.pid), 0.0
    while proc.poll() is None:
        try:
            rss = sum(p.memory_info().rss for p in [top, *top.children(recursive=True)])
            peak = max(peak, rss / 2**20)
        except psutil.Error:
            pass
        time.sleep(0.02)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{cmd} failed: {proc.stderr.read().decode()[-1000:]}")  # type: ignore[union-attr]
    return wall, peak


def pairs(ours: list[str], ref: list[str], n: int, env: dict[str, str] | None = None,
          cleanup: Path | None = None) -> dict[str, float]:
    """``n`` alternating runs of ``ours`` and ``ref``: medians, ratio (ref/ours) and its spread."""
    rows = []
    for _ in range(n):
        if cleanup is not None:
            cleanup.unlink(missing_ok=True)
        a = run_tree(ours, env)
        b = run_tree(ref, env)
        rows.append((a, b))
    ratios = [b[0] / a[0] for a, b in rows]
    return {"ours_s": statistics.median(a[0] for a, _ in rows),
            "ref_s": statistics.median(b[0] for _, b in rows),
            "ours_mb": max(a[1] for a, _ in rows), "ref_mb": max(b[1] for _, b in rows),
            "speed": statistics.median(ratios), "speed_min": min(ratios),
            "speed_max": max(ratios)}


def scan_figures(events: int, n: int) -> dict[str, dict[str, float]]:
    """The scan rows of the table."""
    data = benchlib.DATA / ("scan5m.root" if events == 5_000_000 else f"scan{events}.root")
    if not data.exists():
        benchlib.DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(SHARED / "make_scan_file.py"), str(events),
                        str(data)], check=True, cwd=benchlib.ROOT)
    ref = [sys.executable, str(SHARED / "ref_scan.py"), str(data)]
    out = Path(tempfile.gettempdir()) / "collider_viz_bench_scan.json"
    scan = [*CLI, "scan", str(data), "--select", "hgg"]
    bare = [sys.executable, "-c", "import sys, uproot; uproot.open(sys.argv[1])['Events'].arrays("
            "['Photon_pt', 'Photon_eta', 'Photon_phi', 'Photon_mass'])", str(data)]
    rows = {"scan --json (default)": pairs([*scan, "--json", str(out), "--force"], ref, n),
            "scan, no --json": pairs(scan, ref, n),
            "scan --workers 1": pairs([*scan, "--workers", "1"], ref, n),
            "scan --workers 2": pairs([*scan, "--workers", "2"], ref, n),
            "uproot bare read (4 branches)": pairs(bare, ref, n)}
    out.unlink(missing_ok=True)
    return rows


def export_figures(n: int) -> dict[str, dict[str, float]]:
    """The export row: central Pb+Pb (17,209 tracks) 1920x1080 PNG vs bare_vispy.py."""
    tmp = Path(tempfile.mkdtemp(prefix="collider_viz_bench_"))
    ours = [*CLI, "export", str(benchlib.PBPB), "--entry", "1", "-o", str(tmp / "a.png"),
            "--force"]
    ref = [sys.executable, str(SHARED / "bare_vispy.py"), "17209", "50", "1920", "1080",
           str(tmp / "b.png")]
    return {"export central Pb+Pb 1920x1080 PNG": pairs(ours, ref, n, EGL)}


def table(rows: dict[str, dict[str, float]]) -> str:
    """The figures as a Markdown table."""
    lines = ["| what | collider_viz | reference | speed (ref time / ours) | noise (min-max) |",
             "|---|---|---|---|---|"]
    for what, r in rows.items():
        lines.append(f"| {what} | {r['ours_s']:.2f} s, {r['ours_mb']:.0f} MB | "
                     f"{r['ref_s']:.2f} s, {r['ref_mb']:.0f} MB | {r['speed']:.2f}x | "
                     f"{r['speed_min']:.2f}-{r['speed_max']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pairs", type=int, default=3)
    p.add_argument("--events", type=int, default=5_000_000)
    p.add_argument("--only", choices=("scan", "export"))
    args = p.parse_args(argv)
    rows: dict[str, dict[str, float]] = {}
    if args.only in (None, "scan"):
        rows.update(scan_figures(args.events, args.pairs))
    if args.only in (None, "export"):
        rows.update(export_figures(args.pairs))
    print(table(rows))
    print("targets: scan >= 1.5x the reference's speed with --json, peak memory <= the "
          "reference's; export time <= 1.3x bare_vispy (speed >= 0.77x)")
    benchlib.write_result("bench_cli", {"rows": rows, "pairs": args.pairs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
