"""Heavy-ion event summaries: charged multiplicity, dN/dη and centrality classes.

Centrality is the percentile of an event in the multiplicity distribution of
its file: the 0–10 % class holds the tenth of events with the most charged
tracks (the most violent, head-on collisions). Where a sample stores the
impact-parameter class (``bClass``, 0 = most central decile) that is used
instead, since it is the generator's truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import awkward as ak
import numpy as np

#: Edges of the centrality classes shown to users, in percent.
CLASS_EDGES: tuple[float, ...] = (0, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100)


@dataclass(frozen=True)
class HeavyIonSummary:
    """What the overlay and the event table show for a heavy-ion event.

    Attributes
    ----------
    n_charged : int
        Charged tracks in the event (finite kinematics only).
    dndeta : float
        Charged tracks per unit pseudorapidity at mid-rapidity.
    centrality : float or None
        Percentile (0 = most central) where the file's distribution is known.
    centrality_class : str
        A label such as ``"0–5%"``, or ``""`` when unknown.
    """

    n_charged: int
    dndeta: float
    centrality: float | None
    centrality_class: str


def charged_multiplicity(tracks: ak.Array) -> np.ndarray | int:
    """Count charged tracks with finite kinematics (per event for jagged input)."""
    if tracks.ndim == 1:  # one event: plain numpy (awkward's per-call cost is most of it)
        charge, pt, eta = (ak.to_numpy(tracks[f]) for f in ("charge", "pt", "eta"))
        return int(np.count_nonzero((charge != 0) & np.isfinite(pt) & np.isfinite(eta)))
    ok = (tracks.charge != 0) & np.isfinite(tracks.pt) & np.isfinite(tracks.eta)
    return ak.to_numpy(ak.sum(ok, axis=1))


def dndeta_midrapidity(tracks: ak.Array, eta_max: float = 0.5) -> float | np.ndarray:
    """Charged-track density dN/dη in |η| < ``eta_max``.

    Parameters
    ----------
    tracks : ak.Array
        One event's tracks, or tracks jagged over events.
    eta_max : float
        Half-width of the mid-rapidity window.
    """
    if tracks.ndim == 1:
        charge, eta = ak.to_numpy(tracks["charge"]), ak.to_numpy(tracks["eta"])
        return float(np.count_nonzero((charge != 0) & (np.abs(eta) < eta_max))) / (2 * eta_max)
    inside = (tracks.charge != 0) & (abs(tracks.eta) < eta_max)
    return ak.to_numpy(ak.sum(inside, axis=1)) / (2 * eta_max)


def centrality_percentiles(multiplicity: np.ndarray) -> np.ndarray:
    """Percentile of each event in the file's multiplicity distribution.

    An event's percentile is the percentage of events with a strictly larger
    multiplicity, so the busiest event is at 0 % and ties share a value.
    """
    mult = np.asarray(multiplicity, dtype=np.float64)
    if mult.size == 0:
        return mult
    ordered = np.sort(mult)
    larger = mult.size - np.searchsorted(ordered, mult, side="right")
    return 100.0 * larger / mult.size


def class_label(percentile: float | None, edges: tuple[float, ...] = CLASS_EDGES) -> str:
    """Return the class label (e.g. ``"10–20%"``) containing ``percentile``."""
    if percentile is None or not np.isfinite(percentile):
        return ""
    i = int(np.searchsorted(edges, percentile, side="right")) - 1
    i = min(max(i, 0), len(edges) - 2)
    return f"{edges[i]:g}–{edges[i + 1]:g}%"


def decile_label(b_class: int) -> str:
    """Label of a stored impact-parameter decile (0 = 0–10 %)."""
    if b_class is None or b_class < 0:
        return ""
    return f"{10 * b_class}–{10 * (b_class + 1)}%"


def summarize(tracks: ak.Array, percentile: float | None = None,
              b_class: int | None = None) -> HeavyIonSummary:
    """Summarise one event for the overlay.

    Parameters
    ----------
    tracks : ak.Array
        The event's tracks.
    percentile : float, optional
        Its multiplicity percentile in the file (see :func:`centrality_percentiles`).
    b_class : int, optional
        A stored impact-parameter decile; preferred when given.
    """
    label = decile_label(b_class) if b_class is not None and b_class >= 0 else class_label(percentile)
    cent = percentile if b_class is None or b_class < 0 else 10.0 * b_class + 5.0
    return HeavyIonSummary(n_charged=int(charged_multiplicity(tracks)),
                           dndeta=float(dndeta_midrapidity(tracks)),
                           centrality=cent, centrality_class=label)
