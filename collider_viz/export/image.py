"""High-resolution pictures of one event: render, annotate, write a PNG atomically."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.export import scene_bridge
from collider_viz.export.annotate import annotation_lines, draw_annotation, draw_notes
from collider_viz.export.atomic import write_bytes_atomic
from collider_viz.export.hires import check_size


@dataclass
class ImageOptions:
    """How to draw an exported picture.

    Attributes
    ----------
    size : (int, int)
        Width and height in pixels (up to 7680×4320).
    view : str
        ``"3d"``, ``"rphi"``, ``"rz"`` or ``"lego"``.
    theme : str
        ``"dark"`` or ``"light"``.
    transparent : bool
        Background alpha 0 (otherwise every pixel has alpha 255).
    annotate : bool
        Draw the experiment / run / event block top-left.
    camera : (az, el, dist) or None
        Camera in degrees and metres; the view's default when None.
    color_by : str or None
        ``"charge"``, ``"pt"`` or ``"species"``; the canvas default when None.
    candidate : str or None
        Candidate line for the annotation (e.g. the mass).
    extra_lines : list of str
        More annotation lines.
    highlight : dict
        Collection → object indices to highlight (the candidate's objects).
    camera_state : dict or None
        Full camera state from the GUI (``camera.get_state()``), applied last
        so that an export shows exactly what the window shows.
    display : dict or None
        The window's display choices (``CollectionPanel.state()``: visible
        collections, cuts, colouring, line width, detector layers), applied
        before the event so the picture draws what the screen draws.
    lines : list of str or None
        The annotation lines to write instead of the event's own (the
        window's overlay text, cuts and candidate included).
    """

    size: tuple[int, int] = (1920, 1080)
    view: str = "3d"
    theme: str = "dark"
    transparent: bool = False
    annotate: bool = True
    camera: tuple[float, float, float] | None = None
    color_by: str | None = None
    candidate: str | None = None
    extra_lines: Sequence[str] = ()
    highlight: dict[str, list[int]] = field(default_factory=dict)
    camera_state: dict[str, Any] | None = None
    display: dict[str, Any] | None = None
    lines: Sequence[str] | None = None


def detector_for(event: Any) -> Any:
    """The bundled detector named by the event's source."""
    from collider_viz.physics.detector import load_detector

    return load_detector(event.info.detector)


def prepare_canvas(event: Any, detector: Any, opts: ImageOptions,
                   gl_notices: bool = False) -> Any:
    """An offscreen ``EventCanvas`` showing ``event`` as ``opts`` asks (caller closes it).

    Its notices are kept for :func:`finish` to write (see :func:`render_scene`)
    unless ``gl_notices`` draws them on the canvas (a panel of a composite).
    """
    ec = scene_bridge.make_canvas(check_size(opts.size), opts.theme)
    ec.notices.set_drawn(gl_notices)
    try:
        scene_bridge.configure(ec, event, detector, opts.view, opts.color_by, opts.camera,
                               opts.highlight, opts.camera_state, opts.display)
    except BaseException:
        ec.close()
        raise
    return ec


def render_scene(ec: Any, size: tuple[int, int],
                 transparent: bool = False) -> tuple[np.ndarray, list[str]]:
    """Render ``ec`` without its notices (objects not drawn), which are returned.

    :func:`finish` writes them in the annotation's font, bottom-left as on
    screen: the picture says the same, and a one-shot export does not build
    the canvas's text visual (about 50 ms of a 1920×1080 picture, measured).
    """
    notes, drawn = ec.notice_lines(), ec.notices.drawn
    ec.notices.set_drawn(False)
    try:
        return scene_bridge.render(ec, size, transparent), notes
    finally:
        ec.notices.set_drawn(drawn)


def finish(image: np.ndarray, event: Any, opts: ImageOptions,
           notes: Sequence[str] = ()) -> np.ndarray:
    """Add the notices and (when asked) the annotation block to a rendered frame."""
    image = draw_notes(image, list(notes), opts.theme)
    if not opts.annotate:
        return image
    lines = list(opts.lines) if opts.lines is not None else \
        annotation_lines(event, opts.candidate, list(opts.extra_lines))
    return draw_annotation(image, lines, opts.theme)


def render_image(event: Any, detector: Any | None = None,
                 opts: ImageOptions | None = None) -> np.ndarray:
    """Render ``event`` to an RGBA array of ``opts.size`` (annotated when asked)."""
    opts = opts or ImageOptions()
    detector = detector if detector is not None else detector_for(event)
    ec = prepare_canvas(event, detector, opts)
    try:
        image, notes = render_scene(ec, opts.size, opts.transparent)
    finally:
        ec.close()
    return finish(image, event, opts, notes)


class Renderer:
    """One offscreen canvas reused for many pictures of the same size and theme.

    Use as a context manager; :meth:`render` draws one event with its options.
    """

    def __init__(self, size: tuple[int, int], theme: str = "dark") -> None:
        self.size, self.theme = check_size(size), theme
        self.ec: Any = None

    def __enter__(self) -> Renderer:
        self.ec = scene_bridge.make_canvas(self.size, self.theme)
        self.ec.notices.set_drawn(False)  # written by finish (see render_scene)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.ec is not None:
            self.ec.close()
            self.ec = None

    def render(self, event: Any, opts: ImageOptions, detector: Any | None = None) -> np.ndarray:
        """Draw ``event`` (``opts.size`` and ``opts.theme`` must match the renderer)."""
        detector = detector if detector is not None else detector_for(event)
        self.ec.highlight(None)
        self.ec.reset_camera()
        scene_bridge.configure(self.ec, event, detector, opts.view, opts.color_by, opts.camera,
                               opts.highlight, opts.camera_state, opts.display)
        image, notes = render_scene(self.ec, self.size, opts.transparent)
        return finish(image, event, opts, notes)


def png_bytes(image: np.ndarray) -> bytes:
    """Encode an RGBA (or RGB) array as PNG (lossless; see :mod:`collider_viz.export.png`)."""
    from collider_viz.export.png import encode_png

    return encode_png(np.ascontiguousarray(image))


def save_png(image: np.ndarray, path: str | os.PathLike[str], force: bool = False) -> Path:
    """Write ``image`` to ``path`` as PNG atomically (refusing to overwrite without ``force``)."""
    return write_bytes_atomic(path, png_bytes(image), force)


def export_image(event: Any, path: str | os.PathLike[str], opts: ImageOptions | None = None,
                 detector: Any | None = None, force: bool = False) -> Path:
    """Render ``event`` and write it to ``path`` (see :func:`render_image`)."""
    from collider_viz.export.atomic import check_target

    check_target(path, force)
    return save_png(render_image(event, detector, opts), path, force)
