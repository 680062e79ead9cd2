#!/usr/bin/env python3
"""Generate collider_viz's bundled sample files with Pythia 8 and a simple detector response.

Every file is a *simulation*: events come from Pythia 8.317 (``pythia8mc``),
then a deliberately simple, documented detector response (acceptance cuts and
Gaussian smearing, no material, no fakes) turns the final state into the
NanoAOD-like collections of ``docs/ARCHITECTURE.md`` ("Own sample format").

Usage::

    python sample_events/generate.py                    # all four files
    python sample_events/generate.py --only pbpb_5TeV_alice --events 2

Seeds are fixed, so a run reproduces the files (same Pythia build and numpy).
See ``sample_events/README.md`` for settings, acceptance and timings.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import awkward as ak
import numpy as np
import uproot

HERE = Path(__file__).resolve().parent
GENERATOR = "Pythia 8.317"
LABEL = "Simulation — Pythia 8"
COLLECTIONS = ("Track", "Photon", "Electron", "Muon", "Jet")
#: Settings shared by every generator: quiet output, and particles with
#: c*tau > 100 mm (K+-, pi+-, K0L, muons) stable; K0S, Lambda, Xi, Omega decay.
COMMON_SETTINGS = ("Print:quiet = on", "Next:numberCount = 0",
                   "ParticleDecays:limitTau0 = on", "ParticleDecays:tau0Max = 100.")
#: Angantyr sub-collision parameters (``HeavyIon:SigFitNGen = 0`` skips the fit).
#: 200 GeV: Pythia's example main427; 5.02 TeV: printed by Angantyr after one
#: full fit (SigFitNGen = 20, chi2/ndf = 0.40) with this Pythia version.
ANGANTYR_200 = ("HeavyIon:SigFitNGen = 0", "HeavyIon:SigFitDefAvNDb = 0.78",
                "HeavyIon:SigFitDefPar = 1.24,3.19,0.72")
ANGANTYR_5020 = ("HeavyIon:SigFitNGen = 0", "HeavyIon:SigFitDefAvNDb = 1.13",
                 "HeavyIon:SigFitDefPar = 1.57,13.35,0.18")
#: Float branches are rounded to this many explicit mantissa bits (relative
#: precision 2**-13 ~ 1.2e-4, far below every resolution) so that they compress.
MANTISSA_BITS = 12
CHUNK = 500


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


# --------------------------------------------------------------------------- Pythia


def make_pythia(settings, seed):
    """Create and initialise a Pythia instance.

    Parameters
    ----------
    settings : iterable of str
        ``readString`` lines (in addition to :data:`COMMON_SETTINGS`).
    seed : int
        Pythia random seed.

    Returns
    -------
    pythia8mc.Pythia
        The initialised generator.
    """
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    for line in (*COMMON_SETTINGS, *settings, "Random:setSeed = on", f"Random:seed = {seed}"):
        if not pythia.readString(line):
            raise RuntimeError(f"Pythia rejected setting {line!r}")
    if not pythia.init():
        raise RuntimeError("Pythia initialisation failed")
    return pythia


def next_event(pythia, tries=10):
    """Generate the next event, retrying a few times on Pythia's rare failures."""
    for _ in range(tries):
        if pythia.next():
            return pythia.event
    raise RuntimeError("Pythia failed to generate an event")


def is_hard_photon(event, i):
    """Return whether photon ``i`` comes from the hard process or from a Higgs decay."""
    top = event[event[i].iTopCopyId()]
    return 21 <= top.statusAbs() <= 29 or event[top.mother1()].idAbs() == 25


