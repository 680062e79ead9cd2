"""One picture per selection candidate, plus an index (JSON and HTML)."""

from __future__ import annotations

import html
import json
import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from collider_viz.export import candidates as cands
from collider_viz.export.annotate import heavy_ion_lines
from collider_viz.export.atomic import ExportError, check_target, write_text_atomic
from collider_viz.export.image import ImageOptions, Renderer, save_png

Progress = Callable[[int, int], "bool | None"]
Announce = Callable[[str], None]
#: Endings of a file name: a directory called ``name.png`` is almost surely a typo for a file.
FILE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".mp4", ".webp", ".tif", ".tiff")


def check_dir_name(outdir: str | os.PathLike[str]) -> Path:
    """Refuse an output directory named like a picture (``cands.png``) or an existing file."""
    path = Path(outdir)
    if path.suffix.lower() in FILE_SUFFIXES:
        raise ExportError(f"{path}: --select writes one picture per candidate into a directory; "
                          f"give a directory name without {path.suffix!r} (e.g. -o "
                          f"{path.with_suffix('')}/), or --entry N for one picture")
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path}: exists and is not a directory (--select writes one file per "
                          "candidate into a directory)")
    return path


def prepare_dir(outdir: str | os.PathLike[str]) -> Path:
    """Create the output directory when missing (after :func:`check_dir_name`)."""
    path = check_dir_name(outdir)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{path}: cannot create directory ({exc.strerror})") from None
    return path


def candidate_options(opts: ImageOptions, preset: str, cand: dict[str, Any],
                      event: Any) -> ImageOptions:
    """``opts`` with the candidate's mass line, highlight and heavy-ion lines."""
    return replace(opts, candidate=cands.candidate_line(preset, cand.get("mass")),
                   highlight=dict(cand.get("objects", {})),
                   extra_lines=list(opts.extra_lines) + heavy_ion_lines(event))


def export_candidates(source: Any, preset: str, outdir: str | os.PathLike[str],
                      opts: ImageOptions, force: bool = False,
                      progress: Progress | None = None, limit: int | None = None,
                      announce: Announce | None = None) -> list[dict[str, Any]]:
    """Write ``run<R>_event<E>.png`` for every candidate of ``preset`` and the index.

    Parameters
    ----------
    limit : int, optional
        Write only the first ``limit`` candidates (in entry order).
    announce : callable, optional
        Called with one line before the first picture (how many, at what size,
        where) and one after it (the estimated disk space and time of all).

    Returns
    -------
    list of dict
        One row per image: ``file, entry, run, lumi, event, mass``.
    """
    out = prepare_dir(outdir)
    result = cands.scan(source, preset)
    ranked = cands.order(result, "entry")
    total = len(ranked) if limit is None else min(len(ranked), max(int(limit), 0))
    say = announce or (lambda _line: None)
    say(count_line(preset, len(ranked), total, opts.size, out))
    rows: list[dict[str, Any]] = []
    start = time.monotonic()
    with Renderer(opts.size, opts.theme) as renderer:
        for n, i in enumerate(ranked[:total]):
            rows.append(_export_one(source, result.candidate(int(i)), preset, out, opts,
                                    renderer, {r["file"] for r in rows}, force))
            if n == 0 and total > 1:
                size = (out / rows[0]["file"]).stat().st_size
                say(estimate_line(total, size, time.monotonic() - start))
            if progress is not None and progress(n + 1, total) is False:
                break
    write_index(out, rows, source.path, preset, force)
    return rows


def count_line(preset: str, found: int, total: int, size: tuple[int, int], out: Path) -> str:
    """``"hgg: 2,930 candidates; writing 10 pictures at 3840x2160 into cands/"``."""
    which = f"{total:,}" if total == found else f"the first {total:,} (--limit)"
    hint = "" if total < found or total <= 20 else " (--limit N writes fewer)"
    return (f"{preset}: {found:,} candidates; writing {which} pictures at {size[0]}x{size[1]} "
            f"into {out}/{hint}")


def estimate_line(total: int, first_bytes: int, first_seconds: float) -> str:
    """Disk space and time of ``total`` pictures from the first one's size and time."""
    return (f"about {_bytes(first_bytes * total)} and {_duration(first_seconds * total)} in all "
            f"({_bytes(first_bytes)}, {first_seconds:.1f} s for the first)")


def _bytes(n: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} B"


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


def _export_one(source: Any, cand: dict[str, Any], preset: str, out: Path, opts: ImageOptions,
                renderer: Renderer, used: set[str], force: bool) -> dict[str, Any]:
    name = _unique(cands.file_stem(cand), {u[:-4] for u in used}) + ".png"
    check_target(out / name, force)
    event = source[cand["entry"]]
    image = renderer.render(event, candidate_options(opts, preset, cand, event))
    save_png(image, out / name, force)
    return {"file": name, **{k: cand.get(k) for k in ("entry", "run", "lumi", "event", "mass")}}


def _unique(stem: str, used: set[str]) -> str:
    name, k = stem, 2
    while name in used:
        name, k = f"{stem}_{k}", k + 1
    used.add(name)
    return name


def write_index(outdir: Path, rows: list[dict[str, Any]], source: str, preset: str,
                force: bool = False) -> None:
    """Write ``index.json`` and ``index.html`` listing the images."""
    doc = {"source": str(source), "selection": preset, "candidates": rows}
    write_text_atomic(outdir / "index.json", json.dumps(doc, indent=2) + "\n", force)
    write_text_atomic(outdir / "index.html", _html(doc), force)


def _html(doc: dict[str, Any]) -> str:
    esc = html.escape
    head = ("<!doctype html><meta charset='utf-8'>"
            f"<title>{esc(doc['selection'])} candidates</title>"
            "<style>body{font-family:sans-serif}td{padding:2px 8px}img{width:320px}</style>"
            f"<h1>{esc(doc['selection'])} candidates in {esc(doc['source'])}</h1>"
            "<table><tr><th>image<th>entry<th>run<th>event<th>mass [GeV]")
    body = []
    for row in doc["candidates"]:
        mass = "" if row["mass"] is None else f"{row['mass']:.2f}"
        body.append(f"<tr><td><a href='{esc(row['file'])}'><img src='{esc(row['file'])}'></a>"
                    f"<td>{row['entry']}<td>{_cell(row['run'])}<td>{_cell(row['event'])}<td>{mass}")
    return head + "".join(body) + "</table>\n"


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


class ProgressBar:
    """A one-line text progress bar with the time left, redrawn in place on a terminal.

    Where the stream is not a terminal (a log, a pipe), one line is written
    at every tenth of the work instead, so a log stays short.
    """

    def __init__(self, stream: Any, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self._tenth = -1

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        frac = min(done / total, 1.0)
        elapsed = time.monotonic() - self.start
        left = elapsed / frac * (1.0 - frac) if frac > 0 else 0.0
        fill = int(round(frac * self.width))
        text = (f"[{'#' * fill}{'.' * (self.width - fill)}] {done:,}/{total:,}  "
                f"{_duration(left)} left")
        if self.tty:
            print(f"\r{text}", end="", file=self.stream, flush=True)
        elif int(frac * 10) > self._tenth:
            self._tenth = int(frac * 10)
            print(text, file=self.stream, flush=True)

    def done(self) -> None:
        """End the bar's line on a terminal."""
        if self.tty:
            print(file=self.stream, flush=True)
