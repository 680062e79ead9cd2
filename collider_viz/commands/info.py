"""``collider-viz info FILE``: format, events, collections, detector.

With ``--json`` exactly one JSON object is printed. On a ROOT file of no
known layout the trees and branches found are listed together with a
starting mapping (TOML) to edit and pass back with ``--mapping``; the exit
status is then 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from typing import Any

import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import EventSource
from collider_viz.io.formats.nanoaod import TREE_CLASSES
from collider_viz.io.registry import open_events, open_root


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``info`` arguments to ``parser``."""
    parser.add_argument("file", help="event file or URL")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--mapping", metavar="TOML", help="TOML mapping for an unknown layout")


def run(args: argparse.Namespace) -> int:
    """Describe ``args.file``; return the exit status."""
    try:
        source = open_events(args.file, mapping=args.mapping)
    except FormatError as exc:
        if args.mapping is None and exc.problem.startswith("no known event format"):
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
    return "\n".join(lines)


def describe_trees(handle: Any) -> dict[str, dict[str, Any]]:
    """Every TTree/RNTuple of an open file: ``{path: {"entries": n, "branches": {name: type}}}``."""
    out: dict[str, dict[str, Any]] = {}
    for key, classname in handle.classnames(cycle=False).items():
        if classname not in TREE_CLASSES:
            continue
        tree = handle[key]
        try:
            branches = {str(k): str(v) for k, v in tree.typenames().items()}
        except Exception:  # a typename uproot cannot spell
            branches = {str(k): "?" for k in tree.keys()}
        out[key] = {"entries": int(tree.num_entries), "branches": branches}
    return out


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
        trees = describe_trees(open_root(args.file))
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


_COLLECTION_WORDS = (("photons", ("photon", "pho", "gamma")), ("electrons", ("electron", "ele")),
                     ("muons", ("muon", "mu")), ("jets", ("jet",)), ("met", ("met",)),
                     ("tracks", ("track", "trk")), ("vertices", ("pv", "vertex", "vtx")))
_FIELD_WORDS = {"pt": "pt", "eta": "eta", "phi": "phi", "mass": "mass", "m": "mass",
                "charge": "charge", "q": "charge", "c": "charge", "ch": "charge", "px": "px", "py": "py",
                "pz": "pz", "e": "E", "energy": "E", "x": "x", "y": "y", "z": "z", "vx": "vx",
                "vy": "vy", "vz": "vz", "sumet": "sumEt", "ndof": "ndof"}
_ID_WORDS = {"run": ("run", "runnumber", "evrunnumber"),
             "lumi": ("luminosityblock", "lumi", "lumiblock", "ls", "lumisection"),
             "event": ("event", "evt", "eventnumber", "eveventnumber")}


def _split_name(name: str) -> tuple[str, str] | None:
    """``Muon_Px`` and ``muPt`` give (prefix, field); other names None."""
    if "_" in name:
        prefix, fld = name.split("_", 1)
        return (prefix, fld) if prefix and fld else None
    match = re.fullmatch(r"([a-z]+)([A-Z]\w*)", name)
    return (match.group(1), match.group(2)) if match else None


def _groups(branches: list[str]) -> dict[str, dict[str, str]]:
    """Prefix to {field in the common form (or as named): branch}."""
    groups: dict[str, dict[str, str]] = {}
    for branch in branches:
        split = _split_name(branch)
        if split:
            fields = groups.setdefault(split[0], {})
            fields.setdefault(_FIELD_WORDS.get(split[1].lower(), split[1]), branch)
    return groups


def _counter(prefix: str, branches: list[str]) -> str | None:
    for branch in branches:
        match = re.fullmatch(r"(?:n|N|num|Num)_?(\w+)", branch)
        if match and match.group(1).lower() in (prefix.lower(), prefix.lower() + "s"):
            return branch
    return None


def _guess(prefix: str) -> str | None:
    low = prefix.lower()
    for name, words in _COLLECTION_WORDS:
        if any(low.startswith(w) for w in words):
            return name
    return None


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=True)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _toml(name)


def _collection_block(name: str, prefix: str, fields: dict[str, str],
                      branches: list[str]) -> list[str]:
    from collider_viz.io.schema import missing_fields

    counter = _counter(prefix, branches)
    body = ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in fields.items())
    lines = [f"[collections.{name}]"]
    if counter:
        lines.append(f"counter = {_toml(counter)}")
    lines.append(f"fields = {{ {body} }}")
    missing = missing_fields(name, fields)
    if missing:
        lines = [f"# incomplete: no branch found for {', '.join(missing)}"] + \
            ["# " + line for line in lines]
    return lines + [""]


def _plan(branches: list[str]) -> list[tuple[str, str | None, dict[str, str]]]:
    """(prefix, collection or None, fields) per group; one complete group per collection."""
    from collider_viz.io.schema import missing_fields

    plan: list[tuple[str, str | None, dict[str, str]]] = []
    used: set[str] = set()
    for prefix, fields in _groups(branches).items():
        name = _guess(prefix)
        if name is not None and name not in used:
            if not missing_fields(name, fields):
                used.add(name)
            plan.append((prefix, name, fields))
        else:
            plan.append((prefix, None, fields))
    return plan


def _score(tree: dict[str, Any]) -> tuple[int, int, int]:
    plan = _plan(list(tree["branches"]))
    return sum(1 for _, name, _ in plan if name), tree["entries"], len(tree["branches"])


def _header(path: str, tree: str, branches: list[str]) -> list[str]:
    lines = [f"# collider_viz mapping for {path} (generated: check every line)",
             "[tree]", f"name = {_toml(tree)}"]
    lower = {b.lower(): b for b in branches}
    for key, words in _ID_WORDS.items():
        found = next((lower[w] for w in words if w in lower), None)
        lines.append(f"{key} = {_toml(found)}" if found else f'# {key} = "..."')
    return lines + ["", "[source]", "# detector: CMS, STAR or ALICE", 'detector = "CMS"',
                    'collision_system = "pp"', "# sqrt_s = 13000.0  # GeV", "",
                    "[units]", 'length = "cm"  # of vertex and position branches: m, cm, mm, um',
                    'energy = "GeV"  # GeV, MeV, keV, TeV', ""]


def suggest_mapping(path: str, trees: dict[str, dict[str, Any]]) -> str:
    """A starting mapping TOML for the most promising tree of a file of unknown layout."""
    if not trees:
        return "# no TTree or RNTuple found: nothing to map\n"
    tree = max(trees, key=lambda t: _score(trees[t]))
    branches = list(trees[tree]["branches"])
    lines = _header(path, tree, branches)
    mapped = False
    for prefix, name, fields in _plan(branches):
        if name is None:
            lines.append(f"# not mapped: {prefix}_* ({', '.join(list(fields)[:8])})")
            continue
        block = _collection_block(name, prefix, fields, branches)
        mapped = mapped or not block[0].startswith("#")
        lines += block
    if not mapped:
        lines += ["# [collections.muons]  # one table per collection, e.g.",
                  '# fields = { pt = "mu_pt", eta = "mu_eta", phi = "mu_phi", charge = "mu_q" }']
    return "\n".join(lines) + "\n"
