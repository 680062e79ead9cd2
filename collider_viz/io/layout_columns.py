"""Columns read for a :class:`~collider_viz.io.layout_spec.LayoutSpec` to common-form collections.

Three styles, one path: jagged ``X_f`` branches are used as read; fixed groups
(``H1_PX .. H3_PX``) are stacked into one list per event; then
:func:`~collider_viz.io.schema.build_collection` converts units and zips the
vectors, and a type branch (``lep_type``) keeps only the objects of this
collection. A type value no collection of the layout takes is a one-line
:class:`~collider_viz.errors.FormatError`.
"""

from __future__ import annotations

from collections.abc import Mapping

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import entry_span
from collider_viz.io.layout_spec import CollectionSpec, LayoutSpec
from collider_viz.io.schema import Resolved, build_collection

__all__ = ["build", "check_types", "column", "count", "count_branches", "top_branch"]


def top_branch(name: str, branches: Mapping[str, str]) -> str:
    """The branch of the file holding ``name`` (``muonp4.fP.fX`` is held by ``muonp4``)."""
    if name in branches:
        return name
    head = name
    while "." in head:
        head = head.rsplit(".", 1)[0]
        if head in branches:
            return head
    return name


def column(data: Mapping[str, ak.Array], name: str, branches: Mapping[str, str]) -> ak.Array:
    """The array of ``name``: a branch, or a sub-field of a record branch."""
    top = top_branch(name, branches)
    arr = data[top]
    for part in name[len(top) + 1:].split(".") if name != top else ():
        arr = arr[part]
    return arr


def _stack(arrays: list[ak.Array]) -> ak.Array:
    """Per-group flat columns to one list per event (``n_groups`` objects each)."""
    flat = np.stack([np.asarray(ak.to_numpy(a)) for a in arrays], axis=1)
    return ak.from_regular(ak.Array(flat))


def _columns(coll: CollectionSpec, data: Mapping[str, ak.Array],
             branches: Mapping[str, str]) -> dict[str, ak.Array]:
    """Field name to an array jagged over events (type branch under ``__type``)."""
    names = dict(coll.fields)
    if coll.select:
        names["__type"] = coll.select[0]
    if not coll.groups:
        out = {f: column(data, b, branches) for f, b in names.items()}
        if coll.counter:
            out["__counter"] = data[coll.counter]
        return out
    return {f: _stack([column(data, b.format(i=g), branches) for g in coll.groups])
            for f, b in names.items()}


def build(spec: LayoutSpec, coll: CollectionSpec, data: Mapping[str, ak.Array],
          branches: Mapping[str, str], path: str, start: int) -> ak.Array:
    """Build one collection from the arrays read for it (see the module docstring)."""
    cols = _columns(coll, data, branches)
    kinds = cols.pop("__type", None)
    fields = {f: f for f in cols if f != "__counter"}
    res = Resolved(coll.name, fields, "__counter" if "__counter" in cols else None,
                   dict(coll.constants), spec.length_scale, spec.energy_scale)
    built = build_collection(res, cols, path, start)
    if kinds is None:
        return built
    keep = ak.zeros_like(kinds, dtype=bool)  # the structure of the objects
    for value in coll.select[1]:
        keep = keep | (np.abs(kinds) == value)
    return built[keep]


def check_types(spec: LayoutSpec, data: Mapping[str, ak.Array], path: str, start: int) -> None:
    """FormatError when a type branch holds a value no collection of the layout takes."""
    for template, known in spec.known_types().items():
        groups = next(c.groups for c in spec.collections.values()
                      if c.select and c.select[0] == template) or ("",)
        for group in groups:
            name = template.format(i=group)
            if name not in data:
                continue
            values = np.abs(ak.to_numpy(ak.flatten(data[name], axis=None)))
            bad = values[~np.isin(values, sorted(known))]
            if len(bad):
                expected = " or ".join(str(v) for v in sorted(known))
                raise FormatError(path, f"{spec.family or spec.format}: reading "
                                  f"{entry_span(start, start + len(data[name]))}: {name} has "
                                  f"the value {int(bad[0])}", f"|{name}| {expected}")


def count_branches(coll: CollectionSpec) -> list[str]:
    """The branches that tell how many objects of ``coll`` each event has."""
    if coll.select:
        return [coll.select[0].format(i=g) for g in coll.groups or ("",)]
    if coll.counter:
        return [coll.counter]
    return [top_branch_name(next(iter(coll.fields.values())))]


def top_branch_name(name: str) -> str:
    """``muonp4`` for ``muonp4.fP.fX`` (the record branch a sub-field is read with)."""
    return name.split(".", 1)[0]


def count(coll: CollectionSpec, data: Mapping[str, ak.Array]) -> np.ndarray:
    """Objects per event of ``coll`` from the arrays of :func:`count_branches`."""
    names = count_branches(coll)
    if coll.select:
        arrays = [np.abs(data[n]) for n in names]
        kinds = _stack(arrays) if coll.groups else arrays[0]
        keep = ak.zeros_like(kinds, dtype=bool)
        for value in coll.select[1]:
            keep = keep | (kinds == value)
        return ak.to_numpy(ak.sum(keep, axis=1)).astype(np.int64)
    arr = data[names[0]]
    if arr.ndim == 1:
        return ak.to_numpy(arr).astype(np.int64) if coll.counter else np.ones(len(arr), np.int64)
    return ak.to_numpy(ak.num(arr, axis=1)).astype(np.int64)
