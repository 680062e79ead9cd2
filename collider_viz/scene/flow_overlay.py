"""The second-order event plane of a heavy-ion event, for the ρ-φ view and the overlay (no Qt).

:func:`event_plane_segment` gives the endpoints of a line through the beam
along Ψ2 (the almond's short axis, where a flowing medium sends more
particles); :func:`flow_line` is the overlay's text.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from collider_viz.physics import flow


def event_plane_segment(tracks: Any, radius_m: float) -> np.ndarray | None:
    """``(2, 2)`` array of (x, y) endpoints in metres along Ψ2, or None without tracks."""
    psi = flow.event_plane(tracks)
    if not np.isfinite(psi):
        return None
    direction = np.array([np.cos(psi), np.sin(psi)])
    return np.vstack([-radius_m * direction, radius_m * direction])


def flow_line(event: Any) -> str | None:
    """e.g. ``"Event plane Ψ2 = +23° (tracks 0.2–5 GeV) · reaction plane +25° (flow imposed)"``."""
    tracks = event.get("tracks") if hasattr(event, "get") else None
    if tracks is None or not len(tracks):
        return None
    psi = flow.event_plane(tracks)
    if not np.isfinite(psi):
        return None
    text = f"Event plane Ψ2 = {np.degrees(psi):+.0f}° (tracks {flow.PT_RANGE[0]:g}–" \
           f"{flow.PT_RANGE[1]:g} GeV)"
    psi_rp = (event.meta.extra or {}).get("psiRP")
    if psi_rp is not None:
        rp = np.degrees(np.angle(np.exp(2j * float(psi_rp))) / 2)
        text += f" · reaction plane {rp:+.0f}° (flow imposed)"
    return text
