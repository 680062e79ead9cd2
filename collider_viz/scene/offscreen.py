"""GL context handling and true-size offscreen rendering for ``EventCanvas``.

Why :func:`bind_context` exists
-------------------------------
vispy's PyQt6 backend is a ``QOpenGLWidget``.  While such a widget has
never been shown it has no context of its own; vispy gives it a *secondary*
context on an offscreen surface, makes that current once in the
constructor, and afterwards ``set_current()`` does nothing (it only acts
when ``isValid()``).  So with two hidden canvases, every GL command of the
first one goes to the context of the canvas created last: its program,
buffer and texture ids do not exist there and the first draw fails with
``GL_INVALID_VALUE`` / ``GL_INVALID_OPERATION`` (on the first detector
``Mesh`` of the outline, since it is drawn first).  vispy does not share
contexts between widgets under PyQt6 (``use_shared_contexts()`` is False),
so nothing is shared between canvases: the only fault is which context is
current.  :func:`bind_context` makes ``set_current()`` select the
secondary context of a hidden canvas; every vispy draw path (``render``,
export tiling, ``hires``) calls ``set_current()`` first.

Why drawing pauses the garbage collector
----------------------------------------
When Python's cyclic garbage collector frees a closed canvas that had been
shown, Qt's ``QOpenGLWidget`` teardown leaves *no* GL context current
(``QOpenGLContext.currentContext()`` is None right after).  If the
collection happens to run in the middle of another canvas's draw (between
two visuals), every later GL call of that draw goes nowhere: the next shader
compiles with an empty log and vispy raises "Shader compilation error".  A
draw therefore runs with automatic collection paused (:func:`gc_paused`);
vispy's ``draw_visual`` makes the canvas current at its start, so a
collection between draws is harmless.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np


def bind_context(canvas: Any) -> None:
    """Make ``canvas.set_current()`` select this canvas's own context even while hidden.

    Also makes the canvas's ``draw_visual`` and ``render`` run with
    automatic garbage collection paused (see the module notes).

    Parameters
    ----------
    canvas : vispy.scene.SceneCanvas
        A canvas of any backend; only the Qt ``QOpenGLWidget`` backend is changed.
    """
    backend = getattr(canvas, "_backend", None)
    secondary = getattr(backend, "_secondary_context", None)
    surface = getattr(backend, "_surface", None)
    if secondary is None or surface is None or not hasattr(backend, "isValid"):
        return
    widget_current = backend._vispy_set_current

    def set_current() -> None:
        if backend.isValid():
            widget_current()
        else:
            secondary.makeCurrent(surface)

    backend._vispy_set_current = set_current
    canvas.draw_visual = _without_collection(canvas.draw_visual)
    canvas.render = _without_collection(canvas.render)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Suspend automatic garbage collection inside (restored as it was on exit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _without_collection(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` run inside :func:`gc_paused` (see the module notes)."""
    @functools.wraps(method)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        with gc_paused():
            return method(*args, **kwargs)
    return guarded


@contextmanager
def logical_size(canvas: Any, size: tuple[int, int],
                 relayout: Callable[[tuple[int, int]], None]) -> Iterator[None]:
    """Lay the scene out for ``size`` pixels while inside, without resizing the native widget.

    The central widget (and so the view box and its camera's aspect) takes
    ``size``; ``relayout(size)`` places pixel-space overlays.  Both are put
    back on exit.
    """
    central = canvas.central_widget
    old = (int(round(central.size[0])), int(round(central.size[1])))
    if tuple(size) == old:
        yield
        return
    central.size = size
    relayout(size)
    try:
        yield
    finally:
        central.size = old
        relayout(old)


def render_at(canvas: Any, size: tuple[int, int], bgcolor: Any,
              relayout: Callable[[tuple[int, int]], None]) -> np.ndarray:
    """Draw ``canvas`` into a framebuffer of exactly ``size`` = (width, height) pixels.

    The layout (camera aspect, overlay positions) is that of a canvas of
    ``size``: nothing is cropped or resampled.

    Returns
    -------
    np.ndarray
        (height, width, 4) uint8 RGBA.
    """
    size = (int(size[0]), int(size[1]))
    canvas.set_current()
    with logical_size(canvas, size, relayout):
        return canvas.render(region=framebuffer_region(canvas, size), size=size,
                             bgcolor=bgcolor, alpha=True)


def framebuffer_region(canvas: Any, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The canvas-framebuffer rectangle showing logical pixels ``[0, w] x [0, h]``.

    vispy maps a render region in framebuffer coordinates, whose y axis
    points up from the bottom of the *canvas*; the logical layout starts at
    the top-left corner, so the region of a (w, h) layout starts at
    ``canvas_height - h`` (negative when the layout is taller than the canvas).
    """
    scale = canvas.pixel_scale
    phys_h = canvas.physical_size[1]
    w, h = round(size[0] * scale), round(size[1] * scale)
    return 0, int(phys_h - h), int(w), int(h)
