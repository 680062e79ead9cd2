"""Declarative NanoAOD-style schemas: flat branches to common-form collections.

A *schema* is a mapping from a collection name (``"photons"``) to the branch
prefixes that can provide it, most preferred first::

    {"photons": (Prefix("Photon"),),
     "tracks": (Prefix("Track"), Prefix("IsoTrack"), Prefix("PFCands"))}

:func:`resolve_schema` matches a schema against the branch names of a tree
(``nPhoton`` is the counter, every ``Photon_<field>`` branch a field) and
returns one :class:`Resolved` per collection it can build. A resolved
collection is a plain description (field name to branch name), so readers
with their own layouts (a user mapping, other ntuples) can build one by hand.
:func:`build_collection` then turns the arrays read for it into the common
form: units are converted, coordinates zipped into ``Momentum4D`` /
``Momentum2D`` records, and every other field of the same structure is
passed through.

Structure is checked on every read, because only the data can tell:

* the counter (``nPhoton``), when there is one, must equal the number of
  values of the reference branch (``Photon_pt``) in every entry;
* the required fields (``Photon_eta``, ``Photon_phi``) and every other field
  with a list per event must have as many values per event as the reference.

A violation is a one-line :class:`~collider_viz.errors.FormatError` naming the
file, the entries read and the branches ("nTrack says 5 tracks in entry 3 but
Track_pt has 4 values"): the file is damaged, and showing a collection other
than the one the counters announce (or silently dropping ``eta``) would be
worse. This differs on purpose from a *missing* branch, which is known from
the branch names alone when the file is opened: that collection is left out
of ``available`` and the reason kept in ``SourceInfo.extra["incomplete"]``.
A field with one value per event under a jagged reference (a per-event scalar
sharing the prefix) is not a per-object field and is simply not passed through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import entry_span
from collider_viz.physics.event import missing_et, particles, particles_from_cartesian

#: Charged-pion mass (GeV), the mass assumed for tracks without one.
PION_MASS = 0.13957

#: What each common collection is built as.
KINDS: dict[str, str] = {
    "tracks": "particles", "photons": "particles", "electrons": "particles",
    "muons": "particles", "jets": "particles", "met": "met",
    "vertices": "vertices", "calo": "calo",
}
#: Collections whose charge is always zero, whatever the file says.
NEUTRAL = frozenset({"photons", "jets"})
#: Alternative sets of required fields per kind (polar first, then cartesian).
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "particles": (("pt", "eta", "phi"), ("px", "py", "pz", "E"), ("px", "py", "pz")),
    "met": (("pt", "phi"), ("px", "py")),
    "vertices": (("x", "y", "z"),),
    "calo": (("energy", "eta", "phi"),),
}
#: Fields that are lengths (converted to metres) per kind.
LENGTH_FIELDS: dict[str, tuple[str, ...]] = {
    "particles": ("vx", "vy", "vz"), "met": (), "vertices": ("x", "y", "z"),
    "calo": ("x", "y", "z"),
}
#: Fields that are energies or momenta (converted to GeV).
ENERGY_FIELDS = frozenset({"pt", "mass", "E", "px", "py", "pz", "energy", "sumEt"})
LENGTH_UNITS: dict[str, float] = {"m": 1.0, "cm": 1e-2, "mm": 1e-3, "um": 1e-6}
ENERGY_UNITS: dict[str, float] = {"GeV": 1.0, "MeV": 1e-3, "keV": 1e-6, "TeV": 1e3}
#: Field names ``vector`` reads as coordinates; pass-through fields so named are
#: renamed ``file_<name>`` so that they cannot change the meaning of a record.
_VECTOR_NAMES = frozenset({"E", "M", "e", "energy", "eta", "m", "mass", "phi", "pt", "px",
                           "py", "pz", "rho", "t", "tau", "theta", "x", "y", "z"})
_CANONICAL = {"particles": ("pt", "eta", "phi", "mass", "charge", "px", "py", "pz", "E"),
              "met": ("pt", "phi", "px", "py")}
#: Fields always read, whatever :func:`restrict` is asked for.
ALWAYS: dict[str, frozenset[str]] = {
    kind: frozenset(_CANONICAL.get(kind, ())).union(*REQUIRED[kind]) for kind in REQUIRED}
#: How to say "<n> tracks" in messages (singular, plural).
_NOUNS = {"tracks": ("track", "tracks"), "photons": ("photon", "photons"),
          "electrons": ("electron", "electrons"), "muons": ("muon", "muons"),
          "jets": ("jet", "jets"), "met": ("MET value", "MET values"),
          "vertices": ("vertex", "vertices"), "calo": ("calorimeter cell", "calorimeter cells")}


@dataclass(frozen=True)
class Prefix:
    """One NanoAOD-style branch prefix able to provide a collection.

    Attributes
    ----------
    name : str
        The prefix: ``"Photon"`` matches ``nPhoton`` and ``Photon_*``.
    constants : mapping of str to float
        Values for fields the file lacks (e.g. ``mass`` of tracks, ``radius`` of jets).
    """

    name: str
    constants: Mapping[str, float] = field(default_factory=dict)


NANOAOD_SCHEMA: dict[str, tuple[Prefix, ...]] = {
    # PFNano's PFCands (charged ones kept by the NanoAOD reader) before the few IsoTracks;
    # the Scouting* prefixes are Run-3 scouting NanoAOD
    "tracks": (Prefix("Track", {"mass": PION_MASS}), Prefix("PFCands", {"mass": PION_MASS}),
               Prefix("IsoTrack", {"mass": PION_MASS}),
               Prefix("ScoutingTrack", {"mass": PION_MASS})),
    "photons": (Prefix("Photon", {"mass": 0.0}), Prefix("ScoutingPhoton", {"mass": 0.0})),
    "electrons": (Prefix("Electron", {"mass": 0.000511}),
                  Prefix("ScoutingElectron", {"mass": 0.000511})),
    "muons": (Prefix("Muon", {"mass": 0.10566}), Prefix("ScoutingMuonNoVtx", {"mass": 0.10566}),
              Prefix("ScoutingMuonVtx", {"mass": 0.10566}),
              Prefix("ScoutingMuon", {"mass": 0.10566})),
    "jets": (Prefix("Jet", {"radius": 0.4}), Prefix("ScoutingPFJetRecluster", {"radius": 0.4}),
             Prefix("ScoutingPFJet", {"radius": 0.4}),
             Prefix("ScoutingJet", {"radius": 0.4})),
    # NanoAOD v15 renamed the type-1 PF MET to PFMET_*; PuppiMET where it is the only one
    "met": (Prefix("MET"), Prefix("PFMET"), Prefix("PuppiMET"), Prefix("ScoutingMET")),
    "vertices": (Prefix("PV"), Prefix("ScoutingPrimaryVertex")),
}
#: Event identification: key in ``EventBatch.ids`` to branch name.
NANOAOD_IDS: dict[str, str] = {"run": "run", "lumi": "luminosityBlock", "event": "event"}


@dataclass
class Resolved:
    """How to build one collection from branches.

    Attributes
    ----------
    name : str
        Common collection name (``"photons"``).
    fields : dict of str to str
        Field name in the common form to branch name (pass-through included).
    counter : str or None
        Branch with the number of objects per event, if any.
    constants : dict of str to float
        Fields given as constants (used when no branch provides them).
    length_scale, energy_scale : float
        Factors to metres and GeV.
    """

    name: str
    fields: dict[str, str]
    counter: str | None = None
    constants: dict[str, float] = field(default_factory=dict)
    length_scale: float = 1.0
    energy_scale: float = 1.0

    @property
    def kind(self) -> str:
        """``"particles"``, ``"met"``, ``"vertices"`` or ``"calo"``."""
        return KINDS[self.name]

    @property
    def branches(self) -> list[str]:
        """Branch names to read for this collection (the counter included, to check it)."""
        names = [*self.fields.values(), *([self.counter] if self.counter else [])]
        return list(dict.fromkeys(names))

    @property
    def required(self) -> tuple[str, ...]:
        """The set of required fields used (``pt, eta, phi``, or a cartesian set)."""
        for names in REQUIRED[self.kind]:
            if all(n in self.fields for n in names):
                return names
        raise KeyError(f"{self.name}: no complete set of {REQUIRED[self.kind]}")

    @property
    def reference(self) -> str:
        """The branch whose structure every field must share."""
        return self.fields[self.required[0]]


def restrict(res: Resolved, names: Iterable[str] | None) -> Resolved:
    """``res`` reading only the fields ``names`` plus the kinematic ones (:data:`ALWAYS`).

    Names may be given as in the common form (``file_x`` for a passed-through
    ``x``); names the collection lacks are ignored. None keeps every field.
    """
    if names is None:
        return res
    if isinstance(names, str):
        names = (names,)
    wanted = {n[5:] if n.startswith("file_") else n for n in names} | ALWAYS[res.kind]
    return replace(res, fields={k: v for k, v in res.fields.items() if k in wanted})


def missing_fields(name: str, fields: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the required fields of collection ``name`` missing from ``fields`` (empty if complete)."""
    options = REQUIRED[KINDS[name]]
    for names in options:
        if all(n in fields for n in names):
            return ()
    return tuple(n for n in options[0] if n not in fields)


