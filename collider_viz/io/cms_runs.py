"""Centre-of-mass energy (and collision system) of a CMS run, from its run number.

Readers of CMS files that do not store √s (POET ntuples, iSpy ``.ig``,
NanoAOD data, HiForest) take it from the run number: the LHC ran pp at 7 TeV
in 2010–2011, 8 TeV in 2012, 13 TeV in 2015–2018 and 13.6 TeV from 2022 (CMS
public luminosity results,
https://twiki.cern.ch/twiki/bin/view/CMSPublic/LumiPublicResults). The ranges
span the first to the last run of those years.

The heavy-ion runs (and the pp reference runs at the heavy-ion energy) fall
inside those years; :data:`HEAVY_ION_RUNS` lists their run ranges (CMS
heavy-ion data-taking periods as published with the CMS open-data heavy-ion
records and the HIN papers: Pb+Pb 2010 and 2011 at 2.76 TeV, p+Pb 2013 at
5.02 TeV, Pb+Pb 2015 and 2018 at 5.02 TeV, Xe+Xe 2017 at 5.44 TeV).
:func:`cms_collision` consults them first; :func:`cms_sqrt_s` is the pp table
alone, for files known to be pp.
"""

from __future__ import annotations

#: (first run, last run, √s in GeV) of the CMS proton-proton years
RUN_ENERGY = ((133874, 180252, 7000.0), (190456, 208686, 8000.0),
              (246908, 325175, 13000.0), (355100, 999999, 13600.0))
#: (first run, last run, collision system, √s_NN in GeV) of the CMS heavy-ion periods
HEAVY_ION_RUNS = ((150431, 153368, "Pb+Pb", 2760.0), (181530, 183130, "Pb+Pb", 2760.0),
                  (209948, 211631, "p+Pb", 5020.0), (262548, 263757, "Pb+Pb", 5020.0),
                  (304899, 304907, "Xe+Xe", 5440.0), (326381, 327564, "Pb+Pb", 5020.0))


def cms_sqrt_s(run: int) -> float | None:
    """√s (GeV) of CMS pp run ``run``; None outside the known pp years."""
    return next((energy for first, last, energy in RUN_ENERGY if first <= run <= last), None)


def cms_heavy_ion(run: int) -> tuple[str, float] | None:
    """``(collision system, √s_NN GeV)`` when ``run`` is in a CMS heavy-ion period, else None."""
    return next(((system, energy) for first, last, system, energy in HEAVY_ION_RUNS
                 if first <= run <= last), None)


def cms_collision(run: int) -> tuple[str, float | None]:
    """``(collision system, √s GeV)`` of CMS run ``run``: a heavy-ion period, else pp
    (√s None where the run number is in no known year)."""
    return cms_heavy_ion(run) or ("pp", cms_sqrt_s(run))
