"""The physics processes: pp and heavy-ion generation, generator filters, the sample table."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .pythia_setup import (
    ANGANTYR_200,
    ANGANTYR_5020,
    is_hard_photon,
    make_pythia,
    make_slowjet,
    next_event,
)
from .response import ALICE, CMS, STAR, Response, reconstruct


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
