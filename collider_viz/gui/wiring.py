"""The window's single point of contact with the canvas.

:class:`CanvasControl` forwards the choices made in the panels to the
:class:`~collider_viz.scene.EventCanvas`, remembers them so that a new file
starts with the same choices, and keeps track of the highlighted object.
"""

from __future__ import annotations

from typing import Any

from collider_viz.physics.event import Event


class CanvasControl:
    """Forward display settings to ``canvas`` and remember them.

    Parameters
    ----------
    canvas : EventCanvas
        The canvas (anything with the ``EventCanvas`` setters).
    """

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.highlighted: tuple[str, int] | None = None

    def show_event(self, event: Event, detector: Any, state: dict[str, Any] | None = None) -> None:
        """Draw ``event``; apply the panel ``state`` first when given (a new file)."""
        self.highlighted = None
        if state is not None:
            self.apply(state)
        self.canvas.set_event(event, detector)

    def apply(self, state: dict[str, Any]) -> None:
        """Apply a :meth:`CollectionPanel.state` dictionary to the canvas (as exports do)."""
        from collider_viz.export.scene_bridge import apply_display

        apply_display(self.canvas, state)

    def set_visible(self, name: str, on: bool) -> None:
        """Show or hide collection ``name``."""
        self.canvas.set_collection_visible(name, on)

    def set_threshold(self, name: str, value: float) -> None:
        """Draw only objects of ``name`` above ``value`` GeV."""
        self.canvas.set_threshold(name, value)

    def set_color_by(self, mode: str) -> None:
        """Colour tracks by ``"charge"``, ``"pt"`` or ``"species"``."""
        self.canvas.set_color_by(mode)

    def set_line_width(self, width: float) -> None:
        """Set the line width of tracks."""
        self.canvas.set_line_width(width)

    def set_layer_visible(self, subsystem: str, on: bool) -> None:
        """Show or hide a detector layer."""
        self.canvas.set_layer_visible(subsystem, on)

    def highlight(self, name: str | None, index: int | None) -> None:
        """Highlight object ``index`` of ``name``; ``None`` removes the highlight."""
        if name is None or index is None:
            self.canvas.highlight(None)
            self.highlighted = None
            return
        self.canvas.highlight(name, [index])
        self.highlighted = (name, index)
