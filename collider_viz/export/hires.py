"""Render a vispy canvas at any size, tiling when the GPU limit is smaller.

Pictures are composed on a *logical* canvas 1080 pixels high (the screen a
lecturer designs on) and drawn into an offscreen framebuffer of the
requested size, so every length given in logical pixels (line widths, marker
sizes, text) grows with the image: a 3840×2160 export looks like the
1920×1080 screen, only sharper. Sizes above ``GL_MAX_RENDERBUFFER_SIZE`` are
rendered in tiles (sub-regions of the logical canvas) and stitched.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from collider_viz.errors import ColliderVizError

#: Height of the logical canvas every export is composed on.
REFERENCE_HEIGHT = 1080
#: Largest image the exporter accepts.
MAX_SIZE = (7680, 4320)


def parse_size(text: str) -> tuple[int, int]:
    """Parse ``"WxH"`` (also ``"W×H"``) into a checked ``(width, height)``."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise ColliderVizError(f"bad size {text!r}; expected WIDTHxHEIGHT such as 1920x1080") from None
    return check_size((width, height))


def check_size(size: tuple[int, int]) -> tuple[int, int]:
    """Return ``size`` as ints, or raise when outside 16×16 … 7680×4320."""
    width, height = int(size[0]), int(size[1])
    if not (16 <= width <= MAX_SIZE[0] and 16 <= height <= MAX_SIZE[1]):
        raise ColliderVizError(f"image size {width}x{height} is outside 16x16 .. "
                               f"{MAX_SIZE[0]}x{MAX_SIZE[1]}")
    return width, height


def scale_factor(size: tuple[int, int]) -> float:
    """Ratio of the image height to the 1080-pixel reference."""
    return size[1] / REFERENCE_HEIGHT


def logical_size(size: tuple[int, int]) -> tuple[int, int]:
    """Logical canvas size with the image's aspect ratio and height 1080."""
    return max(1, round(size[0] * REFERENCE_HEIGHT / size[1])), REFERENCE_HEIGHT


def scene_canvas(obj: Any) -> Any:
    """The vispy ``SceneCanvas`` of an ``EventCanvas`` (or the canvas itself)."""
    return getattr(obj, "canvas", obj)


def max_render_size(canvas: Any) -> int:
    """Largest framebuffer side the GL implementation supports."""
    from vispy.gloo import gl

    from collider_viz.scene.offscreen import gc_paused

    with gc_paused():
        canvas.set_current()
        limits = [int(gl.glGetParameter(gl.GL_MAX_RENDERBUFFER_SIZE))]
        limits += [int(v) for v in np.ravel(gl.glGetParameter(gl.GL_MAX_VIEWPORT_DIMS))]
    return max(64, min(limits))


def tiles(size: tuple[int, int], tile: int) -> list[tuple[int, int, int, int]]:
    """Split an image of ``size`` into ``(x, y, w, h)`` tiles of at most ``tile`` pixels."""
    width, height = size
    nx, ny = math.ceil(width / tile), math.ceil(height / tile)
    xs = np.linspace(0, width, nx + 1).round().astype(int)
    ys = np.linspace(0, height, ny + 1).round().astype(int)
    return [(int(xs[i]), int(ys[j]), int(xs[i + 1] - xs[i]), int(ys[j + 1] - ys[j]))
            for j in range(ny) for i in range(nx)]


def background(canvas: Any, transparent: bool = False) -> tuple[float, float, float, float]:
    """Canvas background colour as RGBA, with alpha 0 when ``transparent``."""
    rgba = tuple(float(c) for c in canvas.bgcolor.rgba)
    return (rgba[0], rgba[1], rgba[2], 0.0 if transparent else 1.0)


