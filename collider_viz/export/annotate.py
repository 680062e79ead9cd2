"""The text block drawn into exported pictures (top-left corner).

It names the experiment (``SourceInfo.label``), the run / luminosity block /
event, the date where known, the collision energy and system, and — when a
selection found a candidate — its invariant mass. Text is drawn with Pillow
in the DejaVu Sans font that matplotlib ships, scaled with the image height
so that a 4K picture looks like the 1080-line screen.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from collider_viz.export.hires import scale_factor

#: Text and outline colours per theme.
COLORS = {"dark": ((240, 240, 240, 255), (0, 0, 0, 255)),
          "light": ((20, 20, 20, 255), (255, 255, 255, 255))}
#: Margin, title and body font sizes in pixels at 1080 lines.
MARGIN, TITLE_PX, BODY_PX = 28, 34, 24
#: Notices (objects the picture does not draw) bottom-left: size and margin at 1080 lines.
NOTE_PX, NOTE_MARGIN = 16, 10
_NUCLEI = ("au", "pb", "xe", "cu", "u+", "o+", "ne", "d+")


def format_sqrt_s(sqrt_s: float | None, system: str = "pp") -> str:
    """``"√s = 13 TeV, pp"`` or ``"√sNN = 200 GeV, Au+Au"``; empty when unknown."""
    if not sqrt_s:
        return system if system else ""
    if sqrt_s >= 1000:
        value = f"{sqrt_s / 1000:.2f}".rstrip("0").rstrip(".") + " TeV"
    else:
        value = f"{sqrt_s:.1f}".rstrip("0").rstrip(".") + " GeV"
    nn = "NN" if system.lower().startswith(_NUCLEI) else ""
    return f"√s{nn} = {value}" + (f", {system}" if system else "")


def experiment_label(info: Any) -> str:
    """The source's label, or a fallback built from its detector name."""
    if getattr(info, "label", ""):
        return str(info.label)
    if getattr(info, "is_simulation", False):
        return f"{info.detector} Simulation"
    return f"{info.detector} Open Data"


def id_line(meta: Any) -> str:
    """``"Run 1, Lumi 5, Event 42"`` from what is known, else ``"Entry N"``."""
    parts = [f"{name} {value}" for name, value in
             (("Run", meta.run), ("Lumi", meta.lumi), ("Event", meta.event)) if value is not None]
    return ", ".join(parts) if parts else f"Entry {meta.entry}"


def event_sqrt_s(event: Any) -> float | None:
    """√s of this event (GeV): its own ``meta.extra["sqrt_s"]`` where a file mixes runs
    (``4lepton.ig``: 7 and 8 TeV), else the source's."""
    extra = getattr(event.meta, "extra", None) or {}
    value = extra.get("sqrt_s")
    return float(value) if value else event.info.sqrt_s


