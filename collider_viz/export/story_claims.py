"""Check what a story caption claims against the event the step shows.

A caption read to an audience must be true of the picture under it: "muons
cross the whole detector" needs highlighted muons, "a central collision"
needs a 0–10 % event, "two photons" needs an H→γγ candidate. Each rule below
is a phrase (a regular expression on the lower-cased caption) and the check
it implies; :func:`check_claims` returns one line per claim that the
resolved step contradicts. Captions may say things no rule knows; the rules
cover the claims that can be checked from the event itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import awkward as ak
import numpy as np

#: Radius of the gold and lead nuclei (Woods-Saxon, fm) for the overlap of two discs.
NUCLEAR_RADIUS_FM = {"au": 6.38, "pb": 6.62}
_LEPTON_OR = re.compile(r"electrons? or muons?|muons? or electrons?")

Check = Callable[[Any], "str | None"]


def overlap_fraction(b_fm: float, radius_fm: float) -> float:
    """Overlap area of two equal discs at distance ``b`` over the area of one (0..1)."""
    x = min(max(b_fm / (2.0 * radius_fm), 0.0), 1.0)
    return (2.0 / math.pi) * (math.acos(x) - x * math.sqrt(1.0 - x * x))


def _highlighted(resolved: Any, name: str) -> int:
    return len(resolved.highlight.get(name, ()))


def _count(resolved: Any, name: str) -> int:
    coll = resolved.event.get(name) if resolved.event is not None else None
    return 0 if coll is None else len(coll)


def _has(name: str) -> Check:
    def check(resolved: Any) -> str | None:
        if resolved.highlight and not _highlighted(resolved, name):
            return f"the candidate has no {name} (highlighted: {sorted(resolved.highlight)})"
        if not resolved.highlight and not _count(resolved, name):
            return f"the event has no {name}"
        return None
    return check


def _candidate(preset: str, n_objects: int) -> Check:
    def check(resolved: Any) -> str | None:
        n = sum(len(v) for v in resolved.highlight.values())
        if resolved.step.select != preset:
            return f"the step selects {resolved.step.select!r}, not {preset!r}"
        if resolved.event is not None and n != n_objects:
            return f"the candidate has {n} objects, not {n_objects}"
        return None
    return check


def _extra(resolved: Any, key: str) -> Any:
    return None if resolved.event is None else resolved.event.meta.extra.get(key)


def _b_class(lo: int, hi: int, words: str) -> Check:
    def check(resolved: Any) -> str | None:
        b_class = _extra(resolved, "bClass")
        if b_class is None or b_class < 0:
            return f"'{words}' but the event has no centrality class"
        if not lo <= int(b_class) <= hi:
            return (f"'{words}' needs centrality {lo * 10}–{hi * 10 + 10} %, the event is in "
                    f"{int(b_class) * 10}–{int(b_class) * 10 + 10} %")
        return None
    return check


def _overlap(lo: float, hi: float, words: str) -> Check:
    def check(resolved: Any) -> str | None:
        b = _extra(resolved, "b")
        system = str(resolved.event.info.collision_system).lower() if resolved.event else ""
        radius = next((r for k, r in NUCLEAR_RADIUS_FM.items() if system.startswith(k)), None)
        if b is None or radius is None:
            return f"'{words}' but the event has no impact parameter"
        frac = overlap_fraction(float(b), radius)
        if not lo <= frac <= hi:
            return f"'{words}': at b = {float(b):.1f} fm the nuclei overlap by {frac:.0%}"
        return None
    return check


def _n_charged(lo: int, hi: int, words: str) -> Check:
    def check(resolved: Any) -> str | None:
        n = _extra(resolved, "nCharged")
        n = _count(resolved, "tracks") if n is None else int(n)
        return None if lo <= n <= hi else f"'{words}' but the event has {n} charged tracks"
    return check


def _simulation(expected: bool, words: str) -> Check:
    def check(resolved: Any) -> str | None:
        if resolved.event is None:
            return None
        sim = bool(resolved.event.info.is_simulation)
        return None if sim == expected else f"'{words}' but is_simulation = {sim}"
    return check


def _years(*years: int) -> Check:
    def check(resolved: Any) -> str | None:
        time = resolved.event.meta.time if resolved.event is not None else None
        if not time or int(str(time)[:4]) not in years:
            return f"the caption names {years} but the event time is {time}"
        return None
    return check


def _back_to_back(resolved: Any) -> str | None:
    phi = ak.to_numpy(resolved.event["photons"].phi)[resolved.highlight.get("photons", [])]
    if len(phi) != 2:
        return "'back to back' needs two photons"
    dphi = abs((phi[0] - phi[1] + math.pi) % (2 * math.pi) - math.pi)
    return None if dphi > 2.5 else f"'back to back' but Δφ = {dphi:.2f} rad"


def _isolated_photons(resolved: Any) -> str | None:
    photons = resolved.event["photons"][resolved.highlight.get("photons", [])]
    tracks = resolved.event.get("tracks")
    if tracks is None or not len(tracks):
        return None
    hard = tracks[tracks.pt > 1.0]
    for eta, phi in zip(ak.to_numpy(photons.eta), ak.to_numpy(photons.phi)):
        dphi = (ak.to_numpy(hard.phi) - phi + np.pi) % (2 * np.pi) - np.pi
        if np.any(np.hypot(ak.to_numpy(hard.eta) - eta, dphi) < 0.1):
            return "'no tracks pointing to them' but a track with pT > 1 GeV is within ΔR < 0.1"
    return None


def _peak(target: float) -> Check:
    def check(resolved: Any) -> str | None:
        spec = resolved.spectrum
        if spec is None:
            return None
        edges, counts = np.asarray(spec.edges), np.asarray(spec.counts)
        inside = (edges[:-1] <= target + 5) & (edges[1:] > target - 5)
        outside = ~inside
        if not inside.any() or counts[inside].mean() <= 2 * max(counts[outside].mean(), 0.5):
            return f"no bump at {target:g} GeV in the spectrum"
        return None
    return check


#: (phrase, check) for every claim a caption can make that the event can confirm.
RULES: tuple[tuple[str, Check], ...] = (
    (r"two (high-energy )?photons|photon pair", _candidate("hgg", 2)),
    (r"four leptons|4 leptons", _candidate("h4l", 4)),
    (r"\bphotons\b", _has("photons")),
    (r"\bmuons\b", _has("muons")),
    (r"\belectrons\b", _has("electrons")),
    (r"back to back", _back_to_back),
    (r"no tracks pointing", _isolated_photons),
    (r"real (cms )?(event|data)", _simulation(False, "real")),
    (r"simulat", _simulation(True, "simulated")),
    (r"2011/2012", _years(2011, 2012)),
    (r"glancing|brush past", _b_class(7, 9, "glancing")),
    (r"overlap by about half", _overlap(0.35, 0.65, "overlap by about half")),
    (r"head-on|central collision", _b_class(0, 0, "central")),
    (r"most of the \d+ nucleons", _overlap(0.5, 1.0, "most of the nucleons")),
    (r"almost all \d+ nucleons", _overlap(0.85, 1.0, "almost all nucleons")),
    (r"handful of charged", _n_charged(0, 20, "a handful")),
    (r"over a thousand tracks", _n_charged(1001, 10**9, "over a thousand tracks")),
    (r"pile up at the same mass, 125", _peak(125.0)),
)


def claims(caption: str) -> list[tuple[str, Check]]:
    """The rules whose phrase the caption uses."""
    text = " ".join(caption.lower().split())
    found = [(p, c) for p, c in RULES if re.search(p, text)]
    if _LEPTON_OR.search(text):  # "electrons or muons" names no collection
        stripped = _LEPTON_OR.sub("", text)
        found = [(p, c) for p, c in found
                 if p not in (r"\bmuons\b", r"\belectrons\b") or re.search(p, stripped)]
    return found


def check_claims(resolved: Any) -> list[str]:
    """One line per claim of the step's caption that its event contradicts."""
    problems = []
    for _phrase, check in claims(resolved.step.caption):
        problem = check(resolved)
        if problem:
            problems.append(f"step {resolved.number} ({resolved.step.title}): {problem}")
    return problems
