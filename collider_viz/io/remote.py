"""Event files over the network: ``http(s)://`` and ``root://`` URLs.

ROOT files are read in place with byte-range requests (uproot's own
:class:`uproot.source.http.HTTPSource`, which needs no extra package; ``root://``
needs the optional ``fsspec-xrootd``: ``pip install collider_viz[remote]``).
CMS iSpy ``.ig`` files are zips, which are downloaded in chunks to a temporary
file (with progress and cancel) and then read locally.

Every network operation has a timeout (:data:`DEFAULT_TIMEOUT` seconds, or the
environment variable ``COLLIDER_VIZ_TIMEOUT``); every failure is a one-line
:class:`~collider_viz.errors.FormatError` naming the URL.
"""

from __future__ import annotations

import dataclasses
import http.client
import importlib.util
import os
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from collider_viz.errors import FormatError
from collider_viz.io.base import EventSource, first_line

#: Seconds to wait for the server (connect, and each read) unless told otherwise.
DEFAULT_TIMEOUT = 30.0
#: Download block size in bytes.
CHUNK = 1 << 16
#: Largest ``.ig`` download accepted (bytes); protects against endless streams.
MAX_DOWNLOAD = 4 << 30
HTTP_SCHEMES = ("http", "https")
XROOTD_SCHEMES = ("root", "roots", "xroot", "xroots")
REMOTE_HINT = "pip install collider_viz[remote]"
#: ``progress(bytes_done, bytes_total_or_None)``
Progress = Callable[[int, "int | None"], None]


class Cancelled(FormatError):
    """The user cancelled a download (not a problem of the file)."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "download cancelled")


def default_timeout(timeout: float | None = None) -> float:
    """``timeout``, else ``$COLLIDER_VIZ_TIMEOUT``, else :data:`DEFAULT_TIMEOUT` (seconds)."""
    if timeout is not None:
        return float(timeout)
    try:
        return float(os.environ.get("COLLIDER_VIZ_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def network_error(url: str, exc: BaseException, timeout: float) -> FormatError:
    """A one-line :class:`FormatError` for a failed network operation."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, TimeoutError):
        return FormatError(url, f"no answer from the server within {timeout:g} s")
    if isinstance(exc, urllib.error.HTTPError):
        return FormatError(url, f"the server answered HTTP {exc.code} ({exc.reason})")
    if isinstance(exc, (ConnectionError, http.client.HTTPException)):
        return FormatError(url, f"the connection failed ({first_line(exc)})")
    return FormatError(url, f"could not be fetched ({first_line(exc)})")


def _scheme(url: str) -> str:
    scheme = urlparse(url).scheme.lower()
    if scheme not in HTTP_SCHEMES + XROOTD_SCHEMES:
        raise FormatError(url, f"unsupported URL scheme {scheme + '://'!r}",
                          "an http://, https:// or root:// URL")
    return scheme


def _http_source() -> type:
    """uproot's HTTPSource, also accepting an empty list of byte ranges (uproot 5.7 raises
    IndexError when every basket a read needs is embedded in the already-read TTree)."""
    import uproot

    class HTTPSource(uproot.source.http.HTTPSource):
        def chunks(self, ranges: list[tuple[int, int]], notifications: Any) -> list[Any]:
            return [] if not ranges else super().chunks(ranges, notifications)

    return HTTPSource


def open_root_url(url: str, timeout: float | None = None) -> Any:
    """Open a remote ROOT file with uproot (reads only its header).

    Raises
    ------
    FormatError
        Unsupported scheme, missing XRootD support, no answer within the timeout,
        or not a ROOT file.
    """
    import uproot

    seconds = default_timeout(timeout)
    if _scheme(url) in XROOTD_SCHEMES:
        if importlib.util.find_spec("fsspec_xrootd") is None:
            raise FormatError(url, "reading root:// URLs needs the optional XRootD support; "
                              f"install it with: {REMOTE_HINT}")
        options: dict[str, Any] = {"timeout": seconds}
    else:
        options = {"handler": _http_source(), "timeout": seconds,
                   "use_threads": False}
    try:
        return uproot.open({url: None}, **options)
    except Exception as exc:  # socket, http.client, uproot and fsspec errors
        if isinstance(exc, (OSError, http.client.HTTPException)):
            raise network_error(url, exc, seconds) from exc
        raise FormatError(url, f"not a readable ROOT file ({first_line(exc)})",
                          "a ROOT file or a CMS iSpy .ig file") from exc


