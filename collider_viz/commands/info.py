"""``collider-viz info FILE``: format, events, collections, detector.

With ``--json`` exactly one JSON object is printed, also on failure (then
with ``"error"``). What the file holds but the reader could not build
(``SourceInfo.not_read``) is listed with its reason. On a ROOT or CSV file of
no known layout the trees (or columns) found are listed together with a
starting mapping (TOML) to edit and pass back with ``--mapping``; the exit
status is then 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

import numpy as np

from collider_viz.errors import ColliderVizError, FormatError
from collider_viz.io.base import EventSource, first_line
from collider_viz.io.formats.csvtable import is_csv
from collider_viz.io.inspect import describe_csv, describe_trees, suggest_mapping
from collider_viz.io.registry import open_events, open_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``info`` arguments to ``parser``."""
    parser.add_argument("file", help="event file or URL")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--mapping", metavar="TOML", help="TOML mapping for an unknown layout")


_UNKNOWN = ("no known event format", "a CSV of no known column set")


def run(args: argparse.Namespace) -> int:
    """Describe ``args.file``; return the exit status."""
    if not args.json:
        return _run(args)
    try:
        return _run(args)
    except Exception as exc:  # noqa: BLE001 - --json always prints one object
        message = str(exc) if isinstance(exc, ColliderVizError) else \
            f"{args.file}: {first_line(exc)}"
        print(json.dumps({"file": args.file, "error": message}))
        print(f"collider-viz: error: {message}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    try:
        source = open_events(args.file, mapping=args.mapping)
    except FormatError as exc:
        if args.mapping is None and exc.problem.startswith(_UNKNOWN):
            return _unknown(args, exc)
        raise
    with source:
        summary = summarize(source)
    print(json.dumps(summary) if args.json else format_summary(summary))
    return 0


def _id(value: Any) -> int | None:
    value = int(value)
    return None if value < 0 else value


def summarize(source: EventSource) -> dict[str, Any]:
    """Summary of a source; object totals come from counter branches where possible."""
    info, n = source.info, len(source)
    counts = source.reader.counts() if n else {}
    collections = {name: int(np.sum(counts[name])) if name in counts else 0
                   for name in source.available}
    first = None
    if n:
        ids = source.read(0, 1, []).ids
        first = {k: _id(ids[k][0]) if k in ids else None for k in ("run", "lumi", "event")}
    return {
        "file": info.path, "format": source.format, "n_events": n,
        "detector": info.detector, "collision_system": info.collision_system,
        "sqrt_s": info.sqrt_s, "is_simulation": info.is_simulation, "label": info.label,
        "collections": collections, "first_event": first,
        "incomplete": dict(info.extra.get("incomplete", {}) or {}),
        "not_read": [[str(name), str(why)] for name, why in info.not_read],
        "layout": info.extra.get("layout"), "units": info.extra.get("units"),
    }


def format_summary(summary: dict[str, Any]) -> str:
    """Human-readable form of :func:`summarize`."""
    n = summary["n_events"]
    sqrt_s = summary["sqrt_s"]
    energy = "unknown" if sqrt_s is None else f"{sqrt_s:g} GeV"
    lines = [
        f"file         {summary['file']}",
        f"format       {summary['format']}",
        f"events       {n}",
        f"detector     {summary['detector']} ({summary['collision_system']}, "
        f"sqrt(s) {energy}{', simulation' if summary['is_simulation'] else ''})",
        f"label        {summary['label'] or '-'}",
    ]
    first = summary["first_event"]
    if first:
        lines.append("first event  " + ", ".join(f"{k} {'-' if v is None else v}"
                                                 for k, v in first.items()))
    lines.append("collections  total, per event")
    for name, total in summary["collections"].items():
        lines.append(f"  {name:<11}{total:>10}  {total / max(n, 1):8.2f}")
    for name, why in summary["incomplete"].items():
        lines.append(f"  {name:<11}skipped: {why}")
    if summary.get("layout"):
        units = summary.get("units") or {}
        lines.append(f"layout       {summary['layout']}" + (
            f" (energy {units.get('energy', 'GeV')}, length {units.get('length', 'm')})"))
    for name, why in summary.get("not_read", []):
        lines.append(f"not read     {name}: {why}")
    return "\n".join(lines)


def _listing(trees: dict[str, dict[str, Any]]) -> str:
    if not trees:
        return "no TTree or RNTuple in the file"
    parts = []
    for name, tree in trees.items():
        head = f"{name}: {tree['entries']} entries, {len(tree['branches'])} branches"
        body = ", ".join(f"{b} ({t})" for b, t in tree["branches"].items())
        parts.append(head + "\n" + textwrap.indent(textwrap.fill(body, 96), "  "))
    return "\n".join(parts)


def _unknown(args: argparse.Namespace, exc: FormatError) -> int:
    try:
        trees = describe_csv(args.file) if is_csv(args.file) else \
            describe_trees(open_root(args.file))
    except FormatError:  # not ROOT (e.g. a zip): the detection error says more
        raise exc from None
    mapping = suggest_mapping(args.file, trees)
    if args.json:
        print(json.dumps({"error": str(exc), "trees": trees, "mapping": mapping}))
    elif not trees:
        print(_listing(trees))
    else:
        print(_listing(trees))
        print("\n# ---- a starting mapping: save it, edit it, then run\n"
              f"# collider-viz info {args.file} --mapping mapping.toml\n")
        print(mapping)
    print(f"collider-viz: error: {exc}", file=sys.stderr)
    return 2
