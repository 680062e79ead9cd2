"""Flow afterburner: impose elliptic flow on Angantyr events (no hydrodynamics is simulated).

Angantyr has no collective expansion, so its events have no elliptic flow. The
afterburner gives each event a reaction-plane angle Ψ_RP (uniform in [0, π),
stored as ``Collision_psiRP``) and moves every track's azimuth so that

    dN/dφ ∝ 1 + 2 v2(pT, c) cos 2(φ − Ψ_RP),

by solving φ + v2 sin 2(φ − Ψ_RP) = φ0 for φ (Newton's method), φ0 being
the generator's azimuth (the standard inverse-CDF afterburner; e.g. Poskanzer &
Voloshin, PRC 58, 1671 (1998), eq. 1). Production vertices are turned with
their track about the beam axis. pT, η and multiplicities are unchanged.

v2(pT, c) = v2_int(c) · g(pT) / ⟨g⟩, g(pT) = (pT / 0.6 GeV) / (1 + (pT / 3 GeV)²),
⟨g⟩ its mean over the event's tracks with 0.2 < pT < 5 GeV, at most 0.25,
with v2_int(c) interpolated in centrality c = 100 b² / b_max² from the STAR
Au+Au 200 GeV v2{2} (Adams et al., PRC 72, 014904 (2005)) or the ALICE Pb+Pb
5.02 TeV v2{2, |Δη| > 1} (Adam et al., PRL 116, 132302 (2016)) points of
``collider_viz/physics/flow_reference.toml``. The pT shape rises linearly and
flattens near 3 GeV, as the measured v2(pT) does (ALICE PRL 105, 252302:
maximum ≈ 0.2 near 3 GeV at 40–50 %).
"""

from __future__ import annotations

import numpy as np

from collider_viz.physics.flow import reference_series

SERIES = {"Au+Au": "STAR Au+Au 200 GeV v2{2}", "Pb+Pb": "ALICE Pb+Pb 5.02 TeV v2{2, |Δη| > 1}"}
V2_MAX = 0.25


def v2_integrated(system: str, cent: np.ndarray) -> np.ndarray:
    """Published pT-integrated v2 at centrality ``cent`` (percent), interpolated."""
    series = next(s for s in reference_series() if s["name"] == SERIES[system])
    mid = (np.asarray(series["lo"], float) + np.asarray(series["hi"], float)) / 2
    return np.interp(cent, mid, np.asarray(series["v2"], float))


def pt_shape(pt: np.ndarray) -> np.ndarray:
    """Shape of v2(pT): linear rise, flattening near 3 GeV."""
    return (pt / 0.6) / (1.0 + (pt / 3.0) ** 2)


def v2_of(system: str, pt: np.ndarray, cent: float) -> np.ndarray:
    """The imposed v2(pT, c) for one event's tracks (see module text).

    The shape is normalised to its mean over the event's tracks with
    0.2 < pT < 5 GeV, so that the pT-integrated v2 there is the published one.
    """
    shape = pt_shape(pt)
    window = (pt > 0.2) & (pt < 5.0)
    norm = float(np.mean(shape[window])) if np.any(window) else 1.0
    return np.minimum(float(v2_integrated(system, np.asarray(cent))) * shape / norm, V2_MAX)


def shift_azimuths(phi0: np.ndarray, v2: np.ndarray, psi: float) -> np.ndarray:
    """Solve φ + v2 sin 2(φ − ψ) = φ0 for φ (|2 v2| < 1, so it is monotonic)."""
    phi = phi0.astype(np.float64).copy()
    for _ in range(8):
        f = phi + v2 * np.sin(2 * (phi - psi)) - phi0
        phi -= f / (1.0 + 2.0 * v2 * np.cos(2 * (phi - psi)))
    return np.angle(np.exp(1j * phi))


def apply(tracks: dict[str, np.ndarray], pv: tuple[float, float], system: str,
          cent: float, psi: float) -> dict[str, np.ndarray]:
    """One event's track fields with flow imposed (phi, and vx/vy turned about the beam).

    ``pv`` is the event's primary vertex (x, y) in cm.
    """
    v2 = v2_of(system, np.asarray(tracks["pt"], float), cent)
    old = np.asarray(tracks["phi"], float)
    new = shift_azimuths(old, v2, psi)
    turn = new - old
    dx, dy = np.asarray(tracks["vx"], float) - pv[0], np.asarray(tracks["vy"], float) - pv[1]
    out = dict(tracks)
    out["phi"] = new
    out["vx"] = pv[0] + dx * np.cos(turn) - dy * np.sin(turn)
    out["vy"] = pv[1] + dx * np.sin(turn) + dy * np.cos(turn)
    return out
