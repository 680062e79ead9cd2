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

__all__ = ["describe_csv", "describe_trees", "suggest_mapping"]


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


def describe_csv(path: str) -> dict[str, dict[str, Any]]:
    """A CSV file as one table ``"csv"``: ``{"csv": {"entries": n, "branches": {name: dtype}}}``."""
    from collider_viz.io.formats.csvtable import CsvAccess

    table = CsvAccess(path)
    return {"csv": {"entries": len(table),
                    "branches": {n: str(table.typename(n)) for n in table.branches}}}


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


def _numbered(branches: list[str]) -> dict[str, tuple[tuple[str, ...], dict[str, str]]]:
    """Fixed groups: ``pt1, pt2`` or ``mu1_pt, mu2_pt`` or ``H1_PX .. H3_PX``.

    Returns prefix (``""``, ``"mu"``, ``"H"``) to (groups, {field: branch template}).
    """
    seen: dict[str, dict[str, str]] = {}  # template -> {group: branch}
    for branch in branches:
        digits = re.findall(r"\d+", branch)
        if len(digits) == 1 and len(digits[0]) == 1:
            seen.setdefault(branch.replace(digits[0], "{i}", 1), {})[digits[0]] = branch
    out: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {}
    for template, members in seen.items():
        if len(members) < 2:
            continue
        base = template.replace("{i}", "")
        prefix, word = (base.split("_", 1) if "_" in base and not base.endswith("_") else ("", base))
        fld = _FIELD_WORDS.get(word.lower().strip("_"))
        if fld is None:
            continue
        groups = tuple(sorted(members))
        prev = out.get(prefix)
        if prev is None or len(groups) > len(prev[0]):
            out[prefix] = (groups, {fld: template} if prev is None or prev[0] != groups
                           else {**prev[1], fld: template})
        elif prev[0] == groups:
            prev[1].setdefault(fld, template)
    return out


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
                      branches: list[str], groups: tuple[str, ...] = ()) -> list[str]:
    from collider_viz.io.schema import missing_fields

    counter = None if groups else _counter(prefix, branches)
    body = ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in fields.items())
    lines = [f"[collections.{name}]"]
    if groups:
        lines.append("groups = [" + ", ".join(_toml(g) for g in groups) + "]  # {i} below")
    if counter:
        lines.append(f"counter = {_toml(counter)}")
    lines.append(f"fields = {{ {body} }}")
    missing = missing_fields(name, fields)
    if missing:
        lines = [f"# incomplete: no branch found for {', '.join(missing)}"] + \
            ["# " + line for line in lines]
    return lines + [""]


Plan = list[tuple[str, "str | None", dict[str, str], tuple[str, ...]]]


def _plan(branches: list[str], default: str = "muons") -> Plan:
    """(prefix, collection or None, fields, groups) per group; one complete group per
    collection. Fixed groups (``pt1, pt2``) come first; an unprefixed one is ``default``."""
    from collider_viz.io.schema import missing_fields

    plan: Plan = []
    used: set[str] = set()
    numbered = _numbered(branches)
    taken = {t.format(i=g) for groups, f in numbered.values() for t in f.values() for g in groups}
    items = [(p, f, g) for p, (g, f) in numbered.items()] + \
        [(p, f, ()) for p, f in _groups([b for b in branches if b not in taken]).items()]
    for prefix, fields, groups in items:
        name = _guess(prefix) or ((default if not prefix else "tracks") if groups else None)
        if name is not None and name not in used:
            if not missing_fields(name, fields):
                used.add(name)
            plan.append((prefix, name, fields, groups))
        else:
            plan.append((prefix, None, fields, groups))
    return plan


def _score(tree: dict[str, Any]) -> tuple[int, int, int]:
    plan = _plan(list(tree["branches"]))
    return sum(1 for _, name, _, _ in plan if name), tree["entries"], len(tree["branches"])


def _header(path: str, tree: str, branches: list[str]) -> list[str]:
    lines = [f"# collider_viz mapping for {path} (generated: check every line)",
             "[tree]", f"name = {_toml(tree)}"]
    lower = {b.lower(): b for b in branches}
    for key, words in _ID_WORDS.items():
        found = next((lower[w] for w in words if w in lower), None)
        lines.append(f"{key} = {_toml(found)}" if found else f'# {key} = "..."')
    return lines + ["", "[source]", "# detector: CMS, ATLAS, LHCb, ALICE or STAR", 'detector = "CMS"',
                    'collision_system = "pp"',
                    '# sqrt_s = 13000.0  # GeV, or "cms-run-table" (CMS: from the run number)', "",
                    "[units]  # what the file holds: check them (ATLAS and LHCb ntuples use MeV)",
                    'length = "cm"  # of vertex and position branches: m, cm, mm, um',
                    'energy = "GeV"  # GeV, MeV, keV, TeV', ""]


def suggest_mapping(path: str, trees: dict[str, dict[str, Any]]) -> str:
    """A starting mapping TOML for the most promising tree of a file of unknown layout."""
    if not trees:
        return "# no TTree or RNTuple found: nothing to map\n"
    tree = max(trees, key=lambda t: _score(trees[t]))
    branches = list(trees[tree]["branches"])
    lines = _header(path, tree, branches)
    mapped = False
    default = "electrons" if re.search(r"(?i)ele|zee", path) else "muons"
    for prefix, name, fields, groups in _plan(branches, default):
        if name is None:
            lines.append(f"# not mapped: {prefix}_* ({', '.join(list(fields)[:8])})")
            continue
        block = _collection_block(name, prefix, fields, branches, groups)
        mapped = mapped or not block[0].startswith("#")
        lines += block
    if not mapped:
        lines += ["# [collections.muons]  # one table per collection, e.g.",
                  '# fields = { pt = "mu_pt", eta = "mu_eta", phi = "mu_phi", charge = "mu_q" }']
    return "\n".join(lines) + "\n"
