"""PHYSLITE file layout helpers: finding the tree, its variable names, √s from the run.

Names: in a TTree each variable is a branch ``<Container>AuxDyn.<var>``; in an
RNTuple a field ``<Container>AuxDyn:<var>``; both are presented as
``<Container>.<var>``.
"""

from __future__ import annotations

from typing import Any

import awkward as ak
import numpy as np

TREES = ("CollectionTree", "EventData", "RNT:CollectionTree")

#: ATLAS pp data runs: (first, last, √s GeV). Spans of the standard Good Run Lists
#: (GoodRunsLists/dataYY_13TeV|13p6TeV on cvmfs, as named in their lumicalc files
#: ``ilumicalc_histograms_None_<first>-<last>``), so heavy-ion and reference runs between
#: them (2015 Pb+Pb 286xxx-287xxx, 2016 p+Pb 312xxx-314xxx, 2017 5 TeV pp 3406xx, 2018
#: Pb+Pb 365xxx-367xxx, 2022 Pb+Pb test data22_hi run 440101) give None, never 13 TeV:
#: 2015: data15_13TeV from run 266904 (first 13 TeV run) to 284484 (GRL 276262-284484);
#: 2016: GRL 297730-311481; 2017: GRL 325713-340453 less Xe+Xe run 338037 (data17_hi;
#: unverified that its neighbours are pp), low-mu GRL 341294-341649; 2018: GRL
#: 348885-364292; 2022: data22_13p6TeV from run 427394 to 439927, and 440407-440613 (runs of
#: the data22_13p6TeV GRL around the Pb+Pb test); 2023: GRL runs 451587-456749; 2024: GRL
#: (periods E-O) runs 473235-486706. 2025 (O+O, Ne+Ne, pp) is not in the table.
#: MC: the campaigns' nominal run numbers (mc20: 284500/300000/310000 = 13 TeV;
#: mc21/mc23: 330000 and 410000+ = 13.6 TeV), from the ATLAS MC campaign tables.
ATLAS_RUNS = ((266904, 284484, 13000.0), (297730, 311481, 13000.0),
              (325713, 338036, 13000.0), (338038, 340453, 13000.0),
              (341294, 341649, 13000.0), (348885, 364292, 13000.0),
              (427394, 439927, 13600.0), (440407, 440613, 13600.0),
              (451587, 456749, 13600.0), (473235, 486706, 13600.0))
MC_RUNS = {284500: 13000.0, 300000: 13000.0, 310000: 13000.0, 330000: 13600.0}


def atlas_sqrt_s(run: int, simulation: bool) -> float | None:
    """√s (GeV) of ATLAS run ``run``, None when the run number does not say."""
    if simulation:
        return MC_RUNS.get(run, 13600.0 if run >= 400000 else None)
    return next((e for first, last, e in ATLAS_RUNS if first <= run <= last), None)


def numeric_lists(arr: ak.Array) -> bool:
    """True for one list of numbers per event."""
    if arr.ndim != 2:
        return False
    try:
        return np.asarray(ak.flatten(arr)).dtype.kind in "biuf"
    except (TypeError, ValueError):  # records, strings, options
        return False


def find_tree(handle: Any) -> Any | None:
    if handle is None:
        return None
    classes = handle.classnames(cycle=False)
    for name in TREES:
        if classes.get(name) in ("TTree", "ROOT::RNTuple"):
            return handle[name]
    return None


def variable_names(tree: Any) -> dict[str, str]:
    """``Container.var`` -> name in the file (``.`` in a TTree, ``:`` in an RNTuple)."""
    out = {}
    for key in tree.keys():
        if "/" in key:
            continue
        norm = key.replace(":", ".")
        if norm.count(".") == 1 and norm.split(".")[0].endswith("AuxDyn"):
            out[norm[: norm.index("AuxDyn")] + norm[norm.index("."):]] = key
    return out