def read_final_state(event, hard_flags):
    """Collect the final-state particles of a Pythia event into numpy arrays.

    Parameters
    ----------
    event : pythia8mc.Event
        The complete event record.
    hard_flags : bool
        Whether to flag photons (pT > 5 GeV) from the hard process / Higgs decay.

    Returns
    -------
    dict of str to numpy.ndarray
        ``id, px, py, pz, e, x, y, z`` (mm), ``charge``, ``hard`` per final particle.
    """
    rows, hard = [], []
    for i in range(event.size()):
        prt = event[i]
        if not prt.isFinal():
            continue
        rows.append((prt.id(), prt.px(), prt.py(), prt.pz(), prt.e(),
                     prt.xProd(), prt.yProd(), prt.zProd(), prt.charge()))
        hard.append(hard_flags and prt.id() == 22 and prt.pT() > 5 and is_hard_photon(event, i))
    table = np.array(rows, dtype=np.float64).reshape(-1, 9)
    names = ("id", "px", "py", "pz", "e", "x", "y", "z", "charge")
    fs = {name: table[:, k] for k, name in enumerate(names)}
    fs["id"] = fs["id"].astype(np.int64)
    fs["hard"] = np.array(hard, dtype=bool)
    fs["pt"] = np.hypot(fs["px"], fs["py"])
    fs["eta"] = np.arcsinh(np.divide(fs["pz"], fs["pt"], out=np.full_like(fs["pz"], 1e9),
                                     where=fs["pt"] > 0))
    fs["phi"] = np.arctan2(fs["py"], fs["px"])
    return fs


# --------------------------------------------------------------------------- response


def delta_r(eta1, phi1, eta2, phi2):
    """Return the (eta, phi) distance, broadcasting the inputs."""
    dphi = np.mod(phi1 - phi2 + np.pi, 2 * np.pi) - np.pi
    return np.hypot(eta1 - eta2, dphi)


def relative_isolation(fs, visible, index, cone=0.3):
    """Return the scalar pT sum of other visible particles in a cone, over the particle pT."""
    dr = delta_r(fs["eta"][visible], fs["phi"][visible], fs["eta"][index], fs["phi"][index])
    others = np.flatnonzero(visible)[(dr < cone)]
    return (fs["pt"][others].sum() - fs["pt"][index]) / fs["pt"][index]


def ecal_factor(rng, energy):
    """Return multiplicative smearing factors for an ECAL with 2.8%/sqrt(E) (+) 0.3%."""
    sigma = np.hypot(0.028 / np.sqrt(np.maximum(energy, 1e-3)), 0.003)
    return np.maximum(1.0 + sigma * rng.standard_normal(len(energy)), 0.0)


def pick(fs, mask, scale, mass, extra=()):
    """Build a collection from the masked particles, with pT scaled by ``scale``.

    ``mass`` None leaves out the mass field (tracks: the reader assumes pions).
    """
    out = {"pt": fs["pt"][mask] * scale, "eta": fs["eta"][mask], "phi": fs["phi"][mask]}
    if mass is not None:
        out["mass"] = np.full(int(mask.sum()), mass)
    for name in extra:
        out[name] = fs["id"][mask] if name == "pdgId" else fs[name][mask]
    if "charge" in out:
        out["charge"] = out["charge"].astype(np.int32)
    return out


def reco_tracks(fs, resp, rng, pv):
    """Return the track collection: charged particles in acceptance (measured pT), smeared."""
    r_prod = np.hypot(fs["x"], fs["y"]) / 10.0
    scale = 1.0 + resp.track_sigma * rng.standard_normal(len(fs["pt"]))
    mask = ((fs["charge"] != 0) & (fs["pt"] * scale > resp.track_pt)
            & (np.abs(fs["eta"]) < resp.track_eta) & (r_prod < resp.track_rmax_cm))
    tracks = pick(fs, mask, scale[mask], None, extra=("charge", "pdgId"))
    for axis, offset in zip("xyz", pv):
        tracks["v" + axis] = fs[axis][mask] / 10.0 + offset
    return tracks


def reco_photons(fs, rng, visible):
    """Return photons in |eta| < 2.5: hard-process ones, plus isolated ones above 10 GeV.

    Every cut is on the measured (smeared) pT; isolation uses generator-level pT.
    """
    scale = ecal_factor(rng, fs["e"])
    cand = (fs["id"] == 22) & (np.abs(fs["eta"]) < 2.5) & ((fs["pt"] * scale > 10) | fs["hard"])
    for i in np.flatnonzero(cand & ~fs["hard"]):
        cand[i] = relative_isolation(fs, visible, i) < 0.15
    return pick(fs, cand, scale[cand], 0.0)


