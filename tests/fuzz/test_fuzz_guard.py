"""The reader guard and the sanitizer on arbitrary inputs."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
from fuzz_harness import FUZZ
from hypothesis import given
from hypothesis import strategies as st

from collider_viz.errors import FormatError
from collider_viz.io.base import EventSource, Reader
from collider_viz.physics.event import Event, EventBatch, EventMeta, SourceInfo, particles
from collider_viz.physics.sanitize import drop_nonfinite, finite_mask


class _Broken(Reader):
    format_name = "broken"

    def __init__(self, exc: Exception, n: int = 10) -> None:
        self.path, self.exc, self.n = "/data/broken.root", exc, n
        self.info = SourceInfo(path=self.path, format="broken", detector="CMS")

    @classmethod
    def sniff(cls, path, handle):
        return False

    def __len__(self):
        return self.n

    def read(self, start, stop, collections=None):
        raise self.exc


@pytest.mark.parametrize("exc", [ValueError("boom\nsecond line"), KeyError("px"), OSError(5, "x"),
                                 MemoryError(), RecursionError("deep"), IndexError()])
def test_guard_turns_low_level_errors_into_one_line(exc):
    src = EventSource(_Broken(exc))
    with pytest.raises(FormatError) as err:
        src[3]
    message = str(err.value)
    assert message.startswith("/data/broken.root: could not read entry 3 (")
    assert message.endswith("the file may be truncated or corrupt") and "\n" not in message
    with pytest.raises(FormatError, match=r"could not read entries 0–9 \("):
        src.reader.counts()
    with pytest.raises(FormatError, match=r"entries 2–4"):
        src.read(2, 5)


def test_guard_reports_network_errors_as_such():
    with pytest.raises(FormatError, match="network connection failed or timed out"):
        EventSource(_Broken(TimeoutError("timed out")))[0]


def test_short_batch_is_a_format_error():
    class Short(_Broken):
        def read(self, start, stop, collections=None):
            return EventBatch(start=start, collections={"muons": particles([], [], [], [])})

    with pytest.raises(FormatError, match="could not read entry 1"):
        EventSource(Short(ValueError()))[1]


VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5))


@FUZZ
@given(rows=st.lists(st.tuples(VALUES, VALUES, VALUES), max_size=20))
def test_sanitize_drops_exactly_the_bad_objects(rows):
    arr = np.array(rows, dtype=np.float64).reshape(-1, 3)
    pt, eta, phi = arr[:, 0], arr[:, 1], arr[:, 2]
    coll = particles(pt, eta, phi, np.zeros(len(pt)), chi2=np.full(len(pt), np.nan))
    bad = ~np.isfinite(arr).all(axis=1) | (pt < 0)
    assert np.array_equal(np.asarray(finite_mask(coll)), ~bad)
    event = Event(EventMeta(0), SourceInfo("x", "t", "CMS"), {"tracks": coll})
    clean, dropped = drop_nonfinite(event)
    assert len(clean["tracks"]) == int((~bad).sum()) and dropped == (
        {"tracks": int(bad.sum())} if bad.any() else {})
    assert len(event["tracks"]) == len(rows)
    assert ak.all(np.isfinite(clean["tracks"].pt))
