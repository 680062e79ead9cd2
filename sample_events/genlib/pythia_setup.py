"""Pythia 8 set-up: generator instances, events and the final-state particle table."""

from __future__ import annotations

import numpy as np

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


def make_slowjet():
    """Return Pythia's anti-kT (power -1) R = 0.4 SlowJet on visible particles, |eta| < 4.7."""
    import pythia8mc

    return pythia8mc.SlowJet(-1, 0.4, 10.0, 4.7, 2, 2)


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
