"""CMS-like photon response for the diphoton sample, applied seeded to its columns.

On top of the generator-level photons (already smeared by 0.5 %, see README):

* **energy resolution by η region** (CMS 2012 H→γγ, PLB 716 (2012) 30 and
  JINST 10 (2015) P08010, effective values for ~60 GeV photons): barrel
  |η| < 1.4442 σE/E = 1.0 % unconverted, 1.8 % converted; endcap
  1.566 < |η| < 2.5 σE/E = 2.2 % unconverted, 3.0 % converted. Photons in the
  barrel–endcap gap (1.4442–1.566) are dropped, as CMS does, and so are
  photons that the vertex shift moves out of |η| < 2.5.
* **conversions**: a photon converts in the tracker with probability
  1 − exp(−(7/9) X/X0), X/X0 = 0.4 + 0.8 |η| (at most 2), roughly the CMS
  tracker material budget.
* **primary-vertex mis-assignment**: in 20 % of events (CMS 2012: about 80 %
  correct in the 0.6–1 range over pT(γγ)) the chosen vertex is another one,
  Δz ~ Gauss(0, √2 · 5 cm); the photon η is recomputed from its ECAL impact
  point (barrel radius 1.29 m, endcap |z| = 3.15 m) seen from that vertex.

The signal fraction of the file is kept, and the metadata says how much it is
enhanced (``signal_enhancement``): the file's S/B in 120–130 GeV divided by
CMS's inclusive S/B of about 3 % (PLB 716 (2012) 30, all categories).
"""

from __future__ import annotations

import numpy as np

SEED_OFFSET = 1251
CMS_INCLUSIVE_SB = 0.03
DESCRIPTION = ("CMS-like photon response added (genlib/diphoton_post.py): sigma_E/E 1.0/1.8 % "
               "barrel unconverted/converted, 2.2/3.0 % endcap, EB-EE gap dropped, conversions "
               "from the tracker material, 20 % of events with a mis-assigned primary vertex.")


def _resolution(eta: np.ndarray, converted: np.ndarray) -> np.ndarray:
    barrel = np.abs(eta) < 1.4442
    return np.where(barrel, np.where(converted, 0.018, 0.010), np.where(converted, 0.030, 0.022))


def _reproject(eta: np.ndarray, dz_m: np.ndarray) -> np.ndarray:
    """η of a photon seen from a vertex shifted by ``dz_m`` along z (ECAL impact kept)."""
    barrel = np.abs(eta) < 1.4442
    radius = np.where(barrel, 1.29, 3.15 / np.maximum(np.abs(np.sinh(eta)), 1e-6))
    z_calo = radius * np.sinh(eta)
    return np.arcsinh((z_calo - dz_m) / radius)


def respond(pt: np.ndarray, eta: np.ndarray, event_dz_m: float,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One event's photons: ``(pt, eta, keep)`` after the response."""
    x0 = np.minimum(0.4 + 0.8 * np.abs(eta), 2.0)
    converted = rng.uniform(size=len(eta)) < 1.0 - np.exp(-7.0 / 9.0 * x0)
    scale = 1.0 + _resolution(eta, converted) * rng.standard_normal(len(eta))
    new_eta = _reproject(eta, event_dz_m) if event_dz_m else eta
    new_pt = pt * scale * np.cosh(eta) / np.cosh(new_eta)  # E kept, direction changed
    keep = ~((np.abs(eta) > 1.4442) & (np.abs(eta) < 1.566)) & (np.abs(new_eta) < 2.5)
    return new_pt, new_eta, keep


def photon_columns(cols: dict, seed: int) -> dict:
    """Return ``cols`` with the response applied to ``Photon`` (pT order kept)."""
    import awkward as ak

    from .writer import compress_floats
    rng = np.random.default_rng(seed + SEED_OFFSET)
    ph = cols["Photon"]
    parts: dict[str, list] = {f: [] for f in ph.fields}
    counts = []
    for i in range(len(ph)):
        one = {f: ak.to_numpy(ph[f][i]) for f in ph.fields}
        dz = rng.normal(0.0, np.sqrt(2) * 0.05) if rng.uniform() < 0.2 else 0.0
        pt, eta, keep = respond(one["pt"].astype(float), one["eta"].astype(float), dz, rng)
        one["pt"], one["eta"] = pt.astype(one["pt"].dtype), eta.astype(one["eta"].dtype)
        order = np.argsort(-one["pt"][keep], kind="stable")
        for f in parts:
            parts[f].append(one[f][keep][order])
        counts.append(int(keep.sum()))
    zipped = {}
    for f, chunks in parts.items():
        flat = np.concatenate(chunks)
        zipped[f] = ak.unflatten(compress_floats(flat) if flat.dtype.kind == "f" else flat, counts)
    return dict(cols, Photon=ak.zip(zipped))


def window_sb(cols: dict) -> float:
    """S/B of the two leading photons' mass in 120–130 GeV."""
    import awkward as ak
    ph = cols["Photon"]
    two = ak.num(ph.pt) >= 2
    p = ph[two][:, :2]
    m2 = 2 * p.pt[:, 0] * p.pt[:, 1] * (np.cosh(p.eta[:, 0] - p.eta[:, 1])
                                        - np.cos(p.phi[:, 0] - p.phi[:, 1]))
    mass = np.sqrt(ak.to_numpy(m2))
    sig = np.asarray(cols["Collision_isSignal"])[ak.to_numpy(two)].astype(bool)
    inside = (mass > 120) & (mass < 130)
    return float((inside & sig).sum()) / max(float((inside & ~sig).sum()), 1.0)
