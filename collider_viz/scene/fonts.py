"""Glyphs rendered once per process, uploaded once per canvas.

vispy's ``Text`` makes a new ``FontManager`` per visual and computes every
glyph's signed-distance field on the CPU (freetype bitmap at 256 pt, distance
transform, resampling): about 20–40 ms per character on a software-GL
machine, so the first picture of each new canvas spent seconds on its
labels.  :class:`SharedFontManager` (one per canvas, passed to all of its
``Text`` visuals) keeps the finished glyph bitmaps in a process-wide CPU cache
and only copies them into the canvas's own atlas texture.  GL objects are
never shared between canvases (their contexts are separate).

The cache is also kept on disk (``$COLLIDER_VIZ_CACHE`` or
``~/.cache/collider_viz``; plain ``.npz`` arrays plus JSON metrics, no
pickle), so a one-shot ``collider-viz export`` process does not pay for the
glyphs of its annotation again.

This uses vispy's ``TextureFont`` internals (vispy 0.17); if they change,
:func:`font_manager` falls back to vispy's own manager.
"""

from __future__ import annotations

import atexit
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import vispy

try:
    from vispy.util.fonts import _load_glyph
    from vispy.visuals.text.text import FontManager, TextureFont
except ImportError:  # pragma: no cover - another vispy layout
    FontManager = TextureFont = None

#: (font key, character) -> (glyph metrics, RGB uint8 SDF bitmap); CPU data only.
_GLYPHS: dict[tuple[str, str], tuple[dict[str, Any], np.ndarray]] = {}
_STATE = {"loaded": False, "dirty": False}
_METRIC_KEYS = ("char", "offset", "size", "advance", "kerning")


def cache_file() -> Path:
    """Where the glyph cache of this vispy version lives."""
    base = os.environ.get("COLLIDER_VIZ_CACHE") or Path.home() / ".cache" / "collider_viz"
    return Path(base) / f"glyphs-vispy{vispy.__version__}.npz"


def _load_disk_cache() -> None:
    """Fill :data:`_GLYPHS` from disk once (an unreadable cache is ignored)."""
    _STATE["loaded"] = True
    path = cache_file()
    try:
        with np.load(path, allow_pickle=False) as data:
            index = json.loads(str(data["index"]))
            for i, (font, char, metrics) in enumerate(index):
                _GLYPHS.setdefault((font, char), (metrics, data[f"g{i}"]))
    except (OSError, ValueError, KeyError, TypeError):
        return


def save_disk_cache() -> None:
    """Write the glyph cache if new glyphs were made (atomic replace; errors ignored)."""
    if not _STATE["dirty"]:
        return
    path = cache_file()
    items = list(_GLYPHS.items())
    index = [[font, char, {k: v for k, v in m.items() if k in _METRIC_KEYS}]
             for (font, char), (m, _) in items]
    arrays = {f"g{i}": sdf for i, (_, (_, sdf)) in enumerate(items)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, index=np.array(json.dumps(index)), **arrays)
        os.replace(tmp, path)
        _STATE["dirty"] = False
    except OSError:
        return


atexit.register(save_disk_cache)


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
            if not _STATE["loaded"]:
                _load_disk_cache()
            if key not in _GLYPHS:
                metrics, sdf = _render_glyph(self, char)
                metrics = {k: v for k, v in metrics.items() if k in _METRIC_KEYS}
                _GLYPHS[key] = (metrics, sdf)
                _STATE["dirty"] = True
            metrics, sdf = _GLYPHS[key]
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
