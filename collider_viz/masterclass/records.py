"""The results file of one student or group: a CSV written atomically after every answer.

Format (version 1), UTF-8, one header comment line then a CSV header::

    # collider_viz masterclass results v1
    file,run,event,entry,category,objects,mass_gev,group,time
    masterclass_DoubleMu2016G_5.ig,278820,2143299549,0,mumu,muons:0 muons:1,91.18,group3,2026-...

``file`` is the event file's base name, ``run``/``event`` are empty where the
file has none, ``entry`` is the 0-based entry, ``category`` a code of
:mod:`.categories`, ``objects`` the picked ``collection:index`` pairs separated
by spaces, ``mass_gev`` their invariant mass (empty with fewer than two),
``group`` the student or group, ``time`` the UTC time of the answer (ISO 8601).
One row per event and file: classifying an event again replaces its row.

Every change rewrites the whole (small) file to a temporary file beside it,
``fsync``-ed, then ``os.replace``-d over the old one and the directory
``fsync``-ed: a crash leaves either the old or the new file, never a mix.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from collider_viz.errors import FormatError
from collider_viz.masterclass.categories import BY_CODE

FORMAT_LINE = "# collider_viz masterclass results v1"
COLUMNS = ("file", "run", "event", "entry", "category", "objects", "mass_gev", "group", "time")
#: results files beyond this are refused (a class's file is a few kB)
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Record:
    """One classified event (see the module docstring for the columns)."""

    file: str
    run: int | None
    event: int | None
    entry: int
    category: str
    objects: tuple[tuple[str, int], ...] = ()
    mass: float | None = None
    group: str = ""
    time: str = ""

    @property
    def key(self) -> tuple[str, int]:
        """Which event of which file this answers (one row each per results file)."""
        return (self.file, self.entry)

    @property
    def event_id(self) -> tuple:
        """The collision, across groups: (run, event) where known, else (file, entry)."""
        if self.run is not None and self.event is not None:
            return ("id", self.run, self.event)
        return ("entry", self.file, self.entry)

    def row(self) -> list[str]:
        """The CSV cells."""
        objects = " ".join(f"{n}:{i}" for n, i in self.objects)
        mass = "" if self.mass is None else f"{self.mass:.4f}"
        return [self.file, _opt(self.run), _opt(self.event), str(self.entry), self.category,
                objects, mass, self.group, self.time]


def _opt(value: int | None) -> str:
    return "" if value is None else str(value)


def now() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def format_text(records: list[Record]) -> str:
    """The file's whole text."""
    buf = io.StringIO()
    buf.write(FORMAT_LINE + "\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(r.row() for r in records)
    return buf.getvalue()


def write_durable(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` by ``text`` atomically and durably (temp, fsync, replace, fsync dir)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _int(text: str, column: str, path: str, line: int, optional: bool = False) -> int | None:
    if text == "" and optional:
        return None
    try:
        return int(text)
    except ValueError:
        raise FormatError(path, f"line {line}: {column} {text!r} is not an integer",
                          "an integer" + (" or nothing" if optional else "")) from None


def _objects(text: str, path: str, line: int) -> tuple[tuple[str, int], ...]:
    out = []
    for part in text.split():
        name, _, index = part.partition(":")
        if not name or not index.isdigit():
            raise FormatError(path, f"line {line}: objects item {part!r}",
                              "collection:index pairs separated by spaces")
        out.append((name, int(index)))
    return tuple(out)


def _mass(text: str, path: str, line: int) -> float | None:
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise FormatError(path, f"line {line}: mass_gev {text!r}",
                          "a mass in GeV (a number >= 0) or nothing")
    return value


def parse_row(cells: list[str], path: str, line: int) -> Record:
    """One CSV row as a :class:`Record`; FormatError naming the file and line otherwise."""
    if len(cells) != len(COLUMNS):
        raise FormatError(path, f"line {line}: {len(cells)} columns",
                          f"{len(COLUMNS)} columns ({','.join(COLUMNS)})")
    f = dict(zip(COLUMNS, cells, strict=True))
    if f["category"] not in BY_CODE:
        raise FormatError(path, f"line {line}: category {f['category']!r}",
                          "one of " + ", ".join(BY_CODE))
    entry = _int(f["entry"], "entry", path, line)
    if entry is None or entry < 0 or not f["file"]:
        raise FormatError(path, f"line {line}: no file name or a negative entry",
                          "the event file's name and an entry >= 0")
    return Record(f["file"], _int(f["run"], "run", path, line, True),
                  _int(f["event"], "event", path, line, True), entry, f["category"],
                  _objects(f["objects"], path, line), _mass(f["mass_gev"], path, line),
                  f["group"], f["time"])


def read_records(path: str | os.PathLike[str]) -> list[Record]:
    """Every record of a results file.

    Raises
    ------
    FormatError
        One line naming the file, the line and what was expected (not a results file,
        another version, a damaged row, too large).
    """
    name = os.fspath(path)
    try:
        if os.path.getsize(name) > MAX_BYTES:
            raise FormatError(name, f"larger than {MAX_BYTES // 2**20} MiB",
                              "a masterclass results file")
        with open(name, encoding="utf-8", newline="") as fh:
            text = fh.read()
    except UnicodeDecodeError:
        raise FormatError(name, "line 1: not UTF-8 text", "a masterclass results CSV") from None
    except OSError as exc:
        raise FormatError(name, f"cannot read ({exc.strerror or exc})") from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != FORMAT_LINE:
        first = lines[0][:40] if lines else "(empty file)"
        raise FormatError(name, f"line 1: {first!r}", f"{FORMAT_LINE!r}")
    rows = list(csv.reader(lines[1:]))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise FormatError(name, "line 2: not the column header", ",".join(COLUMNS))
    return [parse_row(cells, name, number) for number, cells in enumerate(rows[1:], start=3)
            if cells]


class ResultsFile:
    """The results of one student or group, kept on disk after every change.

    Parameters
    ----------
    path : path-like
        The CSV; read (resumed) when it exists, created at the first answer otherwise.
    group : str
        Written into each new record.
    """

    def __init__(self, path: str | os.PathLike[str], group: str = "") -> None:
        self.path, self.group = Path(path), group
        self.records: dict[tuple[str, int], Record] = {}
        if self.path.exists():
            self.records = {r.key: r for r in read_records(self.path)}

    def __len__(self) -> int:
        return len(self.records)

    def get(self, file: str, entry: int) -> Record | None:
        """The answer already given for ``entry`` of event file ``file`` (base name or path)."""
        return self.records.get((os.path.basename(file), entry))

    def record(self, rec: Record) -> Record:
        """Store ``rec`` (replacing an earlier answer for the same event) and write the file."""
        rec = replace(rec, file=os.path.basename(rec.file), group=rec.group or self.group,
                      time=rec.time or now())
        self.records[rec.key] = rec
        self._write()
        return rec

    def forget(self, file: str, entry: int) -> None:
        """Remove the answer for ``entry`` of ``file`` (if any) and write the file."""
        if self.records.pop((os.path.basename(file), entry), None) is not None:
            self._write()

    def _write(self) -> None:
        write_durable(self.path, format_text(list(self.records.values())))
