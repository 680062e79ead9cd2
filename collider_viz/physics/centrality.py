"""One definition of centrality for the overlay, the events table and ``flow``.

The file's own estimator is used first:

* HiForest ``hiBin`` (0–199, steps of 0.5 % of the hadronic cross-section,
  from the HF energy; CMS) → ``EventMeta.extra["hiBin"]``;
* a percentile the reader already stores (``extra["centrality"]``);
* the generator's impact-parameter decile (``Collision_bClass`` of the bundled
  samples, ``extra["bClass"]``: ``floor(10 b² / b_max²)``).

Only where a file has none of these is the percentile of the charged-track
multiplicity in the file used, and then only with at least
:data:`MIN_EVENTS_FOR_PERCENTILE` events (fewer give a rank, not a class); the
label then says "(from multiplicity)".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from collider_viz.physics import heavyion

#: Fewest events for which multiplicity percentiles are shown as centrality classes.
MIN_EVENTS_FOR_PERCENTILE = 50
#: Class edges (percent) used for every estimator.
CLASS_EDGES = heavyion.CLASS_EDGES
#: Source names, as shown in labels.
SOURCES = {"hiBin": "HiForest hiBin", "centrality": "file's centrality",
           "bClass": "generator impact parameter", "multiplicity": "from multiplicity"}


@dataclass(frozen=True)
class Centrality:
    """The centrality of one event.

    Attributes
    ----------
    percent : float
        Estimated percentile (0 = most central), the class centre for deciles.
    lo, hi : float
        Edges of its class in percent.
    source : str
        ``"hiBin"``, ``"centrality"``, ``"bClass"`` or ``"multiplicity"``.
    """

    percent: float
    lo: float
    hi: float
    source: str

    @property
    def label(self) -> str:
        """The class, e.g. ``"30–40%"``."""
        return f"{self.lo:g}–{self.hi:g}%"

    @property
    def text(self) -> str:
        """The class with its source, e.g. ``"30–40% (from multiplicity)"``."""
        return f"{self.label} ({SOURCES[self.source]})"


def _in_class(percent: float, source: str) -> Centrality | None:
    if not np.isfinite(percent) or percent < 0 or percent > 100:
        return None
    edges = CLASS_EDGES
    i = int(np.searchsorted(edges, percent, side="right")) - 1
    i = min(max(i, 0), len(edges) - 2)
    return Centrality(float(percent), float(edges[i]), float(edges[i + 1]), source)


def from_estimator(extra: Mapping[str, Any]) -> Centrality | None:
    """Centrality from the file's own per-event estimator (None without one).

    Parameters
    ----------
    extra : mapping
        ``EventMeta.extra`` or one row of a batch's ``ids``.
    """
    hibin = extra.get("hiBin")
    if hibin is not None and 0 <= int(hibin) < 200:
        return _in_class(0.5 * int(hibin), "hiBin")
    cent = extra.get("centrality")
    if cent is not None and np.isfinite(float(cent)) and float(cent) >= 0:
        return _in_class(float(cent), "centrality")
    b_class = extra.get("bClass")
    if b_class is not None and 0 <= int(b_class) <= 9:
        lo = 10.0 * int(b_class)
        return Centrality(lo + 5.0, lo, lo + 10.0, "bClass")
    return None


def for_file(ids: Mapping[str, Sequence[Any]], multiplicity: Sequence[int] | None,
             n_events: int) -> list[Centrality | None]:
    """Centrality of every entry of a file.

    Parameters
    ----------
    ids : mapping
        Per-entry scalars (``EventBatch.ids``): ``hiBin``, ``centrality``, ``bClass``.
    multiplicity : sequence of int, optional
        Charged tracks per entry, used only where an entry has no estimator
        and the file has at least :data:`MIN_EVENTS_FOR_PERCENTILE` entries.
    n_events : int
        Entries in the file.
    """
    keys = [k for k in ("hiBin", "centrality", "bClass") if k in ids]
    out = [from_estimator({k: ids[k][i] for k in keys}) for i in range(n_events)]
    if multiplicity is None or n_events < MIN_EVENTS_FOR_PERCENTILE:
        return out
    pct = heavyion.centrality_percentiles(np.asarray(multiplicity))
    return [c if c is not None else _in_class(float(p), "multiplicity")
            for c, p in zip(out, pct, strict=True)]
