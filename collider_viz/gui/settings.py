"""Persistent preferences, stored with :class:`QSettings`.

Everything the window remembers between sessions goes through
:class:`Preferences`: theme, last directory, recent files, visible
collections, thresholds, colour-by, line width, detector layers and the
window geometry. Tests inject a :class:`QSettings` backed by a temporary
INI file so that they never touch the user's settings.

A damaged settings file never stops the program: a file that does not parse
is copied to ``<file>.corrupt-<timestamp>`` and replaced by defaults, and a
stored value that does not parse (bad JSON, wrong type) falls back to its
default; either way the user gets a warning (:attr:`Preferences.warnings`,
``on_warning``) and the log a line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QByteArray, QSettings

from collider_viz.gui.logging_setup import log_warning
from collider_viz.gui.settings_guard import back_up, file_problem, fresh_store, settings_file

ORGANISATION = "collider_viz"
APPLICATION = "collider_viz"
MAX_RECENT = 10
TIMEOUT_RANGE = (1.0, 600.0)


def default_settings() -> QSettings:
    """Return the user's settings store (organisation and app ``collider_viz``)."""
    return QSettings(ORGANISATION, APPLICATION)


class Preferences:
    """Typed access to the stored preferences.

    Parameters
    ----------
    settings : QSettings, optional
        The store; the user's default store when omitted.

    Attributes
    ----------
    warnings : list of str
        Problems found with the stored settings (damaged file, bad values).
    on_warning : callable or None
        Called with each new warning (the window shows it in the status bar).
    backup : Path or None
        Where the damaged settings file was copied, if it was.
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings if settings is not None else default_settings()
        self.warnings: list[str] = []
        self.on_warning: Callable[[str], None] | None = None
        self.backup: Path | None = None
        problem = file_problem(self.settings)
        if problem is not None:
            self._recover(problem)

    # -- damaged settings --------------------------------------------------
    def _recover(self, problem: str) -> None:
        path = settings_file(self.settings)
        self.backup = back_up(path) if path is not None else None
        self.settings = fresh_store(self.settings)
        kept = f"; the damaged file was kept as {self.backup}" if self.backup else ""
        self._warn(f"Settings file {path or self.settings.fileName()} was damaged "
                   f"({problem}); using default settings{kept}")

    def _bad_value(self, key: str, problem: str) -> None:
        path = settings_file(self.settings)
        if self.backup is None and path is not None:
            self.backup = back_up(path)
        self.settings.remove(key)
        kept = f" (a copy of the settings file was kept as {self.backup})" if self.backup else ""
        self._warn(f"Setting {key!r} was damaged ({problem}); using its default{kept}")

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log_warning(message)
        if self.on_warning is not None:
            self.on_warning(message)

    # -- generic helpers -------------------------------------------------
    def _get(self, key: str, default: Any, kind: type) -> Any:
        value = self.settings.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            self._bad_value(key, f"not a {kind.__name__}")
            return default

    def _get_json(self, key: str, default: Any) -> Any:
        text = self.settings.value(key, "")
        if not text:
            return default
        try:
            value = json.loads(str(text))
        except (TypeError, ValueError):
            self._bad_value(key, "not valid JSON")
            return default
        if not isinstance(value, type(default)):
            self._bad_value(key, f"a {type(value).__name__}, not a {type(default).__name__}")
            return default
        return value

    def _set_json(self, key: str, value: Any) -> None:
        self.settings.setValue(key, json.dumps(value))

    def sync(self) -> None:
        """Write pending changes to disk."""
        self.settings.sync()

    # -- simple values ---------------------------------------------------
    @property
    def theme(self) -> str:
        """``"dark"`` or ``"light"``."""
        value = self._get("view/theme", "dark", str)
        return value if value in ("dark", "light") else "dark"

    @theme.setter
    def theme(self, value: str) -> None:
        self.settings.setValue("view/theme", value)

    @property
    def last_directory(self) -> str:
        """Directory of the last file opened through the dialog."""
        return self._get("files/last_directory", "", str)

    @last_directory.setter
    def last_directory(self, value: str) -> None:
        self.settings.setValue("files/last_directory", value)

    @property
    def last_url(self) -> str:
        """The last URL opened through File → Open URL."""
        return self._get("files/last_url", "", str)

    @last_url.setter
    def last_url(self, value: str) -> None:
        self.settings.setValue("files/last_url", value)

    @property
    def network_timeout(self) -> float:
        """Seconds to wait for a server (``$COLLIDER_VIZ_TIMEOUT`` or 30 by default)."""
        from collider_viz.io.remote import default_timeout

        value = _number(self._get("files/network_timeout", default_timeout(), float), 30.0)
        return min(max(value, TIMEOUT_RANGE[0]), TIMEOUT_RANGE[1])

    @network_timeout.setter
    def network_timeout(self, value: float) -> None:
        self.settings.setValue("files/network_timeout", float(value))

    @property
    def color_by(self) -> str:
        """Track colouring: ``"charge"``, ``"pt"`` or ``"species"``."""
        value = self._get("view/color_by", "charge", str)
        return value if value in ("charge", "pt", "species") else "charge"

    @color_by.setter
    def color_by(self, value: str) -> None:
        self.settings.setValue("view/color_by", value)

    @property
    def line_width(self) -> float:
        """Line width of tracks in pixels."""
        return _number(self._get("view/line_width", 2.0, float), 2.0)

    @line_width.setter
    def line_width(self, value: float) -> None:
        self.settings.setValue("view/line_width", float(value))

    @property
    def export_dir(self) -> str:
        """Folder of the last picture or animation exported from the window ("" before the first)."""
        return self._get("files/export_dir", "", str)

    @export_dir.setter
    def export_dir(self, value: str) -> None:
        self.settings.setValue("files/export_dir", value)

    @property
    def pin_display(self) -> bool:
        """Keep cuts, visibility and colouring for the next file (default: a new file starts clean)."""
        return str(self.settings.value("view/pin_display", "false")).lower() in ("true", "1")

    @pin_display.setter
    def pin_display(self, value: bool) -> None:
        self.settings.setValue("view/pin_display", bool(value))

    def reset_display(self) -> None:
        """Forget the per-file choices: cuts, hidden collections and colouring."""
        self._set_json("view/thresholds", {})
        self._set_json("view/visible", {})
        self.settings.setValue("view/color_by", "charge")

    # -- recent files ----------------------------------------------------
    @property
    def recent_files(self) -> list[str]:
        """Most recently opened files, newest first."""
        value = self._get_json("files/recent", [])
        return [str(v) for v in value if isinstance(v, str)][:MAX_RECENT]

    def add_recent(self, path: str) -> None:
        """Put ``path`` at the top of the recent files."""
        files = [p for p in self.recent_files if p != path]
        self._set_json("files/recent", [path, *files][:MAX_RECENT])

    def clear_recent(self) -> None:
        """Forget the recent files."""
        self._set_json("files/recent", [])

    # -- per-collection and per-layer maps -------------------------------
    def visible(self, name: str, default: bool = True) -> bool:
        """Whether collection ``name`` is shown."""
        return bool(self._get_json("view/visible", {}).get(name, default))

    def set_visible(self, name: str, value: bool) -> None:
        """Remember whether collection ``name`` is shown."""
        self._update_map("view/visible", name, bool(value))

    def threshold(self, name: str, default: float = 0.0) -> float:
        """The pT (or energy) cut of collection ``name`` in GeV."""
        return _number(self._get_json("view/thresholds", {}).get(name, default), default)

    def set_threshold(self, name: str, value: float) -> None:
        """Remember the cut of collection ``name``."""
        self._update_map("view/thresholds", name, float(value))

    def layer_visible(self, subsystem: str, default: bool = True) -> bool:
        """Whether detector layer ``subsystem`` is shown."""
        return bool(self._get_json("view/layers", {}).get(subsystem, default))

    def set_layer_visible(self, subsystem: str, value: bool) -> None:
        """Remember whether detector layer ``subsystem`` is shown."""
        self._update_map("view/layers", subsystem, bool(value))

    def _update_map(self, key: str, name: str, value: Any) -> None:
        mapping = self._get_json(key, {})
        mapping[name] = value
        self._set_json(key, mapping)

    # -- window ----------------------------------------------------------
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """Saved ``(geometry, state)`` of the main window, None where absent."""
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        return (geometry if isinstance(geometry, QByteArray) else None,
                state if isinstance(state, QByteArray) else None)

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        """Store the main window's ``saveGeometry()`` and ``saveState()``."""
        self.settings.setValue("window/geometry", geometry)
        self.settings.setValue("window/state", state)


def _number(value: Any, default: float) -> float:
    """``value`` as a finite float, else ``default``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default
