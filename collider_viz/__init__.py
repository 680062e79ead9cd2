"""collider_viz: an event display for particle-collision open data."""

from collider_viz.errors import ColliderVizError, FormatError
from collider_viz.io import EventSource, open_events

__version__ = "0.1.0"

__all__ = ["ColliderVizError", "EventSource", "FormatError", "open_events", "__version__"]
