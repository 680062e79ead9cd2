"""Named event selections (presets) for candidate scans.

Every preset is applied to a whole :class:`~collider_viz.physics.event.EventBatch`
at once: the objects of all events are flattened to numpy arrays, object cuts
are masks over them, and candidate pairs are built per multiplicity class with
index arithmetic (no per-event Python loop). A preset returns a
:class:`SelectionResult`: the per-event pass mask, the candidate mass and the
indices of the candidate's objects in their collections (for highlighting).

``PRESETS`` maps a preset name (``hgg``, ``h4l``, ``zmumu``, ``zee``, ``jpsi``, ``b2hhh``)
to its :class:`Selection`; each class docstring lists its cuts and sources.
"""

from __future__ import annotations

from typing import Any, ClassVar

import awkward as ak
import numpy as np

from collider_viz.errors import SelectionError
from collider_viz.physics import _selection_base as cb
from collider_viz.physics._b2hhh import B2hhh
from collider_viz.physics._h4l import H4l
from collider_viz.physics._selection_base import Selection, SelectionResult
from collider_viz.physics.event import EventBatch

__all__ = ["PRESETS", "Selection", "SelectionResult", "PairSelection", "get_selection",
           "describe", "Hgg", "H4l", "Zmumu", "Zee", "Jpsi", "B2hhh"]


class PairSelection(Selection):
    """Two objects of one collection forming a mass candidate (see subclasses).

    Object cuts: ``pt > pt_min``, ``|eta| < eta_max``, outside the open interval
    ``eta_gap``, plus :meth:`object_id`. Pair cuts: leading ``pt > lead_pt``,
    subleading ``pt > sublead_pt``, leading ``pt > m / lead_mass_div``, subleading
    ``pt > m / sublead_mass_div``, ``window[0] < m < window[1]``, opposite charge
    when ``opposite_charge``. Among the pairs passing, the candidate is the one
    with the highest scalar sum of pT (first in combination order on ties).
    """

    collection: ClassVar[str] = ""
    pt_min: ClassVar[float] = 0.0
    eta_max: ClassVar[float] = np.inf
    eta_gap: ClassVar[tuple[float, float] | None] = None
    lead_pt: ClassVar[float] = 0.0
    sublead_pt: ClassVar[float] = 0.0
    lead_mass_div: ClassVar[float | None] = None
    sublead_mass_div: ClassVar[float | None] = None
    window: ClassVar[tuple[float, float]] = (-np.inf, np.inf)
    opposite_charge: ClassVar[bool] = False

    @property
    def collections(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.collection,)

    def object_id(self, objs: ak.Array) -> np.ndarray | None:
        """Extra flat per-object mask (identification); None for no cut."""
        return None

    def object_mask(self, objs: ak.Array) -> tuple[np.ndarray, np.ndarray]:
        """Per-event object counts and the flat mask of objects passing the object cuts.

        The file's values (often float32) are compared with float64 thresholds.
        """
        counts = np.asarray(ak.to_numpy(ak.num(objs, axis=1)), dtype=np.int64)
        pt, aeta = cb.flat_field(objs, "pt"), np.abs(cb.flat_field(objs, "eta"))
        f64 = np.float64
        mask = (pt > f64(self.pt_min)) & (aeta < f64(self.eta_max))
        if self.eta_gap is not None:
            mask &= ~((aeta > f64(self.eta_gap[0])) & (aeta < f64(self.eta_gap[1])))
        extra = self.object_id(objs)
        return counts, (mask if extra is None else mask & extra)

    def apply(self, batch: EventBatch) -> SelectionResult:
        objs = batch.collections.get(self.collection)
        if objs is None:
            raise SelectionError(f"selection {self.name!r} needs {self.collection}, "
                                 "which this file does not provide")
        counts, mask = self.object_mask(objs)
        pos = np.flatnonzero(mask)
        group, local = cb.local_index(counts, pos)
        keep = np.bincount(group, minlength=len(counts))[group] >= 2
        pos, group, local = pos[keep], group[keep], local[keep]
        ev, a, b = cb.pairs(group)
        fields = ("pt", "eta", "phi", "mass") + (("charge",) if self.opposite_charge else ())
        sel = cb.gather(objs, pos, fields)
        mass = cb.invariant_mass(cb.four_momenta(sel), a, b)
        ok = np.flatnonzero(self.pair_mask(sel, a, b, mass))
        best = ok[cb.best_per_group(ev[ok], -(sel["pt"][a] + sel["pt"][b])[ok])]
        idx = np.stack([local[a[best]], local[b[best]]], axis=1)
        return cb.result(len(counts), ev[best], mass[best], {self.collection: idx})

    def pair_mask(self, obj: dict[str, np.ndarray], a: np.ndarray, b: np.ndarray,
                  mass: np.ndarray) -> np.ndarray:
        """Mask of the pairs ``(a, b)`` (indices into ``obj`` arrays) passing the pair cuts."""
        pa, pb = obj["pt"][a], obj["pt"][b]
        lead, sub = np.maximum(pa, pb), np.minimum(pa, pb)
        ok = (lead > self.lead_pt) & (sub > self.sublead_pt)
        if self.lead_mass_div:
            ok &= lead > mass / self.lead_mass_div
        if self.sublead_mass_div:
            ok &= sub > mass / self.sublead_mass_div
        ok &= (mass > self.window[0]) & (mass < self.window[1])
        if self.opposite_charge:
            ok &= obj["charge"][a] * obj["charge"][b] < 0
        return ok


