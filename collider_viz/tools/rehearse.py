"""Rehearse a lecture: ``python -m collider_viz.tools.rehearse OUTDIR [--file F] [--story lhc ...]``.

Opens the window like ``collider-viz FILE``, waits for the candidate scan,
steps with N (next candidate), shows the ρ-φ and lego views and presentation
mode (F5), then plays each story through its title page and every step, full
screen at the end (F5) and back (Esc). Every state is grabbed into ``OUTDIR``
as a PNG to look at before the lecture. Run it under a display with a window
manager, e.g. ``xvfb-run -a -s "-screen 0 1920x1080x24" sh -c 'openbox & python
-m collider_viz.tools.rehearse shots/'``; preferences go to a scratch store.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m collider_viz.tools.rehearse",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("outdir", help="folder for the PNGs (created)")
    parser.add_argument("--file", help="event file (default: the H→γγ sample)")
    parser.add_argument("--story", nargs="*", default=["lhc", "rhic"],
                        help="stories to play (default: lhc rhic; none: only the window)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for a scan")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="scale of the pauses before each grab (default 1)")
    return parser


def wait(ms: int) -> None:
    """Run the Qt event loop for ``ms`` milliseconds."""
    from PyQt6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(condition: Any, timeout: float) -> bool:
    """Run the event loop until ``condition()`` holds (False after ``timeout`` seconds)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            return False
        wait(50)
    return True


class Shots:
    """Grab widgets into numbered PNGs of one folder."""

    def __init__(self, outdir: str, settle: float = 1.0) -> None:
        self.settle = settle
        self.dir = Path(outdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.written: list[Path] = []

    def __call__(self, widget: Any, name: str, settle_ms: int = 700) -> None:
        wait(int(settle_ms * self.settle))
        path = self.dir / f"{len(self.written):02d}_{name}.png"
        if widget.grab().save(str(path)):
            self.written.append(path)
            print(f"wrote {path}", flush=True)


def rehearse_window(window: Any, shots: Shots, timeout: float) -> None:
    """The window: first event, N to the next candidate, ρ-φ, lego, presentation mode."""
    from PyQt6.QtCore import Qt
    from PyQt6.QtTest import QTest

    until(lambda: window.event is not None and not window.candidates.scanning, timeout)
    shots(window, "window")
    QTest.keyClick(window, Qt.Key.Key_N)
    shots(window, "next_candidate", 1500)
    for key, name in ((Qt.Key.Key_2, "rphi"), (Qt.Key.Key_4, "lego"), (Qt.Key.Key_1, "3d")):
        QTest.keyClick(window.canvas.native, key)
        shots(window, name)
    QTest.keyClick(window, Qt.Key.Key_F5)
    shots(window, "presentation", 1500)
    QTest.keyClick(window, Qt.Key.Key_Escape)
    wait(800)


def rehearse_story(name: str, parent: Any, shots: Shots) -> None:
    """A story: title page, every step, full screen (F5) and back (Esc)."""
    from PyQt6.QtCore import Qt
    from PyQt6.QtTest import QTest

    from collider_viz.gui.lecture.story_player import StoryPlayer

    player = StoryPlayer.open(name, parent)
    shots(player, f"{name}_title", 1500)
    for number in range(1, len(player.story) + 1):
        player.go(number)
        shots(player, f"{name}_step{number}")
    QTest.keyClick(player, Qt.Key.Key_F5)
    shots(player, f"{name}_full_screen", 1500)
    QTest.keyClick(player, Qt.Key.Key_Escape)
    player.close()


def main(argv: list[str] | None = None) -> int:
    """Rehearse; returns 0 when every picture was written."""
    args = _parser().parse_args(argv)
    from PyQt6.QtCore import QSettings

    from collider_viz.gui.app import NO_DISPLAY, create_window, display_missing, make_application
    from collider_viz.gui.settings import Preferences

    if display_missing():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app = make_application()  # kept: a collected QApplication takes the widgets with it
    scratch = tempfile.TemporaryDirectory(prefix="collider_viz_rehearse_")
    prefs = Preferences(QSettings(os.path.join(scratch.name, "settings.ini"),
                                  QSettings.Format.IniFormat))
    window = create_window(SimpleNamespace(file=args.file, entry=0, mapping=None, play=None), prefs)
    window.resize(1600, 1000)
    shots = Shots(args.outdir, args.settle)
    try:
        rehearse_window(window, shots, args.timeout)
        for name in args.story:
            rehearse_story(name, window, shots)
    finally:
        window.close()
        scratch.cleanup()
        del app
    expected = 6 + sum(_story_shots(name) for name in args.story)
    return 0 if len(shots.written) == expected else 1


def _story_shots(name: str) -> int:
    from collider_viz.export.stories import load_story

    return len(load_story(name)) + 2


if __name__ == "__main__":
    sys.exit(main())
