"""Statistics for flow: event-plane resolution and jackknife errors (no Qt).

The resolution of a second-order event plane built from particles with flow
``v2`` and multiplicity ``M`` depends on ``χ = v2 sqrt(2M)`` as (Poskanzer &
Voloshin, Phys. Rev. C 58, 1671 (1998), eq. 11 with k = 1)::

    R(χ) = sqrt(π)/2 · χ · exp(−χ²/2) · [I0(χ²/2) + I1(χ²/2)]

Measuring the sub-event resolution ``R_sub = sqrt(⟨cos 2(Ψ_A − Ψ_B)⟩)``,
solving ``R(χ_sub) = R_sub`` and evaluating ``R(√2 χ_sub)`` gives the
resolution of the full event (twice the multiplicity).
"""

from __future__ import annotations

from collections.abc import Callable
from math import factorial

import numpy as np

_TERMS = 60


def bessel_i(nu: int, x: float) -> float:
    """Modified Bessel function I_nu(x) of integer order by its power series (x ≲ 30)."""
    half = x / 2.0
    return float(sum(half ** (2 * k + nu) / (factorial(k) * factorial(k + nu))
                     for k in range(_TERMS)))


def resolution(chi: float) -> float:
    """Event-plane resolution ``R(χ)`` for the second harmonic (see module text)."""
    if chi <= 0:
        return 0.0
    y = chi * chi / 2.0
    return float(np.sqrt(np.pi) / 2 * chi * np.exp(-y) * (bessel_i(0, y) + bessel_i(1, y)))


def chi_of(res: float) -> float:
    """Invert :func:`resolution` by bisection (``res`` in [0, 1))."""
    if not np.isfinite(res) or res <= 0:
        return 0.0
    lo, hi = 0.0, 6.0
    if res >= resolution(hi):
        return hi
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if resolution(mid) < res else (lo, mid)
    return (lo + hi) / 2


def full_resolution(sums: dict[str, np.ndarray]) -> float:
    """Full-event resolution from the sub-event correlation in ``sums`` (NaN if none)."""
    n = float(np.sum(sums["res_n"]))
    if n == 0:
        return float("nan")
    mean = float(np.sum(sums["res"])) / n
    if mean <= 0:
        return 0.0
    return resolution(np.sqrt(2.0) * chi_of(np.sqrt(mean)))


def signed_sqrt(x: float) -> float:
    """``sqrt(x)`` keeping the sign (a negative ⟨2⟩ means no measurable flow)."""
    if not np.isfinite(x):
        return float("nan")
    return float(np.sign(x) * np.sqrt(abs(x)))


def jackknife(sums: dict[str, np.ndarray],
              estimator: Callable[[dict[str, np.ndarray]], float]) -> float:
    """Jackknife standard error of ``estimator`` over the events of ``sums``.

    Each event is left out once; ``sums`` are per-event additive quantities, so
    a leave-one-out value is the estimator of the totals minus that event.
    """
    n = len(next(iter(sums.values())))
    if n < 2:
        return float("nan")
    totals = {k: np.sum(v) for k, v in sums.items()}
    values = np.array([estimator({k: np.array([totals[k] - v[i]]) for k, v in sums.items()})
                       for i in range(n)])
    values = values[np.isfinite(values)]
    if len(values) < 2:
        return float("nan")
    return float(np.sqrt((len(values) - 1) / len(values) * np.sum((values - values.mean()) ** 2)))
