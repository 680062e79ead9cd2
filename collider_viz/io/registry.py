"""Format detection: ask every registered reader, most specific first."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from collider_viz.errors import ColliderVizError, FormatError
from collider_viz.io.base import (
    EventSource,
    Reader,
    first_line,
    is_network_error,
    read_error,
)

_READERS: list[type[Reader]] = []
#: The mapping ``open_events`` uses when none is passed (``scan --mapping``; see
#: :func:`set_default_mapping`).
_DEFAULT_MAPPING: str | None = None


def set_default_mapping(mapping: str | os.PathLike[str] | None) -> None:
    """Make every later :func:`open_events` without a ``mapping`` use this one (None: none).

    ``scan --mapping`` sets it once, before its worker processes fork, so that every
    file of the scan is read through the user's layout."""
    global _DEFAULT_MAPPING
    _DEFAULT_MAPPING = None if mapping is None else os.fspath(mapping)


def register(cls: type[Reader]) -> type[Reader]:
    """Class decorator adding a reader to the detection list."""
    _READERS.append(cls)
    _READERS.sort(key=lambda r: -r.priority)
    return cls


def readers() -> list[type[Reader]]:
    """All registered readers, in the order they are asked."""
    _load_builtin()
    return list(_READERS)


def _load_builtin(root: bool | None = None) -> None:
    """Import the built-in readers: of ROOT files (``root=True``), of other files
    (``False``) or all (``None``). Importing a module registers its readers."""
    from collider_viz.io import formats

    if root is None:
        formats.load_all()
    else:
        formats.load(formats.ROOT_MODULES if root else formats.OTHER_MODULES)


def _is_url(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def _local(path: str) -> str:
    """``file:///x/y.root`` becomes ``/x/y.root``; other paths are returned unchanged."""
    if path.startswith("file://"):
        from urllib.parse import unquote, urlparse

        return unquote(urlparse(path).path)
    return path


def open_root(path: str, timeout: float | None = None) -> Any:
    """Open a ROOT file (or URL) with uproot, turning failures into :class:`FormatError`."""
    if _is_url(path):
        from collider_viz.io.remote import open_root_url

        return open_root_url(path, timeout)
    import uproot

    path = _local(path)
    if not os.path.exists(path):
        raise FormatError(path, "no such file")
    try:
        return uproot.open(path)
    except Exception as exc:  # uproot raises many types for a bad file
        raise read_error(path, "the ROOT file's header", exc) from exc


def open_events(path: str | os.PathLike[str], mapping: str | os.PathLike[str] | None = None,
                timeout: float | None = None) -> EventSource:
    """Open a collider data file and return its :class:`EventSource`.

    The format is detected from the file's contents. Opening reads no event data.

    Parameters
    ----------
    path : str or path-like
        A local file or a URL (``http(s)://``, ``root://``; see :mod:`collider_viz.io.remote`).
    mapping : str or path-like, optional
        A TOML mapping file for formats collider_viz does not know.
    timeout : float, optional
        Network timeout in seconds for URLs (default
        :data:`collider_viz.io.remote.DEFAULT_TIMEOUT`).

    Raises
    ------
    FormatError
        The file is missing, unreadable, or of no known format.
    """
    path = _local(os.fspath(path))
    mapping = _DEFAULT_MAPPING if mapping is None else mapping
    if _is_url(path) and mapping is None:
        from collider_viz.io.remote import open_url

        return open_url(path, timeout)
    if mapping is not None:
        from collider_viz.io.formats.mapping import MappedReader

        return _checked(path, lambda: MappedReader.from_file(path, os.fspath(mapping)))
    if _is_url(path):
        _load_builtin()
    is_zip = False if _is_url(path) else _check_local(path)
    return detect(path, None if is_zip else open_root(path))


def _check_local(path: str) -> bool:
    """Check a local file before opening it; True for a zip (``.ig``), False for ROOT."""
    if not os.path.exists(path):
        raise FormatError(path, "no such file")
    if os.path.isdir(path):
        raise FormatError(path, "is a directory", "a ROOT or .ig file")
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise FormatError(path, f"cannot be read ({first_line(exc)})") from None
    if magic[:2] == b"PK":
        _load_builtin(root=False)
        return True
    if magic != b"root" and _claimed_without_root(path):  # JSON, CSV, text readers
        return True
    if magic != b"root":
        found = "an empty file" if not magic else f"a file starting with {magic!r}"
        raise FormatError(path, f"not a ROOT file: found {found}",
                          "a ROOT file (magic 'root') or a CMS iSpy .ig zip")
    return False


def _claimed_without_root(path: str) -> bool:
    """True when a reader of non-ROOT files (``sniff(path, None)``) claims ``path``."""
    _load_builtin(root=False)
    for cls in _READERS:
        try:
            if cls.sniff(path, None):
                return True
        except ColliderVizError:
            raise
        except Exception:  # noqa: S112 - a reader that cannot tell: ask the next one
            continue
    return False


def detect(path: str, handle: Any) -> EventSource:
    """Ask every reader about ``handle`` (an open uproot file, or None for a zip).

    Raises
    ------
    FormatError
        No reader knows the file, or the matching reader cannot open it.
    """
    _load_builtin(root=handle is not None)
    failure: Exception | None = None
    for cls in _READERS:
        try:
            ok = cls.sniff(path, handle)
        except ColliderVizError:
            raise
        except Exception as exc:  # a damaged directory: remember it, ask the others
            if is_network_error(exc):  # no point waiting for the server again
                raise read_error(path, "the file's directory", exc) from exc
            failure, ok = failure or exc, False
        if ok:
            return _checked(path, lambda cls=cls: cls(path, handle))
    if failure is not None:
        raise read_error(path, "the file's directory", failure) from failure
    raise FormatError(path, f"no known event format; found {_describe(path, handle)}",
                      "CMS NanoAOD, HEP-tutorial, dimuon, POET, HiForest, ALICE VSD, iSpy or "
                      "collider_viz sample trees (or pass a --mapping TOML)")


def _checked(path: str, make: Callable[[], Reader]) -> EventSource:
    """Build a reader and touch what opening promises (length, info, collections), so that
    a damaged file fails here with a one-line :class:`FormatError`."""
    try:
        reader = make()
        len(reader)
        _ = reader.info, reader.available
    except ColliderVizError:
        raise
    except Exception as exc:  # uproot, awkward, zipfile ... on a damaged file
        raise read_error(path, "the file's header", exc) from exc
    return EventSource(reader)


def _describe(path: str, handle: Any) -> str:
    if handle is None:
        return "a zip archive without iSpy events"
    try:
        keys = handle.keys(cycle=False)
    except Exception as exc:  # a damaged directory
        raise read_error(path, "the file's directory", exc) from exc
    if not keys:
        return "no objects in the file"
    shown = ", ".join(keys[:6])
    return f"objects {shown}" + (" ..." if len(keys) > 6 else "")
