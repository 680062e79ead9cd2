"""Benchmark (5): ``collider-viz`` start to first frame vs the bare imports it needs.

* ``app``: a fresh process does what ``collider-viz [FILE]`` does
  (:func:`collider_viz.gui.app.create_window`) and quits on the first canvas
  frame that shows the event; timed from process spawn (parent clock) to
  that frame.  Default sample (H→γγ) and the Pb+Pb sample.
* ``imports``: a fresh process that only imports PyQt6.QtWidgets, vispy.scene
  and uproot (the floor of any such application).

Needs a display (run under ``xvfb-run``).  Usage: ``python benchmarks/bench_startup.py``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

REPEAT = 3


def child_app(path: str) -> None:
    """Open the main window on ``path``; report the wall-clock time of its first event frame."""
    import argparse as ap
    import tempfile

    from PyQt6.QtCore import QSettings, QTimer

    from collider_viz.gui import app as gui_app
    from collider_viz.gui.settings import Preferences

    qt = gui_app.make_application()
    prefs = Preferences(QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"),
                                  QSettings.Format.IniFormat))
    win = gui_app.create_window(ap.Namespace(file=path, entry=0, mapping=None, play=None), prefs)
    state: dict[str, float] = {}
    win.event_shown.connect(lambda _e: state.setdefault("shown", time.time()))

    def on_draw(_event) -> None:
        if "shown" in state and "frame" not in state:
            win.canvas.canvas.context.finish()
            state["frame"] = time.time()
            QTimer.singleShot(0, qt.quit)  # quitting inside paintGL crashes Qt

    win.canvas.canvas.events.draw.connect(on_draw, position="last")
    qt.exec()
    benchlib.emit({"frame_epoch": state["frame"], "shown_epoch": state["shown"]})


def child_imports() -> None:
    """Only the imports every such application pays."""
    import PyQt6.QtWidgets  # noqa: F401
    import uproot  # noqa: F401
    import vispy.scene  # noqa: F401

    benchlib.emit({"epoch": time.time()})


def _app_once(path: Path) -> float:
    spawn = time.time()
    res = benchlib.run_child([__file__, "--child", "app", str(path)])
    return res["frame_epoch"] - spawn


def run() -> dict:
    """Best of :data:`REPEAT` for each sample and for the bare imports."""
    out = {}
    for name, path in (("default_sample", benchlib.PP), ("pbpb", benchlib.PBPB)):
        times = [_app_once(path) for _ in range(REPEAT)]
        out[name] = {"first_frame_s": min(times), "all_s": times}
    imports = [benchlib.run_child([__file__, "--child", "imports"])["process_wall_s"]
               for _ in range(REPEAT)]
    out["bare_imports_s"] = min(imports)
    out["bare_imports_all_s"] = imports
    out["ratio_default_sample"] = out["default_sample"]["first_frame_s"] / out["bare_imports_s"]
    return out


def report(r: dict) -> None:
    """Print the figures."""
    print(f"[startup] collider-viz -> first frame: default sample "
          f"{r['default_sample']['first_frame_s']:.2f} s, Pb+Pb {r['pbpb']['first_frame_s']:.2f} s; "
          f"bare imports of PyQt6 + vispy + uproot {r['bare_imports_s']:.2f} s "
          f"(ratio {r['ratio_default_sample']:.2f})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child_app(args.child[1]) if args.child[0] == "app" else child_imports()
        return 0
    result = run()
    report(result)
    benchlib.write_result("bench_startup", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