def probe(url: str, timeout: float | None = None) -> bytes:
    """The first four bytes of ``url`` (one small range request)."""
    seconds = default_timeout(timeout)
    request = urllib.request.Request(url, headers={"Range": "bytes=0-3"})
    try:
        with urllib.request.urlopen(request, timeout=seconds) as response:
            return response.read(4)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise network_error(url, exc, seconds) from exc


def download(url: str, dest: str, timeout: float | None = None,
             progress: Progress | None = None, cancel: threading.Event | None = None) -> int:
    """Copy ``url`` to the local file ``dest`` in chunks; return the number of bytes.

    Raises
    ------
    Cancelled
        ``cancel`` was set.
    FormatError
        Timeout, HTTP error, a connection closed before the announced length,
        or more than :data:`MAX_DOWNLOAD` bytes.
    """
    seconds = default_timeout(timeout)
    try:
        with urllib.request.urlopen(url, timeout=seconds) as response, \
                open(dest, "wb") as out:
            return _copy(url, response, out, progress, cancel)
    except FormatError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise network_error(url, exc, seconds) from exc


def _copy(url: str, response: Any, out: Any, progress: Progress | None,
          cancel: threading.Event | None) -> int:
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    done = 0
    for _ in range(MAX_DOWNLOAD // CHUNK + 1):  # bounded: at most MAX_DOWNLOAD bytes
        if cancel is not None and cancel.is_set():
            raise Cancelled(url)
        block = response.read(CHUNK)
        if not block:
            break
        out.write(block)
        done += len(block)
        if progress is not None:
            progress(done, total)
    else:
        raise FormatError(url, f"larger than {MAX_DOWNLOAD >> 20} MiB; not downloaded")
    if total is not None and done < total:
        raise FormatError(url, f"the connection closed after {done} of {total} bytes")
    return done


def open_url(url: str, timeout: float | None = None, progress: Progress | None = None,
             cancel: threading.Event | None = None) -> EventSource:
    """Open an event file by URL (the GUI's File → Open URL).

    Parameters
    ----------
    url : str
        ``http(s)://`` (ROOT read in place, ``.ig`` downloaded) or ``root://``.
    timeout : float, optional
        Seconds to wait for the server (default :func:`default_timeout`).
    progress : callable, optional
        ``progress(bytes_done, bytes_total_or_None)`` during a download.
    cancel : threading.Event, optional
        Set it (from another thread) to stop a download with :class:`Cancelled`.

    Raises
    ------
    FormatError
        On any network problem or unknown content (one line, naming the URL).
    """
    from collider_viz.io.registry import detect

    if _scheme(url) in XROOTD_SCHEMES:
        return detect(url, open_root_url(url, timeout))
    if cancel is not None and cancel.is_set():
        raise Cancelled(url)
    magic = probe(url, timeout)
    if magic == b"root":
        return detect(url, open_root_url(url, timeout))
    if magic[:2] == b"PK":
        return _open_downloaded(url, timeout, progress, cancel)
    found = "an empty file" if not magic else f"a file starting with {magic!r}"
    raise FormatError(url, f"not a ROOT file: found {found}",
                      "a ROOT file (magic 'root') or a CMS iSpy .ig zip")


def _open_downloaded(url: str, timeout: float | None, progress: Progress | None,
                     cancel: threading.Event | None) -> EventSource:
    """Download a zip (``.ig``) to a temporary file and open it, naming the URL."""
    from collider_viz.io.registry import detect

    fd, tmp = tempfile.mkstemp(prefix="collider_viz-", suffix=".ig")
    os.close(fd)
    try:
        download(url, tmp, timeout, progress, cancel)
        source = detect(tmp, None)
    except FormatError as exc:
        if exc.path != tmp:
            raise
        raise FormatError(url, exc.problem, exc.expected) from exc
    finally:
        _remove(tmp)
    _rename(source, url)
    return source


def _remove(path: str) -> None:
    """Delete a temporary file (an open zip keeps reading it on POSIX)."""
    try:
        os.unlink(path)
    except OSError:  # still open on Windows: leave it to the temp cleaner
        pass


def _rename(source: EventSource, url: str) -> None:
    """Make the source (and its later errors) name the URL, not the temporary file."""
    reader = source.reader
    if hasattr(reader, "path"):
        reader.path = url
    reader.info = dataclasses.replace(reader.info, path=url)
