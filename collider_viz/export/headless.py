"""Choose a vispy backend that draws without a window.

Headless export uses vispy's EGL backend on Mesa's *surfaceless* platform:
no X server, no window, deterministic software rendering (llvmpipe). It
must be selected before the first canvas is created. Where EGL is missing
but a display exists the default (Qt) backend is used instead; where there
is no OpenGL at all :class:`NoOpenGLError` says so in one line.
"""

from __future__ import annotations

import os

from collider_viz.errors import ColliderVizError

_CHOSEN: str | None = None


class NoOpenGLError(ColliderVizError):
    """No OpenGL implementation could be started."""


_HINT = ("no OpenGL available for headless rendering; install Mesa EGL (libegl-mesa0, libegl1) "
         "or run under xvfb-run")


def _try_backend(name: str) -> bool:
    from vispy import app

    try:
        app.use_app(name)
    except Exception:  # vispy raises RuntimeError/ImportError/OSError for a missing backend
        return False
    return True


def setup_headless(prefer_egl: bool = True) -> str:
    """Select and check a vispy backend for offscreen rendering.

    Parameters
    ----------
    prefer_egl : bool
        Use EGL even when ``DISPLAY`` is set (deterministic pictures).

    Returns
    -------
    str
        The backend name, e.g. ``"egl"``.

    Raises
    ------
    NoOpenGLError
        When neither EGL nor a display-based backend can render.
    """
    global _CHOSEN
    if _CHOSEN is not None:
        return _CHOSEN
    existing = _selected_backend()
    if existing is not None:  # a window (Qt) already chose: draw offscreen with it
        _CHOSEN = existing
        return existing
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    candidates = ["egl"] if prefer_egl or not has_display else []
    if has_display:
        candidates.append("pyqt6")
    for name in candidates:
        if name == "egl":
            os.environ.setdefault("EGL_PLATFORM", "surfaceless")
        if _try_backend(name) and _probe():
            _CHOSEN = name
            return name
    raise NoOpenGLError(_HINT)


def _selected_backend() -> str | None:
    from vispy.app import _default_app

    app = getattr(_default_app, "default_app", None)
    return None if app is None else str(app.backend_name).lower()


def _probe() -> bool:
    """Render a 4×4 canvas; False when the GL context cannot be made."""
    try:
        from vispy import scene

        canvas = scene.SceneCanvas(size=(4, 4), show=False)
        try:
            image = canvas.render()
        finally:
            canvas.close()
    except Exception:  # any failure here means: no usable GL
        return False
    return image.shape[:2] == (4, 4)


def chosen_backend() -> str | None:
    """The backend chosen by :func:`setup_headless`, or None before it ran."""
    return _CHOSEN
