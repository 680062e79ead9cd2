"""A classification survives the window being killed (SIGKILL) right after the key press."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest

from collider_viz.masterclass.records import read_records

CHILD = textwrap.dedent("""
    import os, signal, sys
    from types import SimpleNamespace
    from PyQt6.QtCore import QSettings, QTimer
    from PyQt6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from collider_viz.gui.app import create_window
    from collider_viz.gui.settings import Preferences
    path, results, ini = sys.argv[1:4]
    prefs = Preferences(QSettings(ini, QSettings.Format.IniFormat))
    win = create_window(SimpleNamespace(file=path, entry=0, mapping=None, play=None), prefs)
    win.show()
    def classify_then_die():
        if win.event is None:
            QTimer.singleShot(100, classify_then_die)
            return
        ctl = win.masterclass
        ctl.set_results(results, "crashers")
        ctl.selection.pick("muons", 0)
        ctl.selection.pick("muons", 1, add=True)
        ctl.actions["mumu"].trigger()  # the action the key 6 fires
        print("classified", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # no close, no atexit, no flush
    QTimer.singleShot(0, classify_then_die)
    app.exec()
""")


def test_record_survives_sigkill_and_resumes(opendata, tmp_path, qtbot, prefs):
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs a display (pytest-xvfb provides one)")
    path = opendata("cms_root/uproot-Zmumu.root")
    results = tmp_path / "crashers.csv"
    proc = subprocess.run([sys.executable, "-c", CHILD, str(path), str(results),
                           str(tmp_path / "child.ini")], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert "classified" in proc.stdout
    (rec,) = read_records(results)
    assert (rec.file, rec.entry, rec.category, rec.group) == ("uproot-Zmumu.root", 0, "mumu",
                                                              "crashers")
    assert rec.objects == (("muons", 0), ("muons", 1)) and rec.mass == pytest.approx(82.1494,
                                                                                      abs=1e-3)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".crashers")]
    from collider_viz.gui.app import create_window

    win = create_window(SimpleNamespace(file=str(path), entry=0, mapping=None, play=None), prefs)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.event is not None, timeout=60000)
    win.masterclass.set_results(results, "crashers")
    assert win.masterclass.panel.buttons["mumu"].isChecked()
    assert "this event: μμ" in win.masterclass.panel.status.text()
    win.close()
