"""The common event form every reader produces and every builder draws.

Conventions (all readers follow them; see ``docs`` in the README):

* Collections are named ``tracks``, ``photons``, ``electrons``, ``muons``,
  ``jets``, ``met``, ``vertices`` and ``calo`` (calorimeter deposits).
* Particle-like collections (tracks, photons, electrons, muons, jets) are
  awkward records named ``Momentum4D`` with fields ``pt``, ``eta``, ``phi``,
  ``mass`` (GeV) and ``charge``; tracks and leptons may carry a reference
  point ``vx``, ``vy``, ``vz`` in **metres**; jets may carry ``radius``.
  Every other field of the file is passed through unchanged for the
  properties panel.
* ``met`` holds one ``Momentum2D`` record per event (``pt``, ``phi``).
* ``vertices`` holds ``x``, ``y``, ``z`` in metres.
* ``calo`` holds ``energy`` (GeV), ``eta``, ``phi``, ``x``, ``y``, ``z``
  (metres, the centre of the cell) and ``subdet`` (e.g. ``"EB"``).
* Muon system (metres): ``muon_segments`` holds ``x1, y1, z1, x2, y2, z2``
  (a reconstructed DT/CSC segment from end to end) and ``subdet`` (``"DT"``,
  ``"CSC"``); ``muon_hits`` holds ``x, y, z`` and ``subdet`` (``"RPC"``,
  ``"DT"``, ``"CSC"``); ``muon_chambers`` holds the chambers a muon was matched
  to as the 8 corners of a box in ragged ``corners_x``, ``corners_y``,
  ``corners_z`` (front face 1-4, then back face 1-4) and ``subdet``.
* Recorded trajectories: tracks, electrons and muons may carry ragged
  ``path_x``, ``path_y``, ``path_z`` (metres, points along the trajectory as
  the experiment recorded or drew it); with 2 or more points the scene draws
  that polyline instead of a computed helix.

A batch is a mapping of collection name to an array jagged over events; an
:class:`Event` is one entry of a batch plus its metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import awkward as ak
import numpy as np
import vector

vector.register_awkward()

COLLECTIONS: tuple[str, ...] = (
    "tracks",
    "photons",
    "electrons",
    "muons",
    "jets",
    "met",
    "vertices",
    "calo",
    "muon_segments",
    "muon_hits",
    "muon_chambers",
)
#: the muon-system collections (CMS iSpy files; see the module docstring)
MUON_SYSTEM_COLLECTIONS: tuple[str, ...] = ("muon_segments", "muon_hits", "muon_chambers")
PARTICLE_COLLECTIONS: tuple[str, ...] = ("tracks", "photons", "electrons", "muons", "jets")


@dataclass(frozen=True)
class SourceInfo:
    """File-level description of an event source.

    Attributes
    ----------
    path : str
        File path or URL.
    format : str
        Short format name, e.g. ``"nanoaod"``, ``"ispy"``.
    detector : str
        Detector name understood by :func:`collider_viz.physics.detector.load_detector`
        (``"CMS"``, ``"STAR"``, ``"ALICE"``).
    collision_system : str
        ``"pp"``, ``"Au+Au"``, ``"Pb+Pb"`` ...
    sqrt_s : float or None
        Centre-of-mass energy in GeV (per nucleon pair for nuclei).
    is_simulation : bool
        True for Monte Carlo.
    label : str
        Experiment label for annotations, e.g. ``"CMS Open Data"``.
    extra : dict
        Anything else the file states (generator, dataset ...).
    not_read : tuple of (str, str)
        What the file holds but the reader could not build, each as
        ``(name, reason)`` (e.g. ``("PATJets_V1", "unknown collection version")``);
        shown by ``info`` (text and JSON) and the window, so nothing is lost in silence.
    """

    path: str
    format: str
    detector: str
    collision_system: str = "pp"
    sqrt_s: float | None = None
    is_simulation: bool = False
    label: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    not_read: tuple[tuple[str, str], ...] = ()


@dataclass
class EventMeta:
    """Per-event identification.

    Attributes
    ----------
    entry : int
        Index of the event in its source.
    run, lumi, event : int or None
        CMS-style run, luminosity block and event numbers where known.
    time : str or None
        Date/time of the collision (ISO 8601) where known.
    extra : dict
        Per-event scalars such as impact parameter ``b`` or ``centrality``.
    """

    entry: int
    run: int | None = None
    lumi: int | None = None
    event: int | None = None
    time: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class EventBatch:
    """Several consecutive events as arrays jagged over events.

    Attributes
    ----------
    start : int
        Entry number of the first event.
    collections : dict of str to ak.Array
        Jagged arrays, outer length = number of events.
    ids : dict of str to np.ndarray
        Per-event ``run``, ``lumi``, ``event`` (and optional scalars such as
        ``b``, ``centrality``); missing values are -1.
    times : list of str or None, optional
        Per-event ISO time strings where known.
    """

    start: int
    collections: dict[str, ak.Array]
    ids: dict[str, np.ndarray] = field(default_factory=dict)
    times: list[str | None] | None = None

    def __len__(self) -> int:
        for arr in self.collections.values():
            return len(arr)
        for arr in self.ids.values():
            return len(arr)
        return 0

    def event(self, i: int, info: SourceInfo) -> Event:
        """Return the ``i``-th event of the batch (0-based within the batch)."""
        colls = {name: arr[i] for name, arr in self.collections.items()}
        meta = EventMeta(entry=self.start + i)
        extra: dict[str, Any] = {}
        for key, values in self.ids.items():
            value = values[i].item() if hasattr(values[i], "item") else values[i]
            if key in ("run", "lumi", "event"):
                setattr(meta, key, None if value is None or value < 0 else int(value))
            else:
                extra[key] = value
        meta.extra = extra
        if self.times is not None:
            meta.time = self.times[i]
        return Event(meta=meta, info=info, collections=colls)


@dataclass
class Event:
    """One collision in the common form.

    Attributes
    ----------
    meta : EventMeta
        Identification of the event.
    info : SourceInfo
        The source it came from.
    collections : dict of str to ak.Array
        One-dimensional record arrays, one per collection present.
    """

    meta: EventMeta
    info: SourceInfo
    collections: dict[str, ak.Array]

    def __getitem__(self, name: str) -> ak.Array:
        return self.collections[name]

    def __contains__(self, name: object) -> bool:
        return name in self.collections

    def get(self, name: str, default: ak.Array | None = None) -> ak.Array | None:
        """Return a collection or ``default`` when the event has none of that name."""
        return self.collections.get(name, default)

    def counts(self) -> dict[str, int]:
        """Number of objects in each collection."""
        return {name: len(arr) for name, arr in self.collections.items()}


def particles(
    pt: Any,
    eta: Any,
    phi: Any,
    mass: Any,
    charge: Any | None = None,
    **extra: Any,
) -> ak.Array:
    """Zip arrays (flat or jagged) into ``Momentum4D`` records.

    Parameters
    ----------
    pt, eta, phi, mass : array-like
        Kinematics in GeV and radians, all of the same (jagged) structure.
    charge : array-like, optional
        Electric charge in units of e; zeros when omitted.
    **extra : array-like
        Further fields of the same structure, passed through.

    Returns
    -------
    ak.Array
        Records with vector behaviour.
    """
    pt = ak.Array(pt) if not isinstance(pt, ak.Array) else pt
    fields: dict[str, Any] = {"pt": pt, "eta": eta, "phi": phi, "mass": mass}
    fields["charge"] = pt * 0 if charge is None else charge
    fields.update(extra)
    return ak.zip(fields, with_name="Momentum4D")


def particles_from_cartesian(
    px: Any, py: Any, pz: Any, energy: Any, charge: Any | None = None, **extra: Any
) -> ak.Array:
    """Build ``Momentum4D`` records in (pt, eta, phi, mass) form from px, py, pz, E.

    The conversion is done by ``vector``; a negative m² from rounding gives mass 0.
    """
    vec = ak.zip({"px": px, "py": py, "pz": pz, "E": energy}, with_name="Momentum4D")
    mass = vec.tau
    mass = ak.where(np.isfinite(mass) & (mass > 0), mass, 0.0)
    return particles(vec.pt, vec.eta, vec.phi, mass, charge, **extra)


def missing_et(pt: Any, phi: Any, **extra: Any) -> ak.Array:
    """Zip per-event MET values into a jagged one-record-per-event ``Momentum2D`` array."""
    pt = ak.Array(np.asarray(pt, dtype=np.float64))
    phi = ak.Array(np.asarray(phi, dtype=np.float64))
    rec = ak.zip({"pt": pt, "phi": phi, **{k: ak.Array(np.asarray(v)) for k, v in extra.items()}},
                 with_name="Momentum2D")
    return ak.unflatten(rec, np.ones(len(rec), dtype=np.int64))
