"""Centre-of-mass energy (and collision system) of a CMS run, from its run number.

Readers of CMS files that do not store √s (POET ntuples, iSpy ``.ig``,
NanoAOD data, HiForest) take it from the run number. Every range below is
cited: most are the run span in the name of the CMS certification ("golden")
JSON of that period, ``Cert_<first>-<last>_<energy>_..._Collisions<yy>_JSON``,
published under https://cms-service-dqmdc.web.cern.ch/CAF/certification/ and
linked from the CMS open-data records (e.g. https://opendata.cern.ch/record/1000
for 2010). The names were read in public CMS analysis configurations that use
them as lumi masks. A JSON's span is the first to the last *certified* run, so
runs just outside it give "unknown" rather than a guess.

Where a pp year's span holds runs of another energy or system (the 2.76 TeV
reference run of March 2011, the 2012 p+Pb pilot, the 2017 Xe+Xe run, the 2022
Pb+Pb test), the pp range is split around them at era boundaries, so that
:func:`cms_sqrt_s` never answers a pp energy for them. A run in no range
(commissioning, cosmics, special runs, 2025 pp: see below) gives ``None``.
"""

from __future__ import annotations

_CERT = "CMS certification JSON "

#: (first run, last run, √s GeV, source) of the CMS proton-proton data, disjoint ranges
PP_RUNS: tuple[tuple[int, int, float, str], ...] = (
    (136033, 149442, 7000.0, _CERT + "Cert_136033-149442_7TeV_Apr21ReReco_Collisions10"),
    # 2011: Cert_160404-180252_7TeV_ReRecoNov08_Collisions11, less the 2.76 TeV reference run
    (160404, 161365, 7000.0, _CERT + "Cert_160404-180252_7TeV_ReRecoNov08_Collisions11"),
    (161366, 161474, 2760.0, _CERT + "Cert_161366-161474_2760GeV_PromptReco_Collisions11"),
    (161475, 180252, 7000.0, _CERT + "Cert_160404-180252_7TeV_ReRecoNov08_Collisions11"),
    # 2012: Cert_190456-208686_8TeV_22Jan2013ReReco_Collisions12, less the p+Pb pilot
    # (PARun2012 runs 202654 and 202792; the runs between them are left unknown)
    (190456, 202653, 8000.0, _CERT + "Cert_190456-208686_8TeV_22Jan2013ReReco_Collisions12"),
    (202793, 208686, 8000.0, _CERT + "Cert_190456-208686_8TeV_22Jan2013ReReco_Collisions12"),
    (211739, 211831, 2760.0, _CERT + "Cert_211739-211831_2760GeV_PromptReco_Collisions13"),
    (246908, 260627, 13000.0, _CERT + "Cert_246908-260627_13TeV_PromptReco_Collisions15_25ns"),
    (262081, 262328, 5020.0, _CERT + "Cert_262081-262328_5TeV_PromptReco_Collisions15_25ns"),
    (271036, 284044, 13000.0, _CERT + "Cert_271036-284044_13TeV_23Sep2016ReReco_Collisions16"),
    # 2017: Cert_294927-306462_13TeV_EOY2017ReReco_Collisions17 split between eras
    # Run2017E (303824-304797) and Run2017F (305040-306462), where the Xe+Xe run lies
    (294927, 304797, 13000.0, _CERT + "Cert_294927-306462_13TeV_EOY2017ReReco_Collisions17"
     " (to the end of era Run2017E)"),
    (305040, 306462, 13000.0, _CERT + "Cert_294927-306462_13TeV_EOY2017ReReco_Collisions17"
     " (era Run2017F)"),
    (306546, 306826, 5020.0, _CERT + "Cert_306546-306826_5TeV_EOY2017ReReco_Collisions17"),
    (306896, 307082, 13000.0, _CERT + "Cert_306896-307082_13TeV_PromptReco_Collisions17_LowPU"),
    (314472, 325175, 13000.0, _CERT + "Cert_314472-325175_13TeV_17SeptEarlyReReco2018ABC_"
     "PromptEraD_Collisions18"),
    # 2022: Cert_Collisions2022_355100_362760_Golden split between its era F and era G
    # files (360390-362167, 362433-362760), where the Pb+Pb test runs lie
    (355100, 362167, 13600.0, _CERT + "Cert_Collisions2022_355100_362760_Golden (eras B-F)"),
    (362433, 362760, 13600.0, _CERT + "Cert_Collisions2022_eraG_362433_362760_Golden"),
    (366442, 370790, 13600.0, _CERT + "Cert_Collisions2023_366442_370790_Golden"),
    (378981, 386951, 13600.0, _CERT + "Cert_Collisions2024_378981_386951_Golden"),
    (387474, 387721, 5360.0, _CERT + "Cert_Collisions2024_ppref_387474_387721_golden"),
    # 2025 pp (Cert_Collisions2025_391658_...) is left out: its span holds the July 2025
    # O+O / Ne+Ne runs, whose run numbers no source we read gives (unverified).
)

