"""Centre-of-mass energy of a CMS proton-proton run, from its run number.

Readers of CMS files that do not store √s (POET ntuples, iSpy ``.ig``)
take it from the run number: the LHC ran pp at 7 TeV in 2010–2011, 8 TeV in
2012, 13 TeV in 2015–2018 and 13.6 TeV from 2022 (CMS public luminosity
results, https://twiki.cern.ch/twiki/bin/view/CMSPublic/LumiPublicResults).
The ranges span the first to the last run of those years.  Heavy-ion runs
fall inside them and cannot be told apart by their number, so this is only
for pp files; heavy-ion readers state their energy themselves.
"""

from __future__ import annotations

#: (first run, last run, √s in GeV) of the CMS proton-proton years
RUN_ENERGY = ((133874, 180252, 7000.0), (190456, 208686, 8000.0),
              (246908, 325175, 13000.0), (355100, 999999, 13600.0))


def cms_sqrt_s(run: int) -> float | None:
    """√s (GeV) of CMS run ``run``; None outside the known pp years."""
    return next((energy for first, last, energy in RUN_ENERGY if first <= run <= last), None)
