"""Which objects of a collection are drawn: validity, pT and |η| cuts, and a display cap.

Pure numpy on per-object arrays, so a cut never touches the geometry: the
layers turn the resulting mask into the index buffer of their ``Line``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import awkward as ak
import numpy as np

try:  # the fuzz suite's definition of "cannot be drawn", where present
    from collider_viz.physics.sanitize import CHECKED_FIELDS, NON_NEGATIVE
except ImportError:  # pragma: no cover - older checkouts
    CHECKED_FIELDS = ("pt", "eta", "phi", "mass", "vx", "vy", "vz", "x", "y", "z", "energy")
    NON_NEGATIVE = ("pt",)

#: Harmless stand-ins written over the fields of skipped objects (never drawn).
_SAFE_VALUE = {"pt": 1.0, "energy": 1.0}


@dataclass
class Cuts:
    """User cuts of one collection.

    Attributes
    ----------
    threshold : float
        Minimum pT (energy for calorimeter deposits), GeV.
    eta_max : float
        Largest |η| drawn (``inf``: no cut).
    cap : int or None
        Most objects drawn (highest pT first); None draws all.
    """

    threshold: float = 0.0
    eta_max: float = np.inf
    cap: int | None = None


def column(array: Any, name: str, default: float | None = 0.0) -> np.ndarray | None:
    """One field of a 1-D record array as a flat numpy array (``default`` where absent/None).

    Plain numeric fields are read straight from the record's buffer (no copy,
    no awkward dispatch); option-typed or indexed layouts take the general path.
    """
    if array is None:
        return None
    layout = ak.to_layout(array)
    if name not in ak.fields(array):
        return None if default is None else np.full(len(array), default, dtype=np.float64)
    if isinstance(layout, ak.contents.RecordArray):
        content = layout.content(name)
        if isinstance(content, ak.contents.NumpyArray) and content.data.ndim == 1:
            return np.asarray(content.data)[:len(layout)]
    values = array[name]
    if default is not None:
        values = ak.fill_none(values, default)
    return np.asarray(ak.to_numpy(values))


def valid_mask(fields: dict[str, np.ndarray], n: int) -> np.ndarray:
    """True for objects whose drawn fields are all finite (and pT not negative)."""
    ok = np.ones(n, dtype=bool)
    for name, values in fields.items():
        if name not in CHECKED_FIELDS or values is None or values.dtype.kind not in "fc":
            continue
        with np.errstate(invalid="ignore"):
            ok &= np.isfinite(values)
            if name in NON_NEGATIVE:
                ok &= values >= 0
    return ok


def neutralise(fields: dict[str, np.ndarray], valid: np.ndarray) -> dict[str, np.ndarray]:
    """Copy of ``fields`` with harmless values for the invalid objects (so no NaN geometry)."""
    if valid.all():
        return fields
    out = {}
    for name, values in fields.items():
        if values is not None and values.dtype.kind in "fc":
            values = np.where(valid, values, _SAFE_VALUE.get(name, 0.0))
        out[name] = values
    return out


def passing(values: np.ndarray, abs_eta: np.ndarray | None, valid: np.ndarray,
            cuts: Cuts) -> np.ndarray:
    """Objects passing validity, the threshold and the |η| cut (before any cap)."""
    mask = valid & (values >= cuts.threshold)
    if abs_eta is not None and np.isfinite(cuts.eta_max):
        mask &= abs_eta <= cuts.eta_max
    return mask


def apply_cap(mask: np.ndarray, order: np.ndarray, cap: int | None) -> np.ndarray:
    """Keep at most ``cap`` of the True objects of ``mask``, earliest in ``order`` first."""
    if cap is None or int(mask.sum()) <= cap:
        return mask
    ranked = mask[order]
    ranked &= np.cumsum(ranked) <= cap
    out = np.zeros_like(mask)
    out[order] = ranked
    return out
