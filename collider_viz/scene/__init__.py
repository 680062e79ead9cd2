"""vispy visuals built from events and detectors (no Qt widgets).

Public API: :class:`EventCanvas` and :func:`render_event`.
"""

from collider_viz.scene.canvas import BUILDERS, EventCanvas
from collider_viz.scene.render import render_event

__all__ = ["BUILDERS", "EventCanvas", "render_event"]
