"""Bad inputs give one clear FormatError line, and ``collider-viz info`` exits 2."""

from __future__ import annotations

import shutil

import awkward as ak
import numpy as np
import pytest
import uproot

from collider_viz.cli import main
from collider_viz.errors import FormatError
from collider_viz.io.registry import open_events

NANO = "cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root"


def _text(tmp_path):
    path = tmp_path / "notes.root"
    path.write_text("run,event\n1,2\n")
    return path


def _empty(tmp_path):
    path = tmp_path / "zero.root"
    path.write_bytes(b"")
    return path


def _empty_nanoaod(tmp_path):
    path = tmp_path / "no_entries.root"
    with uproot.recreate(path) as f:
        f.mktree("Events", {"run": np.int64, "luminosityBlock": np.int64, "event": np.int64,
                            "nPhoton": np.int32, "Photon_pt": "var * float32",
                            "Photon_eta": "var * float32", "Photon_phi": "var * float32"})
    return path


def _empty_other_tree(tmp_path):
    path = tmp_path / "empty_tree.root"
    with uproot.recreate(path) as f:
        f.mktree("Stuff", {"x": np.float64})
    return path


def _counter_only(tmp_path):
    path = tmp_path / "counter_only.root"
    with uproot.recreate(path) as f:
        f.mktree("Events", {"run": np.int64, "luminosityBlock": np.int64, "event": np.int64,
                            "nPhoton": np.int32}).extend(
            {"run": np.ones(2, np.int64), "luminosityBlock": np.ones(2, np.int64),
             "event": np.arange(2, dtype=np.int64), "nPhoton": np.array([1, 2], np.int32)})
    return path


def _directory(tmp_path):
    return tmp_path


def _missing(tmp_path):
    return tmp_path / "does_not_exist.root"


CASES = {
    "text": (_text, "not a ROOT file"),
    "zero-length": (_empty, "empty file"),
    "empty NanoAOD tree": (_empty_nanoaod, "no entries"),
    "empty unknown tree": (_empty_other_tree, "no known event format"),
    "counter without fields": (_counter_only, "Photon_pt"),
    "directory": (_directory, "directory"),
    "nonexistent": (_missing, "no such file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_format_error(tmp_path, case):
    make, problem = CASES[case]
    path = make(tmp_path)
    with pytest.raises(FormatError) as err:
        open_events(path)
    message = str(err.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message
    if case not in ("directory", "nonexistent"):
        assert "expected" in message


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_info_exits_2(tmp_path, capsys, case):
    path = CASES[case][0](tmp_path)
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("collider-viz: error: ")
    assert "Traceback" not in err


def test_truncated_root_file(tmp_path, opendata, capsys):
    source = opendata(NANO)
    path = tmp_path / "truncated.root"
    with open(source, "rb") as fin, open(path, "wb") as fout:
        fout.write(fin.read(source.stat().st_size // 2))
    with pytest.raises(FormatError) as err:
        src = open_events(path)  # may open (directory in the first half) ...
        src.read(0, len(src))  # ... but reading must fail cleanly
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    assert main(["info", str(path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_copy_of_real_file_still_reads(tmp_path, opendata):
    path = tmp_path / "copy.root"
    shutil.copy(opendata(NANO), path)
    with open_events(path) as src:
        assert len(src) == 200


def test_nanoaod_without_photon_eta_draws_the_rest(tmp_path):
    path = tmp_path / "noeta.root"
    cols = {"run": np.ones(2, np.int64), "luminosityBlock": np.ones(2, np.int64),
            "event": np.arange(2, dtype=np.int64),
            "Photon": ak.zip({"pt": ak.Array([[1.0], []]), "phi": ak.Array([[0.5], []])}),
            "Jet": ak.zip({"pt": ak.Array([[30.0], [40.0]]), "eta": ak.Array([[0.1], [0.2]]),
                           "phi": ak.Array([[1.0], [2.0]]), "mass": ak.Array([[5.0], [6.0]])})}
    with uproot.recreate(path) as f:
        f.mktree("Events", {k: v.type if isinstance(v, ak.Array) else v.dtype
                            for k, v in cols.items()}).extend(cols)
    with open_events(path) as src:
        assert src.available == ("jets",)
        assert src.info.extra["incomplete"] == {"photons": "missing branch Photon_eta"}
        events = list(src)
        assert [len(e["jets"]) for e in events] == [1, 1] and "photons" not in events[0]


def test_damaged_basket_fails_cleanly_on_read(tmp_path):
    rng = np.random.default_rng(1)
    counts = rng.integers(0, 5, 2000)
    cols = {"run": np.ones(2000, np.int64), "luminosityBlock": np.ones(2000, np.int64),
            "event": np.arange(2000, dtype=np.int64)}
    for prefix in ("Photon", "Muon"):
        cols[prefix] = ak.zip({f: ak.unflatten(rng.normal(size=counts.sum()).astype(np.float32),
                                               counts) for f in ("pt", "eta", "phi")})
    path = tmp_path / "damaged.root"
    with uproot.recreate(path) as f:
        f.mktree("Events", {k: v.type if isinstance(v, ak.Array) else v.dtype
                            for k, v in cols.items()}).extend(cols)
    seek = int(uproot.open(path)["Events"]["Photon_pt"].member("fBasketSeek")[0])
    data = bytearray(path.read_bytes())
    data[seek + 80:seek + 300] = b"\xff" * 220
    path.write_bytes(bytes(data))
    with open_events(path) as src:  # opening reads no basket
        assert len(src.read(0, 2000, ["muons"]).collections["muons"]) == 2000
        with pytest.raises(FormatError, match=r"damaged\.root: could not read entries 0–1999 \(.*; the file may be truncated or corrupt"):
            src.read(0, 2000, ["photons"])
