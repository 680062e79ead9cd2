"""A small HTTP file server on 127.0.0.1 for the remote-file tests.

It serves files from a mapping ``{"/name": Path}`` and understands ``HEAD``,
``GET`` with one byte range (206 Partial Content) and several ranges (a
``multipart/byteranges`` answer, as uproot asks for). Misbehaviour for tests:

* ``stall``: accept the connection, read the request, never answer;
* ``cut``: announce the full length, send half the body, close the connection.

``after`` requests are served normally before the misbehaviour starts.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"(\d*)-(\d*)")
BOUNDARY = "collider_viz_test_boundary"


class RangeServer(ThreadingHTTPServer):
    """Threading HTTP server with the files and the behaviour of the tests."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, files: dict[str, Path], mode: str = "normal", after: int = 0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files = {k: Path(v).read_bytes() for k, v in files.items()}
        self.mode = mode
        self.after = after
        self.release = threading.Event()
        self.requests: list[tuple[str, str, str]] = []

    @property
    def url(self) -> str:
        """Base URL, ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.server_address[1]}"


def _ranges(header: str, size: int) -> list[tuple[int, int]]:
    """``bytes=a-b, c-d`` to half-open ``(start, stop)`` pairs within ``size``."""
    out = []
    for part in header.removeprefix("bytes=").split(","):
        match = _RANGE.fullmatch(part.strip())
        if not match:
            continue
        first, last = match.groups()
        if first == "":
            start, stop = max(size - int(last or 0), 0), size
        else:
            start, stop = int(first), min(int(last) + 1 if last else size, size)
        if start < stop:
            out.append((start, stop))
    return out


class _Handler(BaseHTTPRequestHandler):
    server: RangeServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass

    def _body(self) -> bytes | None:
        self.server.requests.append((self.command, self.path, self.headers.get("Range", "")))
        self.misbehave = len(self.server.requests) > self.server.after
        if self.server.mode == "stall" and self.misbehave:
            self.server.release.wait(timeout=30)  # bounded: the test releases it at the end
            self.close_connection = True
            return None
        data = self.server.files.get(self.path)
        if data is None:
            self.send_error(404)
        return data

    def do_HEAD(self) -> None:  # noqa: N802 - http.server naming
        data = self._body()
        if data is None:
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        data = self._body()
        if data is None:
            return
        ranges = _ranges(self.headers.get("Range", ""), len(data))
        if self.server.mode == "cut" and self.misbehave:
            self._cut(data, ranges)
        elif not ranges:
            self._send(200, data, {})
        elif len(ranges) == 1:
            start, stop = ranges[0]
            self._send(206, data[start:stop],
                       {"Content-Range": f"bytes {start}-{stop - 1}/{len(data)}"})
        else:
            self._multipart(data, ranges)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in {"Content-Type": "application/octet-stream", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _multipart(self, data: bytes, ranges: list[tuple[int, int]]) -> None:
        parts = []
        for start, stop in ranges:
            head = (f"--{BOUNDARY}\r\nContent-Type: application/octet-stream\r\n"
                    f"Content-Range: bytes {start}-{stop - 1}/{len(data)}\r\n\r\n")
            parts.append(head.encode() + data[start:stop] + b"\r\n")
        body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
        self._send(206, body, {"Content-Type": f"multipart/byteranges; boundary={BOUNDARY}"})

    def _cut(self, data: bytes, ranges: list[tuple[int, int]]) -> None:
        start, stop = ranges[0] if ranges else (0, len(data))
        self.send_response(206 if ranges else 200)
        if ranges:
            self.send_header("Content-Range", f"bytes {start}-{stop - 1}/{len(data)}")
        self.send_header("Content-Length", str(stop - start))
        self.end_headers()
        self.wfile.write(data[start:start + (stop - start) // 2])
        self.wfile.flush()
        self.close_connection = True


@contextmanager
def serve(files: dict[str, Path], mode: str = "normal", after: int = 0) -> Iterator[RangeServer]:
    """Run a :class:`RangeServer` in a thread for the duration of a ``with`` block."""
    server = RangeServer(files, mode, after)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
