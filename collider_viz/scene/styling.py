"""Theme, colour mode, line width and pT colour range of :class:`~collider_viz.scene.EventCanvas`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from collider_viz.scene.style import (
    COLOR_MODES,
    PT_LOG_RANGE,
    PT_LOG_RANGE_HEAVY_ION,
    THEMES,
    Style,
)
from collider_viz.scene.summary import is_heavy_ion


class StyleMixin:
    """Style setters of an ``EventCanvas``.

    Uses the canvas's ``canvas``, ``layers``, ``outline``, ``view_name``,
    ``event``, ``lego_grid``, ``overlay``, ``notices``, ``colorbar``,
    ``_style``, ``_pt_range_fixed``, ``_refresh_highlight`` and
    ``_update_annotations``.
    """

    canvas: Any
    layers: dict[str, Any]
    outline: Any
    view_name: str
    event: Any
    lego_grid: Any
    overlay: Any
    notices: Any
    colorbar: Any
    _style: Style
    _pt_range_fixed: bool
    # These come from PickingMixin and CollectionsMixin (stubs here would shadow them).
    _refresh_highlight: Any
    _update_annotations: Any

    def set_theme(self, theme: str) -> None:
        """``"dark"`` (black background) or ``"light"`` (white, for print)."""
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; expected one of {', '.join(THEMES)}")
        self._restyle(replace(self._style, theme=theme))
        self.canvas.bgcolor = self._style.color("background")
        if self.outline is not None:
            self.outline.update(self.view_name, self._style)

    def set_color_by(self, mode: str) -> None:
        """Colour charged tracks by ``"charge"``, ``"pt"`` or ``"species"``."""
        if mode not in COLOR_MODES:
            raise ValueError(f"unknown colour mode {mode!r}; expected one of {', '.join(COLOR_MODES)}")
        self._restyle(replace(self._style, color_by=mode))

    def set_line_width(self, width: float) -> None:
        """Width of track lines in pixels."""
        self._restyle(replace(self._style, line_width=max(float(width), 1.0)))

    def _restyle(self, style: Style) -> None:
        self._style = style
        for layer in self.layers.values():
            layer.set_style(style)
        self.lego_grid.set_style(style)
        self.overlay.set_style(style)
        self.notices.set_style(style)
        self.colorbar.set_style(style)
        self._refresh_highlight()
        self._update_annotations()

    @property
    def style(self) -> Style:
        """Current theme, colour mode and line width."""
        return self._style

    def _auto_range(self, event: Any) -> None:
        """pT colour range for the event's collision system (unless set by the user)."""
        if self._pt_range_fixed or event is None:
            return
        heavy = is_heavy_ion(getattr(event, "info", None))
        log_range = PT_LOG_RANGE_HEAVY_ION if heavy else PT_LOG_RANGE
        if log_range != self._style.pt_range:  # the layers recolour in set_data anyway
            self._style = replace(self._style, pt_range=log_range)
            for layer in self.layers.values():
                layer.style = self._style
            self.colorbar.set_style(self._style)

    def set_pt_range(self, pt_min: float | None, pt_max: float | None = None) -> None:
        """pT (GeV) at the ends of the pT colour ramp; None: automatic.

        Automatic is 0.1–10 GeV for heavy-ion collisions, 0.1–100 GeV otherwise.
        """
        self._pt_range_fixed = pt_min is not None
        if pt_min is None:
            self._auto_range(self.event)
            self._restyle(self._style)
            return
        hi = pt_max if pt_max is not None else 100.0
        self._restyle(replace(self._style, pt_range=(float(np.log10(pt_min)), float(np.log10(hi)))))
