"""The layout language: how a flat table (TTree, RNTuple, CSV) holds a family's events.

A shipped layout (``collider_viz/io/layouts/*.toml``) and a user's mapping
(``--mapping``) are the same TOML language, parsed here with ``tomllib``
(nothing in it is executed)::

    [layout]                       # optional: what a shipped layout recognises
    format = "atlas-mini"          # the format name shown by info
    family = "ATLAS Open Data 13 TeV 2020 mini ntuple"
    priority = 50                  # shipped layouts only: order of detection
    signature = []                 # branches that claim the file (default: require)
    not_read = [["tau_", "no tau collection"]]  # branch prefixes named in info

    [tree]
    name = "mini"                  # or names = ["DecayTree", "Tuple/DecayTree"]; "csv" for CSV
    require = ["lep_n", "lep_pt"]  # branches the family must have
    run = "runNumber"              # optional event identification
    event = "eventNumber"
    extra = ["M"]                  # per-event values passed through (EventMeta.extra)
    unique = ["Run", "Event"]      # optional: rows that are one collision ...
    prefer = { branch = "Type", order = ["GG", "GT", "TT"] }  # ... keep the first of this order
    merge = true                   # ... and merge the distinct objects of all its rows

    [source]
    detector = "ATLAS"             # any detector load_detector knows
    collision_system = "pp"
    sqrt_s = 13000.0               # GeV, or "cms-run-table" (from the run number)
    is_simulation = false          # or a regex: simulation when the file name matches
    label = "ATLAS Open Data"

    [units]                        # defaults m and GeV; a layout states what its file holds
    length = "mm"
    energy = "MeV"

    [collections.muons]            # 1. prefix style: jagged branches (or nX counter)
    counter = "lep_n"
    fields = { pt = "lep_pt", eta = "lep_eta", phi = "lep_phi", E = "lep_E" }
    optional = { iso = "lep_ptcone30" }                # passed through where present
    select = { branch = "lep_type", values = [13] }   # 3. split by a type branch (|value|)

    [collections.tracks]           # 2. fixed groups gathered into one collection
    groups = ["1", "2", "3"]       # {i} in a branch name is replaced by each group
    fields = { px = "H{i}_PX", py = "H{i}_PY", pz = "H{i}_PZ", mass = 0.13957 }

A field's branch may name a sub-field of a record branch (``"muonp4.fP.fX"``);
``p4 = "muonp4"`` stands for the TLorentzVector's ``px, py, pz, E`` and
``p2 = "MET"`` for a TVector2's ``px, py``. A number is a constant in the
file's units. ``file_name = "regex"`` keeps a collection only for files whose
name matches (CSV families that differ only by their name: ``Zee`` or
``Zmumu``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from collider_viz.errors import MappingError
from collider_viz.io.schema import ENERGY_UNITS, KINDS, LENGTH_UNITS, missing_fields

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_SECTIONS = ("layout", "tree", "source", "units", "collections")
_LAYOUT_KEYS = ("format", "family", "priority", "signature", "description", "not_read")
_TREE_KEYS = ("name", "names", "require", "run", "lumi", "event", "extra", "unique", "prefer",
              "merge")
_COLLECTION_KEYS = ("counter", "fields", "optional", "groups", "select", "file_name")
_SOURCE_TYPES: dict[str, tuple[type, ...]] = {
    "detector": (str,), "collision_system": (str,), "sqrt_s": (int, float, str),
    "is_simulation": (bool, str), "label": (str,), "experiment": (str,),
}
SQRT_S_FROM_RUNS = "cms-run-table"
ID_KEYS = ("run", "lumi", "event")
_P4 = {"px": "fP.fX", "py": "fP.fY", "pz": "fP.fZ", "E": "fE"}
_P2 = {"px": "fX", "py": "fY"}


@dataclass
class CollectionSpec:
    """How one common collection is built from columns.

    Attributes
    ----------
    name : str
        Common collection name (``"muons"``).
    fields : dict of str to str
        Field to branch (a template with ``{i}`` when ``groups`` is set).
    constants : dict of str to float
        Fields given as numbers (file units).
    counter : str or None
        ``nX`` branch of a jagged collection.
    groups : tuple of str
        Fixed per-object groups (``("1", "2")``); empty for jagged branches.
    select : tuple of (str, tuple of int) or None
        Type branch (template) and the absolute values that belong here.
    file_name : str or None
        Regular expression the file name must match for this collection.
    optional : dict of str to str
        Pass-through fields read only where the file has the branch.
    """

    name: str
    fields: dict[str, str]
    constants: dict[str, float] = field(default_factory=dict)
    counter: str | None = None
    groups: tuple[str, ...] = ()
    select: tuple[str, tuple[int, ...]] | None = None
    file_name: str | None = None
    optional: dict[str, str] = field(default_factory=dict)

    def branches(self) -> list[str]:
        """Every column this collection reads (top-level branch names)."""
        names = [*self.fields.values(), *([self.select[0]] if self.select else [])]
        out = [n.format(i=g) for n in names for g in (self.groups or ("",))]
        return list(dict.fromkeys([*out, *([self.counter] if self.counter else [])]))


@dataclass
class LayoutSpec:
    """A validated layout or mapping (branch names not yet checked against a file)."""

    path: str
    trees: tuple[str, ...]
    ids: dict[str, str]
    source: dict[str, Any]
    length_scale: float = 1.0
    energy_scale: float = 1.0
    collections: dict[str, CollectionSpec] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    signature: tuple[str, ...] | None = None
    extra: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    prefer: tuple[str, tuple[str, ...]] | None = None
    merge: bool = False
    format: str = "mapping"
    family: str = ""
    priority: int = 50
    units: dict[str, str] = field(default_factory=dict)
    not_read: tuple[tuple[str, str], ...] = ()

    @property
    def tree(self) -> str:
        """The first tree name (what a mapping names)."""
        return self.trees[0]

    @property
    def claims(self) -> tuple[str, ...]:
        """Branches whose presence claims a file for this family."""
        return self.require if self.signature is None else self.signature

    def known_types(self) -> dict[str, set[int]]:
        """Type branch (template) to every absolute value some collection takes."""
        out: dict[str, set[int]] = {}
        for coll in self.collections.values():
            if coll.select:
                out.setdefault(coll.select[0], set()).update(coll.select[1])
        return out


def fail(path: str, key: str, problem: str) -> MappingError:
    """The one-line :class:`MappingError` for ``key`` of the layout at ``path``."""
    return MappingError(" ".join(f"{path}: {key}: {problem}".split()))


def _table(path: str, data: dict[str, Any], key: str, allowed: tuple[str, ...] | None) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise fail(path, key, "must be a table")
    for sub in value:
        if allowed is not None and sub not in allowed:
            raise fail(path, f"{key}.{sub}", f"unknown key; expected one of {', '.join(allowed)}")
    return value


def _text(path: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise fail(path, key, f"must be a branch name (a non-empty string), not {value!r}")
    return value


def _texts(path: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise fail(path, key, f"must be a list of names, not {value!r}")
    return tuple(_text(path, f"{key}[{i}]", v) for i, v in enumerate(value))


def _unit(path: str, units: dict[str, Any], key: str, table: dict[str, float]) -> float:
    name = units.get(key, "m" if key == "length" else "GeV")
    if name not in table:
        raise fail(path, f"units.{key}", f"unknown unit {name!r}; expected one of {', '.join(table)}")
    return table[name]


def _expand(fields: dict[str, Any]) -> dict[str, Any]:
    """``p4``/``p2`` shorthands to the TLorentzVector/TVector2 sub-fields."""
    out = {k: v for k, v in fields.items() if k not in ("p4", "p2")}
    for short, parts in (("p4", _P4), ("p2", _P2)):
        if isinstance(fields.get(short), str):
            out.update({k: f"{fields[short]}.{sub}" for k, sub in parts.items()})
        elif short in fields:
            out[short] = fields[short]
    return out


def _select(path: str, key: str, value: Any) -> tuple[str, tuple[int, ...]]:
    body = _table(path, {key: value}, key, ("branch", "values"))
    values = body.get("values")
    if not isinstance(values, list) or not values or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise fail(path, f"{key}.values", "must be a list of integers (e.g. [11] or [13])")
    return _text(path, f"{key}.branch", body.get("branch")), tuple(abs(v) for v in values)


def _collection(path: str, name: str, body: Any) -> CollectionSpec:
    key = f"collections.{name}"
    if name not in KINDS:
        raise fail(path, key, f"unknown collection; expected one of {', '.join(KINDS)}")
    body = _table(path, {key: body}, key, _COLLECTION_KEYS)
    raw = body.get("fields")
    if not isinstance(raw, dict) or not raw:
        raise fail(path, f"{key}.fields", "missing; expected a table of field = \"branch\"")
    fields: dict[str, str] = {}
    constants: dict[str, float] = {}
    for fname, value in _expand(raw).items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            constants[fname] = float(value)
        else:
            fields[fname] = _text(path, f"{key}.fields.{fname}", value)
    missing = missing_fields(name, fields)
    if missing:
        raise fail(path, f"{key}.fields", f"missing {', '.join(missing)} (branch names)")
    counter = body.get("counter")
    spec = CollectionSpec(name, fields, constants,
                          None if counter is None else _text(path, f"{key}.counter", counter))
    if "groups" in body:
        spec.groups = _texts(path, f"{key}.groups", body["groups"]) if body["groups"] != [""] \
            else ("",)
    if "select" in body:
        spec.select = _select(path, f"{key}.select", body["select"])
    if "file_name" in body:
        spec.file_name = _regex(path, f"{key}.file_name", body["file_name"])
    optional = _table(path, body, "optional", None)
    spec.optional = {k: _text(path, f"{key}.optional.{k}", v) for k, v in optional.items()}
    return spec


def _regex(path: str, key: str, value: Any) -> str:
    import re

    try:
        re.compile(_text(path, key, value))
    except re.error as exc:
        raise fail(path, key, f"not a regular expression ({exc})") from None
    return value


def _source(path: str, data: dict[str, Any]) -> dict[str, Any]:
    source = _table(path, data, "source", tuple(_SOURCE_TYPES))
    for key, value in source.items():
        if not isinstance(value, _SOURCE_TYPES[key]) or isinstance(value, bool) and key == "sqrt_s":
            raise fail(path, f"source.{key}", f"has the wrong type ({value!r})")
    if isinstance(source.get("sqrt_s"), str) and source["sqrt_s"] != SQRT_S_FROM_RUNS:
        raise fail(path, "source.sqrt_s", f"expected a number (GeV) or {SQRT_S_FROM_RUNS!r}")
    if isinstance(source.get("is_simulation"), str):
        _regex(path, "source.is_simulation", source["is_simulation"])
    if "detector" in source:
        _check_detector(path, source["detector"])
    return dict(source)


def _check_detector(path: str, name: str) -> None:
    from collider_viz.physics.detector import load_detector

    try:
        load_detector(name)
    except Exception as exc:  # noqa: BLE001 - an unknown name; say which
        raise fail(path, "source.detector", f"unknown detector {name!r} ({exc})") from None


def _trees(path: str, tree: dict[str, Any]) -> tuple[str, ...]:
    if "names" in tree:
        return _texts(path, "tree.names", tree["names"])
    if "name" not in tree:
        raise fail(path, "tree.name", "missing; expected the name of the TTree or RNTuple")
    return (_text(path, "tree.name", tree["name"]),)


def _prefer(path: str, value: Any) -> tuple[str, tuple[str, ...]]:
    body = _table(path, {"tree.prefer": value}, "tree.prefer", ("branch", "order"))
    return (_text(path, "tree.prefer.branch", body.get("branch")),
            _texts(path, "tree.prefer.order", body.get("order")))


def _tree_options(path: str, spec: LayoutSpec, tree: dict[str, Any]) -> None:
    for key, attr in (("require", "require"), ("extra", "extra"), ("unique", "unique")):
        if key in tree:
            setattr(spec, attr, _texts(path, f"tree.{key}", tree[key]))
    if "prefer" in tree:
        spec.prefer = _prefer(path, tree["prefer"])
    if "merge" in tree:
        if not isinstance(tree["merge"], bool):
            raise fail(path, "tree.merge", "must be true or false")
        spec.merge = tree["merge"]


def _layout_options(path: str, spec: LayoutSpec, layout: dict[str, Any]) -> None:
    for key in ("format", "family"):
        if key in layout:
            setattr(spec, key, _text(path, f"layout.{key}", layout[key]))
    if "priority" in layout:
        if not isinstance(layout["priority"], int) or isinstance(layout["priority"], bool):
            raise fail(path, "layout.priority", "must be an integer")
        spec.priority = layout["priority"]
    if "signature" in layout:
        spec.signature = _texts(path, "layout.signature", layout["signature"])
    notes = layout.get("not_read", [])
    if not isinstance(notes, list) or not all(
            isinstance(n, list) and len(n) == 2 and all(isinstance(x, str) for x in n)
            for n in notes):
        raise fail(path, "layout.not_read", 'expected [["prefix_", "reason"], ...]')
    spec.not_read = tuple((a, b) for a, b in notes)


def parse_layout(text: str, path: str = "<layout>") -> LayoutSpec:
    """Parse and validate a layout or mapping (TOML text).

    Raises
    ------
    MappingError
        Naming the file and the offending key.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise fail(path, "TOML", str(exc)) from None
    for key in data:
        if key not in _SECTIONS:
            raise fail(path, key, f"unknown section; expected {', '.join(_SECTIONS)}")
    tree = _table(path, data, "tree", _TREE_KEYS)
    ids = {k: _text(path, f"tree.{k}", tree[k]) for k in ID_KEYS if k in tree}
    units = _table(path, data, "units", ("length", "energy"))
    spec = LayoutSpec(path, _trees(path, tree), ids, _source(path, data),
                      _unit(path, units, "length", LENGTH_UNITS),
                      _unit(path, units, "energy", ENERGY_UNITS), units=dict(units))
    _tree_options(path, spec, tree)
    _layout_options(path, spec, _table(path, data, "layout", _LAYOUT_KEYS))
    for name, body in _table(path, data, "collections", tuple(KINDS)).items():
        spec.collections[name] = _collection(path, name, body)
    if not spec.collections:
        raise fail(path, "collections", "no collection defined")
    return spec
