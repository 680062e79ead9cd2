"""Fixtures of the heavy-ion display tests: the vispy PyQt6 backend and canvases."""

from __future__ import annotations

import pytest

pytest.importorskip("vispy")
pytest.importorskip("PyQt6")

from collider_viz.scene.render import ensure_app  # noqa: E402

ensure_app("pyqt6")


@pytest.fixture
def make_canvas():
    """Factory for offscreen EventCanvas instances, closed after the test."""
    from collider_viz.scene import EventCanvas

    made = []

    def make(size=(480, 360), **kwargs):
        canvas = EventCanvas(size=size, show=False, **kwargs)
        made.append(canvas)
        return canvas

    yield make
    for canvas in made:
        canvas.close()
