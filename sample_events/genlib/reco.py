"""Per-object detector response: acceptance cuts and Gaussian smearing of the final state.

Each function takes the final-state table of
:func:`genlib.pythia_setup.read_final_state` (``fs``) and returns one
collection as a dict of numpy arrays.
"""

from __future__ import annotations

import math

import numpy as np


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
