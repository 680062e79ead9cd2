"""Benchmark (1): headless picture of the most central Pb+Pb event vs a bare vispy script.

Both sides run in their own subprocess on the same backend (EGL on Mesa's
surfaceless platform where it works, else the Qt backend under Xvfb) and
are timed from "data in memory" to "PNG written" at 1920×1080:

* ``export``: the event drawn and written as ``collider-viz export`` does
  (:func:`collider_viz.export.image.render_image`: canvas, detector outline,
  helices coloured by pT, annotation block; then its PNG writer
  :func:`collider_viz.export.image.save_png`);
* ``bare``: the same track polylines (same vertices, segments, colours,
  width and camera) as one vispy ``Line`` + PNG: no detector, no text.

Also reported: the whole-process wall time of ``collider-viz export`` (imports,
file reading included) and of the bare script, and two more ratios: the
drawing alone (no PNG), and the export with PIL's default PNG settings (the
bare script's).  Target: export ≤ 1.3 × bare.

Usage: ``python benchmarks/bench_render.py [--repeat R]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SIZE = (1920, 1080)
TARGET_RATIO = 1.3
EGL_ENV = {"EGL_PLATFORM": "surfaceless"}


def _use_backend(name: str) -> None:
    import vispy

    if name == "egl":
        os.environ.setdefault("EGL_PLATFORM", "surfaceless")
        vispy.use(app="egl")
    else:
        vispy.use(app="pyqt6")


def _central_event():
    from collider_viz.io.registry import open_events
    from collider_viz.physics.detector import load_detector

    source = open_events(str(benchlib.PBPB))
    entry = int(np.argmax(source.reader.counts()["tracks"]))
    event = source[entry]
    return entry, event, load_detector(source.info.detector)


def child_export(backend: str, out: str) -> None:
    """Export the central event as ``collider-viz export`` does and write the PNG.

    :func:`collider_viz.export.image.render_image` (canvas, detector outline,
    helices coloured by pT, annotation block) and
    :func:`collider_viz.export.image.save_png`.  The drawn track polylines,
    colours, width and camera are saved beside the PNG (outside the timing)
    so the bare script draws exactly the same lines.
    """
    _use_backend(backend)
    from PIL import Image

    from collider_viz.export.image import ImageOptions, prepare_canvas, render_image, save_png

    entry, event, det = _central_event()
    opts = ImageOptions(size=SIZE, color_by="pt")
    probe = prepare_canvas(event, det, opts)
    line = probe.layers["tracks"].line
    cam = probe.view.camera
    np.savez(out + ".lines.npz", pos=line.points, connect=line.base_connect, color=line.colors,
             camera=np.array([cam.fov, cam.elevation, cam.azimuth, cam.scale_factor]),
             width=np.array(line.visual.width))
    probe.close()
    start = time.perf_counter()
    image = render_image(event, det, opts)
    rendered = time.perf_counter()
    save_png(image, out, force=True)
    done = time.perf_counter()
    Image.fromarray(image).save(out + ".default.png")  # PIL defaults, as the bare script
    benchlib.emit({"seconds": done - start, "render_s": rendered - start,
                   "default_png_s": time.perf_counter() - done, "entry": entry,
                   "tracks": len(event["tracks"]), "vertices": int(len(line.points)),
                   "segments": int(line.base_connect.sum()), "lines": out + ".lines.npz"})


def child_bare(backend: str, out: str, lines: str) -> None:
    """The same polylines as one vispy ``Line`` (same colours, width, camera), then a PNG."""
    _use_backend(backend)
    from PIL import Image
    from vispy import scene

    with np.load(lines) as data:
        pos, connect, color = data["pos"], data["connect"], data["color"]
        fov, elevation, azimuth, scale = (float(v) for v in data["camera"])
        width = float(data["width"])
    start = time.perf_counter()
    canvas = scene.SceneCanvas(size=SIZE, show=False, bgcolor="black")
    view = canvas.central_widget.add_view()
    view.camera = scene.TurntableCamera(fov=fov, elevation=elevation, azimuth=azimuth,
                                        up="+y", scale_factor=scale)
    scene.visuals.Line(pos=pos, connect=connect, color=color, width=width, method="gl",
                       parent=view.scene)
    image = canvas.render()
    rendered = time.perf_counter()
    Image.fromarray(image).save(out)
    canvas.close()
    benchlib.emit({"seconds": time.perf_counter() - start, "render_s": rendered - start,
                   "vertices": int(len(pos))})


def child_probe(backend: str) -> None:
    """Emit whether ``backend`` can render a tiny canvas."""
    _use_backend(backend)
    from vispy import scene

    canvas = scene.SceneCanvas(size=(8, 8), show=False)
    ok = canvas.render().shape[:2] == (8, 8)
    canvas.close()
    benchlib.emit({"ok": bool(ok)})


def pick_backend() -> str:
    """``"egl"`` when EGL surfaceless renders here, else ``"pyqt6"`` (needs Xvfb)."""
    try:
        if benchlib.run_child([__file__, "--child", "probe", "egl"], EGL_ENV, 120)["ok"]:
            return "egl"
    except RuntimeError:
        pass
    return "pyqt6"


def _cli_export(entry: int, out: str, backend: str) -> float:
    import subprocess

    env = {**os.environ, **(EGL_ENV if backend == "egl" else {})}
    exe = Path(sys.executable).with_name("collider-viz")
    start = time.perf_counter()
    subprocess.run([str(exe), "export", str(benchlib.PBPB), "--entry", str(entry), "--size",
                    "1920x1080", "--color-by", "pt", "-o", out, "--force"],
                   check=True, capture_output=True, env=env, cwd=benchlib.ROOT)
    return time.perf_counter() - start


def run(repeat: int = 3) -> dict:
    """Run both sides ``repeat`` times (alternating) and keep the best of each."""
    backend = pick_backend()
    env = EGL_ENV if backend == "egl" else {}
    tmp = tempfile.mkdtemp(prefix="cv-bench-")
    exports, bares, clis = [], [], []
    for _ in range(repeat):
        exports.append(benchlib.run_child([__file__, "--child", "export", backend,
                                           f"{tmp}/export.png"], env))
        bares.append(benchlib.run_child([__file__, "--child", "bare", backend, f"{tmp}/bare.png",
                                         exports[-1]["lines"]], env))
        clis.append(_cli_export(exports[-1]["entry"], f"{tmp}/cli.png", backend))
    ex, bare = benchlib.best_of(exports, "seconds"), benchlib.best_of(bares, "seconds")
    ratio = ex["seconds"] / bare["seconds"]
    render_only = (min(r["render_s"] for r in exports) / min(r["render_s"] for r in bares))
    same_png = min(r["render_s"] + r["default_png_s"] for r in exports) / bare["seconds"]
    result = {"backend": backend, "size": SIZE, "export": ex, "bare": bare,
              "ratio": ratio, "target_ratio": TARGET_RATIO,
              "ratio_render_only": render_only, "ratio_same_png_settings": same_png,
              "verdict": benchlib.verdict(ratio, TARGET_RATIO),
              "cli_export_wall_s": min(clis),
              "bare_process_wall_s": min(b["process_wall_s"] for b in bares),
              "all_export_s": [r["seconds"] for r in exports],
              "all_bare_s": [r["seconds"] for r in bares]}
    return result


def report(r: dict) -> None:
    """Print the figures."""
    print(f"[render] backend {r['backend']}, {r['export']['tracks']:,} tracks = "
          f"{r['export']['vertices']:,} vertices, 1920x1080")
    print(f"[render] export (render_image + save_png) {r['export']['seconds']:.3f} s vs bare vispy Line + PNG "
          f"{r['bare']['seconds']:.3f} s: ratio {r['ratio']:.2f} (target <= {TARGET_RATIO}) "
          f"{r['verdict']}")
    print(f"[render] without the PNG: ratio {r['ratio_render_only']:.2f}; with PIL's default "
          f"PNG settings on both sides: ratio {r['ratio_same_png_settings']:.2f}")
    print(f"[render] whole processes: collider-viz export {r['cli_export_wall_s']:.2f} s, "
          f"bare script {r['bare_process_wall_s']:.2f} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        {"export": child_export, "bare": child_bare, "probe": child_probe}[kind](
            *[int(x) if x.isdigit() else x for x in rest])
        return 0
    result = run(args.repeat)
    report(result)
    benchlib.write_result("bench_render", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
