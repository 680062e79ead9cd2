"""CMS NanoAOD: the ``Events`` tree of flat ``nX`` / ``X_field`` branches.

Both storages are read through uproot: the classic ``TTree`` and the newer
``ROOT::RNTuple`` (where a collection may also be a record field ``X`` with
sub-fields ``X.field``; such names are presented as ``X_field``).

:class:`TreeAccess` and :class:`SchemaReader` (in :mod:`.tree_access`) are shared by the
collider_viz sample reader and the user-mapping reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.io.formats.tree_access import (  # re-exported for sample and mapping
    BLOCK,
    TREE_CLASSES,
    SchemaReader,
    TreeAccess,
    find_tree,
)
from collider_viz.io.registry import register
from collider_viz.io.schema import NANOAOD_IDS, NANOAOD_SCHEMA, resolve_schema
from collider_viz.physics.event import EventBatch, SourceInfo

__all__ = ["BLOCK", "TREE_CLASSES", "NanoAODReader", "SchemaReader", "TreeAccess", "events_tree",
           "find_tree"]

def _is_simulation(branches: Mapping[str, str]) -> bool:
    return "genWeight" in branches or "nGenPart" in branches


def _tree_name(tree: Any) -> str:
    """``Events`` or ``aod2nanoaod/Events``: the tree's path in its file."""
    return str(getattr(tree, "object_path", "/Events")).strip("/").split(";")[0]


def events_tree(handle: Any) -> Any | None:
    """The NanoAOD ``Events`` tree: at the top, or in one subdirectory (AOD2NanoAOD writes
    ``aod2nanoaod/Events``) when that tree has the NanoAOD ids and a known collection."""
    tree = find_tree(handle)
    if tree is not None or handle is None:
        return tree
    for key, classname in handle.classnames(cycle=False).items():
        if key.count("/") != 1 or not key.endswith("/Events") or classname not in TREE_CLASSES:
            continue
        branches = TreeAccess("", handle[key]).branches
        if all(b in branches for b in NANOAOD_IDS.values()) and \
                resolve_schema(NANOAOD_SCHEMA, branches)[0]:
            return handle[key]
    return None


@register
class NanoAODReader(SchemaReader):
    """CMS NanoAOD, as a ``TTree`` or an ``RNTuple`` named ``Events``.

    Also: the ``Events`` tree in a subdirectory (AOD2NanoAOD), reduced NanoAOD
    without ``run``/``event`` branches (the dimuon-spectrum tutorial files), PFNano
    (charged ``PFCands`` as tracks), NanoAOD v15 ``PFMET_*`` and scouting NanoAOD.
    """

    format_name = "nanoaod"
    description = "CMS NanoAOD (TTree or RNTuple)"
    priority = 10

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        tree = events_tree(handle)
        if tree is None:
            return False
        resolved, incomplete = resolve_schema(NANOAOD_SCHEMA, TreeAccess(path, tree).branches)
        return bool(resolved or incomplete)

    def __init__(self, path: str, handle: Any) -> None:
        access = TreeAccess(path, events_tree(handle))
        resolved, incomplete = resolve_schema(NANOAOD_SCHEMA, access.branches)
        self._charged_only = "tracks" in resolved and \
            resolved["tracks"].fields["pt"] == "PFCands_pt" and "charge" in resolved["tracks"].fields
        sim = _is_simulation(access.branches)
        system, sqrt_s, source = nanoaod_energy(path, access, sim)
        info = SourceInfo(path=path, format=self.format_name, detector="CMS",
                          collision_system=system, sqrt_s=sqrt_s, is_simulation=sim,
                          label="CMS Open Data" + (" (simulation)" if sim else ""),
                          extra={"tree": _tree_name(access.obj),
                                 "storage": access.storage, "incomplete": incomplete,
                                 "sqrt_s_source": source},
                          not_read=nanoaod_not_read(access.branches, resolved, incomplete,
                                                    self._charged_only))
        self._setup(access, resolved, NANOAOD_IDS, info)

    def _read(self, start: int, stop: int, names: Sequence[str],
              wanted: Mapping[str, frozenset[str]] | None = None) -> EventBatch:
        batch = super()._read(start, stop, names, wanted)
        if self._charged_only and "tracks" in batch.collections:
            tracks = batch.collections["tracks"]
            batch.collections["tracks"] = tracks[tracks.charge != 0]
        return batch

    def counts(self) -> dict[str, np.ndarray]:
        """As :meth:`SchemaReader.counts`; PFNano tracks count the charged PFCands."""
        out = super().counts()
        if self._charged_only and "tracks" in out:
            charge = self.access.read(["PFCands_charge"], 0, len(self))["PFCands_charge"]
            out["tracks"] = ak.to_numpy(ak.sum(charge != 0, axis=1)).astype(np.int64)
        return out


from collider_viz.io.formats.nanoaod_info import (  # noqa: E402 - uses TreeAccess above
    nanoaod_energy,
    nanoaod_not_read,
)
