"""The H→ZZ→4ℓ preset (see :class:`H4l`); kept apart from the pair presets for size."""

from __future__ import annotations

import numpy as np

from collider_viz.errors import SelectionError
from collider_viz.physics import _selection_base as cb
from collider_viz.physics._selection_base import Selection, SelectionResult
from collider_viz.physics.event import EventBatch

Z_MASS = 91.1876  # GeV, PDG
_FIELDS = ("pt", "eta", "phi", "mass", "charge")
# (collection, pdg flavour, pt_min, |eta| max)
_LEPTONS = (("electrons", 11, 7.0, 2.5), ("muons", 13, 5.0, 2.4))


class H4l(Selection):
    """H→ZZ→4ℓ: two opposite-sign same-flavour lepton pairs (CMS H→4ℓ selection).

    Lepton cuts: electrons pT > 7 GeV and |η| < 2.5, muons pT > 5 GeV and
    |η| < 2.4; no identification or isolation. Z candidates are opposite-sign
    same-flavour pairs. Z1 is the one of two disjoint Z candidates closer to the
    Z mass (91.1876 GeV) and needs 40 < m_Z1 < 120 GeV; Z2 is the other,
    12 < m_Z2 < 120 GeV. Of the four leptons the leading has pT > 20 GeV and the
    subleading pT > 10 GeV, and every opposite-sign pair has m_ℓℓ > 4 GeV.
    Among the ZZ candidates the one with m_Z1 closest to the Z mass is kept,
    then the one with the highest scalar pT sum of the Z2 leptons. The mass is m_4ℓ.

    Source: CMS Collaboration, "Measurements of properties of the Higgs boson
    decaying into the four-lepton final state in pp collisions at √s = 13 TeV",
    CMS-HIG-16-041, JHEP 11 (2017) 047.
    """

    name = "h4l"
    collections = ("electrons", "muons")
    bins = (50, 70.0, 170.0)
    axis_label = r"$m_{4\ell}$ [GeV]"

    def apply(self, batch: EventBatch) -> SelectionResult:
        if not any(name in batch.collections for name, *_ in _LEPTONS):
            raise SelectionError("selection 'h4l' needs electrons or muons, "
                                 "which this file does not provide")
        lep = _leptons(batch)
        zev, za, zb, mz = _z_candidates(lep)
        ev, z1, z2 = _zz_candidates(zev, za, zb, mz)
        quad = np.stack([za[z1], zb[z1], za[z2], zb[z2]])
        ok = _quad_cuts(lep, quad) & _in(mz[z1], 40.0, 120.0) & _in(mz[z2], 12.0, 120.0)
        ok = np.flatnonzero(ok)
        z2sum = lep["pt"][quad[2]] + lep["pt"][quad[3]]
        best = ok[cb.best_per_group(ev[ok], np.abs(mz[z1] - Z_MASS)[ok], -z2sum[ok])]
        quad = quad[:, best]
        mass = cb.invariant_mass(lep["p4"], *quad)
        return cb.result(len(batch), ev[best], mass, _object_indices(lep, quad))


def _in(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return (x > lo) & (x < hi)


def _leptons(batch: EventBatch) -> dict[str, np.ndarray]:
    """Selected electrons and muons as flat arrays ordered by event (electrons first)."""
    parts: list[dict[str, np.ndarray]] = []
    for name, flav, pt_min, eta_max in _LEPTONS:
        objs = batch.collections.get(name)
        if objs is None:
            continue
        counts, flat = cb.flatten(objs, ("pt", "eta"))
        pos = np.flatnonzero((flat["pt"] > pt_min) & (np.abs(flat["eta"]) < eta_max))
        part = cb.gather(objs, pos, _FIELDS)
        part["group"], part["idx"] = cb.local_index(counts, pos)
        part["flav"] = np.full(len(pos), flav)
        parts.append(part)
    lep = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    order = np.argsort(lep["group"], kind="stable")
    lep = {key: arr[order] for key, arr in lep.items()}
    lep["p4"] = cb.four_momenta(lep)
    return lep


def _z_candidates(lep: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """Opposite-sign same-flavour pairs: event, lepton a, lepton b, mass."""
    ev, a, b = cb.pairs(lep["group"])
    ok = (lep["flav"][a] == lep["flav"][b]) & (lep["charge"][a] * lep["charge"][b] < 0)
    ev, a, b = ev[ok], a[ok], b[ok]
    return ev, a, b, cb.invariant_mass(lep["p4"], a, b)


def _zz_candidates(zev: np.ndarray, za: np.ndarray, zb: np.ndarray,
                   mz: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Disjoint pairs of Z candidates: event, Z1 index, Z2 index (Z1 closer to m_Z)."""
    ev, p, q = cb.pairs(zev)
    disjoint = ((za[p] != za[q]) & (za[p] != zb[q]) & (zb[p] != za[q]) & (zb[p] != zb[q]))
    ev, p, q = ev[disjoint], p[disjoint], q[disjoint]
    swap = np.abs(mz[q] - Z_MASS) < np.abs(mz[p] - Z_MASS)
    return ev, np.where(swap, q, p), np.where(swap, p, q)


def _quad_cuts(lep: dict[str, np.ndarray], quad: np.ndarray) -> np.ndarray:
    """Leading/subleading pT and m > 4 GeV for every opposite-sign pair of the four."""
    pts = np.sort(lep["pt"][quad], axis=0)
    ok = (pts[-1] > 20.0) & (pts[-2] > 10.0)
    for i, j in ((0, 2), (0, 3), (1, 2), (1, 3)):
        os_pair = lep["charge"][quad[i]] * lep["charge"][quad[j]] < 0
        ok &= ~os_pair | (cb.invariant_mass(lep["p4"], quad[i], quad[j]) > 4.0)
    return ok


def _object_indices(lep: dict[str, np.ndarray], quad: np.ndarray) -> dict[str, np.ndarray]:
    """Per-collection ``(n_candidates, 4)`` indices, Z1 leptons first, -1 padded."""
    out = {}
    for name, flav, *_ in _LEPTONS:
        idx = np.where(lep["flav"][quad] == flav, lep["idx"][quad], -1).T
        order = np.argsort(idx < 0, axis=1, kind="stable")
        out[name] = np.take_along_axis(idx, order, axis=1)
    return out

