"""Run every benchmark, print its figures and write them to ``benchmarks/results/*.json``.

Benchmarks (each against a baseline measured in the same run):

1. ``bench_render``  — headless 1920×1080 picture of central Pb+Pb vs a bare vispy Line;
2. ``bench_scene``   — scene build (Pb+Pb, pp) and cut changes, no drawing;
3. ``bench_gui``     — "next event" to frame drawn in the main window;
4. ``bench_memory``  — peak RSS to open a ≥ 1 GB file and show its first event;
5. ``bench_startup`` — ``collider-viz`` to first frame vs bare imports;
6. ``bench_cli``     — whole ``collider-viz scan``/``export`` processes vs ``../shared/bench/``;
7. ``bench_scan``    — ``collider-viz scan`` vs plain uproot + vector (``--with-scan``).

Needs a display for 2, 3 and 5 (``make bench`` runs this under ``xvfb-run``).
Usage: ``python benchmarks/run_all.py [--only NAME ...] [--with-scan]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ("bench_render", "bench_scene", "bench_gui", "bench_memory", "bench_startup",
           "bench_cli")


def run_one(name: str) -> dict:
    """Run ``benchmarks/<name>.py`` in its own process; its status and duration."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / f"{name}.py")], cwd=HERE.parent)
    return {"name": name, "returncode": proc.returncode,
            "seconds": round(time.perf_counter() - start, 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", nargs="+", choices=(*BENCHES, "bench_scan"))
    p.add_argument("--with-scan", action="store_true", help="also run bench_scan.py (slow)")
    args = p.parse_args(argv)
    names = list(args.only or BENCHES) + (["bench_scan"] if args.with_scan else [])
    runs = [run_one(name) for name in names]
    summary = {"runs": runs, "results": {}}
    for name in names:
        path = HERE / "results" / f"{name}.json"
        if path.exists():
            summary["results"][name] = json.loads(path.read_text())
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "summary.json").write_text(json.dumps(summary, indent=2))
    failed = [r["name"] for r in runs if r["returncode"]]
    print(f"results in {HERE / 'results'}" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