def reco_leptons(fs, rng, pdg):
    """Return electrons (``pdg`` 11, ECAL response) or muons (13, 1.5% pT resolution)."""
    eta_max, mass = (2.5, 0.000511) if pdg == 11 else (2.4, 0.10566)
    if pdg == 11:
        scale = ecal_factor(rng, fs["e"])
    else:
        scale = 1.0 + 0.015 * rng.standard_normal(len(fs["pt"]))
    mask = (np.abs(fs["id"]) == pdg) & (fs["pt"] * scale > 5) & (np.abs(fs["eta"]) < eta_max)
    return pick(fs, mask, scale[mask], mass, extra=("charge", "pdgId"))


def isolated_directions(fs, visible, colls):
    """Return (eta, phi) of photons and leptons that are isolated (used to clean jets)."""
    eta, phi = [], []
    for coll in colls:
        for e, p in zip(coll["eta"], coll["phi"]):
            i = int(np.argmin(delta_r(fs["eta"], fs["phi"], e, p) + 10 * ~visible))
            if relative_isolation(fs, visible, i) < 0.15:
                eta.append(e)
                phi.append(p)
    return np.array(eta), np.array(phi)


def reco_jets(slowjet, event, rng, veto):
    """Cluster anti-kT R=0.4 jets with SlowJet, smear them, and remove overlaps."""
    slowjet.analyze(event)
    p4 = np.array([[slowjet.p(k).px(), slowjet.p(k).py(), slowjet.p(k).pz(), slowjet.p(k).e()]
                   for k in range(slowjet.sizeJet())]).reshape(-1, 4)
    pt = np.hypot(p4[:, 0], p4[:, 1])
    eta = np.arcsinh(p4[:, 2] / np.maximum(pt, 1e-9))
    phi = np.arctan2(p4[:, 1], p4[:, 0])
    mass = np.sqrt(np.maximum(p4[:, 3] ** 2 - pt**2 - p4[:, 2] ** 2, 0.0))
    scale = np.maximum(1 + np.hypot(1.0 / np.sqrt(pt), 0.05) * rng.standard_normal(len(pt)), 0)
    keep = (pt * scale > 20) & (np.abs(eta) < 4.7)
    if len(veto[0]):
        near = delta_r(eta[:, None], phi[:, None], veto[0][None, :], veto[1][None, :])
        keep &= ~(near < 0.4).any(axis=1)
    return {"pt": pt[keep] * scale[keep], "eta": eta[keep], "phi": phi[keep],
            "mass": mass[keep] * scale[keep]}


def reco_met(fs, rng, visible):
    """Return (pt, phi, sumEt) of the smeared negative vector sum of visible particles."""
    sel = visible & (np.abs(fs["eta"]) < 5)
    sum_et = float(fs["pt"][sel].sum())
    sigma = 0.5 * math.sqrt(sum_et)
    mex = -fs["px"][sel].sum() + sigma * rng.standard_normal()
    mey = -fs["py"][sel].sum() + sigma * rng.standard_normal()
    return math.hypot(mex, mey), math.atan2(mey, mex), sum_et


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


def make_slowjet():
    """Return Pythia's anti-kT (power -1) R = 0.4 SlowJet on visible particles, |eta| < 4.7."""
    import pythia8mc

    return pythia8mc.SlowJet(-1, 0.4, 10.0, 4.7, 2, 2)


# --------------------------------------------------------------------------- samples


def pp_settings(process):
    """Return the settings of a 13 TeV pp run with the given process lines."""
    return ("Beams:idA = 2212", "Beams:idB = 2212", "Beams:eCM = 13000.", *process)


HIGGS_GG = ("HiggsSM:gg2H = on", "25:m0 = 125.0")
HIGGS_DIPHOTON = (*HIGGS_GG, "25:onMode = off", "25:onIfMatch = 22 22")
PROMPT_DIPHOTON = ("PromptPhoton:ffbar2gammagamma = on", "PromptPhoton:gg2gammagamma = on",
                   "PhaseSpace:mHatMin = 100.", "PhaseSpace:mHatMax = 180.",
                   "PhaseSpace:pTHatMin = 15.")
HIGGS_4L = (*HIGGS_GG, "25:onMode = off", "25:onIfMatch = 23 23",
            "23:onMode = off", "23:onIfAny = 11 13")


