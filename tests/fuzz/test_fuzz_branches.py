"""Generated NanoAOD-like trees: wrong dtypes, wrong shapes, mismatched jagged counts,
NaN/inf/huge/negative kinematics, events with no objects."""

from __future__ import annotations

import awkward as ak
import numpy as np
import uproot
from fuzz_harness import FUZZ, WORK_DIR, exercise, run_case
from hypothesis import given
from hypothesis import strategies as st

DTYPES = [np.int8, np.uint8, np.int16, np.int32, np.int64, np.float32, np.float64, np.bool_]
PREFIXES = {"Photon": "photons", "Muon": "muons", "Jet": "jets", "Track": "tracks",
            "Electron": "electrons"}
FIELDS = ("pt", "eta", "phi", "mass", "charge")
VALUES = st.one_of(st.floats(-10.0, 200.0), st.sampled_from(
    [np.nan, np.inf, -np.inf, 1e300, -1e300, 0.0, -5.0, 3.4e38, 1e-320]))
#: how a field branch is laid out: like its counter, one value per event, or its own counts
LAYOUTS = st.sampled_from(["jagged", "jagged", "jagged", "flat", "mismatched", "absent"])


def _cast(values: np.ndarray, dtype: type) -> np.ndarray:
    with np.errstate(invalid="ignore", over="ignore"):
        return values.astype(dtype)


@st.composite
def trees(draw) -> tuple[dict[str, object], set[str]]:
    """Columns of an ``Events`` tree (ids plus, per prefix, a counter and field branches),
    and the collections whose counter agrees with the lengths of their ``pt`` branch."""
    n = draw(st.integers(1, 4))
    cols: dict[str, object] = {
        name: _cast(np.arange(1, n + 1, dtype=np.float64), draw(st.sampled_from(DTYPES)))
        for name in ("run", "luminosityBlock", "event")}
    agree = set()
    for prefix in draw(st.lists(st.sampled_from(list(PREFIXES)), min_size=1, max_size=3,
                                unique=True)):
        counts = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
        counter = counts if draw(st.booleans()) else counts + draw(st.integers(-2, 3))
        cols["n" + prefix] = _cast(counter, draw(st.sampled_from(DTYPES)))
        for fld in FIELDS:
            layout = draw(LAYOUTS)
            if fld == "pt" and layout == "jagged" and np.array_equal(
                    cols["n" + prefix].astype(np.int64), counts):
                agree.add(PREFIXES[prefix])
            if layout == "absent":
                continue
            sizes = counts if layout == "jagged" else np.roll(counts, 1) + (layout == "mismatched")
            total = n if layout == "flat" else int(sizes.sum())
            flat = np.array(draw(st.lists(VALUES, min_size=total, max_size=total)), dtype=float)
            flat = _cast(flat, draw(st.sampled_from(DTYPES)))
            cols[f"{prefix}_{fld}"] = flat if layout == "flat" else ak.unflatten(flat, sizes)
    return cols, agree


def _write(cols: dict[str, object], name: str = "case.root") -> str:
    path = WORK_DIR / name
    types = {k: v.type if isinstance(v, ak.Array) else v.dtype for k, v in cols.items()}
    with uproot.recreate(path) as f:
        f.mktree("Events", types, counter_name=lambda counted: "n_" + counted).extend(cols)
    return str(path)


def check_consistent(path: str, agree: set[str]) -> dict[str, object]:
    """:func:`exercise`, and the counts of the collections in ``agree`` agree with the
    objects of the events read."""
    result = exercise(path)
    for entry, event in zip((0, result["n"] - 1), result["events"]):
        for name, values in result["counts"].items():
            if name in event and name in agree:
                assert values[entry] == len(event[name]), (
                    f"counts()[{name!r}][{entry}] = {values[entry]} but the event has "
                    f"{len(event[name])} {name}")
    return result


@FUZZ
@given(tree=trees())
def test_generated_nanoaod(tree):
    cols, agree = tree
    _write(cols)
    run_case("generated-nanoaod", None, ".root", path=WORK_DIR / "case.root",
             check=check_consistent, agree=agree)


