"""PHYSLITE pieces that need a little physics: tracks from perigee parameters, and MET.

Tracks. An xAOD ``TrackParticle`` stores the perigee parameters ``d0, z0, phi,
theta, qOverP`` (mm, rad, MeV⁻¹) with respect to the beam line (``vz`` gives the
reference z). Then ``p = 1/|q/p|``, ``pT = p sin θ``, ``η = −ln tan(θ/2)``, the
charge is the sign of ``q/p`` and the point of closest approach is
``(−d0 sin φ, d0 cos φ, z0)`` from the reference (ATLAS perigee convention).

Clusters. The electron and photon clusters (``egammaClusters``: ``calE``,
``calEta``, ``calPhi``) become ``calo`` deposits at the front of the ATLAS EM
calorimeter of :func:`~collider_viz.physics.detector.load_detector` ("ATLAS":
barrel r = 1.40 m for |η| < 1.475, end-caps |z| = 3.68 m).

MET. PHYSLITE does not store the final missing transverse momentum: the
``MET_Core_AnalysisMET`` container holds only the *core soft terms*
(``SoftClusCore``, ``PVSoftTrkCore``), and analyses rebuild MET with the
METMaker tool from the calibrated objects plus one soft term. Without that
tool's overlap map, collider_viz rebuilds the standard *track-soft-term* MET
(ATLAS "FinalTrk") approximately: minus the vector sum of the electrons,
muons, photons, the jets with pT > 20 GeV not within ΔR < 0.2 of an electron
or photon, and the ``PVSoftTrkCore`` term. This is said in ``info`` (``met``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.physics.event import missing_et, particles

SOFT_TERM = "PVSoftTrkCore"
JET_PT_MIN = 20.0  # GeV
OVERLAP_DR = 0.2
MET_DESCRIPTION = (f"rebuilt: -(electrons + muons + photons + jets pT>{JET_PT_MIN:g} GeV not "
                   f"within dR<{OVERLAP_DR} of e/gamma + {SOFT_TERM}); approximate, without "
                   "METMaker's overlap map")
PION_MASS = 0.13957


def tracks_from_perigee(data: Mapping[str, ak.Array], beam_x: Any, beam_y: Any,
                        mev: float, mm: float) -> ak.Array:
    """Tracks (``Momentum4D``, reference point in metres) from perigee parameters.

    Parameters
    ----------
    data : mapping of str to ak.Array
        ``d0, z0, theta, phi, qOverP`` (and optionally ``vz`` and pass-through variables),
        jagged over events.
    beam_x, beam_y : array or None
        Beam-spot position per event (mm), the reference in x and y; 0 when None.
    mev, mm : float
        Factors from the file's units to GeV and metres.
    """
    data = dict(data)
    d0, z0, theta, phi, qop = (data.pop(v) for v in ("d0", "z0", "theta", "phi", "qOverP"))
    ref_z = data.pop("vz", ak.zeros_like(z0))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 1.0 / np.abs(qop) * mev
        pt = p * np.sin(theta)
        eta = -np.log(np.tan(theta / 2.0))
    charge = ak.values_astype(np.sign(qop), np.int32)
    bx = 0.0 if beam_x is None else beam_x
    by = 0.0 if beam_y is None else beam_y
    vx = (bx - d0 * np.sin(phi)) * mm
    vy = (by + d0 * np.cos(phi)) * mm
    vz = (ref_z + z0) * mm
    return particles(pt, eta, phi, ak.full_like(pt, PION_MASS, dtype=np.float64), charge,
                     vx=vx, vy=vy, vz=vz, d0=d0 * mm, z0=z0 * mm, **data)


def calo_clusters(data: Mapping[str, ak.Array], mev: float) -> ak.Array:
    """``calo`` records (energy GeV, eta, phi, x, y, z m, subdet "EM") from egamma clusters."""
    from collider_viz.physics.detector import load_detector

    atlas = load_detector("ATLAS")
    energy, eta, phi = data["calE"] * mev, data["calEta"], data["calPhi"]
    theta = 2.0 * np.arctan(np.exp(-eta))
    barrel = np.abs(eta) < atlas.ecal_barrel_eta
    with np.errstate(divide="ignore", invalid="ignore"):
        r = ak.where(barrel, atlas.ecal_radius, atlas.ecal_endcap_z * np.abs(np.tan(theta)))
    z = ak.where(barrel, atlas.ecal_radius / np.tan(theta),
                 np.sign(eta) * atlas.ecal_endcap_z)
    return ak.zip({"energy": energy, "eta": eta, "phi": phi, "x": r * np.cos(phi),
                   "y": r * np.sin(phi), "z": z, "subdet": _labels(eta, "EM")})


def _labels(like: ak.Array, label: str) -> ak.Array:
    """A string ``label`` per object of the jagged ``like``."""
    n = int(ak.sum(ak.num(like)))
    return ak.unflatten(ak.Array([label] * n or [label])[:n], ak.num(like))


def _sum_xy(objs: ak.Array) -> tuple[np.ndarray, np.ndarray]:
    px = ak.to_numpy(ak.sum(objs.pt * np.cos(objs.phi), axis=1))
    py = ak.to_numpy(ak.sum(objs.pt * np.sin(objs.phi), axis=1))
    return px, py


def _isolated(jets: ak.Array, others: list[ak.Array]) -> ak.Array:
    """Mask of jets farther than :data:`OVERLAP_DR` from every object of ``others``."""
    keep = ak.ones_like(jets.pt, dtype=bool)
    for other in others:
        pairs = ak.cartesian([jets[["eta", "phi"]], other[["eta", "phi"]]], nested=True)
        j, o = ak.unzip(pairs)
        dphi = (j.phi - o.phi + np.pi) % (2 * np.pi) - np.pi
        dr = np.sqrt((j.eta - o.eta) ** 2 + dphi**2)
        keep = keep & (ak.fill_none(ak.min(dr, axis=2), np.inf) > OVERLAP_DR)
    return keep


def rebuilt_met(objects: Mapping[str, ak.Array], names: ak.Array, mpx: ak.Array,
                mpy: ak.Array, mev: float) -> ak.Array:
    """Track-soft-term MET (one ``Momentum2D`` per event) rebuilt as described above.

    ``objects`` holds the common-form electrons, muons, photons and jets (GeV);
    ``names``, ``mpx``, ``mpy`` are the ``MET_Core`` terms (file units).
    """
    soft = names == SOFT_TERM
    sx = ak.to_numpy(ak.sum(mpx[soft], axis=1)) * mev
    sy = ak.to_numpy(ak.sum(mpy[soft], axis=1)) * mev
    px, py = -sx.astype(np.float64), -sy.astype(np.float64)
    for name in ("electrons", "muons", "photons"):
        if name in objects:
            ox, oy = _sum_xy(objects[name])
            px, py = px - ox, py - oy
    if "jets" in objects:
        jets = objects["jets"]
        eg = [objects[n] for n in ("electrons", "photons") if n in objects]
        jets = jets[(jets.pt > JET_PT_MIN) & _isolated(jets, eg)]
        ox, oy = _sum_xy(jets)
        px, py = px - ox, py - oy
    return missing_et(np.hypot(px, py), np.arctan2(py, px), soft_pt=np.hypot(sx, sy))
