"""Files of unknown layout, read through a user TOML mapping.

A mapping names the tree, which branches form which collection and field,
the units and the source description::

    [tree]
    name = "Events"            # TTree or RNTuple (a path such as "demo/Muons" works)
    run = "run"                # optional event identification
    lumi = "luminosityBlock"
    event = "event"

    [source]                   # optional
    detector = "CMS"           # CMS, STAR or ALICE
    collision_system = "pp"
    sqrt_s = 13000.0           # GeV
    is_simulation = false
    label = "CMS Open Data"

    [units]                    # optional; defaults m and GeV
    length = "cm"              # m, cm, mm, um
    energy = "GeV"             # GeV, MeV, keV, TeV

    [collections.muons]
    counter = "nMu"            # optional
    fields = { pt = "Mu_pt", eta = "Mu_eta", phi = "Mu_phi", charge = "Mu_charge", mass = 0.1057 }

Fields are ``pt, eta, phi`` (or ``px, py, pz, E``, or ``px, py, pz`` with a
``mass``) for particles (``vx, vy, vz`` optional), ``pt, phi`` (or ``px, py``)
for ``met``, ``x, y, z`` for ``vertices`` and ``energy, eta, phi`` for
``calo``. A number instead of a branch name is a constant (in the file's
units); any other field is passed through. Long field lists may be written as
a table ``[collections.tracks.fields]``, one field per line. The file is
parsed with ``tomllib``; nothing in it is executed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

from collider_viz.errors import MappingError
from collider_viz.io.formats.nanoaod import TREE_CLASSES, SchemaReader, TreeAccess
from collider_viz.io.schema import (
    ENERGY_UNITS,
    KINDS,
    LENGTH_UNITS,
    NANOAOD_IDS,
    Resolved,
    missing_fields,
)
from collider_viz.physics.event import SourceInfo

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_SECTIONS = ("tree", "source", "units", "collections")
_SOURCE_TYPES: dict[str, tuple[type, ...]] = {
    "detector": (str,), "collision_system": (str,), "sqrt_s": (int, float),
    "is_simulation": (bool,), "label": (str,),
}


@dataclass
class MappingSpec:
    """A validated mapping file (branch names not yet checked against a tree)."""

    path: str
    tree: str
    ids: dict[str, str]
    source: dict[str, Any]
    length_scale: float = 1.0
    energy_scale: float = 1.0
    collections: dict[str, Resolved] = field(default_factory=dict)


def _fail(path: str, key: str, problem: str) -> MappingError:
    return MappingError(" ".join(f"{path}: {key}: {problem}".split()))


def _table(path: str, data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise _fail(path, key, "must be a table")
    for sub in value:
        if sub not in allowed:
            raise _fail(path, f"{key}.{sub}", f"unknown key; expected one of {', '.join(allowed)}")
    return value


def _text(path: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(path, key, f"must be a branch name (a non-empty string), not {value!r}")
    return value


def _unit(path: str, units: dict[str, Any], key: str, table: dict[str, float]) -> float:
    name = units.get(key, "m" if key == "length" else "GeV")
    if name not in table:
        raise _fail(path, f"units.{key}", f"unknown unit {name!r}; expected one of {', '.join(table)}")
    return table[name]


def _collection(path: str, name: str, body: Any) -> Resolved:
    key = f"collections.{name}"
    if name not in KINDS:
        raise _fail(path, key, f"unknown collection; expected one of {', '.join(KINDS)}")
    if not isinstance(body, dict):
        raise _fail(path, key, "must be a table")
    body = _table(path, {key: body}, key, ("counter", "fields"))
    fields: dict[str, str] = {}
    constants: dict[str, float] = {}
    for fname, value in _fields(path, key, body).items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            constants[fname] = float(value)
        else:
            fields[fname] = _text(path, f"{key}.fields.{fname}", value)
    missing = missing_fields(name, fields)
    if missing:
        raise _fail(path, f"{key}.fields", f"missing {', '.join(missing)} (branch names)")
    counter = body.get("counter")
    counter = None if counter is None else _text(path, f"{key}.counter", counter)
    return Resolved(name, fields, counter, constants)


def _fields(path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    fields = body.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise _fail(path, f"{key}.fields", "missing; expected a table of field = \"branch\"")
    return fields


def _source(path: str, data: dict[str, Any]) -> dict[str, Any]:
    source = _table(path, data, "source", tuple(_SOURCE_TYPES))
    for key, value in source.items():
        if not isinstance(value, _SOURCE_TYPES[key]) or (key == "sqrt_s" and isinstance(value, bool)):
            raise _fail(path, f"source.{key}", f"has the wrong type ({value!r})")
    return dict(source)


def parse_mapping(text: str, path: str = "<mapping>") -> MappingSpec:
    """Parse and validate mapping TOML.

    Raises
    ------
    MappingError
        Naming the mapping file and the offending key.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, "TOML", str(exc)) from None
    for key in data:
        if key not in _SECTIONS:
            raise _fail(path, key, f"unknown section; expected {', '.join(_SECTIONS)}")
    tree = _table(path, data, "tree", ("name", "run", "lumi", "event"))
    if "name" not in tree:
        raise _fail(path, "tree.name", "missing; expected the name of the TTree or RNTuple")
    ids = {k: _text(path, f"tree.{k}", tree[k]) for k in NANOAOD_IDS if k in tree}
    units = _table(path, data, "units", ("length", "energy"))
    spec = MappingSpec(path, _text(path, "tree.name", tree["name"]), ids, _source(path, data),
                       _unit(path, units, "length", LENGTH_UNITS),
                       _unit(path, units, "energy", ENERGY_UNITS))
    for name, body in _table(path, data, "collections", tuple(KINDS)).items():
        res = _collection(path, name, body)
        res.length_scale, res.energy_scale = spec.length_scale, spec.energy_scale
        spec.collections[name] = res
    if not spec.collections:
        raise _fail(path, "collections", "no collection defined")
    return spec


