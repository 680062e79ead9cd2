"""One picture per selection candidate, plus an index (JSON and HTML)."""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from collider_viz.export import candidates as cands
from collider_viz.export.annotate import heavy_ion_lines
from collider_viz.export.atomic import ExportError, check_target, write_text_atomic
from collider_viz.export.image import ImageOptions, Renderer, save_png

Progress = Callable[[int, int], "bool | None"]


def prepare_dir(outdir: str | os.PathLike[str]) -> Path:
    """Create the output directory when missing; refuse a file of that name."""
    path = Path(outdir)
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path}: exists and is not a directory (--select writes one file per "
                          "candidate into a directory)")
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
                      progress: Progress | None = None) -> list[dict[str, Any]]:
    """Write ``run<R>_event<E>.png`` for every candidate of ``preset`` and the index.

    Returns
    -------
    list of dict
        One row per image: ``file, entry, run, lumi, event, mass``.
    """
    out = prepare_dir(outdir)
    result = cands.scan(source, preset)
    rows: list[dict[str, Any]] = []
    with Renderer(opts.size, opts.theme) as renderer:
        for n, i in enumerate(cands.order(result, "entry")):
            rows.append(_export_one(source, result.candidate(int(i)), preset, out, opts,
                                    renderer, {r["file"] for r in rows}, force))
            if progress is not None and progress(n + 1, len(result)) is False:
                break
    write_index(out, rows, source.path, preset, force)
    return rows


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
