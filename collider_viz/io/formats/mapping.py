"""Files of unknown layout, read through a user TOML mapping.

A mapping is a layout (:mod:`collider_viz.io.layout_spec`): the language of
the shipped ``io/layouts/*.toml`` and the same reader
(:class:`~collider_viz.io.formats.layout.TableReader`). The smallest one::

    [tree]
    name = "Events"            # TTree or RNTuple (a path such as "demo/Muons"); "csv" for a CSV
    run = "run"                # optional event identification
    event = "event"

    [source]                   # optional
    detector = "CMS"           # any known detector: CMS, ATLAS, LHCb, ALICE, STAR
    collision_system = "pp"
    sqrt_s = 13000.0           # GeV, or "cms-run-table"
    is_simulation = false

    [units]                    # what the file holds; defaults m and GeV
    length = "cm"              # m, cm, mm, um
    energy = "MeV"             # GeV, MeV, keV, TeV

    [collections.muons]
    counter = "nMu"            # optional
    fields = { pt = "Mu_pt", eta = "Mu_eta", phi = "Mu_phi", charge = "Mu_charge", mass = 0.1057 }

Fixed groups (``groups = ["1", "2"]`` with ``px{i}``), a type branch
(``select``), TLorentzVector branches (``p4 = "muonp4"``) and the rest are
described in :mod:`collider_viz.io.layout_spec`. Every branch a mapping names
must be in the file: a missing one is a :class:`MappingError` naming the key.
Nothing in the file is executed (it is parsed with ``tomllib``).
"""

from __future__ import annotations

import os
from typing import Any

from collider_viz.errors import MappingError
from collider_viz.io.formats.layout import RootTable, TableReader
from collider_viz.io.formats.tree_access import TREE_CLASSES
from collider_viz.io.layout_columns import top_branch
from collider_viz.io.layout_spec import LayoutSpec, fail, parse_layout

__all__ = ["MappedReader", "MappingSpec", "load_mapping", "parse_mapping"]

#: a mapping is a layout
MappingSpec = LayoutSpec


def parse_mapping(text: str, path: str = "<mapping>") -> LayoutSpec:
    """Parse and validate mapping TOML (see :func:`~collider_viz.io.layout_spec.parse_layout`).

    Raises
    ------
    MappingError
        Naming the mapping file and the offending key.
    """
    return parse_layout(text, path)


def load_mapping(path: str | os.PathLike[str]) -> LayoutSpec:
    """Read and validate a mapping file (see :func:`parse_mapping`)."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(1 << 20)
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: cannot read the mapping file ({exc.__class__.__name__})") from None
    return parse_mapping(text, path)


def _check_branches(spec: LayoutSpec, branches: Any, where: str) -> None:
    """MappingError naming the first key whose branch ``branches`` lack."""
    def absent(name: str) -> bool:
        return top_branch(name, branches) not in branches

    for key, branch in spec.ids.items():
        if absent(branch):
            raise fail(spec.path, f"tree.{key}", f"branch {branch!r} {where}")
    for key in ("require", "unique"):
        for branch in getattr(spec, key):
            if absent(branch):
                raise fail(spec.path, f"tree.{key}", f"branch {branch!r} {where}")
    for name, coll in spec.collections.items():
        groups = coll.groups or ("",)
        named = {"counter": coll.counter, **{f"fields.{f}": b for f, b in coll.fields.items()},
                 "select.branch": coll.select[0] if coll.select else None}
        for key, template in named.items():
            for group in groups if template else ():
                if absent(template.format(i=group)):
                    raise fail(spec.path, f"collections.{name}.{key}",
                               f"branch {template.format(i=group)!r} {where}")


class MappedReader(TableReader):
    """A table read through a user mapping; built with :meth:`from_file`."""

    format_name = "mapping"
    description = "any flat TTree/RNTuple or CSV through a user TOML mapping"

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        return False  # never detected: the user names the mapping

    def __init__(self, path: str, handle: Any, spec: LayoutSpec | None = None) -> None:
        if spec is None:
            raise MappingError(f"{path}: a mapping is needed to read this file")
        if handle is None:  # a CSV
            from collider_viz.io.formats.csvtable import CsvAccess

            access: Any = CsvAccess(path)
            where = f"not a column of {path}"
        else:
            access = RootTable(path, handle[_tree(spec, handle, path)], spec.tree)
            where = f"not in tree {spec.tree} of {path}"
        _check_branches(spec, access.branches, where)
        self._setup(path, access, spec, strict=True)
        self.info.extra["mapping"] = spec.path  # type: ignore[index]

    @classmethod
    def from_file(cls, path: str | os.PathLike[str],
                  mapping_toml: str | os.PathLike[str]) -> MappedReader:
        """Open ``path`` (ROOT or CSV) with the mapping in the TOML file ``mapping_toml``.

        Raises
        ------
        MappingError
            The mapping is invalid or names branches the file lacks.
        FormatError
            The data file is missing or not ROOT (nor CSV).
        """
        from collider_viz.io.formats.csvtable import is_csv
        from collider_viz.io.registry import open_root

        spec = load_mapping(mapping_toml)
        path = os.fspath(path)
        if spec.trees == ("csv",) or is_csv(path):
            return cls(path, None, spec)
        return cls(path, open_root(path), spec)


def _tree(spec: LayoutSpec, handle: Any, path: str) -> str:
    classes = handle.classnames(cycle=False)
    found = next((t for t in spec.trees if classes.get(t) in TREE_CLASSES), None)
    if found is None:
        trees = [k for k, v in classes.items() if v in TREE_CLASSES]
        raise fail(spec.path, "tree.name", f"no TTree or RNTuple {spec.tree!r} in {path}; "
                   f"found {', '.join(trees) or 'none'}")
    return found
