"""Apply a replay fraction to an ``EventCanvas`` (see :mod:`collider_viz.export.replay`).

When the canvas offers ``set_replay_fraction(f)`` that is used. Otherwise the
replay is driven from the layers' own data: every ``LinePart`` of a layer in
:data:`GROWING` keeps its world vertices (``points``) and connect mask
(``base_connect``); the lines are cut at the common path length and pushed
with ``Part.update``; the other parts (calorimeter boxes, photon/electron
towers, jets, MET) are shown for the most energetic objects first. ``f = 1``
restores the full picture exactly (``Layer.refresh``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from collider_viz.export.replay import arc_lengths, clip_polylines, reveal_threshold, schedule

#: Collections whose lines grow outward from the vertex.
GROWING = ("tracks", "electrons", "muons", "photons")
#: Parts that are always shown (the primary vertex).
ALWAYS = ("vertices",)


class SceneReplay:
    """Replay controller bound to one canvas showing one event.

    Parameters
    ----------
    ec : EventCanvas
        The canvas, with its event already set (and view chosen).
    """

    def __init__(self, ec: Any) -> None:
        self.ec = ec
        self._saved: dict[str, bool] = {}
        self._lengths: dict[int, np.ndarray] = {}
        for layer in self._layers():
            for part in self._line_parts(layer):
                self._lengths[id(part)] = arc_lengths(part.points, part.base_connect)
        lengths = [s.max() for s in self._lengths.values() if len(s)]
        self.max_length = float(max(lengths)) if lengths else 0.0

    def _layers(self) -> list[Any]:
        return [layer for layer in getattr(self.ec, "layers", {}).values() if layer.n]

    @staticmethod
    def _line_parts(layer: Any) -> list[Any]:
        if layer.name not in GROWING:
            return []
        return [p for p in layer.parts if hasattr(p, "base_connect") and len(p.points)]

    def apply(self, fraction: float) -> None:
        """Show the collision at replay ``fraction`` (1 = the still picture)."""
        hook = getattr(self.ec, "set_replay_fraction", None)
        if callable(hook):
            hook(fraction)
            return
        self._show_highlight(fraction >= 1.0)
        if fraction >= 1.0:
            for layer in self._layers():
                self._reset_parts(layer)
                layer.refresh()
            return
        grow, reveal = schedule(fraction)
        for layer in self._layers():
            self._apply_layer(layer, grow * self.max_length, reveal)

    def _apply_layer(self, layer: Any, limit: float, reveal: float) -> None:
        mask = layer.mask()
        shown = layer.visible and layer.n > 0
        lines = self._line_parts(layer)
        if layer.name not in ALWAYS:
            floor = layer.threshold
            cut = reveal_threshold(layer.values, reveal, floor)
            lit = mask & (np.asarray(layer.values) >= cut)
        else:
            lit = mask
        for part in layer.parts:
            if part in lines:
                self._grow(layer, part, mask, limit, shown)
            else:
                part.update(layer.view, lit, layer.signs, shown)

    def _grow(self, layer: Any, part: Any, mask: np.ndarray, limit: float, shown: bool) -> None:
        full_points, full_connect = part.points, part.base_connect
        points, connect = clip_polylines(full_points, full_connect, self._lengths[id(part)], limit)
        part.points, part.base_connect, part._view = points, connect, None
        try:
            part.update(layer.view, mask, layer.signs, shown and bool(connect.any()))
        finally:
            part.points, part.base_connect, part._view = full_points, full_connect, None

    @staticmethod
    def _reset_parts(layer: Any) -> None:
        for part in layer.parts:
            part._view = None

    def _show_highlight(self, visible: bool) -> None:
        """Hide the candidate highlight while the replay runs; restore it at the end."""
        hl = getattr(self.ec, "highlighter", None)
        for name in ("line", "markers"):
            visual = getattr(hl, name, None)
            if visual is None:
                continue
            if not visible:
                self._saved.setdefault(name, bool(visual.visible))
                visual.visible = False
            elif name in self._saved:
                visual.visible = self._saved.pop(name)
