"""Dark (black, for the lecture hall) and light (white, for print) themes.

A theme is applied to the Qt palette of the whole application (Fusion
style) and, by the window, to the canvas with ``EventCanvas.set_theme``.
"""

from __future__ import annotations

from PyQt6.QtGui import QColor, QPalette
from PyQt6.QtWidgets import QApplication, QStyleFactory

THEMES = ("dark", "light")

_ROLES = QPalette.ColorRole
_DARK = {
    _ROLES.Window: "#1b1d21",
    _ROLES.WindowText: "#e6e6e6",
    _ROLES.Base: "#111316",
    _ROLES.AlternateBase: "#202328",
    _ROLES.ToolTipBase: "#2a2d33",
    _ROLES.ToolTipText: "#f0f0f0",
    _ROLES.Text: "#e6e6e6",
    _ROLES.Button: "#2a2d33",
    _ROLES.ButtonText: "#e6e6e6",
    _ROLES.BrightText: "#ff5555",
    _ROLES.Highlight: "#2f7fd8",
    _ROLES.HighlightedText: "#ffffff",
    _ROLES.Link: "#5aa9ff",
    _ROLES.PlaceholderText: "#80858f",
    _ROLES.Mid: "#3a3e45",
    _ROLES.Dark: "#0d0e10",
    _ROLES.Light: "#3c4048",
}
_LIGHT = {
    _ROLES.Window: "#f4f4f4",
    _ROLES.WindowText: "#1a1a1a",
    _ROLES.Base: "#ffffff",
    _ROLES.AlternateBase: "#f0f2f5",
    _ROLES.ToolTipBase: "#ffffee",
    _ROLES.ToolTipText: "#1a1a1a",
    _ROLES.Text: "#1a1a1a",
    _ROLES.Button: "#e9e9e9",
    _ROLES.ButtonText: "#1a1a1a",
    _ROLES.BrightText: "#c00000",
    _ROLES.Highlight: "#2f7fd8",
    _ROLES.HighlightedText: "#ffffff",
    _ROLES.Link: "#1060c0",
    _ROLES.PlaceholderText: "#8a8a8a",
    _ROLES.Mid: "#c8c8c8",
    _ROLES.Dark: "#a0a0a0",
    _ROLES.Light: "#ffffff",
}


def palette(theme: str) -> QPalette:
    """Return the Qt palette of ``theme`` (``"dark"`` or ``"light"``)."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; expected one of {', '.join(THEMES)}")
    pal = QPalette()
    for role, colour in (_DARK if theme == "dark" else _LIGHT).items():
        pal.setColor(role, QColor(colour))
    disabled = QColor("#6b6f78") if theme == "dark" else QColor("#9a9a9a")
    for role in (_ROLES.Text, _ROLES.WindowText, _ROLES.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return pal


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch the application to the Fusion style with the palette of ``theme``."""
    if app.style() is None or app.style().name().lower() != "fusion":
        style = QStyleFactory.create("Fusion")
        if style is not None:
            app.setStyle(style)
    app.setPalette(palette(theme))


def other(theme: str) -> str:
    """The theme that ``T`` switches to from ``theme``."""
    return "light" if theme == "dark" else "dark"