def resolve_prefix(name: str, prefix: Prefix, branches: Mapping[str, Any],
                   length_scale: float = 0.01) -> Resolved | str | None:
    """Match one prefix against branch names.

    Returns
    -------
    Resolved, str or None
        The collection; a one-line reason when the prefix is present but
        incomplete; None when the file has no such branches at all.
    """
    start = prefix.name + "_"
    fields = {b[len(start):]: b for b in branches if b.startswith(start) and len(b) > len(start)}
    counter = "n" + prefix.name if "n" + prefix.name in branches else None
    if not fields and counter is None:
        return None
    missing = missing_fields(name, fields)
    if missing:
        return "missing branch " + ", ".join(start + m for m in missing)
    return Resolved(name, fields, counter, dict(prefix.constants), length_scale)


def resolve_schema(schema: Mapping[str, tuple[Prefix, ...]], branches: Mapping[str, Any],
                   length_scale: float = 0.01) -> tuple[dict[str, Resolved], dict[str, str]]:
    """Resolve every collection of ``schema`` against ``branches``.

    Returns
    -------
    resolved : dict of str to Resolved
        The collections that can be built (first complete prefix wins).
    incomplete : dict of str to str
        Collections whose branches are present but incomplete, with the reason.
    """
    resolved: dict[str, Resolved] = {}
    incomplete: dict[str, str] = {}
    for name, prefixes in schema.items():
        for prefix in prefixes:
            found = resolve_prefix(name, prefix, branches, length_scale)
            if isinstance(found, Resolved):
                resolved[name] = found
                incomplete.pop(name, None)
                break
            if found is not None:
                incomplete.setdefault(name, found)
    return resolved, incomplete