def test_counter_disagreeing_with_lengths_is_reported():
    """counts() trusts nTrack, read() checks it against Track_pt: a clear error, not
    numbers in info/the event table that differ from what is drawn."""
    from collider_viz.errors import FormatError

    cols = {"run": np.ones(2, np.int64), "luminosityBlock": np.ones(2, np.int64),
            "event": np.arange(2, dtype=np.int64), "nTrack": np.array([2, 5], np.int32)}
    for fld in ("pt", "eta", "phi"):
        cols[f"Track_{fld}"] = ak.Array([[1.0, 2.0], [3.0]])
    path = _write(cols, "counter.root")
    result = run_case("counter-mismatch", None, ".root", path=WORK_DIR / "counter.root")
    if isinstance(result, dict):  # consistent numbers would be fine too
        assert list(result["counts"]["tracks"]) == [len(e["tracks"]) for e in result["events"]]
        return
    assert isinstance(result, FormatError), result
    # the first event read brings in the block of entries 0-1
    assert str(result) == (f"{path}: reading entries 0–1: nTrack says 5 tracks in entry 1 "
                           "but Track_pt has 1 value")


@FUZZ
@given(values=st.lists(VALUES, min_size=1, max_size=12), dtype=st.sampled_from(
    [np.float32, np.float64]))
def test_nonfinite_kinematics_are_dropped_and_counted(values, dtype):
    """NaN/inf/negative pt objects reach the event but sanitize drops exactly those."""
    flat = np.array(values, dtype=float).astype(dtype) if dtype == np.float64 else \
        _cast(np.array(values, dtype=float), dtype)
    n = len(flat)
    jag = ak.unflatten(flat, [n])
    good = ak.unflatten(np.zeros(n, dtype=dtype), [n])
    cols = {"run": np.ones(1, np.int64), "luminosityBlock": np.ones(1, np.int64),
            "event": np.ones(1, np.int64),
            "Muon": ak.zip({"pt": jag, "eta": good, "phi": ak.unflatten(flat[::-1], [n]), "mass": good,
                            "charge": ak.values_astype(good, np.int32)})}
    _write(cols)
    result = run_case("kinematics", None, ".root", path=WORK_DIR / "case.root")
    assert isinstance(result, dict), result
    from collider_viz.physics.sanitize import drop_nonfinite

    muons = result["events"][0]["muons"]
    assert np.allclose(ak.to_numpy(muons.pt), flat, equal_nan=True)
    expected_bad = int(np.sum(~np.isfinite(flat) | (flat < 0) | ~np.isfinite(flat[::-1])))
    _, dropped = drop_nonfinite(result["events"][0])
    assert dropped.get("muons", 0) == expected_bad


def test_events_with_zero_and_a_million_tracks():
    """An empty event and a 10^6-track event read; helix_paths handles 10^6 tracks."""
    import time

    from collider_viz.physics.helix import helix_paths

    rng = np.random.default_rng(7)
    counts = np.array([0, 1_000_000, 0])
    total = int(counts.sum())
    track = {k: ak.unflatten(v.astype(np.float32), counts) for k, v in {
        "pt": rng.exponential(1.0, total) + 0.2, "eta": rng.uniform(-2.5, 2.5, total),
        "phi": rng.uniform(-np.pi, np.pi, total), "charge": rng.choice([-1.0, 1.0], total),
        "vx": np.zeros(total), "vy": np.zeros(total), "vz": rng.normal(0, 5, total)}.items()}
    cols = {"run": np.ones(3, np.int64), "luminosityBlock": np.ones(3, np.int64),
            "event": np.arange(3, dtype=np.int64), "Track": ak.zip(track)}
    _write(cols, "million.root")
    result = run_case("million-tracks", None, ".root", path=WORK_DIR / "million.root")
    assert isinstance(result, dict), result
    assert list(result["counts"]["tracks"]) == [0, 1_000_000, 0]
    assert len(result["events"][0]["tracks"]) == 0
    with exercise_event(WORK_DIR / "million.root", 1) as tracks:
        start = time.perf_counter()
        paths = helix_paths(tracks.pt, tracks.eta, tracks.phi, tracks.charge, tracks.vx,
                            tracks.vy, tracks.vz, field_t=3.8, r_max=1.2, z_max=3.0, n_points=8)
        elapsed = time.perf_counter() - start
    assert len(paths) == 1_000_000 and np.isfinite(paths.points).all()
    assert elapsed < 20.0, f"helix_paths took {elapsed:.1f} s for 10^6 tracks"


class exercise_event:  # noqa: N801 - used as a context manager
    """Open ``path`` and yield the tracks of entry ``i``."""

    def __init__(self, path, i):
        from collider_viz.io.registry import open_events

        self.src = open_events(path)
        self.i = i

    def __enter__(self):
        return self.src[self.i]["tracks"]

    def __exit__(self, *exc):
        self.src.close()
