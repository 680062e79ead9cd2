"""collider_viz's own sample files (``sample_events/*.root``).

A NanoAOD-like ``Events`` tree written with uproot plus a ``TObjString``
named ``collider_viz_metadata`` holding JSON (collision system, energy,
detector, generator ...). The metadata becomes the
:class:`~collider_viz.physics.event.SourceInfo`; per-event ``Collision_*``
scalars (impact parameter ``b``, centrality class ``bClass``, ``nCharged``)
become entries of ``EventBatch.ids`` and so of ``EventMeta.extra``.
"""

from __future__ import annotations

import json
from typing import Any

from collider_viz.errors import FormatError
from collider_viz.io.formats.nanoaod import SchemaReader, TreeAccess, find_tree
from collider_viz.io.registry import register
from collider_viz.io.schema import NANOAOD_IDS, NANOAOD_SCHEMA, event_scalars, resolve_schema
from collider_viz.physics.event import SourceInfo

METADATA_KEY = "collider_viz_metadata"
#: Per-event scalar branches ``Collision_<x>`` go to ids ``<x>``.
SCALAR_PREFIX = "Collision"
_INFO_KEYS = ("detector", "collision_system", "sqrt_s", "is_simulation", "label")
_EXPECTED = "a JSON object in the TObjString collider_viz_metadata"


def read_metadata(path: str, handle: Any) -> dict[str, Any]:
    """Parse the ``collider_viz_metadata`` JSON of an open sample file.

    Raises
    ------
    FormatError
        When the object is not a string of JSON describing an object.
    """
    try:
        text = str(handle[METADATA_KEY])
        meta = json.loads(text)
    except ValueError as exc:
        raise FormatError(path, f"unreadable {METADATA_KEY} ({exc})", _EXPECTED) from None
    if not isinstance(meta, dict):
        raise FormatError(path, f"{METADATA_KEY} is not a JSON object", _EXPECTED)
    return meta


def source_info(path: str, meta: dict[str, Any], storage: str) -> SourceInfo:
    """Build the :class:`SourceInfo` of a sample file from its metadata."""
    sqrt_s = meta.get("sqrt_s")
    try:
        sqrt_s = None if sqrt_s is None else float(sqrt_s)
    except (TypeError, ValueError):
        raise FormatError(path, f"{METADATA_KEY}: sqrt_s is {sqrt_s!r}",
                          "a number in GeV") from None
    extra = {k: v for k, v in meta.items() if k not in _INFO_KEYS}
    extra.update({"tree": "Events", "storage": storage})
    return SourceInfo(
        path=path, format=SampleReader.format_name,
        detector=str(meta.get("detector", "CMS")),
        collision_system=str(meta.get("collision_system", "pp")),
        sqrt_s=sqrt_s, is_simulation=bool(meta.get("is_simulation", True)),
        label=str(meta.get("label", "Simulation")), extra=extra,
    )


@register
class SampleReader(SchemaReader):
    """A collider_viz sample: NanoAOD-like tree plus JSON metadata."""

    format_name = "sample"
    description = "collider_viz sample events (NanoAOD-like tree with JSON metadata)"
    priority = 60  # its own metadata key: asked first, before layouts parse their TOML

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        if handle is None or METADATA_KEY not in handle.keys(cycle=False):
            return False
        return find_tree(handle) is not None

    def __init__(self, path: str, handle: Any) -> None:
        meta = read_metadata(path, handle)
        access = TreeAccess(path, find_tree(handle))
        resolved, incomplete = resolve_schema(NANOAOD_SCHEMA, access.branches)
        info = source_info(path, meta, access.storage)
        info.extra["incomplete"] = incomplete
        ids = {**NANOAOD_IDS, **event_scalars(access.branches, SCALAR_PREFIX)}
        self._setup(access, resolved, ids, info)
