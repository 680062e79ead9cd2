"""A synthetic in-memory event source for the GUI tests (no file, known contents)."""

from __future__ import annotations

import awkward as ak
import numpy as np

from collider_viz.io.base import EventSource, Reader
from collider_viz.physics.event import EventBatch, SourceInfo, missing_et, particles

N_EVENTS = 12
N_TRACKS = 25


def track_pt(entry: int) -> np.ndarray:
    """Transverse momenta of the synthetic tracks of ``entry`` (0.5 .. 24.5 GeV, shuffled)."""
    return np.random.default_rng(entry).permutation(np.arange(N_TRACKS) + 0.5)


class SyntheticReader(Reader):
    """A small in-memory source: 12 events of 25 tracks, 2 photons and MET.

    A path ending ``.tracks.synthetic`` gives the same events without photons.
    """

    format_name = "synthetic"
    description = "generated in the test"

    def __init__(self, path: str, handle: object = None) -> None:
        self.info = SourceInfo(path=path, format="synthetic", detector="CMS", collision_system="pp",
                               sqrt_s=13000.0, is_simulation=True, label="Simulation — GUI test")
        self.photons = not path.endswith(".tracks.synthetic")

    @classmethod
    def sniff(cls, path: str, handle: object) -> bool:
        return False

    def __len__(self) -> int:
        return N_EVENTS

    @property
    def available(self) -> tuple[str, ...]:
        return ("tracks", "photons", "met") if self.photons else ("tracks", "met")

    def event_ids(self) -> dict[str, np.ndarray]:
        entries = np.arange(N_EVENTS, dtype=np.int64)
        return {"run": np.full(N_EVENTS, 4242, dtype=np.int64), "lumi": entries // 5 + 1,
                "event": 1000 + 7 * entries}

    def read(self, start, stop, collections=None) -> EventBatch:
        entries = range(start, stop)
        pts = [track_pt(i) for i in entries]
        rng = [np.random.default_rng(100 + i) for i in entries]
        eta = [r.uniform(-2.0, 2.0, N_TRACKS) for r in rng]
        phi = [r.uniform(-np.pi, np.pi, N_TRACKS) for r in rng]
        zeros = [np.zeros(N_TRACKS) for _ in entries]
        tracks = particles(ak.Array(pts), ak.Array(eta), ak.Array(phi), ak.Array(zeros),
                           ak.Array([np.where(np.arange(N_TRACKS) % 2, 1, -1) for _ in entries]),
                           vx=ak.Array(zeros), vy=ak.Array(zeros), vz=ak.Array(zeros),
                           pdgId=ak.Array([np.full(N_TRACKS, 211) for _ in entries]))
        photons = particles(ak.Array([[60.0, 45.0] for _ in entries]),
                            ak.Array([[0.3, -1.1] for _ in entries]),
                            ak.Array([[0.5, -2.5] for _ in entries]),
                            ak.Array([[0.0, 0.0] for _ in entries]))
        ids = {k: v[start:stop] for k, v in self.event_ids().items()}
        colls = {"tracks": tracks, "photons": photons,
                 "met": missing_et(np.full(len(entries), 20.0), np.zeros(len(entries)))}
        if collections is not None:
            colls = {k: v for k, v in colls.items() if k in collections}
        if not self.photons:
            colls.pop("photons", None)
        return EventBatch(start=start, collections=colls, ids=ids,
                          times=["2012-05-20T14:03:11" for _ in entries])


def synthetic_opener(path: str, mapping: str | None = None) -> EventSource:
    """Open ``*.synthetic`` paths with :class:`SyntheticReader`, anything else normally."""
    if str(path).endswith(".synthetic"):
        return EventSource(SyntheticReader(str(path)))
    from collider_viz.io.registry import open_events

    return open_events(path, mapping)
