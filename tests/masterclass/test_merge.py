"""Merging a class's results: known ratios and histogram counts, damaged files skipped, --dedupe."""

from __future__ import annotations

import pytest

from collider_viz.cli import main
from collider_viz.masterclass import combine
from collider_viz.masterclass.plot import image_array
from collider_viz.masterclass.records import FORMAT_LINE, Record, ResultsFile, read_records


def _class(tmp_path):
    """Three groups: 6 W+ and 3 W- (e: 4+1, mu: 2+2), Z peaks, two 4l, one shared event."""
    a = ResultsFile(tmp_path / "a.csv", "a")
    for i, (cat, m) in enumerate([("e+nu", None), ("e+nu", None), ("e-nu", None),
                                  ("mumu", 91.0), ("mumu", 90.5), ("4mu", 124.6)]):
        a.record(Record("f.ig", 1, 100 + i, i, cat, mass=m))
    b = ResultsFile(tmp_path / "b.csv", "b")
    for i, (cat, m) in enumerate([("e+nu", None), ("e+nu", None), ("mu+nu", None),
                                  ("mu-nu", None), ("ee", 89.9), ("2e2mu", 126.1)]):
        b.record(Record("g.ig", 2, 200 + i, i, cat, mass=m))
    c = ResultsFile(tmp_path / "c.csv", "c")
    c.record(Record("h.ig", 3, 300, 0, "mu+nu"))
    c.record(Record("h.ig", 3, 301, 1, "mu-nu"))
    c.record(Record("f.ig", 1, 103, 3, "mumu", mass=91.0))  # group a's event 103 again
    c.record(Record("h.ig", 3, 302, 2, "ee", mass=3.1))  # a J/psi
    return [tmp_path / n for n in ("a.csv", "b.csv", "c.csv")]


def test_known_ratios_and_counts(tmp_path):
    merged = combine.merge(_class(tmp_path))
    assert len(merged.records) == 16 and not merged.skipped
    wpm, emu = combine.ratios(merged.records)
    # W+: e 4 + mu 2 = 6; W-: e 1 + mu 2 = 3
    assert (wpm.numerator, wpm.denominator, wpm.value) == (6, 3, 2.0)
    assert wpm.error == pytest.approx(2.0 * (1 / 6 + 1 / 3) ** 0.5)
    # e: 5 W + 2 ee = 7; mu: 4 W + 3 mumu = 7
    assert (emu.numerator, emu.denominator) == (7, 7)
    f, err = wpm.fraction
    assert f == pytest.approx(6 / 9) and err == pytest.approx((6 / 9 * 3 / 9 / 9) ** 0.5)
    h = combine.histograms(merged.records)
    assert int(h["2l"].counts.sum()) == 5 and int(h["4l"].counts.sum()) == 2
    z_bin = h["2l"].bin_of(91.0)
    assert h["2l"].counts[z_bin] == 3  # 90.5, 91.0, 91.0 in the 90-92 bin
    assert sorted(r.group for r in h["2l"].members[z_bin]) == ["a", "a", "c"]
    once = combine.counted(merged.records, dedupe=True)
    assert len(once) == 15
    assert combine.histograms(once)["2l"].counts[z_bin] == 2
    assert combine.ratios(once)[1].denominator == 6


def test_cli_merge_skips_damaged_and_refuses_overwrite(tmp_path, capsys):
    paths = _class(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(FORMAT_LINE + "\nfile,run,event,entry,category,objects,mass_gev,group,time\n"
                   "f.ig,1,2,zero,mumu,,,g,t\n")
    foreign = tmp_path / "foreign.csv"
    foreign.write_text("Run,Event,M\n1,2,91\n")
    out, png = tmp_path / "class.csv", tmp_path / "class.png"
    args = ["masterclass", "merge", *map(str, paths), str(bad), str(foreign),
            "--out", str(out), "--plot", str(png)]
    assert main(args) == 0
    captured = capsys.readouterr()
    skipped = [ln for ln in captured.err.splitlines() if "skipped" in ln]
    assert len(skipped) == 2
    assert f"{bad}: line 3: entry 'zero'" in skipped[0] and "expected" in skipped[0]
    assert f"{foreign}: line 1" in skipped[1]
    assert "W+/W- = 2.00 ± 1.41 (6/3)" in captured.out
    assert len(read_records(out)) == 16
    image = image_array(png.read_bytes())
    assert image.shape[1] == 1800 and len({tuple(p) for p in image[::20, ::20].reshape(-1, 4)}) > 3
    assert main(args) == 2  # exists: refused without --force
    assert "already exists" in capsys.readouterr().err
    assert main([*args, "--force", "--dedupe"]) == 0
    assert "15 collisions counted once each" in capsys.readouterr().out


def test_no_readable_file(tmp_path, capsys):
    foreign = tmp_path / "foreign.csv"
    foreign.write_text("hello\n")
    assert main(["masterclass", "merge", str(foreign), "--out", str(tmp_path / "o.csv")]) == 1
    assert not (tmp_path / "o.csv").exists()
