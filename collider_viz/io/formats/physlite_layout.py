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

#: ATLAS run numbers: (first, last, √s GeV) of the 13 TeV (2015–2018) and 13.6 TeV (2022–)
#: pp data, and the MC campaigns' nominal run numbers (mc20: 284500/300000/310000 = 13 TeV;
#: mc21/mc23: 330000 and 410000+ = 13.6 TeV), from the ATLAS run-2/run-3 GRL and MC
#: campaign tables.
ATLAS_RUNS = ((266904, 364485, 13000.0), (427394, 999999, 13600.0))
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
