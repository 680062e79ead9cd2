"""Shared helpers of the benchmarks: child processes, peak memory, results as JSON."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "results"
SAMPLES = ROOT / "sample_events"
PBPB = SAMPLES / "pbpb_5TeV_alice.root"
PP = SAMPLES / "higgs_diphoton_13TeV.root"
MARKER = "BENCH-JSON "


def machine() -> dict[str, Any]:
    """CPU count, Python and platform of this run."""
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "load_avg": os.getloadavg()[0]}


def peak_rss_mb() -> float:
    """Peak resident memory of this process, MiB.

    Read from ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` survives
    fork + exec on Linux, so a child started by a big parent would report
    the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def emit(result: dict[str, Any]) -> None:
    """Child side: hand ``result`` to the parent (one marked JSON line on stdout)."""
    print(MARKER + json.dumps(result), flush=True)


def run_child(args: list[str], env: dict[str, str] | None = None,
              timeout: float = 600.0) -> dict[str, Any]:
    """Run ``python args...`` and return the JSON it emitted, plus its wall time.

    Raises
    ------
    RuntimeError
        When the child fails or emits nothing; its stderr tail is included.
    """
    full_env = {**os.environ, **(env or {})}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=ROOT)
    wall = time.perf_counter() - start
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARKER)]
    if proc.returncode or not lines:
        raise RuntimeError(f"{args} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    result = json.loads(lines[-1][len(MARKER):])
    result["process_wall_s"] = wall
    return result


def best_of(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The run with the smallest ``key`` (the least disturbed on a shared machine)."""
    return min(runs, key=lambda r: r[key])


def median(values: list[float]) -> float:
    """Median of ``values``."""
    return float(statistics.median(values))


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Write ``result`` (plus the machine) to ``benchmarks/results/<name>.json``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **result}, indent=2, default=float))
    return path


def verdict(value: float, target: float) -> str:
    """``"met"`` or ``"MISSED"`` for a figure that must stay at or below ``target``."""
    return "met" if value <= target else "MISSED"
