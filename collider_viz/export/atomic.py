"""Atomic file writing: a temporary file beside the target, then ``os.replace``.

A reader of the output directory never sees a half-written image or video:
the bytes go to a hidden temporary file in the same directory (so the final
rename stays on one file system) and only a complete file is renamed into
place. On any failure the temporary file is removed and a one-line
:class:`~collider_viz.errors.ColliderVizError` says what went wrong.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from collider_viz.errors import ColliderVizError


class ExportError(ColliderVizError):
    """An output file could not be written (exists, permission, disk full ...)."""


def check_target(path: str | os.PathLike[str], force: bool = False,
                 inputs: Sequence[str | os.PathLike[str]] = ()) -> Path:
    """Validate an output path before any work is done.

    Parameters
    ----------
    path : str or path-like
        The file to be written.
    force : bool
        Allow replacing an existing file.
    inputs : sequence of path-like
        Files the command reads: never written over, even with ``force``
        (compared by real path, so links and ``./`` spellings count).

    Returns
    -------
    Path
        The path as a :class:`~pathlib.Path`.

    Raises
    ------
    ExportError
        The file exists (without ``force``), is one of ``inputs``, or its
        directory is missing or not writable.
    """
    target = Path(path)
    _refuse_input(target, inputs)
    if target.is_dir():
        raise ExportError(f"{target}: is a directory; give a file name")
    if target.exists() and not force:
        raise ExportError(f"{target}: already exists (use --force to overwrite)")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"{parent}: output directory does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"{parent}: permission denied (cannot write {target.name})")
    return target


def _refuse_input(target: Path, inputs: Sequence[str | os.PathLike[str]]) -> None:
    real = os.path.realpath(target)
    for item in inputs:
        text = os.fspath(item)
        if "://" in text:
            continue
        same = os.path.realpath(text) == real
        if not same and target.exists() and os.path.exists(text):
            same = os.path.samefile(text, target)
        if same:
            raise ExportError(f"{target}: is the input file {text}; give another output name")


def _describe_os_error(target: Path, exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{target}: permission denied"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{target}: no space left on device; nothing was written"
    return f"{target}: cannot write ({exc.strerror or exc})"


@contextmanager
def atomic_path(path: str | os.PathLike[str], force: bool = False,
                inputs: Sequence[str | os.PathLike[str]] = ()) -> Iterator[Path]:
    """Yield a temporary path to write; rename it to ``path`` on success.

    The temporary file keeps the target's suffix so that writers which pick
    a format from the file name (imageio, Pillow) still work.

    Raises
    ------
    ExportError
        As :func:`check_target`, or when writing fails; no partial file is left.
    """
    target = check_target(path, force, inputs)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{target.suffix}",
                                        dir=target.parent if str(target.parent) else ".")
    except OSError as exc:
        raise ExportError(_describe_os_error(target, exc)) from None
    os.close(fd)
    tmp = Path(tmp_name)
    _ordinary_permissions(tmp)
    try:
        yield tmp
        if not force and target.exists():
            raise ExportError(f"{target}: appeared while writing (use --force to overwrite)")
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(_describe_os_error(target, exc)) from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _ordinary_permissions(path: Path) -> None:
    """Give a temporary file the mode a plain ``open()`` would (0666 less the umask).

    ``mkstemp`` creates files readable by the owner only; a picture for a
    lecture should be as readable as any other file the user writes.
    """
    umask = os.umask(0)
    os.umask(umask)
    try:
        path.chmod(0o666 & ~umask)
    except OSError:
        pass


def write_atomic(path: str | os.PathLike[str], writer: Callable[[Path], object],
                 force: bool = False) -> Path:
    """Call ``writer(tmp_path)`` and move the result to ``path`` atomically.

    Parameters
    ----------
    path : str or path-like
        Final file name.
    writer : callable
        Writes the complete file to the path it is given.
    force : bool
        Replace an existing file.

    Returns
    -------
    Path
        The written file.
    """
    with atomic_path(path, force) as tmp:
        writer(tmp)
    return Path(path)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`write_atomic`)."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data), force)


def write_text_atomic(path: str | os.PathLike[str], text: str, force: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`write_atomic`)."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), force)
