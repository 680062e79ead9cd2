"""Without a display the window is not attempted: one line says so and how to run headless."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from collider_viz.gui.app import display_missing


def _headless_env():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONWARNINGS"] = "ignore"
    return env


@pytest.mark.parametrize("args", [["sample_events/none.root"], ["story", "lhc"]])
def test_no_display_is_one_line_with_the_headless_commands(args):
    res = subprocess.run([sys.executable, "-m", "collider_viz", *args], env=_headless_env(),
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert "no display found" in lines[0] and "collider-viz export" in lines[0]
    assert "story lhc --export" in lines[0] and "xcb" not in res.stderr


def test_display_missing_rules():
    assert display_missing({}, "linux")
    assert not display_missing({"DISPLAY": ":0"}, "linux")
    assert not display_missing({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not display_missing({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not display_missing({}, "darwin") and not display_missing({}, "win32")
