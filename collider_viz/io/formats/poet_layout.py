"""Where a POET file keeps each object: tree discovery and the known directories.

POET (the CMS PhysObjectExtractorTool) writes one tree per analyzer: a
directory ``my<object>`` with a tree ``Events`` (``mtree`` in 2021 versions),
or one shared ``mtree``; branches are ``<prefix>_<field>`` (``muon_pt``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import awkward as ak

from collider_viz.physics.masses import ELECTRON_MASS, MUON_MASS, PION_MASS


class Objects(NamedTuple):
    """Where a particle collection lives in a POET file."""

    directory: str
    prefix: str
    mass: float


PARTICLES: dict[str, Objects] = {
    "tracks": Objects("mytracks", "track", PION_MASS),
    "photons": Objects("myphotons", "photon", 0.0),
    "electrons": Objects("myelectrons", "electron", ELECTRON_MASS),
    "muons": Objects("mymuons", "muon", MUON_MASS),
    "jets": Objects("myjets", "jet", 0.0),
}
#: MiniAOD-era POET: PF candidates (charged ones are the tracks), vertex in cm
PACKED = Objects("mypackedcandidate", "packed", PION_MASS)
OTHER_DIRS = {"met": "mymets", "vertices": "mypvertex"}
#: field names that ``vector`` reads as coordinates: never passed through
VECTOR_NAMES = frozenset({"E", "M", "e", "energy", "eta", "m", "mass", "phi", "pt", "px", "py",
                          "pz", "rho", "t", "tau", "theta", "x", "y", "z"})

TREE_NAMES = ("Events", "mtree")


def poet_trees(handle: Any) -> list[str]:
    """Paths of the POET-style trees: ``my<object>/Events``, ``<dir>/mtree`` or ``mtree``
    (a top-level ``Events`` is NanoAOD's, another directory's ``Events`` AOD2NanoAOD's)."""
    out = []
    for key, classname in handle.classnames(cycle=False).items():
        parts = key.split("/")
        if classname != "TTree" or len(parts) > 2:
            continue
        if parts[-1] == "mtree" or len(parts) == 2 and parts[0].startswith("my") \
                and parts[1] == "Events":
            out.append(key)
    return out


def poet_layout(handle: Any) -> dict[str, str]:
    """Collection -> the directory (or tree path) holding it, for the trees found."""
    trees = poet_trees(handle)
    keys = {t: set(handle[t].keys()) for t in trees}
    where: dict[str, str] = {}
    wanted = [*((c, o.directory, f"{o.prefix}_pt") for c, o in PARTICLES.items()),
              ("tracks", PACKED.directory, "packed_pt"),  # MiniAOD POET: packed candidates
              ("met", "mymets", "met_pt"), ("vertices", "mypvertex", "PV_x")]
    for name, directory, branch in wanted:
        if name in where:
            continue
        own = [t for t in trees if t.split("/")[0] == directory and branch in keys[t]]
        shared = [t for t in trees if branch in keys[t]]
        chosen = (own or shared or [None])[0]
        if chosen is not None:
            where[name] = chosen.split("/")[0] if own else chosen
    return where


def same_lengths(arr: ak.Array, ref: ak.Array) -> bool:
    """True when ``arr`` has one value per object of ``ref`` (jagged) or per event (flat)."""
    if arr.ndim != ref.ndim:
        return False
    return ref.ndim == 1 or bool(ak.all(ak.num(arr) == ak.num(ref)))
