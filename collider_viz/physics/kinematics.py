"""Invariant masses and lepton pairings, all Lorentz algebra done by ``vector``.

Inputs are collections of the common event form (``Momentum4D`` records with
``pt, eta, phi, mass, charge``), either one event (1D) or many (jagged).
Records with ``px, py, pz, E`` instead work too.  PDG names and masses come
from ``particle``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import awkward as ak
import numpy as np
import vector

from collider_viz.physics.masses import Z_MASS as _PDG_Z_MASS

vector.register_awkward()

_KINEMATIC_FIELDS = (("pt", "eta", "phi", "mass"), ("px", "py", "pz", "E"))
# (Z1 leg, Z1 leg, Z2 leg, Z2 leg) positions within a quadruplet: 3 pairings x 2 choices of Z1
_ORDERS = np.array([(0, 1, 2, 3), (2, 3, 0, 1), (0, 2, 1, 3), (1, 3, 0, 2), (0, 3, 1, 2),
                    (1, 2, 0, 3)])
_CHANNELS = {44: "4e", 48: "2e2mu", 52: "4mu"}


@lru_cache(maxsize=512)
def _particle(pdgid: int) -> Any:
    # particle's table is loaded on first use (~0.2 s), never at import
    from particle import InvalidParticle, Particle, ParticleNotFound

    try:
        return Particle.from_pdgid(int(pdgid))
    except (InvalidParticle, ParticleNotFound, ValueError):
        return None


def pdg_name(pdgid: int) -> str:
    """Particle name for a PDG id (e.g. ``13 -> "mu-"``); the number itself if unknown."""
    found = _particle(pdgid)
    return str(pdgid) if found is None else found.name


def pdg_mass(pdgid: int) -> float:
    """PDG mass in GeV (NaN if unknown or not measured)."""
    found = _particle(pdgid)
    if found is None or found.mass is None:
        return float("nan")
    return found.mass / 1000.0


Z_MASS: float = _PDG_Z_MASS
"""Mass of the Z boson in GeV (PDG 2024, :mod:`collider_viz.physics.masses`)."""


def momenta(objects: Any) -> ak.Array:
    """``Momentum4D`` view of a record, a collection or a jagged array (kinematic fields only).

    Parameters
    ----------
    objects : ak.Record or ak.Array
        Anything with ``pt, eta, phi, mass`` or ``px, py, pz, E`` fields.

    Returns
    -------
    ak.Array
        Same list structure (a single record becomes a length-1 array).
    """
    names = set(ak.fields(objects))
    for group in _KINEMATIC_FIELDS:
        if names.issuperset(group):
            if isinstance(objects, ak.Record):
                parts = {k: np.atleast_1d(np.asarray(objects[k], dtype=np.float64)) for k in group}
            else:
                parts = {k: objects[k] for k in group}
            return ak.zip(parts, with_name="Momentum4D")
    raise TypeError(f"objects need fields pt, eta, phi, mass or px, py, pz, E; got {sorted(names)}")


def invariant_mass(*objects: Any) -> float:
    """Invariant mass (GeV) of any set of objects of ONE event.

    Parameters
    ----------
    *objects : ak.Record or 1D ak.Array
        Single particles and/or whole collections; everything is summed.

    Returns
    -------
    float
        ``sqrt(E² - p²)`` of the sum (negative if space-like by rounding, NaN if empty).
    """
    parts = [momenta(obj) for obj in objects]
    parts = [ak.sum(p, axis=0) for p in parts if len(p)]
    if not parts:
        return float("nan")
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return float(total.mass)


def invariant_mass_events(*collections: Any) -> np.ndarray:
    """Per-event invariant mass (GeV) of the sum of several collections.

    Parameters
    ----------
    *collections : ak.Array
        Each either jagged (events x objects, all objects are summed) or flat
        (one object per event); all of the same number of events.

    Returns
    -------
    np.ndarray
        float64 masses, one per event (0 for events without objects).
    """
    total = None
    for coll in collections:
        vec = momenta(coll)
        if vec.ndim > 1:
            vec = ak.sum(vec, axis=1)
        total = vec if total is None else total + vec
    if total is None:
        raise ValueError("invariant_mass_events needs at least one collection")
    return ak.to_numpy(ak.fill_none(total.mass, np.nan)).astype(np.float64)


def diphoton_mass(photons: ak.Array) -> np.ndarray | float:
    """Mass of the two highest-pT photons of each event (NaN where fewer than two).

    A 1D collection (one event) gives a float.
    """
    if photons.ndim == 1:
        return float(diphoton_mass(ak.unflatten(photons, [len(photons)]))[0])
    order = ak.argsort(photons.pt, axis=1, ascending=False)
    has_two = ak.to_numpy(ak.num(photons, axis=1) >= 2)
    leading = photons[order][has_two][:, :2]
    out = np.full(len(photons), np.nan)
    if len(leading):
        out[has_two] = invariant_mass_events(leading)
    return out


def _flavour(leptons: ak.Array) -> ak.Array:
    """|pdgId| (or ``flavour``) of each lepton; zeros when unknown (one flavour)."""
    fields = ak.fields(leptons)
    if "flavour" in fields:
        return leptons.flavour
    if "pdgId" in fields:
        return abs(leptons.pdgId)
    return ak.values_astype(leptons.pt * 0, np.int64)


def dilepton_candidates(leptons: ak.Array) -> ak.Array:
    """All opposite-sign same-flavour pairs of each event, with their masses.

    Parameters
    ----------
    leptons : ak.Array
        Jagged (events x leptons) or one event (1D) with ``charge`` and optional
        ``pdgId`` / ``flavour`` (without them all leptons count as one flavour).

    Returns
    -------
    ak.Array
        Records ``mass, i1, i2, flavour, l1, l2`` (indices into ``leptons``).
    """
    if leptons.ndim == 1:
        return dilepton_candidates(ak.unflatten(leptons, [len(leptons)]))[0]
    leptons = ak.from_regular(leptons, axis=1)
    tagged = ak.with_field(leptons, _flavour(leptons), "flavour")
    pairs = ak.combinations(tagged, 2, fields=["l1", "l2"])
    index = ak.argcombinations(tagged, 2, fields=["i1", "i2"])
    mass = (momenta(pairs.l1) + momenta(pairs.l2)).mass
    fields = {"mass": mass, "i1": index.i1, "i2": index.i2, "flavour": pairs.l1.flavour,
              "l1": pairs.l1, "l2": pairs.l2}
    result = ak.zip(fields, depth_limit=2)
    return result[_ossf(pairs.l1, pairs.l2)]


def _ossf(a: ak.Array, b: ak.Array) -> ak.Array:
    """Opposite charge and same flavour."""
    return (a.charge * b.charge < 0) & (a.flavour == b.flavour)


def _tagged(leptons: ak.Array | None, flavour: int, like: ak.Array | None) -> ak.Array:
    """Kinematics + charge + flavour + index of one lepton collection (jagged)."""
    if leptons is None:
        leptons = like[:, :0]
    vec = momenta(leptons)
    local = ak.local_index(leptons, axis=1)
    fields = {k: vec[k] for k in ak.fields(vec)}
    fields.update(charge=leptons.charge, index=local,
                  flavour=ak.values_astype(local * 0 + flavour, np.int64))
    return ak.zip(fields, with_name="Momentum4D")


def _quadruplets(leptons: ak.Array) -> tuple[np.ndarray, np.ndarray]:
    """All 4-lepton combinations as flat indices ``(Q, 4)`` and their event numbers ``(Q,)``."""
    counts = ak.to_numpy(ak.num(leptons, axis=1))
    starts = np.cumsum(counts) - counts
    combos = ak.argcombinations(leptons, 4, axis=1)
    event = np.repeat(np.arange(len(counts)), ak.to_numpy(ak.num(combos, axis=1)))
    local = np.stack([ak.to_numpy(part) for part in ak.unzip(ak.flatten(combos))], axis=-1)
    return local.reshape(-1, 4) + starts[event][:, None], event


def _best_pairing(quads: np.ndarray, event: np.ndarray, flat: dict, z_mass: float) -> tuple:
    """Chosen (z1a, z1b, z2a, z2b) flat indices and event of each event with a candidate."""
    cands = quads[:, _ORDERS].reshape(-1, 4)
    event = np.repeat(event, len(_ORDERS))
    charge, flavour, vec = flat["charge"], flat["flavour"], flat["vector"]

    def ossf(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return (charge[i] * charge[j] < 0) & (flavour[i] == flavour[j])

    valid = ossf(cands[:, 0], cands[:, 1]) & ossf(cands[:, 2], cands[:, 3])
    cands, event = cands[valid], event[valid]
    distance = np.abs((vec[cands[:, 0]] + vec[cands[:, 1]]).mass - z_mass)
    z2_pt = flat["pt"][cands[:, 2]] + flat["pt"][cands[:, 3]]
    order = np.lexsort((-z2_pt, distance, event))  # per event: closest Z1, then hardest Z2
    first = order[np.unique(event[order], return_index=True)[1]]
    return cands[first], event[first]


def four_lepton(electrons: ak.Array | None, muons: ak.Array | None,
                z_mass: float = Z_MASS) -> ak.Array:
    """H -> ZZ* -> 4l candidate of each event with the usual Z1/Z2 pairing.

    Z1 is the opposite-sign same-flavour (OSSF) pair closest to ``z_mass``; Z2
    is an OSSF pair of two other leptons, the one with the highest scalar pT
    sum (as in the CMS H -> 4l analyses, without their quality cuts).

    Parameters
    ----------
    electrons, muons : ak.Array or None
        Jagged collections (events x leptons) with ``charge``.
    z_mass : float, optional
        Reference Z mass in GeV (PDG value by default).

    Returns
    -------
    ak.Array
        One option record per event (None without a candidate): ``mass,
        z1_mass, z2_mass, indices`` (4 indices into their own collections,
        Z1 first), ``flavours`` (11 or 13 each) and ``channel`` ("4e", "4mu", "2e2mu").
    """
    leptons = ak.concatenate([_tagged(electrons, 11, muons), _tagged(muons, 13, electrons)],
                             axis=1)
    flat = {k: ak.to_numpy(ak.flatten(leptons[k])) for k in ("pt", "charge", "flavour", "index")}
    kin = ak.flatten(momenta(leptons))
    flat["vector"] = vector.array({k: ak.to_numpy(kin[k]).astype(np.float64)
                                   for k in ("pt", "eta", "phi", "mass")})
    chosen, event = _best_pairing(*_quadruplets(leptons), flat, z_mass)
    return _four_lepton_record(len(leptons), chosen, event, flat)


def _four_lepton_record(n_events: int, chosen: np.ndarray, event: np.ndarray,
                        flat: dict) -> ak.Array:
    """Per-event output of :func:`four_lepton` (None where ``event`` has no entry)."""
    vec = flat["vector"]
    z1 = vec[chosen[:, 0]] + vec[chosen[:, 1]]
    z2 = vec[chosen[:, 2]] + vec[chosen[:, 3]]
    columns = {"mass": (z1 + z2).mass, "z1_mass": z1.mass, "z2_mass": z2.mass,
               "indices": flat["index"][chosen], "flavours": flat["flavour"][chosen]}
    fields = {}
    for name, values in columns.items():
        full = np.zeros((n_events,) + values.shape[1:], dtype=values.dtype)
        full[event] = values
        fields[name] = full
    channel = ak.enforce_type(ak.Array([_CHANNELS.get(int(total))
                                        for total in fields["flavours"].sum(axis=1)]), "?string")
    found = np.zeros(n_events, dtype=bool)
    found[event] = True
    return ak.mask(ak.zip({**fields, "channel": channel}, depth_limit=1), found)