def event_scalars(branches: Mapping[str, Any], prefix: str) -> dict[str, str]:
    """Map ``<prefix>_<x>`` scalar branches to id keys ``x`` (e.g. ``Collision_b`` to ``b``)."""
    start = prefix + "_"
    return {b[len(start):]: b for b in branches if b.startswith(start) and len(b) > len(start)}


def _counts(arr: ak.Array) -> np.ndarray:
    """Objects per event of a jagged array (fast path for uproot's list-offset layout)."""
    layout = arr.layout
    if isinstance(layout, ak.contents.ListOffsetArray):
        return np.diff(np.asarray(layout.offsets.data))
    return ak.to_numpy(ak.num(arr, axis=1))


def _per_event(arr: ak.Array) -> np.ndarray:
    """Values per event: the list lengths, or 1 for a flat branch."""
    if arr.ndim == 1:
        return np.ones(len(arr), dtype=np.int64)
    return _counts(arr) if arr.ndim == 2 else ak.to_numpy(ak.num(arr, axis=1))


def _same_structure(arr: ak.Array, ref: ak.Array, ref_counts: np.ndarray | None) -> bool:
    if arr.ndim != ref.ndim or len(arr) != len(ref):
        return False
    if ref.ndim == 1:
        return True
    return ref.ndim == 2 and np.array_equal(_counts(arr), ref_counts)


