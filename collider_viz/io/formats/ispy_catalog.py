"""Which iSpy collections a file holds, and which of them are not shown (with why).

The collection names are read from the ``Types`` dict at the head of each
``Events/...`` member (a few kB; the member is not parsed), together with the
run, event and lumi section of its ``Event_V*`` row where that row sits in the
head.  Every collection that no builder reads — or that a builder passes over
for a preferred one (``PFJets`` over ``Jets``) — goes into
``SourceInfo.not_read`` with its reason.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from collider_viz.io.formats import ispy_collections, ispy_muon_system
from collider_viz.io.igparse import IgSyntaxError, to_json

#: bytes read from the head of each member for the survey
HEAD_BYTES = 64 * 1024
#: collections read for trajectories or ids rather than drawn themselves
AUXILIARY = ("Extras", "Points", "Hits", "Event")
#: why a known collection is not drawn
REASONS: dict[str, str] = {
    **{p: "not drawn: calorimeter towers (the rec-hits are shown)"
       for p in ("CaloTowers", "EcalTowers", "HcalTowers")},
    **{p: "not drawn: ECAL clusters (no builder)" for p in (
        "SuperClusters", "BasicClusters", "CaloClusters", "PreshowerClusters",
        "RecHitFractions")},
    **{p: "not drawn: tracker hits and modules (no builder)" for p in (
        "TrackDets", "TrackingRecHits", "SiPixelClusters", "SiStripClusters")},
    **{p: "not shown: trigger information (no builder)" for p in (
        "TriggerPaths", "TriggerObjects", "L1GtTrigger", "TechTrigger")},
    **{p: "not drawn: taus (no builder)" for p in ("CaloTaus", "PFTaus")},
    **{p: "not drawn: GSF tracks (electrons carry their own trajectory)"
       for p in ("GsfTracks", "GsfExtras")},
    "ESRecHits": "not drawn: preshower rec-hits (MeV deposits; off in iSpy-WebGL too)",
    **{p: "not drawn: calorimeter digis (the rec-hits are shown)" for p in ("EBDigis", "EEDigis")},
    "BeamSpot": "not drawn: beam spot (no builder)",
    "Products": "not shown: list of CMSSW products (provenance)",
    "Errors": "not shown: messages of the iSpy producer",
}
_NAME = re.compile(r"""["'](\w+_V\d+)["']\s*:\s*\[""")
#: ``"Event_V2": [[...], [...]]``: the type list in ``Types``, the one row in ``Collections``
_EVENT_ROW = re.compile(r"""["'](Event_V\d+)["']\s*:\s*(\[\s*\[[^\[\]]*\]"""
                        r"""(?:\s*,\s*\[[^\[\]]*\])*\s*\])""")


def head_of(zf: zipfile.ZipFile, member: str) -> str:
    """The first :data:`HEAD_BYTES` of a member, decoded."""
    with zf.open(member) as stream:
        return stream.read(HEAD_BYTES).decode("utf-8", errors="replace")


def type_names(head: str) -> list[str]:
    """Collection names of the ``Types`` dict at the head of a member."""
    cut = re.search(r"""["']Collections["']""", head)
    return _NAME.findall(head[: cut.start()] if cut else head)


def head_ids(head: str) -> dict[str, int]:
    """``run``, ``event``, ``lumi`` from an ``Event_V*`` row found in the head ({} if none)."""
    cut = re.search(r"""["']Collections["']""", head)
    if cut is None:
        return {}
    kinds = dict(_EVENT_ROW.findall(head[: cut.start()]))
    rows = dict(_EVENT_ROW.findall(head[cut.start():]))
    name = next((n for n in rows if n in kinds), None)
    if name is None:
        return {}
    try:
        fields = [str(f[0]) for f in json.loads(to_json(kinds[name]))]
        row = json.loads(to_json(rows[name]))[0]
        values = dict(zip(fields, row, strict=False))
        return {key: int(values[field]) for key, field in
                (("run", "run"), ("event", "event"), ("lumi", "ls")) if field in values}
    except (IgSyntaxError, ValueError, TypeError, IndexError, KeyError, OverflowError):
        return {}


def not_read(names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``(name, reason)`` of each surveyed collection that is not shown."""
    names = sorted(set(names))
    prefixes = {_prefix(n) for n in names}
    used: dict[str, str] = {}
    passed_over: dict[str, str] = {}
    for target, preferred in ispy_collections.SOURCES.items():
        present = [p for p in preferred if p in prefixes]
        for p in present[:1] if target != "calo" else present:
            used[p] = target
        for p in present[1:] if target != "calo" else ():
            passed_over[p] = f"not shown: {present[0]} is used for {target.split('_')[0]}"
    for sources in ispy_muon_system.SOURCES.values():
        used.update({p: "muon system" for p, _ in sources})
    out = []
    for name in names:
        prefix = _prefix(name)
        if prefix in used or prefix in AUXILIARY:
            continue
        out.append((name, passed_over.get(prefix) or REASONS.get(prefix, "not drawn: no builder")))
    return tuple(out)


def _prefix(name: str) -> str:
    return name.rsplit("_V", 1)[0]


def survey(zf: zipfile.ZipFile, members: list[str], limit: int) -> tuple[set[str], list[Any]]:
    """Collection names of the first ``limit`` members, and each member's head ids."""
    names: set[str] = set()
    ids: list[Any] = []
    for i, member in enumerate(members):
        if i >= limit:
            ids.append({})
            continue
        head = head_of(zf, member)
        names.update(type_names(head))
        ids.append(head_ids(head))
    return names, ids
