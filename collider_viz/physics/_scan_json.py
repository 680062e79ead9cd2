"""The ``scan --json`` document, written as the scan goes, with numpy text building.

The document is ``{"candidates": [{"file", "entry", "run", "lumi", "event",
"mass"}, ...], "n_events": N, "histogram": {"edges": [...], "counts": [...]}}``
(unknown ids and masses are ``null``; masses in GeV rounded to 1e-6 GeV,
below the float32 precision of the files). Candidate rows are formatted a
batch at a time without a Python object per candidate: every field becomes
digits right-aligned with spaces (JSON whitespace) to the widest value of the
batch, in one ``uint8`` matrix with one row per candidate, written as is. Each part (one per worker process) is a
file of rows, each row led by ``",\\n"``; :func:`assemble` joins the parts
with the kernel's ``sendfile`` and drops the very first comma.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from typing import IO, Any

import numpy as np

_NULL = np.frombuffer(b"null", dtype=np.uint8)
_SPACE = ord(" ")
HEAD = b'{"candidates": ['
MASS_DECIMALS = 6


#: "00" .. "99" as 16-bit words: one table look-up writes two digits
_PAIRS = np.frombuffer(b"".join(b"%02d" % i for i in range(100)), dtype="<u2")


def _digits(x: np.ndarray, width: int) -> np.ndarray:
    """``(n, width)`` uint8 ASCII digits of the non-negative ``x``, zero-padded on the left."""
    even = width + (width & 1)
    out = np.empty((len(x), even), dtype=np.uint8)
    pairs = out.view("<u2")
    x = x.astype(np.uint64 if x.max(initial=0) >= 2**32 else np.uint32)
    for col in range(even // 2 - 1, -1, -1):
        x, rest = np.divmod(x, x.dtype.type(100))
        pairs[:, col] = _PAIRS[rest]
    return out[:, even - width:]


def int_text(values: np.ndarray, minus: np.ndarray | None = None) -> np.ndarray:
    """ASCII of int64 ``values``, right-aligned with spaces to the widest.

    Negative values are ``null`` (unknown ids); ``minus`` instead marks the
    values to print with a leading ``-``. Returns an ``(n, width)`` uint8 matrix.
    """
    v = np.asarray(values, dtype=np.int64)
    neg = v < 0
    x = np.maximum(v, 0)
    top = len(str(int(x.max(initial=0))))
    signed = minus is not None and bool(minus.any())
    width = max(top + signed, 4 if neg.any() else 1)
    out = _digits(x, width)
    if width > 1:  # leading zeros become spaces (x has ndig digits, at least one)
        ndig = np.searchsorted(10 ** np.arange(1, top, dtype=np.int64), x, side="right") + 1
        lead = np.arange(width) < (width - ndig)[:, None]
        out -= lead.view(np.uint8) << 4  # "0" (0x30) minus 0x10 is " " (0x20)
    if signed:
        rows = np.flatnonzero(minus)
        out[rows, width - 1 - ndig[rows]] = ord("-")  # signed: width > 1, so ndig is set
    if neg.any():
        out[neg] = _SPACE
        out[neg, -4:] = _NULL
    return out


def mass_text(mass: np.ndarray) -> np.ndarray:
    """ASCII of masses in fixed point (``MASS_DECIMALS``), right-aligned; ``null`` where not finite."""
    m = np.asarray(mass, dtype=np.float64)
    finite = np.isfinite(m) & (np.abs(m) < 1e12)
    q = np.rint(np.where(finite, m, 0.0) * 10**MASS_DECIMALS).astype(np.int64)
    scale = 10**MASS_DECIMALS
    rest = np.abs(q)
    whole = int_text(rest // scale, minus=q < 0)
    frac = _digits(rest % scale, MASS_DECIMALS)
    out = np.empty((len(m), whole.shape[1] + 1 + MASS_DECIMALS), dtype=np.uint8)
    out[:, :whole.shape[1]] = whole
    out[:, whole.shape[1]] = ord(".")
    out[:, whole.shape[1] + 1:] = frac
    bad = ~finite
    if bad.any():
        out[bad] = _SPACE
        out[bad, -4:] = _NULL
    return out


def rows_bytes(file_json: str, entry: np.ndarray, run: np.ndarray, lumi: np.ndarray,
               event: np.ndarray, mass: np.ndarray) -> bytes:
    """The JSON rows of one batch of candidates, each led by ``",\\n"``."""
    return rows_matrix(file_json, entry, run, lumi, event, mass).tobytes()


def rows_matrix(file_json: str, entry: np.ndarray, run: np.ndarray, lumi: np.ndarray,
                event: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """The rows of :func:`rows_bytes` as a C-contiguous ``(n, width)`` uint8 matrix.

    Every row is first filled with the constant text (one broadcast copy),
    then each field's digits are written into its columns.
    """
    n = len(entry)
    if n == 0:
        return np.zeros((0, 0), dtype=np.uint8)
    fields = [int_text(entry), int_text(run), int_text(lumi), int_text(event), mass_text(mass)]
    texts = [',\n{"file": ' + file_json + ', "entry": ', ', "run": ', ', "lumi": ',
             ', "event": ', ', "mass": ', "}"]
    template, slots = [], []
    for text, field in zip(texts, [*fields, None]):
        template.append(np.frombuffer(text.encode(), dtype=np.uint8))
        if field is not None:
            start = sum(len(t) for t in template)
            slots.append((start, field))
            template.append(np.zeros(field.shape[1], dtype=np.uint8))
    out = np.empty((n, sum(len(t) for t in template)), dtype=np.uint8)
    out[:] = np.concatenate(template)
    for start, field in slots:
        out[:, start:start + field.shape[1]] = field
    return out


class RowPart:
    """Rows of one part of a scan, appended to a file as batches finish.

    With ``header`` the file starts the document (``{"candidates": [``) and
    its first row has no leading comma: it becomes the output itself.
    """

    def __init__(self, path: str, header: bool = False) -> None:
        self.path, self.header = path, header
        self.fh: IO[bytes] = open(path, "wb")  # noqa: SIM115 - closed by close()
        self.has_rows = False
        if header:
            self.fh.write(HEAD)

    def __call__(self, file: str, entry: np.ndarray, run: np.ndarray, lumi: np.ndarray,
                 event: np.ndarray, mass: np.ndarray) -> None:
        rows = rows_matrix(json.dumps(file), entry, run, lumi, event, mass)
        if not rows.size:
            return
        data = memoryview(rows).cast("B")  # written as it is, without a copy
        if self.header and not self.has_rows:
            data = data[1:]  # the document's first row has no comma
        self.has_rows = True
        self.fh.write(data)

    def close(self) -> None:
        self.fh.close()


def tail_bytes(n_events: int, edges: Sequence[float], counts: Sequence[int]) -> bytes:
    """The end of the document after the candidate rows."""
    hist = json.dumps({"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]})
    return f'\n], "n_events": {int(n_events)}, "histogram": {hist}}}\n'.encode()


def assemble(out_fd: int, parts: Sequence[str], tail: bytes) -> None:
    """Write the document to ``out_fd``: head, the parts' rows in order, ``tail``."""
    os.write(out_fd, HEAD)
    first = True
    for path in parts:
        size = os.path.getsize(path)
        if size == 0:
            continue
        with open(path, "rb") as src:
            _copy(src.fileno(), out_fd, 1 if first else 0, size)
        first = False
    _write_all(out_fd, tail)


def _to_stream(stream: Any, parts: Sequence[str], tail: bytes) -> None:
    """The document on a text stream (stdout); a closed pipe ends it quietly."""
    try:
        stream.flush()
        try:
            fd = stream.fileno()
        except (OSError, ValueError, AttributeError):
            fd = None
        if fd is not None:
            assemble(fd, parts, tail)
            return
        text = [b'{"candidates": [']
        for i, path in enumerate(p for p in parts if os.path.getsize(p)):
            with open(path, "rb") as fh:
                text.append(fh.read()[0 if i else 1:])
        stream.write(b"".join([*text, tail]).decode())
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())


def _copy(src: int, dst: int, offset: int, size: int) -> None:
    while offset < size:
        try:
            sent = os.sendfile(dst, src, offset, size - offset)
        except OSError:
            os.lseek(src, offset, os.SEEK_SET)
            _write_all(dst, os.read(src, min(size - offset, 1 << 24)))
            sent = min(size - offset, 1 << 24)
        if sent == 0:
            raise OSError("short write")
        offset += sent


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class JsonRows:
    """The ``--json`` output of one scan: part files in a hidden folder, then one document.

    Parameters
    ----------
    out : str
        The output file, or ``"-"`` for stdout.
    """

    def __init__(self, out: str) -> None:
        self.out = out
        folder = None if out == "-" else (os.path.dirname(os.path.abspath(out)) or ".")
        name = "scan" if out == "-" else os.path.basename(out)
        self.folder = tempfile.mkdtemp(prefix=f".{name}.", suffix=".parts", dir=folder)
        self.paths: dict[int, str] = {}

    def part(self, k: int) -> RowPart:
        """The row sink of part ``k`` (called in the process that scans it)."""
        return RowPart(self._path(k), header=k == 0 and self.out != "-")

    def _path(self, k: int) -> str:
        return os.path.join(self.folder, f"{k:04d}.rows")

    def finish(self, result: Any, inputs: Sequence[str], force: bool) -> None:
        """Write the document: the parts in order, then the totals and the histogram.

        Part 0 becomes the output (the other parts are appended to it), so a
        one-process scan writes its rows once. A scan that made no parts (a
        Dask scheduler) has its rows written here from ``result``.
        """
        if not os.path.exists(self._path(0)):
            self._rows_from(result)
        parts = sorted(os.path.join(self.folder, p) for p in os.listdir(self.folder))
        tail = tail_bytes(result.n_events, result.edges, result.counts)
        if self.out == "-":
            _to_stream(sys.stdout, parts, tail)
            return
        from collider_viz.export.atomic import ExportError, check_target

        target = check_target(self.out, force, inputs)
        try:
            # Not O_APPEND: the kernel's sendfile refuses a file opened for appending.
            fd = os.open(parts[0], os.O_WRONLY)
            try:
                first = os.lseek(fd, 0, os.SEEK_END) == len(HEAD)
                for path in parts[1:]:
                    size = os.path.getsize(path)
                    if size:
                        with open(path, "rb") as src:
                            _copy(src.fileno(), fd, 1 if first else 0, size)
                        first = False
                _write_all(fd, tail)
            finally:
                os.close(fd)
            check_target(self.out, force, inputs)
            os.replace(parts[0], target)
        except OSError as exc:
            raise ExportError(f"{target}: cannot write ({exc.strerror or exc}); "
                              "nothing was written") from None

    def _rows_from(self, result: Any) -> None:
        """Part 0 from a finished result's columns (one batch of rows per file)."""
        sink = self.part(0)
        try:
            for i, name in enumerate(result.files):
                take = np.flatnonzero(result.file_index == i)
                sink(name, *(getattr(result, k)[take] for k in
                             ("entry", "run", "lumi", "event", "mass")))
        finally:
            sink.close()

    def discard(self) -> None:
        """Remove the part files."""
        shutil.rmtree(self.folder, ignore_errors=True)
