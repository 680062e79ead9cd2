"""Invariant mass, summed pT and charges of the objects a student picked.

A selection is a sequence of ``(collection, index)`` picks into one event's
particle collections (tracks, photons, electrons, muons, jets). The mass is
that of the sum of the objects' four-vectors, built with ``vector`` from the
common form's ``pt, eta, phi, mass`` (as iSpy's "M" and HYPATIA's table).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import vector

from collider_viz.physics.event import PARTICLE_COLLECTIONS

Pick = tuple[str, int]


@dataclass(frozen=True)
class Measurement:
    """What a selection adds up to.

    Attributes
    ----------
    picks : tuple of (str, int)
        The selected objects in the order they were picked.
    mass : float or None
        Invariant mass of their sum (GeV); None for fewer than two objects.
    pt_sum : float
        Scalar sum of their pT (GeV).
    pt_system : float
        pT of their four-vector sum (GeV).
    charges : tuple of int or None
        Each object's charge (None where the collection has none, e.g. photons).
    """

    picks: tuple[Pick, ...]
    mass: float | None
    pt_sum: float
    pt_system: float
    charges: tuple[int | None, ...]

    @property
    def total_charge(self) -> int | None:
        """Sum of the charges; None when one of them is unknown."""
        if any(c is None for c in self.charges):
            return None
        return int(sum(c for c in self.charges if c is not None))


def toggle(picks: Sequence[Pick], pick: Pick, add: bool) -> tuple[Pick, ...]:
    """The selection after a click: ``add`` (shift-click) toggles ``pick`` in it,
    a plain click makes ``pick`` the whole selection."""
    if not add:
        return (pick,)
    if pick in picks:
        return tuple(p for p in picks if p != pick)
    return (*picks, pick)


def _fourvector(record: object) -> vector.MomentumObject4D:
    fields = record.fields  # type: ignore[attr-defined]
    mass = float(record["mass"]) if "mass" in fields else 0.0  # type: ignore[index]
    mass = mass if math.isfinite(mass) else 0.0
    return vector.obj(pt=float(record["pt"]), eta=float(record["eta"]),  # type: ignore[index]
                      phi=float(record["phi"]), mass=mass)  # type: ignore[index]


def _charge(record: object) -> int | None:
    if "charge" not in record.fields:  # type: ignore[attr-defined]
        return None
    value = float(record["charge"])  # type: ignore[index]
    return int(round(value)) if math.isfinite(value) else None


def measure(event: object, picks: Sequence[Pick]) -> Measurement:
    """Measure ``picks`` of ``event`` (an :class:`~collider_viz.physics.event.Event`).

    Raises
    ------
    KeyError
        A pick names a collection the event lacks or that is not a particle collection.
    IndexError
        A pick's index is beyond its collection.
    """
    vectors, charges = [], []
    for name, index in picks:
        if name not in PARTICLE_COLLECTIONS or name not in event:  # type: ignore[operator]
            raise KeyError(f"{name}: not a particle collection of this event")
        objects = event[name]  # type: ignore[index]
        if not 0 <= index < len(objects):
            raise IndexError(f"{name}[{index}]: the event has {len(objects)}")
        vectors.append(_fourvector(objects[index]))
        charges.append(_charge(objects[index]))
    if not vectors:
        return Measurement((), None, 0.0, 0.0, ())
    total = vectors[0]
    for v in vectors[1:]:
        total = total + v
    mass = float(total.mass) if len(vectors) >= 2 else None
    return Measurement(tuple(picks), mass, float(sum(v.pt for v in vectors)), float(total.pt),
                       tuple(charges))


def charge_text(charge: int | None) -> str:
    """``"+"``, ``"−"``, ``"0"`` or ``"?"``."""
    if charge is None:
        return "?"
    return "+" if charge > 0 else ("−" if charge < 0 else "0")


def summary_lines(m: Measurement, show_charges: bool = True) -> list[str]:
    """The lines the window shows for ``m`` (charges as "?" when hidden)."""
    if not m.picks:
        return ["Selection: none (click an object; shift-click adds)"]
    names = ", ".join(f"{n}[{i}]" for n, i in m.picks)
    charges = " ".join(charge_text(c) if show_charges else "?" for c in m.charges)
    mass = "—" if m.mass is None else f"{m.mass:.2f} GeV"
    return [f"Selection: {len(m.picks)} ({names})", f"M = {mass}",
            f"Σ pT = {m.pt_sum:.2f} GeV, pT(sum) = {m.pt_system:.2f} GeV",
            f"charges: {charges}"]
