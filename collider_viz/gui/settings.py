"""Persistent preferences, stored with :class:`QSettings`.

Everything the window remembers between sessions goes through
:class:`Preferences`: theme, last directory, recent files, visible
collections, thresholds, colour-by, line width, detector layers and the
window geometry. Tests inject a :class:`QSettings` backed by a temporary
INI file so that they never touch the user's settings.
"""

from __future__ import annotations

import json
from typing import Any

from PyQt6.QtCore import QByteArray, QSettings

ORGANISATION = "collider_viz"
APPLICATION = "collider_viz"
MAX_RECENT = 10


def default_settings() -> QSettings:
    """Return the user's settings store (organisation and app ``collider_viz``)."""
    return QSettings(ORGANISATION, APPLICATION)


class Preferences:
    """Typed access to the stored preferences.

    Parameters
    ----------
    settings : QSettings, optional
        The store; the user's default store when omitted.
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings if settings is not None else default_settings()

    # -- generic helpers -------------------------------------------------
    def _get(self, key: str, default: Any, kind: type) -> Any:
        value = self.settings.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    def _get_json(self, key: str, default: Any) -> Any:
        text = self.settings.value(key, "")
        if not text:
            return default
        try:
            return json.loads(str(text))
        except ValueError:
            return default

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
        return self._get("view/line_width", 2.0, float)

    @line_width.setter
    def line_width(self, value: float) -> None:
        self.settings.setValue("view/line_width", float(value))

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
        return float(self._get_json("view/thresholds", {}).get(name, default))

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
        if not isinstance(mapping, dict):
            mapping = {}
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
