"""Shared fixtures: where the real open data and the bundled samples live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_events"
# CI clones the project with shared/ beside it; a developer checkout has ../shared too.
_OPENDATA_CANDIDATES = [ROOT.parent / "shared" / "opendata", ROOT / "shared" / "opendata"]


def _opendata_dir() -> Path | None:
    for cand in _OPENDATA_CANDIDATES:
        if (cand / "README.md").exists():
            return cand
    return None


OPENDATA = _opendata_dir()


@pytest.fixture
def opendata():
    """Return a function ``(relative_path) -> Path`` into ../shared/opendata, skipping if absent."""

    def get(rel: str) -> Path:
        if OPENDATA is None:
            pytest.skip("../shared/opendata is not present beside the checkout (real-data test)")
        path = OPENDATA / rel
        if not path.exists():
            pytest.skip(f"real-data file {rel} is not in {OPENDATA}")
        return path

    return get


@pytest.fixture
def sample():
    """Return a function ``(name) -> Path`` into sample_events/, skipping if not generated."""

    def get(name: str) -> Path:
        path = SAMPLES / name
        if not path.exists():
            pytest.skip(f"sample {name} has not been generated (make samples)")
        return path

    return get


@pytest.fixture
def read_log(monkeypatch):
    """Names of the TTree branches whose baskets are read (spies on uproot)."""
    import uproot.behaviors.TBranch as tb

    log: list[str] = []
    real = tb._ranges_or_baskets_to_arrays

    def spy(hasbranches, ranges_or_baskets, *args, **kwargs):
        log.extend(branch.name for branch, _, _ in ranges_or_baskets)
        return real(hasbranches, ranges_or_baskets, *args, **kwargs)

    monkeypatch.setattr(tb, "_ranges_or_baskets_to_arrays", spy)
    return log
