"""Toy detector responses (CMS-, STAR- and ALICE-like) and the per-event reconstruction."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .pythia_setup import read_final_state
from .reco import (
    isolated_directions,
    reco_jets,
    reco_leptons,
    reco_met,
    reco_photons,
    reco_tracks,
)


@dataclass(frozen=True)
class Response:
    """A simple detector response.

    Attributes
    ----------
    detector : str
        ``"CMS"``, ``"STAR"`` or ``"ALICE"``.
    field_t : float
        Solenoid field in tesla (metadata only).
    track_eta, track_pt : float
        Track acceptance: ``|eta| <`` and ``pT >`` (GeV).
    track_sigma : float
        Relative Gaussian pT resolution of tracks.
    track_rmax_cm : float
        Tracks must be produced within this transverse radius (cm).
    beam_xy_cm, beam_z_cm : float
        Gaussian widths of the luminous region (cm) used to place the vertex.
    full : bool
        Whether photons, leptons, jets and MET are reconstructed (pp only).
    """

    detector: str
    field_t: float
    track_eta: float
    track_pt: float
    track_sigma: float
    track_rmax_cm: float
    beam_xy_cm: float
    beam_z_cm: float
    full: bool

    def describe(self) -> str:
        """Return the one-paragraph text stored as ``detector_response`` in the metadata."""
        text = (f"{self.detector}-like toy response. Tracks: final-state charged particles with "
                f"pT > {self.track_pt} GeV, |eta| < {self.track_eta}, produced within "
                f"r < {self.track_rmax_cm:g} cm, pT smeared by {100 * self.track_sigma:g}%. "
                f"Vertex: Pythia production points (mm -> cm) shifted by a Gaussian beam spot "
                f"(sigma_xy = {self.beam_xy_cm * 1e4:g} um, sigma_z = {self.beam_z_cm:g} cm).")
        if self.full:
            text += (" Photons (|eta| < 2.5; hard-process or isolated with pT > 10 GeV) and "
                     "electrons (pT > 5 GeV, |eta| < 2.5): ECAL energy smeared by "
                     "2.8%/sqrt(E) (+) 0.3%. Muons: pT > 5 GeV, |eta| < 2.4, pT smeared 1.5%. "
                     "Jets: Pythia SlowJet anti-kT R = 0.4 on visible final-state particles, "
                     "pT smeared 100%/sqrt(pT) (+) 5%, pT > 20 GeV, |eta| < 4.7, removed "
                     "within dR < 0.4 of an isolated photon or lepton. MET: negative vector "
                     "sum of visible particles with |eta| < 5, each component smeared by "
                     "0.5*sqrt(sumEt).")
        else:
            text += " No photons, leptons, jets or MET are reconstructed (MET stored as 0)."
        return text


CMS = Response("CMS", 3.8, 2.5, 0.15, 0.015, 60.0, 10e-4, 3.5, True)
STAR = Response("STAR", 0.5, 1.0, 0.15, 0.02, 100.0, 0.03, 20.0, False)
ALICE = Response("ALICE", 0.5, 4.0, 0.10, 0.015, 100.0, 50e-4, 5.0, False)


def empty_collection(charged):
    """Return an empty particle collection (with charge and pdgId when ``charged``)."""
    out = {k: np.zeros(0) for k in ("pt", "eta", "phi", "mass")}
    if charged:
        out.update(charge=np.zeros(0, np.int32), pdgId=np.zeros(0, np.int64))
    return out


def reconstruct(event, resp, rng, slowjet=None):
    """Apply the detector response to one Pythia event.

    Returns
    -------
    dict
        Per-event scalars (``PV_*``, ``MET_*``, ``Collision_nCharged``) and the
        collections ``Track, Photon, Electron, Muon, Jet`` as dicts of arrays.
    """
    fs = read_final_state(event, resp.full)
    pv = (rng.normal(0, resp.beam_xy_cm), rng.normal(0, resp.beam_xy_cm),
          rng.normal(0, resp.beam_z_cm))
    rec = {"PV_x": pv[0], "PV_y": pv[1], "PV_z": pv[2], "Track": reco_tracks(fs, resp, rng, pv)}
    rec["Collision_nCharged"] = len(rec["Track"]["pt"])
    if not resp.full:
        rec.update(Photon=empty_collection(False), Electron=empty_collection(True),
                   Muon=empty_collection(True), Jet=empty_collection(False))
        rec.update(MET_pt=0.0, MET_phi=0.0, MET_sumEt=0.0)
        return rec
    visible = ~np.isin(np.abs(fs["id"]), (12, 14, 16))
    rec["Photon"] = reco_photons(fs, rng, visible)
    rec["Electron"], rec["Muon"] = reco_leptons(fs, rng, 11), reco_leptons(fs, rng, 13)
    veto = isolated_directions(fs, visible, (rec["Photon"], rec["Electron"], rec["Muon"]))
    rec["Jet"] = reco_jets(slowjet, event, rng, veto)
    for name in ("Photon", "Electron", "Muon", "Jet"):
        order = np.argsort(-rec[name]["pt"], kind="stable")
        rec[name] = {field: values[order] for field, values in rec[name].items()}
    rec["MET_pt"], rec["MET_phi"], rec["MET_sumEt"] = reco_met(fs, rng, visible)
    return rec
