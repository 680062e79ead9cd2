"""Format detection: ask every registered reader, most specific first."""

from __future__ import annotations

import os
from typing import Any

from collider_viz.errors import ColliderVizError, FormatError
from collider_viz.io.base import EventSource, Reader

_READERS: list[type[Reader]] = []


def register(cls: type[Reader]) -> type[Reader]:
    """Class decorator adding a reader to the detection list."""
    _READERS.append(cls)
    _READERS.sort(key=lambda r: -r.priority)
    return cls


def readers() -> list[type[Reader]]:
    """All registered readers, in the order they are asked."""
    _load_builtin()
    return list(_READERS)


def _load_builtin() -> None:
    # Importing the modules registers their readers.
    from collider_viz.io import formats  # noqa: F401


def _is_url(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def open_root(path: str) -> Any:
    """Open a ROOT file with uproot, turning failures into :class:`FormatError`."""
    import uproot

    if not _is_url(path) and not os.path.exists(path):
        raise FormatError(path, "no such file")
    try:
        return uproot.open(path)
    except Exception as exc:  # uproot raises many types for a bad file
        raise FormatError(path, f"not a readable ROOT file ({type(exc).__name__}: "
                          f"{str(exc).splitlines()[0] if str(exc) else ''})",
                          "a ROOT file or a CMS iSpy .ig file") from None


def open_events(path: str | os.PathLike[str], mapping: str | os.PathLike[str] | None = None) -> EventSource:
    """Open a collider data file and return its :class:`EventSource`.

    The format is detected from the file's contents. Opening reads no event data.

    Parameters
    ----------
    path : str or path-like
        A local file or a URL (``http(s)://``, ``root://``).
    mapping : str or path-like, optional
        A TOML mapping file for formats collider_viz does not know.

    Raises
    ------
    FormatError
        The file is missing, unreadable, or of no known format.
    """
    path = os.fspath(path)
    _load_builtin()
    if mapping is not None:
        from collider_viz.io.formats.mapping import MappedReader

        return EventSource(MappedReader.from_file(path, os.fspath(mapping)))
    handle = None
    is_zip = False
    if not _is_url(path):
        if not os.path.exists(path):
            raise FormatError(path, "no such file")
        if os.path.isdir(path):
            raise FormatError(path, "is a directory", "a ROOT or .ig file")
        with open(path, "rb") as fh:
            magic = fh.read(4)
        is_zip = magic[:2] == b"PK"
        if not is_zip and magic != b"root":
            found = "an empty file" if not magic else f"a file starting with {magic!r}"
            raise FormatError(path, f"not a ROOT file: found {found}",
                              "a ROOT file (magic 'root') or a CMS iSpy .ig zip")
    if not is_zip:
        handle = open_root(path)
    for cls in _READERS:
        try:
            ok = cls.sniff(path, handle)
        except ColliderVizError:
            raise
        except Exception:
            ok = False
        if ok:
            return EventSource(cls(path, handle))
    raise FormatError(path, f"no known event format; found {_describe(handle)}",
                      "CMS NanoAOD, HEP-tutorial, dimuon, POET, HiForest, ALICE VSD, iSpy or "
                      "collider_viz sample trees (or pass a --mapping TOML)")


def _describe(handle: Any) -> str:
    if handle is None:
        return "a zip archive without iSpy events"
    keys = handle.keys(cycle=False)
    if not keys:
        return "no objects in the file"
    shown = ", ".join(keys[:6])
    return f"objects {shown}" + (" ..." if len(keys) > 6 else "")