class Hgg(PairSelection):
    """H→γγ: two isolated photons, pT/m ≥ 1/3 and 1/4 (CMS H→γγ selection).

    Photon cuts: pT > 20 GeV, |η| < 2.5 excluding the ECAL barrel–endcap
    transition 1.4442 < |η| < 1.566 (interval open: the edges themselves pass).
    Identification where the file has the branch: ``mvaID_WP90`` (NanoAOD
    Photon_mvaID_WP90, includes isolation) is required true; otherwise
    ``cutBased >= 1`` (loose); otherwise ``pfRelIso03_all < 0.3``; files
    without such branches (iSpy .ig, samples) get the kinematic cuts only.

    Pair cuts: leading pT > 30 GeV and subleading pT > 20 GeV (pre-selection
    floors), leading pT > m_γγ/3 and subleading pT > m_γγ/4. No mass window.
    Among passing pairs the one with the highest scalar pT sum is the candidate;
    the mass is its m_γγ.

    Sources: CMS Collaboration, "Observation of the diphoton decay of the Higgs
    boson and measurement of its properties", CMS-HIG-13-001, Eur. Phys. J. C 74
    (2014) 3076; CMS-HIG-16-040, JHEP 11 (2018) 185 (13 TeV, same pT/m
    cuts and ECAL fiducial region).
    """

    extra_fields = {"photons": ("mvaID_WP90", "cutBased", "pfRelIso03_all")}

    name = "hgg"
    collection = "photons"
    bins = (80, 100.0, 180.0)
    axis_label = r"$m_{\gamma\gamma}$ [GeV]"
    pt_min, eta_max, eta_gap = 20.0, 2.5, (1.4442, 1.566)
    lead_pt, sublead_pt, lead_mass_div, sublead_mass_div = 30.0, 20.0, 3.0, 4.0

    def object_id(self, objs: ak.Array) -> np.ndarray | None:
        fields = set(ak.fields(objs))
        if "mvaID_WP90" in fields:
            return cb.flat_field(objs, "mvaID_WP90").astype(bool)
        if "cutBased" in fields:
            return cb.flat_field(objs, "cutBased") >= 1
        if "pfRelIso03_all" in fields:
            return cb.flat_field(objs, "pfRelIso03_all") < 0.3
        return None


class Zmumu(PairSelection):
    """Z→μμ: opposite-sign muon pair, 60 < m_μμ < 120 GeV.

    Muon cuts: pT > 10 GeV, |η| < 2.4 (muon-system acceptance). Pair cuts:
    opposite charge, leading pT > 20 GeV, subleading pT > 10 GeV,
    60 < m_μμ < 120 GeV. No muon identification is applied. Candidate: the
    passing pair with the highest scalar pT sum. Source: the CMS Drell–Yan /
    W,Z cross-section selections, e.g. CMS-EWK-10-002, JHEP 01 (2011) 080.
    """

    name = "zmumu"
    collection = "muons"
    bins = (60, 60.0, 120.0)
    axis_label = r"$m_{\mu\mu}$ [GeV]"
    pt_min, eta_max = 10.0, 2.4
    lead_pt, sublead_pt, window, opposite_charge = 20.0, 10.0, (60.0, 120.0), True


class Zee(PairSelection):
    """Z→ee: opposite-sign electron pair, 60 < m_ee < 120 GeV.

    Electron cuts: pT > 10 GeV, |η| < 2.5 (tracker acceptance). Pair cuts:
    opposite charge, leading pT > 20 GeV, subleading pT > 10 GeV,
    60 < m_ee < 120 GeV. No electron identification. Candidate: the passing
    pair with the highest scalar pT sum. Source: CMS-EWK-10-002, JHEP 01 (2011) 080.
    """

    name = "zee"
    collection = "electrons"
    bins = (60, 60.0, 120.0)
    axis_label = r"$m_{ee}$ [GeV]"
    pt_min, eta_max = 10.0, 2.5
    lead_pt, sublead_pt, window, opposite_charge = 20.0, 10.0, (60.0, 120.0), True


class Jpsi(PairSelection):
    """J/ψ→μμ: opposite-sign muon pair, 2.9 < m_μμ < 3.3 GeV.

    Muon cuts: pT > 3 GeV (roughly the momentum needed to reach the CMS muon
    stations), |η| < 2.4. Pair cuts: opposite charge, 2.9 < m_μμ < 3.3 GeV.
    Candidate: the passing pair with the highest scalar pT sum. Source: CMS
    J/ψ cross-section measurement at 7 TeV, CMS-BPH-10-002, Eur. Phys. J. C 71
    (2011) 1575.
    """

    name = "jpsi"
    collection = "muons"
    bins = (60, 2.8, 3.4)
    axis_label = r"$m_{\mu\mu}$ [GeV]"
    pt_min, eta_max = 3.0, 2.4
    window, opposite_charge = (2.9, 3.3), True


PRESETS: dict[str, Selection] = {
    "hgg": Hgg(),
    "h4l": H4l(),
    "zmumu": Zmumu(),
    "zee": Zee(),
    "jpsi": Jpsi(),
    "b2hhh": B2hhh(),
}
"""Preset name → selection object."""


def get_selection(name: str | Selection) -> Selection:
    """Return the preset called ``name`` (case-insensitive), or ``name`` itself.

    Raises
    ------
    SelectionError
        For an unknown name; the message lists the presets.
    """
    if isinstance(name, Selection):
        return name
    sel = PRESETS.get(str(name).strip().lower())
    if sel is None:
        raise SelectionError(f"unknown selection {name!r}; presets: {', '.join(PRESETS)}")
    return sel


def describe() -> dict[str, Any]:
    """Preset name → one-line summary (for ``--help`` and the GUI)."""
    return {name: sel.summary for name, sel in PRESETS.items()}
