"""Recognising a damaged settings file and keeping a copy of it.

A settings file can be damaged by a crash in mid-write, a full disk, a sync
tool or a hand edit. :func:`file_problem` says whether the INI file behind a
:class:`QSettings` is unusable (Qt's own ``FormatError``, bytes that are not
text, or lines that are not INI); :func:`back_up` copies it to
``settings.ini.corrupt-<timestamp>`` beside it so that nothing the user set is
lost, and :func:`fresh_store` gives an empty store on the same file.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from PyQt6.QtCore import QSettings

#: Bytes of a settings file inspected (window state is the largest value, a few KiB).
MAX_CHECK = 1 << 20


def settings_file(settings: QSettings) -> Path | None:
    """The file behind ``settings``, or None (Windows registry, not yet written)."""
    name = settings.fileName()
    if not name or not os.path.isfile(name):
        return None
    return Path(name)


def is_ini(settings: QSettings) -> bool:
    """True when the store is an INI file (always on Linux; macOS and Windows use plist/registry)."""
    native = settings.format() == QSettings.Format.NativeFormat
    return not native or sys.platform not in ("darwin", "win32")


def _line_problem(text: str) -> str | None:
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped[0] in ";#":
            continue
        section = stripped.startswith("[") and stripped.endswith("]")
        if not section and ("=" not in stripped or stripped.startswith(("[", "="))):
            return f"line {number} is not an INI section or key=value"
    return None


def file_problem(settings: QSettings) -> str | None:
    """Why the INI file of ``settings`` is unusable, or None when it looks sound."""
    if settings.status() == QSettings.Status.FormatError:
        return "Qt could not parse it"
    path = settings_file(settings)
    if path is None or not is_ini(settings):
        return None
    try:
        data = path.read_bytes()[:MAX_CHECK]
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if b"\x00" in data:
        return "it holds binary data"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "it is not UTF-8 text"
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return "it holds control characters"
    return _line_problem(text)


def back_up(path: Path) -> Path | None:
    """Copy ``path`` to ``<path>.corrupt-<timestamp>`` beside it; None when that fails."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for n in range(1, 100):
        if not target.exists():
            break
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        shutil.copy2(path, target)
    except OSError:
        return None
    return target


def fresh_store(settings: QSettings) -> QSettings:
    """An empty store on the same file as ``settings`` (the damaged file is removed).

    When the file cannot be removed the old store is emptied instead.
    """
    name, fmt = settings.fileName(), settings.format()
    try:
        os.remove(name)
    except OSError:
        settings.clear()
        return settings
    return QSettings(name, fmt)
