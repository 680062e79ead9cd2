"""Save a screenshot of the whole window: ``python -m collider_viz.tools.screenshot OUT.png``.

Opens the app on the default sample (or ``--file``), waits until the event
is drawn, grabs the window with :meth:`QWidget.grab` and saves it. Run it
under a display (``make screenshot`` uses ``xvfb-run``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from types import SimpleNamespace

from PyQt6.QtCore import QTimer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m collider_viz.tools.screenshot",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("out", help="PNG file to write")
    parser.add_argument("--file", help="event file (default: the H→γγ sample)")
    parser.add_argument("--entry", type=int, default=0, help="entry to show")
    parser.add_argument("--view", default="3d", choices=("3d", "rphi", "rz", "lego"))
    parser.add_argument("--theme", default="dark", choices=("dark", "light"))
    parser.add_argument("--size", default="1600x1000", help="window size WxH")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the event")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Open the window, wait for the event, save ``OUT``; returns the exit status."""
    args = _parser().parse_args(argv)
    from PyQt6.QtCore import QSettings

    from collider_viz.gui.app import create_window, make_application
    from collider_viz.gui.settings import Preferences

    app = make_application()
    scratch = tempfile.TemporaryDirectory(prefix="collider_viz_shot_")
    # a scratch store: a screenshot never reads or changes the user's preferences
    prefs = Preferences(QSettings(os.path.join(scratch.name, "settings.ini"),
                                  QSettings.Format.IniFormat))
    prefs.theme = args.theme
    window = create_window(SimpleNamespace(file=args.file, entry=args.entry, mapping=None,
                                           play=None), prefs)
    width, height = (int(v) for v in args.size.lower().split("x"))
    window.resize(width, height)
    result = {"status": 1}
    window.event_shown.connect(lambda _e: QTimer.singleShot(1500, lambda: _save(window, args, result)))
    window.loader.failed.connect(lambda _w, msg: _fail(msg, result))
    QTimer.singleShot(int(args.timeout * 1000), lambda: _fail("timed out", result))
    app.exec()
    window.close()
    scratch.cleanup()
    return result["status"]


def _save(window, args: argparse.Namespace, result: dict) -> None:
    from PyQt6.QtWidgets import QApplication

    window.set_view(args.view)
    QApplication.processEvents()
    window.canvas.native.update()
    QApplication.processEvents()
    ok = window.grab().save(args.out)
    print(f"{'wrote' if ok else 'could not write'} {args.out}")
    result["status"] = 0 if ok else 1
    QApplication.quit()


def _fail(message: str, result: dict) -> None:
    from PyQt6.QtWidgets import QApplication

    if result["status"]:
        print(f"screenshot: {message}", file=sys.stderr)
        QApplication.quit()


if __name__ == "__main__":
    sys.exit(main())
