"""Elliptic flow: Q-vectors, the second-order event plane and v2 (no Qt, no vispy).

Conventions (Poskanzer & Voloshin, Phys. Rev. C 58, 1671 (1998);
Bilandzic, Snellings & Voloshin, Phys. Rev. C 83, 044913 (2011)):

* the flow vector of a set of particles is ``Q2 = Σ exp(2iφ)`` and the
  event-plane angle ``Ψ2 = arg(Q2) / 2``;
* two sub-events are separated by an η gap, ``A: η < -gap/2`` and
  ``B: η > +gap/2``, so that short-range (non-flow) correlations between
  them are suppressed;
* ``v2{2, |Δη| > gap}`` is ``sqrt(⟨⟨cos 2(φ_a − φ_b)⟩⟩)`` over pairs with one
  particle in each sub-event, ``Re(Q_A Q_B*) / (M_A M_B)`` per event, averaged
  with weight ``M_A M_B``;
* ``v2{EP}`` correlates each particle of one sub-event with the plane of the
  other, ``⟨cos 2(φ − Ψ2^other)⟩``, and divides by the sub-event resolution
  ``sqrt(⟨cos 2(Ψ2^A − Ψ2^B)⟩)``. The full-event resolution follows from the
  sub-event one through ``R(√2 χ)`` (:mod:`collider_viz.physics.flow_stats`).

Statistical errors of class values are jackknife errors over events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import awkward as ak
import numpy as np

from collider_viz.physics import flow_stats
from collider_viz.physics.centrality import Centrality

#: Default η gap between the two sub-events (|Δη| > 1: η < −0.5 vs η > 0.5).
ETA_GAP = 1.0
#: Default track selection: charged, in this pT range (GeV).
PT_RANGE = (0.2, 5.0)
METHODS = {"2": "v2{2, |Δη| > %g}", "EP": "v2{EP, |Δη| > %g}"}


@dataclass(frozen=True)
class SubEventQ:
    """Per-event sub-event flow vectors (arrays over events).

    Attributes
    ----------
    qa, qb : np.ndarray
        Complex ``Q2`` of sub-events A (η < −gap/2) and B (η > gap/2).
    ma, mb : np.ndarray
        Their multiplicities.
    """

    qa: np.ndarray
    qb: np.ndarray
    ma: np.ndarray
    mb: np.ndarray

    def sums(self) -> dict[str, np.ndarray]:
        """Per-event sums from which every class estimate is built."""
        pair = np.real(self.qa * np.conj(self.qb))
        na, nb = np.abs(self.qa), np.abs(self.qb)
        ok = (na > 0) & (nb > 0)
        safe = np.where(ok, na * nb, 1.0)
        return {"pair": pair, "pairs": self.ma * self.mb,
                # Σ_A cos 2(φ − Ψ_B) + Σ_B cos 2(φ − Ψ_A) = Re(Qa Qb*) (1/|Qb| + 1/|Qa|)
                "ep": np.where(ok, pair * (na + nb) / safe, 0.0),
                "ep_n": np.where(ok, self.ma + self.mb, 0.0),
                "res": np.where(ok, pair / safe, 0.0), "res_n": ok.astype(np.float64)}


def selected(tracks: ak.Array, pt_range: tuple[float, float] = PT_RANGE) -> ak.Array:
    """Charged tracks with finite kinematics in ``pt_range`` (jagged over events)."""
    ok = (tracks.charge != 0) & np.isfinite(tracks.phi) & np.isfinite(tracks.eta)
    ok = ok & (tracks.pt > pt_range[0]) & (tracks.pt < pt_range[1])
    return tracks[ok]


def q_vector(phi: ak.Array | np.ndarray, n: int = 2) -> np.ndarray | complex:
    """Flow vector ``Σ exp(i n φ)`` (per event for jagged ``phi``)."""
    phi = ak.Array(phi) if not isinstance(phi, ak.Array) else phi
    if phi.ndim == 1:
        flat = ak.to_numpy(phi).astype(np.float64)
        return complex(np.sum(np.exp(1j * n * flat)))
    re = ak.to_numpy(ak.sum(np.cos(n * phi), axis=1))
    im = ak.to_numpy(ak.sum(np.sin(n * phi), axis=1))
    return re + 1j * im


def sub_events(tracks: ak.Array, gap: float = ETA_GAP,
               pt_range: tuple[float, float] = PT_RANGE) -> SubEventQ:
    """Sub-event flow vectors of each event (``tracks`` jagged over events)."""
    trk = selected(tracks, pt_range)
    a, b = trk[trk.eta < -gap / 2], trk[trk.eta > gap / 2]
    return SubEventQ(q_vector(a.phi), q_vector(b.phi),
                     ak.to_numpy(ak.num(a.phi, axis=-1)).astype(np.float64),
                     ak.to_numpy(ak.num(b.phi, axis=-1)).astype(np.float64))


def event_plane(tracks: ak.Array, pt_range: tuple[float, float] = PT_RANGE) -> float:
    """Second-order event-plane angle Ψ2 of one event in (−π/2, π/2] (NaN without tracks)."""
    trk = selected(tracks, pt_range)
    q = complex(q_vector(trk.phi))
    return float(np.angle(q) / 2) if abs(q) > 0 else float("nan")


def two_particle(sums: dict[str, np.ndarray]) -> float:
    """The two-particle correlation ``⟨⟨cos 2(φ_a − φ_b)⟩⟩`` across the gap (NaN if no pairs)."""
    total = float(np.sum(sums["pairs"]))
    return float(np.sum(sums["pair"])) / total if total > 0 else float("nan")


def estimate(sums: dict[str, np.ndarray], method: str = "2") -> float:
    """v2 of a set of events from their :meth:`SubEventQ.sums` (NaN where undefined)."""
    if method == "2":
        return flow_stats.signed_sqrt(two_particle(sums))
    res_n, ep_n = float(np.sum(sums["res_n"])), float(np.sum(sums["ep_n"]))
    if res_n == 0 or ep_n == 0:
        return float("nan")
    r_sub = flow_stats.signed_sqrt(float(np.sum(sums["res"])) / res_n)
    return float(np.sum(sums["ep"])) / ep_n / r_sub if r_sub > 0 else float("nan")


@dataclass(frozen=True)
class ClassFlow:
    """v2 of one centrality class (or of all events: label ``"all"``)."""

    label: str
    lo: float
    hi: float
    n_events: int
    v2: float
    v2_err: float
    resolution: float
    c2: float = float("nan")
    c2_err: float = float("nan")

    def as_dict(self) -> dict[str, object]:
        """JSON form (NaN as None)."""
        def num(x: float) -> float | None:
            return None if not np.isfinite(x) else round(float(x), 5)
        return {"label": self.label, "lo": self.lo, "hi": self.hi, "n_events": self.n_events,
                "v2": num(self.v2), "v2_err": num(self.v2_err),
                "resolution": num(self.resolution), "c2": num(self.c2), "c2_err": num(self.c2_err)}


def class_flow(sums: dict[str, np.ndarray], label: str, lo: float, hi: float,
               method: str = "2") -> ClassFlow:
    """v2 with its jackknife error for the events in ``sums``."""
    v2 = estimate(sums, method)
    err = flow_stats.jackknife(sums, lambda s: estimate(s, method))
    res = flow_stats.full_resolution(sums)
    c2 = two_particle(sums)
    c2_err = flow_stats.jackknife(sums, two_particle)
    return ClassFlow(label, lo, hi, len(sums["pair"]), v2, err, res, c2, c2_err)


def by_class(q: SubEventQ, cents: Sequence[Centrality | None],
             method: str = "2") -> tuple[list[ClassFlow], ClassFlow]:
    """v2 per centrality class (most central first) and over all events."""
    sums = q.sums()
    classes = sorted({(c.lo, c.hi) for c in cents if c is not None})
    out = []
    for lo, hi in classes:
        mask = np.array([c is not None and (c.lo, c.hi) == (lo, hi) for c in cents])
        out.append(class_flow({k: v[mask] for k, v in sums.items()},
                              f"{lo:g}–{hi:g}%", lo, hi, method))
    return out, class_flow(sums, "all", 0.0, 100.0, method)


def method_name(method: str, gap: float = ETA_GAP) -> str:
    """The method as written in outputs, e.g. ``"v2{2, |Δη| > 1}"``."""
    return METHODS[method] % gap


def reference_series(sqrt_s: float | None = None) -> list[dict[str, object]]:
    """Published v2 vs centrality (``flow_reference.toml``), optionally at one √s_NN (GeV)."""
    from importlib.resources import files

    import tomllib

    text = files("collider_viz.physics").joinpath("flow_reference.toml").read_text("utf-8")
    series = tomllib.loads(text)["series"]
    if sqrt_s is None:
        return series
    return [s for s in series if abs(float(s["sqrt_s"]) - sqrt_s) < 0.05 * sqrt_s]