def annotation_lines(event: Any, candidate: str | None = None,
                     extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Lines of the annotation block for ``event``, title first.

    Parameters
    ----------
    event : Event
        The displayed event (its ``info`` and ``meta`` are used).
    candidate : str, optional
        A candidate line such as ``"H→γγ candidate, m(γγ) = 125.3 GeV"``.
    extra : sequence of str
        Further lines (charged-track count, centrality ...).
    """
    info, meta = event.info, event.meta
    lines = [experiment_label(info), id_line(meta)]
    if meta.time:
        lines.append(f"Recorded {str(meta.time).replace('T', ' ')[:16]}")
    energy = format_sqrt_s(event_sqrt_s(event), info.collision_system)
    if energy:
        lines.append(energy)
    if candidate:
        lines.append(candidate)
    lines.extend(line for line in extra if line)
    return lines


def candidate_line(title: str, mass: float | None, label: str = "m") -> str:
    """``"<title> candidate, m = 125.3 GeV"`` (mass part omitted when None)."""
    text = f"{title} candidate" if title else "Candidate"
    return text if mass is None else f"{text}, {label} = {mass:.1f} GeV"


@lru_cache(maxsize=1)
def font_path() -> Path | None:
    """DejaVu Sans from matplotlib's data, without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    for base in (spec.submodule_search_locations or []) if spec else []:
        path = Path(base) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if path.exists():
            return path
    return None


@lru_cache(maxsize=16)
def _font(pixels: int) -> Any:
    path = font_path()
    if path is None:
        return ImageFont.load_default(size=pixels)
    return ImageFont.truetype(str(path), pixels)


def annotation_box(size: tuple[int, int], lines: list[str]) -> tuple[int, int, int, int]:
    """Pixel box ``(x0, y0, x1, y1)`` that the block of ``lines`` occupies."""
    scale = scale_factor(size)
    draw = ImageDraw.Draw(Image.new("L", (1, 1)))
    x0 = y0 = round(MARGIN * scale)
    x1, y = x0, y0
    for i, line in enumerate(lines):
        font = _font(max(6, round((TITLE_PX if i == 0 else BODY_PX) * scale)))
        box = draw.textbbox((x0, y), line, font=font)
        x1 = max(x1, box[2])
        y += round(font.size * 1.3)
    return x0, y0, min(x1, size[0]), min(y, size[1])


def draw_annotation(image: np.ndarray, lines: list[str], theme: str = "dark") -> np.ndarray:
    """Return a copy of the RGBA ``image`` with ``lines`` written top-left.

    The text has a thin outline in the background colour so that it stays
    legible over tracks; on a transparent picture the glyphs are opaque.
    """
    if not lines:
        return image
    scale = scale_factor(image.shape[1::-1])
    sizes = [TITLE_PX if i == 0 else BODY_PX for i in range(len(lines))]
    return _draw_block(image, lines, sizes, round(MARGIN * scale), None, theme)


def draw_notes(image: np.ndarray, lines: list[str], theme: str = "dark") -> np.ndarray:
    """Return a copy of ``image`` with the canvas's notices (objects not drawn) bottom-left.

    The window shows these lines in the same corner; an export writes them
    with the annotation's font instead of drawing them on the canvas.
    """
    if not lines:
        return image
    scale = scale_factor(image.shape[1::-1])
    return _draw_block(image, lines, [NOTE_PX] * len(lines), round(NOTE_MARGIN * scale),
                       image.shape[0] - round(NOTE_MARGIN * scale), theme)


def _draw_block(image: np.ndarray, lines: list[str], sizes: list[int], margin: int,
                bottom: int | None, theme: str) -> np.ndarray:
    """``lines`` at ``sizes`` (pixels at 1080 lines) from the top-left margin, or up from ``bottom``.

    Only the block's own rectangle is composited (the rest of a full-size
    text layer would be transparent and change nothing).
    """
    height, width = image.shape[:2]
    scale = scale_factor((width, height))
    fill, outline = COLORS.get(theme, COLORS["dark"])
    stroke = max(1, round(2 * scale))
    placed = _place(lines, [max(6, round(px * scale)) for px in sizes], margin, stroke, bottom)
    x0, y0 = (max(0, min(b[i] for _, _, b in placed)) for i in (0, 1))
    x1 = min(width, max(b[2] for _, _, b in placed))
    y1 = min(height, max(b[3] for _, _, b in placed))
    out = np.array(image, copy=True)
    if x1 <= x0 or y1 <= y0:
        return out
    layer = Image.new("RGBA", (x1 - x0, y1 - y0), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for (x, y), (line, font), _ in placed:
        draw.text((x - x0, y - y0), line, font=font, fill=fill, stroke_width=stroke,
                  stroke_fill=outline)
    base = Image.fromarray(np.ascontiguousarray(out[y0:y1, x0:x1]), "RGBA")
    out[y0:y1, x0:x1] = np.asarray(Image.alpha_composite(base, layer))
    return out


def _place(lines: list[str], pixels: list[int], margin: int, stroke: int,
           bottom: int | None) -> list[tuple[tuple[int, int], tuple[str, Any], tuple[int, ...]]]:
    """Each line's origin, (text, font) and ink box (stroke included), top to bottom.

    With ``bottom`` the block ends there (the last line's baseline area), else it
    starts at ``margin`` from the top.
    """
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    fonts = [_font(px) for px in pixels]
    steps = [round(font.size * 1.3) for font in fonts]
    y = margin if bottom is None else bottom - sum(steps)
    placed = []
    for line, font, step in zip(lines, fonts, steps):
        box = measure.textbbox((margin, y), line, font=font, stroke_width=stroke)
        placed.append(((margin, y), (line, font), tuple(int(v) for v in box)))
        y += step
    return placed


def heavy_ion_lines(event: Any) -> list[str]:
    """Charged-track count and centrality class for nucleus–nucleus events."""
    info, tracks = event.info, event.get("tracks")
    if tracks is None or str(info.collision_system).lower() in ("pp", "p+p", ""):
        return []
    from collider_viz.physics.heavyion import summarize

    b_class = event.meta.extra.get("bClass")
    summary = summarize(tracks, b_class=None if b_class is None else int(b_class))
    lines = [f"Charged tracks: {summary.n_charged}"]
    if summary.centrality_class:
        lines.append(f"Centrality {summary.centrality_class}")
    return lines


def _wrap(text: str, font: Any, width: int) -> list[str]:
    draw = ImageDraw.Draw(Image.new("L", (1, 1)))
    lines: list[str] = []
    for word in " ".join(text.split()).split(" "):
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def caption_height(size: tuple[int, int], caption: str, title: str = "") -> int:
    """Pixels the caption block of :func:`draw_caption` takes at the bottom (with margins)."""
    scale = scale_factor(size)
    body = _font(max(6, round(BODY_PX * scale)))
    head = _font(max(6, round(TITLE_PX * scale)))
    n = len(_wrap(caption, body, int(size[0] * 0.72))) if caption else 0
    return (2 * round(MARGIN * scale) + round(body.size * 1.3) * n
            + (round(head.size * 1.35) if title else 0))


def draw_caption(image: np.ndarray, caption: str, title: str = "",
                 theme: str = "dark") -> np.ndarray:
    """Return a copy of ``image`` with ``title`` and the wrapped ``caption`` bottom-left."""
    height, width = image.shape[:2]
    scale = scale_factor((width, height))
    fill, outline = COLORS.get(theme, COLORS["dark"])
    body = _font(max(6, round(BODY_PX * scale)))
    head = _font(max(6, round(TITLE_PX * scale)))
    margin = round(MARGIN * scale)
    lines = _wrap(caption, body, int(width * 0.72)) if caption else []
    step = round(body.size * 1.3)
    y = height - margin - step * len(lines) - (round(head.size * 1.35) if title else 0)
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    stroke = max(1, round(2 * scale))
    if title:
        draw.text((margin, y), title, font=head, fill=fill, stroke_width=stroke, stroke_fill=outline)
        y += round(head.size * 1.35)
    for line in lines:
        draw.text((margin, y), line, font=body, fill=fill, stroke_width=stroke, stroke_fill=outline)
        y += step
    base = Image.fromarray(np.ascontiguousarray(image), "RGBA")
    return np.asarray(Image.alpha_composite(base, layer))