def generate_pp(settings, n, seed, rng, accept=None):
    """Generate ``n`` reconstructed CMS-like pp events (optionally filtered by ``accept``)."""
    pythia, slowjet, out = make_pythia(pp_settings(settings), seed), make_slowjet(), []
    while len(out) < n:
        event = next_event(pythia)
        if accept is None or accept(event):
            out.append(reconstruct(event, CMS, rng, slowjet))
    return out


def diphoton_in_acceptance(event):
    """Generator filter: both hard-process (or Higgs-decay) photons have |eta| < 2.5."""
    count = 0
    for i in range(event.size()):
        prt = event[i]
        if prt.id() == 22 and prt.isFinal() and abs(prt.eta()) < 2.5 and prt.pT() > 5:
            count += is_hard_photon(event, i)
    return count >= 2


def diphoton_sample(n, seed):
    """H -> gamma gamma signal (1/3) mixed with prompt diphoton background (2/3), shuffled."""
    rng = np.random.default_rng(seed)
    n_sig = n // 3
    sig = generate_pp(HIGGS_DIPHOTON, n_sig, seed, rng, accept=diphoton_in_acceptance)
    bkg = generate_pp(PROMPT_DIPHOTON, n - n_sig, seed + 1, rng, accept=diphoton_in_acceptance)
    for rec in sig:
        rec["Collision_isSignal"] = True
    for rec in bkg:
        rec["Collision_isSignal"] = False
    events = sig + bkg
    return [events[i] for i in rng.permutation(len(events))]


def four_leptons_in_acceptance(event):
    """Generator filter: the four Z-decay leptons have pT > 5 GeV and |eta| < 2.5 (e) / 2.4 (mu)."""
    count = 0
    for i in range(event.size()):
        prt = event[i]
        if not prt.isFinal() or prt.idAbs() not in (11, 13):
            continue
        top = event[prt.iTopCopyId()]
        if event[top.mother1()].idAbs() != 23:
            continue
        count += prt.pT() > 5 and abs(prt.eta()) < (2.5 if prt.idAbs() == 11 else 2.4)
    return count >= 4


def four_lepton_sample(n, seed):
    """gg -> H -> ZZ* -> 4l (l = e, mu), filtered for four leptons in acceptance."""
    rng = np.random.default_rng(seed)
    events = generate_pp(HIGGS_4L, n, seed, rng, accept=four_leptons_in_acceptance)
    for rec in events:
        rec["Collision_isSignal"] = True
    return events


def heavy_ion_settings(ion, ecm, fit, b_width, b_cut):
    """Return Angantyr settings for symmetric ``ion`` collisions, flat in b**2 up to b_width*b_cut."""
    return (f"Beams:idA = {ion}", f"Beams:idB = {ion}", f"Beams:eCM = {ecm}",
            "Beams:frameType = 1", "HeavyIon:mode = 1", *fit, "HeavyIon:forceUnitWeight = on",
            f"HeavyIon:bWidth = {b_width}", f"HeavyIon:bWidthCut = {b_cut}")


def b_class(b, b_max):
    """Return the impact-parameter decile: floor(10 b^2 / b_max^2), 0 = most central, max 9."""
    return min(9, int(10.0 * b * b / (b_max * b_max)))


def sample_classes(pythia, quotas, b_max, resp, rng):
    """Generate events until each impact-parameter class has its quota.

    Parameters
    ----------
    pythia : pythia8mc.Pythia
        An initialised Angantyr generator.
    quotas : dict of int to int
        Wanted number of events per class (other classes are skipped).
    b_max : float
        Impact parameter (fm) with pi b_max^2 = sigma_inel of the system.
    resp : Response
        Detector response.
    rng : numpy.random.Generator
        Random numbers for the response.

    Returns
    -------
    list of dict
        Reconstructed events, in generation order.
    """
    hi_info, left, out = pythia.getHeavyIonsPtr().hiInfo, dict(quotas), []
    while any(left.values()):
        event = next_event(pythia)
        b = hi_info.b()
        cls = b_class(b, b_max)
        if left.get(cls, 0) > 0:
            left[cls] -= 1
            rec = reconstruct(event, resp, rng)
            rec.update(Collision_b=b, Collision_bClass=cls)
            out.append(rec)
    return out