def _values(n: int) -> str:
    return f"{n} value" if n == 1 else f"{n} values"


def _counter_values(arr: ak.Array | None) -> np.ndarray | None:
    """A counter branch as float64 per event, or None when it is not one number per event."""
    if arr is None or arr.ndim != 1:
        return None
    values = ak.to_numpy(arr)
    if values.dtype.kind not in "biuf":
        return None
    return values.astype(np.float64)


def _check_counter(res: Resolved, counter: np.ndarray, branch: str, counts: np.ndarray,
                   path: str, start: int) -> None:
    """FormatError unless ``counter`` equals ``counts`` (values per event of ``branch``)."""
    bad = np.flatnonzero(counter != counts)
    if len(bad) == 0:
        return
    i = int(bad[0])
    c = counter[i]
    said = str(int(c)) if np.isfinite(c) and c == int(c) else f"{c:g}"
    singular, plural = _NOUNS.get(res.name, (res.name, res.name))
    more = len(bad) - 1
    others = "" if not more else \
        f"; {more} more {'entry disagrees' if more == 1 else 'entries disagree'}"
    raise FormatError(path, f"reading {entry_span(start, start + len(counts))}: {res.counter} "
                      f"says {said} {singular if said == '1' else plural} in entry {start + i} "
                      f"but {branch} has {_values(int(counts[i]))}{others}")


def _check_field(res: Resolved, branch: str, arr: ak.Array, ref: ak.Array,
                 path: str, start: int) -> None:
    """FormatError: ``branch`` has not the structure of the reference branch."""
    span = entry_span(start, start + len(ref))
    if len(arr) != len(ref):
        raise FormatError(path, f"reading {span}: {branch} has {len(arr)} entries but "
                          f"{res.reference} has {len(ref)}")
    mine, theirs = _per_event(arr), _per_event(ref)
    where = ""
    if arr.ndim <= 2 and ref.ndim <= 2:
        bad = np.flatnonzero(mine != theirs)
        if len(bad):
            i = int(bad[0])
            where = (f" (entry {start + i}: {_values(int(mine[i]))}, {res.reference} "
                     f"{_values(int(theirs[i]))})")
    raise FormatError(path, f"reading {span}: {branch} has a different number of values "
                      f"per event than {res.reference}{where}")


def _field_values(res: Resolved, data: Mapping[str, ak.Array], path: str,
                  start: int) -> dict[str, ak.Array]:
    """Fields sharing the reference structure (constants broadcast), in metres and GeV.

    Raises FormatError when the counter or a field disagrees with the reference
    (see the module docstring)."""
    ref = data[res.reference]
    ref_counts = _counts(ref) if ref.ndim == 2 else None
    counter = _counter_values(data.get(res.counter)) if res.counter else None
    if counter is not None and ref_counts is not None and len(counter) == len(ref_counts):
        _check_counter(res, counter, res.reference, ref_counts, path, start)
    required = set(res.required)
    values = {}
    for name, branch in res.fields.items():
        arr = data.get(branch)
        if arr is None:
            continue
        if _same_structure(arr, ref, ref_counts):
            values[name] = arr
        elif name in required or arr.ndim == ref.ndim == 2 or len(arr) != len(ref):
            if counter is not None and arr.ndim == 2 and len(arr) == len(counter):
                _check_counter(res, counter, branch, _counts(arr), path, start)
            _check_field(res, branch, arr, ref, path, start)
        # else: one value per event (or deeper lists) beside a jagged reference: not a field
    for name, value in res.constants.items():
        if name not in values:
            values[name] = ak.full_like(ref, value, dtype=np.float64)
    lengths = LENGTH_FIELDS[res.kind]
    for name in values:
        if name in lengths and res.length_scale != 1.0:
            values[name] = values[name] * res.length_scale
        elif name in ENERGY_FIELDS and res.energy_scale != 1.0:
            values[name] = values[name] * res.energy_scale
    return values


