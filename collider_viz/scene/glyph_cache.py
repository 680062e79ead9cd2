"""Process-wide cache of finished glyph bitmaps, kept on disk between runs.

Keys are ``(font key, character)``; values are the glyph metrics and the
RGB uint8 signed-distance bitmap (see :mod:`collider_viz.scene.fonts`).
The disk copy (``$COLLIDER_VIZ_CACHE`` or ``~/.cache/collider_viz``) is one
``.npz`` holding *all* bitmaps packed into a single flat array plus a JSON
index (no pickle): reading it is one array read, not one per glyph (with
~100 glyphs the per-array headers alone cost a one-shot export ~80 ms).
"""

from __future__ import annotations

import atexit
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import vispy

#: (font key, character) -> (glyph metrics, RGB uint8 SDF bitmap); CPU data only.
GLYPHS: dict[tuple[str, str], tuple[dict[str, Any], np.ndarray]] = {}
_STATE = {"loaded": False, "dirty": False}
METRIC_KEYS = ("char", "offset", "size", "advance", "kerning")


def cache_file() -> Path:
    """Where the glyph cache of this vispy version lives."""
    base = os.environ.get("COLLIDER_VIZ_CACHE") or Path.home() / ".cache" / "collider_viz"
    return Path(base) / f"glyphs-packed-vispy{vispy.__version__}.npz"


def get(key: tuple[str, str]) -> tuple[dict[str, Any], np.ndarray] | None:
    """Metrics and bitmap of ``key`` (the disk cache is read on first use), or None."""
    if not _STATE["loaded"]:
        load()
    return GLYPHS.get(key)


def put(key: tuple[str, str], metrics: dict[str, Any], sdf: np.ndarray) -> None:
    """Remember a new glyph (written to disk at exit)."""
    GLYPHS[key] = ({k: v for k, v in metrics.items() if k in METRIC_KEYS}, sdf)
    _STATE["dirty"] = True


def load() -> None:
    """Fill :data:`GLYPHS` from disk once (an unreadable cache is ignored)."""
    _STATE["loaded"] = True
    try:
        with np.load(cache_file(), allow_pickle=False) as data:
            index = json.loads(str(data["index"]))
            flat = data["pixels"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    for font, char, metrics, shape, start in index:
        size = int(np.prod(shape))
        if start + size <= len(flat):
            sdf = flat[start:start + size].reshape(shape)
            GLYPHS.setdefault((font, char), (metrics, sdf))


def save() -> None:
    """Write the cache if new glyphs were made (atomic replace; errors ignored)."""
    if not _STATE["dirty"]:
        return
    index, chunks, start = [], [], 0
    for (font, char), (metrics, sdf) in GLYPHS.items():
        index.append([font, char, metrics, list(sdf.shape), start])
        chunks.append(sdf.ravel())
        start += sdf.size
    pixels = np.concatenate(chunks) if chunks else np.zeros(0, np.uint8)
    path = cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, index=np.array(json.dumps(index)), pixels=pixels)
        os.replace(tmp, path)
        _STATE["dirty"] = False
    except OSError:
        return


atexit.register(save)
