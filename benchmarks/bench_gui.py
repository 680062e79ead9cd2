"""Benchmark (3): "next event" to the frame drawn, in the real main window (pp, Pb+Pb, a 2016 .ig).

Opens :class:`collider_viz.gui.window.MainWindow` (temporary settings), waits
for the first event and for the background jobs of a newly opened file (the
object counts and the candidate scan) to end, then steps through entries as a
person clicking would (:data:`PAUSE_S` between steps) and times each step from
``window.step()`` until the canvas has drawn the new event (the vispy draw
event after ``event_shown``, followed by ``glFinish``).  Also reported: when
the mass-spectrum dock has redrawn its mark for the new event.  Each file runs
in its own subprocess.  Needs a display (run under ``xvfb-run``).

Usage: ``python benchmarks/bench_gui.py``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

STEPS = (1, 1, 1, 1, -1, -1, -1, -1)
PAUSE_S = 0.4


class StepTimer:
    """Records when an event is shown and when the canvas next finishes drawing."""

    def __init__(self, window) -> None:
        self.window = window
        self.shown_at: float | None = None
        self.drawn_at: float | None = None
        window.event_shown.connect(self._on_shown)
        window.canvas.canvas.events.draw.connect(self._on_draw, position="last")

    def _on_shown(self, _event) -> None:
        self.shown_at = time.perf_counter()
        self.drawn_at = None

    def _on_draw(self, _event) -> None:
        if self.shown_at is not None and self.drawn_at is None:
            self.window.canvas.canvas.context.finish()
            self.drawn_at = time.perf_counter()

    def idle(self, app, seconds: float, until=None) -> None:
        """Process Qt events for ``seconds`` (or until ``until()`` is true, at most 120 s)."""
        end = time.perf_counter() + (120.0 if until else seconds)
        while time.perf_counter() < end and not (until and until()):
            app.processEvents()
            time.sleep(0.002)

    def wait(self, app, timeout: float = 120.0) -> None:
        """Process Qt events until a shown event has been drawn."""
        end = time.perf_counter() + timeout
        while (self.shown_at is None or self.drawn_at is None) and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.0005)
        if self.drawn_at is None:
            raise TimeoutError("the canvas did not draw the event")


def child(path: str) -> None:
    """Open ``path`` in the main window and time :data:`STEPS`."""
    from PyQt6.QtCore import QSettings

    from collider_viz.gui.app import make_application
    from collider_viz.gui.settings import Preferences
    from collider_viz.gui.window import MainWindow

    app = make_application()
    ini = Path(tempfile.mkdtemp()) / "settings.ini"
    win = MainWindow(Preferences(QSettings(str(ini), QSettings.Format.IniFormat)))
    win.resize(1500, 920)
    win.show()
    timer = StepTimer(win)
    start = time.perf_counter()
    win.open_file(path, 0)
    timer.wait(app)
    first = timer.drawn_at - start
    timer.idle(app, 0, until=lambda: not win.candidates.scanning and "tracks" in
               win.event_table.event_model.columns)
    settled = time.perf_counter() - start
    timer.idle(app, PAUSE_S)
    spectrum: list[float] = []
    win.candidates.spectrum.canvas.mpl_connect(
        "draw_event", lambda _e: spectrum.append(time.perf_counter()))
    steps = []
    for delta in STEPS:
        timer.shown_at = timer.drawn_at = None
        t0 = time.perf_counter()
        win.step(delta)
        timer.wait(app)
        timer.idle(app, PAUSE_S)
        drawn = [t for t in spectrum if t > t0]
        steps.append({"to_entry": win.event.meta.entry, "tracks": len(win.event["tracks"]),
                      "shown_ms": 1e3 * (timer.shown_at - t0),
                      "drawn_ms": 1e3 * (timer.drawn_at - t0),
                      "spectrum_ms": 1e3 * (drawn[0] - t0) if drawn else None})
    win.close()
    marks = [s["spectrum_ms"] for s in steps if s["spectrum_ms"] is not None]
    benchlib.emit({"file": Path(path).name, "open_to_first_frame_s": first,
                   "open_to_jobs_done_s": settled, "steps": steps,
                   "median_step_ms": benchlib.median([s["drawn_ms"] for s in steps]),
                   "median_spectrum_ms": benchlib.median(marks) if marks else None})


MASTERCLASS_IG = benchlib.ROOT.parent / "shared" / "opendata" / "cms_ispy" / \
    "masterclass_DoubleMu2016G_5.ig"


def run() -> dict:
    """pp, Pb+Pb and (where present) the 2016 CMS masterclass .ig, each in its own process."""
    files = [("pp", benchlib.PP), ("pbpb", benchlib.PBPB)]
    if MASTERCLASS_IG.is_file():
        files.append(("masterclass_2016_ig", MASTERCLASS_IG))
    else:
        print(f"[gui] {MASTERCLASS_IG} not present: the .ig figure is skipped")
    return {name: benchlib.run_child([__file__, "--child", str(path)]) for name, path in files}


def report(r: dict) -> None:
    """Print the figures."""
    for name, res in r.items():
        tracks = max(s["tracks"] for s in res["steps"])
        print(f"[gui] {name}: next event -> frame drawn, median {res['median_step_ms']:.0f} ms "
              f"over {len(res['steps'])} steps (up to {tracks:,} tracks); "
              f"open -> first frame {res['open_to_first_frame_s']:.2f} s")
        if res.get("median_spectrum_ms") is not None:
            print(f"[gui] {name}: spectrum mark redrawn after {res['median_spectrum_ms']:.0f} ms "
                  f"(median); background jobs of the open done after "
                  f"{res['open_to_jobs_done_s']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    result = run()
    report(result)
    benchlib.write_result("bench_gui", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