def load_mapping(path: str | os.PathLike[str]) -> MappingSpec:
    """Read and validate a mapping file (see :func:`parse_mapping`)."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: cannot read the mapping file ({exc.__class__.__name__})") from None
    return parse_mapping(text, path)


def _check_branches(spec: MappingSpec, access: TreeAccess, data_path: str) -> None:
    where = f"not in tree {spec.tree} of {data_path}"
    for key, branch in spec.ids.items():
        if branch not in access.branches:
            raise _fail(spec.path, f"tree.{key}", f"branch {branch!r} {where}")
    for name, res in spec.collections.items():
        if res.counter and res.counter not in access.branches:
            raise _fail(spec.path, f"collections.{name}.counter",
                        f"branch {res.counter!r} {where}")
        for fname, branch in res.fields.items():
            if branch not in access.branches:
                raise _fail(spec.path, f"collections.{name}.fields.{fname}",
                            f"branch {branch!r} {where}")


class MappedReader(SchemaReader):
    """A tree read through a :class:`MappingSpec`; built with :meth:`from_file`."""

    format_name = "mapping"
    description = "any flat TTree/RNTuple through a user TOML mapping"

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        return False  # never detected: the user names the mapping

    def __init__(self, path: str, handle: Any, spec: MappingSpec | None = None) -> None:
        if spec is None:
            raise MappingError(f"{path}: a mapping is needed to read this file")
        classname = handle.classnames(cycle=False).get(spec.tree)
        if classname not in TREE_CLASSES:
            trees = [k for k, v in handle.classnames(cycle=False).items() if v in TREE_CLASSES]
            raise _fail(spec.path, "tree.name", f"no TTree or RNTuple {spec.tree!r} in {path}; "
                        f"found {', '.join(trees) or 'none'}")
        access = TreeAccess(path, handle[spec.tree])
        _check_branches(spec, access, path)
        src = spec.source
        info = SourceInfo(
            path=path, format=self.format_name, detector=src.get("detector", "CMS"),
            collision_system=src.get("collision_system", "pp"),
            sqrt_s=None if "sqrt_s" not in src else float(src["sqrt_s"]),
            is_simulation=src.get("is_simulation", False), label=src.get("label", ""),
            extra={"tree": spec.tree, "storage": access.storage, "mapping": spec.path})
        self._setup(access, dict(spec.collections), spec.ids, info)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str],
                  mapping_toml: str | os.PathLike[str]) -> MappedReader:
        """Open ``path`` with the mapping in the TOML file ``mapping_toml``.

        Raises
        ------
        MappingError
            The mapping is invalid or names branches the file lacks.
        FormatError
            The data file is missing or not ROOT.
        """
        from collider_viz.io.registry import open_root

        spec = load_mapping(mapping_toml)
        path = os.fspath(path)
        return cls(path, open_root(path), spec)
