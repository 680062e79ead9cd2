"""Fixtures for the scene tests: the vispy PyQt6 backend, the CMS detector, canvases."""

from __future__ import annotations

import pytest

vispy = pytest.importorskip("vispy")
pytest.importorskip("PyQt6")

from collider_viz.scene.render import ensure_app  # noqa: E402

ensure_app("pyqt6")


@pytest.fixture(scope="session")
def cms():
    from collider_viz.physics.detector import load_detector

    return load_detector("CMS")


@pytest.fixture
def event():
    from scene_events import make_event

    return make_event(60, seed=3)


@pytest.fixture
def make_canvas():
    """Factory for offscreen EventCanvas instances, closed after the test."""
    from collider_viz.scene import EventCanvas

    made = []

    def make(size=(640, 480), theme="dark", **kwargs):
        canvas = EventCanvas(size=size, show=False, theme=theme, **kwargs)
        made.append(canvas)
        return canvas

    yield make
    for canvas in made:
        canvas.close()
