"""Fixtures of the GUI tests: a temporary settings store, a synthetic source, the window."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QSettings
from synthetic_source import synthetic_opener


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
