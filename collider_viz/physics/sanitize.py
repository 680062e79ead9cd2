"""Objects that cannot be drawn: non-finite (NaN, ±inf) coordinates or a negative pT.

Real files do contain them (an iSpy ``nan``, a damaged basket, a failed fit).
The drawing code skips such objects and says how many it skipped, instead of
drawing garbage or failing::

    event, dropped = drop_nonfinite(event)   # dropped == {"tracks": 2}

Only the fields that are drawn are checked (:data:`CHECKED_FIELDS`);
pass-through fields such as a ``chi2`` may be NaN without the object being dropped.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.physics.event import Event

#: Fields whose values place or size an object in the display.
CHECKED_FIELDS: tuple[str, ...] = ("pt", "eta", "phi", "mass", "vx", "vy", "vz",
                                   "x", "y", "z", "energy")
#: Fields that must also not be negative.
NON_NEGATIVE: tuple[str, ...] = ("pt",)


def _field_ok(values: ak.Array, name: str) -> ak.Array | None:
    """True where ``values`` is finite (and non-negative for :data:`NON_NEGATIVE`);
    None when the field is not numeric."""
    try:
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(values)
            if name in NON_NEGATIVE:
                ok = ok & (values >= 0)
    except (TypeError, ValueError):  # strings and other non-numeric fields
        return None
    return ak.fill_none(ok, False)


def finite_mask(collection: Any) -> ak.Array:
    """Boolean mask of the drawable objects of a collection.

    Parameters
    ----------
    collection : ak.Array
        Records, flat (one event) or jagged over events.

    Returns
    -------
    ak.Array
        Same structure as ``collection``: True where every field of
        :data:`CHECKED_FIELDS` present is finite and ``pt`` is not negative.
    """
    collection = ak.Array(collection) if not isinstance(collection, ak.Array) else collection
    # the object axis (records may carry ragged fields such as path_x, deeper than it)
    everything = ak.local_index(collection, axis=collection.ndim - 1) >= 0
    fields = [f for f in CHECKED_FIELDS if f in (collection.fields or ())]
    checks = [ok for f in fields if (ok := _field_ok(collection[f], f)) is not None]
    return functools.reduce(np.logical_and, checks, everything)


def drop_nonfinite(event: Event) -> tuple[Event, dict[str, int]]:
    """Remove the objects :func:`finite_mask` rejects from every collection of an event.

    Returns
    -------
    event : Event
        A copy holding only drawable objects (the input event is unchanged).
    dropped : dict of str to int
        Number of objects removed per collection; only collections that lost some.
    """
    kept: dict[str, ak.Array] = {}
    dropped: dict[str, int] = {}
    for name, coll in event.collections.items():
        mask = finite_mask(coll)
        n_bad = int(ak.count_nonzero(~mask, axis=None))
        kept[name] = coll[mask] if n_bad else coll
        if n_bad:
            dropped[name] = n_bad
    return dataclasses.replace(event, collections=kept), dropped
