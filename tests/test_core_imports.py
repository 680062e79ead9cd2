"""The physics core and the readers must never import Qt or vispy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "collider_viz"
CORE_DIRS = ["physics", "io"]
FORBIDDEN = ("PyQt6", "PyQt5", "PySide6", "vispy")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_core_sources_do_not_import_gui_libraries():
    files = [p for d in CORE_DIRS for p in (PKG / d).rglob("*.py")]
    assert files, "no core modules found"
    bad = [(str(p.relative_to(PKG)), n) for p in files for n in _imports(p)
           if n.split(".")[0] in FORBIDDEN]
    assert bad == []


def test_importing_core_loads_no_gui_module():
    code = ("import sys, collider_viz, collider_viz.io.formats, collider_viz.physics.event;"
            "import pkgutil, importlib, collider_viz.physics as p;"
            "[importlib.import_module(m.name) for m in pkgutil.walk_packages(p.__path__, 'collider_viz.physics.')];"
            f"bad=[m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]; print(bad); assert not bad")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
