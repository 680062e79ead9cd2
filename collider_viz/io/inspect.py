"""Inspecting a ROOT file of unknown layout: its trees, and a starting mapping TOML.

Used by ``collider-viz info`` when no known format matches; no Qt or vispy.
:func:`describe_trees` lists every TTree/RNTuple with its branch types and
:func:`suggest_mapping` guesses collections from branch-name prefixes
(``Muon_pt``, ``muPt``) and counters (``nMuon``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from collider_viz.io.formats.nanoaod import TREE_CLASSES

__all__ = ["describe_trees", "suggest_mapping"]


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
