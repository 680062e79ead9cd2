"""Results files: the documented format, atomic rewrite, resume, and one clear line on bad input."""

from __future__ import annotations

import pytest

from collider_viz.errors import FormatError
from collider_viz.masterclass.records import (
    COLUMNS,
    FORMAT_LINE,
    Record,
    ResultsFile,
    read_records,
)


def test_write_resume_and_replace(tmp_path):
    path = tmp_path / "g1.csv"
    res = ResultsFile(path, group="g1")
    res.record(Record("/data/z.ig", 1, 10, 0, "mumu", (("muons", 0), ("muons", 1)), 91.1876))
    res.record(Record("/data/z.ig", 1, 11, 1, "zoo"))
    lines = path.read_text().splitlines()
    assert lines[0] == FORMAT_LINE and lines[1] == ",".join(COLUMNS)
    assert lines[2].startswith("z.ig,1,10,0,mumu,muons:0 muons:1,91.1876,g1,")
    again = ResultsFile(path)
    assert len(again) == 2 and again.get("z.ig", 0).mass == pytest.approx(91.1876)
    again.record(Record("z.ig", 1, 11, 1, "ee"))  # reclassified: replaces the row
    assert [r.category for r in read_records(path)] == ["mumu", "ee"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


@pytest.mark.parametrize(("text", "says"), [
    ("", "line 1"),
    ("run,event\n1,2\n", "line 1"),
    (FORMAT_LINE + "\nfile,run\n", "line 2"),
    (FORMAT_LINE + "\n" + ",".join(COLUMNS) + "\nz.ig,1,2,0,mumu,,91,g,t\nz.ig,1,2,x,mumu,,,g,t\n",
     "line 4: entry 'x'"),
    (FORMAT_LINE + "\n" + ",".join(COLUMNS) + "\nz.ig,1,2,0,higgs,,,g,t\n", "line 3: category"),
    (FORMAT_LINE + "\n" + ",".join(COLUMNS) + "\nz.ig,1,2,0,mumu,muons,,g,t\n", "line 3: objects"),
    (FORMAT_LINE + "\n" + ",".join(COLUMNS) + "\nz.ig,1,2,0,mumu,,-3,g,t\n", "line 3: mass_gev"),
    (FORMAT_LINE + "\n" + ",".join(COLUMNS) + "\nz.ig,1,2\n", "line 3: 3 columns"),
])
def test_bad_files_get_one_line(tmp_path, text, says):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(FormatError) as info:
        read_records(path)
    message = str(info.value)
    assert str(path) in message and says in message and "expected" in message
    assert "\n" not in message


def test_binary_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(FormatError, match="line 1"):
        read_records(path)