#: (first run, last run, collision system, √s_NN GeV, source) of the CMS heavy-ion periods
HEAVY_ION_RUNS: tuple[tuple[int, int, str, float, str], ...] = (
    (150436, 153368, "Pb+Pb", 2760.0, _CERT + "Cert_150436-152957_HI7TeV_StreamExpress_"
     "Collisions10; HIRun2010 PromptReco run selection 150844-153368"),
    (181510, 183337, "Pb+Pb", 2760.0, _CERT + "Cert_181530-183126_HI7TeV_PromptReco_"
     "Collisions11; HIRun2011 open-data files of runs 181510 and 183337"),
    (202654, 202654, "p+Pb", 5020.0, "/store/hidata/data/PARun2012/PAPhysics run 202654"),
    (202792, 202792, "p+Pb", 5020.0, "/store/hidata/data/PARun2012/PAPhysics run 202792"),
    (210498, 211631, "p+Pb", 5020.0, _CERT + "Cert_210498-211631_HI_PromptReco_Collisions13"),
    (262548, 263757, "Pb+Pb", 5020.0, _CERT + "Cert_262548-263757_PromptReco_HICollisions15"),
    (285090, 285383, "p+Pb", 5020.0, _CERT + "Cert_285090-285383_HI5TeV_PromptReco_pPb_"
     "Collisions16"),
    (285479, 285832, "p+Pb", 8160.0, _CERT + "Cert_285479-285832_HI8TeV_PromptReco_pPb_"
     "Collisions16"),
    (285952, 286496, "p+Pb", 8160.0, _CERT + "Cert_285952-286496_HI8TeV_PromptReco_Pbp_"
     "Collisions16 (Pb+p beam direction)"),
    (304899, 304907, "Xe+Xe", 5440.0, _CERT + "Cert_304899-304907_5TeV_PromptReco_XeXe_"
     "Collisions17"),
    (326381, 327564, "Pb+Pb", 5020.0, _CERT + "Cert_326381-327564_HI_PromptReco_Collisions18"),
    (362219, 362321, "Pb+Pb", 5360.0, "unverified bounds: the first and last runs seen in "
     "/store/hidata/HIRun2022A paths (the Nov 2022 Pb+Pb test)"),
    (374288, 375823, "Pb+Pb", 5360.0, _CERT + "Cert_Collisions2023HI_374288_375823_Golden"),
    (387853, 388784, "Pb+Pb", 5360.0, _CERT + "Cert_Collisions2024_HI_387853_388784_Golden"),
    (399465, 400426, "Pb+Pb", 5360.0, _CERT + "Cert_Collisions2025_HI_399465_400426_Muon"),
)


def cms_run_source(run: int) -> str | None:
    """The cited record whose range holds ``run``; None for a run in no range."""
    for row in (*HEAVY_ION_RUNS, *PP_RUNS):
        if row[0] <= run <= row[1]:
            return row[-1]
    return None


def cms_sqrt_s(run: int) -> float | None:
    """√s (GeV) of CMS pp run ``run``; None outside the known pp ranges."""
    return next((energy for first, last, energy, _ in PP_RUNS if first <= run <= last), None)


def cms_heavy_ion(run: int) -> tuple[str, float] | None:
    """``(collision system, √s_NN GeV)`` when ``run`` is in a CMS heavy-ion period, else None."""
    return next(((system, energy) for first, last, system, energy, _ in HEAVY_ION_RUNS
                 if first <= run <= last), None)


def cms_collision(run: int) -> tuple[str, float | None]:
    """``(collision system, √s GeV)`` of CMS run ``run``: a heavy-ion period, else pp
    (√s None where the run number is in no known range)."""
    return cms_heavy_ion(run) or ("pp", cms_sqrt_s(run))
