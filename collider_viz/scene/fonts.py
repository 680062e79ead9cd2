"""Glyphs rendered once per process, uploaded once per canvas.

vispy's ``Text`` makes a new ``FontManager`` per visual and computes every
glyph's signed-distance field on the CPU (freetype bitmap at 256 pt, distance
transform, resampling): about 20–40 ms per character on a software-GL
machine, so the first picture of each new canvas spent seconds on its
labels.  :class:`SharedFontManager` (one per canvas, passed to all of its
``Text`` visuals) keeps the finished glyph bitmaps in a process-wide CPU cache
and only copies them into the canvas's own atlas texture.  GL objects are
never shared between canvases (their contexts are separate).

The cache is also kept on disk (:mod:`collider_viz.scene.glyph_cache`), so
a one-shot ``collider-viz export`` process does not pay for the glyphs of
its annotation again.

All text uses :data:`FACE` (DejaVu Sans): vispy's default OpenSans has no
"→" or "≥" and draws a box instead.  :func:`register_face` loads the TTF
files matplotlib ships (a dependency; found without importing it) or the
system's, so fontconfig is not needed.

This uses vispy's ``TextureFont`` internals (vispy 0.17); if they change,
:func:`font_manager` falls back to vispy's own manager.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.scene import glyph_cache

try:
    from vispy.util.fonts import _freetype, _load_glyph
    from vispy.visuals.text.text import FontManager, TextureFont
except ImportError:  # pragma: no cover - another vispy layout
    FontManager = TextureFont = _freetype = None

#: Face of every text of the display: has → ℓ γ √ ≥ η φ π μ.
FACE = "DejaVu Sans"
FALLBACK_FACE = "OpenSans"
_FACE_FILES = {(False, False): "DejaVuSans.ttf", (True, False): "DejaVuSans-Bold.ttf",
               (False, True): "DejaVuSans-Oblique.ttf", (True, True): "DejaVuSans-BoldOblique.ttf"}
_SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@functools.cache
def face_file(bold: bool = False, italic: bool = False) -> Path | None:
    """The DejaVu Sans TTF of this style: matplotlib's copy, else the system's (None: neither)."""
    name = _FACE_FILES[(bool(bold), bool(italic))]
    spec = importlib.util.find_spec("matplotlib")
    dirs = [Path(d) / "mpl-data" / "fonts" / "ttf"
            for d in (spec.submodule_search_locations or [])] if spec else []
    for folder in [*dirs, _SYSTEM_FONT_DIR]:
        if (folder / name).is_file():
            return folder / name
    return None


def register_face() -> bool:
    """Point vispy's freetype loader at the :data:`FACE` files (once); False if missing.

    vispy resolves a face name through fontconfig on Linux, which may not
    know DejaVu Sans (or warn and substitute); its per-process face cache is
    filled here instead.
    """
    if TextureFont is None or face_file() is None:
        return False
    from freetype import Face

    for bold, italic in _FACE_FILES:
        key = f"{FACE}-{bold}-{italic}"
        path = face_file(bold, italic)
        if key not in _freetype._font_dict and path is not None:
            _freetype._font_dict[key] = Face(str(path))
    return True


def text_face() -> str:
    """The face name to give vispy ``Text`` visuals: :data:`FACE` when its files exist."""
    return FACE if TextureFont is not None and face_file() is not None else FALLBACK_FACE


def _render_glyph(font: Any, char: str) -> tuple[dict[str, Any], np.ndarray]:
    """Freetype bitmap and SDF of ``char`` for a ``TextureFont`` ``font`` (vispy's recipe)."""
    glyphs: dict[str, Any] = {}
    _load_glyph(font._font, char, glyphs)
    glyph = glyphs[char]
    bitmap = glyph["bitmap"]
    spread = font._spread
    data = np.zeros((bitmap.shape[0] + 2 * spread, bitmap.shape[1] + 2 * spread), np.uint8)
    data[spread:-spread, spread:-spread] = bitmap
    width, height = data.shape[1] // font.ratio, data.shape[0] // font.ratio
    sdf = np.zeros((height, width, 3), np.uint8)
    font._renderer.render_to_texture(data, sdf, (0, 0), (width, height))
    return glyph, sdf


if TextureFont is not None:
    class CachedTextureFont(TextureFont):
        """A ``TextureFont`` whose glyph bitmaps come from the process-wide cache."""

        def _load_char(self, char: str) -> None:
            key = (f"{self._font['face']}-{self._font['bold']}-{self._font['italic']}", char)
            cached = glyph_cache.get(key)
            if cached is None:
                register_face()
                glyph_cache.put(key, *_render_glyph(self, char))
                cached = glyph_cache.get(key)
            metrics, sdf = cached
            h, w = sdf.shape[:2]
            region = self._atlas.get_free_region(w + 2, h + 2)
            if region is None:
                raise RuntimeError("Cannot store glyph")
            x, y = region[0] + 1, region[1] + 1
            self._atlas[y:y + h, x:x + w] = sdf
            shape = self._atlas.shape
            glyph = dict(metrics, size=(w, h),
                         texcoords=(x / shape[1], y / shape[0], (x + w) / shape[1],
                                    (y + h) / shape[0]))
            self._glyphs[char] = glyph

    class SharedFontManager(FontManager):
        """One per canvas: every ``Text`` of the canvas shares its atlas and the glyph cache."""

        def get_font(self, face: str, bold: bool = False, italic: bool = False) -> Any:
            key = f"{face}-{bold}-{italic}"
            if key not in self._fonts:
                self._fonts[key] = CachedTextureFont(dict(face=face, bold=bold, italic=italic),
                                                     self._renderer)
            return self._fonts[key]


def font_manager() -> Any:
    """A new font manager for one canvas (None: let each ``Text`` make vispy's own)."""
    return SharedFontManager() if TextureFont is not None else None
