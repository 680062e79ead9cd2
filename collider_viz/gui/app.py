"""Start the event display: ``collider-viz [FILE] [--entry N] [--play SECONDS]``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PyQt6.QtWidgets import QApplication

from collider_viz.gui.errors import install_excepthook
from collider_viz.gui.settings import APPLICATION, ORGANISATION

DEFAULT_SAMPLE = "higgs_diphoton_13TeV.root"


def default_sample() -> Path:
    """Return the bundled H→γγ sample (``sample_events/`` beside the package)."""
    here = Path(__file__).resolve()
    for base in (here.parents[2], here.parents[1], Path.cwd()):
        candidate = base / "sample_events" / DEFAULT_SAMPLE
        if candidate.exists():
            return candidate
    return here.parents[2] / "sample_events" / DEFAULT_SAMPLE


#: One line for a machine with no display (instead of Qt's plugin error and abort).
NO_DISPLAY = ("collider-viz: error: no display found (DISPLAY and WAYLAND_DISPLAY are unset): "
              "the window needs a desktop session or `ssh -X`; without one, render pictures "
              "with `collider-viz export FILE --entry N -o event.png` or "
              "`collider-viz story lhc --export DIR`")


def display_missing(env: Any = None, platform: str = sys.platform) -> bool:
    """True where Qt would have no screen to open a window on (Linux/BSD without X or Wayland).

    ``QT_QPA_PLATFORM`` (``offscreen``, ``vnc`` ...) set by the user is respected.
    """
    env = os.environ if env is None else env
    if platform.startswith(("win", "darwin")) or env.get("QT_QPA_PLATFORM"):
        return False
    return not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def make_application(argv: list[str] | None = None) -> QApplication:
    """Return the running :class:`QApplication`, creating it when needed."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("collider_viz")
    return app  # type: ignore[return-value]


def create_window(args: Any, prefs: Any = None) -> Any:
    """Create the main window and start opening ``args.file`` (or the default sample).

    Parameters
    ----------
    args : argparse.Namespace
        ``file``, ``mapping``, ``entry`` and ``play`` as parsed by :mod:`collider_viz.cli`.
    prefs : Preferences, optional
        Stored preferences (tests pass a temporary store).
    """
    from collider_viz.gui.window import MainWindow

    window = MainWindow(prefs)
    path = getattr(args, "file", None) or os.fspath(default_sample())
    window.open_file(path, int(getattr(args, "entry", 0) or 0), getattr(args, "mapping", None))
    play = getattr(args, "play", None)
    if play:
        window.show()
        window.start_play(float(play))
    else:
        window.show()
    return window


def run_app(args: Any) -> int:
    """Open the window and run the Qt event loop; returns the exit status."""
    if display_missing():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app = make_application()
    install_excepthook()
    window = create_window(args)
    status = app.exec()
    del window
    return int(status)
