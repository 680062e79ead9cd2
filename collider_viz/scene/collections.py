"""Per-collection controls of :class:`~collider_viz.scene.EventCanvas`: visibility and cuts.

Cuts (pT/energy threshold, |η|, the display cap) only change which segments
of the already built geometry are drawn; the canvas then refreshes its
notices ("3 tracks with invalid kinematics skipped", "N of M tracks shown")
and the pT colour bar.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from collider_viz.scene.summary import notice_lines


def eta_limit(eta_max: float | None) -> float:
    """``eta_max`` as a float, ``inf`` for None (no cut)."""
    return np.inf if eta_max is None else float(eta_max)


class CollectionsMixin:
    """Visibility, cuts and counts of the collections of an ``EventCanvas``.

    Uses the canvas's ``layers``, ``_visible``, ``_thresholds``, ``_eta_cuts``,
    ``_caps``, ``notices``, ``colorbar``, ``_style``, ``view_name`` and
    ``_refresh_highlight``.
    """

    layers: dict[str, Any]
    _visible: dict[str, bool]
    _thresholds: dict[str, float]
    _eta_cuts: dict[str, float | None]
    _caps: dict[str, int | None]
    notices: Any
    colorbar: Any
    _style: Any
    view_name: str

    # ``_refresh_highlight`` comes from PickingMixin (a stub here would shadow it).
    _refresh_highlight: Any

    def set_collection_visible(self, name: str, visible: bool) -> None:
        """Show or hide a whole collection (kept for later events)."""
        self._visible[name] = bool(visible)
        if name in self.layers:
            self.layers[name].set_visible(visible)
            self._refresh_highlight()
            self._update_annotations()

    def set_threshold(self, name: str, value: float) -> None:
        """Draw only objects with pT (energy for ``calo``) >= ``value`` GeV."""
        self._thresholds[name] = float(value)
        if name in self.layers:
            self.layers[name].set_threshold(value)
            self._after_cut()

    def set_eta_cut(self, name: str, eta_max: float | None) -> None:
        """Draw only objects of ``name`` with |η| <= ``eta_max`` (None: no cut).

        Like the threshold this only changes which segments are drawn; no
        helix is recomputed.
        """
        self._eta_cuts[name] = None if eta_max is None else float(eta_max)
        if name in self.layers:
            self.layers[name].set_eta_cut(eta_limit(eta_max))
            self._after_cut()

    def set_max_tracks(self, cap: int | None) -> None:
        """Draw at most ``cap`` tracks, highest pT first (None: all); the canvas says so."""
        self._caps["tracks"] = None if cap is None else max(int(cap), 0)
        if "tracks" in self.layers:
            self.layers["tracks"].set_cap(self._caps["tracks"])
            self._after_cut()

    def _after_cut(self) -> None:
        self._refresh_highlight()
        self._update_annotations()

    def n_drawn(self, name: str) -> int:
        """Objects of collection ``name`` currently drawn (0 if absent or hidden)."""
        layer = self.layers.get(name)
        return layer.n_drawn() if layer is not None and layer.n else 0

    def n_passing(self, name: str) -> int:
        """Objects of ``name`` passing the cuts, before any display cap."""
        layer = self.layers.get(name)
        return int(layer.passing().sum()) if layer is not None and layer.n else 0

    def n_skipped(self, name: str) -> int:
        """Objects of ``name`` in the current event skipped for non-finite kinematics."""
        layer = self.layers.get(name)
        return layer.n_skipped() if layer is not None else 0

    def notice_lines(self) -> list[str]:
        """What the canvas says about objects not drawn (skipped, capped), bottom left."""
        return list(self.notices.lines)

    def _update_annotations(self) -> None:
        counts = {name: (layer.n_skipped(), layer.n_drawn(), int(layer.passing().sum()),
                         layer.cuts.cap) for name, layer in self.layers.items() if layer.n}
        notes = [line for layer in self.layers.values() if layer.n and layer.visible
                 for line in layer.notes()]
        self.notices.set_lines(notice_lines(counts) + notes)
        tracks = self.layers.get("tracks")
        self.colorbar.set_visible(self._style.color_by == "pt" and self.view_name != "lego"
                                  and tracks is not None and tracks.n_drawn() > 0)
