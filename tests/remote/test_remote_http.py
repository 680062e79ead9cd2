"""Files over http:// from a local server on 127.0.0.1 (no outside network)."""

from __future__ import annotations

import json
import threading
import time

import awkward as ak
import numpy as np
import pytest
from range_server import serve

from collider_viz.cli import main
from collider_viz.errors import FormatError
from collider_viz.io import remote
from collider_viz.io.registry import open_events

NANO = "cms_root/nanoAOD_2015_CMS_Open_Data_ttbar.root"
POET = "cms_root/poet_Run2012B_DoubleMuParked_100evts_tracks.root"
IG = "cms_ispy/4lepton.ig"


def _same(local, remote_event) -> None:
    assert local.counts() == remote_event.counts()
    assert (local.meta.run, local.meta.event) == (remote_event.meta.run, remote_event.meta.event)
    for name in local.collections:
        a, b = local[name], remote_event[name]
        for fld in ("pt", "eta", "phi", "x", "energy"):
            if fld in (a.fields or ()):
                np.testing.assert_array_equal(ak.to_numpy(a[fld]), ak.to_numpy(b[fld]))


@pytest.mark.parametrize("rel", [NANO, POET, IG])
def test_event_over_http_equals_local(opendata, rel):
    path = opendata(rel)
    with serve({"/" + path.name: path}) as server:
        url = f"{server.url}/{path.name}"
        with open_events(url, timeout=10) as src, open_events(path) as loc:
            assert src.path == url and src.info.path == url
            assert len(src) == len(loc) and src.format == loc.format
            for i in (0, len(loc) - 1):
                _same(loc[i], src[i])
        assert any(r[2].startswith("bytes=") for r in server.requests)


def test_sample_over_http_equals_local(sample):
    path = sample("higgs_4l_13TeV.root")
    with serve({"/s.root": path}) as server:
        with open_events(server.url + "/s.root", timeout=10) as src, open_events(path) as loc:
            assert src.info.sqrt_s == loc.info.sqrt_s
            _same(loc[3], src[3])


def test_multi_range_request_is_answered(opendata):
    """uproot may ask for several ranges at once (multipart/byteranges)."""
    path = opendata(NANO)
    data = path.read_bytes()
    with serve({"/n.root": path}) as server:
        handle = remote.open_root_url(server.url + "/n.root", timeout=5)
        chunks = handle.file.source.chunks([(0, 4), (100, 132), (1000, 1010)],
                                           notifications=__import__("queue").Queue())
        assert [c.raw_data.tobytes() for c in chunks] == [data[0:4], data[100:132],
                                                          data[1000:1010]]
        assert any("," in r[2] for r in server.requests)


def test_stalled_server_gives_a_clear_error_within_the_timeout(opendata):
    path = opendata(NANO)
    with serve({"/n.root": path}, mode="stall") as server:
        start = time.perf_counter()
        with pytest.raises(FormatError, match=r"no answer from the server within 2 s"):
            open_events(server.url + "/n.root", timeout=2)
        assert time.perf_counter() - start < 6


@pytest.mark.parametrize("after", [2, 3, 5])
def test_server_stalling_after_open_fails_cleanly(opendata, after):
    path = opendata(POET)
    with serve({"/p.root": path}, mode="stall", after=after) as server:
        start = time.perf_counter()
        with pytest.raises(FormatError) as err:
            with open_events(server.url + "/p.root", timeout=1) as src:
                src[0], src.reader.counts()
        message = str(err.value)
        assert message.startswith(server.url) and "\n" not in message
        assert "timed out" in message or "no answer" in message
        assert time.perf_counter() - start < 8


@pytest.mark.parametrize("rel,after", [(NANO, 1), (NANO, 2), (POET, 3), (IG, 1)])
def test_connection_closed_mid_transfer(opendata, rel, after):
    path = opendata(rel)
    with serve({"/f": path}, mode="cut", after=after) as server:
        with pytest.raises(FormatError) as err:
            with open_events(server.url + "/f", timeout=2) as src:
                src[0], src.reader.counts()
        message = str(err.value)
        assert message.startswith(server.url + "/f: ") and "\n" not in message


def test_missing_url_and_refused_connection(opendata):
    path = opendata(NANO)
    with serve({"/n.root": path}) as server:
        with pytest.raises(FormatError, match="HTTP 404"):
            open_events(server.url + "/nothing.root", timeout=2)
        port = server.server_address[1]
    with pytest.raises(FormatError, match="connection|no answer|fetched"):
        open_events(f"http://127.0.0.1:{port}/n.root", timeout=2)


def test_not_an_event_file_over_http(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with serve({"/notes.txt": text}) as server:
        with pytest.raises(FormatError, match="not a ROOT file"):
            open_events(server.url + "/notes.txt", timeout=2)


def test_ig_download_progress_and_cancel(opendata):
    path = opendata(IG)
    seen: list[tuple[int, int | None]] = []
    with serve({"/e.ig": path}) as server:
        src = remote.open_url(server.url + "/e.ig", timeout=5,
                              progress=lambda done, total: seen.append((done, total)))
        assert len(src) == 3 and src.path == server.url + "/e.ig"
        src.close()
        assert seen[-1] == (path.stat().st_size, path.stat().st_size)
        cancel = threading.Event()

        def progress(done: int, total: int | None) -> None:
            cancel.set()  # the user presses Cancel after the first chunk

        with pytest.raises(remote.Cancelled, match="download cancelled"):
            remote.open_url(server.url + "/e.ig", timeout=5, progress=progress, cancel=cancel)


def test_unsupported_scheme_and_missing_xrootd(monkeypatch):
    with pytest.raises(FormatError, match="unsupported URL scheme 'ftp://'"):
        open_events("ftp://example.org/x.root")
    monkeypatch.setattr(remote.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FormatError, match=r"pip install collider_viz\[remote\]") as err:
        open_events("root://eospublic.cern.ch//eos/opendata/x.root")
    assert "\n" not in str(err.value)


def test_timeout_default_and_environment(monkeypatch):
    monkeypatch.delenv("COLLIDER_VIZ_TIMEOUT", raising=False)
    assert remote.default_timeout() == remote.DEFAULT_TIMEOUT == 30.0
    monkeypatch.setenv("COLLIDER_VIZ_TIMEOUT", "4.5")
    assert remote.default_timeout() == 4.5 and remote.default_timeout(2) == 2.0


def test_info_cli_over_http(opendata, capsys):
    path = opendata(NANO)
    with serve({"/ttbar.root": path}) as server:
        url = server.url + "/ttbar.root"
        assert main(["info", url, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["file"] == url and summary["format"] == "nanoaod"
    assert summary["n_events"] == 200


def test_info_cli_stalled_server_exits_2(opendata, capsys, monkeypatch):
    monkeypatch.setenv("COLLIDER_VIZ_TIMEOUT", "1")
    path = opendata(NANO)
    with serve({"/ttbar.root": path}, mode="stall") as server:
        assert main(["info", server.url + "/ttbar.root", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("collider-viz: error: http://127.0.0.1:") and err.count("\n") == 1
