"""The scan engine and ``collider-viz scan``: JSON schema, peaks, forked = local, no overwrite."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import awkward as ak
import numpy as np
import pytest

from collider_viz import cli
from collider_viz.errors import ColliderVizError
from collider_viz.physics.scan import Binning, scan_files

H_MASS = 125.0


def higgs_photons(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    """pt, eta, phi of the two photons of ``n`` H(125)→γγ decays, shape (2, n)."""
    pt_h, y, phi_h = rng.exponential(40.0, n), rng.normal(0.0, 1.2, n), rng.uniform(-np.pi, np.pi, n)
    mt = np.hypot(H_MASS, pt_h)
    p_h = np.stack([pt_h * np.cos(phi_h), pt_h * np.sin(phi_h), mt * np.sinh(y)])
    beta = p_h / (mt * np.cosh(y))
    cos_t, phi_d = rng.uniform(-1, 1, n), rng.uniform(-np.pi, np.pi, n)
    sin_t = np.sqrt(1 - cos_t**2)
    d = np.stack([sin_t * np.cos(phi_d), sin_t * np.sin(phi_d), cos_t]) * (H_MASS / 2)
    gamma = 1.0 / np.sqrt(1.0 - (beta**2).sum(0))
    out = []
    for sign in (1.0, -1.0):
        bp = (beta * sign * d).sum(0)
        coef = (gamma - 1) * bp / np.maximum((beta**2).sum(0), 1e-12) + gamma * H_MASS / 2
        p = sign * d + coef * beta
        pt = np.hypot(p[0], p[1])
        out.append((pt, np.arcsinh(p[2] / pt), np.arctan2(p[1], p[0])))
    return tuple(np.stack([out[0][i], out[1][i]]) for i in range(3))


def write_nano(path: Path, n: int = 3000, seed: int = 3, chunk: int = 1000) -> Path:
    """A small NanoAOD-like file: ~30 % H→γγ events on a falling photon background."""
    import uproot

    rng = np.random.default_rng(seed)
    with uproot.recreate(path) as f:
        tree = None
        for start in range(0, n, chunk):
            data = _nano_chunk(rng, start, min(chunk, n - start))
            if tree is None:
                types = {k: (v.type.content if isinstance(v, ak.Array) else v.dtype)
                         for k, v in data.items()}
                tree = f.mktree("Events", types)
            tree.extend(data)
    return path


def _nano_chunk(rng: np.random.Generator, start: int, n: int) -> dict:
    nbkg = rng.poisson(1.5, n)
    sig = rng.random(n) < 0.3
    m = int(nbkg.sum())
    pt = np.concatenate([15 + rng.exponential(20, m)])
    eta, phi = rng.uniform(-2.8, 2.8, m), rng.uniform(-np.pi, np.pi, m)
    hpt, heta, hphi = higgs_photons(rng, int(sig.sum()))
    ev_b = np.repeat(np.arange(n), nbkg)
    ev_s = np.repeat(np.flatnonzero(sig), 2)
    ev = np.concatenate([ev_b, ev_s])
    cols = [np.concatenate([a, b.T.ravel()]) for a, b in ((pt, hpt), (eta, heta), (phi, hphi))]
    order = np.lexsort((-cols[0], ev))
    counts = np.bincount(ev, minlength=n)
    photon = ak.zip({name: ak.unflatten(c[order].astype(np.float32), counts)
                     for name, c in zip(("pt", "eta", "phi"), cols)})
    photon = ak.with_field(photon, ak.zeros_like(photon.pt), "mass")
    photon = ak.with_field(photon, ak.unflatten(rng.random(len(ev)) < 0.9, counts), "mvaID_WP90")
    nmu = rng.poisson(0.5, n)
    muon = ak.zip({"pt": ak.unflatten(rng.exponential(15, nmu.sum()).astype(np.float32), nmu),
                   "eta": ak.unflatten(rng.uniform(-2.4, 2.4, nmu.sum()).astype(np.float32), nmu),
                   "phi": ak.unflatten(rng.uniform(-3, 3, nmu.sum()).astype(np.float32), nmu),
                   "charge": ak.unflatten(rng.choice([-1, 1], nmu.sum()).astype(np.int32), nmu)})
    return {"run": np.full(n, 1, np.int64), "luminosityBlock": (start + np.arange(n)) // 100,
            "event": start + np.arange(n, dtype=np.int64) + 1, "Photon": photon, "Muon": muon,
            "MET_pt": rng.exponential(20, n).astype(np.float32),
            "MET_phi": rng.uniform(-3, 3, n).astype(np.float32)}


@pytest.fixture(scope="module")
def nano(tmp_path_factory) -> Path:
    path = write_nano(tmp_path_factory.mktemp("scan") / "nano.root")
    from collider_viz import open_events

    try:
        open_events(path).close()
    except ColliderVizError as exc:
        pytest.skip(f"the NanoAOD reader cannot read the generated file yet: {exc}")
    return path


def test_scan_json_schema(nano, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert cli.main(["scan", str(nano), "--select", "hgg", "--json", str(out)]) == 0
    assert "hgg candidates" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert set(data) == {"n_events", "candidates", "histogram"}
    assert data["n_events"] == 3000
    cands = data["candidates"]
    assert 300 < len(cands) < 3000
    for cand in cands:
        assert set(cand) == {"file", "entry", "run", "lumi", "event", "mass"}
        assert cand["file"] == str(nano) and cand["event"] == cand["entry"] + 1
        assert cand["run"] == 1 and cand["lumi"] == cand["entry"] // 100
    entries = [c["entry"] for c in cands]
    assert entries == sorted(entries)
    hist = data["histogram"]
    assert len(hist["edges"]) == 81 and len(hist["counts"]) == 80
    assert hist["edges"][0] == 100 and hist["edges"][-1] == 180
    in_range = [c for c in cands if 100 <= c["mass"] < 180]
    assert sum(hist["counts"]) == len(in_range)
    peak = int(np.argmax(hist["counts"]))
    assert 120 <= hist["edges"][peak] < 130
    assert not list(tmp_path.glob(".collider-viz-*"))  # no temporary file left


def test_scan_json_to_stdout_is_one_object(nano, capsys):
    assert cli.main(["scan", str(nano), "--select", "hgg", "--filter", "120 < mass < 130",
                     "--bins", "10,120,130", "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(120 < c["mass"] < 130 for c in data["candidates"])
    assert sum(data["histogram"]["counts"]) == len(data["candidates"])
    assert len(data["histogram"]["counts"]) == 10


def test_filter_only_and_hist_image(nano, tmp_path, capsys):
    png = tmp_path / "m.png"
    assert cli.main(["scan", str(nano), "--filter", "nPhoton >= 3 and met > 10",
                     "--hist", str(png), "--step-size", "700"]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert "events passing the filter" in capsys.readouterr().out


@pytest.mark.parametrize("argv, words", [
    (["--select", "hgg", "--filter", "mass >"], "column 7"),
    (["--filter", "nMuon > 1", "--bins", "10,5"], "N,LO,HI"),
    ([], "--select"),
    (["--select", "hgg", "--hist", "x.gif"], "unknown image type"),
])
def test_errors_are_one_line_and_exit_2(nano, capsys, argv, words):
    assert cli.main(["scan", str(nano), *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_ctrl_c_exits_130_and_writes_nothing(nano, tmp_path, monkeypatch, capsys):
    import collider_viz.commands.scan as command

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "scan_files", interrupted)
    out = tmp_path / "never.json"
    assert cli.main(["scan", str(nano), "--select", "hgg", "--json", str(out)]) == 130
    assert not out.exists() and "Traceback" not in capsys.readouterr().err


def test_progress_cancel_and_step_independence(nano):
    seen = []
    full = scan_files([nano], "hgg", progress=lambda d, t: seen.append((d, t)), step=500)
    assert seen[-1] == (3000, 3000) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    other = scan_files([nano], "hgg", step=100_000)
    assert other.candidates() == full.candidates()
    assert np.array_equal(other.counts, full.counts)
    cancel = threading.Event()

    def stop_after_first(done, total):
        cancel.set()

    part = scan_files([nano], "hgg", step=500, progress=stop_after_first, cancel=cancel)
    assert part.cancelled and part.n_events == 1000  # the first batch: one 1000-entry basket
    assert part.candidates() == full.candidates()[:len(part)]


def test_candidate_objects_for_highlighting(nano):
    res = scan_files([nano], "hgg")
    cand = res.candidate(0)
    assert set(cand["objects"]) == {"photons"} and len(cand["objects"]["photons"]) == 2
    assert Binning.parse("80,100,180") == Binning(80, 100.0, 180.0)


def test_zmumu_peak_on_real_2010_data(opendata):
    path = opendata("cms_root/uproot-Zmumu.root")
    from collider_viz import open_events

    try:
        open_events(path).close()
    except ColliderVizError as exc:
        pytest.skip(f"dimuon reader not available yet: {exc}")
    res = scan_files([path], "zmumu")
    assert res.n_events == 500 and len(res) > 450  # one event per collision (500 in 2,304 rows)
    i = int(np.argmax(res.counts))
    centre = (res.edges[i] + res.edges[i + 1]) / 2
    assert abs(centre - 91.0) <= 2.0
    assert res.is_simulation is False and res.sqrt_s == 7000.0


def test_higgs_bump_in_the_diphoton_sample(sample):
    path = sample("higgs_diphoton_13TeV.root")
    res = scan_files([path], "hgg")
    assert len(res) > 0 and res.is_simulation
    counts = res.counts
    window = (res.edges[:-1] >= 120) & (res.edges[:-1] < 130)
    per_bin_in = counts[window].mean()
    per_bin_out = counts[~window].mean()
    assert per_bin_in > 2 * per_bin_out
    assert 120 <= res.edges[int(np.argmax(counts))] < 130


def test_forked_workers_give_identical_results(nano):
    local = scan_files([nano, nano], "hgg", filter="nPhoton >= 2", step=400)
    seen = []
    dist = scan_files([nano, nano], "hgg", filter="nPhoton >= 2", step=400, workers=2,
                      progress=lambda d, t: seen.append((d, t)))
    assert dist.n_events == local.n_events == 6000
    assert dist.candidates() == local.candidates()
    assert np.array_equal(dist.counts, local.counts)
    assert np.array_equal(dist.histogram.view(flow=True), local.histogram.view(flow=True))
    assert {k: v.tolist() for k, v in dist.objects.items()} == \
        {k: v.tolist() for k, v in local.objects.items()}
    assert seen[-1] == (6000, 6000)


def test_progress_bar_draws_and_clears():
    import io

    from collider_viz.commands.scan import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(5, 10)
    assert stream.getvalue() == "\r[#####.....]  50.0%  5/10 events"
    bar.close()
    assert stream.getvalue().endswith("\r")


def test_merge_keeps_labels_when_first_part_has_no_candidates(nano):
    from collider_viz import open_events
    from collider_viz.physics.scan import ScanResult, scan_source

    with open_events(nano) as src:
        parts = [scan_source(src, "hgg", start=lo, stop=lo + 1) for lo in range(0, 40)]
    empty_first = next(i for i, p in enumerate(parts) if len(p) == 0)
    ordered = [parts[empty_first]] + [p for i, p in enumerate(parts) if i != empty_first]
    merged = ScanResult.merge(ordered, parts[0].histogram.copy().reset())
    assert len(merged) == sum(len(p) for p in parts)
    assert merged.axis_label == parts[0].axis_label != "mass [GeV]"
    assert merged.sqrt_s == parts[0].sqrt_s


def test_result_names_the_detector_of_the_file(sample):
    star = scan_files([sample("auau_200GeV_star.root")], filter="nTrack > 100")
    assert star.detector == "STAR" and len(star) > 0
    cms = scan_files([sample("higgs_4l_13TeV.root")], "h4l")
    assert cms.detector == "CMS"


def test_streamed_json_equals_the_result_with_one_and_two_processes(nano, tmp_path):
    docs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.json"
        assert cli.main(["scan", str(nano), str(nano), "--select", "hgg", "--step-size", "700",
                         "--workers", workers, "--json", str(out)]) == 0
        docs.append(json.loads(out.read_text()))
    assert docs[0] == docs[1]
    res = scan_files([nano, nano], "hgg", step=700)
    expected = res.candidates()
    got = docs[0]["candidates"]
    assert len(got) == len(expected) == len(res) and docs[0]["n_events"] == 6000
    assert [{k: c[k] for k in c if k != "mass"} for c in got] == \
        [{k: c[k] for k in c if k != "mass"} for c in expected]
    assert np.allclose([c["mass"] for c in got], [c["mass"] for c in expected], atol=1e-6)
    assert docs[0]["histogram"]["counts"] == res.counts.tolist()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w1.json", "w2.json"]  # no parts left


def test_json_rows_are_valid_json_for_unknown_ids_and_odd_masses():
    from collider_viz.physics._scan_json import rows_bytes

    entry = np.array([0, 7, 123456789012])
    ids = np.array([5, -1, 0])
    mass = np.array([125.0345678, np.nan, -0.25])
    text = rows_bytes(json.dumps('a "quoted" name'), entry, ids, ids, entry, mass).decode()
    rows = json.loads("[" + text[1:] + "]")
    assert [r["entry"] for r in rows] == [0, 7, 123456789012]
    assert [r["run"] for r in rows] == [5, None, 0]
    assert rows[0]["mass"] == pytest.approx(125.034568, abs=1e-9)
    assert rows[1]["mass"] is None and rows[2]["mass"] == -0.25
    assert rows[0]["file"] == 'a "quoted" name'


@pytest.mark.parametrize("option", ["--json", "--hist"])
def test_outputs_are_never_overwritten_without_force_nor_the_input(nano, tmp_path, option,
                                                                   capsys):
    suffix = ".json" if option == "--json" else ".png"
    existing = tmp_path / f"existing{suffix}"
    existing.write_bytes(b"keep me")
    before = nano.read_bytes()
    assert cli.main(["scan", str(nano), "--select", "hgg", option, str(existing)]) == 2
    assert existing.read_bytes() == b"keep me"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already exists" in err[0] and "--force" in err[0]
    link = tmp_path / f"link{suffix}"
    link.symlink_to(nano)
    for onto in (nano, link, nano.parent / ".." / nano.parent.name / nano.name):
        assert cli.main(["scan", str(nano), "--select", "hgg", option, str(onto), "--force"]) == 2
        assert "is the input file" in capsys.readouterr().err
    assert nano.read_bytes() == before
    assert cli.main(["scan", str(nano), "--select", "hgg", option, str(existing),
                     "--force"]) == 0
    assert existing.read_bytes() != b"keep me"


@pytest.mark.parametrize("bins, words", [("1000000000,0,200", "1,000,000,000 bins"),
                                         ("10,0,1e308", "1e+308 GeV"),
                                         ("10,0,inf", "expected N,LO,HI"),
                                         ("1e7", "expected N,LO,HI")])
def test_bins_beyond_the_limits_are_one_line(nano, bins, words, capsys):
    assert cli.main(["scan", str(nano), "--select", "hgg", f"--bins={bins}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0]


def test_batches_end_on_basket_boundaries():
    from collider_viz.physics.scan import batch_ranges

    baskets = np.arange(0, 1_000_001, 250_000)
    assert batch_ranges(0, 1_000_000, 200_000, baskets) == \
        [(0, 250_000), (250_000, 500_000), (500_000, 750_000), (750_000, 1_000_000)]
    small = batch_ranges(100, 10_000, 1000, np.arange(0, 10_001, 64))
    assert all(hi % 64 == 0 for _, hi in small[:-1]) and small[-1][1] == 10_000
    assert batch_ranges(0, 1000, 300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]
    huge = batch_ranges(0, 10_000, 1000, np.array([0, 10_000]))
    assert max(hi - lo for lo, hi in huge) <= 2000


@pytest.mark.parametrize("preset", ["hgg", "zmumu", "zee", "jpsi"])
def test_fast_pair_path_is_bit_identical_to_the_preset(nano, preset):
    from collider_viz.io.registry import open_events
    from collider_viz.physics import _scan_pairs
    from collider_viz.physics.selections import PRESETS

    sel = PRESETS[preset]
    assert _scan_pairs.handles(sel)
    samples = Path(__file__).resolve().parents[1] / "sample_events"
    files = [nano, *[p for p in (samples / "higgs_diphoton_13TeV.root",
                                 samples / "higgs_4l_13TeV.root") if p.is_file()]]
    for path in files:
        with open_events(str(path)) as src:
            if sel.collection not in src.available:
                continue
            batch = src.read(0, len(src), [sel.collection], {sel.collection: sel.extra_fields.get(
                sel.collection, ())})
            ref, fast = sel.apply(batch), _scan_pairs.apply(sel, batch)
            assert np.array_equal(ref.passed, fast.passed)
            assert np.array_equal(ref.mass, fast.mass, equal_nan=True)
            assert ref.objects.keys() == fast.objects.keys()
            assert all(np.array_equal(ref.objects[k], fast.objects[k]) for k in ref.objects)


def test_best_pair_per_event_matches_the_reference_on_ties():
    from collider_viz.physics import _scan_pairs
    from collider_viz.physics import _selection_base as cb

    rng = np.random.default_rng(7)
    group = np.sort(rng.integers(0, 300, 2000))
    key = rng.integers(0, 4, 2000).astype(float)  # many ties inside a group
    assert np.array_equal(_scan_pairs._first_min_per_group(group, key),
                          cb.best_per_group(group, key))


def test_json_without_streamed_parts_is_written_from_the_result(nano, tmp_path):
    """The --scheduler path: no part was streamed, the rows come from the merged result."""
    from collider_viz.physics._scan_json import JsonRows

    res = scan_files([nano], "hgg")
    out = tmp_path / "sched.json"
    rows = JsonRows(str(out))
    try:
        rows.finish(res, [str(nano)], force=False)
    finally:
        rows.discard()
    doc = json.loads(out.read_text())
    assert [c["entry"] for c in doc["candidates"]] == res.entry.tolist()
    assert doc["n_events"] == 3000 and os.listdir(tmp_path) == ["sched.json"]


@pytest.mark.parametrize("workers", [1, 2])
def test_keep_rows_keeps_a_true_prefix_and_every_count(nano, workers):
    full = scan_files([nano, nano], "hgg", step=700)
    some = scan_files([nano, nano], "hgg", step=700, workers=workers, keep_rows=7)
    assert len(some) == len(full) > 100 and some.n_events == full.n_events
    assert np.array_equal(some.histogram.view(flow=True), full.histogram.view(flow=True))
    kept = len(some.entry)
    assert 7 <= kept < len(full) and some.n_dropped == len(full) - kept
    assert [some.candidate(i) for i in range(kept)] == [full.candidate(i) for i in range(kept)]
    with pytest.raises(ColliderVizError, match="only the first"):
        some.candidates()


def test_cli_summary_counts_every_candidate_with_few_rows_kept(nano, capsys):
    full = scan_files([nano], "hgg")
    assert cli.main(["scan", str(nano), "--select", "hgg"]) == 0
    out = capsys.readouterr().out
    assert f"{len(full):,} hgg candidates" in out
    assert f"... {len(full) - 5:,} more" in out
    assert f"entry {full.candidate(4)['entry']:>8}" in out


def test_json_parts_are_joined_by_the_kernel_not_copied_through_python(nano, tmp_path,
                                                                        monkeypatch):
    from collider_viz.physics import _scan_json

    sent, failed = [], []
    real = os.sendfile

    def counting(*args):
        try:
            n = real(*args)
        except OSError:
            failed.append(args)
            raise
        sent.append(n)
        return n

    monkeypatch.setattr(_scan_json.os, "sendfile", counting)
    out = tmp_path / "two.json"
    assert cli.main(["scan", str(nano), str(nano), "--select", "hgg", "--workers", "2",
                     "--json", str(out)]) == 0
    assert sent and not failed, "the second part was copied through Python (sendfile failed)"
    assert len(json.loads(out.read_text())["candidates"]) == len(scan_files([nano, nano], "hgg"))