def _split(values: dict[str, ak.Array], kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Separate the coordinates from the pass-through fields, renaming clashes."""
    canonical = _CANONICAL.get(kind, ())
    core = {k: v for k, v in values.items() if k in canonical}
    extra = {(f"file_{k}" if k in _VECTOR_NAMES else k): v
             for k, v in values.items() if k not in canonical}
    return core, extra


def _build_particles(res: Resolved, values: dict[str, ak.Array]) -> ak.Array:
    core, extra = _split(values, "particles")
    charge = None if res.name in NEUTRAL else core.get("charge")
    if "E" in core and not ("pt" in core and "eta" in core and "phi" in core):
        return particles_from_cartesian(core["px"], core["py"], core["pz"], core["E"], charge,
                                        **extra)
    if "pt" not in core or "eta" not in core or "phi" not in core:  # px, py, pz and a mass
        px, py, pz = core["px"], core["py"], core["pz"]
        core["pt"], core["phi"] = np.hypot(px, py), np.arctan2(py, px)
        with np.errstate(divide="ignore", invalid="ignore"):
            core["eta"] = np.arcsinh(pz / core["pt"])
    mass = core.get("mass", ak.zeros_like(core["pt"], dtype=np.float64))
    return particles(core["pt"], core["eta"], core["phi"], mass, charge, **extra)


def _build_met(res: Resolved, values: dict[str, ak.Array]) -> ak.Array:
    core, extra = _split(values, "met")
    if "pt" in core and "phi" in core:
        pt, phi = core["pt"], core["phi"]
    else:
        pt, phi = np.hypot(core["px"], core["py"]), np.arctan2(core["py"], core["px"])
    if pt.ndim == 1:
        return missing_et(pt, phi, **extra)
    return ak.zip({"pt": pt, "phi": phi, **extra}, with_name="Momentum2D")


def _build_record(res: Resolved, values: dict[str, ak.Array]) -> ak.Array:
    return ak.zip(values)


_BUILDERS = {"particles": _build_particles, "met": _build_met,
             "vertices": _build_record, "calo": _build_record}


def build_collection(res: Resolved, data: Mapping[str, ak.Array], path: str = "<arrays>",
                     start: int = 0) -> ak.Array:
    """Build one common-form collection from the arrays read for it.

    Parameters
    ----------
    res : Resolved
        What to build.
    data : mapping of str to ak.Array
        Branch name to array (flat or jagged over events).
    path : str
        The file, for error messages.
    start : int
        The entry of the first event in ``data``, for error messages.

    Returns
    -------
    ak.Array
        Jagged over events. A flat reference branch (one value per event,
        e.g. NanoAOD ``PV_x``) gives one object per event.

    Raises
    ------
    FormatError
        The counter or a field disagrees with the reference branch.
    """
    values = _field_values(res, data, path, start)
    flat = data[res.reference].ndim == 1
    if flat and res.kind != "met":
        values = {k: ak.unflatten(v, np.ones(len(v), dtype=np.int64)) for k, v in values.items()}
    return _BUILDERS[res.kind](res, values)
