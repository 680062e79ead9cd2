"""ISA-L inflation really reaches uproot's basket reader and gives the same arrays."""

from __future__ import annotations

import numpy as np
import pytest

uproot = pytest.importorskip("uproot")
isal_zlib = pytest.importorskip("isal.isal_zlib")
ak = pytest.importorskip("awkward")

import uproot.compression as compression  # noqa: E402

from collider_viz.io import inflate  # noqa: E402


@pytest.fixture()
def zlib_file(tmp_path):
    """A NanoAOD-like photon file written with ZLIB baskets."""
    path = tmp_path / "z.root"
    rng = np.random.default_rng(5)
    counts = rng.integers(0, 4, 20_000)
    n = int(counts.sum())
    photons = ak.unflatten(ak.zip({
        "pt": (20 + rng.exponential(30, n)).astype(np.float32),
        "eta": rng.uniform(-2, 2, n).astype(np.float32),
        "phi": rng.uniform(-3, 3, n).astype(np.float32),
        "mass": np.zeros(n, np.float32)}), counts)
    with uproot.recreate(path, compression=uproot.ZLIB(4)) as f:
        data = {"Photon": photons, "run": np.ones(len(counts), np.uint32),
                "luminosityBlock": np.ones(len(counts), np.uint32),
                "event": np.arange(len(counts), dtype=np.uint64)}
        f.mktree("Events", {k: v.type.content if isinstance(v, ak.Array) else v.dtype
                            for k, v in data.items()})
        f["Events"].extend(data)
    return path


@pytest.fixture()
def calls(monkeypatch):
    """Start from zlib; count the buffers that reach ISA-L."""
    monkeypatch.setattr(compression._decompress_ZLIB, "library", "zlib", raising=False)
    seen: list[int] = []
    real = isal_zlib.decompress

    def counting(data, *args, **kwargs):
        seen.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(isal_zlib, "decompress", counting)
    return seen


def test_baskets_are_inflated_by_isal(zlib_file, calls):
    plain = uproot.open(zlib_file)["Events"]["Photon_pt"].array()
    assert not calls
    assert inflate.use_fast_inflate() == "isal"
    assert inflate.inflate_library() == "isal"
    fast = uproot.open(zlib_file)["Events"]["Photon_pt"].array()
    assert calls, "uproot did not call ISA-L"
    assert ak.all(plain == fast)


def test_scan_inflates_with_isal(zlib_file, calls):
    from collider_viz.physics.scan import scan_files

    result = scan_files([zlib_file], "hgg")
    assert result.n_events == 20_000
    assert calls, "the scan's baskets were inflated by zlib"


def test_files_written_afterwards_are_still_zlib_compressed(tmp_path, calls):
    inflate.use_fast_inflate()
    path = tmp_path / "w.root"
    with uproot.recreate(path, compression=uproot.ZLIB(1)) as f:
        f.mktree("t", {"x": np.float32}).extend({"x": np.zeros(100_000, np.float32)})
    branch = uproot.open(path)["t"]["x"]
    assert branch.basket_compressed_bytes(0) < branch.basket_uncompressed_bytes(0) / 10
    assert compression.ZLIB.library == "zlib"
