"""Fixtures for the export tests: a synthetic event and a headless GL backend."""

from __future__ import annotations

import numpy as np
import pytest


def synthetic_event(n_tracks: int = 40, seed: int = 3):
    """A small pp event with tracks, two photons and MET (no file needed)."""
    from collider_viz.physics.event import Event, EventMeta, SourceInfo, missing_et, particles

    rng = np.random.default_rng(seed)
    zeros = np.zeros(n_tracks)
    tracks = particles(rng.uniform(0.5, 20, n_tracks), rng.uniform(-2, 2, n_tracks),
                       rng.uniform(-np.pi, np.pi, n_tracks), zeros + 0.14,
                       rng.choice([-1, 1], n_tracks), vx=zeros, vy=zeros, vz=zeros)
    photons = particles(np.array([60.0, 45.0]), np.array([0.3, -0.8]), np.array([0.5, -2.4]),
                        np.zeros(2))
    info = SourceInfo(path="synthetic", format="test", detector="CMS", collision_system="pp",
                      sqrt_s=13000.0, is_simulation=True, label="Simulation — Pythia 8")
    meta = EventMeta(entry=0, run=1, lumi=2, event=42, time="2012-05-14T05:37:00")
    return Event(meta=meta, info=info, collections={"tracks": tracks, "photons": photons,
                                                    "met": missing_et([30.0], [1.0])[0]})


@pytest.fixture(scope="session")
def gl_backend():
    """Select a vispy backend able to render offscreen, or skip.

    With a display (pytest under Xvfb) the Qt backend is kept, so that GUI tests
    in the same process still get embeddable canvases; without one, EGL.
    The no-display EGL path is also tested in a subprocess.
    """
    import os

    from collider_viz.export.headless import NoOpenGLError, setup_headless

    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    try:
        return setup_headless(prefer_egl=not has_display)
    except NoOpenGLError as exc:
        pytest.skip(str(exc))


@pytest.fixture
def event():
    """The synthetic event."""
    return synthetic_event()
