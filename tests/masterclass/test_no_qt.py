"""The masterclass core and its command never import Qt or vispy."""

from __future__ import annotations

import subprocess
import sys


def test_masterclass_core_imports_no_qt():
    code = ("import sys\n"
            "import collider_viz.masterclass.measure, collider_viz.masterclass.records\n"
            "import collider_viz.masterclass.combine, collider_viz.masterclass.plot\n"
            "import collider_viz.commands.masterclass\n"
            "bad = [m for m in sys.modules if m.startswith(('PyQt6', 'vispy'))]\n"
            "print(bad)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
