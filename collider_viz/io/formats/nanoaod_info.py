"""What a NanoAOD file says about itself: √s and what it holds but is not drawn.

√s: real data takes it from the first run number (:mod:`collider_viz.io.cms_runs`);
simulation (run 1) and reduced files without a ``run`` branch from the file name
when it names the energy (``13TeV``, ``13p6TeV``) or the data-taking year
(``Run2012B`` …), else it is unknown.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from collider_viz.io.cms_runs import cms_collision
from collider_viz.io.schema import Resolved

_ENERGY = re.compile(r"(?<![\d.])(7|8|13|13p6|13\.6)TeV", re.I)
_YEAR = re.compile(r"(?:Run|_|^)(20(?:1[0-8]|2\d))(?=[A-Z_.]|$)")
#: √s (GeV) of the CMS pp data-taking years (same source as cms_runs.RUN_ENERGY)
YEAR_ENERGY = {2010: 7000.0, 2011: 7000.0, 2012: 8000.0, 2015: 13000.0, 2016: 13000.0,
               2017: 13000.0, 2018: 13000.0}


def _from_name(path: str) -> tuple[float | None, str]:
    name = os.path.basename(path)
    match = _ENERGY.search(name)
    if match:
        return float(match.group(1).lower().replace("p", ".")) * 1000.0, f"file name {name!r}"
    match = _YEAR.search(name)
    if match:
        year = int(match.group(1))
        return YEAR_ENERGY.get(year, 13600.0 if year >= 2022 else None), f"file name {name!r}"
    return None, "unknown: no run number, and the file name names no energy or year"


def nanoaod_energy(path: str, access: Any, simulation: bool) -> tuple[str, float | None, str]:
    """``(collision system, √s GeV or None, where it came from)``."""
    if not simulation and "run" in access.branches:
        run_arr = access.read(["run"], 0, 1).get("run")
        run = int(run_arr[0]) if run_arr is not None and len(run_arr) else 1
        if run > 1:
            system, sqrt_s = cms_collision(run)
            if sqrt_s is not None:
                return system, sqrt_s, f"run number {run}"
    sqrt_s, source = _from_name(path)
    return "pp", sqrt_s, source


def _prefix(res: Resolved) -> str:
    return res.fields[res.required[0]].split("_", 1)[0]


def nanoaod_not_read(branches: Mapping[str, str], resolved: Mapping[str, Resolved],
                     incomplete: Mapping[str, str],
                     charged_only: bool) -> tuple[tuple[str, str], ...]:
    """Collections (``nX`` counters, MET flavours) the file has but the reader does not build."""
    used = {_prefix(r) for r in resolved.values()}
    out: dict[str, str] = {name: reason for name, reason in incomplete.items()}
    prefixes = {b.split("_", 1)[0] for b in branches if "_" in b}
    for branch in branches:
        if branch.startswith("n") and branch[1:] in prefixes and branch[1:] not in used:
            out.setdefault(branch[1:], "no common-form collection for this NanoAOD collection")
    met = _prefix(resolved["met"]) if "met" in resolved else None
    for prefix in sorted(prefixes - used):
        if prefix.endswith("MET") and f"{prefix}_pt" in branches:
            out.setdefault(prefix, f"another MET flavour (shown: {met})" if met else
                           "MET without pt/phi")
    if charged_only:
        out["PFCands (neutral)"] = "neutral PF candidates are not tracks"
    return tuple(out.items())
