"""Synthetic common-form events for the scene tests (no files needed)."""

from __future__ import annotations

import awkward as ak
import numpy as np

from collider_viz.physics.event import Event, EventMeta, SourceInfo, missing_et, particles

PDG = np.array([211, 211, 211, 321, 2212, 11, 13])


def _parts(rng, n, pt_scale, charged=True, **extra):
    pt = rng.exponential(pt_scale, n) + 0.3
    eta = rng.uniform(-2.4, 2.4, n)
    phi = rng.uniform(-np.pi, np.pi, n)
    charge = rng.choice([-1, 1], n) if charged else np.zeros(n, int)
    return particles(pt, eta, phi, np.zeros(n), charge, **extra)


def make_event(n_tracks: int = 60, seed: int = 1, calo: bool = True) -> Event:
    """A Higgs-candidate-like event: tracks, 2 photons, leptons, jets, MET, vertices, calo."""
    rng = np.random.default_rng(seed)
    n = n_tracks
    tracks = _parts(rng, n, 2.0, pdgId=rng.choice(PDG, n) * rng.choice([-1, 1], n),
                    vx=rng.normal(0, 1e-5, n), vy=rng.normal(0, 1e-5, n), vz=rng.normal(0.01, 1e-4, n))
    photons = particles([65.0, 48.0], [0.3, -1.1], [0.9, -2.2], [0.0, 0.0], [0, 0])
    electrons = particles([35.0], [1.8], [2.6], [0.000511], [-1])
    muons = particles([42.0, 27.0], [0.5, -1.9], [-0.6, 2.0], [0.1057, 0.1057], [1, -1])
    jets = particles([80.0, 45.0], [-0.4, 2.1], [-1.6, 0.2], [10.0, 5.0], [0, 0],
                     radius=[0.4, 0.4])
    met = missing_et([38.0], [1.4])[0]
    vertices = ak.Array({"x": [0.0, 1e-4], "y": [0.0, -1e-4], "z": [0.01, 0.04]})
    colls = {"tracks": tracks, "photons": photons, "electrons": electrons, "muons": muons,
             "jets": jets, "met": met, "vertices": vertices}
    if calo:
        colls["calo"] = _calo(rng)
    info = SourceInfo(path="synthetic", format="synthetic", detector="CMS", sqrt_s=13000.0,
                      label="Simulation")
    return Event(meta=EventMeta(entry=0, run=1, lumi=2, event=3), info=info, collections=colls)


def _calo(rng, n: int = 40) -> ak.Array:
    eta = rng.uniform(-1.4, 1.4, n)
    phi = rng.uniform(-np.pi, np.pi, n)
    subdet = np.where(np.arange(n) % 2 == 0, "EB", "HB")
    r = np.where(subdet == "EB", 1.4, 2.2)
    return ak.Array({"energy": rng.exponential(5.0, n) + 0.5, "eta": eta, "phi": phi,
                     "x": r * np.cos(phi), "y": r * np.sin(phi), "z": r * np.sinh(eta),
                     "subdet": subdet.tolist()})
