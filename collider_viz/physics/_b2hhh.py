"""The LHCb B± → h± h± h∓ preset: the three hadrons of an exercise-ntuple row.

The LHCb "matter-antimatter" open-data exercise (B2HHH ntuples, one B
candidate per row) reconstructs B± → K± K+ K−: the B mass is the invariant
mass of the three charged hadrons under the kaon hypothesis (the shipped
layout ``lhcb_b2hhh.toml`` gives them the kaon mass). Events are candidates
only when they hold exactly three tracks of total charge ±1, so the preset
never builds triplets from a general event's hundreds of tracks.
"""

from __future__ import annotations

import numpy as np

from collider_viz.physics import _selection_base as cb
from collider_viz.physics._selection_base import Selection, SelectionResult
from collider_viz.physics.event import EventBatch

#: B± mass, PDG 2024: 5279.41 ± 0.07 MeV
B_MASS_GEV = 5.27941


class B2hhh(Selection):
    """B±→h±h±h∓: the three tracks of a one-candidate row, total charge ±1, 4.8 < m < 5.8 GeV.

    Input: events with exactly three tracks (the LHCb B2HHH exercise ntuples,
    one B candidate per row); their summed charge must be ±1. The mass uses
    each track's own mass (the kaon mass in the shipped LHCb layout, as in the
    exercise's m(KKK)). Window 4.8–5.8 GeV around the B± mass 5.279 GeV
    (PDG 2024). Source: LHCb open-data "matter-antimatter" exercise,
    LHCb Collaboration, Phys. Rev. Lett. 111 (2013) 101801.
    """

    name = "b2hhh"
    collections = ("tracks",)
    bins = (100, 4.8, 5.8)
    axis_label = r"$m_{hhh}$ [GeV]"
    window = (4.8, 5.8)

    def apply(self, batch: EventBatch) -> SelectionResult:
        """Evaluate the selection on every event of ``batch``."""
        tracks = batch.collections.get("tracks")
        n = len(batch)
        if tracks is None or n == 0:
            none = np.zeros(0, np.int64)
            return cb.result(n, none, np.zeros(0), {"tracks": np.zeros((0, 3), np.int64)})
        counts, obj = cb.flatten(tracks, ("pt", "eta", "phi", "mass", "charge"))
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        ev = np.flatnonzero(counts == 3)
        i0, i1, i2 = starts[ev], starts[ev] + 1, starts[ev] + 2
        charge = obj["charge"][i0] + obj["charge"][i1] + obj["charge"][i2]
        mass = cb.invariant_mass(cb.four_momenta(obj), i0, i1, i2)
        keep = (np.abs(charge) == 1) & (mass > self.window[0]) & (mass < self.window[1])
        idx = np.tile(np.arange(3, dtype=np.int64), (int(keep.sum()), 1))
        return cb.result(n, ev[keep], mass[keep], {"tracks": idx})
