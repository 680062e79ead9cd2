"""Fixtures of the GUI tests: a temporary settings store, a synthetic source, the window,
the H→γγ sample scanned by the command line and in a window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PyQt6.QtCore import QSettings
from synthetic_source import synthetic_opener

SAMPLES = Path(__file__).resolve().parents[2] / "sample_events"
HGG = "higgs_diphoton_13TeV.root"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """The application log goes to a temporary directory, never the user's data directory."""
    path = tmp_path / "appdata"
    monkeypatch.setenv("COLLIDER_VIZ_DATA_DIR", str(path))
    return path


@pytest.fixture
def prefs(tmp_path):
    """Preferences in a temporary INI file (never the user's settings)."""
    from collider_viz.gui.settings import Preferences

    return Preferences(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, prefs):
    """A shown main window with the synthetic opener, closed afterwards."""
    from collider_viz.gui.window import MainWindow

    win = MainWindow(prefs, opener=synthetic_opener)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)  # shortcuts need the active window
    yield win
    win.close()


@pytest.fixture
def open_wait(qtbot):
    """Return ``(window, path, entry=0) -> Event``: open a file and wait until it is shown."""

    def run(win, path, entry=0, timeout=60000):
        with qtbot.waitSignal(win.event_shown, timeout=timeout):
            win.open_file(str(path), entry)
        return win.event

    return run


@pytest.fixture
def step_wait(qtbot):
    """Return ``(window, action) -> Event``: run ``action()`` and wait for the next shown event."""

    def run(win, action, timeout=30000):
        with qtbot.waitSignal(win.event_shown, timeout=timeout):
            action()
        return win.event

    return run


@pytest.fixture(scope="module")
def reference():
    """``(path, result)``: the command line's scan of the H→γγ sample."""
    from collider_viz.physics.scan import scan_files

    path = SAMPLES / HGG
    if not path.exists():
        pytest.skip(f"sample {HGG} has not been generated (make samples)")
    return str(path), scan_files([path], "hgg")


@pytest.fixture
def scanned(qtbot, prefs, reference):
    """``(window, controller)`` with the sample open and its scan finished."""
    from collider_viz.gui.window import MainWindow

    win = MainWindow(prefs)
    ctl = win.candidates
    qtbot.addWidget(win)
    win.resize(1500, 950)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)  # shortcuts need the active window
    with qtbot.waitSignal(ctl.scan_finished, timeout=120000):
        win.open_file(reference[0])
    yield win, ctl
    win.close()