def render_canvas(obj: Any, size: tuple[int, int], transparent: bool = False,
                  max_tile: int | None = None) -> np.ndarray:
    """Render the whole logical canvas into an RGBA image of ``size``.

    Parameters
    ----------
    obj : EventCanvas or vispy.scene.SceneCanvas
        What to draw; its logical size fixes the composition.
    size : (int, int)
        Output width and height in pixels.
    transparent : bool
        Background alpha 0 and true alpha for translucent parts (two renders,
        see :func:`matte`); otherwise alpha is 255 everywhere.
    max_tile : int, optional
        Tile side limit (default: the GL maximum).

    Returns
    -------
    np.ndarray
        ``(height, width, 4)`` uint8 image, row 0 at the top.
    """
    canvas = scene_canvas(obj)
    size = check_size(size)
    tile = max_tile or max_render_size(canvas)
    if not transparent:
        out = _render_tiles(canvas, size, tile, background(canvas, False))
        out[..., 3] = 255
        return out
    over_black = _render_tiles(canvas, size, tile, (0.0, 0.0, 0.0, 1.0))
    over_white = _render_tiles(canvas, size, tile, (1.0, 1.0, 1.0, 1.0))
    return matte(over_black, over_white)


def _render_tiles(canvas: Any, size: tuple[int, int], tile: int,
                  bgcolor: tuple[float, ...]) -> np.ndarray:
    width, height = size
    lw, lh = canvas.size
    sx, sy = lw / width, lh / height
    out = np.empty((height, width, 4), dtype=np.uint8)
    for x, y, w, h in tiles((width, height), tile):
        region = (x * sx, y * sy, w * sx, h * sy)
        out[y:y + h, x:x + w] = render_region(canvas, region, (w, h), bgcolor)
    return out


def matte(over_black: np.ndarray, over_white: np.ndarray) -> np.ndarray:
    """Recover straight RGBA from the same picture drawn over black and over white.

    Blending gives ``C = X + T·bg`` per pixel (``X`` the premultiplied colour
    of everything drawn, ``T`` the light let through), so ``T = white − black``
    and ``alpha = 1 − T``; the colour is ``black / alpha``. This is exact for
    translucent visuals whose blending leaves the framebuffer alpha untouched.
    """
    black = over_black[..., :3].astype(np.float32)
    white = over_white[..., :3].astype(np.float32)
    alpha = np.clip(255.0 - (white - black).mean(axis=-1), 0.0, 255.0)
    color = np.where(alpha[..., None] > 0, black * 255.0 / np.maximum(alpha, 1e-6)[..., None], 0.0)
    out = np.empty(over_black.shape[:2] + (4,), dtype=np.uint8)
    out[..., :3] = np.clip(color, 0, 255).round()
    out[..., 3] = alpha.round()
    return out


def render_region(canvas: Any, region: tuple[float, float, float, float],
                  size: tuple[int, int], bgcolor: tuple[float, ...]) -> np.ndarray:
    """Draw the logical ``region`` (x, y, w, h; y down) of ``canvas`` into ``size`` pixels.

    ``SceneCanvas.render(region, size)`` of vispy 0.17 maps the region onto
    only ``region``-size pixels of the framebuffer (and ignores the vertical
    offset), so the canvas-to-framebuffer mapping is set here explicitly
    after the framebuffer is pushed.
    """
    from vispy import gloo

    from collider_viz.scene.offscreen import gc_paused

    width, height = size
    fbo = gloo.FrameBuffer(color=gloo.RenderBuffer((height, width)),
                           depth=gloo.RenderBuffer((height, width)))
    with gc_paused():                        # see collider_viz.scene.offscreen
        canvas.set_current()
        canvas.push_fbo(fbo, tuple(region[:2]), tuple(region[2:]))
        try:
            _map_region_to_fbo(canvas, region, size)
            # a translucent visual may have left depth writes off: the clear needs them on
            canvas.context.set_depth_mask(True)
            canvas.context.clear(color=bgcolor, depth=True)
            canvas.draw_visual(canvas.scene)
            return fbo.read()
        finally:
            canvas.pop_fbo()


def _map_region_to_fbo(canvas: Any, region: tuple[float, ...], size: tuple[int, int]) -> None:
    """Map the region, in physical y-up canvas coordinates, onto the whole framebuffer."""
    scale = canvas.pixel_scale
    phys_h = canvas.physical_size[1]
    rx, ry, rw, rh = (float(v) * scale for v in region)
    corners_from = [(rx, phys_h - ry - rh), (rx + rw, phys_h - ry)]
    corners_to = [(0.0, 0.0), (float(size[0]), float(size[1]))]
    canvas.transforms._canvas_transform.transforms[0].set_mapping(corners_from, corners_to)
