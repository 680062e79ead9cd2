"""Benchmark (2): scene build (helices + buffers, no drawing) and cut changes.

* build of the most central bundled Pb+Pb event and of a pp event
  (``EventCanvas.set_event`` after a warm-up event of the same detector);
* a pT-cut change and an |η|-cut change on the Pb+Pb event.

Targets: Pb+Pb build ≤ 150 ms, pp build ≤ 30 ms, cut change ≤ 10 ms (medians).
A missed target prints a pyinstrument profile of that step.

Usage: ``python benchmarks/bench_scene.py [--repeat R]`` (needs a GL backend: EGL or Xvfb)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

TARGETS = {"pbpb_build_ms": 150.0, "pp_build_ms": 30.0, "pt_cut_ms": 10.0, "eta_cut_ms": 10.0}


def _events():
    from collider_viz.io.registry import open_events
    from collider_viz.physics.detector import load_detector

    hi = open_events(str(benchlib.PBPB))
    counts = hi.reader.counts()["tracks"]
    pp = open_events(str(benchlib.PP))
    return {"pbpb": (hi[int(np.argmax(counts))], hi[int(np.argmin(counts))],
                     load_detector(hi.info.detector)),
            "pp": (pp[0], pp[1], load_detector(pp.info.detector))}


def _median_ms(action, repeat: int) -> tuple[float, list[float]]:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        action(i)
        times.append(1e3 * (time.perf_counter() - start))
    return benchlib.median(times), times


def _profile(action) -> str:
    from pyinstrument import Profiler

    prof = Profiler(interval=0.0005)
    prof.start()
    action(0)
    prof.stop()
    return prof.output_text(unicode=False, show_all=False)


def measure(repeat: int = 7) -> dict:
    """All figures of this benchmark (medians over ``repeat``)."""
    from collider_viz.scene import EventCanvas

    ev = _events()
    canvas = EventCanvas(size=(1280, 800))
    out, actions = {}, {}
    for name in ("pbpb", "pp"):
        big, warm, det = ev[name]
        canvas.set_event(warm, det)
        actions[f"{name}_build_ms"] = lambda i, big=big, det=det: canvas.set_event(big, det)
        out[f"{name}_tracks"] = len(big["tracks"])
        out[f"{name}_build_ms"], out[f"{name}_build_all"] = _median_ms(
            actions[f"{name}_build_ms"], repeat)
    big, _, det = ev["pbpb"]
    canvas.set_event(big, det)
    out["pbpb_vertices"] = int(len(canvas.layers["tracks"].line.points))
    actions["pt_cut_ms"] = lambda i: canvas.set_threshold("tracks", (0.5, 1.0, 0.0)[i % 3])
    actions["eta_cut_ms"] = lambda i: canvas.set_eta_cut("tracks", (0.5, 0.9, None)[i % 3])
    for key in ("pt_cut_ms", "eta_cut_ms"):
        out[key], out[key.replace("_ms", "_all")] = _median_ms(actions[key], 3 * repeat)
    out["targets"] = TARGETS
    out["verdicts"] = {k: benchlib.verdict(out[k], t) for k, t in TARGETS.items()}
    out["profiles"] = {k: _profile(actions[k]) for k, v in out["verdicts"].items() if v != "met"}
    canvas.close()
    return out


def report(r: dict) -> None:
    """Print the figures (and the profile of any missed target)."""
    print(f"[scene] Pb+Pb build ({r['pbpb_tracks']:,} tracks, {r['pbpb_vertices']:,} vertices): "
          f"{r['pbpb_build_ms']:.1f} ms (target <= 150) {r['verdicts']['pbpb_build_ms']}")
    print(f"[scene] pp build ({r['pp_tracks']:,} tracks): {r['pp_build_ms']:.1f} ms "
          f"(target <= 30) {r['verdicts']['pp_build_ms']}")
    for key, label in (("pt_cut_ms", "pT cut"), ("eta_cut_ms", "|eta| cut")):
        print(f"[scene] {label} change on Pb+Pb: {r[key]:.2f} ms (target <= 10) "
              f"{r['verdicts'][key]}")
    for key, text in r["profiles"].items():
        print(f"[scene] profile of {key}:\n{text}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)
    from collider_viz.scene.render import ensure_app

    ensure_app()
    result = measure(args.repeat)
    report(result)
    benchlib.write_result("bench_scene", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
