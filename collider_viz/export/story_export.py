"""Render every step of a story to PNG files, without a display."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.export.annotate import caption_height, draw_caption, experiment_label
from collider_viz.export.atomic import check_target, write_text_atomic
from collider_viz.export.batch import prepare_dir
from collider_viz.export.image import ImageOptions, Renderer, save_png
from collider_viz.export.spectrum import render_spectrum
from collider_viz.export.stories import Story
from collider_viz.export.story_steps import ResolvedStep, resolve_step

Report = Callable[[str], None]


def step_file_name(number: int, title: str) -> str:
    """``step01_a-glancing-collision.png``."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "step"
    return f"step{number:02d}_{slug}.png"


def step_options(res: ResolvedStep, size: tuple[int, int], theme: str) -> ImageOptions:
    """Image options for an event step."""
    step = res.step
    return ImageOptions(size=size, view=step.view, theme=step.theme or theme,
                        camera=step.camera, color_by=step.color_by, candidate=res.candidate,
                        extra_lines=list(res.extra_lines), highlight=dict(res.highlight))


def render_step(res: ResolvedStep, renderers: dict[str, Renderer], size: tuple[int, int],
                theme: str, captions: bool = True) -> np.ndarray:
    """Draw one resolved (not skipped) step; ``renderers`` caches a canvas per theme."""
    step = res.step
    use_theme = step.theme or theme
    if res.spectrum is not None:
        image = _spectrum_picture(res, size, use_theme, captions)
    else:
        image = renderers[use_theme].render(res.event, step_options(res, size, theme))
    if captions:
        image = draw_caption(image, step.caption, step.title, use_theme)
    return image


def _spectrum_picture(res: ResolvedStep, size: tuple[int, int], theme: str,
                      captions: bool) -> np.ndarray:
    """The histogram above the caption band (the band keeps the plot's background)."""
    step = res.step
    band = caption_height(size, step.caption, step.title) if captions else 0
    plot_h = max(size[1] - band, size[1] // 2)
    plot = render_spectrum(res.spectrum, (size[0], plot_h), theme, "", step.mark,
                           spectrum_label(res.spectrum))
    image = np.empty((size[1], size[0], 4), dtype=np.uint8)
    image[...] = plot[0, 0]
    image[:plot_h] = plot
    return image


def spectrum_label(result: Any) -> str:
    """``"Simulation"`` or ``"Open Data"`` for a scan's spectrum (empty when unknown)."""
    sim = getattr(result, "is_simulation", None)
    return "Simulation" if sim else ("Open Data" if sim is False else "")


def export_story(story: Story, outdir: str | os.PathLike[str], size: tuple[int, int] = (1920, 1080),
                 theme: str = "dark", force: bool = False, captions: bool = True,
                 report: Report | None = None) -> list[dict[str, Any]]:
    """Write one PNG per step of ``story`` into ``outdir`` plus ``story.json``.

    Skipped steps (a missing optional or open-data file) are listed with
    their note and get no picture. Returns the rows of ``story.json``.
    """
    out = prepare_dir(outdir)
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        renderers = _LazyRenderers(stack, size)
        for number in range(1, len(story) + 1):
            rows.append(_export_step(story, number, out, renderers, size, theme, force, captions))
            if report is not None:
                report(_describe(rows[-1]))
    doc = {"title": story.title, "subtitle": story.subtitle, "source": str(story.path),
           "steps": rows}
    write_text_atomic(out / "story.json", json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
                      force)
    return rows


def _export_step(story: Story, number: int, out: Path, renderers: Any, size: tuple[int, int],
                 theme: str, force: bool, captions: bool) -> dict[str, Any]:
    res = resolve_step(story, number)
    row: dict[str, Any] = {"step": number, "title": res.step.title, "caption": res.step.caption,
                           "kind": res.step.kind, "file": None, "note": res.note}
    if res.skipped:
        return row
    name = step_file_name(number, res.step.title or res.step.kind)
    check_target(out / name, force)
    save_png(render_step(res, renderers, size, theme, captions), out / name, force)
    row["file"] = name
    if res.event is not None:
        row.update(entry=res.event.meta.entry, run=res.event.meta.run, event=res.event.meta.event,
                   label=experiment_label(res.event.info))
    return row


def _describe(row: dict[str, Any]) -> str:
    head = f"step {row['step']}: {row['title'] or row['kind']}"
    return f"{head}: {row['note']}" if row["note"] else f"{head} -> {row['file']}"


class _LazyRenderers(dict):
    """Theme → :class:`Renderer`, created on first use and closed with the stack."""

    def __init__(self, stack: ExitStack, size: tuple[int, int]) -> None:
        super().__init__()
        self._stack, self._size = stack, size

    def __missing__(self, theme: str) -> Renderer:
        renderer = self._stack.enter_context(Renderer(self._size, theme))
        self[theme] = renderer
        return renderer