#: b_max = sqrt(sigma_inel / pi): 7.0 b for Au+Au at 200 GeV (Angantyr's own Glauber
#: estimate, hiInfo.glauberINEL, is 7.03 b) and 7.7 b for Pb+Pb at 5.02 TeV (ALICE 7.67 b).
B_MAX_AUAU = math.sqrt(700.0 / math.pi)
B_MAX_PBPB = math.sqrt(770.0 / math.pi)


def auau_quotas(n):
    """Events per decile: k = n / 13 in classes 0-6 and 2k in the sparse peripheral 7-9."""
    k = max(1, round(n / 13))
    return {c: k if c < 7 else 2 * k for c in range(10)}


def auau_sample(n, seed):
    """Au+Au at 200 GeV with every impact-parameter decile represented (most central first)."""
    rng = np.random.default_rng(seed)
    settings = heavy_ion_settings(1000791970, 200.0, ANGANTYR_200, 6.0, 3.0)
    pythia = make_pythia(settings, seed)
    events = sample_classes(pythia, auau_quotas(n), B_MAX_AUAU, STAR, rng)
    return sorted(events, key=lambda rec: rec["Collision_b"])


def pbpb_sample(n, seed):
    """Pb+Pb at 5.02 TeV: ``n // 2`` head-on events (b < 1.5 fm) plus classes 2, 5, 8 ..."""
    rng = np.random.default_rng(seed)
    n_central = max(1, n // 2)
    others = [2, 5, 8, 3, 6, 9, 1, 4, 7][:max(0, n - n_central)]
    central = make_pythia(heavy_ion_settings(1000822080, 5020.0, ANGANTYR_5020, 1.0, 1.5), seed)
    events = sample_classes(central, {0: n_central}, B_MAX_PBPB, ALICE, rng)
    del central
    if others:
        minbias = make_pythia(heavy_ion_settings(1000822080, 5020.0, ANGANTYR_5020, 5.3, 3.0),
                              seed + 1)
        events += sample_classes(minbias, {c: 1 for c in others}, B_MAX_PBPB, ALICE, rng)
    return sorted(events, key=lambda rec: rec["Collision_b"])


@dataclass(frozen=True)
class Sample:
    """One output file: how to make it and what its metadata says."""

    name: str
    make: object
    n_events: int
    seed: int
    sqrt_s: float
    system: str
    response: Response
    process: str


SAMPLES = (
    Sample("higgs_diphoton_13TeV", diphoton_sample, 4500, 12500, 13000.0, "pp", CMS,
           "gg -> H -> gamma gamma (mH = 125 GeV, 1/3 of events) mixed with prompt-diphoton "
           "background (q qbar, g g -> gamma gamma, 100 < mHat < 180 GeV, pTHat > 15 GeV); "
           "generator filter: both hard photons with |eta| < 2.5; not cross-section weighted; "
           "Collision_isSignal flags the Higgs events"),
    Sample("higgs_4l_13TeV", four_lepton_sample, 400, 12540, 13000.0, "pp", CMS,
           "gg -> H -> ZZ* -> 4l (l = e, mu; mH = 125 GeV), generator filter: four Z-decay "
           "leptons with pT > 5 GeV and |eta| < 2.5 (e) / 2.4 (mu)"),
    Sample("auau_200GeV_star", auau_sample, 130, 200197, 200.0, "Au+Au", STAR,
           "Au+Au at sqrt(s_NN) = 200 GeV, Angantyr, every impact-parameter decile "
           "represented (Collision_bClass, 0 = most central; 10 events in deciles 0-6, "
           "20 in the sparse peripheral deciles 7-9); sorted by impact parameter"),
    Sample("pbpb_5TeV_alice", pbpb_sample, 6, 5020208, 5020.0, "Pb+Pb", ALICE,
           "Pb+Pb at sqrt(s_NN) = 5.02 TeV, Angantyr: three head-on events (b < 1.5 fm) plus "
           "one event from each of the impact-parameter deciles 2, 5 and 8; sorted by b"),
)


# --------------------------------------------------------------------------- writing


def compress_floats(values):
    """Round float32 values to :data:`MANTISSA_BITS` mantissa bits (ROOT Float16_t-like)."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    drop = 23 - MANTISSA_BITS
    rounded = (bits + np.uint32(1 << (drop - 1))) & np.uint32(~((1 << drop) - 1) & 0xFFFFFFFF)
    return rounded.view(np.float32)


def column_of(values):
    """Turn a list of per-event values or arrays into a numpy / awkward column."""
    first = values[0]
    if isinstance(first, np.ndarray):
        counts = np.array([len(v) for v in values], dtype=np.int64)
        flat = np.concatenate(values)
        flat = compress_floats(flat) if flat.dtype.kind == "f" else flat.astype(np.int32)
        return ak.unflatten(flat, counts)
    if isinstance(first, (bool, np.bool_)):
        return np.asarray(values, dtype=bool)
    if isinstance(first, (int, np.integer)):
        return np.asarray(values, dtype=np.int32)
    return compress_floats(np.asarray(values))


def to_columns(events, system):
    """Assemble per-event records into the branch layout of the sample format."""
    n = len(events)
    cols = {"run": np.ones(n, np.int64), "luminosityBlock": np.ones(n, np.int64),
            "event": np.arange(1, n + 1, dtype=np.int64)}
    if system == "pp":
        cols["Collision_b"] = np.zeros(n, np.float32)
        cols["Collision_bClass"] = np.full(n, -1, np.int32)
    scalars = [k for k in events[0] if k not in COLLECTIONS]
    for key in scalars:
        cols[key] = column_of([rec[key] for rec in events])
    cols["Collision_b"] = np.asarray(cols["Collision_b"], dtype=np.float32)
    for coll in COLLECTIONS:
        fields = events[0][coll].keys()
        cols[coll] = ak.zip({f: column_of([rec[coll][f] for rec in events]) for f in fields})
    return cols


def write_sample(path, cols, metadata):
    """Write the ``Events`` tree (``mktree`` + ``extend``) and the metadata TObjString."""
    with uproot.recreate(path, compression=uproot.ZLIB(9)) as f:
        f["collider_viz_metadata"] = json.dumps(metadata, ensure_ascii=False)
        tree = f.mktree("Events", {k: v.type if isinstance(v, ak.Array) else v.dtype
                                   for k, v in cols.items()}, title="collider_viz sample events")
        n = len(cols["run"])
        for start in range(0, n, CHUNK):
            tree.extend({k: v[start:start + CHUNK] for k, v in cols.items()})


def metadata(sample, n_events):
    """Return the JSON metadata object of a sample."""
    resp = sample.response
    meta = {"format_version": 1, "sqrt_s": sample.sqrt_s, "collision_system": sample.system,
            "detector": resp.detector, "generator": GENERATOR, "process": sample.process,
            "is_simulation": True, "label": LABEL, "seed": sample.seed,
            "detector_response": resp.describe(), "field_t": resp.field_t,
            "n_events": n_events}
    if sample.system != "pp":
        b_max = B_MAX_AUAU if sample.system == "Au+Au" else B_MAX_PBPB
        meta["b_max_fm"] = round(b_max, 3)
        meta["centrality_definition"] = "Collision_bClass = floor(10 b^2 / b_max^2), max 9"
    return meta


def build(sample, n_events=None):
    """Generate one sample file and return ``(path, events, seconds, bytes)``."""
    n = sample.n_events if n_events is None else n_events
    start = time.perf_counter()
    events = sample.make(n, sample.seed)
    seconds = time.perf_counter() - start
    path = HERE / f"{sample.name}.root"
    write_sample(path, to_columns(events, sample.system), metadata(sample, len(events)))
    return path, len(events), seconds, path.stat().st_size


def main(argv=None):
    """Command-line entry point: generate all samples or ``--only NAME``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=[s.name for s in SAMPLES], help="one sample only")
    parser.add_argument("--events", type=int, help="override the number of events")
    args = parser.parse_args(argv)
    for sample in SAMPLES:
        if args.only and sample.name != args.only:
            continue
        print(f"generating {sample.name} ...", flush=True)
        path, n, seconds, size = build(sample, args.events)
        print(f"  {path.name}: {n} events, {seconds:.0f} s, {size / 1e6:.2f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
