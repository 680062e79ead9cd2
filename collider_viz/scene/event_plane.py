"""The event-plane layer: Ψ2 of a heavy-ion event drawn in the ρ-φ view (no Qt).

One ``Line`` visual: a double-headed arrow through the beam axis along the
second-order event plane Ψ2 of the tracks (:func:`collider_viz.physics.flow.event_plane`)
and, where the file has the generator's impact parameter ``b`` and reaction
plane ``psiRP`` (the samples' ``Collision_b`` / ``Collision_psiRP``), the almond
outline of the overlap of two hard-sphere nuclei, magnified from femtometres to
a fraction of the drawn radius (a schematic, not to scale).  Registered in
:data:`collider_viz.scene.canvas.BUILDERS` as ``"event_plane"``; drawn only in
ρ-φ and only for nucleus-nucleus files (nothing for pp).
"""

from __future__ import annotations

from typing import Any

import awkward as ak
import numpy as np

from collider_viz.physics import flow
from collider_viz.scene.layers import BuildContext, Layer
from collider_viz.scene.parts import LinePart
from collider_viz.scene.style import rgba
from collider_viz.scene.summary import is_heavy_ion

#: white on the dark theme, black on the light one: no collection of a heavy-ion event uses them
COLORS = {"dark": "#ffffff", "light": "#000000"}
WIDTH = 3.0
#: the arrow reaches this fraction of the detector's track end radius
RADIUS_FRACTION = 0.95
#: the nuclear radius (fm) is drawn at this fraction of the arrow's half-length
ALMOND_FRACTION = 0.4
#: hard-sphere radius of Au and Pb (fm): 1.2 A^(1/3) is 7.0 for Au, 7.1 for Pb
NUCLEAR_RADIUS_FM = 7.0
ARROW_HEAD = 0.06  # head length as a fraction of the half-length
ALMOND_POINTS = 48


def drawn_radius(detector: Any) -> float:
    """Half-length (m) of the Ψ2 arrow inside ``detector``."""
    radius = getattr(detector, "track_end_radius", None) or 1.0
    return RADIUS_FRACTION * float(radius)


def almond(b_fm: float, psi_rp: float, scale: float) -> np.ndarray:
    """Closed (n, 2) outline of the overlap of two spheres of radius R at ±b/2 along ψ_RP.

    ``scale`` is metres per fm; empty where the nuclei do not overlap (b ≥ 2R).
    """
    r = NUCLEAR_RADIUS_FM
    if not np.isfinite(b_fm) or not 0.0 <= b_fm < 2 * r:
        return np.zeros((0, 2))
    half = np.arccos(np.clip(b_fm / (2 * r), -1, 1))  # half-angle of each arc
    t = np.linspace(-half, half, ALMOND_POINTS // 2 + 1)  # odd: the tips are sampled
    # the nucleus at -b/2 bounds the overlap on its +x side, and the other way round
    right = np.column_stack([r * np.cos(t) - b_fm / 2, r * np.sin(t)])
    left = np.column_stack([b_fm / 2 - r * np.cos(t), -r * np.sin(t)])
    pts = np.vstack([right, left, right[:1]])
    c, s = np.cos(psi_rp), np.sin(psi_rp)
    return scale * pts @ np.array([[c, s], [-s, c]])


def _arrow(segment: np.ndarray) -> list[np.ndarray]:
    """The shaft and the two heads of a double-headed arrow, as polylines."""
    a, b = segment
    length = np.linalg.norm(b - a) / 2
    u = (b - a) / (2 * length)
    n = np.array([-u[1], u[0]])
    head = ARROW_HEAD * length
    heads = [np.vstack([tip - head * d + 0.5 * head * n, tip, tip - head * d - 0.5 * head * n])
             for tip, d in ((b, u), (a, -u))]
    return [segment, *heads]


class EventPlaneLayer(Layer):
    """Ψ2 arrow (and the almond where ``b`` is known); one object per heavy-ion event."""

    threshold_field = None
    fields_wanted = ("psi",)

    @staticmethod
    def select(event: Any, name: str) -> ak.Array | None:
        """One record ``{psi, b, psi_rp}`` for a nucleus-nucleus event with tracks, else None."""
        if event is None or not is_heavy_ion(getattr(event, "info", None)):
            return None
        tracks = event.get("tracks")
        if tracks is None or not len(tracks):
            return None
        extra = getattr(event.meta, "extra", None) or {}
        return ak.Array([{"psi": float(flow.event_plane(tracks)),
                          "b": float(extra.get("b", np.nan)),
                          "psi_rp": float(extra.get("psiRP", np.nan))}])

    def _make_parts(self) -> None:
        self.line = LinePart(self.parent, ("rphi",), width=WIDTH, order=40)
        self.line.visual.set_gl_state("translucent", depth_test=False)
        self.parts.append(self.line)

    def set_data(self, array: Any, ctx: BuildContext) -> None:
        """Take the event's record (see :meth:`select`)."""
        self.record = None if array is None or not len(array) else array[0]
        super().set_data(array, ctx)

    def _build(self, ctx: BuildContext) -> None:
        length = drawn_radius(ctx.detector)
        self.valid = self.valid & np.isfinite(self.fields["psi"])  # no tracks in the pT range
        psi = float(self.fields["psi"][0]) if self.valid.all() else 0.0
        segment = np.array([[-np.cos(psi), -np.sin(psi)], [np.cos(psi), np.sin(psi)]]) * length
        lines = _arrow(segment)
        rec = self.record
        if rec is not None and np.isfinite(rec["psi_rp"]):
            outline = almond(float(rec["b"]), float(rec["psi_rp"]),
                             ALMOND_FRACTION * length / NUCLEAR_RADIUS_FM)
            if len(outline):
                lines.append(outline)
        points = np.vstack([np.column_stack([p, np.zeros(len(p))]) for p in lines])
        connect = np.concatenate([np.r_[np.ones(len(p) - 1, bool), False] for p in lines])
        self.line.set_geometry(points, np.zeros(len(points), np.int64), connect)

    def notes(self) -> list[str]:
        """What the arrow (and the almond) are, for the canvas's notices."""
        if not self.visible or self.view != "rphi" or not self.n or not self.valid.all():
            return []
        psi = np.degrees(float(self.fields["psi"][0]))
        line = f"Arrow: event plane Ψ2 = {psi:+.0f}° of the tracks"
        rec = self.record
        if rec is not None and np.isfinite(rec["psi_rp"]) and np.isfinite(rec["b"]):
            line += f"; almond: overlap at b = {float(rec['b']):.1f} fm (not to scale)"
        return [line]

    def _recolor(self) -> None:
        color = COLORS.get(self.style.theme, COLORS["dark"])
        self.line.set_colors(rgba(color, 1.0)[None, :])

    def set_style(self, style: Any) -> None:
        """New theme (the arrow keeps its own width)."""
        super().set_style(style)
        self.line.visual.set_data(width=WIDTH)


__all__ = ["EventPlaneLayer", "almond", "drawn_radius"]
